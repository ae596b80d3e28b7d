// Integration test of the glossary routes on a real HTTP server over RocksDB, with the real
// lineage service behind the glossary's ColumnEdgeSource (server/glossary_lineage_adapter.h):
// YAML round trip on DataHub's fixture, resolve, classify + review, assignments with human-removal
// memory, and PII propagation along IDENTITY column lineage.
//
// Until App wires the glossary (see AddGlossaryRoutes), this test assembles the same pieces
// itself; it can move to ServerFixture once App does.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "glossary/glossary_aspects.h"
#include "glossary/glossary_service.h"
#include "lineage/lineage_service.h"
#include "server/glossary_lineage_adapter.h"
#include "server/handlers_entities.h"
#include "server/handlers_glossary.h"
#include "server/http_client.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace tidemark {
namespace {

namespace json = boost::json;
using common::Urn;

class GlossaryHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::OpenRocksDbStore((dir_.path() / "db").string(), {.sync_writes = false});
    ASSERT_OK(store.status());
    std::shared_ptr<catalog::AspectRegistry> registry =
        catalog::AspectRegistry::WithCatalogAspects();
    ASSERT_OK(lineage::RegisterLineageAspects(*registry));
    ASSERT_OK(glossary::RegisterGlossaryAspects(*registry));
    ASSERT_OK_AND_ASSIGN(catalog_,
                         catalog::CatalogService::Open(std::move(store).value(), registry));
    ASSERT_OK_AND_ASSIGN(lineage_, lineage::LineageService::Attach(*catalog_));
    edges_ = std::make_unique<server::LineageColumnEdges>(*lineage_);
    ASSERT_OK_AND_ASSIGN(glossary_, glossary::GlossaryService::Attach(*catalog_, edges_.get()));
    server::AddEntityRoutes(router_, *catalog_);
    server::AddGlossaryRoutes(router_, *glossary_);
    server_ = std::make_unique<server::HttpServer>(
        server::ServerOptions{.port = 0, .threads = 2, .body_limit = 1 << 20}, &router_, &metrics_);
    ASSERT_OK_AND_ASSIGN(uint16_t port, server_->Start());
    ASSERT_OK_AND_ASSIGN(client_,
                         server::HttpClient::Connect("http://127.0.0.1:" + std::to_string(port)));
  }
  void TearDown() override { server_.reset(); }

  server::HttpResponse Call(const std::string& method, const std::string& target,
                            const std::string& body = "", const std::string& source = "") {
    std::vector<std::pair<std::string, std::string>> headers = {{"X-Tidemark-User", "alice"}};
    if (!source.empty()) headers.emplace_back("X-Tidemark-Source", source);
    auto response = client_->Request(method, target, body, headers);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : server::HttpResponse{.status = 0};
  }
  static json::value Json(const server::HttpResponse& r) {
    json::error_code ec;
    auto v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << "not JSON: " << r.body;
    return v;
  }
  static std::string E(const std::string& s) { return server::PercentEncodePathSegment(s); }
  void Put(const std::string& urn, const std::string& aspect, const std::string& body) {
    auto r = Call("PUT", "/api/v1/entities/" + E(urn) + "/aspects/" + aspect, body);
    ASSERT_LT(r.status, 300) << r.body;
  }
  json::value Assignments(const Urn& urn) {
    auto r = Call("GET", "/api/v1/glossary/assignments/" + E(urn.ToString()));
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }

  testing::TempDir dir_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<lineage::LineageService> lineage_;
  std::unique_ptr<server::LineageColumnEdges> edges_;
  std::unique_ptr<glossary::GlossaryService> glossary_;
  server::Router router_;
  server::Metrics metrics_;
  std::unique_ptr<server::HttpServer> server_;
  std::unique_ptr<server::HttpClient> client_;
  Urn users_ = Urn::Dataset("postgres", "shop.public.users");
  Urn stg_ = Urn::Dataset("trino", "lake.stg.users");
  Urn mart_ = Urn::Dataset("trino", "lake.mart.contacts");
};

