// Helpers shared by the parser's source files: the recursion depth guard and keyword sets.
// Internal to tidemark::sql.
#pragma once

#include "absl/strings/string_view.h"
#include "sql/internal/parser.h"

namespace tidemark::sql {

// Counts nesting; fails the parse (instead of overflowing the stack) past max_depth.
class DepthGuard {
 public:
  explicit DepthGuard(Parser& p);
  ~DepthGuard() { --p_.depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool ok() const { return ok_; }

 private:
  Parser& p_;
  bool ok_;
};

// Words that end an expression or a FROM item and so are never read as a bare alias.
bool IsReservedWord(absl::string_view upper);
// Aggregate function names (upper-case).
bool IsAggregateFunction(absl::string_view upper);
// Date-part words (DAY, MONTH, ...) used as bare arguments of date functions.
bool IsDatePart(absl::string_view upper);
// Functions whose bare word arguments are date parts: DATEADD(day, ...), TIMESTAMP_TRUNC(x, DAY).
bool TakesDatePart(absl::string_view upper);

}  // namespace tidemark::sql
