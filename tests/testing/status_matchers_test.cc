// Tests the status macros of status_matchers.h: each evaluates its argument exactly once (it often
// writes, so a second evaluation would write twice), on success and on failure alike.
#include "tests/testing/status_matchers.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tidemark::testing {
namespace {

// Counts the evaluations of the macro argument. A namespace-scope counter because
// EXPECT_FATAL_FAILURE's statement cannot refer to local variables.
int evaluations = 0;

absl::Status CountedStatus(absl::Status status) {
  ++evaluations;
  return status;
}

absl::StatusOr<int> CountedStatusOr(absl::StatusOr<int> value) {
  ++evaluations;
  return value;
}

class StatusMacrosTest : public ::testing::Test {
 protected:
  void SetUp() override { evaluations = 0; }
};

TEST_F(StatusMacrosTest, ExpectOkEvaluatesAnOkArgumentOnce) {
  EXPECT_OK(CountedStatus(absl::OkStatus()));
  EXPECT_OK(CountedStatusOr(7));
  EXPECT_EQ(evaluations, 2);
}

TEST_F(StatusMacrosTest, AssertOkEvaluatesAnOkArgumentOnce) {
  ASSERT_OK(CountedStatus(absl::OkStatus()));
  ASSERT_OK(CountedStatusOr(7));
  EXPECT_EQ(evaluations, 2);
}

TEST_F(StatusMacrosTest, ExpectOkEvaluatesAFailingArgumentOnceAndPrintsIt) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(CountedStatus(absl::NotFoundError("no such urn"))),
                          "NOT_FOUND: no such urn");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(CountedStatusOr(absl::InternalError("disk"))), "disk");
  EXPECT_EQ(evaluations, 2);
}

TEST_F(StatusMacrosTest, AssertOkEvaluatesAFailingArgumentOnceAndPrintsIt) {
  EXPECT_FATAL_FAILURE(ASSERT_OK(CountedStatus(absl::NotFoundError("no such urn"))),
                       "NOT_FOUND: no such urn");
  EXPECT_FATAL_FAILURE(ASSERT_OK(CountedStatusOr(absl::InternalError("disk"))), "disk");
  EXPECT_EQ(evaluations, 2);
}

TEST_F(StatusMacrosTest, AssertOkStopsTheTestOnFailure) {
  // The fatal failure returns from the statement's function before the second evaluation.
  EXPECT_FATAL_FAILURE(
      {
        ASSERT_OK(CountedStatus(absl::AbortedError("conflict")));
        CountedStatus(absl::OkStatus()).IgnoreError();
      },
      "conflict");
  EXPECT_EQ(evaluations, 1);
}

TEST_F(StatusMacrosTest, DanglingElseBindsToTheCallersIf) {
  bool else_taken = false;
  if (evaluations != 0)
    EXPECT_OK(CountedStatus(absl::OkStatus()));
  else
    else_taken = true;
  EXPECT_TRUE(else_taken);
  EXPECT_EQ(evaluations, 0);
}

TEST_F(StatusMacrosTest, AssertOkAndAssignEvaluatesOnce) {
  ASSERT_OK_AND_ASSIGN(int value, CountedStatusOr(42));
  EXPECT_EQ(value, 42);
  EXPECT_EQ(evaluations, 1);
}

}  // namespace
}  // namespace tidemark::testing
