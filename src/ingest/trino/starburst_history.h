// Starburst event-logger query history → usage. The event logger writes one row per finished query
// to a history table; an export of it is a JSON array of rows (the shape DataHub's
// starburst-trino-usage source reads):
//   usr                 the user             → corpuser URN, as Trino's context.user is mapped
//   query               the SQL text         → the query shape of the usage, and the fallback below
//   catalog, schema     session defaults     → names the fallback resolves bare tables with
//   accessed_metadata   JSON-encoded text (or an array) of ioMetadata.inputs: catalogName,
//                       schema, table, columns → the datasets and columns read
//   end_time / create_time  "2021-10-14 09:40:53.108000 UTC" (RFC 3339 and epoch numbers too)
//   query_id            when present, the de-duplication key shared with Trino's event listener
// Each row counts as one query in the datasetUsage of every table it read (usage_update.h), at
// end_time, else create_time. Tables are named as the Trino event ingest names them
// (dataset(trino, catalog.schema.table), trino_tables.h). When accessed_metadata is null or
// absent, the query text goes through the SQL parser instead (tables read, their columns when the
// catalog knows the schema, tables written as writes). The history is a usage source only: it
// writes no lineage.
//
// Rows are mapped one by one, like query-log records: a row without any time is skipped (no time
// is invented), a row that reads no table is skipped, a malformed row fails; each is reported with
// its index and reason and never aborts the rest, which are written in one atomic write.
// Re-ingesting the same rows changes nothing (usage de-duplicates by query id, or by user, time and
// SQL when the export has no id).
//
// Thread-safety: IngestJson may be called concurrently (StagedWrites serialises ingestion).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "ingest/runs/sql_adapter.h"

namespace tidemark::ingest {

struct StarburstHistoryOptions {
  // For rows without accessed_metadata; without it such rows fail ("no SQL parser").
  SqlLineageParser parser;
  size_t max_rows = 5000;  // per request
};

struct StarburstRowIssue {
  int64_t index = 0;  // position of the row in the request
  std::string reason;
};

struct StarburstHistoryResult {
  int rows = 0;
  int recorded = 0;  // rows counted as usage of at least one table
  int from_sql = 0;  // of those, rows whose tables came from parsing the query text
  int skipped = 0;   // rows with nothing to count (no time, no table)
  int failed = 0;    // rows that could not be read
  int written = 0;   // datasetUsage aspects with a new version
  int unchanged = 0;
  std::vector<StarburstRowIssue> skipped_rows;  // at most 100, in row order
  std::vector<StarburstRowIssue> errors;        // at most 100, in row order
};

// "2021-10-14 09:40:53.108000 UTC" (also "+HH:MM" offsets, a bare time meaning UTC, and RFC 3339)
// → microseconds since the epoch.
absl::StatusOr<int64_t> ParseStarburstTime(std::string_view text);

class StarburstHistoryIngestor {
 public:
  StarburstHistoryIngestor(catalog::CatalogService& catalog, StarburstHistoryOptions options);

  // Body: a JSON array of rows, or {"rows":[...]}. InvalidArgument (nothing written) only when the
  // body as a whole is not such a document or holds more than max_rows rows. `index_offset` is
  // added to the row indexes reported (the position of the first row in a larger export).
  absl::StatusOr<StarburstHistoryResult> IngestJson(std::string_view body,
                                                    const catalog::WriteOrigin& origin,
                                                    int64_t index_offset = 0) const;

 private:
  catalog::CatalogService& catalog_;
  StarburstHistoryOptions options_;
};

}  // namespace tidemark::ingest
