// The lineage routes over real HTTP (ServerFixture: App on RocksDB, ephemeral port): traversal,
// paths, impact with owners, Marquez reads, as-of queries and bad parameters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/server_fixture.h"

namespace tidemark {
namespace {

using ::testing::HasSubstr;
namespace json = boost::json;

const std::string kA = "urn:li:dataset:(urn:li:dataPlatform:trino,lake.a,PROD)";
const std::string kB = "urn:li:dataset:(urn:li:dataPlatform:trino,lake.b,PROD)";
const std::string kC = "urn:li:dataset:(urn:li:dataPlatform:trino,lake.c,PROD)";
std::string Field(const std::string& dataset, const std::string& field) {
  return "urn:li:schemaField:(" + dataset + "," + field + ")";
}

class ServerLineageTest : public testing::ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    Put(kB, "upstreamLineage",
        R"({"upstreams":[{"dataset":")" + kA + R"(","type":"TRANSFORMED"}],
            "fineGrainedLineages":[{"upstreams":[")" +
            Field(kA, "amount") + R"("],"downstreams":[")" + Field(kB, "total") +
            R"("],"transformationType":"AGGREGATION","subtypes":["GROUP_BY"]}]})");
    Put(kC, "upstreamLineage",
        R"({"upstreams":[{"dataset":")" + kB + R"("}],"fineGrainedLineages":[{"upstreams":[")" +
            Field(kB, "total") + R"("],"downstreams":[")" + Field(kC, "total") +
            R"("],"transformationType":"IDENTITY"}]})");
    Put(kB, "ownership",
        R"({"owners":[{"owner":"urn:li:corpuser:bob","type":"TECHNICAL_OWNER"}]})");
  }
  void Put(const std::string& urn, const std::string& aspect, const std::string& body) {
    auto r = Call("PUT", "/api/v1/entities/" + Encode(urn) + "/aspects/" + aspect, body, "alice",
                  {{"X-Tidemark-Source", "trino"}, {"X-Tidemark-Run-Id", "run-7"}});
    ASSERT_TRUE(r.status == 200 || r.status == 201) << r.body;
  }
  void ExpectError(const server::HttpResponse& r, int status, const std::string& part) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_THAT(r.body, HasSubstr(part));
  }
  std::string Lineage(const std::string& urn, const std::string& query = "") {
    return "/api/v1/lineage/" + Encode(urn) + query;
  }
};

TEST_F(ServerLineageTest, TraversalReturnsHopsEdgesAndProvenance) {
  auto r = Call("GET", Lineage(kA, "?direction=downstream"));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = Json(r);
  EXPECT_EQ(v.at("root").as_string(), kA);
  EXPECT_EQ(v.at("direction").as_string(), "downstream");
  ASSERT_EQ(v.at("nodes").as_array().size(), 3u);
  EXPECT_EQ(v.at("nodes").at(2).at("urn").as_string(), kC);
  EXPECT_EQ(v.at("nodes").at(2).at("hops").as_int64(), 2);
  EXPECT_EQ(v.at("nodes").at(1).at("platform").as_string(), "trino");
  ASSERT_EQ(v.at("edges").as_array().size(), 2u);
  const json::value& e = v.at("edges").at(0);
  EXPECT_EQ(e.at("kind").as_string(), "DATASET_TO_DATASET");
  EXPECT_EQ(e.at("provenance").at("source").as_string(), "trino");
  EXPECT_EQ(e.at("provenance").at("runId").as_string(), "run-7");
  EXPECT_FALSE(v.at("truncated").as_bool());

  auto depth1 = Json(Call("GET", Lineage(kA, "?depth=1")));
  EXPECT_EQ(depth1.at("nodes").as_array().size(), 2u);
  auto capped = Json(Call("GET", Lineage(kA, "?max_nodes=2")));
  EXPECT_TRUE(capped.at("truncated").as_bool());
  auto up = Json(Call("GET", Lineage(kC, "?direction=upstream&platform=trino&type=dataset")));
  EXPECT_EQ(up.at("nodes").as_array().size(), 3u);

  auto columns = Json(Call("GET", Lineage(Field(kA, "amount"))));
  EXPECT_EQ(columns.at("level").as_string(), "column");
  ASSERT_EQ(columns.at("edges").as_array().size(), 2u);
  EXPECT_EQ(columns.at("edges").at(0).at("transformation").at("type").as_string(), "AGGREGATION");
  EXPECT_EQ(columns.at("edges").at(0).at("transformation").at("subtypes").at(0).as_string(),
            "GROUP_BY");
}

TEST_F(ServerLineageTest, AsOfQueriesSeeReplacedEdges) {
  const int64_t before_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Put(kC, "upstreamLineage", R"({"upstreams":[]})");
  EXPECT_EQ(Json(Call("GET", Lineage(kA))).at("nodes").as_array().size(), 2u);
  auto past = Json(Call("GET", Lineage(kA, "?at=" + std::to_string(before_ms))));
  EXPECT_EQ(past.at("nodes").as_array().size(), 3u);
  auto long_ago = Call("GET", Lineage(kA, "?at=2001-01-01T00:00:00Z"));
  ASSERT_EQ(long_ago.status, 200) << long_ago.body;
  EXPECT_EQ(Json(long_ago).at("nodes").as_array().size(), 1u);
}

