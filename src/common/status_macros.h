// Status propagation macros for absl::Status / absl::StatusOr, which Debian's Abseil (20220623)
// lacks.
//   RETURN_IF_ERROR(expr);             returns the status of `expr` when it is not OK.
//   ASSIGN_OR_RETURN(auto x, expr);    unwraps an absl::StatusOr or returns its error.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TIDEMARK_CONCAT_INNER(a, b) a##b
#define TIDEMARK_CONCAT(a, b) TIDEMARK_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                 \
  do {                                        \
    ::absl::Status tidemark_status_ = (expr); \
    if (!tidemark_status_.ok()) {             \
      return tidemark_status_;                \
    }                                         \
  } while (false)

#define ASSIGN_OR_RETURN(lhs, expr) \
  TIDEMARK_ASSIGN_OR_RETURN_IMPL(TIDEMARK_CONCAT(tidemark_statusor_, __LINE__), lhs, expr)

#define TIDEMARK_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) {                                     \
    return std::move(statusor).status();                    \
  }                                                         \
  lhs = std::move(statusor).value()
