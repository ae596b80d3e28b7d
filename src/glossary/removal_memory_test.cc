// RemovalMemory: what a person removes from globalTags / glossaryTerms stays removed when an
// automated source writes the aspect again; a person can add it back.
#include "glossary/removal_memory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::glossary {
namespace {

using common::Urn;
using ::testing::ElementsAre;

class RemovalMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = catalog::CatalogService::Open(storage::NewMemoryStore(),
                                                 catalog::AspectRegistry::WithCatalogAspects());
    ASSERT_OK(catalog);
    catalog_ = std::move(catalog).value();
    AttachRemovalMemory(*catalog_);
  }
  void WriteTags(std::vector<std::string> tags, v1::SourceKind source) {
    auto value = std::make_unique<v1::GlobalTags>();
    for (const auto& t : tags) value->add_tags()->set_tag("urn:li:tag:" + t);
    std::vector<catalog::AspectWrite> writes;
    writes.push_back({dataset_, "globalTags", std::move(value)});
    ASSERT_OK(catalog_->Write(std::move(writes), {.actor = "urn:li:corpuser:x", .source = source}));
  }
  void WriteTerms(std::vector<std::string> terms, v1::SourceKind source) {
    auto value = std::make_unique<v1::GlossaryTerms>();
    for (const auto& t : terms) value->add_terms()->set_urn("urn:li:glossaryTerm:" + t);
    std::vector<catalog::AspectWrite> writes;
    writes.push_back({dataset_, "glossaryTerms", std::move(value)});
    ASSERT_OK(catalog_->Write(std::move(writes), {.actor = "urn:li:corpuser:x", .source = source}));
  }
  std::vector<std::string> Tags() {
    std::vector<std::string> out;
    auto a = catalog_->GetAspect(dataset_, "globalTags");
    if (a.ok()) {
      for (const auto& t : static_cast<const v1::GlobalTags&>(*a->value).tags())
        out.push_back(t.tag());
    }
    return out;
  }
  std::vector<std::string> Terms() {
    std::vector<std::string> out;
    auto a = catalog_->GetAspect(dataset_, "glossaryTerms");
    if (a.ok()) {
      for (const auto& t : static_cast<const v1::GlossaryTerms&>(*a->value).terms())
        out.push_back(t.urn());
    }
    return out;
  }
  Urn dataset_ = Urn::Dataset("trino", "lake.billing.invoices");
  std::unique_ptr<catalog::CatalogService> catalog_;
};

TEST_F(RemovalMemoryTest, AutomationDoesNotReAddWhatAPersonRemoved) {
  WriteTags({"pii", "billing"}, v1::DBT);
  WriteTags({"billing"}, v1::MANUAL);  // a person removes pii
  WriteTags({"pii", "billing", "gold"}, v1::DBT);
  EXPECT_THAT(Tags(), ElementsAre("urn:li:tag:billing", "urn:li:tag:gold"));
}

TEST_F(RemovalMemoryTest, APersonCanAddItBackAndAutomationThenKeepsIt) {
  WriteTags({"pii"}, v1::OPENLINEAGE);
  WriteTags({}, v1::MANUAL);
  WriteTags({"pii"}, v1::OPENLINEAGE);
  EXPECT_TRUE(Tags().empty());
  WriteTags({"pii"}, v1::MANUAL);  // added back by a person: the tombstone is lifted
  WriteTags({"pii"}, v1::DBT);
  EXPECT_THAT(Tags(), ElementsAre("urn:li:tag:pii"));
}

TEST_F(RemovalMemoryTest, TermsAreRememberedPerAspectAndEntity) {
  WriteTerms({"Billing.Invoice", "Billing.Usage"}, v1::DBT);
  WriteTerms({"Billing.Invoice"}, v1::MANUAL);
  WriteTerms({"Billing.Invoice", "Billing.Usage"}, v1::DBT);
  EXPECT_THAT(Terms(), ElementsAre("urn:li:glossaryTerm:Billing.Invoice"));
  // The tombstone is for this entity only.
  dataset_ = Urn::Dataset("trino", "lake.billing.other");
  WriteTerms({"Billing.Usage"}, v1::DBT);
  EXPECT_THAT(Terms(), ElementsAre("urn:li:glossaryTerm:Billing.Usage"));
}

TEST_F(RemovalMemoryTest, PurgeForgetsTombstones) {
  WriteTags({"pii"}, v1::DBT);
  WriteTags({}, v1::MANUAL);
  ASSERT_OK(catalog_->Purge(dataset_, {}));
  WriteTags({"pii"}, v1::DBT);
  EXPECT_THAT(Tags(), ElementsAre("urn:li:tag:pii"));
}

}  // namespace
}  // namespace tidemark::glossary
