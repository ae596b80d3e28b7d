// dbt ingest: the mapping of every manifest in ../shared/fixtures/dbt (counts, owners, columns,
// lineage edges), and POST /api/v1/ingest/dbt plus the run routes against a real HTTP server with
// the ingest routes (idempotent re-ingest, run records).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "ingest/dbt/dbt_aspects.h"
#include "ingest/dbt/dbt_mapper.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "server/handlers_entities.h"
#include "server/handlers_ingest_code.h"
#include "server/http_client.h"
#include "server/http_server.h"
#include "server/router.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/dbt.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark {
namespace {

namespace json = boost::json;
using ::testing::Contains;
using ::testing::UnorderedElementsAre;

using testing::ReadFile;

ingest::DbtArtifacts Fixture(const std::string& folder) {
  const auto dir = testing::FixturesDir() / "dbt" / folder;
  ingest::DbtArtifacts a;
  a.manifest = ReadFile(dir / "manifest.json");
  if (std::filesystem::exists(dir / "catalog.json")) a.catalog = ReadFile(dir / "catalog.json");
  if (std::filesystem::exists(dir / "run_results.json")) {
    a.run_results = ReadFile(dir / "run_results.json");
  }
  return a;
}

std::string PgUrn(const std::string& name) {
  return "urn:li:dataset:(urn:li:dataPlatform:postgres," + name + ",PROD)";
}

// Aspects of one mapping by (urn, aspect).
struct Index {
  explicit Index(const ingest::Mapping& m) {
    for (const auto& a : m.aspects) {
      by[{a.urn.ToString(), a.aspect}] = a.value.get();
      count[a.aspect]++;
    }
  }
  template <typename T>
  const T* Get(const std::string& urn, const std::string& aspect) const {
    auto it = by.find({urn, aspect});
    return it == by.end() ? nullptr : dynamic_cast<const T*>(it->second);
  }
  std::vector<std::string> Upstreams(const std::string& urn) const {
    std::vector<std::string> out;
    if (auto* l = Get<v1::UpstreamLineage>(urn, "upstreamLineage")) {
      for (const auto& u : l->upstreams()) out.push_back(u.dataset());
    }
    return out;
  }
  std::map<std::pair<std::string, std::string>, const google::protobuf::Message*> by;
  std::map<std::string, int> count;
};

TEST(DbtMappingTest, V7SampleProject) {
  ASSERT_OK_AND_ASSIGN(
      auto m, ingest::MapDbtArtifacts(Fixture("v7_dbt-1.3.0_postgres_datahub-sample-dbt"), {}));
  EXPECT_TRUE(m.errors.empty()) << m.errors[0].ShortDebugString();
  Index idx(m);
  // 3 materialised models + 1 snapshot + 12 sources; the ephemeral model is no dataset.
  EXPECT_EQ(idx.count["datasetProperties"], 16);
  const std::string billing = PgUrn("pagila.public.an-aliased-view-for-monthly-billing");
  // The ephemeral customer_details passes its upstreams through.
  EXPECT_THAT(idx.Upstreams(billing),
              UnorderedElementsAre(PgUrn("pagila.public.payments_by_customer_by_month"),
                                   PgUrn("pagila.public.address"), PgUrn("pagila.public.city"),
                                   PgUrn("pagila.public.customer"),
                                   PgUrn("pagila.public.customer_snapshot")));
  EXPECT_EQ(idx.Upstreams(PgUrn("pagila.public.an_aliased_view_for_payments")).size(), 6u);
  const auto* schema = idx.Get<v1::SchemaMetadata>(billing, "schemaMetadata");
  ASSERT_NE(schema, nullptr);
  ASSERT_EQ(schema->fields_size(), 4);
  EXPECT_EQ(schema->fields(0).field_path(), "billing_month");
  EXPECT_EQ(schema->fields(0).native_data_type(), "timestamp with time zone");
  EXPECT_EQ(schema->fields(0).type(), v1::TIMESTAMP);
  EXPECT_FALSE(schema->fields(0).nullable());  // not_null test
  const auto* owners = idx.Get<v1::Ownership>(PgUrn("pagila.public.actor"), "ownership");
  ASSERT_NE(owners, nullptr);
  EXPECT_EQ(owners->owners(0).owner(), "urn:li:corpuser:alice");
  const auto* actor_schema =
      idx.Get<v1::SchemaMetadata>(PgUrn("pagila.public.actor"), "schemaMetadata");
  ASSERT_NE(actor_schema, nullptr);
  EXPECT_EQ(actor_schema->fields(0).description(), "description for actor_id column from dbt");
  const auto* tests = idx.Get<v1::DbtAssertions>(billing, "dbtAssertions");
  ASSERT_NE(tests, nullptr);
  EXPECT_EQ(tests->assertions_size(), 4);
  const auto* code = idx.Get<v1::SourceCode>(billing, "sourceCode");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->locations(0).path(), "models/billing/monthly_billing_with_cust.sql");
  EXPECT_EQ(code->locations(0).repository(), "sample_dbt");
}

