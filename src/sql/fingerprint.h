// Query fingerprints: a stable hash of a query's shape, for grouping the same query seen with
// different literals, spacing, comments or keyword case (query logs, usage statistics).
//
// Normalisation: tokens from the dialect's tokenizer; comments and whitespace dropped; string,
// number and parameter tokens become `?`; runs of `?, ?, ...` inside IN lists and VALUES rows
// collapse to one `?`; keywords and unquoted identifiers are upper-cased; quoted identifiers keep
// their case. The hash is 64-bit FNV-1a over the normalised text, printed as 16 hex digits.
// Stateless; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sql/dialect.h"

namespace tidemark::sql {

// The normalised text the fingerprint hashes ("SELECT A FROM T WHERE B = ?").
absl::StatusOr<std::string> NormalizeQuery(absl::string_view sql, Dialect dialect);
// 16 lower-case hex digits. Fails only when the SQL cannot be tokenized.
absl::StatusOr<std::string> QueryFingerprint(absl::string_view sql, Dialect dialect);

}  // namespace tidemark::sql
