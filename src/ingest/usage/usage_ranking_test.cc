// The usage ranking index on an in-memory catalog: kept in step with datasetUsage writes (no stale
// entries), soft delete hides and restore shows, purge removes, paging and parameter checks, and
// the start-up backfill of usage written before the index existed.
#include "ingest/usage/usage_ranking.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalog/catalog_service.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/openlineage/staged_writes.h"
#include "ingest/usage/usage_update.h"
#include "storage/key_codec.h"
#include "tests/testing/status_matchers.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

constexpr int64_t kDay = 86'400'000'000;
const int64_t kT0 = 20000 * kDay;

const Urn kA = Urn::Dataset("trino", "lake.s.a");
const Urn kB = Urn::Dataset("trino", "lake.s.b");
const Urn kC = Urn::Dataset("trino", "lake.s.c");
const Urn kP = Urn::Dataset("postgres", "app.public.p");

class UsageRankingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = storage::NewMemoryStore();
    auto registry = catalog::AspectRegistry::WithCatalogAspects();
    ASSERT_OK(RegisterEngineAspects(*registry));
    registry_ = std::move(registry);
    catalog_ = OpenCatalog(/*attach=*/true);
  }

  std::unique_ptr<catalog::CatalogService> OpenCatalog(bool attach) {
    auto catalog = catalog::CatalogService::Open(store_, registry_);
    EXPECT_OK(catalog);
    if (attach) {
      auto attached = AttachUsageRanking(**catalog);
      EXPECT_OK(attached);
      if (attached.ok()) last_attach_ = *attached;
    }
    return std::move(catalog).value();
  }

  // `n` queries of `table` by `user` (distinct query ids), `hours` after kT0.
  void Query(catalog::CatalogService& catalog, const Urn& table, int n, const std::string& user,
             int64_t hours = 0) {
    StagedWrites writes(catalog);
    for (int i = 0; i < n; ++i) {
      QueryUsage q;
      q.query_id = absl::StrCat(table.ToString(), user, hours, "#", i, "#", ++sequence_);
      q.user = "urn:li:corpuser:" + user;
      q.time_micros = kT0 + hours * 3'600'000'000;
      q.sql = "SELECT * FROM " + table.DatasetName();
      q.datasets.push_back({table, {"id"}, false});
      ASSERT_OK(RecordUsage(q, writes));
    }
    ASSERT_OK(writes.Commit({.source = v1::TRINO}).status());
  }
  void Query(const Urn& table, int n, const std::string& user = "al", int64_t hours = 0) {
    Query(*catalog_, table, n, user, hours);
  }

  std::vector<std::string> Top(UsageOrder order = UsageOrder::kQueries, std::string platform = "",
                               int limit = 100) {
    auto page = TopDatasets(*catalog_, {.order = order, .platform = platform, .limit = limit});
    EXPECT_OK(page);
    std::vector<std::string> urns;
    if (page.ok()) {
      for (const auto& d : page->datasets) urns.push_back(d.urn);
    }
    return urns;
  }

  // Every usageRank entry in the index column family.
  int RawEntries() {
    int n = 0;
    EXPECT_OK(store_->Scan(storage::ColumnFamily::kIndex, "usageRank.", "",
                           [&](auto, auto) { return ++n, true; }));
    return n;
  }

  std::shared_ptr<storage::KvStore> store_;
  std::shared_ptr<const catalog::AspectRegistry> registry_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  UsageRankAttachResult last_attach_;
  int sequence_ = 0;
};

TEST_F(UsageRankingTest, AnUpdateMovesADatasetAndLeavesNoStaleEntries) {
  Query(kA, 3);
  Query(kB, 1);
  Query(kC, 2);
  EXPECT_THAT(Top(), ElementsAre(kA.ToString(), kC.ToString(), kB.ToString()));
  // 3 datasets × 3 orders × (all platforms + their platform).
  EXPECT_EQ(RawEntries(), 18);

  Query(kB, 3, "bo");  // b: 4 queries
  EXPECT_THAT(Top(), ElementsAre(kB.ToString(), kA.ToString(), kC.ToString()));
  EXPECT_EQ(RawEntries(), 18);  // b's old entries were replaced, not kept beside the new ones

  auto page = TopDatasets(*catalog_, {.limit = 1});
  ASSERT_OK(page);
  const v1::DatasetUsage& b = page->datasets.at(0).summary;
  EXPECT_EQ(b.queries(), 4);
  EXPECT_EQ(b.distinct_users(), 2);
  ASSERT_EQ(b.top_users_size(), 2);
  EXPECT_EQ(b.top_users(0).user(), "urn:li:corpuser:bo");
  EXPECT_EQ(b.last_queried_micros(), kT0);
  EXPECT_TRUE(b.days().empty());  // a summary, not the whole aspect
  EXPECT_TRUE(b.columns().empty());
}

TEST_F(UsageRankingTest, OrdersByUsersOrRecencyAndFiltersByPlatform) {
  Query(kA, 5, "al", 1);
  Query(kB, 1, "al", 3);
  Query(kB, 1, "bo", 3);
  Query(kP, 1, "cy", 2);
  // Ties (a and p have one user each) go by URN: the postgres URN sorts first.
  EXPECT_THAT(Top(UsageOrder::kUsers), ElementsAre(kB.ToString(), kP.ToString(), kA.ToString()));
  EXPECT_THAT(Top(UsageOrder::kRecent), ElementsAre(kB.ToString(), kP.ToString(), kA.ToString()));
  EXPECT_THAT(Top(UsageOrder::kQueries, "trino"), ElementsAre(kA.ToString(), kB.ToString()));
  EXPECT_THAT(Top(UsageOrder::kQueries, "postgres"), ElementsAre(kP.ToString()));
  EXPECT_THAT(Top(UsageOrder::kQueries, "urn:li:dataPlatform:postgres"),
              ElementsAre(kP.ToString()));
  EXPECT_TRUE(Top(UsageOrder::kQueries, "snowflake").empty());
}

