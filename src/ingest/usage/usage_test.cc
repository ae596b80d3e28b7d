// Usage statistics (window, de-duplication, summaries) and query-log ingestion through the real SQL
// parser into an in-memory catalog with the lineage hooks attached.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalog/catalog_service.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/testing/engine_catalog.h"
#include "ingest/usage/query_log.h"
#include "ingest/usage/sql_parser_adapter.h"
#include "ingest/usage/usage_update.h"
#include "lineage/dataset_aliases.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "tests/testing/status_matchers.h"
#include "tidemark/v1/ingest.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;
constexpr int64_t kDay = 86'400'000'000;
const int64_t kT0 = 20000 * kDay;  // 2024-10-04

QueryUsage Query(std::string id, std::string user, int64_t time, std::string sql) {
  QueryUsage q;
  q.query_id = std::move(id);
  q.user = std::move(user);
  q.time_micros = time;
  q.sql = std::move(sql);
  return q;
}

TEST(UsageTest, CountsDaysUsersShapesAndColumnsWithinTheWindow) {
  const Urn t = Urn::Dataset("trino", "lake.s.t");
  v1::DatasetUsage u;
  DatasetAccess read{t, {"a", "b"}, false};
  EXPECT_TRUE(
      ApplyUsage(Query("1", "urn:li:corpuser:al", kT0, "SELECT a FROM t WHERE x = 1"), read, u));
  EXPECT_TRUE(
      ApplyUsage(Query("2", "urn:li:corpuser:al", kT0 + 10, "select a from t where x=2"), read, u));
  EXPECT_TRUE(ApplyUsage(Query("3", "urn:li:corpuser:bo", kT0 + kDay, "SELECT b FROM t"),
                         {t, {"b"}, false}, u));
  EXPECT_FALSE(ApplyUsage(Query("3", "urn:li:corpuser:bo", kT0 + kDay, "SELECT b FROM t"),
                          {t, {"b"}, false}, u));  // re-delivered
  EXPECT_EQ(u.queries(), 3);
  EXPECT_EQ(u.distinct_users(), 2);
  ASSERT_EQ(u.top_users_size(), 2);
  EXPECT_EQ(u.top_users(0).user(), "urn:li:corpuser:al");
  EXPECT_EQ(u.top_users(0).queries(), 2);
  ASSERT_EQ(u.top_queries_size(), 2);
  EXPECT_EQ(u.top_queries(0).queries(), 2);  // both literals variants share a shape
  ASSERT_EQ(u.columns_size(), 2);
  EXPECT_EQ(u.columns(0).field_path(), "b");
  EXPECT_EQ(u.columns(0).queries(), 3);
  EXPECT_EQ(u.days_size(), 2);
  EXPECT_EQ(u.last_queried_micros(), kT0 + kDay);

  // 40 days later the old days fall out of the window.
  EXPECT_TRUE(ApplyUsage(Query("4", "urn:li:corpuser:cy", kT0 + 40 * kDay, "SELECT 1 FROM t"),
                         {t, {}, true}, u));
  EXPECT_EQ(u.queries(), 1);
  EXPECT_EQ(u.writes(), 1);
  EXPECT_EQ(u.distinct_users(), 1);
  EXPECT_EQ(u.days_size(), 1);
  EXPECT_EQ(u.top_queries_size(), 1);
  EXPECT_TRUE(u.columns().empty());
}

class QueryLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(TestEngineCatalog engine, OpenTestEngineCatalog());
    catalog_ = std::move(engine.catalog);
    lineage_ = std::move(engine.lineage);
  }
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<lineage::LineageService> lineage_;
};