TEST_F(GlossaryHttpTest, YamlImportExportRoundTripOnTheFixture) {
  const std::string yaml =
      testing::ReadFile(testing::FixturesDir() / "datahub" / "business_glossary.yml");
  auto imported = Call("POST", "/api/v1/glossary:import", yaml);
  ASSERT_EQ(imported.status, 200) << imported.body;
  auto exported = Call("GET", "/api/v1/glossary:export");
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.content_type, "application/yaml");
  EXPECT_NE(exported.body.find("name: FullAddress"), std::string::npos) << exported.body;
  auto before =
      Json(Call("GET", "/api/v1/changes?since=0&limit=1")).at("latestSeq").to_number<uint64_t>();
  ASSERT_EQ(Call("POST", "/api/v1/glossary:import", exported.body).status, 200);
  auto after =
      Json(Call("GET", "/api/v1/changes?since=0&limit=1")).at("latestSeq").to_number<uint64_t>();
  EXPECT_EQ(before, after) << "re-importing the export changed something";
  EXPECT_EQ(Call("GET", "/api/v1/glossary:export").body, exported.body);
  // Terms are entities: the generic API reads them with history.
  auto term = Call("GET", "/api/v1/entities/urn%3Ali%3AglossaryTerm%3AShipping.FullAddress");
  ASSERT_EQ(term.status, 200);
  EXPECT_TRUE(Json(term).at("aspects").as_object().contains("glossaryRelatedTerms"));
  auto tree = Json(Call("GET", "/api/v1/glossary/tree"));
  EXPECT_EQ(tree.at("nodes").as_array().size(), 5u);
  EXPECT_EQ(Call("POST", "/api/v1/glossary:import", "nodes: [").status, 400);
}

TEST_F(GlossaryHttpTest, ResolveFindsTermsAndTheirColumns) {
  const std::string usage = "urn:li:glossaryTerm:Billing.BillableUsage";
  Put(usage, "glossaryTermInfo",
      R"({"name":"Billable Usage","definition":"Usage we charge for","synonyms":["metered usage"]})");
  Put("urn:li:glossaryTerm:Billing.Usage", "glossaryTermInfo", R"({"name":"Usage"})");
  Put(stg_.ToString(), "glossaryTerms", R"({"terms":[{"urn":")" + usage + R"("}]})");
  auto assign = Call("POST", "/api/v1/glossary/assignments",
                     R"({"target":")" + Urn::SchemaField(mart_, "billable_qty").ToString() +
                         R"(","kind":"term","value":")" + usage + R"("})");
  ASSERT_EQ(assign.status, 201) << assign.body;
  auto r = Call("GET", "/api/v1/glossary/resolve?q=Billable%20Usages");
  ASSERT_EQ(r.status, 200) << r.body;
  auto terms = Json(r).at("terms").as_array();
  ASSERT_GE(terms.size(), 2u);
  EXPECT_EQ(terms[0].at("term").as_string(), usage);
  EXPECT_EQ(terms[0].at("matchedOn").as_string(), "name");
  EXPECT_EQ(terms[0].at("datasets").as_array().at(0).at("urn").as_string(), stg_.ToString());
  EXPECT_EQ(terms[0].at("columns").as_array().at(0).at("field").as_string(), "billable_qty");
  EXPECT_EQ(terms[1].at("term").as_string(), "urn:li:glossaryTerm:Billing.Usage");
  auto synonym = Json(Call("GET", "/api/v1/glossary/resolve?q=METERED+usage"));
  EXPECT_EQ(synonym.at("terms").as_array().at(0).at("matchedOn").as_string(), "synonym");
  EXPECT_EQ(Call("GET", "/api/v1/glossary/resolve").status, 400);
  // Terms are entities: CRUD and history through the generic API.
  Put(usage, "glossaryTermInfo",
      R"({"name":"Billable Usage","definition":"Usage we invoice","status":"DEPRECATED"})");
  auto history =
      Json(Call("GET", "/api/v1/entities/" + E(usage) + "/aspects/glossaryTermInfo/history"));
  EXPECT_EQ(history.at("versions").as_array().size(), 2u);
  auto deprecated = Json(Call("GET", "/api/v1/glossary/resolve?q=billable+usage"));
  EXPECT_EQ(deprecated.at("terms").as_array().at(0).at("status").as_string(), "deprecated");
  ASSERT_EQ(Call("DELETE", "/api/v1/entities/" + E(usage)).status, 200);
  auto after = Json(Call("GET", "/api/v1/glossary/resolve?q=billable+usage"));
  for (const auto& t : after.at("terms").as_array()) EXPECT_NE(t.at("term").as_string(), usage);
  EXPECT_EQ(Call("PUT", "/api/v1/entities/" + E(usage) + "/aspects/glossaryTermInfo",
                 R"({"definition":"no name"})")
                .status,
            400);
}

