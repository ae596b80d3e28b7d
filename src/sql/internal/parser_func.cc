// Parser: function calls with their special argument syntax (CAST .. AS, EXTRACT .. FROM,
// SUBSTRING .. FOR, ORDER BY inside aggregates, named arguments), window specifications, CASE,
// star modifiers, aliases, expression lists and type names (skipped).
#include <string>
#include <utility>
#include <vector>

#include "sql/internal/parser.h"
#include "sql/internal/parser_internal.h"

namespace tidemark::sql {

void Parser::SkipType() {
  if (!IsIdentTok()) {
    FailExpected("a type name");
    return;
  }
  Advance();
  while (IsOp(".") && IsIdentTok(1)) {
    Advance();
    Advance();
  }
  while (IsKw("PRECISION") || IsKw("VARYING") || IsKw("UNSIGNED") || IsKw("SIGNED") ||
         ((IsKw("WITH") || IsKw("WITHOUT")) && (IsKw("TIME", 1) || IsKw("LOCAL", 1)))) {
    if (IsKw("WITH") || IsKw("WITHOUT")) {
      Advance();
      AcceptKw("LOCAL");
      ExpectKw("TIME");
      ExpectKw("ZONE");
    } else {
      Advance();
    }
  }
  if (IsOp("<")) {  // ARRAY<STRUCT<a INT64>>
    int depth = 0;
    do {
      if (IsOp("<")) ++depth;
      if (IsOp(">")) --depth;
      if (IsOp(">>")) depth -= 2;
      if (IsOp("<<")) depth += 2;
      Advance();
    } while (depth > 0 && More());
  }
  if (IsOp("(")) SkipBalanced();
  while (IsOp("[") && (IsOp("]", 1) || (At(1).type == TokenType::kNumber && IsOp("]", 2)))) {
    while (!IsOp("]")) Advance();
    Advance();
  }
}

void Parser::ParseExprList(std::vector<ExprPtr>& out) {
  if (IsOp(")")) return;
  do {
    if (IsIdentTok() && (IsOp("=>", 1) || IsOp(":=", 1))) {  // named argument
      Advance();
      Advance();
    }
    out.push_back(ParseExpr());
  } while (More() && AcceptOp(","));
}

void Parser::ParseOrderList(std::vector<ExprPtr>& out) {
  do {
    out.push_back(ParseExpr());
    if (!AcceptKw("ASC")) AcceptKw("DESC");
    if (AcceptKw("NULLS")) {
      if (!AcceptKw("FIRST")) ExpectKw("LAST");
    }
  } while (More() && AcceptOp(","));
}

bool Parser::ParseAlias(Ident& alias, bool* param) {
  *param = false;
  if (AcceptKw("AS")) {
    if (Cur().type == TokenType::kParam) {
      *param = true;
      alias.text = std::string(Cur().text);
      Advance();
      return true;
    }
    if (Cur().type == TokenType::kString) {
      alias.text = std::string(Cur().text);
      alias.quoted = true;
      Advance();
      return true;
    }
    alias = ParseIdent();
    return true;
  }
  if (IsIdentTok() && !IsReserved()) {
    alias = ParseIdent();
    return true;
  }
  if (Cur().type == TokenType::kString &&
      (dialect_ == Dialect::kMySql || dialect_ == Dialect::kMsSql || dialect_ == Dialect::kSqlite ||
       dialect_ == Dialect::kHive || dialect_ == Dialect::kSpark ||
       dialect_ == Dialect::kBigQuery)) {
    alias.text = std::string(Cur().text);
    alias.quoted = true;
    Advance();
    return true;
  }
  return false;
}

void Parser::ParseStarModifiers(Expr& star) {
  while (More()) {
    if (AcceptKw("EXCEPT") || AcceptKw("EXCLUDE")) {
      if (IsOp("(")) {
        star.star_except = ParseIdentList();
      } else {
        star.star_except.push_back(ParseIdent());
      }
    } else if (AcceptKw("REPLACE")) {
      const bool parens = AcceptOp("(");
      do {
        ExprPtr value = ParseExpr();
        ExpectKw("AS");
        Ident name = ParseIdent();
        star.star_replace.emplace_back(std::move(value), std::move(name));
      } while (parens && More() && AcceptOp(","));
      if (parens) ExpectOp(")");
    } else if (AcceptKw("RENAME") || AcceptKw("ILIKE")) {
      if (IsOp("(")) {
        SkipBalanced();
      } else {
        Advance();
        if (AcceptKw("AS")) Advance();
      }
    } else {
      return;
    }
  }
}

void Parser::ParseWindowSpec(Expr& fn) {
  fn.window = true;
  if (!IsOp("(")) {  // OVER w
    ParseIdent();
    return;
  }
  Advance();
  if (IsIdentTok() && !IsKw("PARTITION") && !IsKw("ORDER") && !IsKw("ROWS") && !IsKw("RANGE") &&
      !IsKw("GROUPS")) {
    ParseIdent();  // a named window being refined
  }
  if (AcceptKws("PARTITION", "BY")) ParseExprList(fn.children);
  if (AcceptKws("ORDER", "BY")) ParseOrderList(fn.children);
  // Frame clause: nothing in it reads columns that matter for lineage.
  int depth = 0;
  while (More() && !(depth == 0 && IsOp(")"))) {
    if (IsOp("(")) ++depth;
    if (IsOp(")")) --depth;
    Advance();
  }
  ExpectOp(")");
}

ExprPtr Parser::ParseCase() {
  auto e = MakeExpr(Expr::Kind::kOther);
  e->name = "CASE";
  if (!IsKw("WHEN")) e->children.push_back(ParseExpr());
  while (More() && AcceptKw("WHEN")) {
    e->children.push_back(ParseExpr());
    ExpectKw("THEN");
    e->children.push_back(ParseExpr());
  }
  if (AcceptKw("ELSE")) e->children.push_back(ParseExpr());
  ExpectKw("END");
  return e;
}

ExprPtr Parser::ParseFunctionCall(std::string name) {
  auto fn = MakeExpr(Expr::Kind::kFunction);
  fn->name = std::move(name);
  ExpectOp("(");
  const bool date_parts = TakesDatePart(fn->name);
  bool first = true;
  while (More() && !IsOp(")")) {
    if (first) {
      if (!AcceptKw("DISTINCT")) AcceptKw("ALL");
      if (IsKw("BOTH") || IsKw("LEADING") || IsKw("TRAILING")) Advance();
    }
    if (AtSelectKeyword()) {
      auto sub = MakeExpr(Expr::Kind::kSubquery);
      sub->subquery = ParseQuery();
      fn->children.push_back(std::move(sub));
    } else if (IsOp("*")) {
      Advance();
      fn->children.push_back(MakeExpr(Expr::Kind::kStar));
    } else if (IsIdentTok() && (IsOp("=>", 1) || IsOp(":=", 1))) {
      Advance();  // named argument
      Advance();
      fn->children.push_back(ParseExpr());
    } else if (date_parts && Cur().type == TokenType::kWord && IsDatePart(Cur().upper) &&
               (IsOp(",", 1) || IsOp(")", 1) || IsKw("FROM", 1))) {
      Advance();
      fn->children.push_back(MakeExpr(Expr::Kind::kLiteral));
    } else if (!IsKw("FROM")) {
      fn->children.push_back(ParseExpr());
    }
    first = false;
    // Special argument syntax.
    if (AcceptKw("AS")) {
      SkipType();
      if (AcceptKw("FORMAT")) fn->children.push_back(ParseExpr());
    }
    if (AcceptKw("FROM") || AcceptKw("FOR") || AcceptKw("USING") || AcceptKw("SEPARATOR")) {
      if (!IsOp(")")) fn->children.push_back(ParseExpr());
      if (AcceptKw("FOR")) fn->children.push_back(ParseExpr());
    }
    if (AcceptKws("IGNORE", "NULLS") || AcceptKws("RESPECT", "NULLS")) {
    }
    if (AcceptKws("ORDER", "BY")) ParseOrderList(fn->children);
    if (AcceptKw("SEPARATOR")) fn->children.push_back(ParseExpr());
    if (AcceptKw("LIMIT")) fn->children.push_back(ParseExpr());
    if (AcceptKw("ON")) {  // LISTAGG(... ON OVERFLOW TRUNCATE ...)
      while (More() && !IsOp(")")) Advance();
    }
    if (!AcceptOp(",")) break;
  }
  ExpectOp(")");
  if (AcceptKw("WITHIN")) {
    ExpectKw("GROUP");
    ExpectOp("(");
    ExpectKw("ORDER");
    ExpectKw("BY");
    ParseOrderList(fn->children);
    ExpectOp(")");
  }
  if (AcceptKw("FILTER")) {
    ExpectOp("(");
    ExpectKw("WHERE");
    fn->children.push_back(ParseExpr());
    ExpectOp(")");
  }
  if (AcceptKws("IGNORE", "NULLS") || AcceptKws("RESPECT", "NULLS")) {
  }
  if (AcceptKw("OVER")) ParseWindowSpec(*fn);
  return fn;
}

}  // namespace tidemark::sql
