// business_glossary.yml import/export on DataHub's real fixture, and the lossless round trip.
#include "glossary/glossary_yaml.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "glossary/glossary_aspects.h"
#include "glossary/glossary_service.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::glossary {
namespace {

using common::Urn;

std::string ReadFixture() {
  return testing::ReadFile(testing::FixturesDir() / "datahub" / "business_glossary.yml");
}

struct Catalog {
  Catalog() {
    std::shared_ptr<catalog::AspectRegistry> registry =
        catalog::AspectRegistry::WithCatalogAspects();
    EXPECT_OK(RegisterGlossaryAspects(*registry));
    catalog = *catalog::CatalogService::Open(storage::NewMemoryStore(), registry);
    service = *GlossaryService::Attach(*catalog);
  }
  template <typename T>
  T Get(const std::string& urn, const char* aspect) {
    auto a = catalog->GetAspect(*Urn::Parse(urn), aspect);
    EXPECT_OK(a.status()) << urn << " " << aspect;
    T out;
    if (a.ok()) out.CopyFrom(*a->value);
    return out;
  }
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<GlossaryService> service;
};

const catalog::WriteOrigin kOrigin{.actor = "urn:li:corpuser:test", .source = v1::MANUAL};

TEST(GlossaryYamlTest, ImportsTheDataHubFixture) {
  std::string yaml = ReadFixture();
  ASSERT_FALSE(yaml.empty()) << "fixture missing";
  Catalog c;
  ASSERT_OK_AND_ASSIGN(size_t writes, c.service->Import(yaml, kOrigin));
  EXPECT_GT(writes, 30u);
  ASSERT_OK_AND_ASSIGN(auto nodes, c.catalog->ScanIndex("type", "glossaryNode", "", 100));
  EXPECT_EQ(nodes.size(), 6u);  // 5 top-level + Housing.Colors
  ASSERT_OK_AND_ASSIGN(auto terms, c.catalog->ScanIndex("type", "glossaryTerm", "", 100));
  EXPECT_EQ(terms.size(), 15u);

  auto email =
      c.Get<v1::GlossaryTermInfo>("urn:li:glossaryTerm:PersonalInformation.Email", kTermInfoAspect);
  EXPECT_EQ(email.name(), "Email");
  EXPECT_EQ(email.definition(), "An individual's email address");
  EXPECT_EQ(email.parent_node(), "urn:li:glossaryNode:PersonalInformation");
  EXPECT_EQ(email.term_source(), "INTERNAL");
  EXPECT_EQ(email.source_ref(), "DataHub");  // top-level default
  auto related = c.Get<v1::GlossaryRelatedTerms>("urn:li:glossaryTerm:PersonalInformation.Email",
                                                 kRelatedTermsAspect);
  ASSERT_EQ(related.is_related_terms_size(), 1);
  EXPECT_EQ(related.is_related_terms(0), "urn:li:glossaryTerm:Classification.Confidential");
  auto owners = c.Get<v1::Ownership>("urn:li:glossaryTerm:PersonalInformation.Email", "ownership");
  ASSERT_EQ(owners.owners_size(), 1);
  EXPECT_EQ(owners.owners(0).owner(), Urn::CorpGroup("Trust and Safety").ToString());
  // Top-level owners are the default of nodes and terms without their own.
  auto default_owner = c.Get<v1::Ownership>("urn:li:glossaryNode:Classification", "ownership");
  EXPECT_EQ(default_owner.owners(0).owner(), "urn:li:corpuser:mjames");

  auto full =
      c.Get<v1::GlossaryTermInfo>("urn:li:glossaryTerm:Shipping.FullAddress", kTermInfoAspect);
  EXPECT_EQ(full.term_source(), "EXTERNAL");
  EXPECT_EQ(full.source_ref(), "FIBO");
  EXPECT_EQ(full.custom_properties().at("is_used_for_compliance_tracking"), "true");
  ASSERT_EQ(full.knowledge_links_size(), 1);
  EXPECT_EQ(full.knowledge_links(0).label(), "Wiki link");
  auto full_related = c.Get<v1::GlossaryRelatedTerms>("urn:li:glossaryTerm:Shipping.FullAddress",
                                                      kRelatedTermsAspect);
  EXPECT_EQ(full_related.has_related_terms_size(), 3);
  EXPECT_EQ(c.Get<v1::Domains>("urn:li:glossaryTerm:Shipping.FullAddress", "domains").domains(0),
            "urn:li:domain:Logistics");
  EXPECT_EQ(c.Get<v1::Domains>("urn:li:glossaryTerm:Classification.HighlyConfidential", "domains")
                .domains(0),
            "urn:li:domain:Marketing");

  auto red = c.Get<v1::GlossaryTermInfo>("urn:li:glossaryTerm:Housing.Colors.Red", kTermInfoAspect);
  EXPECT_EQ(red.parent_node(), "urn:li:glossaryNode:Housing.Colors");
  auto window = c.Get<v1::GlossaryRelatedTerms>("urn:li:glossaryTerm:Housing.WindowColor",
                                                kRelatedTermsAspect);
  EXPECT_EQ(window.values_size(), 2);
  auto spoon =
      c.Get<v1::GlossaryRelatedTerms>("urn:li:glossaryTerm:Housing.Spoon", kRelatedTermsAspect);
  EXPECT_EQ(spoon.related_terms(0), "urn:li:glossaryTerm:Housing.Kitchen");
}

// Every aspect of every glossary entity, as JSON, for comparing two catalogs.
std::map<std::string, std::string> Dump(const catalog::CatalogService& catalog) {
  std::map<std::string, std::string> out;
  for (const char* type : {"glossaryNode", "glossaryTerm"}) {
    std::vector<std::string> urns = *catalog.ScanIndex("type", type, "", 1000);
    for (const auto& urn : urns) {
      std::vector<catalog::VersionedAspect> aspects = *catalog.GetEntity(*Urn::Parse(urn));
      for (const auto& a : aspects)
        out[urn + " " + a.aspect] = catalog::AspectRegistry::ToJson(*a.value);
    }
  }
  return out;
}

TEST(GlossaryYamlTest, ImportExportImportIsLossless) {
  Catalog first;
  ASSERT_OK(first.service->Import(ReadFixture(), kOrigin).status());
  ASSERT_OK_AND_ASSIGN(std::string exported, first.service->Export());
  Catalog second;
  ASSERT_OK(second.service->Import(exported, kOrigin).status());
  EXPECT_EQ(Dump(*first.catalog), Dump(*second.catalog));
  ASSERT_OK_AND_ASSIGN(std::string again, second.service->Export());
  EXPECT_EQ(exported, again);
  // Re-importing the export into the same catalog changes nothing.
  ASSERT_OK_AND_ASSIGN(auto before, first.catalog->ReadChanges(0, 1));
  ASSERT_OK(first.service->Import(exported, kOrigin).status());
  ASSERT_OK_AND_ASSIGN(auto after, first.catalog->ReadChanges(0, 1));
  EXPECT_EQ(before.latest_seq, after.latest_seq);
}

TEST(GlossaryYamlTest, ExtensionsAndIdsRoundTrip) {
  Catalog c;
  ASSERT_OK(c.service
                ->Import(R"(version: "1"
source: Finance
owners: {users: [ann]}
nodes:
  - name: Billing
    id: billing
    terms:
      - name: Billable Usage
        id: billing.billable_usage
        description: Usage that is charged
        synonyms: [chargeable consumption, metered usage]
        status: APPROVED
      - name: Old Usage
        status: deprecated
        replaced_by: [billing.billable_usage]
terms:
  - name: Orphan
)",
                         kOrigin)
                .status());
  auto usage =
      c.Get<v1::GlossaryTermInfo>("urn:li:glossaryTerm:billing.billable_usage", kTermInfoAspect);
  EXPECT_EQ(usage.synonyms_size(), 2);
  EXPECT_EQ(usage.status(), v1::APPROVED);
  EXPECT_EQ(usage.parent_node(), "urn:li:glossaryNode:billing");
  auto old = c.Get<v1::GlossaryRelatedTerms>(
      Urn::Simple("glossaryTerm", "Billing.Old Usage").ToString(), kRelatedTermsAspect);
  EXPECT_EQ(old.replaced_by(0), "urn:li:glossaryTerm:billing.billable_usage");
  ASSERT_OK_AND_ASSIGN(std::string exported, c.service->Export());
  Catalog second;
  ASSERT_OK(second.service->Import(exported, kOrigin).status());
  EXPECT_EQ(Dump(*c.catalog), Dump(*second.catalog)) << exported;
}

TEST(GlossaryYamlTest, Errors) {
  Catalog c;
  EXPECT_THAT(c.service->Import("nodes: [ {name: a", kOrigin).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("YAML")));
  EXPECT_THAT(c.service->Import("nodes:\n  - description: no name\n", kOrigin).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                ::testing::HasSubstr("without a name")));
  EXPECT_THAT(c.service->Import("- just a list", kOrigin).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

}  // namespace
}  // namespace tidemark::glossary