TEST_F(GlossaryHttpTest, ClassifyProposesAndStewardsReview) {
  std::string body = R"({"dataset":")" + users_.ToString() + R"(","columns":{
      "email":["a@b.com","c@d.org","x@y.net"],
      "card":["4111 1111 1111 1111","5500 0000 0000 0004"],
      "comment":["hello","world"]}})";
  auto r = Call("POST", "/api/v1/classify", body, "postgres");
  ASSERT_EQ(r.status, 200) << r.body;
  auto out = Json(r);
  EXPECT_EQ(out.at("reviewState").as_string(), "pending_review");
  auto email = out.at("columns").at("email").as_array().at(0);
  EXPECT_EQ(email.at("class").as_string(), "EMAIL");
  EXPECT_EQ(email.at("matched").as_int64(), 3);
  EXPECT_EQ(email.at("sampled").as_int64(), 3);
  EXPECT_EQ(out.at("columns").at("card").as_array().at(0).at("class").as_string(), "PAYMENT_CARD");
  EXPECT_TRUE(out.at("columns").at("comment").as_array().empty());
  // Raw samples are not stored anywhere.
  auto entity = Call("GET", "/api/v1/entities/" + E(users_.ToString()));
  EXPECT_EQ(entity.body.find("a@b.com"), std::string::npos);
  auto pending = Json(Call("GET", "/api/v1/glossary/review?state=pending_review"));
  EXPECT_EQ(pending.at("datasets").as_array().size(), 1u);
  for (const char* column : {"email", "card"}) {
    std::string cls = std::string(column) == "email" ? "EMAIL" : "PAYMENT_CARD";
    auto review = Call("POST", "/api/v1/glossary/review",
                       R"({"dataset":")" + users_.ToString() + R"(","field":")" + column +
                           R"(","class":")" + cls + R"(","decision":"accept"})");
    ASSERT_EQ(review.status, 200) << review.body;
  }
  pending = Json(Call("GET", "/api/v1/glossary/review"));
  EXPECT_TRUE(pending.at("datasets").as_array().empty());
  auto field = Assignments(Urn::SchemaField(users_, "email"));
  EXPECT_EQ(field.at("direct").as_array().at(0).at("review").as_string(), "accepted");
  EXPECT_EQ(field.at("reviewState").as_string(), "accepted");
  EXPECT_EQ(Call("POST", "/api/v1/classify", R"({"dataset":"nope"})").status, 400);
}

