// Server-side writing of ingested aspects: tolerant parsing of a batch (a bad item is reported with
// its index and reason and the rest is written), and the write itself with the counts a run
// records.
//
// Idempotence: the catalog reports equal values as unchanged, but lineage aspects carry provenance
// (run id, last-seen time) that the lineage module fills at write time, so a re-ingest of the same
// edges would always look new. WriteIngested() therefore compares lineage aspects with the stored
// value ignoring provenance and skips (counts as unchanged) those whose edges are the same.
//
// Thread-safety: stateless functions; the catalog serialises writes.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "ingest/runs/ingest_types.h"
#include "tidemark/v1/ingest_runs.pb.h"

namespace tidemark::ingest {

struct ParsedWrites {
  std::vector<catalog::AspectWrite> writes;
  std::vector<v1::IngestError> errors;  // path "writes[i] <urn> <aspect>"
};

// Body {"writes":[{urn, aspect, value}]} (or a bare array). InvalidArgument only when the body as a
// whole is not such a document; bad items land in `errors`.
absl::StatusOr<ParsedWrites> ParseWritesTolerant(const catalog::AspectRegistry& registry,
                                                 std::string_view body);
// MappedAspects → normalised writes through the registry (unknown aspects become errors).
ParsedWrites ToAspectWrites(const catalog::AspectRegistry& registry,
                            const std::vector<MappedAspect>& aspects);

// Writes in atomic chunks of at most `max_per_write` aspects and returns the counts.
absl::StatusOr<v1::IngestCounts> WriteIngested(catalog::CatalogService& catalog,
                                               std::vector<catalog::AspectWrite> writes,
                                               const catalog::WriteOrigin& origin,
                                               size_t max_per_write = 10000);

}  // namespace tidemark::ingest