TEST_F(ServerLineageTest, BadParametersAre400AndUnknownEntitiesAre404) {
  ExpectError(Call("GET", Lineage(kA, "?depth=abc")), 400, "depth");
  ExpectError(Call("GET", Lineage(kA, "?direction=sideways")), 400, "direction");
  ExpectError(Call("GET", Lineage(kA, "?level=table")), 400, "level");
  ExpectError(Call("GET", Lineage(kA, "?max_nodes=0")), 400, "max_nodes");
  ExpectError(Call("GET", Lineage(kA, "?at=yesterday")), 400, "at");
  ExpectError(Call("GET", Lineage("urn:li:dataset:(trino,x)")), 400, "invalid_argument");
  ExpectError(Call("GET", Lineage("urn:li:dataset:(trino,lake.nope,PROD)")), 404, "not_found");
  ExpectError(Call("GET", "/api/v1/lineage/path?to=" + Encode(kC)), 400, "from");
  ExpectError(
      Call("GET", "/api/v1/lineage/path?from=" + Encode(kA) + "&to=" + Encode(kC) + "&all=maybe"),
      400, "all");
  ExpectError(Call("GET", "/api/v1/impact/" + Encode(kA) + "?depth=x"), 400, "depth");
  ExpectError(Call("GET", "/api/v1/impact/" + Encode("urn:li:dataset:(trino,zz,PROD)")), 404,
              "not_found");
  ExpectError(Call("GET", "/api/v1/lineage?nodeId=table:x:y"), 400, "nodeId");
  ExpectError(Call("GET", "/api/v1/lineage"), 400, "nodeId");
  ExpectError(Call("GET", "/api/v1/lineage?nodeId=dataset:trino:lake.nope"), 404, "not_found");
  ExpectError(Call("GET", "/api/v1/column-lineage?nodeId=datasetField:trino:lake.b:total&depth=-3"),
              400, "depth");
}

TEST_F(ServerLineageTest, PathsShortestAllAndNone) {
  auto r = Call("GET", "/api/v1/lineage/path?from=" + Encode(kA) + "&to=" + Encode(kC));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = Json(r);
  EXPECT_TRUE(v.at("found").as_bool());
  ASSERT_EQ(v.at("paths").as_array().size(), 1u);
  EXPECT_EQ(v.at("paths").at(0).at("length").as_int64(), 2);
  EXPECT_EQ(v.at("paths").at(0).at("nodes").at(1).as_string(), kB);
  auto all = Json(Call("GET", "/api/v1/lineage/path?from=" + Encode(kA) + "&to=" + Encode(kC) +
                                  "&all=true&max_paths=5"));
  EXPECT_TRUE(all.at("complete").as_bool());
  auto none = Json(Call("GET", "/api/v1/lineage/path?from=" + Encode(kC) + "&to=" + Encode(kA)));
  EXPECT_FALSE(none.at("found").as_bool());
  EXPECT_THAT(std::string(none.at("message").as_string()), HasSubstr("no path"));
}

TEST_F(ServerLineageTest, ImpactGroupsByHopWithOwners) {
  auto r = Call("GET", "/api/v1/impact/" + Encode(kA));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = Json(r);
  ASSERT_EQ(v.at("levels").as_array().size(), 2u);
  EXPECT_EQ(v.at("levels").at(0).at("hops").as_int64(), 1);
  bool saw_owner = false;
  for (const auto& node : v.at("levels").at(0).at("nodes").as_array()) {
    if (node.at("urn").as_string() == kB) {
      EXPECT_EQ(node.at("owners").at(0).at("owner").as_string(), "urn:li:corpuser:bob");
      saw_owner = true;
    }
  }
  EXPECT_TRUE(saw_owner) << r.body;
  EXPECT_EQ(v.at("total").as_int64(), 4);  // b, b.total, c, c.total
}

TEST_F(ServerLineageTest, MarquezGraphs) {
  auto r = Call("GET", "/api/v1/lineage?nodeId=dataset:trino:lake.b&depth=5");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = Json(r);
  ASSERT_EQ(v.at("graph").as_array().size(), 3u);
  const json::value& a = v.at("graph").at(0);
  EXPECT_EQ(a.at("id").as_string(), "dataset:trino:lake.a");
  EXPECT_EQ(a.at("type").as_string(), "DATASET");
  EXPECT_EQ(a.at("outEdges").at(0).at("destination").as_string(), "dataset:trino:lake.b");
  EXPECT_EQ(a.at("data").at("namespace").as_string(), "trino");

  auto columns = Json(Call(
      "GET", "/api/v1/column-lineage?nodeId=datasetField:trino:lake.b:total&withDownstream=true"));
  ASSERT_EQ(columns.at("graph").as_array().size(), 3u) << json::serialize(columns);
  const json::value& b = columns.at("graph").at(1);
  EXPECT_EQ(b.at("id").as_string(), "datasetField:trino:lake.b:total");
  EXPECT_EQ(b.at("type").as_string(), "DATASET_FIELD");
  EXPECT_EQ(b.at("data").at("inputFields").at(0).at("field").as_string(), "amount");
  EXPECT_EQ(b.at("data").at("inputFields").at(0).at("transformationType").as_string(),
            "AGGREGATION");
  auto upstream_only =
      Json(Call("GET", "/api/v1/column-lineage?nodeId=datasetField:trino:lake.b:total"));
  EXPECT_EQ(upstream_only.at("graph").as_array().size(), 2u);
}

}  // namespace
}  // namespace tidemark
