// Tests of the lineage aspect normalisers and their registration.
#include "lineage/lineage_aspects.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace tidemark::lineage {
namespace {

using common::Urn;
using ::testing::HasSubstr;
using tidemark::testing::StatusIs;

const Urn kDs = Urn::Dataset("trino", "lake.sales.orders");

TEST(LineageAspectsTest, CanonicalisesDedupesAndSortsUpstreams) {
  v1::UpstreamLineage v;
  v.add_upstreams()->set_dataset("urn:li:dataset:(urn:li:dataPlatform:trino,b,prod)");
  v.add_upstreams()->set_dataset("urn:li:dataset:(trino,a,PROD)");
  v.add_upstreams()->set_dataset("urn:li:dataset:(urn:li:dataPlatform:trino,b,PROD)");
  ASSERT_OK(NormalizeUpstreamLineage(kDs, v));
  ASSERT_EQ(v.upstreams_size(), 2);
  EXPECT_EQ(v.upstreams(0).dataset(), Urn::Dataset("trino", "a").ToString());
  EXPECT_EQ(v.upstreams(1).dataset(), Urn::Dataset("trino", "b").ToString());
}

TEST(LineageAspectsTest, RejectsWrongEntityTypesNamingTheField) {
  v1::UpstreamLineage v;
  v.add_upstreams()->set_dataset("urn:li:corpuser:alice");
  EXPECT_THAT(NormalizeUpstreamLineage(kDs, v),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("upstreams[0].dataset")));
  v.Clear();
  v.add_upstreams()->set_dataset("not a urn");
  EXPECT_THAT(NormalizeUpstreamLineage(kDs, v),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("upstreams[0].dataset")));
  v.Clear();
  auto* up = v.add_upstreams();
  up->set_dataset(Urn::Dataset("trino", "a").ToString());
  up->set_job(Urn::Dataset("trino", "a").ToString());
  EXPECT_THAT(NormalizeUpstreamLineage(kDs, v),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("upstreams[0].job")));
}

TEST(LineageAspectsTest, FineGrainedDownstreamsMustBelongToTheDataset) {
  v1::UpstreamLineage v;
  auto* fg = v.add_fine_grained_lineages();
  fg->add_upstreams(Urn::SchemaField(Urn::Dataset("trino", "a"), "x").ToString());
  fg->add_downstreams(Urn::SchemaField(Urn::Dataset("trino", "other"), "x").ToString());
  EXPECT_THAT(NormalizeUpstreamLineage(kDs, v),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fineGrainedLineages[0].downstreams")));
  fg->set_downstreams(0, Urn::SchemaField(kDs, "x").ToString());
  fg->add_subtypes(v1::JOIN);
  fg->add_subtypes(v1::FILTER);
  fg->add_subtypes(v1::JOIN);
  ASSERT_OK(NormalizeUpstreamLineage(kDs, v));
  EXPECT_EQ(v.fine_grained_lineages(0).subtypes_size(), 2);
  EXPECT_EQ(v.fine_grained_lineages(0).subtypes(0), v1::FILTER);
  fg = v.mutable_fine_grained_lineages(0);
  fg->set_confidence_score(2);
  EXPECT_THAT(NormalizeUpstreamLineage(kDs, v),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("confidenceScore")));
}

TEST(LineageAspectsTest, CyclesAndSelfLoopsAreLegal) {
  v1::UpstreamLineage v;
  v.add_upstreams()->set_dataset(kDs.ToString());
  EXPECT_OK(NormalizeUpstreamLineage(kDs, v));
}

TEST(LineageAspectsTest, DataJobInputOutputValidatesDatasetsAndFields) {
  const Urn job = Urn::Parse("urn:li:dataJob:(urn:li:dataFlow:(airflow,etl,PROD),load)").value();
  v1::DataJobInputOutput v;
  v.add_input_datasets(Urn::Dataset("trino", "b").ToString());
  v.add_input_datasets(Urn::Dataset("trino", "a").ToString());
  v.add_output_datasets(Urn::SchemaField(kDs, "x").ToString());
  EXPECT_THAT(NormalizeDataJobInputOutput(job, v),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outputDatasets[0]")));
  v.set_output_datasets(0, kDs.ToString());
  ASSERT_OK(NormalizeDataJobInputOutput(job, v));
  EXPECT_EQ(v.input_datasets(0), Urn::Dataset("trino", "a").ToString());
}

TEST(LineageAspectsTest, RegistersBothAspectsWithJsonSupport) {
  auto registry = catalog::AspectRegistry::WithCatalogAspects();
  ASSERT_OK(RegisterLineageAspects(*registry));
  ASSERT_NE(registry->Find("upstreamLineage"), nullptr);
  ASSERT_NE(registry->Find("dataJobInputOutput"), nullptr);
  const std::string json =
      R"j({"upstreams":[{"dataset":"urn:li:dataset:(trino,a,PROD)","type":"COPY"}],)j"
      R"j("fineGrainedLineages":[{"upstreams":)j"
      R"j(["urn:li:schemaField:(urn:li:dataset:(trino,a,PROD),id)"],"downstreams":)j"
      R"j(["urn:li:schemaField:(urn:li:dataset:(trino,lake.sales.orders,PROD),id)"],)j"
      R"j("transformationType":"IDENTITY","subtypes":["FILTER"]}]})j";
  ASSERT_OK_AND_ASSIGN(auto message, registry->FromJson(kDs, "upstreamLineage", json));
  const auto& v = dynamic_cast<const v1::UpstreamLineage&>(*message);
  EXPECT_EQ(v.upstreams(0).dataset(), Urn::Dataset("trino", "a").ToString());
  EXPECT_EQ(v.upstreams(0).type(), v1::COPY);
  EXPECT_THAT(registry->Check(Urn::CorpUser("bob"), "upstreamLineage"),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

}  // namespace
}  // namespace tidemark::lineage
