// Assignments: attribution, human removal beats automation, classification proposals and review,
// glossary indexes.
#include "glossary/assignments.h"

#include <gtest/gtest.h>

#include "glossary/glossary_aspects.h"
#include "glossary/glossary_service.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::glossary {
namespace {

using common::Urn;

class AssignmentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::shared_ptr<catalog::AspectRegistry> registry =
        catalog::AspectRegistry::WithCatalogAspects();
    ASSERT_OK(RegisterGlossaryAspects(*registry));
    catalog_ = *catalog::CatalogService::Open(storage::NewMemoryStore(), registry, &clock_);
    service_ = *GlossaryService::Attach(*catalog_);
  }
  AssignmentService& assignments() { return service_->assignments(); }
  v1::FieldAssignments Current() {
    auto a = catalog_->GetAspect(dataset_, kFieldAssignmentsAspect);
    v1::FieldAssignments out;
    if (a.ok()) out.CopyFrom(*a->value);
    return out;
  }
  const v1::FieldAssignment* Field(const v1::FieldAssignments& fa, const std::string& path) {
    for (const auto& f : fa.fields())
      if (f.field_path() == path) return &f;
    return nullptr;
  }

  common::ManualClock clock_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<GlossaryService> service_;
  Urn dataset_ = Urn::Dataset("postgres", "shop.public.customers");
  Urn email_ = Urn::SchemaField(dataset_, "email");
  std::string pii_ = "urn:li:glossaryTerm:PersonalInformation.Email";
  catalog::WriteOrigin person_{.actor = "urn:li:corpuser:alice", .source = v1::MANUAL};
  catalog::WriteOrigin robot_{.actor = "urn:li:corpuser:crawler", .source = v1::POSTGRES};
};

TEST_F(AssignmentsTest, RecordsWhoWhenAndWhetherAutomated) {
  ASSERT_OK_AND_ASSIGN(auto outcome, assignments().Assign(email_, v1::TERM, pii_, robot_));
  EXPECT_EQ(outcome, AssignOutcome::kApplied);
  ASSERT_OK(assignments().Assign(dataset_, v1::TAG, "urn:li:tag:pii", person_).status());
  auto fa = Current();
  const auto& a = Field(fa, "email")->assignments(0);
  EXPECT_EQ(a.actor(), "urn:li:corpuser:crawler");
  EXPECT_EQ(a.source(), v1::POSTGRES);
  EXPECT_TRUE(a.automated());
  EXPECT_EQ(a.time_micros(), clock_.NowMicros());
  EXPECT_FALSE(Field(fa, "")->assignments(0).automated());
  EXPECT_TRUE(catalog_->HasIndexEntry("glossaryAssignedTERM", pii_, email_).value_or(false));
  EXPECT_TRUE(
      catalog_->HasIndexEntry("glossaryAssignedTAG", "urn:li:tag:pii", dataset_).value_or(false));
  ASSERT_OK_AND_ASSIGN(auto again, assignments().Assign(email_, v1::TERM, pii_, robot_));
  EXPECT_EQ(again, AssignOutcome::kUnchanged);
}

TEST_F(AssignmentsTest, HumanRemovalWinsOverAutomation) {
  ASSERT_OK(assignments().Assign(email_, v1::TERM, pii_, robot_).status());
  ASSERT_OK(assignments().Unassign(email_, v1::TERM, pii_, person_));
  EXPECT_FALSE(catalog_->HasIndexEntry("glossaryAssignedTERM", pii_, email_).value_or(true));
  ASSERT_OK_AND_ASSIGN(auto outcome, assignments().Assign(email_, v1::TERM, pii_, robot_));
  EXPECT_EQ(outcome, AssignOutcome::kSuppressed);
  // Even a raw write of the aspect by an automated source cannot bring it back.
  ASSERT_OK_AND_ASSIGN(
      auto value, catalog_->registry().FromJson(
                      dataset_, kFieldAssignmentsAspect,
                      R"({"fields":[{"fieldPath":"email","assignments":[{"kind":"TERM","value":")" +
                          pii_ + R"("}]}]})"));
  std::vector<catalog::AspectWrite> writes;
  writes.push_back({dataset_, kFieldAssignmentsAspect, std::move(value)});
  ASSERT_OK(catalog_->Write(std::move(writes), {.actor = "urn:li:corpuser:dbt", .source = v1::DBT})
                .status());
  auto fa = Current();
  ASSERT_NE(Field(fa, "email"), nullptr);
  EXPECT_TRUE(Field(fa, "email")->assignments().empty());
  ASSERT_EQ(Field(fa, "email")->removed_size(), 1);
  EXPECT_EQ(Field(fa, "email")->removed(0).actor(), "urn:li:corpuser:alice");
  // A person may add it back, which lifts the tombstone.
  ASSERT_OK_AND_ASSIGN(auto back, assignments().Assign(email_, v1::TERM, pii_, person_));
  EXPECT_EQ(back, AssignOutcome::kApplied);
  EXPECT_TRUE(Field(Current(), "email")->removed().empty());
}

