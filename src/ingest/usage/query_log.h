// Query logs: records {sql, user, timestamp, default catalog/database and schema, dialect} → table
// and column lineage through the SQL parser (source SQL, merge policy kAddOrRefresh) plus usage of
// every table read or written. Unlike event batches, a log batch is not all or nothing: each record
// is mapped on its own and a bad one is counted and reported with its index, never aborting the
// rest; the good ones are written in one atomic write.
//
// Record fields (JSON object): "sql" (required), "user", "timestamp" (RFC 3339 or epoch seconds /
// milliseconds; default: now), "default_catalog" or "default_database", "default_schema",
// "dialect" (default trino), "query_id" (de-duplication; default: derived from the record).
// Records without SQL, and statements that touch no table (SET, USE, SELECT 1) are skipped.
//
// Thread-safety: Ingest may be called concurrently (StagedWrites serialises ingestion).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "common/clock.h"
#include "ingest/runs/sql_adapter.h"

namespace tidemark::ingest {

struct QueryLogOptions {
  SqlLineageParser parser;  // required for lineage; without it every record fails
  std::string default_dialect = "trino";
  size_t max_records = 5000;  // per request
  const common::Clock* clock = &common::Clock::Real();
};

struct QueryLogError {
  int index = 0;  // position of the record in the request
  std::string message;
};

struct QueryLogResult {
  int parsed = 0;   // records that yielded lineage and/or usage
  int failed = 0;   // records that could not be read or parsed
  int skipped = 0;  // records with nothing to record
  int written = 0;  // aspects with a new version
  int unchanged = 0;
  std::vector<QueryLogError> errors;  // at most 100
};

class QueryLogIngestor {
 public:
  QueryLogIngestor(catalog::CatalogService& catalog, QueryLogOptions options);

  // Body: {"queries":[record, ...]} or a bare array of records. InvalidArgument only when the body
  // as a whole is not such a document.
  absl::StatusOr<QueryLogResult> IngestJson(std::string_view body,
                                            const catalog::WriteOrigin& origin) const;
  absl::StatusOr<QueryLogResult> Ingest(const boost::json::array& records,
                                        const catalog::WriteOrigin& origin) const;

 private:
  catalog::CatalogService& catalog_;
  QueryLogOptions options_;
};

}  // namespace tidemark::ingest
