// The entity API over real HTTP: reads, versioned writes, history, atomic batches, deletes,
// listings, change log, errors, metrics, OpenAPI and the demo seed.
#include <gtest/gtest.h>

#include <set>

#include "tests/testing/server_fixture.h"

namespace tidemark {
namespace {

using ::testing::HasSubstr;
namespace json = boost::json;

const std::string kInvoices =
    "urn:li:dataset:(urn:li:dataPlatform:trino,lake.billing.invoices,PROD)";

class HttpApiTest : public testing::ServerFixture {
 protected:
  std::string AspectPath(const std::string& urn, const std::string& aspect) {
    return "/api/v1/entities/" + Encode(urn) + "/aspects/" + aspect;
  }
  void ExpectError(const server::HttpResponse& r, int status, const std::string& code,
                   const std::string& message_part) {
    EXPECT_EQ(r.status, status) << r.body;
    json::value v = Json(r);
    ASSERT_TRUE(v.is_object() && v.as_object().contains("error")) << r.body;
    EXPECT_EQ(v.at("error").at("code").as_string(), code) << r.body;
    EXPECT_THAT(std::string(v.at("error").at("message").as_string()), HasSubstr(message_part));
  }
};

TEST_F(HttpApiTest, PutThenGetReturnsVersionsWithTheCaller) {
  auto put =
      Call("PUT", AspectPath(kInvoices, "datasetProperties"), R"({"description":"v1"})", "alice");
  EXPECT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(Json(put).at("version").as_int64(), 1);
  auto put2 =
      Call("PUT", AspectPath(kInvoices, "datasetProperties"), R"({"description":"v2"})", "bob");
  EXPECT_EQ(Json(put2).at("version").as_int64(), 2);
  auto same =
      Call("PUT", AspectPath(kInvoices, "datasetProperties"), R"({"description":"v2"})", "bob");
  EXPECT_EQ(same.status, 200);
  EXPECT_TRUE(Json(same).at("unchanged").as_bool());

  auto entity = Json(Call("GET", "/api/v1/entities/" + Encode(kInvoices)));
  const auto& aspect = entity.at("aspects").at("datasetProperties");
  EXPECT_EQ(aspect.at("version").as_int64(), 2);
  EXPECT_EQ(aspect.at("value").at("description").as_string(), "v2");
  EXPECT_EQ(aspect.at("written").at("actor").as_string(), "urn:li:corpuser:bob");
  EXPECT_EQ(aspect.at("written").at("source").as_string(), "manual");

  auto v1 = Json(Call("GET", AspectPath(kInvoices, "datasetProperties") + "?version=1"));
  EXPECT_EQ(v1.at("value").at("description").as_string(), "v1");
  EXPECT_EQ(v1.at("written").at("actor").as_string(), "urn:li:corpuser:alice");

  auto history = Json(Call("GET", AspectPath(kInvoices, "datasetProperties") + "/history?limit=1"));
  ASSERT_EQ(history.at("versions").as_array().size(), 1u);
  EXPECT_EQ(history.at("versions").at(0).at("version").as_int64(), 2);
  EXPECT_EQ(history.at("nextBefore").as_int64(), 2);
}

TEST_F(HttpApiTest, BadInputGetsTheRightStatusAndWritesNothing) {
  ExpectError(Call("GET", "/api/v1/entities/" + Encode("urn:li:dataset:(trino,x)")), 400,
              "invalid_argument", "3 components");
  ExpectError(Call("PUT", AspectPath(kInvoices, "nope"), "{}"), 400, "invalid_argument",
              "unknown aspect 'nope'");
  ExpectError(Call("PUT", AspectPath(kInvoices, "datasetProperties"), "{\"description\":"), 400,
              "invalid_argument", "datasetProperties");
  ExpectError(Call("PUT", AspectPath(kInvoices, "datasetProperties"), R"({"description":42})"), 400,
              "invalid_argument", "description");
  ExpectError(Call("PUT", AspectPath(kInvoices, "ownership"), R"({"owners":[{"owner":"bob"}]})"),
              400, "invalid_argument", "owners[].owner");
  ExpectError(Call("GET", "/api/v1/entities/" + Encode(kInvoices)), 404, "not_found", "not found");
  ExpectError(Call("GET", "/api/v1/nothing-here"), 404, "not_found", "/api/v1/nothing-here");
  ExpectError(Call("GET", "/api/v1/changes?since=abc"), 400, "invalid_argument",
              "since must be an integer");
  ExpectError(Call("PUT", AspectPath(kInvoices, "datasetProperties"), "{}", "alice",
                   {{"X-Tidemark-Source", "carrier-pigeon"}}),
              400, "invalid_argument", "X-Tidemark-Source");
  ExpectError(Call("PUT", AspectPath(kInvoices, "datasetProperties"), std::string(2 << 20, 'x')),
              413, "resource_exhausted", "");
  auto changes = Json(Call("GET", "/api/v1/changes"));
  EXPECT_TRUE(changes.at("events").as_array().empty());
  EXPECT_EQ(Call("GET", "/healthz").status, 200);  // still serving
}

TEST_F(HttpApiTest, BatchIsAllOrNothing) {
  std::string good =
      R"({"urn":")" + kInvoices + R"(","aspect":"datasetProperties","value":{"description":"x"}})";
  std::string bad = R"({"urn":"urn:li:corpuser:bob","aspect":"schemaMetadata","value":{}})";
  ExpectError(Call("POST", "/api/v1/aspects:batch", "{\"writes\":[" + good + "," + bad + "]}"), 400,
              "invalid_argument", "writes[1]");
  ExpectError(Call("GET", "/api/v1/entities/" + Encode(kInvoices)), 404, "not_found", "");
  std::string owners =
      R"({"urn":")" + kInvoices +
      R"(","aspect":"ownership","value":{"owners":[{"owner":"urn:li:corpGroup:billing"}]}})";
  auto ok = Call("POST", "/api/v1/aspects:batch", "{\"writes\":[" + good + "," + owners + "]}",
                 "carol", {{"X-Tidemark-Source", "dbt"}, {"X-Tidemark-Run-Id", "run-7"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json(ok).at("results").as_array().size(), 2u);
  auto changes = Json(Call("GET", "/api/v1/changes?since=0&limit=10"));
  ASSERT_EQ(changes.at("events").as_array().size(), 2u);
  const auto& first = changes.at("events").at(0);
  EXPECT_EQ(first.at("seq").as_int64(), 1);
  EXPECT_EQ(first.at("batchSeq").as_int64(), 1);
  EXPECT_EQ(first.at("written").at("source").as_string(), "dbt");
  EXPECT_EQ(first.at("written").at("runId").as_string(), "run-7");
  EXPECT_EQ(changes.at("events").at(1).at("batchSeq").as_int64(), 1);
}

TEST_F(HttpApiTest, SoftDeleteHidesFromListingsAndPurgeRemoves) {
  ASSERT_EQ(
      Call("PUT", AspectPath(kInvoices, "datasetProperties"), R"({"description":"x"})").status,
      201);
  auto listed = Json(Call("GET", "/api/v1/entities?type=dataset&platform=trino"));
  EXPECT_EQ(listed.at("entities").as_array().size(), 1u);
  auto deleted = Call("DELETE", "/api/v1/entities/" + Encode(kInvoices));
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(Json(Call("GET", "/api/v1/entities/" + Encode(kInvoices))).at("removed").as_bool());
  EXPECT_TRUE(Json(Call("GET", "/api/v1/entities?type=dataset")).at("entities").as_array().empty());
  EXPECT_EQ(Json(Call("GET", "/api/v1/entities?type=dataset&include_removed=true"))
                .at("entities")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(Call("DELETE", "/api/v1/entities/" + Encode(kInvoices) + "?hard=true").status, 200);
  ExpectError(Call("GET", "/api/v1/entities/" + Encode(kInvoices)), 404, "not_found", "");
  auto changes = Json(Call("GET", "/api/v1/changes"));
  EXPECT_EQ(changes.at("events").as_array().back().at("changeType").as_string(), "PURGE");
}

TEST_F(HttpApiTest, DemoSeedLoadsOnceAndListingsPage) {
  StartServer(TIDEMARK_DEMO_CATALOG);
  ASSERT_GT(app_->seeded_writes(), 100u);
  std::set<std::string> urns;
  std::string cursor;
  for (int page = 0; page < 20; ++page) {
    auto r = Json(Call("GET", "/api/v1/entities?type=dataset&limit=5" +
                                  (cursor.empty() ? "" : "&cursor=" + cursor)));
    for (const auto& e : r.at("entities").as_array())
      urns.insert(std::string(e.at("urn").as_string()));
    if (!r.as_object().contains("nextCursor")) break;
    cursor = std::string(r.at("nextCursor").as_string());
  }
  EXPECT_GE(urns.size(), 20u);
  auto owned = Json(Call(
      "GET", "/api/v1/entities?owner=" + Encode("urn:li:corpGroup:billing") + "&type=dataset"));
  EXPECT_GE(owned.at("entities").as_array().size(), 5u);
  auto seq = Json(Call("GET", "/api/v1/changes?limit=1")).at("latestSeq").as_int64();
  StartServer(TIDEMARK_DEMO_CATALOG);  // restart on the same store: not loaded twice
  EXPECT_EQ(app_->seeded_writes(), 0u);
  EXPECT_EQ(Json(Call("GET", "/api/v1/changes?limit=1")).at("latestSeq").as_int64(), seq);
}

TEST_F(HttpApiTest, MetricsAndOpenApiDescribeTheService) {
  Call("GET", "/healthz");
  Call("GET", "/api/v1/entities/" + Encode(kInvoices));
  auto metrics = Call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body, HasSubstr("tidemark_http_requests_total{"));
  EXPECT_THAT(metrics.body, HasSubstr("route=\"/api/v1/entities/{urn}\""));
  EXPECT_THAT(metrics.body, HasSubstr("tidemark_http_request_duration_seconds_bucket"));
  EXPECT_THAT(metrics.body, HasSubstr("tidemark_store_size_bytes"));
  auto openapi = Json(Call("GET", "/openapi.json"));
  const auto& paths = openapi.at("paths").as_object();
  for (const char* p :
       {"/api/v1/entities/{urn}", "/api/v1/entities/{urn}/aspects/{aspect}",
        "/api/v1/entities/{urn}/aspects/{aspect}/history", "/api/v1/aspects:batch",
        "/api/v1/entities", "/api/v1/changes", "/healthz", "/metrics", "/api/v1/lineage/{urn}"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
}

TEST_F(HttpApiTest, ClassifiedDatasetsAreFilterableAndFieldsShowTheirAssignments) {
  const std::string users = "urn:li:dataset:(urn:li:dataPlatform:postgres,app.public.users,PROD)";
  ASSERT_EQ(Call("PUT", AspectPath(users, "schemaMetadata"),
                 R"({"fields":[{"fieldPath":"id"},{"fieldPath":"email"}]})")
                .status,
            201);
  ASSERT_EQ(
      Call("PUT", AspectPath(kInvoices, "datasetProperties"), R"({"description":"x"})").status,
      201);
  std::string emails;
  for (int i = 0; i < 20; ++i)
    emails += (i ? "," : "") + std::string("\"user") + std::to_string(i) + "@example.com\"";
  auto classified = Call("POST", "/api/v1/classify",
                         R"({"dataset":")" + users + R"(","columns":{"email":[)" + emails + "]}}");
  ASSERT_EQ(classified.status, 200) << classified.body;

  auto pending = Json(Call("GET", "/api/v1/entities?type=dataset&review=pending_review"));
  ASSERT_EQ(pending.at("entities").as_array().size(), 1u) << pending;
  EXPECT_EQ(pending.at("entities").at(0).at("urn").as_string(), users);
  EXPECT_TRUE(Json(Call("GET", "/api/v1/entities?type=dataset&review=accepted"))
                  .at("entities")
                  .as_array()
                  .empty());
  ExpectError(Call("GET", "/api/v1/entities?type=dataset&review=maybe"), 400, "invalid_argument",
              "review");

  const std::string field = "urn:li:schemaField:(" + users + ",email)";
  auto view = Call("GET", "/api/v1/entities/" + Encode(field));
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_THAT(view.body, HasSubstr("EMAIL"));
  EXPECT_EQ(Json(view).at("dataset").as_string(), users);
  ExpectError(
      Call("GET", "/api/v1/entities/" + Encode("urn:li:schemaField:(urn:li:dataset:(urn:li:"
                                               "dataPlatform:trino,no.such.table,PROD),c)")),
      404, "not_found", "not found");
}

TEST_F(HttpApiTest, BackupWritesACheckpointThatServesTheSameCatalog) {
  ASSERT_EQ(
      Call("PUT", AspectPath(kInvoices, "datasetProperties"), R"({"description":"kept"})").status,
      201);
  std::string backup = (dir_.path() / "backup").string();
  auto r = Call("POST", "/api/v1/admin/backup", R"({"to":")" + backup + R"("})");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectError(Call("POST", "/api/v1/admin/backup", R"({"to":")" + backup + R"("})"), 409,
              "already_exists", "exists");
  ExpectError(Call("POST", "/api/v1/admin/backup", R"({"to":"relative"})"), 400, "invalid_argument",
              "absolute");
  // Regression: destinations the client got wrong answered 500 (issue 12).
  ExpectError(Call("POST", "/api/v1/admin/backup", R"({"to":")" + backup + R"(/CURRENT/x"})"), 400,
              "invalid_argument", "cannot create backup directory");
  ExpectError(Call("POST", "/api/v1/admin/backup", R"({"to":"/proc/tidemark-backup"})"), 400,
              "invalid_argument", "cannot create backup directory");
  ExpectError(Call("POST", "/api/v1/admin/backup", R"({"to":"/tmp/a\u0000b"})"), 400,
              "invalid_argument", "NUL");
  ExpectError(Call("POST", "/api/v1/admin/backup", "{'to':'/tmp/x'}"), 400, "invalid_argument",
              "invalid JSON");
  app_.reset();
  server::AppOptions options;
  options.data_dir = backup;
  options.server.port = 0;
  ASSERT_OK_AND_ASSIGN(auto restored, server::App::Open(options));
  ASSERT_OK_AND_ASSIGN(auto aspect, restored->catalog().GetAspect(*common::Urn::Parse(kInvoices),
                                                                  "datasetProperties"));
  EXPECT_EQ(aspect.version, 1);
}

}  // namespace
}  // namespace tidemark
