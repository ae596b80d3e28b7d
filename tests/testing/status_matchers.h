// GoogleTest helpers for absl::Status / absl::StatusOr (Debian's Abseil ships none):
//   EXPECT_OK(status_or_statusor); ASSERT_OK(...); ASSERT_OK_AND_ASSIGN(auto v, expr);
//   EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("urn")));
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tidemark::testing {

inline const absl::Status& ToStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& ToStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& s = ::tidemark::testing::ToStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(s.message()), result_listener);
}

}  // namespace tidemark::testing

// Both evaluate `expr` exactly once (it often writes), also when it fails and the status is
// printed. The switch keeps a caller's `else` from binding to the macro's `if`.
#define TIDEMARK_TEST_CHECK_OK_(expr, on_failure)                                         \
  switch (0)                                                                              \
  case 0:                                                                                 \
  default:                                                                                \
    if (const ::absl::Status tidemark_test_status_ = ::tidemark::testing::ToStatus(expr); \
        tidemark_test_status_.ok()) {                                                     \
    } else                                                                                \
      on_failure() << "Expected " #expr " to be OK, got: " << tidemark_test_status_
#define EXPECT_OK(expr) TIDEMARK_TEST_CHECK_OK_(expr, ADD_FAILURE)
#define ASSERT_OK(expr) TIDEMARK_TEST_CHECK_OK_(expr, FAIL)

#define TIDEMARK_TEST_CONCAT_INNER(a, b) a##b
#define TIDEMARK_TEST_CONCAT(a, b) TIDEMARK_TEST_CONCAT_INNER(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(TIDEMARK_TEST_CONCAT(statusor_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  ASSERT_TRUE(statusor.ok()) << statusor.status();     \
  lhs = std::move(statusor).value()
