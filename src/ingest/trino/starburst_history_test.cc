// StarburstHistoryIngestor against an in-memory catalog: DataHub's starburst-trino-usage fixture
// (../shared/fixtures) gives usage of the same URN the Trino event ingest writes, the row without
// a time is skipped with a reason, the row without accessed_metadata goes through the SQL parser,
// re-ingest changes nothing, malformed rows fail alone.
#include "ingest/trino/starburst_history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/testing/engine_catalog.h"
#include "ingest/trino/trino_event.h"
#include "ingest/usage/sql_parser_adapter.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tidemark/v1/ingest.pb.h"

namespace tidemark::ingest {
namespace {

namespace json = boost::json;
using common::Urn;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

const Urn kTestTable = Urn::Dataset("trino", "testcatalog.testschema.testtable");

std::string Fixture() {
  return testing::ReadFile(testing::FixturesDir() /
                           "trino/starburst-event-logger/usage_events_history.json");
}

int64_t Micros(const char* rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) << error;
  return absl::ToUnixMicros(t);
}

class StarburstHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(TestEngineCatalog engine, OpenTestEngineCatalog());
    catalog_ = std::move(engine.catalog);
    lineage_ = std::move(engine.lineage);
    ingestor_ = std::make_unique<StarburstHistoryIngestor>(
        *catalog_, StarburstHistoryOptions{.parser = MakeSqlLineageParser(catalog_.get())});
  }
  absl::StatusOr<StarburstHistoryResult> Ingest(const std::string& body, int64_t offset = 0) {
    return ingestor_->IngestJson(body, {.source = v1::TRINO}, offset);
  }
  std::shared_ptr<const v1::DatasetUsage> Usage(const Urn& urn) {
    auto v = catalog_->GetAspect(urn, "datasetUsage");
    return v.ok() ? std::dynamic_pointer_cast<const v1::DatasetUsage>(v->value) : nullptr;
  }
  static int64_t UserQueries(const v1::DatasetUsage& u, const std::string& user) {
    for (const auto& t : u.top_users()) {
      if (t.user() == user) return t.queries();
    }
    return 0;
  }
  static int64_t ColumnQueries(const v1::DatasetUsage& u, const std::string& column) {
    for (const auto& c : u.columns()) {
      if (c.field_path() == column) return c.queries();
    }
    return 0;
  }
  uint64_t LatestSeq() { return catalog_->ReadChanges(0, 1)->latest_seq; }

  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<lineage::LineageService> lineage_;
  std::unique_ptr<StarburstHistoryIngestor> ingestor_;
};

TEST_F(StarburstHistoryTest, FixtureRowsBecomeUsageAndTheRowWithoutATimeIsSkipped) {
  const std::string body = Fixture();
  ASSERT_FALSE(body.empty()) << "fixture not found under " << testing::FixturesDir();
  ASSERT_OK_AND_ASSIGN(StarburstHistoryResult r, Ingest(body));
  EXPECT_EQ(r.rows, 3);
  EXPECT_EQ(r.recorded, 2);
  EXPECT_EQ(r.from_sql, 1);  // the row whose accessed_metadata is null
  EXPECT_EQ(r.failed, 0) << (r.errors.empty() ? "" : r.errors[0].reason);
  EXPECT_EQ(r.skipped, 1);
  ASSERT_EQ(r.skipped_rows.size(), 1u);
  EXPECT_EQ(r.skipped_rows[0].index, 0);  // the first row has neither create_time nor end_time
  EXPECT_THAT(r.skipped_rows[0].reason, HasSubstr("no end_time or create_time"));
  EXPECT_EQ(r.written, 1);

  auto usage = Usage(kTestTable);
  ASSERT_NE(usage, nullptr);
  EXPECT_EQ(usage->queries(), 2);
  EXPECT_EQ(usage->writes(), 0);
  EXPECT_EQ(usage->distinct_users(), 2);
  EXPECT_EQ(UserQueries(*usage, "urn:li:corpuser:test-name"), 1);
  EXPECT_EQ(UserQueries(*usage, "urn:li:corpuser:test-name@acryl.io"), 1);
  // Columns come from accessed_metadata; `select *` over a table without a known schema names none.
  EXPECT_EQ(ColumnQueries(*usage, "column1"), 1);
  EXPECT_EQ(ColumnQueries(*usage, "column2"), 1);
  EXPECT_EQ(usage->last_queried_micros(), Micros("2021-10-14T09:40:55.214Z"));  // end_time
  ASSERT_EQ(usage->top_queries_size(), 1);
  EXPECT_EQ(usage->top_queries(0).queries(), 2);
}

