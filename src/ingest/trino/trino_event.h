// Trino query events: the QueryCompletedEvent JSON that Trino's HTTP event listener POSTs (Jackson
// serialization of io.trino.spi.eventlistener.QueryCompletedEvent: metadata, context, ioMetadata,
// statistics, createTime / executionStartTime / endTime as ISO-8601 strings or epoch seconds) →
//   lineage   the output table's upstreamLineage: upstreams = tables read (and the tables of every
//             source column), fine-grained entries from ioMetadata.output.columns[].sourceColumns,
//             provenance TRINO + queryId + end time, merge policy kAddOrRefresh (a query adds or
//             refreshes edges, never removes them). Failed queries give no lineage.
//   usage     datasetUsage of every table read (with its columns) and of the output table (a
//   write),
//             by the query's user, with the query's fingerprint (usage_update.h).
// Datasets are named through the OpenLineage mapping: dataset(trino, catalog.schema.table).
// One event or a JSON array of events; a batch is all or nothing; a bad event is InvalidArgument
// naming its JSON path. Re-delivery of an event changes nothing (usage de-duplicates by queryId).
//
// Thread-safety: IngestJson may be called concurrently (StagedWrites serialises ingestion).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"

namespace tidemark::ingest {

struct TrinoIngestOptions {
  size_t max_events = 1000;  // per request
};

struct TrinoIngestResult {
  int events = 0;
  int failed_queries = 0;  // events of failed queries (usage only)
  int written = 0;
  int unchanged = 0;
};

class TrinoEventIngestor {
 public:
  explicit TrinoEventIngestor(catalog::CatalogService& catalog, TrinoIngestOptions options = {});

  absl::StatusOr<TrinoIngestResult> IngestJson(std::string_view body,
                                               const catalog::WriteOrigin& origin) const;

 private:
  catalog::CatalogService& catalog_;
  TrinoIngestOptions options_;
};

}  // namespace tidemark::ingest
