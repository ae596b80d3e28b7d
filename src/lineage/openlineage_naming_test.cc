// Table-driven tests of the OpenLineage / Marquez name <-> URN mapping.
#include "lineage/openlineage_naming.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace tidemark::lineage {
namespace {

using common::Urn;

struct DatasetCase {
  std::string ns, name, platform, urn_name, canonical_ns, canonical_name;
};

TEST(OpenLineageNamingTest, DatasetsMapToPlatformsAndBack) {
  const std::vector<DatasetCase> cases = {
      {"trino://trino.internal:8080", "lake.sales.orders", "trino", "lake.sales.orders", "trino",
       "lake.sales.orders"},
      {"postgres://db:5432", "app.public.users", "postgres", "app.public.users", "postgres",
       "app.public.users"},
      {"postgresql://db:5432", "app.public.users", "postgres", "app.public.users", "postgres",
       "app.public.users"},
      {"s3://bucket", "/raw/events", "s3", "bucket/raw/events", "s3://bucket", "raw/events"},
      {"gs://b2", "x/y", "gcs", "b2/x/y", "gs://b2", "x/y"},
      {"kafka://broker:9092", "orders", "kafka", "orders", "kafka", "orders"},
      {"bigquery", "proj.ds.t", "bigquery", "proj.ds.t", "bigquery", "proj.ds.t"},
      {"snowflake://acct", "DB.S.T", "snowflake", "DB.S.T", "snowflake", "DB.S.T"},
      {"food_delivery", "public.orders", "openlineage", "food_delivery/public.orders",
       "food_delivery", "public.orders"},
  };
  for (const DatasetCase& c : cases) {
    SCOPED_TRACE(c.ns + " " + c.name);
    ASSERT_OK_AND_ASSIGN(Urn urn, DatasetUrnFromOpenLineage(c.ns, c.name));
    EXPECT_EQ(urn.PlatformName(), c.platform);
    EXPECT_EQ(urn.DatasetName(), c.urn_name);
    ASSERT_OK_AND_ASSIGN(OpenLineageName back, OpenLineageFromDatasetUrn(urn));
    EXPECT_EQ(back.ns, c.canonical_ns);
    EXPECT_EQ(back.name, c.canonical_name);
    ASSERT_OK_AND_ASSIGN(Urn again, DatasetUrnFromOpenLineage(back.ns, back.name));
    EXPECT_EQ(again, urn);
  }
  EXPECT_THAT(DatasetUrnFromOpenLineage("", "x"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

TEST(OpenLineageNamingTest, NamespaceSchemesMustBeUriSchemes) {
  // Regression: "urn:li:gs" was taken as a platform and aborted in Urn::Dataset.
  for (const char* ns : {"urn:li:gs://b", "1x://h", "a b://h", "s_3://b"}) {
    SCOPED_TRACE(ns);
    EXPECT_THAT(DatasetUrnFromOpenLineage(ns, "t").status(),
                ::tidemark::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                              ::testing::HasSubstr("is not a URI scheme")));
  }
  EXPECT_FALSE(UrnFromMarquezNodeId("dataset:urn:li:x://h:t").ok());
  EXPECT_OK(DatasetUrnFromOpenLineage("s3a+x.y-z://b", "t").status());
}

TEST(OpenLineageNamingTest, JobsAreExactlyReversible) {
  ASSERT_OK_AND_ASSIGN(Urn job, JobUrnFromOpenLineage("airflow://prod", "dag.task(1)"));
  EXPECT_EQ(job.ToString(),
            "urn:li:dataJob:(urn:li:dataFlow:(airflow,airflow://prod,PROD),dag.task%281%29)");
  ASSERT_OK_AND_ASSIGN(OpenLineageName back, OpenLineageFromJobUrn(job));
  EXPECT_EQ(back.ns, "airflow://prod");
  EXPECT_EQ(back.name, "dag.task(1)");
  ASSERT_OK_AND_ASSIGN(job, JobUrnFromOpenLineage("my-team", "nightly"));
  EXPECT_EQ(job.PlatformName(), "openlineage");
  ASSERT_OK_AND_ASSIGN(job, JobUrnFromOpenLineage("dbt_prod", "model.x"));
  EXPECT_EQ(job.PlatformName(), "dbt");
}

TEST(OpenLineageNamingTest, MarquezNodeIds) {
  ASSERT_OK_AND_ASSIGN(MarquezNodeId id,
                       ParseMarquezNodeId("dataset:postgres://db:5432:app.public.users"));
  EXPECT_EQ(id.name.ns, "postgres://db:5432");
  EXPECT_EQ(id.name.name, "app.public.users");
  ASSERT_OK_AND_ASSIGN(id, ParseMarquezNodeId("datasetField:food_delivery:public.orders:id"));
  EXPECT_EQ(id.kind, MarquezNodeId::Kind::kDatasetField);
  EXPECT_EQ(id.name.ns, "food_delivery");
  EXPECT_EQ(id.name.name, "public.orders");
  EXPECT_EQ(id.field, "id");
  ASSERT_OK_AND_ASSIGN(id, ParseMarquezNodeId("job:trino://h:1:etl.load"));
  EXPECT_EQ(id.name.ns, "trino://h:1");
  EXPECT_EQ(FormatMarquezNodeId(id), "job:trino://h:1:etl.load");
  ASSERT_OK_AND_ASSIGN(Urn urn, UrnFromMarquezNodeId("dataset:trino:lake.a"));
  EXPECT_EQ(urn, Urn::Dataset("trino", "lake.a"));
  ASSERT_OK_AND_ASSIGN(id, MarquezNodeIdFromUrn(Urn::SchemaField(urn, "c")));
  EXPECT_EQ(FormatMarquezNodeId(id), "datasetField:trino:lake.a:c");
  EXPECT_THAT(ParseMarquezNodeId("table:x:y"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(ParseMarquezNodeId("dataset:onlyns"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

}  // namespace
}  // namespace tidemark::lineage
