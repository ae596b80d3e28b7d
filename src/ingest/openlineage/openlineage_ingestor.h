// OpenLineageIngestor: OpenLineage events (RunEvent, DatasetEvent, JobEvent; one event or a JSON
// array of them, as Marquez's POST /api/v1/lineage accepts) → catalog aspects in one atomic write.
//
//   decode (openlineage_event.h) → facets (openlineage_facets.h) + column lineage
//   (column_lineage.h) + run history → lineage:
//     every output   upstreamLineage: upstreams = the inputs (and every dataset a column-lineage
//                    input field belongs to) through the job, fine-grained entries from
//                    columnLineage (or from the sql facet through the SQL parser when no output has
//                    columnLineage), provenance OPENLINEAGE + runId + event time (merge policy
//                    kReplaceJob, lineage_merge.h)
//     the job        dataJobInputOutput (datasets and fields; the latest run replaces earlier ones,
//                    events of one run add up), dataJobInfo, dataJobRuns
// An event with no inputs and no outputs (e.g. a COMPLETE that only reports the state) leaves the
// lineage as it is. Every mapping is deterministic, so re-delivering an event writes nothing.
// Any invalid event fails the whole request with InvalidArgument naming it ("events[3].job.name:
// required") and nothing is written.
//
// Thread-safety: IngestJson may be called concurrently (StagedWrites serialises ingestion).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/aspect_registry.h"
#include "catalog/catalog_service.h"
#include "ingest/openlineage/openlineage_event.h"
#include "ingest/openlineage/staged_writes.h"
#include "ingest/runs/sql_adapter.h"

namespace tidemark::ingest {

struct OpenLineageIngestOptions {
  size_t max_events = 1000;     // per request
  SqlLineageParser sql_parser;  // optional: lineage from the sql job facet
};

struct OpenLineageIngestResult {
  int events = 0;
  int run_events = 0;
  int dataset_events = 0;
  int job_events = 0;
  int written = 0;                    // aspects with a new version
  int unchanged = 0;                  // aspects already equal to what the events say
  std::vector<std::string> warnings;  // ignored owners, unparsed SQL, kept schemas, ...
};

class OpenLineageIngestor {
 public:
  explicit OpenLineageIngestor(catalog::CatalogService& catalog,
                               OpenLineageIngestOptions options = {});

  // One event object or an array of events; all or nothing.
  absl::StatusOr<OpenLineageIngestResult> IngestJson(std::string_view body,
                                                     const catalog::WriteOrigin& origin) const;
  absl::StatusOr<OpenLineageIngestResult> IngestDocument(const boost::json::value& document,
                                                         const catalog::WriteOrigin& origin) const;

 private:
  absl::Status MapEvent(const OlEvent& event, StagedWrites& writes,
                        OpenLineageIngestResult& result) const;
  absl::Status MapLineage(const OlEvent& event, const std::string& sql, const std::string& dialect,
                          StagedWrites& writes, OpenLineageIngestResult& result) const;

  catalog::CatalogService& catalog_;
  OpenLineageIngestOptions options_;
};

// Registers the aspects of schemas/tidemark/v1/ingest.proto: dataJobRuns (dataJob) and
// datasetUsage (dataset). Call on the registry before CatalogService::Open.
absl::Status RegisterEngineAspects(catalog::AspectRegistry& registry);

}  // namespace tidemark::ingest
