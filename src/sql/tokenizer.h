// Tokenizer: turns SQL text into a flat vector of tokens for the recursive-descent parser.
//
// Dialect differences handled here: which quotes delimit identifiers (`"x"`, `` `x` ``, `[x]`),
// backslash escapes, `#` comments (MySQL) versus `#temp` table names (T-SQL, Redshift), BigQuery
// triple-quoted and raw strings, Postgres/Snowflake dollar-quoted strings. Comments are dropped.
// Every token keeps its byte offset so that errors can name a line and column. Errors are
// InvalidArgument (unterminated string, quoted identifier or comment; input too large).
// Token texts are views, not copies: into the SQL text where the token is spelled as is, and into
// the TokenList's own buffer for upper-cased words and unescaped strings, so the caller keeps the
// SQL text alive as long as it uses the tokens. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sql/dialect.h"

namespace tidemark::sql {

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
  uint32_t offset = 0;
  absl::string_view text;
  absl::string_view upper;  // kWord only
};

// The tokens of one SQL text, the last one always kEnd. Moving the list keeps every view valid.
class TokenList {
 public:
  using const_iterator = std::vector<Token>::const_iterator;

  const Token& operator[](size_t i) const { return tokens_[i]; }
  const Token& back() const { return tokens_.back(); }
  size_t size() const { return tokens_.size(); }
  bool empty() const { return tokens_.empty(); }
  const_iterator begin() const { return tokens_.begin(); }
  const_iterator end() const { return tokens_.end(); }

 private:
  friend class Lexer;
  std::vector<Token> tokens_;
  // Upper-cased words at [offset] and unescaped strings at [size + offset] of the SQL text, so
  // that no two tokens overlap; allocated only when some token needs it.
  std::unique_ptr<char[]> buffer_;
};

struct TokenizerLimits {
  size_t max_bytes = 16 << 20;
  size_t max_tokens = 4 << 20;
};

absl::StatusOr<TokenList> Tokenize(absl::string_view sql, Dialect dialect,
                                   const TokenizerLimits& limits = {});

// "line L, column C" for a byte offset into `sql`.
std::string DescribeOffset(absl::string_view sql, size_t offset);

}  // namespace tidemark::sql