TEST(DbtMappingTest, V10StateProjectWithExposureAndMetrics) {
  ASSERT_OK_AND_ASSIGN(
      auto m, ingest::MapDbtArtifacts(Fixture("v10_dbt-1.6.6_postgres_dbt-core-state"), {}));
  Index idx(m);
  // my_model, metricflow_time_spine, snapshot_seed, my_seed + 1 source.
  EXPECT_EQ(idx.count["datasetProperties"], 5);
  const std::string schema = "dbt.test16970573770617803847_test_previous_version_state.";
  EXPECT_THAT(idx.Upstreams(PgUrn(schema + "snapshot_seed")),
              UnorderedElementsAre(PgUrn(schema + "my_seed")));
  const std::string dashboard = "urn:li:dashboard:(dbt,test.simple_exposure)";
  EXPECT_EQ(idx.Upstreams(dashboard).size(), 2u);
  const auto* owners = idx.Get<v1::Ownership>(dashboard, "ownership");
  ASSERT_NE(owners, nullptr);
  EXPECT_EQ(owners->owners(0).owner(), "urn:li:corpuser:something@example.com");
  const auto* props =
      idx.Get<v1::DatasetProperties>(PgUrn(schema + "my_model"), "datasetProperties");
  ASSERT_NE(props, nullptr);
  EXPECT_EQ(props->custom_properties().at("dbt.semantic_models"), "semantic_people");
  EXPECT_NE(props->custom_properties().at("dbt.metrics").find("customers"), std::string::npos);
  const auto* tests = idx.Get<v1::DbtAssertions>(PgUrn(schema + "my_model"), "dbtAssertions");
  ASSERT_NE(tests, nullptr);
  EXPECT_EQ(tests->assertions_size(), 3);
}

TEST(DbtMappingTest, V11SampleProjectWithRunResults) {
  ASSERT_OK_AND_ASSIGN(
      auto m, ingest::MapDbtArtifacts(Fixture("v11_dbt-1.7.3_postgres_datahub-sample-dbt"), {}));
  Index idx(m);
  EXPECT_EQ(idx.count["datasetProperties"], 16);
  const std::string billing = PgUrn("pagila.public.an-aliased-view-for-monthly-billing");
  EXPECT_EQ(idx.Upstreams(billing).size(), 5u);
  const auto* props = idx.Get<v1::DatasetProperties>(billing, "datasetProperties");
  ASSERT_NE(props, nullptr);
  EXPECT_EQ(props->custom_properties().at("dbt.last_run_status"), "success");
  const auto* owners = idx.Get<v1::Ownership>(PgUrn("pagila.public.payment_p2020_02"), "ownership");
  ASSERT_NE(owners, nullptr);
  EXPECT_EQ(owners->owners(0).owner(), "urn:li:corpuser:charles");
  EXPECT_THAT(m.properties,
              Contains(std::make_pair(std::string("dbt.dbt_version"), std::string("1.7.3"))));
}

