// Parser: expressions by precedence climbing, identifiers, literals, lambdas and subqueries.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "sql/internal/parser.h"
#include "sql/internal/parser_internal.h"

namespace tidemark::sql {
namespace {

// Operator nodes are marked so that chains (a + b + c ..., x::t::u, a AND b AND ...) collapse into
// one flat node: lineage only needs the operands, and a flat tree cannot overflow the stack when it
// is walked or destroyed, however long the chain.
constexpr char kOperatorNode[] = "\x01op";

bool IsOperatorNode(const ExprPtr& e) {
  return e && e->kind == Expr::Kind::kOther && e->name == kOperatorNode;
}

ExprPtr Wrap(std::vector<ExprPtr> children) {
  auto e = MakeExpr(Expr::Kind::kOther);
  e->name = kOperatorNode;
  for (ExprPtr& c : children) {
    if (c) e->children.push_back(std::move(c));
  }
  return e;
}

ExprPtr Binary(ExprPtr a, ExprPtr b) {
  if (IsOperatorNode(a)) {
    if (b) a->children.push_back(std::move(b));
    return a;
  }
  std::vector<ExprPtr> v;
  v.push_back(std::move(a));
  v.push_back(std::move(b));
  return Wrap(std::move(v));
}

ExprPtr Unary(ExprPtr a) {
  if (IsOperatorNode(a)) return a;
  std::vector<ExprPtr> v;
  v.push_back(std::move(a));
  return Wrap(std::move(v));
}

}  // namespace

ExprPtr Parser::ParseExpr() {
  DepthGuard guard(*this);
  if (!guard.ok()) return MakeExpr(Expr::Kind::kOther);
  return ParseOr();
}

ExprPtr Parser::ParseOr() {
  ExprPtr left = ParseAnd();
  while (More() && (AcceptKw("OR") || AcceptKw("XOR"))) left = Binary(std::move(left), ParseAnd());
  return left;
}

ExprPtr Parser::ParseAnd() {
  ExprPtr left = ParseNot();
  while (More() && (AcceptKw("AND") || AcceptOp("&&"))) left = Binary(std::move(left), ParseNot());
  return left;
}

ExprPtr Parser::ParseNot() {
  DepthGuard guard(*this);
  if (!guard.ok()) return MakeExpr(Expr::Kind::kOther);
  if (AcceptKw("NOT")) return Unary(ParseNot());
  return ParseComparison();
}

ExprPtr Parser::ParseComparison() {
  ExprPtr left = ParseBitwise();
  while (More()) {
    static constexpr absl::string_view kOps[] = {
        "=", "==", "<>", "!=", "<", ">", "<=", ">=", "<=>", "~", "!~", "@>", "<@"};
    bool matched = false;
    for (absl::string_view op : kOps) {
      if (IsOp(op)) {
        Advance();
        matched = true;
        break;
      }
    }
    if (!matched && dialect_ == Dialect::kTeradata &&
        (IsKw("EQ") || IsKw("NE") || IsKw("LT") || IsKw("GT") || IsKw("LE") || IsKw("GE"))) {
      Advance();
      matched = true;
    }
    if (matched) {
      if ((IsKw("ANY") || IsKw("ALL") || IsKw("SOME")) && IsOp("(", 1)) Advance();
      left = Binary(std::move(left), ParseBitwise());
      continue;
    }
    if (AcceptKw("IS")) {
      AcceptKw("NOT");
      if (AcceptKw("DISTINCT")) {
        ExpectKw("FROM");
        left = Binary(std::move(left), ParseBitwise());
      } else {
        // NULL, TRUE, FALSE, UNKNOWN, JSON, NAN, ...
        if (IsIdentTok()) {
          Advance();
        } else {
          FailExpected("NULL, TRUE or FALSE after IS");
        }
        left = Unary(std::move(left));
      }
      continue;
    }
    const bool negated =
        IsKw("NOT") &&
        (IsKw("IN", 1) || IsKw("BETWEEN", 1) || IsKw("LIKE", 1) || IsKw("ILIKE", 1) ||
         IsKw("RLIKE", 1) || IsKw("REGEXP", 1) || IsKw("SIMILAR", 1) || IsKw("GLOB", 1));
    if (negated) Advance();
    if (AcceptKw("IN")) {
      if (IsOp("(")) {
        Advance();
        if (AtSelectKeyword()) {
          auto sub = MakeExpr(Expr::Kind::kSubquery);
          sub->subquery = ParseQuery();
          left = Binary(std::move(left), std::move(sub));
        } else {
          std::vector<ExprPtr> items;
          items.push_back(std::move(left));
          ParseExprList(items);
          left = Wrap(std::move(items));
        }
        ExpectOp(")");
      } else {
        left = Binary(std::move(left), ParseBitwise());  // IN UNNEST(x), POSITION(a IN b)
      }
      continue;
    }
    if (AcceptKw("BETWEEN")) {
      AcceptKw("SYMMETRIC");
      ExprPtr low = ParseBitwise();
      ExpectKw("AND");
      ExprPtr high = ParseBitwise();
      std::vector<ExprPtr> v;
      v.push_back(std::move(left));
      v.push_back(std::move(low));
      v.push_back(std::move(high));
      left = Wrap(std::move(v));
      continue;
    }
    if (AcceptKw("LIKE") || AcceptKw("ILIKE") || AcceptKw("RLIKE") || AcceptKw("REGEXP") ||
        AcceptKw("GLOB") || AcceptKws("SIMILAR", "TO")) {
      if ((IsKw("ANY") || IsKw("ALL") || IsKw("SOME")) && IsOp("(", 1)) Advance();
      left = Binary(std::move(left), ParseBitwise());
      if (AcceptKw("ESCAPE")) left = Binary(std::move(left), ParseBitwise());
      continue;
    }
    if (negated) FailExpected("IN, BETWEEN or LIKE after NOT");
    break;
  }
  return left;
}

ExprPtr Parser::ParseBitwise() {
  ExprPtr left = ParseAdditive();
  while (More() && (IsOp("|") || IsOp("&") || IsOp("^") || IsOp("<<") || IsOp(">>"))) {
    Advance();
    left = Binary(std::move(left), ParseAdditive());
  }
  return left;
}

ExprPtr Parser::ParseAdditive() {
  ExprPtr left = ParseMultiplicative();
  while (More() && (IsOp("+") || IsOp("-") || IsOp("||"))) {
    Advance();
    left = Binary(std::move(left), ParseMultiplicative());
  }
  return left;
}

ExprPtr Parser::ParseMultiplicative() {
  ExprPtr left = ParseUnary();
  while (More() && (IsOp("*") || IsOp("/") || IsOp("%") || IsOp("**") || IsKw("DIV") ||
                    (IsKw("MOD") && !IsOp("(", 1)))) {
    Advance();
    left = Binary(std::move(left), ParseUnary());
  }
  return left;
}

ExprPtr Parser::ParseUnary() {
  DepthGuard guard(*this);
  if (!guard.ok()) return MakeExpr(Expr::Kind::kOther);
  if (IsOp("-") || IsOp("+") || IsOp("~") || IsOp("!") || IsKw("PRIOR")) {
    Advance();
    return Unary(ParseUnary());
  }
  return ParsePostfix();
}

ExprPtr Parser::ParsePostfix() {
  ExprPtr e = ParsePrimary();
  while (More()) {
    if (AcceptOp("::")) {
      SkipType();
      e = Unary(std::move(e));
    } else if (IsOp("[")) {
      Advance();
      ExprPtr index = IsOp("]") ? nullptr : ParseExpr();
      while (More() && AcceptOp(":")) {  // slices a[1:2]
        if (!IsOp("]")) index = Binary(std::move(index), ParseExpr());
      }
      ExpectOp("]");
      e = Binary(std::move(e), std::move(index));
    } else if (IsOp(".") && (IsIdentTok(1) || IsOp("*", 1))) {
      Advance();
      if (AcceptOp("*")) {  // IF(...).*, STRUCT(...).*
        auto star = MakeExpr(Expr::Kind::kStar);
        star->qualifier_expr = std::move(e);
        ParseStarModifiers(*star);
        e = std::move(star);
      } else {
        ParseIdent();  // field access on a non-column value
        e = Unary(std::move(e));
      }
    } else if (IsOp(":") && dialect_ == Dialect::kSnowflake &&
               (IsIdentTok(1) || At(1).type == TokenType::kString)) {
      Advance();  // variant path col:a.b[0]
      Advance();
      while (More() && IsOp(".") && IsIdentTok(1)) {
        Advance();
        Advance();
      }
      e = Unary(std::move(e));
    } else if (IsOp("->") || IsOp("->>")) {
      Advance();
      e = Binary(std::move(e), ParseUnary());
    } else if (IsKw("AT") && IsKw("TIME", 1) && IsKw("ZONE", 2)) {
      Advance();
      Advance();
      Advance();
      e = Binary(std::move(e), ParseUnary());
    } else if (AcceptKw("COLLATE")) {
      Advance();
      e = Unary(std::move(e));
    } else {
      break;
    }
  }
  return e;
}

ExprPtr Parser::ParseIdentifierChain() {
  auto col = MakeExpr(Expr::Kind::kColumn);
  col->parts.push_back(ParseIdent());
  while (More() && IsOp(".")) {
    if (IsOp("*", 1)) {
      Advance();
      Advance();
      auto star = MakeExpr(Expr::Kind::kStar);
      star->parts = std::move(col->parts);
      ParseStarModifiers(*star);
      return star;
    }
    if (!IsIdentTok(1)) break;
    Advance();
    col->parts.push_back(ParseIdent());
  }
  if (IsOp("(")) {
    std::string name;
    for (const Ident& p : col->parts) {
      if (!name.empty()) name += ".";
      name += absl::AsciiStrToUpper(p.text);
    }
    return ParseFunctionCall(std::move(name));
  }
  if (IsOp("->") && col->parts.size() == 1 && !col->parts[0].quoted &&
      (dialect_ == Dialect::kSpark || dialect_ == Dialect::kTrino || dialect_ == Dialect::kHive ||
       dialect_ == Dialect::kSnowflake || dialect_ == Dialect::kBigQuery)) {
    Advance();  // x -> expr
    auto lambda = MakeExpr(Expr::Kind::kLambda);
    lambda->lambda_params.push_back(absl::AsciiStrToLower(col->parts[0].text));
    lambda->children.push_back(ParseExpr());
    return lambda;
  }
  return col;
}

ExprPtr Parser::ParsePrimary() {
  const Token& t = Cur();
  switch (t.type) {
    case TokenType::kNumber:
    case TokenType::kString: {
      auto lit = MakeExpr(Expr::Kind::kLiteral);
      if (t.type == TokenType::kNumber) lit->name = std::string(t.text);  // GROUP BY 1
      Advance();
      while (Cur().type == TokenType::kString) Advance();  // 'a' 'b' concatenation
      return lit;
    }
    case TokenType::kParam: {
      Advance();
      return MakeExpr(Expr::Kind::kParam);
    }
    case TokenType::kQuotedIdent:
      return ParseIdentifierChain();
    case TokenType::kEnd:
      FailExpected("an expression");
      return MakeExpr(Expr::Kind::kOther);
    case TokenType::kOp:
      break;
    case TokenType::kWord:
      break;
  }
  if (t.type == TokenType::kOp) {
    if (IsOp("(")) {
      Advance();
      if (AtSelectKeyword()) {
        auto sub = MakeExpr(Expr::Kind::kSubquery);
        sub->subquery = ParseQuery();
        ExpectOp(")");
        return sub;
      }
      if (AcceptOp(")")) return MakeExpr(Expr::Kind::kOther);  // () in GROUPING SETS
      std::vector<ExprPtr> items;
      bool simple_names = true;
      do {
        if (!(IsIdentTok() && (IsOp(",", 1) || IsOp(")", 1)))) simple_names = false;
        items.push_back(ParseExpr());
      } while (More() && AcceptOp(","));
      ExpectOp(")");
      if (simple_names && IsOp("->")) {  // (a, b) -> expr
        Advance();
        auto lambda = MakeExpr(Expr::Kind::kLambda);
        for (const ExprPtr& item : items) {
          if (item->kind == Expr::Kind::kColumn && !item->parts.empty()) {
            lambda->lambda_params.push_back(absl::AsciiStrToLower(item->parts[0].text));
          }
        }
        lambda->children.push_back(ParseExpr());
        return lambda;
      }
      if (items.size() == 1) return std::move(items[0]);
      return Wrap(std::move(items));
    }
    if (IsOp("*")) {
      Advance();
      auto star = MakeExpr(Expr::Kind::kStar);
      ParseStarModifiers(*star);
      return star;
    }
    if (IsOp("[") || IsOp("{")) {
      const std::string close = IsOp("[") ? "]" : "}";
      Advance();
      std::vector<ExprPtr> items;
      while (More() && !IsOp(close)) {
        items.push_back(ParseExpr());
        if (!AcceptOp(",") && !AcceptOp(":")) break;
      }
      ExpectOp(close);
      return Wrap(std::move(items));
    }
    if (IsOp(":") && IsIdentTok(1)) {  // :name bind parameter
      Advance();
      Advance();
      return MakeExpr(Expr::Kind::kParam);
    }
    FailExpected("an expression");
    return MakeExpr(Expr::Kind::kOther);
  }
  // Words.
  const absl::string_view w = t.upper;
  if (w == "CASE") {
    Advance();
    return ParseCase();
  }
  if (w == "EXISTS" && IsOp("(", 1)) {
    Advance();
    Advance();
    auto e = MakeExpr(Expr::Kind::kExists);
    e->subquery = ParseQuery();
    ExpectOp(")");
    return e;
  }
  if (w == "NULL" || w == "TRUE" || w == "FALSE") {
    Advance();
    return MakeExpr(Expr::Kind::kLiteral);
  }
  if (w == "INTERVAL") {
    Advance();
    ExprPtr value = ParsePrimary();
    if (Cur().type == TokenType::kWord && IsDatePart(Cur().upper)) {
      Advance();
      if (AcceptKw("TO")) Advance();
    }
    return Unary(std::move(value));
  }
  if ((w == "DATE" || w == "TIME" || w == "TIMESTAMP" || w == "DATETIME" || w == "TIMESTAMPTZ" ||
       w == "TIMESTAMP_NTZ" || w == "NUMERIC" || w == "DECIMAL" || w == "JSON" ||
       w == "BIGNUMERIC") &&
      At(1).type == TokenType::kString) {
    Advance();
    Advance();
    return MakeExpr(Expr::Kind::kLiteral);
  }
  if ((w == "CURRENT_DATE" || w == "CURRENT_TIMESTAMP" || w == "CURRENT_TIME" || w == "LOCALTIME" ||
       w == "LOCALTIMESTAMP" || w == "CURRENT_USER" || w == "SESSION_USER" || w == "SYSDATE" ||
       w == "SYSTIMESTAMP" || w == "CURRENT_ROLE" || w == "USER") &&
      !IsOp("(", 1) && !IsOp(".", 1)) {
    Advance();
    return MakeExpr(Expr::Kind::kLiteral);
  }
  if ((w == "ARRAY" || w == "STRUCT" || w == "MAP") && (IsOp("<", 1) || IsOp("[", 1))) {
    Advance();
    if (IsOp("<")) {
      int depth = 0;
      do {
        if (IsOp("<")) ++depth;
        if (IsOp(">")) --depth;
        if (IsOp(">>")) depth -= 2;
        Advance();
      } while (depth > 0 && More());
    }
    if (IsOp("(")) return ParseFunctionCall(std::string(w));
    return ParsePrimary();  // [ ... ]
  }
  if (IsReserved() && !(IsOp("(", 1) && (w == "LEFT" || w == "RIGHT" || w == "REPLACE" ||
                                         w == "IF" || w == "SET" || w == "VALUES"))) {
    FailExpected("an expression");
    return MakeExpr(Expr::Kind::kOther);
  }
  return ParseIdentifierChain();
}

}  // namespace tidemark::sql