TEST_F(QueryLogTest, BadRecordsAreCountedAndTheRestIsWritten) {
  QueryLogIngestor ingestor(*catalog_, {.parser = MakeSqlLineageParser(catalog_.get())});
  const std::string body = R"({"queries":[
    {"sql":"INSERT INTO lake.s.daily SELECT id, sum(amount) AS total FROM lake.s.orders GROUP BY id",
     "user":"alice","timestamp":"2024-05-01T10:00:00Z"},
    {"sql":"SELECT id FROM orders","user":"bob","timestamp":1714557600,
     "default_catalog":"lake","default_schema":"s"},
    {"sql":"SELEKT broken (((","user":"carol"},
    {"sql":42},
    "not an object",
    {"sql":"SET SESSION x = 1"},
    {"sql":""}
  ]})";
  ASSERT_OK_AND_ASSIGN(QueryLogResult r, ingestor.IngestJson(body, {.source = v1::SQL}));
  EXPECT_EQ(r.parsed, 2);
  EXPECT_EQ(r.failed + r.skipped, 5);
  EXPECT_GE(r.failed, 3);
  EXPECT_GT(r.written, 0);
  const Urn daily = Urn::Dataset("trino", "lake.s.daily");
  const Urn orders = Urn::Dataset("trino", "lake.s.orders");
  auto up = catalog_->GetAspect(daily, "upstreamLineage");
  ASSERT_OK(up);
  const auto& lineage = dynamic_cast<const v1::UpstreamLineage&>(*up->value);
  ASSERT_EQ(lineage.upstreams_size(), 1);
  EXPECT_EQ(lineage.upstreams(0).dataset(), orders.ToString());
  EXPECT_EQ(lineage.upstreams(0).provenance().source(), v1::SQL);
  EXPECT_FALSE(lineage.fine_grained_lineages().empty());
  auto usage = catalog_->GetAspect(orders, "datasetUsage");
  ASSERT_OK(usage);
  const auto& u = dynamic_cast<const v1::DatasetUsage&>(*usage->value);
  EXPECT_EQ(u.queries(), 2);
  EXPECT_EQ(u.distinct_users(), 2);

  // The same log again changes nothing.
  ASSERT_OK_AND_ASSIGN(QueryLogResult again, ingestor.IngestJson(body, {.source = v1::SQL}));
  EXPECT_EQ(again.written, 0);
}

TEST_F(QueryLogTest, AliasedTablesResolveToTheirCanonicalUrns) {
  const Urn alias = Urn::Dataset("trino", "pg.public.users");
  const Urn canonical = Urn::Dataset("postgres", "app.public.users");
  ASSERT_OK_AND_ASSIGN(
      lineage::DatasetAliases aliases,
      lineage::DatasetAliases::FromPairs({{alias.ToString(), canonical.ToString()}}));
  lineage::DatasetAliases::SetGlobal(
      std::make_shared<const lineage::DatasetAliases>(std::move(aliases)));
  QueryLogIngestor ingestor(*catalog_, {.parser = MakeSqlLineageParser(catalog_.get())});
  const absl::Status ingested =
      ingestor
          .IngestJson(R"([{"sql":"INSERT INTO lake.s.emails SELECT id, email FROM pg.public.users",
                          "user":"alice","timestamp":"2024-05-01T10:00:00Z"}])",
                      {.source = v1::SQL})
          .status();
  lineage::DatasetAliases::SetGlobal(nullptr);
  ASSERT_OK(ingested);
  auto up = catalog_->GetAspect(Urn::Dataset("trino", "lake.s.emails"), "upstreamLineage");
  ASSERT_OK(up);
  const auto& lineage = dynamic_cast<const v1::UpstreamLineage&>(*up->value);
  ASSERT_EQ(lineage.upstreams_size(), 1);
  EXPECT_EQ(lineage.upstreams(0).dataset(), canonical.ToString());
  for (const auto& fg : lineage.fine_grained_lineages()) {
    for (const auto& field : fg.upstreams()) {
      EXPECT_THAT(field, ::testing::HasSubstr(canonical.ToString()));
    }
  }
  EXPECT_OK(catalog_->GetAspect(canonical, "datasetUsage").status());
  EXPECT_FALSE(catalog_->GetAspect(alias, "datasetUsage").ok());
}

TEST_F(QueryLogTest, WithoutAParserEveryRecordFailsWithAClearMessage) {
  QueryLogIngestor ingestor(*catalog_, {});
  ASSERT_OK_AND_ASSIGN(QueryLogResult r,
                       ingestor.IngestJson(R"([{"sql":"SELECT 1 FROM t"}])", {.source = v1::SQL}));
  EXPECT_EQ(r.failed, 1);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0].message, ::testing::HasSubstr("no SQL parser"));
}

}  // namespace
}  // namespace tidemark::ingest