TEST_F(StarburstHistoryTest, ReingestingTheSameRowsChangesNothing) {
  ASSERT_OK(Ingest(Fixture()));
  const uint64_t seq = LatestSeq();
  ASSERT_OK_AND_ASSIGN(StarburstHistoryResult again, Ingest(Fixture()));
  EXPECT_EQ(again.recorded, 2);
  EXPECT_EQ(again.written, 0);  // every query id was already counted: nothing even staged
  EXPECT_EQ(LatestSeq(), seq);
  EXPECT_EQ(Usage(kTestTable)->queries(), 2);
}

TEST_F(StarburstHistoryTest, NamesTablesAsTheTrinoEventIngestAndSharesItsQueryIds) {
  TrinoEventIngestor trino(*catalog_);
  ASSERT_OK(trino.IngestJson(R"({
      "metadata": {"queryId": "20211014_094053_00001_abcde", "query": "select column1 from t"},
      "context": {"user": "test-name"},
      "endTime": "2021-10-14T10:00:00Z",
      "ioMetadata": {"inputs": [{"catalogName": "testcatalog", "schema": "testschema",
                                 "table": "testtable", "columns": ["column1"]}]}})",
                             {.source = v1::TRINO}));
  ASSERT_EQ(Usage(kTestTable)->queries(), 1);
  // The same query in the history export (same query_id) is not counted twice; another one is.
  auto row = [](const char* id, const char* user, const char* column, const char* end) {
    json::array inputs{json::object{{"catalogName", "testcatalog"},
                                    {"schema", "testschema"},
                                    {"table", "testtable"},
                                    {"columns", json::array{column}}}};
    return json::object{
        {"query_id", id},
        {"usr", user},
        {"query", absl::StrCat("select ", column, " from t")},
        {"accessed_metadata", json::serialize(inputs)},  // JSON-encoded, as exported
        {"end_time", end}};
  };
  ASSERT_OK_AND_ASSIGN(
      StarburstHistoryResult r,
      Ingest(json::serialize(json::array{
          row("20211014_094053_00001_abcde", "test-name", "column1", "2021-10-14 10:00:00 UTC"),
          row("20211014_094053_00002_abcde", "other", "column2", "2021-10-14 10:05:00 UTC")})));
  EXPECT_EQ(r.recorded, 2);
  auto usage = Usage(kTestTable);
  EXPECT_EQ(usage->queries(), 2);
  EXPECT_EQ(usage->distinct_users(), 2);
  EXPECT_EQ(ColumnQueries(*usage, "column2"), 1);
}

TEST_F(StarburstHistoryTest, SqlFallbackUsesTheRowsCatalogAndSchema) {
  ASSERT_OK_AND_ASSIGN(StarburstHistoryResult r, Ingest(R"([
      {"usr": "al", "query": "SELECT a, b FROM t WHERE c > 1", "catalog": "lake", "schema": "s",
       "accessed_metadata": null, "create_time": "2024-05-01 10:00:00 UTC"},
      {"usr": "al", "query": "INSERT INTO lake.s.out SELECT a FROM lake.s.t",
       "accessed_metadata": "", "end_time": "2024-05-01T10:05:00Z"},
      {"usr": "al", "query": "SET SESSION x = 1", "end_time": "2024-05-01 10:06:00 UTC"}])"));
  EXPECT_EQ(r.recorded, 2);
  EXPECT_EQ(r.from_sql, 2);
  EXPECT_EQ(r.skipped, 1);
  ASSERT_EQ(r.skipped_rows.size(), 1u);
  EXPECT_EQ(r.skipped_rows[0].index, 2);
  EXPECT_THAT(r.skipped_rows[0].reason, HasSubstr("no table"));
  auto t = Usage(Urn::Dataset("trino", "lake.s.t"));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->queries(), 2);
  EXPECT_GE(ColumnQueries(*t, "a"), 1);
  auto out = Usage(Urn::Dataset("trino", "lake.s.out"));
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->writes(), 1);
  // A usage source only: no lineage from the history.
  EXPECT_FALSE(catalog_->GetAspect(Urn::Dataset("trino", "lake.s.out"), "upstreamLineage").ok());
}