TEST_F(GlossaryHttpTest, HumanRemovalWinsOverAutomation) {
  std::string target = Urn::SchemaField(users_, "phone").ToString();
  std::string body = R"({"target":")" + target + R"(","kind":"class","value":"PHONE"})";
  ASSERT_EQ(Call("POST", "/api/v1/glossary/assignments", body, "postgres").status, 201);
  auto del = Call("DELETE",
                  "/api/v1/glossary/assignments?target=" + E(target) + "&kind=class&value=PHONE");
  ASSERT_EQ(del.status, 200) << del.body;
  auto again = Call("POST", "/api/v1/glossary/assignments", body, "postgres");
  EXPECT_EQ(Json(again).at("outcome").as_string(), "suppressed");
  auto field = Assignments(Urn::SchemaField(users_, "phone"));
  EXPECT_TRUE(field.at("direct").as_array().empty());
  EXPECT_EQ(field.at("removed").as_array().at(0).at("actor").as_string(), "urn:li:corpuser:alice");
  EXPECT_EQ(Call("POST", "/api/v1/glossary/assignments",
                 R"({"target":")" + target + R"(","kind":"color","value":"x"})")
                .status,
            400);
}

TEST_F(GlossaryHttpTest, PiiPropagatesAlongIdentityColumnLineage) {
  auto f = [](const Urn& d, const char* c) { return Urn::SchemaField(d, c).ToString(); };
  // stg.users.email_address = users.email (IDENTITY); stg.users.n = count(users.email).
  Put(stg_.ToString(), "upstreamLineage",
      R"({"upstreams":[{"dataset":")" + users_.ToString() +
          R"(","type":"TRANSFORMED"}],"fineGrainedLineages":[
        {"upstreams":[")" +
          f(users_, "email") + R"("],"downstreams":[")" + f(stg_, "email_address") +
          R"("],"transformationType":"IDENTITY"},
        {"upstreams":[")" +
          f(users_, "email") + R"("],"downstreams":[")" + f(stg_, "n") +
          R"("],"transformationType":"AGGREGATION"}]})");
  auto assign =
      Call("POST", "/api/v1/glossary/assignments",
           R"({"target":")" + f(users_, "email") + R"(","kind":"class","value":"EMAIL"})");
  ASSERT_EQ(assign.status, 201) << assign.body;
  auto copied = Assignments(Urn::SchemaField(stg_, "email_address"));
  ASSERT_EQ(copied.at("propagated").as_array().size(), 1u) << json::serialize(copied);
  auto p = copied.at("propagated").as_array().at(0);
  EXPECT_EQ(p.at("value").as_string(), "EMAIL");
  EXPECT_EQ(p.at("origin").as_string(), f(users_, "email"));
  EXPECT_EQ(p.at("path").as_array().size(), 2u);
  EXPECT_TRUE(copied.at("direct").as_array().empty());
  EXPECT_TRUE(Assignments(Urn::SchemaField(stg_, "n")).at("propagated").as_array().empty());
  // New lineage downstream (mart.contacts.contact = stg.users.email_address) is picked up from
  // the change log.
  Put(mart_.ToString(), "upstreamLineage",
      R"({"upstreams":[{"dataset":")" + stg_.ToString() +
          R"(","type":"COPY"}],"fineGrainedLineages":[{"upstreams":[")" + f(stg_, "email_address") +
          R"("],"downstreams":[")" + f(mart_, "contact") +
          R"("],"transformationType":"IDENTITY"}]})");
  auto run = Call("POST", "/api/v1/glossary/propagation:run");
  ASSERT_EQ(run.status, 200) << run.body;
  auto contact = Assignments(Urn::SchemaField(mart_, "contact"));
  ASSERT_EQ(contact.at("propagated").as_array().size(), 1u) << json::serialize(contact);
  EXPECT_EQ(contact.at("propagated").as_array().at(0).at("path").as_array().size(), 3u);
  // Removing the origin's class clears the whole chain.
  ASSERT_EQ(Call("DELETE", "/api/v1/glossary/assignments?target=" + E(f(users_, "email")) +
                               "&kind=class&value=EMAIL")
                .status,
            200);
  EXPECT_TRUE(Assignments(Urn::SchemaField(mart_, "contact")).at("propagated").as_array().empty());
}

}  // namespace
}  // namespace tidemark
