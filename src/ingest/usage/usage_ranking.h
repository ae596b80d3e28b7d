// Usage ranking: "the most used datasets" answered from a secondary index instead of a read of
// every dataset's datasetUsage aspect.
//
// The index is three indexes registered with the catalog (CatalogService::RegisterIndex), in the
// catalog's key layout `<index> \0 <value> \0 <rest>`: index "usageRank.<order>" (queries, users,
// recent), value the
// dataset's platform name or "" (every platform), rest "<16 hex digits of the inverted count> \0
// <dataset urn>", so one range scan yields datasets by count descending, then URN. Each entry
// stores a summary-only DatasetUsage (queries, writes, distinctUsers, lastQueriedMicros, topUsers,
// windowDays), so a page of N datasets costs N index entries and no aspect reads.
//
// AttachUsageRanking adds a catalog hook on datasetUsage: its before_write replaces a dataset's
// entries in the same atomic batch as the new aspect version, its before_purge removes them. A
// soft-deleted dataset keeps its entries (as it keeps its owner and tag entries) and is skipped
// when read, so restoring it restores its rank. The counts are the dataset's own 30-day window,
// which ends at its newest query (usage_update.h), not at the wall clock; order=recent shows
// which counts are fresh.
//
// Backfill: datasetUsage written before the index existed (or by a binary without the hook) is
// indexed at attach time when kUsageRankMetaKey (in the "usage" meta space) is missing or names
// another format:
// every usageRank entry is dropped and rebuilt from the latest datasetUsage of every dataset
// (the "type" index), then the key is written.
//
// Thread-safety: AttachUsageRanking before serving (like CatalogService::AddHook); TopDatasets
// is a read and may run concurrently with writes. Cursors are positions in the ranking, so a
// dataset whose counts change between two pages may move across the cursor (shown twice or not
// at all), as in any ranking read while it changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "tidemark/v1/ingest.pb.h"

namespace tidemark::ingest {

// The usage module's meta space, and its key holding the index format version; absent → the
// index is rebuilt at attach time.
inline constexpr std::string_view kUsageMetaSpace = "usage";
inline constexpr std::string_view kUsageRankMetaKey = "rankIndexVersion";
inline constexpr int kUsageTopMaxLimit = 1000;

enum class UsageOrder { kQueries, kUsers, kRecent };

// "queries" | "users" | "recent"; InvalidArgument naming the choices otherwise.
absl::StatusOr<UsageOrder> ParseUsageOrder(std::string_view text);
std::string_view UsageOrderName(UsageOrder order);

struct UsageTopQuery {
  UsageOrder order = UsageOrder::kQueries;
  std::string platform;  // platform name (or dataPlatform URN); empty: every platform
  int limit = 20;        // 1..kUsageTopMaxLimit
  std::string cursor;    // next_cursor of the previous page of the same order and platform
};

struct RankedDataset {
  std::string urn;
  v1::DatasetUsage summary;  // summary fields only: no days, columns, query shapes or ids
};

struct UsageTopPage {
  int64_t first_rank = 1;  // rank of datasets[0]: 1 on the first page, carried by the cursor
  std::vector<RankedDataset> datasets;
  std::string next_cursor;  // empty on the last page
};

struct UsageRankAttachResult {
  bool rebuilt = false;  // the index was (re)built from stored datasetUsage aspects
  int64_t indexed = 0;   // datasets indexed by that rebuild
};

// Adds the datasetUsage hook and backfills the index when needed. FailedPrecondition when the
// datasetUsage aspect is not registered (RegisterEngineAspects).
absl::StatusOr<UsageRankAttachResult> AttachUsageRanking(catalog::CatalogService& catalog);

// One page of the ranking. InvalidArgument for a limit out of range, a bad platform or a cursor
// this order/platform did not return.
absl::StatusOr<UsageTopPage> TopDatasets(const catalog::CatalogService& catalog,
                                         const UsageTopQuery& query);

}  // namespace tidemark::ingest