TEST_F(StarburstHistoryTest, MalformedRowsFailAloneWithTheirIndex) {
  ASSERT_OK_AND_ASSIGN(StarburstHistoryResult r, Ingest(R"([
      "not a row",
      {"usr": "al", "accessed_metadata": "[{not json", "end_time": "2024-05-01 10:00:00 UTC"},
      {"usr": "al", "accessed_metadata": "[{\"catalogName\":\"c\",\"schema\":\"s\"}]",
       "end_time": "2024-05-01 10:00:00 UTC"},
      {"usr": "al", "accessed_metadata": "[]", "end_time": "yesterday"},
      {"usr": 42, "accessed_metadata": "[]", "end_time": "2024-05-01 10:00:00 UTC"},
      {"usr": "al", "query": "SELEKT (((", "end_time": "2024-05-01 10:00:00 UTC"},
      {"usr": "al", "end_time": "2024-05-01 10:00:00 UTC",
       "accessed_metadata": "[{\"catalogName\":\"c\",\"schema\":\"s\",\"table\":\"t\"}]"}])",
                                                        /*offset=*/100));
  EXPECT_EQ(r.rows, 7);
  EXPECT_EQ(r.recorded, 1);
  EXPECT_EQ(r.failed, 6);
  ASSERT_EQ(r.errors.size(), 6u);
  EXPECT_EQ(r.errors[0].index, 100);
  EXPECT_THAT(r.errors[1].reason, HasSubstr("accessed_metadata"));
  EXPECT_THAT(r.errors[2].reason, HasSubstr("table"));
  EXPECT_THAT(r.errors[3].reason, HasSubstr("end_time"));
  EXPECT_THAT(r.errors[4].reason, HasSubstr("usr"));
  EXPECT_EQ(r.errors[5].index, 105);
  EXPECT_EQ(Usage(Urn::Dataset("trino", "c.s.t"))->queries(), 1);
}

TEST_F(StarburstHistoryTest, BodiesThatAreNotRowsAreRefusedWithNothingWritten) {
  EXPECT_THAT(Ingest("{\"queries\": []}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("array of rows")));
  EXPECT_THAT(Ingest("[{"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("JSON")));
  ASSERT_OK_AND_ASSIGN(StarburstHistoryResult empty, Ingest("{\"rows\": []}"));
  EXPECT_EQ(empty.rows, 0);
  EXPECT_EQ(LatestSeq(), 0u);
}

TEST(StarburstTimeTest, ParsesTheEventLoggerFormatAndRfc3339) {
  const int64_t t = Micros("2021-10-14T09:40:53.108Z");
  const struct {
    const char* text;
    int64_t want;
  } cases[] = {
      {"2021-10-14 09:40:53.108000 UTC", t}, {" 2021-10-14 09:40:53.108 UTC ", t},
      {"2021-10-14T09:40:53.108Z", t},       {"2021-10-14 09:40:53.108", t},  // no zone: UTC
      {"2021-10-14 11:40:53.108+02:00", t},  {"2021-10-14T11:40:53.108+02:00", t},
  };
  for (const auto& c : cases) {
    auto got = ParseStarburstTime(c.text);
    ASSERT_OK(got);
    EXPECT_EQ(*got, c.want) << c.text;
  }
  for (const char* bad : {"", "yesterday", "2021-10-14 09:40:53 PST", "2021-13-14 09:40:53 UTC"}) {
    EXPECT_THAT(ParseStarburstTime(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not a time")))
        << bad;
  }
}

}  // namespace
}  // namespace tidemark::ingest