TEST(DbtMappingTest, V12DuckdbJaffleShop) {
  ASSERT_OK_AND_ASSIGN(
      auto m, ingest::MapDbtArtifacts(Fixture("v12_dbt-1.8.9_duckdb_openlineage-jaffle-shop"), {}));
  Index idx(m);
  EXPECT_EQ(idx.count["datasetProperties"], 5);
  const std::string customers =
      "urn:li:dataset:(urn:li:dataPlatform:duckdb,jaffle_shop.main.customers,PROD)";
  const auto* owners = idx.Get<v1::Ownership>(customers, "ownership");
  ASSERT_NE(owners, nullptr);
  EXPECT_EQ(owners->owners(0).owner(), "urn:li:corpuser:data-team");
  const auto* schema = idx.Get<v1::SchemaMetadata>(customers, "schemaMetadata");
  ASSERT_NE(schema, nullptr);
  EXPECT_EQ(schema->fields_size(), 7);
  EXPECT_EQ(schema->fields(0).field_path(), "customer_id");
  EXPECT_FALSE(schema->fields(0).nullable());
  // stg_* models are trimmed from this manifest; depends_on still gives the edges.
  EXPECT_THAT(idx.Upstreams(customers),
              Contains("urn:li:dataset:(urn:li:dataPlatform:duckdb,jaffle_shop.main.stg_orders,"
                       "PROD)"));
}

// Column edges of a dataset's upstreamLineage: downstream field path → (upstream field URNs, type).
std::map<std::string, std::pair<std::vector<std::string>, v1::TransformationType>> ColumnEdges(
    const Index& idx, const std::string& urn) {
  std::map<std::string, std::pair<std::vector<std::string>, v1::TransformationType>> out;
  const auto* l = idx.Get<v1::UpstreamLineage>(urn, "upstreamLineage");
  if (l == nullptr) return out;
  for (const auto& f : l->fine_grained_lineages()) {
    EXPECT_EQ(f.provenance().source(), v1::DBT);
    for (const auto& d : f.downstreams()) {
      const std::string prefix = "urn:li:schemaField:(" + urn + ",";
      EXPECT_EQ(d.rfind(prefix, 0), 0u) << d;
      const std::string column = d.substr(prefix.size(), d.size() - prefix.size() - 1);
      out[column] = {{f.upstreams().begin(), f.upstreams().end()}, f.transformation_type()};
    }
  }
  return out;
}

std::string Field(const std::string& dataset, const std::string& column) {
  return "urn:li:schemaField:(" + dataset + "," + column + ")";
}

TEST(DbtMappingTest, CompiledSqlGivesColumnLineage) {
  ASSERT_OK_AND_ASSIGN(
      auto m, ingest::MapDbtArtifacts(Fixture("v11_dbt-1.7.3_postgres_datahub-sample-dbt"), {}));
  EXPECT_TRUE(m.errors.empty()) << m.errors[0].ShortDebugString();
  Index idx(m);
  const std::string billing = PgUrn("pagila.public.an-aliased-view-for-monthly-billing");
  const std::string by_month = PgUrn("pagila.public.payments_by_customer_by_month");
  auto edges = ColumnEdges(idx, billing);
  // Through the inlined ephemeral customer_details CTE to the source column.
  ASSERT_TRUE(edges.contains("email"));
  EXPECT_THAT(edges["email"].first,
              UnorderedElementsAre(Field(PgUrn("pagila.public.customer"), "email")));
  EXPECT_EQ(edges["email"].second, v1::IDENTITY);
  ASSERT_TRUE(edges.contains("billing_month"));
  EXPECT_THAT(edges["billing_month"].first, UnorderedElementsAre(Field(by_month, "billingmonth")));
  // Table-level lineage from depends_on stays.
  EXPECT_EQ(idx.Upstreams(billing).size(), 5u);
  auto month = ColumnEdges(idx, by_month);
  ASSERT_TRUE(month.contains("amount"));
  EXPECT_THAT(
      month["amount"].first,
      UnorderedElementsAre(Field(PgUrn("pagila.public.an_aliased_view_for_payments"), "amount")));
  EXPECT_EQ(month["amount"].second, v1::AGGREGATION);
  EXPECT_EQ(month["billingmonth"].second, v1::TRANSFORMATION);
  // select * from a source, expanded with the source's catalog columns.
  auto snapshot = ColumnEdges(idx, PgUrn("pagila.public.customer_snapshot"));
  EXPECT_THAT(snapshot["first_name"].first,
              UnorderedElementsAre(Field(PgUrn("pagila.public.customer"), "first_name")));
  EXPECT_THAT(m.properties,
              Contains(std::make_pair(std::string("dbt.sql_lineage.parsed"), std::string("4"))));
}

