// Usage statistics: folding one query into the datasetUsage aspect of each dataset it touched.
//
// The aspect keeps UTC day buckets for a bounded window (30 days by default): per day the query
// count, writes and per-user counts; per column its own day counts; the top query shapes with a
// count and last-seen time. The window ends at the newest day seen (not the wall clock), so the
// update is a pure function of the stored value and the query, and the summary fields (queries,
// distinctUsers, topUsers, topQueries, lastQueriedMicros) are recomputed on every update so that
// readers rank tables with one point lookup. Query ids already counted (the last 256 per dataset)
// are not counted again, so re-delivered events do not inflate usage. Query-shape counts are
// approximate: a shape is counted since it was first kept and dropped when unseen for a window.
//
// Thread-safety: ApplyUsage is pure; RecordUsage runs under the StagedWrites ingest lock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/urn.h"
#include "ingest/openlineage/staged_writes.h"
#include "tidemark/v1/ingest.pb.h"

namespace tidemark::ingest {

inline constexpr int kUsageWindowDays = 30;

struct DatasetAccess {
  common::Urn dataset;
  std::vector<std::string> columns;  // field paths read or written
  bool write = false;                // the query wrote the dataset
};

struct QueryUsage {
  std::string query_id;  // de-duplication key; empty → derived from user, time and SQL
  std::string user;      // corpuser URN
  int64_t time_micros = 0;
  std::string sql;          // an example of the shape (truncated when stored)
  std::string fingerprint;  // empty → FingerprintSql(sql, "")
  std::vector<DatasetAccess> datasets;
};

// Folds `query` into `usage` for `access`; false when the query id was already counted.
bool ApplyUsage(const QueryUsage& query, const DatasetAccess& access, v1::DatasetUsage& usage,
                int window_days = kUsageWindowDays);

// Stages the updated datasetUsage of every dataset the query touched.
absl::Status RecordUsage(const QueryUsage& query, StagedWrites& writes);

}  // namespace tidemark::ingest