TEST_F(AssignmentsTest, AutomationCannotRemoveAPersonsAssignment) {
  ASSERT_OK(assignments().Assign(email_, v1::TERM, pii_, person_).status());
  EXPECT_THAT(assignments().Unassign(email_, v1::TERM, pii_, robot_),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  // An automated rewrite of the whole aspect keeps it too.
  std::vector<catalog::AspectWrite> writes;
  writes.push_back({dataset_, kFieldAssignmentsAspect, std::make_unique<v1::FieldAssignments>()});
  ASSERT_OK(catalog_->Write(std::move(writes), robot_).status());
  EXPECT_EQ(Field(Current(), "email")->assignments_size(), 1);
  EXPECT_THAT(assignments().Unassign(email_, v1::TAG, "urn:li:tag:x", person_),
              testing::StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST_F(AssignmentsTest, ClassificationIsPendingUntilReviewed) {
  std::map<std::string, std::vector<std::string>> columns = {
      {"email", {"a@b.com", "c@d.org", "e@f.net"}}, {"notes", {"hello", "world"}}};
  ASSERT_OK_AND_ASSIGN(auto results, assignments().Classify(dataset_, columns, robot_));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].column, "email");
  EXPECT_EQ(results[0].results.at(0).cls, "EMAIL");
  EXPECT_EQ(results[0].outcomes.at(0), "proposed");
  EXPECT_TRUE(results[1].results.empty());
  auto fa = Current();
  EXPECT_EQ(fa.review(), v1::PENDING_REVIEW);
  const auto& proposal = Field(fa, "email")->assignments(0);
  EXPECT_EQ(proposal.review(), v1::PENDING_REVIEW);
  EXPECT_EQ(proposal.matched(), 3);
  EXPECT_EQ(proposal.sampled(), 3);
  EXPECT_EQ(Field(fa, "notes"), nullptr);
  ASSERT_OK_AND_ASSIGN(auto pending, assignments().ListByReviewState("pending_review", "", 10));
  EXPECT_EQ(pending, std::vector<std::string>{dataset_.ToString()});

  ASSERT_OK(assignments().Review(dataset_, "email", "EMAIL", true, person_));
  EXPECT_EQ(Current().review(), v1::ACCEPTED);
  ASSERT_OK_AND_ASSIGN(pending, assignments().ListByReviewState("pending_review", "", 10));
  EXPECT_TRUE(pending.empty());
  ASSERT_OK_AND_ASSIGN(auto accepted, assignments().ListByReviewState("accepted", "", 10));
  EXPECT_EQ(accepted.size(), 1u);
  // A new scan does not reopen a reviewed class.
  ASSERT_OK_AND_ASSIGN(results, assignments().Classify(dataset_, columns, robot_));
  EXPECT_EQ(results[0].outcomes.at(0), "kept");
  EXPECT_EQ(Current().review(), v1::ACCEPTED);
  EXPECT_THAT(assignments().Review(dataset_, "email", "PHONE", true, person_),
              testing::StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST_F(AssignmentsTest, AutomatedClassesWaitForReviewWhateverTheRoute) {
  ASSERT_OK_AND_ASSIGN(auto value, catalog_->registry().FromJson(dataset_, kFieldAssignmentsAspect,
                                                                 R"({"fields":[{"fieldPath":"ssn",
                           "assignments":[{"kind":"CLASS","value":"national_id"}]}]})"));
  std::vector<catalog::AspectWrite> writes;
  writes.push_back({dataset_, kFieldAssignmentsAspect, std::move(value)});
  ASSERT_OK(catalog_->Write(std::move(writes), robot_).status());
  auto fa = Current();
  EXPECT_EQ(fa.review(), v1::PENDING_REVIEW);
  EXPECT_EQ(Field(fa, "ssn")->assignments(0).value(), "NATIONAL_ID");
  ASSERT_OK(assignments()
                .Assign(Urn::SchemaField(dataset_, "mail"), v1::CLASS, "EMAIL", person_)
                .status());
  EXPECT_EQ(Field(Current(), "mail")->assignments(0).review(), v1::ACCEPTED);
}

TEST_F(AssignmentsTest, RejectedAndRemovedClassesStayAway) {
  std::map<std::string, std::vector<std::string>> columns = {{"ip", {"10.0.0.1", "10.0.0.2"}}};
  ASSERT_OK(assignments().Classify(dataset_, columns, robot_).status());
  ASSERT_OK(assignments().Review(dataset_, "ip", "IP_ADDRESS", false, person_));
  auto field = Urn::SchemaField(dataset_, "ip");
  EXPECT_FALSE(
      catalog_->HasIndexEntry("glossaryAssignedCLASS", "IP_ADDRESS", field).value_or(true));
  ASSERT_OK(assignments().Unassign(field, v1::CLASS, "IP_ADDRESS", person_));
  ASSERT_OK_AND_ASSIGN(auto results, assignments().Classify(dataset_, columns, robot_));
  EXPECT_EQ(results[0].outcomes.at(0), "suppressed");
}

TEST_F(AssignmentsTest, PurgeDropsIndexEntries) {
  ASSERT_OK(assignments().Classify(dataset_, {{"email", {"a@b.com"}}}, robot_).status());
  ASSERT_OK(catalog_->Purge(dataset_, person_));
  ASSERT_OK_AND_ASSIGN(auto pending, assignments().ListByReviewState("pending_review", "", 10));
  EXPECT_TRUE(pending.empty());
}

TEST_F(AssignmentsTest, RejectsBadTargets) {
  EXPECT_THAT(assignments().Assign(Urn::CorpUser("bob"), v1::TERM, pii_, person_).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(assignments().Assign(email_, v1::TERM, "urn:li:tag:x", person_).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

}  // namespace
}  // namespace tidemark::glossary
