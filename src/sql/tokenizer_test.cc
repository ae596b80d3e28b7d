// Tokenizer tests: table-driven over dialect quoting, comments and errors.
#include "sql/tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/testing/status_matchers.h"

namespace tidemark::sql {
namespace {

using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

// Renders tokens as "type:text" joined by spaces (kEnd omitted).
std::string Render(const TokenList& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (t.type == TokenType::kEnd) break;
    const char* type = "?";
    switch (t.type) {
      case TokenType::kWord:
        type = "w";
        break;
      case TokenType::kQuotedIdent:
        type = "q";
        break;
      case TokenType::kString:
        type = "s";
        break;
      case TokenType::kNumber:
        type = "n";
        break;
      case TokenType::kParam:
        type = "p";
        break;
      case TokenType::kOp:
        type = "o";
        break;
      case TokenType::kEnd:
        break;
    }
    if (!out.empty()) out += " ";
    out += std::string(type) + ":" + std::string(t.text);
  }
  return out;
}

struct Case {
  Dialect dialect;
  std::string sql;
  std::string want;
};

TEST(TokenizerTest, TokenizesDialects) {
  const Case cases[] = {
      {Dialect::kTrino, "SELECT a.b, 'it''s' FROM t -- c\n",
       "w:SELECT w:a o:. w:b o:, s:it's w:FROM w:t"},
      {Dialect::kSnowflake, "x::NUMBER(20,0) \"Q\"", "w:x o::: w:NUMBER o:( n:20 o:, n:0 o:) q:Q"},
      {Dialect::kBigQuery, "`p.d.t` \"str\" r'\\d'", "q:p.d.t s:str s:\\d"},
      {Dialect::kMySql, "`a` \"b\" # comment\n1.5e3", "q:a s:b n:1.5e3"},
      {Dialect::kMsSql, "[My Col] #tmp @v", "q:My Col w:#tmp p:@v"},
      {Dialect::kMsSql, "OUTPUT $action, inserted.id",
       "w:OUTPUT p:$action o:, w:inserted o:. w:id"},
      {Dialect::kSnowflake, "$1 + $my_var", "p:$1 o:+ p:$my_var"},
      {Dialect::kRedshift, "CREATE TABLE #t", "w:CREATE w:TABLE w:#t"},
      {Dialect::kPostgres, "$$body$$ $1 /* x */ a||b", "s:body p:$1 w:a o:|| w:b"},
      {Dialect::kSnowflake, "x AS :userInfo", "w:x w:AS p::userInfo"},
      {Dialect::kTrino, "a <> b >= c -> d", "w:a o:<> w:b o:>= w:c o:-> w:d"},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(TokenList tokens, Tokenize(c.sql, c.dialect));
    EXPECT_EQ(Render(tokens), c.want) << c.sql;
  }
}

TEST(TokenizerTest, ReportsUnterminatedInputWithPosition) {
  EXPECT_THAT(Tokenize("SELECT as '\nFROM x", Dialect::kSnowflake),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unterminated string literal at line 1, column 11")));
  EXPECT_THAT(Tokenize("SELECT \"x", Dialect::kTrino),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("quoted identifier")));
  EXPECT_THAT(Tokenize("SELECT /* x", Dialect::kTrino),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("comment")));
}

// Token texts are views into the SQL text or the list's own buffer (upper-cased words, unescaped
// strings): they must survive moving the list, and escapes must not bleed into neighbours.
TEST(TokenizerTest, ViewsStayValidAfterMoveAndUnescapeInPlace) {
  const std::string sql = "select 'a''b' AS x, 'it\\'s', \"Q\"\"q\" FROM Mixed_Case";
  absl::StatusOr<TokenList> tokenized = Tokenize(sql, Dialect::kMySql);
  ASSERT_TRUE(tokenized.ok()) << tokenized.status();
  TokenList moved = std::move(tokenized).value();
  ASSERT_EQ(moved.size(), 11u);  // with kEnd
  EXPECT_EQ(moved[0].text, "select");
  EXPECT_EQ(moved[0].upper, "SELECT");
  EXPECT_EQ(moved[1].text, "a'b");
  EXPECT_EQ(moved[2].upper, "AS");
  EXPECT_EQ(moved[2].text.data(), sql.data() + 14);  // spelled as is: no copy
  EXPECT_EQ(moved[5].text, "it's");
  EXPECT_EQ(moved[7].text, "Q\"q");
  EXPECT_EQ(moved[8].upper, "FROM");
  EXPECT_EQ(moved[9].text, "Mixed_Case");
  EXPECT_EQ(moved[9].upper, "MIXED_CASE");
  EXPECT_EQ(moved[9].offset, sql.size() - 10);
}

TEST(TokenizerTest, EnforcesSizeLimit) {
  TokenizerLimits limits;
  limits.max_bytes = 10;
  EXPECT_THAT(Tokenize("SELECT 1 FROM somewhere", Dialect::kTrino, limits),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
}

}  // namespace
}  // namespace tidemark::sql