TEST(DbtMappingTest, UnresolvedColumnsAreWarningsNotErrors) {
  // The stg_* models are trimmed from this manifest: their columns are unknown to the parser.
  ASSERT_OK_AND_ASSIGN(
      auto m, ingest::MapDbtArtifacts(Fixture("v12_dbt-1.8.9_duckdb_openlineage-jaffle-shop"), {}));
  EXPECT_TRUE(m.errors.empty()) << m.errors[0].ShortDebugString();
  Index idx(m);
  const std::string orders =
      "urn:li:dataset:(urn:li:dataPlatform:duckdb,jaffle_shop.main.orders,PROD)";
  const std::string stg_payments =
      "urn:li:dataset:(urn:li:dataPlatform:duckdb,jaffle_shop.main.stg_payments,PROD)";
  auto edges = ColumnEdges(idx, orders);
  ASSERT_TRUE(edges.contains("credit_card_amount"));
  EXPECT_THAT(
      edges["credit_card_amount"].first,
      UnorderedElementsAre(Field(stg_payments, "amount"), Field(stg_payments, "payment_method")));
  EXPECT_EQ(edges["credit_card_amount"].second, v1::TRANSFORMATION);
  bool warned = false;
  for (const auto& [key, value] : m.properties) {
    if (key == "dbt.sql_lineage.warning.model.jaffle_shop.orders") warned = true;
  }
  EXPECT_TRUE(warned);
  // A model whose SQL does not parse keeps its depends_on lineage.
  ingest::DbtArtifacts broken = Fixture("v12_dbt-1.8.9_duckdb_openlineage-jaffle-shop");
  const std::string marker = "select * from final";
  for (size_t at = broken.manifest.find(marker); at != std::string::npos;
       at = broken.manifest.find(marker, at)) {
    broken.manifest.replace(at, marker.size(), "select ((( from");
  }
  ASSERT_OK_AND_ASSIGN(auto b, ingest::MapDbtArtifacts(broken, {}));
  EXPECT_TRUE(b.errors.empty()) << b.errors[0].ShortDebugString();
  Index bidx(b);
  EXPECT_FALSE(bidx.Upstreams(orders).empty());
  EXPECT_TRUE(ColumnEdges(bidx, orders).empty());
}

TEST(DbtMappingTest, PlatformOverrideAndBadManifest) {
  ingest::DbtOptions options;
  options.platform = "trino";
  ASSERT_OK_AND_ASSIGN(
      auto m,
      ingest::MapDbtArtifacts(Fixture("v12_dbt-1.8.9_duckdb_openlineage-jaffle-shop"), options));
  EXPECT_EQ(m.aspects[0].urn.PlatformName(), "trino");
  ingest::DbtArtifacts bad;
  bad.manifest = "{\"nodes\": 3}";
  EXPECT_FALSE(ingest::MapDbtArtifacts(bad, {}).ok());
  ingest::DbtArtifacts bad_catalog = Fixture("v12_dbt-1.8.9_duckdb_openlineage-jaffle-shop");
  bad_catalog.catalog = "{oops";
  ASSERT_OK_AND_ASSIGN(auto partial, ingest::MapDbtArtifacts(bad_catalog, {}));
  ASSERT_EQ(partial.errors.size(), 1u);
  EXPECT_EQ(partial.errors[0].path(), "catalog.json");
}

// A real HTTP server with the entity and ingest routes on an in-memory catalog.
class DbtIngestServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::shared_ptr<catalog::AspectRegistry> registry =
        catalog::AspectRegistry::WithCatalogAspects();
    ASSERT_OK(lineage::RegisterLineageAspects(*registry));
    ASSERT_OK(ingest::RegisterDbtAspects(*registry));
    ASSERT_OK_AND_ASSIGN(catalog_,
                         catalog::CatalogService::Open(storage::NewMemoryStore(), registry));
    ASSERT_OK_AND_ASSIGN(lineage_, lineage::LineageService::Attach(*catalog_));
    server::AddEntityRoutes(router_, *catalog_);
    server::AddIngestCodeRoutes(
        router_, *catalog_,
        std::make_shared<ingest::RunStore>(catalog_->Meta(ingest::kIngestMetaSpace)));
    server_ = std::make_unique<server::HttpServer>(
        server::ServerOptions{.port = 0, .body_limit = 32 << 20}, &router_, nullptr);
    ASSERT_OK_AND_ASSIGN(uint16_t port, server_->Start());
    ASSERT_OK_AND_ASSIGN(client_,
                         server::HttpClient::Connect("http://127.0.0.1:" + std::to_string(port)));
  }
  void TearDown() override { server_->Stop(); }

  json::value Post(const std::string& target, const std::string& body, int want = 200) {
    auto r = client_->Request("POST", target, body, {{"X-Tidemark-User", "ci"}});
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return nullptr;
    EXPECT_EQ(r->status, want) << r->body;
    return json::parse(r->body);
  }

  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<lineage::LineageService> lineage_;
  server::Router router_;
  std::unique_ptr<server::HttpServer> server_;
  std::unique_ptr<server::HttpClient> client_;
};

