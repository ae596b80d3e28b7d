// POST /api/v1/ingest/trino/query-completed and /api/v1/ingest/query-log over real HTTP
// (ServerFixture): Trino's HTTP event listener events give table and column lineage and usage,
// re-delivery counts nothing twice, query logs survive bad records, bad events get a 400.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/testing/server_fixture.h"

namespace tidemark {
namespace {

using ::testing::HasSubstr;
namespace json = boost::json;
namespace fs = std::filesystem;

using testing::ReadFile;

std::string Event(const std::string& name) {
  return ReadFile(testing::FixturesDir() / "trino/http-event-listener" / name);
}
std::string Trino(const std::string& table) {
  return "urn:li:dataset:(urn:li:dataPlatform:trino," + table + ",PROD)";
}
// Protobuf's JSON mapping prints int64 fields as strings.
int64_t Int(const json::value& v) {
  if (v.is_string()) return std::stoll(std::string(v.as_string()));
  return v.to_number<int64_t>();
}
std::string Field(const std::string& dataset, const std::string& field) {
  return "urn:li:schemaField:(" + dataset + "," + field + ")";
}

class TrinoIngestTest : public testing::ServerFixture {
 protected:
  server::HttpResponse Post(const std::string& body) {
    return Call("POST", "/api/v1/ingest/trino/query-completed", body, "trino");
  }
  void ExpectError(const server::HttpResponse& r, int status, const std::string& part) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_THAT(r.body, HasSubstr(part));
  }
};

TEST_F(TrinoIngestTest, InsertSelectGivesColumnLineageAndUsage) {
  auto r = Post(Event("query_completed_insert_select.json"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string t = Trino("hive.s.t"), t1 = Trino("hive.s.t1");
  json::value up = AspectValue(t1, "upstreamLineage");
  ASSERT_EQ(up.at("upstreams").as_array().size(), 1u);
  EXPECT_EQ(up.at("upstreams").at(0).at("dataset").as_string(), t);
  EXPECT_EQ(up.at("upstreams").at(0).at("provenance").at("source").as_string(), "TRINO");
  EXPECT_EQ(up.at("upstreams").at(0).at("provenance").at("runId").as_string(),
            "20220526_123942_00021_m36ez");
  const auto& fgs = up.at("fineGrainedLineages").as_array();
  ASSERT_EQ(fgs.size(), 2u);  // page_url and country; count(*) has no source column
  EXPECT_EQ(fgs.at(0).at("downstreams").at(0).as_string(), Field(t1, "country"));
  EXPECT_EQ(fgs.at(0).at("upstreams").at(0).as_string(), Field(t, "country"));

  json::value usage = AspectValue(t, "datasetUsage");
  EXPECT_EQ(Int(usage.at("queries")), 1);
  EXPECT_EQ(Int(usage.at("distinctUsers")), 1);
  EXPECT_EQ(usage.at("topUsers").at(0).at("user").as_string(), "urn:li:corpuser:root");
  EXPECT_EQ(usage.at("columns").as_array().size(), 2u);
  EXPECT_THAT(std::string(usage.at("topQueries").at(0).at("example").as_string()),
              HasSubstr("insert into hive.s.t1"));
  EXPECT_EQ(Int(AspectValue(t1, "datasetUsage").at("writes")), 1);

  // Re-delivery: nothing new, usage not counted twice.
  const uint64_t seq = LatestSeq();
  auto again = Post(Event("query_completed_insert_select.json"));
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(LatestSeq(), seq);
}

TEST_F(TrinoIngestTest, BatchOfAllFixturesAndSelectUsage) {
  const std::string batch = "[" + Event("query_completed_select.json") + "," +
                            Event("query_completed_insert_values.json") + "," +
                            Event("query_completed_insert_select.json") + "]";
  auto r = Post(batch);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r).at("events").as_int64(), 3);
  json::value usage = AspectValue(Trino("postgresql.test-schema.test-table-1"), "datasetUsage");
  EXPECT_EQ(Int(usage.at("queries")), 1);
  EXPECT_EQ(usage.at("topUsers").at(0).at("user").as_string(), "urn:li:corpuser:test-user");
  EXPECT_EQ(Int(usage.at("lastQueriedMicros")), 1626773734000000);  // epoch-second endTime
  // hive.s.t was written by one query and read by another.
  json::value t = AspectValue(Trino("hive.s.t"), "datasetUsage");
  EXPECT_EQ(Int(t.at("queries")), 2);
  EXPECT_EQ(Int(t.at("writes")), 1);
}

TEST_F(TrinoIngestTest, BadEventsGet400AndWriteNothing) {
  const std::string good = Event("query_completed_insert_select.json");
  ExpectError(Post(good.substr(0, good.size() / 3)), 400, "invalid JSON");
  ExpectError(Post(R"({"context":{"user":"u"},"createTime":1})"), 400, "metadata: required");
  ExpectError(Post(R"({"metadata":{"queryId":7},"context":{"user":"u"},"createTime":1})"), 400,
              "metadata.queryId: expected a string");
  ExpectError(Post(R"({"metadata":{"queryId":"q"},"context":{"user":"u"},"endTime":"soon"})"), 400,
              "endTime");
  ExpectError(Post(R"({"metadata":{"queryId":"q"},"context":{"user":"u"},"endTime":1,
                       "ioMetadata":{"inputs":[{"catalogName":"c","schema":"s","table":")" +
                   std::string(10000, 't') + R"("}]}})"),
              400, "longer than");
  ExpectError(Post("[" + good + R"(,{"metadata":{"queryId":"q"}}])"), 400, "events[1].context");
  EXPECT_EQ(LatestSeq(), 0u);
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
}

TEST_F(TrinoIngestTest, QueryLogBatchReportsEachBadRecordAndKeepsTheRest) {
  auto r = Call("POST", "/api/v1/ingest/query-log", R"({"queries":[
      {"sql":"INSERT INTO lake.s.daily SELECT id, amount FROM lake.s.orders","user":"alice",
       "timestamp":"2024-05-01T10:00:00Z"},
      {"sql":"SELECT id FROM orders","user":"bob","timestamp":1714557600,
       "default_catalog":"lake","default_schema":"s"},
      {"sql":"SELEKT (((","user":"carol"},
      {"sql":["not text"]},
      {"sql":"SET SESSION a = 1"}]})",
                "cli");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = Json(r);
  EXPECT_EQ(v.at("parsed").as_int64(), 2);
  EXPECT_EQ(v.at("failed").as_int64(), 2);
  EXPECT_EQ(v.at("skipped").as_int64(), 1);
  EXPECT_EQ(v.at("errors").at(0).at("index").as_int64(), 2);
  json::value up = AspectValue(Trino("lake.s.daily"), "upstreamLineage");
  EXPECT_EQ(up.at("upstreams").at(0).at("dataset").as_string(), Trino("lake.s.orders"));
  EXPECT_EQ(Int(AspectValue(Trino("lake.s.orders"), "datasetUsage").at("queries")), 2);
  ExpectError(Call("POST", "/api/v1/ingest/query-log", R"({"queries":5})"), 400, "queries");
}

}  // namespace
}  // namespace tidemark
