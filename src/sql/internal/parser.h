// Parser: recursive descent from tokens to the lineage syntax tree (ast.h), one Statement per
// `;`-separated statement of a script.
//
// The grammar is Trino/ANSI with the dialect additions that matter for lineage: Snowflake `::`
// casts, `:` variant paths, trailing commas and time travel; BigQuery `* EXCEPT/REPLACE`, UNNEST,
// STRUCT/ARRAY; Hive LATERAL VIEW and INSERT OVERWRITE; T-SQL SELECT INTO, TOP, APPLY; Teradata
// SEL, EQ/NE/..., MINUS; Redshift/Teradata table options before AS. Statements it does not model
// (GRANT, USE, ...) parse as kUnknown. Errors are InvalidArgument naming line and column; a failed
// statement does not stop the rest of a script. Nesting deeper than `max_depth` is an error, never
// a stack overflow. One Parser per parse; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "sql/dialect.h"
#include "sql/internal/ast.h"
#include "sql/tokenizer.h"

namespace tidemark::sql {

struct ParsedStatement {
  Statement statement;
  absl::Status status;  // not OK: `statement` is empty (kUnknown)
};

class Parser {
 public:
  Parser(absl::string_view sql, const TokenList& tokens, Dialect dialect, int max_depth = 128);

  std::vector<ParsedStatement> ParseScript();

  // Parses a single expression (for tests).
  absl::Status ParseStandaloneExpr(ExprPtr* out);

 private:
  friend class DepthGuard;

  // Tokens.
  const Token& Cur() const { return tokens_[pos_]; }
  const Token& At(size_t ahead) const {
    const size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  bool AtEnd() const { return Cur().type == TokenType::kEnd; }
  bool More() const { return !AtEnd() && error_.ok(); }
  // Inline: called several times per token with literal arguments, which the compiler folds into
  // a length check and a fixed-size compare.
  bool IsKw(absl::string_view kw, size_t ahead = 0) const {
    const Token& t = At(ahead);
    return t.type == TokenType::kWord && t.upper == kw;
  }
  bool IsOp(absl::string_view op, size_t ahead = 0) const {
    const Token& t = At(ahead);
    return t.type == TokenType::kOp && t.text == op;
  }
  bool IsIdentTok(size_t ahead = 0) const;
  bool AcceptKw(absl::string_view kw) {
    if (!IsKw(kw)) return false;
    Advance();
    return true;
  }
  bool AcceptKws(absl::string_view a, absl::string_view b) {
    if (!IsKw(a) || !IsKw(b, 1)) return false;
    Advance();
    Advance();
    return true;
  }
  bool AcceptOp(absl::string_view op) {
    if (!IsOp(op)) return false;
    Advance();
    return true;
  }
  void ExpectKw(absl::string_view kw);
  void ExpectOp(absl::string_view op);
  void Fail(absl::string_view message);
  void FailExpected(absl::string_view what);
  void Advance() {
    if (!AtEnd()) ++pos_;
  }
  bool IsReserved(size_t ahead = 0) const;
  bool AtQueryStart(size_t ahead = 0) const;
  // SELECT / WITH right here (no parentheses skipped): a subquery inside an expression.
  bool AtSelectKeyword() const;
  void SkipBalanced();
  void SkipToStatementEnd();

  // Statements (parser.cc).
  Statement ParseStatement();
  void ParseInsert(Statement& s);
  void ParseCreate(Statement& s);
  void ParseMerge(Statement& s);
  void ParseUpdate(Statement& s);
  void ParseDelete(Statement& s);
  void ParseDrop(Statement& s);
  void ParseAlterOrTruncate(Statement& s);
  void ParseColumnDefs(std::vector<Ident>& out);
  void ParseAssignments(std::vector<Assignment>& out);

  // Queries and FROM (parser_query.cc).
  std::unique_ptr<Query> ParseQuery();
  std::vector<Cte> ParseCtes(bool* recursive);
  std::unique_ptr<Query> ParseSetOps();
  std::unique_ptr<Query> ParseQueryTerm();
  std::unique_ptr<Query> ParseValues();
  std::unique_ptr<Select> ParseSelect();
  void ParseQueryTail(std::vector<ExprPtr>& other);
  void ParseFromList(std::vector<FromItem>& out);
  void ParseJoinedItems(std::vector<FromItem>& out, JoinKind first_kind);
  void ParseFromItem(std::vector<FromItem>& out, JoinKind kind);
  void ParseTableAlias(FromItem& item);
  std::vector<Ident> ParseQualifiedName();
  Ident ParseIdent();
  std::vector<Ident> ParseIdentList();  // ( a, b, c )

  // Expressions (parser_expr.cc; calls, CASE, windows, types and aliases in parser_func.cc).
  ExprPtr ParseExpr();
  ExprPtr ParseOr();
  ExprPtr ParseAnd();
  ExprPtr ParseNot();
  ExprPtr ParseComparison();
  ExprPtr ParseBitwise();
  ExprPtr ParseAdditive();
  ExprPtr ParseMultiplicative();
  ExprPtr ParseUnary();
  ExprPtr ParsePostfix();
  ExprPtr ParsePrimary();
  ExprPtr ParseIdentifierChain();
  ExprPtr ParseFunctionCall(std::string name);
  ExprPtr ParseCase();
  void ParseStarModifiers(Expr& star);
  void ParseWindowSpec(Expr& fn);
  void ParseOrderList(std::vector<ExprPtr>& out);
  void ParseExprList(std::vector<ExprPtr>& out);
  void SkipType();
  bool ParseAlias(Ident& alias, bool* param);

  absl::string_view sql_;
  const TokenList& tokens_;
  Dialect dialect_;
  int max_depth_;
  int depth_ = 0;
  size_t pos_ = 0;
  size_t fail_pos_ = 0;
  absl::Status error_;
};

// Builds an expression node.
ExprPtr MakeExpr(Expr::Kind kind);

}  // namespace tidemark::sql