TEST_F(DbtIngestServerTest, IngestDbtTwiceWritesNothingNewAndListsRuns) {
  const auto dir = testing::FixturesDir() / "dbt" / "v11_dbt-1.7.3_postgres_datahub-sample-dbt";
  const std::string body = "{\"manifest\":" + ReadFile(dir / "manifest.json") +
                           ",\"catalog\":" + ReadFile(dir / "catalog.json") +
                           ",\"run_results\":" + ReadFile(dir / "run_results.json") + "}";
  json::value first = Post("/api/v1/ingest/dbt", body);
  ASSERT_TRUE(first.is_object());
  EXPECT_EQ(first.at("state").as_string(), "SUCCEEDED");
  const auto& c1 = first.at("counts").as_object();
  EXPECT_EQ(c1.at("entitiesWritten").as_string(), "16")
      << first;  // 12 sources, 3 models, 1 snapshot
  EXPECT_GT(std::stoi(std::string(c1.at("edgesWritten").as_string())), 10);
  EXPECT_FALSE(c1.contains("aspectsUnchanged"));

  json::value second = Post("/api/v1/ingest/dbt", body);
  const auto& c2 = second.at("counts").as_object();
  EXPECT_FALSE(c2.contains("aspectsWritten")) << second;
  EXPECT_EQ(c2.at("aspectsUnchanged"), c1.at("aspectsWritten"));

  auto list = client_->Request("GET", "/api/v1/ingest/runs?source=dbt");
  ASSERT_OK(list.status());
  json::value runs = json::parse(list->body);
  ASSERT_EQ(runs.at("runs").as_array().size(), 2u);
  EXPECT_EQ(runs.at("runs").as_array()[0].at("id"), second.at("id"));
  EXPECT_EQ(runs.at("runs").as_array()[0].at("properties").at("dbt.dbt_version"), "1.7.3");

  // The lineage edge is queryable through the entity API, attributed to the run.
  auto aspect =
      client_->Request("GET", "/api/v1/entities/" +
                                  server::PercentEncodePathSegment(
                                      PgUrn("pagila.public.an-aliased-view-for-monthly-billing")) +
                                  "/aspects/upstreamLineage");
  ASSERT_OK(aspect.status());
  EXPECT_EQ(aspect->status, 200) << aspect->body;
  EXPECT_NE(aspect->body.find(std::string(first.at("id").as_string())), std::string::npos);
}

TEST_F(DbtIngestServerTest, RunRoutesRecordBadItemsAndFinish) {
  json::value run = Post("/api/v1/ingest/runs", R"({"source":"postgres","target":"db"})", 201);
  const std::string id(run.at("id").as_string());
  json::value after =
      Post("/api/v1/ingest/runs/" + id + "/writes",
           R"json({"writes":[{"urn":"urn:li:dataset:(urn:li:dataPlatform:postgres,d.s.t,PROD)",
                           "aspect":"datasetProperties","value":{"name":"t"}},
                           {"urn":"bad","aspect":"datasetProperties","value":{}}]})json");
  EXPECT_EQ(after.at("counts").at("aspectsWritten"), "1");
  EXPECT_EQ(after.at("counts").at("aspectsRejected"), "1");
  json::value done = Post("/api/v1/ingest/runs/" + id + "/finish",
                          R"({"errors":[{"path":"x.sql","message":"no parse"}]})");
  EXPECT_EQ(done.at("state"), "SUCCEEDED_WITH_ERRORS");
  EXPECT_EQ(done.at("errorCount"), "2");
  Post("/api/v1/ingest/runs/" + id + "/writes", R"({"writes":[]})", 412);
  Post("/api/v1/ingest/runs", R"({"source":"nonsense"})", 400);
}

}  // namespace
}  // namespace tidemark
