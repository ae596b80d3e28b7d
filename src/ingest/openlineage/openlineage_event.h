// The decoded form of one OpenLineage event (RunEvent, DatasetEvent or JobEvent, any spec version
// from 1-0-x to 2-0-x): the identifying fields validated and resolved to URNs, the facets left as
// Boost.JSON objects for the facet mappers. Decoding rejects what cannot be stored (missing or
// mistyped required fields, unparseable times, over-long names) with InvalidArgument naming the
// JSON path; unknown facets and unknown top-level fields are ignored.
//
// An OlEvent points into the json::value it was decoded from, which must outlive it.
// Thread-safety: plain values and stateless functions.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/urn.h"

namespace tidemark::ingest {

struct OlDataset {
  std::string ns;
  std::string name;
  common::Urn urn;
  const boost::json::object* facets = nullptr;     // may be null
  const boost::json::object* io_facets = nullptr;  // inputFacets / outputFacets, may be null
  std::string path;                                // "inputs[0]", for error messages
};

struct OlEvent {
  enum class Kind { kRun, kDataset, kJob };
  Kind kind = Kind::kRun;
  std::string event_type;  // START, RUNNING, COMPLETE, FAIL, ABORT, OTHER ("OTHER" when absent)
  int64_t event_micros = 0;
  std::string producer;
  std::string run_id;                               // kRun only
  const boost::json::object* run_facets = nullptr;  // kRun only, may be null
  std::string job_ns, job_name;                     // kRun and kJob
  std::optional<common::Urn> job;                   // kRun and kJob
  const boost::json::object* job_facets = nullptr;  // may be null
  std::vector<OlDataset> inputs, outputs;           // kRun and kJob
  std::optional<OlDataset> dataset;                 // kDataset only
};

// Decodes one event; `path` prefixes error messages ("" or "events[3]").
absl::StatusOr<OlEvent> DecodeOpenLineageEvent(const boost::json::value& value,
                                               std::string_view path);

// The one place ingest resolves an OpenLineage dataset name (lineage::DatasetUrnFromOpenLineage),
// then through the process-wide alias table (lineage::DatasetAliases::Canonical).
absl::StatusOr<common::Urn> ResolveDatasetUrn(std::string_view ns, std::string_view name);

// Replaces Marquez seed placeholders ({{RUN_START_TIME}}, {{RUN_END_TIME}},
// {{RUN_END_TIME_AFTER_<N>_MINUTES}}) with RFC 3339 times relative to `start_micros`.
std::string SubstituteMarquezTemplate(std::string_view text, int64_t start_micros);

}  // namespace tidemark::ingest
