// Listing filters and cursor paging over a catalog in memory.
#include "query/entity_listing.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/testing/status_matchers.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::query {
namespace {

using common::Urn;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

class EntityListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = catalog::CatalogService::Open(storage::NewMemoryStore(),
                                                 catalog::AspectRegistry::WithCatalogAspects());
    ASSERT_OK(catalog);
    catalog_ = std::move(catalog).value();
    std::vector<catalog::AspectWrite> writes;
    for (int i = 0; i < 25; ++i) {
      std::string platform = i % 5 == 0 ? "postgres" : "trino";
      Urn urn = Urn::Dataset(platform, "db.s.t" + std::to_string(100 + i));
      auto props = std::make_unique<v1::DatasetProperties>();
      props->set_description("table " + std::to_string(i));
      writes.push_back({urn, "datasetProperties", std::move(props)});
      if (i % 2 == 0) {
        auto owners = std::make_unique<v1::Ownership>();
        owners->add_owners()->set_owner("urn:li:corpGroup:billing");
        writes.push_back({urn, "ownership", std::move(owners)});
      }
    }
    writes.push_back(
        {Urn::CorpUser("alice"), "corpUserInfo", std::make_unique<v1::CorpUserInfo>()});
    ASSERT_OK(catalog_->Write(std::move(writes), {}));
  }
  std::vector<std::string> All(ListQuery q) {
    std::vector<std::string> urns;
    while (true) {
      auto page = ListEntities(*catalog_, q);
      EXPECT_OK(page);
      for (const auto& e : page->entities) urns.push_back(e.urn);
      if (page->next_cursor.empty()) return urns;
      q.cursor = page->next_cursor;
    }
  }
  std::unique_ptr<catalog::CatalogService> catalog_;
};

TEST_F(EntityListingTest, PagesThroughEveryEntityOnceInOrder) {
  std::vector<std::string> urns = All({.type = "dataset", .limit = 7});
  ASSERT_EQ(urns.size(), 25u);
  EXPECT_TRUE(std::is_sorted(urns.begin(), urns.end()));
  EXPECT_EQ(std::set<std::string>(urns.begin(), urns.end()).size(), 25u);
}

TEST_F(EntityListingTest, FiltersByPlatformOwnerAndType) {
  EXPECT_EQ(All({.type = "dataset", .platform = "postgres", .limit = 2}).size(), 5u);
  EXPECT_EQ(All({.owner = "urn:li:corpGroup:billing", .limit = 4}).size(), 13u);
  // owner ∩ platform: i even and i % 5 == 0 -> 0, 10, 20.
  EXPECT_EQ(
      All({.type = "dataset", .platform = "postgres", .owner = "urn:li:corpGroup:billing"}).size(),
      3u);
  EXPECT_EQ(All({.type = "corpuser"}).size(), 1u);
}

TEST_F(EntityListingTest, LeavesOutSoftDeletedUnlessAsked) {
  Urn first = Urn::Dataset("postgres", "db.s.t100");
  ASSERT_OK(catalog_->SoftDelete(first, {}));
  EXPECT_EQ(All({.type = "dataset", .platform = "postgres"}).size(), 4u);
  EXPECT_EQ(All({.type = "dataset", .platform = "postgres", .include_removed = true}).size(), 5u);
}

TEST_F(EntityListingTest, SummariesPreferPersonWrittenDescriptions) {
  Urn urn = Urn::Dataset("trino", "db.s.t101");
  auto editable = std::make_unique<v1::EditableDatasetProperties>();
  editable->set_description("written by a person");
  std::vector<catalog::AspectWrite> writes;
  writes.push_back({urn, "editableProperties", std::move(editable)});
  ASSERT_OK(catalog_->Write(std::move(writes), {}));
  ASSERT_OK_AND_ASSIGN(EntitySummary summary, SummarizeEntity(*catalog_, urn));
  EXPECT_EQ(summary.description, "written by a person");
  ASSERT_OK_AND_ASSIGN(EntitySummary other,
                       SummarizeEntity(*catalog_, Urn::Dataset("trino", "db.s.t102")));
  EXPECT_EQ(other.description, "table 2");
}

TEST_F(EntityListingTest, RejectsBadQueries) {
  EXPECT_THAT(ListEntities(*catalog_, {.type = "dataset", .limit = 0}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
  EXPECT_THAT(ListEntities(*catalog_, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("type")));
  EXPECT_THAT(ListEntities(*catalog_, {.type = "dataset", .cursor = "***"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cursor")));
}

}  // namespace
}  // namespace tidemark::query
