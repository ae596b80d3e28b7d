// Phrase normalisation and resolve ranking on a small glossary.
#include "glossary/term_index.h"

#include <gtest/gtest.h>

namespace tidemark::glossary {
namespace {

TEST(NormalizePhraseTest, Table) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {{"Billable Usage", "billable usage"},
               {"billable usages", "billable usage"},
               {"BillableUsage", "billable usage"},
               {"  BILLABLE-usage ", "billable usage"},
               {"categories", "category"},
               {"addresses", "address"},
               {"status", "status"},
               {"bus", "bus"},
               {"invoice_line_items", "invoice line item"},
               {"", ""}};
  for (const auto& c : cases) EXPECT_EQ(NormalizePhrase(c.in), c.out) << c.in;
}

v1::GlossaryTermInfo Term(const std::string& name, std::vector<std::string> synonyms = {},
                          v1::TermStatus status = v1::APPROVED) {
  v1::GlossaryTermInfo t;
  t.set_name(name);
  for (auto& s : synonyms) t.add_synonyms(s);
  t.set_status(status);
  return t;
}

class TermIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Put("urn:li:glossaryTerm:Billing.BillableUsage",
               Term("Billable Usage", {"chargeable consumption", "metered usage"}));
    index_.Put("urn:li:glossaryTerm:Billing.Usage", Term("Usage"));
    index_.Put("urn:li:glossaryTerm:Billing.UsageEvent", Term("Usage Event"));
    index_.Put("urn:li:glossaryTerm:Billing.Invoice", Term("Invoice", {"bill"}));
    index_.Put("urn:li:glossaryTerm:Billing.OldBillableUsage",
               Term("Legacy Billable Usage", {}, v1::DEPRECATED));
  }
  TermIndex index_;
};

TEST_F(TermIndexTest, ExactNameRanksFirstCaseAndPluralInsensitive) {
  for (const char* q : {"billable usage", "Billable Usages", "BILLABLE USAGE"}) {
    auto r = index_.Resolve(q, 10);
    ASSERT_FALSE(r.empty()) << q;
    EXPECT_EQ(r[0].term, "urn:li:glossaryTerm:Billing.BillableUsage") << q;
    EXPECT_EQ(r[0].matched_on, "name");
    EXPECT_DOUBLE_EQ(r[0].score, 1.0);
  }
}

TEST_F(TermIndexTest, SynonymMatches) {
  auto r = index_.Resolve("metered usages", 10);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0].term, "urn:li:glossaryTerm:Billing.BillableUsage");
  EXPECT_EQ(r[0].matched_on, "synonym");
  EXPECT_EQ(r[0].matched_text, "metered usage");
  EXPECT_EQ(index_.Resolve("bills", 1).at(0).term, "urn:li:glossaryTerm:Billing.Invoice");
}

TEST_F(TermIndexTest, RankingOrder) {
  auto r = index_.Resolve("usage", 10);
  ASSERT_GE(r.size(), 4u);
  EXPECT_EQ(r[0].term, "urn:li:glossaryTerm:Billing.Usage");  // exact
  // Shorter names containing the word beat longer ones; deprecated terms come last.
  EXPECT_EQ(r.back().term, "urn:li:glossaryTerm:Billing.OldBillableUsage");
  for (size_t i = 1; i < r.size(); ++i) EXPECT_GE(r[i - 1].score, r[i].score);
}

TEST_F(TermIndexTest, PartialAndNoMatch) {
  auto r = index_.Resolve("billable hours", 10);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0].matched_on, "partial");
  EXPECT_LT(r[0].score, 0.5);
  EXPECT_TRUE(index_.Resolve("kitchen", 10).empty());
  EXPECT_TRUE(index_.Resolve("   ", 10).empty());
}

TEST_F(TermIndexTest, RemoveAndLimit) {
  index_.Remove("urn:li:glossaryTerm:Billing.Usage");
  EXPECT_EQ(index_.size(), 4u);
  EXPECT_EQ(index_.Resolve("usage", 2).size(), 2u);
}

}  // namespace
}  // namespace tidemark::glossary
