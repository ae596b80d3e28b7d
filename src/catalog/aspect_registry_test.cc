// AspectRegistry: JSON conversion, validation messages and normalisation of built-in aspects.
#include "catalog/aspect_registry.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/testing/status_matchers.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::catalog {
namespace {

using common::Urn;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

class AspectRegistryTest : public ::testing::Test {
 protected:
  std::unique_ptr<AspectRegistry> registry_ = AspectRegistry::WithCatalogAspects();
  Urn dataset_ = Urn::Dataset("trino", "lake.billing.invoices");
};

TEST_F(AspectRegistryTest, ParsesCamelCaseJsonAndPrintsItBack) {
  ASSERT_OK_AND_ASSIGN(
      auto m, registry_->FromJson(dataset_, "datasetProperties",
                                  R"({"description":"Invoices","customProperties":{"k":"v"}})"));
  const auto& props = static_cast<const v1::DatasetProperties&>(*m);
  EXPECT_EQ(props.description(), "Invoices");
  EXPECT_EQ(props.custom_properties().at("k"), "v");
  EXPECT_EQ(AspectRegistry::ToJson(*m),
            R"({"description":"Invoices","customProperties":{"k":"v"}})");
}

// Regression: protobuf's lenient JSON reader stored these through PUT .../aspects/{aspect} while
// /api/v1/aspects:batch refused them; every aspect value now gets the same strict reading.
TEST_F(AspectRegistryTest, RejectsJsonThatIsNotStrict) {
  const std::string lenient[] = {
      "{'description':'x'}",
      R"({"description":"x",})",
      "{\"description\":\"a\tb\"}",
      std::string("{\"description\":\"a\0b\"}", 21),
      "{\"description\":\"\xff\xfe\"}",
      R"({"description":"x"} trailing)",
  };
  for (const std::string& text : lenient) {
    EXPECT_THAT(registry_->FromJson(dataset_, "datasetProperties", text),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid JSON")))
        << text;
  }
}

TEST_F(AspectRegistryTest, RejectsUnknownAspectsFieldsAndWrongTypes) {
  EXPECT_THAT(registry_->FromJson(dataset_, "nope", "{}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown aspect 'nope'")));
  EXPECT_THAT(registry_->FromJson(dataset_, "datasetProperties", R"({"descr":"x"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("descr")));
  EXPECT_THAT(registry_->FromJson(dataset_, "datasetProperties", R"({"description":5})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("description")));
  EXPECT_THAT(registry_->FromJson(dataset_, "datasetProperties", R"({"description":)"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("datasetProperties")));
  EXPECT_THAT(registry_->FromJson(Urn::CorpUser("x"), "schemaMetadata", "{}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot be attached")));
}

TEST_F(AspectRegistryTest, OwnershipOwnersMustBeUsersOrGroupsAndAreCanonical) {
  EXPECT_THAT(
      registry_->FromJson(dataset_, "ownership", R"({"owners":[{"owner":"urn:li:tag:x"}]})"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected corpuser or corpGroup")));
  ASSERT_OK_AND_ASSIGN(
      auto m,
      registry_->FromJson(
          dataset_, "ownership",
          R"({"owners":[{"owner":"urn:li:corpuser:a"},{"owner":"urn:li:corpuser:a","type":"TECHNICAL_OWNER"},{"owner":"urn:li:corpGroup:b","type":"DATA_STEWARD"}]})"));
  const auto& o = static_cast<const v1::Ownership&>(*m);
  ASSERT_EQ(o.owners_size(), 2);  // the unspecified type defaults to TECHNICAL_OWNER and dedupes
  EXPECT_EQ(o.owners(1).type(), v1::DATA_STEWARD);
  EXPECT_THAT(registry_->FromJson(dataset_, "ownership",
                                  R"({"owners":[{"owner":"urn:li:corpuser:a","type":"KING"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("type")));
}

TEST_F(AspectRegistryTest, SchemaMetadataGetsHashAndRejectsDuplicateFields) {
  const char* schema =
      R"({"fields":[{"fieldPath":"id","nativeDataType":"bigint","type":"NUMBER"},{"fieldPath":"email","nativeDataType":"varchar"}],"primaryKeys":["id"]})";
  ASSERT_OK_AND_ASSIGN(auto a, registry_->FromJson(dataset_, "schemaMetadata", schema));
  ASSERT_OK_AND_ASSIGN(auto b, registry_->FromJson(dataset_, "schemaMetadata", schema));
  const auto& s = static_cast<const v1::SchemaMetadata&>(*a);
  EXPECT_EQ(s.hash().size(), 16u);
  EXPECT_EQ(s.hash(), static_cast<const v1::SchemaMetadata&>(*b).hash());
  EXPECT_EQ(s.fields(1).ordinal(), 1);
  EXPECT_EQ(s.fields(1).type(), v1::UNKNOWN);
  EXPECT_EQ(s.platform(), "urn:li:dataPlatform:trino");
  ASSERT_OK_AND_ASSIGN(
      auto c, registry_->FromJson(dataset_, "schemaMetadata",
                                  R"({"fields":[{"fieldPath":"id","nativeDataType":"int"}]})"));
  EXPECT_NE(static_cast<const v1::SchemaMetadata&>(*c).hash(), s.hash());
  EXPECT_THAT(registry_->FromJson(dataset_, "schemaMetadata",
                                  R"({"fields":[{"fieldPath":"a"},{"fieldPath":"a"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'a' appears twice")));
  EXPECT_THAT(registry_->FromJson(dataset_, "schemaMetadata",
                                  R"({"fields":[{"fieldPath":"a"}],"primaryKeys":["b"]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("primary key 'b'")));
}

TEST_F(AspectRegistryTest, TagsAreValidatedAndDeduplicated) {
  ASSERT_OK_AND_ASSIGN(
      auto m,
      registry_->FromJson(dataset_, "globalTags",
                          R"({"tags":[{"tag":"urn:li:tag:pii"},{"tag":"urn:li:tag:pii"}]})"));
  EXPECT_EQ(static_cast<const v1::GlobalTags&>(*m).tags_size(), 1);
  EXPECT_THAT(registry_->FromJson(dataset_, "globalTags", R"({"tags":[{"tag":"pii"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tags[].tag")));
}

}  // namespace
}  // namespace tidemark::catalog
