// Tokenizer: turns SQL text into a flat vector of tokens for the recursive-descent parser.
//
// Dialect differences handled here: which quotes delimit identifiers (`"x"`, `` `x` ``, `[x]`),
// backslash escapes, `#` comments (MySQL) versus `#temp` table names (T-SQL, Redshift), BigQuery
// triple-quoted and raw strings, Postgres/Snowflake dollar-quoted strings. Comments are dropped.
// Every token keeps its byte offset so that errors can name a line and column. Errors are
// InvalidArgument (unterminated string, quoted identifier or comment; input too large).
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ingest/sql/dialect.h"

namespace tidemark::ingest::sql {

enum class TokenType : uint8_t {
  kWord,         // unquoted identifier or keyword; `upper` holds its upper-cased text
  kQuotedIdent,  // "x", `x`, [x]; `text` is the unescaped name
  kString,       // '...' and dialect variants; `text` is the unescaped value
  kNumber,
  kParam,  // ?, :name, $1, @var, %s
  kOp,     // punctuation and operators: ( ) , . ; :: || <= ...
  kEnd,
};

struct Token {
  TokenType type = TokenType::kEnd;
  std::string text;
  std::string upper;  // kWord only
  uint32_t offset = 0;
};

struct TokenizerLimits {
  size_t max_bytes = 16 << 20;
  size_t max_tokens = 4 << 20;
};

// The last token is always kEnd.
absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view sql, Dialect dialect,
                                            const TokenizerLimits& limits = {});

// "line L, column C" for a byte offset into `sql`.
std::string DescribeOffset(absl::string_view sql, size_t offset);

}  // namespace tidemark::ingest::sql
