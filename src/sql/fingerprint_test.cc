// Query fingerprint tests: literals, spacing, comments and keyword case do not change it.
#include "sql/fingerprint.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/testing/status_matchers.h"

namespace tidemark::sql {
namespace {

TEST(FingerprintTest, IgnoresLiteralsSpacingAndCase) {
  ASSERT_OK_AND_ASSIGN(std::string a,
                       QueryFingerprint("SELECT a FROM t WHERE b = 1", Dialect::kTrino));
  ASSERT_OK_AND_ASSIGN(std::string b,
                       QueryFingerprint("select  A\nfrom T -- hi\nwhere B='x';", Dialect::kTrino));
  ASSERT_OK_AND_ASSIGN(std::string c,
                       QueryFingerprint("SELECT a FROM t WHERE c = 1", Dialect::kTrino));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a.size(), 16u);
}

TEST(FingerprintTest, CollapsesInListsAndValuesRows) {
  ASSERT_OK_AND_ASSIGN(std::string n,
                       NormalizeQuery("SELECT * FROM t WHERE x IN (1, 2, 3)", Dialect::kTrino));
  EXPECT_EQ(n, "SELECT * FROM T WHERE X IN (?)");
  ASSERT_OK_AND_ASSIGN(std::string v,
                       NormalizeQuery("INSERT INTO t VALUES (1), (2), (3)", Dialect::kTrino));
  EXPECT_EQ(v, "INSERT INTO T VALUES (?)");
}

}  // namespace
}  // namespace tidemark::sql
