// Parser: queries (WITH, set operations, SELECT, VALUES) and FROM items with joins.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sql/internal/parser.h"
#include "sql/internal/parser_internal.h"

namespace tidemark::sql {

Ident Parser::ParseIdent() {
  Ident id;
  const Token& t = Cur();
  if (t.type == TokenType::kWord || t.type == TokenType::kQuotedIdent) {
    id.text = std::string(t.text);
    id.quoted = t.type == TokenType::kQuotedIdent;
    Advance();
  } else if (t.type == TokenType::kString && !DoubleQuoteIsIdentifier(dialect_)) {
    id.text = std::string(t.text);  // MySQL/BigQuery "name" used as an identifier
    id.quoted = true;
    Advance();
  } else {
    FailExpected("an identifier");
  }
  return id;
}

std::vector<Ident> Parser::ParseQualifiedName() {
  std::vector<Ident> parts;
  auto add = [&](Ident id) {
    // BigQuery `project.dataset.table` in one pair of backticks.
    if (id.quoted && dialect_ == Dialect::kBigQuery && id.text.find('.') != std::string::npos) {
      for (absl::string_view piece : absl::StrSplit(id.text, '.')) {
        parts.push_back(Ident{std::string(piece), true});
      }
    } else {
      parts.push_back(std::move(id));
    }
  };
  add(ParseIdent());
  while (More() && IsOp(".")) {
    if (IsOp(".", 1)) {  // T-SQL db..table
      Advance();
      continue;
    }
    Advance();
    add(ParseIdent());
  }
  return parts;
}

std::vector<Ident> Parser::ParseIdentList() {
  std::vector<Ident> out;
  ExpectOp("(");
  while (More() && !IsOp(")")) {
    std::vector<Ident> name = ParseQualifiedName();
    if (!name.empty()) out.push_back(std::move(name.back()));
    // Column options in view column lists: COMMENT '...', ASC/DESC, types.
    while (More() && !IsOp(",") && !IsOp(")")) {
      if (IsOp("(")) {
        SkipBalanced();
      } else {
        Advance();
      }
    }
    if (!AcceptOp(",")) break;
  }
  ExpectOp(")");
  return out;
}

std::vector<Cte> Parser::ParseCtes(bool* recursive) {
  // PostgreSQL data-modifying CTEs: INSERT / UPDATE / DELETE (MERGE from 17) ... RETURNING as a
  // CTE body, allowed only in the statement's own WITH. depth_ is 0 exactly there (ParseStatement
  // and CTAS call this outside any DepthGuard; subqueries and INSERT ... WITH are inside one).
  const bool top_level = depth_ == 0;
  auto modifies = [&]() {
    return IsKw("INSERT") || IsKw("UPDATE") || IsKw("DELETE") || IsKw("MERGE");
  };
  std::vector<Cte> ctes;
  ExpectKw("WITH");
  *recursive = AcceptKw("RECURSIVE");
  do {
    Cte cte;
    cte.name = ParseIdent();
    if (IsOp("(")) cte.columns = ParseIdentList();
    ExpectKw("AS");
    AcceptKw("NOT");
    AcceptKw("MATERIALIZED");
    ExpectOp("(");
    if (!modifies() && !IsKw("WITH")) {
      cte.query = ParseQuery();
      ExpectOp(")");
      ctes.push_back(std::move(cte));
      continue;
    }
    DepthGuard guard(*this);
    if (!guard.ok()) break;
    // A body's own WITH is parsed once, then what follows decides between a query and a
    // data-modifying statement (rewinding to re-parse would cost 2^depth on nested WITHs).
    std::vector<Cte> inner;
    bool inner_recursive = false;
    if (IsKw("WITH")) inner = ParseCtes(&inner_recursive);
    if (modifies()) {
      if (!top_level) {
        Fail(absl::StrCat(std::string(Cur().upper),
                          " in WITH is allowed only in the top-level WITH of a statement, not in "
                          "a subquery or INSERT ... WITH"));
        break;
      }
      cte.statement = std::make_unique<Statement>(ParseStatement());
      cte.statement->ctes = std::move(inner);
      cte.statement->recursive = inner_recursive;
      if (AcceptKw("RETURNING")) {
        do {
          SelectItem item;
          item.expr = ParseExpr();
          if (!item.expr) break;
          item.has_alias = ParseAlias(item.alias, &item.param_alias);
          cte.statement->returning.push_back(std::move(item));
        } while (More() && AcceptOp(","));
      }
    } else if (More()) {  // as ParseQuery builds WITH ... query
      cte.query = ParseSetOps();
      if (cte.query && !inner.empty()) {
        if (!cte.query->ctes.empty()) {
          auto outer = std::make_unique<Query>();
          outer->kind = Query::Kind::kSetOp;
          outer->set_op = "WRAP";
          outer->branches.push_back(std::move(cte.query));
          cte.query = std::move(outer);
        }
        cte.query->ctes = std::move(inner);
        cte.query->recursive = inner_recursive;
      }
    }
    ExpectOp(")");
    ctes.push_back(std::move(cte));
  } while (More() && AcceptOp(","));
  return ctes;
}

std::unique_ptr<Query> Parser::ParseQuery() {
  DepthGuard guard(*this);
  if (!guard.ok()) return nullptr;
  std::vector<Cte> ctes;
  bool recursive = false;
  if (IsKw("WITH")) ctes = ParseCtes(&recursive);
  std::unique_ptr<Query> q = ParseSetOps();
  if (!q) return nullptr;
  if (!ctes.empty()) {
    if (!q->ctes.empty()) {  // WITH a AS (...) (WITH b AS (...) SELECT ...): keep both scopes
      auto outer = std::make_unique<Query>();
      outer->kind = Query::Kind::kSetOp;
      outer->set_op = "WRAP";
      outer->branches.push_back(std::move(q));
      q = std::move(outer);
    }
    q->ctes = std::move(ctes);
    q->recursive = recursive;
  }
  return q;
}

std::unique_ptr<Query> Parser::ParseSetOps() {
  std::unique_ptr<Query> left = ParseQueryTerm();
  std::unique_ptr<Query> node;  // one flat node for a whole chain: no recursion on long UNIONs
  while (More() && (IsKw("UNION") || IsKw("EXCEPT") || IsKw("INTERSECT") || IsKw("MINUS"))) {
    std::string op = Cur().upper == "MINUS" ? "EXCEPT" : std::string(Cur().upper);
    Advance();
    if (!AcceptKw("ALL")) AcceptKw("DISTINCT");
    AcceptKws("BY", "NAME");
    if (!node) {
      node = std::make_unique<Query>();
      node->kind = Query::Kind::kSetOp;
      node->set_op = std::move(op);
      node->branches.push_back(std::move(left));
    }
    node->branches.push_back(ParseQueryTerm());
  }
  if (node) left = std::move(node);
  if (left) ParseQueryTail(left->other);
  return left;
}

std::unique_ptr<Query> Parser::ParseQueryTerm() {
  DepthGuard guard(*this);
  if (!guard.ok()) return nullptr;
  if (AcceptOp("(")) {
    std::unique_ptr<Query> q = ParseQuery();
    ExpectOp(")");
    return q;
  }
  if (IsKw("WITH")) return ParseQuery();
  if (IsKw("VALUES")) return ParseValues();
  if (IsKw("SELECT") || (dialect_ == Dialect::kTeradata && IsKw("SEL"))) {
    auto q = std::make_unique<Query>();
    q->kind = Query::Kind::kSelect;
    q->select = ParseSelect();
    return q;
  }
  FailExpected("SELECT");
  return nullptr;
}

std::unique_ptr<Query> Parser::ParseValues() {
  ExpectKw("VALUES");
  auto q = std::make_unique<Query>();
  q->kind = Query::Kind::kValues;
  do {
    std::vector<ExprPtr> row;
    if (AcceptOp("(")) {
      ParseExprList(row);
      ExpectOp(")");
    } else {
      row.push_back(ParseExpr());
    }
    q->rows.push_back(std::move(row));
  } while (More() && AcceptOp(","));
  return q;
}

void Parser::ParseQueryTail(std::vector<ExprPtr>& other) {
  while (More()) {
    if (AcceptKws("ORDER", "BY")) {
      ParseOrderList(other);
    } else if (AcceptKw("LIMIT")) {
      if (!AcceptKw("ALL")) other.push_back(ParseExpr());
      if (AcceptOp(",") || AcceptKw("OFFSET")) other.push_back(ParseExpr());
    } else if (AcceptKw("OFFSET")) {
      other.push_back(ParseExpr());
      if (!AcceptKw("ROWS")) AcceptKw("ROW");
    } else if (AcceptKw("FETCH")) {
      if (!AcceptKw("FIRST")) ExpectKw("NEXT");
      if (!IsKw("ROW") && !IsKw("ROWS")) other.push_back(ParseExpr());
      AcceptKw("PERCENT");
      if (!AcceptKw("ROWS")) ExpectKw("ROW");
      if (!AcceptKw("ONLY")) {
        ExpectKw("WITH");
        ExpectKw("TIES");
      }
    } else if (IsKw("FOR") && (IsKw("UPDATE", 1) || IsKw("SHARE", 1))) {
      while (More() && !IsOp(";") && !IsOp(")")) Advance();
    } else if (dialect_ == Dialect::kTeradata && AcceptKw("SAMPLE")) {
      ParseExprList(other);
    } else if (IsKw("OPTION") && IsOp("(", 1)) {
      Advance();
      SkipBalanced();
    } else {
      return;
    }
  }
}

std::unique_ptr<Select> Parser::ParseSelect() {
  auto sel = std::make_unique<Select>();
  Advance();  // SELECT / SEL
  if (AcceptKw("DISTINCT") || AcceptKw("DISTINCTROW")) {
    sel->distinct = true;
    if (AcceptKw("ON")) {
      ExpectOp("(");
      ParseExprList(sel->other);
      ExpectOp(")");
    }
  } else {
    AcceptKw("ALL");
  }
  if (AcceptKw("TOP")) {
    if (IsOp("(")) {
      Advance();
      sel->other.push_back(ParseExpr());
      ExpectOp(")");
    } else {
      Advance();
    }
    AcceptKw("PERCENT");
    AcceptKws("WITH", "TIES");
  }
  if (IsKw("AS") && (IsKw("STRUCT", 1) || IsKw("VALUE", 1))) {
    Advance();
    Advance();
  }
  // Projections; a trailing comma before FROM is accepted (Snowflake, BigQuery).
  while (More()) {
    SelectItem item;
    item.expr = ParseExpr();
    if (!item.expr) break;
    item.has_alias = ParseAlias(item.alias, &item.param_alias);
    sel->items.push_back(std::move(item));
    if (!AcceptOp(",")) break;
    if (IsKw("FROM") || AtEnd() || IsOp(")") || IsOp(";")) break;
  }
  if (AcceptKw("INTO")) {
    AcceptKw("TEMPORARY") || AcceptKw("TEMP") || AcceptKw("UNLOGGED");
    AcceptKw("TABLE");
    sel->into = ParseQualifiedName();
  }
  if (AcceptKw("FROM")) ParseFromList(sel->from);
  while (More()) {
    if (AcceptKw("WHERE") || AcceptKw("HAVING") || AcceptKw("QUALIFY") || AcceptKw("PREWHERE")) {
      sel->other.push_back(ParseExpr());
    } else if (AcceptKws("GROUP", "BY")) {
      if (!AcceptKw("ALL")) {
        AcceptKw("DISTINCT");
        do {
          if (AcceptKws("GROUPING", "SETS")) {
            ExpectOp("(");
            ParseExprList(sel->other);
            ExpectOp(")");
          } else if (IsOp("(") && IsOp(")", 1)) {
            Advance();
            Advance();
          } else {
            sel->other.push_back(ParseExpr());
          }
        } while (More() && AcceptOp(","));
      }
      if (AcceptKw("WITH")) {
        if (!AcceptKw("ROLLUP")) ExpectKw("CUBE");
      }
    } else if (AcceptKw("WINDOW")) {
      do {
        ParseIdent();
        ExpectKw("AS");
        auto holder = MakeExpr(Expr::Kind::kOther);
        ParseWindowSpec(*holder);
        sel->other.push_back(std::move(holder));
      } while (More() && AcceptOp(","));
    } else if (AcceptKws("DISTRIBUTE", "BY") || AcceptKws("SORT", "BY") ||
               AcceptKws("CLUSTER", "BY")) {
      ParseOrderList(sel->other);
    } else if (AcceptKws("CONNECT", "BY") || AcceptKws("START", "WITH")) {
      AcceptKw("NOCYCLE");
      sel->other.push_back(ParseExpr());
    } else {
      break;
    }
  }
  return sel;
}

void Parser::ParseFromList(std::vector<FromItem>& out) {
  ParseJoinedItems(out, JoinKind::kFirst);
  while (More() && AcceptOp(",")) ParseJoinedItems(out, JoinKind::kComma);
}

void Parser::ParseJoinedItems(std::vector<FromItem>& out, JoinKind first_kind) {
  ParseFromItem(out, first_kind);
  while (More()) {
    const bool natural = AcceptKw("NATURAL");
    JoinKind kind;
    bool apply = false;
    if (AcceptKw("JOIN") || AcceptKw("STRAIGHT_JOIN")) {
      kind = JoinKind::kInner;
    } else if (AcceptKw("INNER")) {
      kind = JoinKind::kInner;
      ExpectKw("JOIN");
    } else if (AcceptKw("LEFT") || AcceptKw("RIGHT") || AcceptKw("FULL")) {
      const absl::string_view word = tokens_[pos_ - 1].upper;
      kind = word == "LEFT"    ? JoinKind::kLeft
             : word == "RIGHT" ? JoinKind::kRight
                               : JoinKind::kFull;
      AcceptKw("OUTER");
      if (AcceptKw("SEMI")) kind = JoinKind::kSemi;
      if (AcceptKw("ANTI")) kind = JoinKind::kAnti;
      ExpectKw("JOIN");
    } else if (AcceptKw("CROSS")) {
      kind = JoinKind::kCross;
      if (AcceptKw("APPLY")) {
        apply = true;
      } else {
        ExpectKw("JOIN");
      }
    } else if (IsKw("OUTER") && IsKw("APPLY", 1)) {
      Advance();
      Advance();
      kind = JoinKind::kLeft;
      apply = true;
    } else if (AcceptKw("SEMI") || AcceptKw("ANTI") || AcceptKw("ASOF") || AcceptKw("ANY")) {
      kind = JoinKind::kInner;
      ExpectKw("JOIN");
    } else if (IsKw("LATERAL") && IsKw("VIEW", 1)) {
      // Hive: LATERAL VIEW [OUTER] explode(x) t AS a, b
      Advance();
      Advance();
      AcceptKw("OUTER");
      FromItem item;
      item.kind = FromItem::Kind::kFunction;
      item.lateral = true;
      item.join = JoinKind::kCross;
      item.name = ParseQualifiedName();
      ExpectOp("(");
      ParseExprList(item.args);
      ExpectOp(")");
      if (IsIdentTok() && !IsReserved()) {
        item.alias = ParseIdent();
        item.has_alias = true;
      }
      if (AcceptKw("AS")) {
        do {
          item.column_aliases.push_back(ParseIdent());
        } while (More() && AcceptOp(","));
      }
      out.push_back(std::move(item));
      continue;
    } else {
      if (natural) FailExpected("JOIN");
      return;
    }
    const size_t index = out.size();
    ParseFromItem(out, kind);
    if (index >= out.size()) return;
    out[index].natural = natural;
    if (apply) out[index].lateral = true;
    if (AcceptKw("ON")) {
      out[index].on = ParseExpr();
    } else if (AcceptKw("USING")) {
      out[index].using_columns = ParseIdentList();
    }
  }
}

void Parser::ParseTableAlias(FromItem& item) {
  if (AcceptKw("AS")) {
    item.alias = ParseIdent();
    item.has_alias = true;
  } else if (IsIdentTok() && !IsReserved() &&
             !(dialect_ == Dialect::kSnowflake &&
               (IsKw("AT") || IsKw("BEFORE") || IsKw("CHANGES")) && IsOp("(", 1))) {
    item.alias = ParseIdent();
    item.has_alias = true;
  }
  if (item.has_alias && IsOp("(") && !AtQueryStart()) item.column_aliases = ParseIdentList();
}

void Parser::ParseFromItem(std::vector<FromItem>& out, JoinKind kind) {
  DepthGuard guard(*this);
  if (!guard.ok()) return;
  FromItem item;
  item.join = kind;
  item.lateral = AcceptKw("LATERAL");
  if (IsOp("(")) {
    if (AtQueryStart()) {
      Advance();
      item.kind = FromItem::Kind::kSubquery;
      item.query = ParseQuery();
      ExpectOp(")");
    } else {
      // A parenthesised join: its items join the enclosing FROM list.
      Advance();
      const size_t first = out.size();
      ParseFromList(out);
      ExpectOp(")");
      if (first < out.size()) out[first].join = kind;
      FromItem ignored;
      ParseTableAlias(ignored);
      return;
    }
  } else if (IsKw("VALUES")) {
    item.kind = FromItem::Kind::kValues;
    item.query = ParseValues();
  } else if (IsKw("UNNEST") && IsOp("(", 1)) {
    Advance();
    Advance();
    item.kind = FromItem::Kind::kUnnest;
    ParseExprList(item.args);
    ExpectOp(")");
    AcceptKws("WITH", "ORDINALITY");
  } else if (IsKw("TABLE") && IsOp("(", 1)) {  // TABLE(FLATTEN(...)), TABLE(fn(...))
    Advance();
    Advance();
    item.kind = FromItem::Kind::kFunction;
    item.args.push_back(ParseExpr());
    ExpectOp(")");
  } else {
    item.name = ParseQualifiedName();
    if (IsOp("(")) {  // table function: FLATTEN(input => x), generate_series(1, 3), ...
      Advance();
      item.kind = FromItem::Kind::kFunction;
      if (AtQueryStart()) {
        auto sub = MakeExpr(Expr::Kind::kSubquery);
        sub->subquery = ParseQuery();
        item.args.push_back(std::move(sub));
      } else {
        ParseExprList(item.args);
      }
      ExpectOp(")");
    }
  }
  // Time travel, sampling and hints before the alias.
  while (More()) {
    if (IsKw("FOR") && (IsKw("SYSTEM_TIME", 1) || IsKw("SYSTEM_VERSION", 1) ||
                        IsKw("TIMESTAMP", 1) || IsKw("VERSION", 1))) {
      Advance();
      Advance();
      AcceptKw("AS");
      AcceptKw("OF");
      item.extra.push_back(ParseExpr());
    } else if ((IsKw("AT") || IsKw("BEFORE") || IsKw("CHANGES")) && IsOp("(", 1) &&
               dialect_ == Dialect::kSnowflake) {
      Advance();
      SkipBalanced();
    } else if ((IsKw("TABLESAMPLE") || IsKw("SAMPLE")) && (IsOp("(", 1) || IsIdentTok(1))) {
      Advance();
      if (!IsOp("(")) Advance();
      if (IsOp("(")) SkipBalanced();
      if (AcceptKw("REPEATABLE") || AcceptKw("SEED")) SkipBalanced();
    } else if (dialect_ == Dialect::kMsSql && IsKw("WITH") && IsOp("(", 1)) {
      Advance();
      SkipBalanced();
    } else {
      break;
    }
  }
  ParseTableAlias(item);
  if (dialect_ == Dialect::kMsSql && IsKw("WITH") && IsOp("(", 1)) {
    Advance();
    SkipBalanced();
  }
  if (item.kind == FromItem::Kind::kUnnest && AcceptKws("WITH", "OFFSET")) {
    if (AcceptKw("AS") || (IsIdentTok() && !IsReserved())) ParseIdent();
  }
  while (More() && (IsKw("PIVOT") || IsKw("UNPIVOT") || IsKw("MATCH_RECOGNIZE"))) {
    Advance();
    AcceptKws("INCLUDE", "NULLS") || AcceptKws("EXCLUDE", "NULLS");
    SkipBalanced();
    FromItem ignored;
    ParseTableAlias(ignored);
  }
  out.push_back(std::move(item));
}

}  // namespace tidemark::sql
