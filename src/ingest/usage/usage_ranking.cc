// The usage ranking index: hook, backfill and paged reads; see usage_ranking.h.
#include "ingest/usage/usage_ranking.h"

#include <algorithm>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "ingest/openlineage/openlineage_facets.h"
#include "storage/key_codec.h"

namespace tidemark::ingest {
namespace {

namespace pb = google::protobuf;
using common::Urn;
constexpr std::string_view kIndexPrefix = "usageRank.";
// Bump when the key or payload layout changes: stores with another version are rebuilt.
constexpr std::string_view kFormatVersion = "1";
constexpr std::string_view kCursorTag = "u1";
constexpr UsageOrder kOrders[] = {UsageOrder::kQueries, UsageOrder::kUsers, UsageOrder::kRecent};
constexpr size_t kMaxBatchOps = 4096;
constexpr size_t kMaxPlatformBytes = 256;

std::string IndexName(UsageOrder order) {
  return absl::StrCat(std::string(kIndexPrefix), std::string(UsageOrderName(order)));
}

uint64_t RankValue(const v1::DatasetUsage& usage, UsageOrder order) {
  int64_t v = 0;
  switch (order) {
    case UsageOrder::kQueries:
      v = usage.queries();
      break;
    case UsageOrder::kUsers:
      v = usage.distinct_users();
      break;
    case UsageOrder::kRecent:
      v = usage.last_queried_micros();
      break;
  }
  return v < 0 ? 0 : static_cast<uint64_t>(v);
}

// Larger values sort first: the bitwise complement, as fixed-width hex.
std::string SortKey(uint64_t value) { return absl::StrFormat("%016x", ~value); }

v1::DatasetUsage SummaryOf(const v1::DatasetUsage& usage) {
  v1::DatasetUsage s;
  s.set_window_days(usage.window_days());
  s.set_queries(usage.queries());
  s.set_writes(usage.writes());
  s.set_distinct_users(usage.distinct_users());
  s.set_last_queried_micros(usage.last_queried_micros());
  *s.mutable_top_users() = usage.top_users();
  return s;
}

// The three ranking indexes as registered with the catalog, in kOrders order.
using RankIndexes = std::vector<catalog::KeySpace>;

// (position in kOrders, key inside that index) → payload of every entry `usage` justifies for
// `urn` (none for null). Keys are `<platform or ""> \0 <sort> \0 <urn>`.
using Entries = std::map<std::pair<size_t, std::string>, std::string>;
Entries RankEntries(const Urn& urn, const pb::Message* message) {
  Entries out;
  const auto* usage = dynamic_cast<const v1::DatasetUsage*>(message);
  if (usage == nullptr || urn.entity_type() != "dataset") return out;
  const std::string payload = catalog::SerializeDeterministic(SummaryOf(*usage));
  const std::string platform = urn.PlatformName();
  for (size_t i = 0; i < std::size(kOrders); ++i) {
    const std::string sort = SortKey(RankValue(*usage, kOrders[i]));
    out[{i, storage::JoinKey({"", sort, urn.ToString()})}] = payload;
    if (!platform.empty()) out[{i, storage::JoinKey({platform, sort, urn.ToString()})}] = payload;
  }
  return out;
}

void DiffEntries(const RankIndexes& indexes, const Entries& before, const Entries& after,
                 catalog::WriteTransaction& txn) {
  for (const auto& [key, payload] : before) {
    if (!after.contains(key)) indexes[key.first].Delete(txn, key.second);
  }
  for (const auto& [key, payload] : after) {
    auto it = before.find(key);
    if (it == before.end() || it->second != payload)
      indexes[key.first].Put(txn, key.second, payload);
  }
}

absl::Status FlushIfFull(const catalog::KeySpace& space, catalog::KeySpace::Batch& batch,
                         bool force) {
  if (batch.empty() || (!force && batch.size() < kMaxBatchOps)) return absl::OkStatus();
  return space.Commit(batch);
}

// Drops every ranking entry and indexes the latest datasetUsage of every dataset. Runs before
// serving, so no catalog write interleaves with it.
absl::StatusOr<int64_t> Rebuild(catalog::CatalogService& catalog, const RankIndexes& indexes,
                                const catalog::KeySpace& meta) {
  catalog::KeySpace::Batch batch;
  for (const catalog::KeySpace& index : indexes) {
    std::vector<std::string> stale;
    RETURN_IF_ERROR(index.Scan("", "", [&](std::string_view key, auto) {
      stale.emplace_back(key);
      return true;
    }));
    for (const std::string& key : stale) {
      index.Delete(batch, key);
      RETURN_IF_ERROR(FlushIfFull(meta, batch, false));
    }
  }
  int64_t indexed = 0;
  constexpr int kPage = 1000;
  for (std::string after;;) {
    ASSIGN_OR_RETURN(std::vector<std::string> page,
                     catalog.ScanIndex("type", "dataset", after, kPage));
    for (const std::string& text : page) {
      auto urn = Urn::Parse(text);
      if (!urn.ok()) continue;
      auto usage = catalog.GetAspect(*urn, kDatasetUsageAspect);
      if (absl::IsNotFound(usage.status())) continue;
      RETURN_IF_ERROR(usage.status());
      for (auto& [key, payload] : RankEntries(*urn, usage->value.get())) {
        indexes[key.first].Put(batch, key.second, std::move(payload));
      }
      ++indexed;
      RETURN_IF_ERROR(FlushIfFull(meta, batch, false));
    }
    if (static_cast<int>(page.size()) < kPage) break;
    after = page.back();
  }
  meta.Put(batch, kUsageRankMetaKey, std::string(kFormatVersion));
  RETURN_IF_ERROR(FlushIfFull(meta, batch, true));
  return indexed;
}

absl::StatusOr<std::string> PlatformValue(std::string_view platform) {
  if (platform.empty()) return std::string();
  if (platform.starts_with("urn:li:")) {
    auto urn = Urn::Parse(platform);
    if (!urn.ok() || urn->entity_type() != "dataPlatform") {
      return absl::InvalidArgumentError(
          absl::StrCat("platform '", std::string(platform.substr(0, 80)),
                       "' is neither a platform name nor a dataPlatform URN"));
    }
    return urn->PlatformName();
  }
  const bool control = std::any_of(platform.begin(), platform.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (platform.size() > kMaxPlatformBytes || control) {
    return absl::InvalidArgumentError("platform must be a platform name such as trino");
  }
  return std::string(platform);
}

std::string EncodeCursor(UsageOrder order, const std::string& platform, int64_t next_rank,
                         std::string_view rest) {
  auto parts = storage::SplitKey(rest);  // sort key, urn
  return absl::WebSafeBase64Escape(storage::JoinKey(
      {kCursorTag, UsageOrderName(order), platform, absl::StrCat(next_rank), parts[0], parts[1]}));
}

struct CursorPosition {
  std::string after;  // the index position after which the page starts
  int64_t rank = 1;   // rank of the first dataset of the page
};

absl::StatusOr<CursorPosition> DecodeCursor(const std::string& cursor, UsageOrder order,
                                            const std::string& platform) {
  std::string text;
  const absl::Status bad = absl::InvalidArgumentError("cursor is not one this server returned");
  if (!absl::WebSafeBase64Unescape(cursor, &text)) return bad;
  auto parts = storage::SplitKey(text);
  CursorPosition position;
  if (parts.size() != 6 || parts[0] != kCursorTag || parts[4].size() != 16 ||
      !absl::SimpleAtoi(absl::string_view(parts[3].data(), parts[3].size()), &position.rank) ||
      position.rank < 1) {
    return bad;
  }
  if (parts[1] != UsageOrderName(order) || parts[2] != platform) {
    return absl::InvalidArgumentError(
        "cursor belongs to another order or platform: pass the same order and platform as the "
        "first page");
  }
  position.after = storage::JoinKey({parts[4], parts[5]});
  return position;
}

}  // namespace

absl::StatusOr<UsageOrder> ParseUsageOrder(std::string_view text) {
  for (UsageOrder order : kOrders) {
    if (text == UsageOrderName(order)) return order;
  }
  return absl::InvalidArgumentError(absl::StrCat("order must be queries, users or recent, got '",
                                                 std::string(text.substr(0, 80)), "'"));
}

std::string_view UsageOrderName(UsageOrder order) {
  switch (order) {
    case UsageOrder::kQueries:
      return "queries";
    case UsageOrder::kUsers:
      return "users";
    case UsageOrder::kRecent:
      return "recent";
  }
  return "queries";
}

absl::StatusOr<UsageRankAttachResult> AttachUsageRanking(catalog::CatalogService& catalog) {
  if (catalog.registry().Find(kDatasetUsageAspect) == nullptr) {
    return absl::FailedPreconditionError(
        "aspect datasetUsage is not registered (call RegisterEngineAspects)");
  }
  RankIndexes indexes;
  for (UsageOrder order : kOrders) {
    ASSIGN_OR_RETURN(catalog::KeySpace index, catalog.RegisterIndex(IndexName(order)));
    indexes.push_back(index);
  }
  catalog::AspectHook hook;
  hook.before_write = [indexes](const Urn& urn, const pb::Message* previous, pb::Message& value,
                                catalog::WriteTransaction& txn) {
    DiffEntries(indexes, RankEntries(urn, previous), RankEntries(urn, &value), txn);
    return absl::OkStatus();
  };
  hook.before_purge = [indexes](const Urn& urn, const pb::Message& latest,
                                catalog::WriteTransaction& txn) {
    DiffEntries(indexes, RankEntries(urn, &latest), {}, txn);
    return absl::OkStatus();
  };
  catalog.AddHook(std::string(kDatasetUsageAspect), std::move(hook));

  UsageRankAttachResult result;
  const catalog::KeySpace meta = catalog.Meta(kUsageMetaSpace);
  ASSIGN_OR_RETURN(auto version, meta.Get(kUsageRankMetaKey));
  if (version.has_value() && *version == kFormatVersion) return result;
  ASSIGN_OR_RETURN(result.indexed, Rebuild(catalog, indexes, meta));
  result.rebuilt = true;
  return result;
}

absl::StatusOr<UsageTopPage> TopDatasets(const catalog::CatalogService& catalog,
                                         const UsageTopQuery& query) {
  if (query.limit < 1 || query.limit > kUsageTopMaxLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be between 1 and ", kUsageTopMaxLimit, ", got ", query.limit));
  }
  ASSIGN_OR_RETURN(const std::string platform, PlatformValue(query.platform));
  CursorPosition position;
  if (!query.cursor.empty()) {
    ASSIGN_OR_RETURN(position, DecodeCursor(query.cursor, query.order, platform));
  }
  std::string after = position.after;
  const std::string index = IndexName(query.order);
  const size_t limit = static_cast<size_t>(query.limit);
  const int chunk = std::max(query.limit + 1, 64);
  UsageTopPage page;
  page.first_rank = position.rank;
  std::string last;
  bool more = false;
  // Soft-deleted datasets keep their entries; read in chunks until the page and one more visible
  // entry (the promise of a next page) are found or the index ends.
  while (!more) {
    ASSIGN_OR_RETURN(auto entries, catalog.ScanIndexEntries(index, platform, after, chunk));
    for (const auto& [rest, payload] : entries) {
      after = rest;
      auto parts = storage::SplitKey(rest);
      if (parts.size() != 2) continue;
      auto urn = Urn::Parse(parts[1]);
      if (!urn.ok()) continue;
      ASSIGN_OR_RETURN(const bool removed, catalog.IsRemoved(*urn));
      if (removed) continue;
      if (page.datasets.size() == limit) {
        more = true;
        break;
      }
      RankedDataset ranked;
      ranked.urn = urn->ToString();
      if (!ranked.summary.ParseFromString(payload)) {
        return absl::DataLossError(
            absl::StrCat("usage ranking entry of ", ranked.urn, " does not parse"));
      }
      page.datasets.push_back(std::move(ranked));
      last = rest;
    }
    if (static_cast<int>(entries.size()) < chunk) break;
  }
  if (more) {
    page.next_cursor = EncodeCursor(
        query.order, platform, page.first_rank + static_cast<int64_t>(page.datasets.size()), last);
  }
  return page;
}

}  // namespace tidemark::ingest
