// PostgreSQL crawler against a real PostgreSQL 15 started on loopback for the test: tables, views,
// materialized views, columns with types/nullability/comments, primary and foreign keys, view
// lineage from pg_depend and column lineage from view definitions, pg_stat_statements usage,
// sampling, and an idempotent second ingest.
#include "ingest/postgres/postgres_crawler.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "ingest/runs/ingest_writer.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/status_matchers.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark {
namespace {

constexpr char kSchema[] = R"sql(
CREATE EXTENSION pg_stat_statements;
CREATE SCHEMA billing;
CREATE TABLE billing.customers (id bigint PRIMARY KEY, email text NOT NULL, region varchar(8));
COMMENT ON TABLE billing.customers IS 'One row per customer';
COMMENT ON COLUMN billing.customers.email IS 'Contact e-mail';
CREATE TABLE billing.invoices (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES billing.customers(id),
  amount numeric(12,2),
  issued_at timestamptz);
CREATE VIEW billing.invoice_totals AS
  SELECT c.region, sum(i.amount) AS total FROM billing.invoices i
  JOIN billing.customers c ON c.id = i.customer_id GROUP BY c.region;
CREATE MATERIALIZED VIEW billing.big_invoices AS SELECT * FROM billing.invoices WHERE amount > 100;
INSERT INTO billing.customers VALUES (1, 'a@example.com', 'eu'), (2, 'b@example.com', 'us');
SELECT count(*) FROM billing.customers;
CREATE TABLE billing.region_revenue (region varchar(8), revenue numeric(12,2));
INSERT INTO billing.region_revenue
  SELECT c.region, sum(i.amount) FROM billing.invoices i
  JOIN billing.customers c ON c.id = i.customer_id GROUP BY c.region;
)sql";

std::string Pg(const std::string& name) {
  return "urn:li:dataset:(urn:li:dataPlatform:postgres,appdb.billing." + name + ",PROD)";
}

class PostgresCrawlerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::PostgresServer();
    absl::Status s = server_->Start();
    if (absl::IsFailedPrecondition(s)) {
      skip_reason_ = std::string(s.message());
      return;
    }
    ASSERT_OK(s);
    ASSERT_TRUE(server_->Psql("postgres", "CREATE DATABASE appdb;"));
    ASSERT_TRUE(server_->Psql("appdb", kSchema));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
  }

  static testing::PostgresServer* server_;
  static std::string skip_reason_;
};
testing::PostgresServer* PostgresCrawlerTest::server_ = nullptr;
std::string PostgresCrawlerTest::skip_reason_;

template <typename T>
const T* Find(const ingest::Mapping& m, const std::string& urn, const std::string& aspect) {
  for (const auto& a : m.aspects) {
    if (a.urn.ToString() == urn && a.aspect == aspect) return dynamic_cast<const T*>(a.value.get());
  }
  return nullptr;
}