TEST_F(UsageRankingTest, SoftDeleteHidesRestoreShowsAndPurgeRemoves) {
  Query(kA, 3);
  Query(kB, 2);
  Query(kC, 1);
  ASSERT_OK(catalog_->SoftDelete(kA, {}));
  EXPECT_THAT(Top(), ElementsAre(kB.ToString(), kC.ToString()));
  auto first = TopDatasets(*catalog_, {.limit = 1});
  ASSERT_OK(first);
  EXPECT_EQ(first->datasets.at(0).urn, kB.ToString());
  EXPECT_FALSE(first->next_cursor.empty());

  auto status = std::make_unique<v1::Status>();
  std::vector<catalog::AspectWrite> restore;
  restore.push_back({kA, "status", std::move(status)});
  ASSERT_OK(catalog_->Write(std::move(restore), {}));
  EXPECT_THAT(Top(), ElementsAre(kA.ToString(), kB.ToString(), kC.ToString()));

  ASSERT_OK(catalog_->Purge(kB, {}));
  EXPECT_THAT(Top(), ElementsAre(kA.ToString(), kC.ToString()));
  EXPECT_EQ(RawEntries(), 12);  // none of b's entries is left behind
}

TEST_F(UsageRankingTest, PagesWithACursorOfTheSameOrderAndPlatform) {
  const std::vector<Urn> tables = {kA, kB, kC, Urn::Dataset("trino", "lake.s.d"),
                                   Urn::Dataset("trino", "lake.s.e")};
  for (size_t i = 0; i < tables.size(); ++i) Query(tables[i], 5 - static_cast<int>(i));
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = TopDatasets(*catalog_, {.limit = 2, .cursor = cursor});
    ASSERT_OK(page);
    EXPECT_EQ(page->first_rank, static_cast<int64_t>(seen.size()) + 1);
    for (const auto& d : page->datasets) seen.push_back(d.urn);
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), tables.size());
  for (size_t i = 0; i < tables.size(); ++i) EXPECT_EQ(seen[i], tables[i].ToString());

  auto first = TopDatasets(*catalog_, {.limit = 2});
  ASSERT_OK(first);
  EXPECT_THAT(TopDatasets(*catalog_,
                          {.order = UsageOrder::kUsers, .limit = 2, .cursor = first->next_cursor}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("another order")));
  EXPECT_THAT(
      TopDatasets(*catalog_, {.platform = "trino", .limit = 2, .cursor = first->next_cursor}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("platform")));
  EXPECT_THAT(TopDatasets(*catalog_, {.limit = 2, .cursor = "not-a-cursor!"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cursor")));
  EXPECT_THAT(TopDatasets(*catalog_, {.limit = 0}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
  EXPECT_THAT(TopDatasets(*catalog_, {.limit = kUsageTopMaxLimit + 1}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
  EXPECT_THAT(TopDatasets(*catalog_, {.platform = std::string("tri\0no", 6)}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("platform")));
  EXPECT_THAT(ParseUsageOrder("bogus"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("queries, users or recent")));
}

TEST_F(UsageRankingTest, UsageWrittenBeforeTheIndexIsBackfilledOnce) {
  EXPECT_TRUE(last_attach_.rebuilt);  // the empty store of SetUp was "built" too
  EXPECT_EQ(last_attach_.indexed, 0);
  // A store whose usage was written without the index: no hook, no meta key.
  catalog_.reset();
  store_ = storage::NewMemoryStore();
  auto plain = OpenCatalog(/*attach=*/false);
  Query(*plain, kA, 1, "al");
  Query(*plain, kB, 2, "al");
  // A leftover entry of an interrupted or older index must not survive a rebuild.
  storage::WriteBatch junk;
  junk.Put(storage::ColumnFamily::kIndex,
           storage::JoinKey({"usageRank.queries", "", "0000000000000000", kC.ToString()}), "");
  ASSERT_OK(store_->Write(junk));
  plain.reset();

  catalog_ = OpenCatalog(/*attach=*/true);
  EXPECT_TRUE(last_attach_.rebuilt);
  EXPECT_EQ(last_attach_.indexed, 2);
  EXPECT_THAT(Top(), ElementsAre(kB.ToString(), kA.ToString()));
  EXPECT_EQ(RawEntries(), 12);

  // Once built, the next start-up does not rebuild; writes keep it current.
  catalog_ = OpenCatalog(/*attach=*/true);
  EXPECT_FALSE(last_attach_.rebuilt);
  Query(kA, 2, "bo");
  EXPECT_THAT(Top(), ElementsAre(kA.ToString(), kB.ToString()));
}

TEST_F(UsageRankingTest, AttachNeedsTheUsageAspect) {
  auto catalog = catalog::CatalogService::Open(storage::NewMemoryStore(),
                                               catalog::AspectRegistry::WithCatalogAspects());
  ASSERT_OK(catalog);
  EXPECT_THAT(AttachUsageRanking(**catalog),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("datasetUsage")));
}

}  // namespace
}  // namespace tidemark::ingest
