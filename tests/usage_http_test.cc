// Usage over real HTTP (ServerFixture): GET /api/v1/usage/top ranks what Trino events and query
// logs recorded, pages with a cursor, refuses bad parameters with 400, hides soft-deleted
// datasets, and ranks usage written before the index existed once the server restarts; the
// Starburst event-logger export goes through `tidemark ingest starburst-history` as one ingest run
// and `tidemark usage top` prints the ranking.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "catalog/catalog_service.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/usage/usage_ranking.h"
#include "ingest/usage/usage_update.h"
#include "storage/key_codec.h"
#include "storage/kv_store.h"
#include "tests/testing/server_fixture.h"
#include "tools/cli_usage.h"
#include "tools/cli_usage_starburst.h"

namespace tidemark {
namespace {

using ::testing::HasSubstr;
namespace json = boost::json;
namespace fs = std::filesystem;

using testing::ReadFile;

fs::path StarburstFixture() {
  return testing::FixturesDir() / "trino/starburst-event-logger/usage_events_history.json";
}
std::string Trino(const std::string& table) {
  return "urn:li:dataset:(urn:li:dataPlatform:trino," + table + ",PROD)";
}
int64_t Int(const json::value& v) {
  if (v.is_string()) return std::stoll(std::string(v.as_string()));
  return v.to_number<int64_t>();
}

class UsageHttpTest : public testing::ServerFixture {
 protected:
  // One query-log record per (table, user), each a distinct query at `day` of May 2024.
  void Log(const std::string& table, const std::vector<std::string>& users, int day) {
    json::array queries;
    for (size_t i = 0; i < users.size(); ++i) {
      queries.push_back(json::object{
          {"sql", "SELECT id FROM " + table},
          {"user", users[i]},
          {"timestamp", absl::StrCat("2024-05-", day < 10 ? "0" : "", day, "T10:0", i, ":00Z")}});
    }
    auto r = Call("POST", "/api/v1/ingest/query-log",
                  json::serialize(json::object{{"queries", std::move(queries)}}), "cli");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(Json(r).at("parsed").as_int64(), static_cast<int64_t>(users.size())) << r.body;
  }
  json::value Top(const std::string& query = "") {
    auto r = Call("GET", "/api/v1/usage/top" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }
  static std::vector<std::string> Urns(const json::value& answer) {
    std::vector<std::string> urns;
    for (const auto& d : answer.at("datasets").as_array())
      urns.emplace_back(d.at("urn").as_string());
    return urns;
  }
  void ExpectBadRequest(const std::string& query, const std::string& names) {
    auto r = Call("GET", "/api/v1/usage/top" + query);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_THAT(r.body, HasSubstr("invalid_argument")) << query;
    EXPECT_THAT(r.body, HasSubstr(names)) << query;
  }
  json::array Runs() {
    return Json(Call("GET", "/api/v1/ingest/runs?source=trino")).at("runs").as_array();
  }
};

TEST_F(UsageHttpTest, RanksIngestedUsageWithPagingAndRefusesBadParameters) {
  // Trino event: test-table-1 and -2 (postgresql catalog), one query by test-user in July 2021.
  auto trino = Call(
      "POST", "/api/v1/ingest/trino/query-completed",
      ReadFile(testing::FixturesDir() / "trino/http-event-listener/query_completed_select.json"),
      "trino");
  ASSERT_EQ(trino.status, 201) << trino.body;
  Log("lake.s.orders", {"al", "bo", "cy"}, 1);
  Log("lake.s.users", {"al", "al"}, 2);
  Log("lake.s.items", {"bo"}, 9);
  const std::string orders = Trino("lake.s.orders"), users = Trino("lake.s.users"),
                    items = Trino("lake.s.items"),
                    t1 = Trino("postgresql.test-schema.test-table-1"),
                    t2 = Trino("postgresql.test-schema.test-table-2");

  json::value top = Top();
  EXPECT_EQ(top.at("order").as_string(), "queries");
  // Ties (one query each) go by URN: lake.s.items sorts before the postgresql catalog's tables.
  ASSERT_THAT(Urns(top), ::testing::ElementsAre(orders, users, items, t1, t2)) << top;
  const json::value& first = top.at("datasets").at(0);
  EXPECT_EQ(first.at("rank").as_int64(), 1);
  EXPECT_EQ(first.at("queries").as_int64(), 3);
  EXPECT_EQ(first.at("distinctUsers").as_int64(), 3);
  EXPECT_EQ(first.at("platform").as_string(), "trino");
  EXPECT_EQ(first.at("name").as_string(), "lake.s.orders");
  EXPECT_EQ(first.at("lastQueried").as_string(), "2024-05-01T10:02:00.000Z");
  EXPECT_EQ(first.at("topUsers").as_array().size(), 3u);
  EXPECT_FALSE(top.as_object().contains("nextCursor"));

  EXPECT_EQ(Urns(Top("?order=users")).at(0), orders);
  EXPECT_THAT(Urns(Top("?order=recent")), ::testing::ElementsAre(items, users, orders, t1, t2));
  EXPECT_TRUE(Urns(Top("?platform=postgres")).empty());
  EXPECT_EQ(Urns(Top("?platform=trino&limit=1")), std::vector<std::string>{orders});

  // Pages of two: the same order, ranks continue, the last page has no cursor.
  std::vector<std::string> paged;
  std::string cursor;
  int pages = 0;
  do {
    json::value page = Top("?limit=2" + (cursor.empty() ? "" : "&cursor=" + Encode(cursor)));
    for (const auto& d : page.at("datasets").as_array()) {
      EXPECT_EQ(d.at("rank").as_int64(), static_cast<int64_t>(paged.size()) + 1);
      paged.emplace_back(d.at("urn").as_string());
    }
    cursor = page.as_object().contains("nextCursor")
                 ? std::string(page.at("nextCursor").as_string())
                 : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, Urns(top));

  const std::string first_cursor = std::string(Top("?limit=2").at("nextCursor").as_string());
  ExpectBadRequest("?limit=0", "limit");
  ExpectBadRequest("?limit=1001", "limit");
  ExpectBadRequest("?limit=ten", "limit");
  ExpectBadRequest("?order=bogus", "order");
  ExpectBadRequest("?cursor=%21%21", "cursor");
  ExpectBadRequest("?order=users&cursor=" + Encode(first_cursor), "cursor");
  ExpectBadRequest("?platform=urn%3Ali%3Acorpuser%3Aal", "platform");

  // A soft-deleted dataset leaves the ranking; the rest keep their order.
  ASSERT_EQ(Call("DELETE", "/api/v1/entities/" + Encode(orders)).status, 200);
  EXPECT_THAT(Urns(Top("?limit=2")), ::testing::ElementsAre(users, items));

  auto openapi = Json(Call("GET", "/openapi.json"));
  EXPECT_TRUE(openapi.at("paths").as_object().contains("/api/v1/usage/top"));
  EXPECT_TRUE(openapi.at("paths").as_object().contains("/api/v1/ingest/starburst/query-history"));
}

TEST_F(UsageHttpTest, UsageWrittenBeforeTheRankingExistedIsRankedAfterARestart) {
  const common::Urn old_table = common::Urn::Dataset("trino", "lake.s.legacy");
  app_.reset();
  {
    // The store as an older tidemark left it: datasetUsage without ranking entries or meta key.
    auto store = storage::OpenRocksDbStore((dir_.path() / "db").string(), {.sync_writes = false});
    ASSERT_OK(store);
    std::shared_ptr<storage::KvStore> shared(std::move(store).value());
    auto registry = catalog::AspectRegistry::WithCatalogAspects();
    ASSERT_OK(ingest::RegisterEngineAspects(*registry));
    auto catalog = catalog::CatalogService::Open(shared, std::move(registry));
    ASSERT_OK(catalog);
    auto usage = std::make_unique<v1::DatasetUsage>();
    ingest::QueryUsage q;
    q.query_id = "legacy-1";
    q.user = "urn:li:corpuser:al";
    q.time_micros = 1'714'557'600'000'000;
    q.sql = "SELECT 1 FROM lake.s.legacy";
    ASSERT_TRUE(ingest::ApplyUsage(q, {old_table, {}, false}, *usage));
    std::vector<catalog::AspectWrite> writes;
    writes.push_back({old_table, "datasetUsage", std::move(usage)});
    ASSERT_OK((*catalog)->Write(std::move(writes), {}));
    storage::WriteBatch forget;
    forget.Delete(storage::ColumnFamily::kMeta,
                  storage::JoinKey({ingest::kUsageMetaSpace, ingest::kUsageRankMetaKey}));
    ASSERT_OK(shared->Write(forget));
  }
  StartServer();
  json::value top = Top();
  ASSERT_EQ(Urns(top), std::vector<std::string>{old_table.ToString()}) << top;
  EXPECT_EQ(top.at("datasets").at(0).at("queries").as_int64(), 1);
}

TEST_F(UsageHttpTest, StarburstHistoryIsOneRunAndUsageTopPrintsTheRanking) {
  ASSERT_TRUE(fs::exists(StarburstFixture())) << StarburstFixture();
  const std::string table = Trino("testcatalog.testschema.testtable");
  std::stringstream out, err;
  tools::StarburstHistoryArgs args{
      .server = base_url_, .file = StarburstFixture().string(), .batch = 2};
  ASSERT_EQ(tools::StarburstHistoryCommand(args, out, err), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("3 rows: 2 recorded (1 through the SQL parser), 1 skipped, "
                                   "0 failed"));
  EXPECT_THAT(out.str(), HasSubstr("rows[0]: skipped: no end_time or create_time"));

  json::value usage = AspectValue(table, "datasetUsage");
  EXPECT_EQ(Int(usage.at("queries")), 2);
  EXPECT_EQ(Int(usage.at("distinctUsers")), 2);
  EXPECT_EQ(usage.at("columns").as_array().size(), 2u);

  json::array runs = Runs();
  ASSERT_EQ(runs.size(), 1u);
  const json::value& run = runs.at(0);
  EXPECT_EQ(run.at("state").as_string(), "SUCCEEDED_WITH_ERRORS");
  EXPECT_EQ(run.at("target").as_string(), "starburst-history " + StarburstFixture().string());
  EXPECT_EQ(run.at("errors").at(0).at("path").as_string(), "rows[0]");
  EXPECT_EQ(Int(run.at("counts").at("aspectsWritten")), 2);  // one version per batch
  EXPECT_EQ(run.at("properties").at("recorded").as_string(), "2");
  auto aspect = Json(Call("GET", "/api/v1/entities/" + Encode(table) + "/aspects/datasetUsage"));
  EXPECT_EQ(aspect.at("written").at("runId").as_string(), run.at("id").as_string());

  // Re-ingest: a second run, nothing counted twice, no new version.
  const uint64_t seq = LatestSeq();
  std::stringstream again;
  ASSERT_EQ(tools::StarburstHistoryCommand(args, again, err), 0) << err.str();
  EXPECT_EQ(LatestSeq(), seq);
  EXPECT_EQ(Int(AspectValue(table, "datasetUsage").at("queries")), 2);
  EXPECT_EQ(Runs().size(), 2u);

  std::stringstream ranking, ranking_err;
  ASSERT_EQ(tools::UsageTopCommand({.server = base_url_, .limit = 5}, ranking, ranking_err), 0)
      << ranking_err.str();
  EXPECT_THAT(ranking.str(), HasSubstr(table));
  EXPECT_THAT(ranking.str(), HasSubstr("top users: test-name (1), test-name@acryl.io (1)"));
  EXPECT_THAT(ranking.str(), HasSubstr("2021-10-14 09:40:55"));
  std::stringstream as_json;
  ASSERT_EQ(tools::UsageTopCommand({.server = base_url_, .json = true}, as_json, ranking_err), 0);
  EXPECT_THAT(as_json.str(), HasSubstr("\"distinctUsers\":2"));
  std::stringstream bad_err;
  EXPECT_EQ(tools::UsageTopCommand({.server = base_url_, .order = "bogus"}, ranking, bad_err), 2);
  EXPECT_THAT(bad_err.str(), HasSubstr("order must be queries, users or recent"));
  EXPECT_EQ(tools::UsageTopCommand({.server = base_url_, .limit = 0}, ranking, bad_err), 2);
}

TEST_F(UsageHttpTest, BadStarburstInputIsRefusedWithNothingWritten) {
  const std::string route = "/api/v1/ingest/starburst/query-history";
  auto not_rows = Call("POST", route, R"({"queries":[]})", "cli");
  EXPECT_EQ(not_rows.status, 400) << not_rows.body;
  EXPECT_THAT(not_rows.body, HasSubstr("array of rows"));
  auto unknown_run = Call("POST", route, ReadFile(StarburstFixture()), "cli",
                          {{"X-Tidemark-Run-Id", "r-no-such-run"}});
  EXPECT_EQ(unknown_run.status, 404) << unknown_run.body;
  EXPECT_EQ(Call("GET", route + std::string("?offset=-1")).status, 405);
  auto bad_offset = Call("POST", route + std::string("?offset=-1"), "[]", "cli");
  EXPECT_EQ(bad_offset.status, 400) << bad_offset.body;
  EXPECT_EQ(LatestSeq(), 0u);

  // The CLI checks the file before it opens a run.
  const fs::path not_export = dir_.path() / "not-an-export.json";
  std::ofstream(not_export) << R"({"hello": "world"})";
  std::stringstream out, err;
  EXPECT_EQ(
      tools::StarburstHistoryCommand({.server = base_url_, .file = not_export.string()}, out, err),
      1);
  EXPECT_THAT(err.str(), HasSubstr("expected a Starburst query-history export"));
  EXPECT_EQ(tools::StarburstHistoryCommand(
                {.server = base_url_, .file = (dir_.path() / "missing.json").string()}, out, err),
            1);
  EXPECT_EQ(tools::StarburstHistoryCommand(
                {.server = base_url_, .file = StarburstFixture().string(), .batch = 0}, out, err),
            2);
  EXPECT_TRUE(Runs().empty());
  EXPECT_EQ(LatestSeq(), 0u);
}

// The README's first steps: `tools/dev up` seeds tools/demo/catalog.json, then the demo queries
// (tools/demo/queries.jsonl) go through the query-log ingest; every one parses, and the ranking
// is the one the README shows.
TEST_F(UsageHttpTest, DemoCatalogAndDemoQueriesGiveTheRanking) {
  const fs::path demo = fs::path(TIDEMARK_TEST_SOURCE_DIR) / "tools" / "demo";
  StartServer((demo / "catalog.json").string());
  auto listed = Json(Call("GET", "/api/v1/entities?type=dataset&limit=100"));
  ASSERT_EQ(listed.at("entities").as_array().size(), 21u) << listed;

  json::array queries;
  std::stringstream lines(ReadFile(demo / "queries.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) queries.push_back(json::parse(line));
  }
  ASSERT_EQ(queries.size(), 12u);
  auto r = Call("POST", "/api/v1/ingest/query-log",
                json::serialize(json::object{{"queries", std::move(queries)}}), "cli");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("parsed").as_int64(), 12) << r.body;
  EXPECT_EQ(Json(r).at("failed").as_int64(), 0) << r.body;

  json::value top = Top("?limit=2");
  ASSERT_EQ(Urns(top), (std::vector<std::string>{Trino("lake.billing.invoices"),
                                                 Trino("lake.analytics.active_accounts")}))
      << top;
  EXPECT_EQ(top.at("datasets").at(0).at("queries").as_int64(), 5);
  EXPECT_EQ(top.at("datasets").at(0).at("distinctUsers").as_int64(), 3);
}

}  // namespace
}  // namespace tidemark