TEST_F(PostgresCrawlerTest, ReadsTablesViewsColumnsKeysAndViewLineage) {
  std::map<std::string, size_t> sampled;
  ingest::PostgresCrawlOptions options;
  options.sample_rows = 5;
  options.sample_sink = [&](const ingest::PostgresSample& s) {
    sampled[s.dataset.ToString()] = s.rows.size();
  };
  ASSERT_OK_AND_ASSIGN(ingest::Mapping m,
                       ingest::CrawlPostgres(server_->ConnInfo("appdb"), options));
  EXPECT_TRUE(m.errors.empty()) << m.errors[0].ShortDebugString();

  const auto* customers = Find<v1::DatasetProperties>(m, Pg("customers"), "datasetProperties");
  ASSERT_NE(customers, nullptr);
  EXPECT_EQ(customers->description(), "One row per customer");
  EXPECT_EQ(customers->custom_properties().at("postgres.kind"), "table");

  const auto* schema = Find<v1::SchemaMetadata>(m, Pg("customers"), "schemaMetadata");
  ASSERT_NE(schema, nullptr);
  ASSERT_EQ(schema->fields_size(), 3);
  EXPECT_EQ(schema->fields(1).field_path(), "email");
  EXPECT_EQ(schema->fields(1).description(), "Contact e-mail");
  EXPECT_FALSE(schema->fields(1).nullable());
  EXPECT_TRUE(schema->fields(2).nullable());
  EXPECT_EQ(schema->fields(2).native_data_type(), "character varying(8)");
  EXPECT_EQ(schema->fields(2).type(), v1::STRING);
  ASSERT_EQ(schema->primary_keys_size(), 1);
  EXPECT_EQ(schema->primary_keys(0), "id");

  const auto* invoices = Find<v1::SchemaMetadata>(m, Pg("invoices"), "schemaMetadata");
  ASSERT_NE(invoices, nullptr);
  ASSERT_EQ(invoices->foreign_keys_size(), 1);
  EXPECT_EQ(invoices->foreign_keys(0).foreign_dataset(), Pg("customers"));
  EXPECT_EQ(invoices->foreign_keys(0).source_fields(0),
            "urn:li:schemaField:(" + Pg("invoices") + ",customer_id)");

  const auto* view = Find<v1::UpstreamLineage>(m, Pg("invoice_totals"), "upstreamLineage");
  ASSERT_NE(view, nullptr);
  ASSERT_EQ(view->upstreams_size(), 2);
  EXPECT_EQ(view->upstreams(0).type(), v1::VIEW);
  // Column lineage from the view definition through the SQL parser.
  std::map<std::string, const v1::FineGrainedLineage*> columns;
  for (const auto& f : view->fine_grained_lineages()) {
    EXPECT_EQ(f.provenance().source(), v1::POSTGRES);
    for (const auto& d : f.downstreams()) columns[d] = &f;
  }
  auto field = [](const std::string& ds, const std::string& c) {
    return "urn:li:schemaField:(" + ds + "," + c + ")";
  };
  const auto total = columns.find(field(Pg("invoice_totals"), "total"));
  ASSERT_NE(total, columns.end());
  ASSERT_EQ(total->second->upstreams_size(), 1);
  EXPECT_EQ(total->second->upstreams(0), field(Pg("invoices"), "amount"));
  EXPECT_EQ(total->second->transformation_type(), v1::AGGREGATION);
  const auto region = columns.find(field(Pg("invoice_totals"), "region"));
  ASSERT_NE(region, columns.end());
  EXPECT_EQ(region->second->upstreams(0), field(Pg("customers"), "region"));
  EXPECT_EQ(region->second->transformation_type(), v1::IDENTITY);
  // Lineage of a statement the server ran, read from pg_stat_statements through the parser.
  const auto* written = Find<v1::UpstreamLineage>(m, Pg("region_revenue"), "upstreamLineage");
  ASSERT_NE(written, nullptr);
  std::set<std::string> written_from;
  for (const auto& u : written->upstreams()) written_from.insert(u.dataset());
  EXPECT_EQ(written_from, (std::set<std::string>{Pg("customers"), Pg("invoices")}));
  bool revenue_from_amount = false;
  for (const auto& f : written->fine_grained_lineages()) {
    if (f.downstreams(0) == field(Pg("region_revenue"), "revenue")) {
      revenue_from_amount = f.upstreams_size() == 1 &&
                            f.upstreams(0) == field(Pg("invoices"), "amount") &&
                            f.transformation_type() == v1::AGGREGATION;
    }
  }
  EXPECT_TRUE(revenue_from_amount);
  const auto* mv = Find<v1::UpstreamLineage>(m, Pg("big_invoices"), "upstreamLineage");
  ASSERT_NE(mv, nullptr);
  EXPECT_EQ(mv->upstreams(0).dataset(), Pg("invoices"));
  const auto* view_props =
      Find<v1::DatasetProperties>(m, Pg("invoice_totals"), "datasetProperties");
  ASSERT_NE(view_props, nullptr);
  EXPECT_EQ(view_props->custom_properties().at("postgres.kind"), "view");
  EXPECT_NE(view_props->custom_properties().at("postgres.view_definition").find("sum(i.amount)"),
            std::string::npos);
  EXPECT_TRUE(customers->custom_properties().contains("postgres.statement_calls"));

  EXPECT_EQ(sampled[Pg("customers")], 2u);
  EXPECT_EQ(sampled.count(Pg("invoice_totals")), 0u);  // views are not sampled
  // Sampled values never reach the mapping.
  for (const auto& a : m.aspects) {
    EXPECT_EQ(a.value->DebugString().find("a@example.com"), std::string::npos) << a.aspect;
  }
}

TEST_F(PostgresCrawlerTest, SecondIngestWritesNothingNew) {
  std::shared_ptr<catalog::AspectRegistry> registry = catalog::AspectRegistry::WithCatalogAspects();
  ASSERT_OK(lineage::RegisterLineageAspects(*registry));
  ASSERT_OK_AND_ASSIGN(auto catalog,
                       catalog::CatalogService::Open(storage::NewMemoryStore(), registry));
  ASSERT_OK_AND_ASSIGN(auto lineage, lineage::LineageService::Attach(*catalog));
  ingest::PostgresCrawlOptions options;
  options.use_pg_stat_statements = false;  // call counts move between crawls
  for (int run = 0; run < 2; ++run) {
    ASSERT_OK_AND_ASSIGN(ingest::Mapping m,
                         ingest::CrawlPostgres(server_->ConnInfo("appdb"), options));
    ingest::ParsedWrites parsed = ingest::ToAspectWrites(*registry, m.aspects);
    ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].ShortDebugString();
    ASSERT_OK_AND_ASSIGN(v1::IngestCounts counts,
                         ingest::WriteIngested(*catalog, std::move(parsed.writes),
                                               {.source = v1::POSTGRES, .run_id = "r"}));
    if (run == 0) {
      EXPECT_GT(counts.aspects_written(), 8);
      // 3 table edges from pg_depend + column edges: invoice_totals 2, big_invoices 4.
      EXPECT_EQ(counts.edges_written(), 9);
    } else {
      EXPECT_EQ(counts.aspects_written(), 0);
      EXPECT_EQ(counts.edges_unchanged(), 9);
    }
  }
}

TEST_F(PostgresCrawlerTest, UnreachableServerIsUnavailableWithoutPassword) {
  auto m = ingest::CrawlPostgres("postgresql://u:secret@127.0.0.1:1/x?connect_timeout=2", {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(std::string(m.status().message()).find("secret"), std::string::npos);
}

}  // namespace
}  // namespace tidemark
