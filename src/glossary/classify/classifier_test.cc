// Column classification: shares, confidences, counts and column-name evidence.
#include "glossary/classify/classifier.h"

#include <gtest/gtest.h>

namespace tidemark::glossary::classify {
namespace {

std::vector<std::string> Repeat(const std::string& v, int n) {
  return std::vector<std::string>(n, v);
}

TEST(ClassifierTest, EmailColumnWithOneBadValue) {
  std::vector<std::string> samples = Repeat("a@b.com", 29);
  samples.push_back("n/a");
  auto results = ClassifyColumn("email", samples);
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results[0].cls, "EMAIL");
  EXPECT_DOUBLE_EQ(results[0].confidence, 0.97);
  EXPECT_EQ(results[0].matched, 29);
  EXPECT_EQ(results[0].sampled, 30);
}

TEST(ClassifierTest, BlankValuesAreNotSampled) {
  std::vector<std::string> samples = {"4111111111111111", "", "  ", "5500000000000004"};
  auto results = ClassifyColumn("card", samples);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].cls, "PAYMENT_CARD");
  EXPECT_EQ(results[0].sampled, 2);
}

TEST(ClassifierTest, MinorityMatchesAreNotReported) {
  std::vector<std::string> samples = Repeat("hello world", 9);
  samples.push_back("a@b.com");
  EXPECT_TRUE(ClassifyColumn("comment", samples).empty());
}

TEST(ClassifierTest, PersonNameNeedsColumnName) {
  std::vector<std::string> names = {"Ada Lovelace", "Alan Turing", "Grace Hopper"};
  auto by_name = ClassifyColumn("customer_name", names);
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_EQ(by_name[0].cls, "PERSON_NAME");
  EXPECT_DOUBLE_EQ(by_name[0].confidence, 0.9);
  EXPECT_TRUE(ClassifyColumn("product_name", names).empty());
  EXPECT_TRUE(ClassifyColumn("label", names).empty());
  EXPECT_EQ(ClassifyColumn("lastName", {}).at(0).cls, "PERSON_NAME");
}

TEST(ClassifierTest, AddressByColumnName) {
  auto r = ClassifyColumn("shipping_address", {"221B Baker Street", "10 Downing St"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].cls, "ADDRESS");
}

TEST(ClassifierTest, ValuesThatAreSomethingElseBeatTheName) {
  auto r = ClassifyColumn("contact_name", Repeat("x@y.org", 5));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].cls, "EMAIL");
}

TEST(ClassifierTest, EveryClassIsKnown) { EXPECT_EQ(KnownClasses().size(), 9u); }

}  // namespace
}  // namespace tidemark::glossary::classify
