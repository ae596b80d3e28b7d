// Parser: token helpers and statements (see parser.h). Queries and FROM are in parser_query.cc,
// expressions in parser_expr.cc and parser_func.cc.
#include "sql/internal/parser.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "sql/internal/parser_internal.h"

namespace tidemark::sql {

DepthGuard::DepthGuard(Parser& p) : p_(p), ok_(true) {
  if (++p_.depth_ > p_.max_depth_) {
    ok_ = false;
    p_.Fail(absl::StrCat("SQL is nested more than ", p_.max_depth_, " levels deep"));
  }
}

namespace {

// WITH x AS (INSERT / UPDATE / DELETE / MERGE ... RETURNING ...): such a WITH belongs to the
// statement, not to its query.
bool HasDataModifyingCte(const std::vector<Cte>& ctes) {
  for (const Cte& cte : ctes) {
    if (cte.statement != nullptr) return true;
  }
  return false;
}

}  // namespace

ExprPtr MakeExpr(Expr::Kind kind) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  return e;
}

Parser::Parser(absl::string_view sql, const TokenList& tokens, Dialect dialect, int max_depth)
    : sql_(sql), tokens_(tokens), dialect_(dialect), max_depth_(max_depth) {}

bool Parser::IsIdentTok(size_t ahead) const {
  const TokenType t = At(ahead).type;
  return t == TokenType::kWord || t == TokenType::kQuotedIdent;
}

bool Parser::IsReserved(size_t ahead) const {
  const Token& t = At(ahead);
  if (t.type != TokenType::kWord) return false;
  if (dialect_ == Dialect::kTeradata && (t.upper == "EQ" || t.upper == "NE" || t.upper == "LT" ||
                                         t.upper == "GT" || t.upper == "LE" || t.upper == "GE")) {
    return true;
  }
  return IsReservedWord(t.upper);
}

bool Parser::AtQueryStart(size_t ahead) const {
  size_t i = ahead;
  while (IsOp("(", i)) ++i;
  return IsKw("SELECT", i) || IsKw("WITH", i) || IsKw("VALUES", i) ||
         (dialect_ == Dialect::kTeradata && IsKw("SEL", i));
}

bool Parser::AtSelectKeyword() const {
  return IsKw("SELECT") || IsKw("WITH") || (dialect_ == Dialect::kTeradata && IsKw("SEL"));
}

void Parser::ExpectKw(absl::string_view kw) {
  if (!AcceptKw(kw)) FailExpected(kw);
}

void Parser::ExpectOp(absl::string_view op) {
  if (!AcceptOp(op)) FailExpected(absl::StrCat("'", op, "'"));
}

void Parser::Fail(absl::string_view message) {
  if (!error_.ok()) return;
  fail_pos_ = pos_;
  error_ = absl::InvalidArgumentError(
      absl::StrCat("SQL syntax error at ", DescribeOffset(sql_, Cur().offset), ": ", message));
  pos_ = tokens_.size() - 1;  // the kEnd token: every loop stops
}

void Parser::FailExpected(absl::string_view what) {
  if (AtEnd()) {
    Fail(absl::StrCat("expected ", what, " but the statement ended"));
  } else {
    Fail(absl::StrCat("expected ", what, " near '", Cur().text, "'"));
  }
}

void Parser::SkipBalanced() {
  int depth = 0;
  do {
    if (IsOp("(") || IsOp("[") || IsOp("{")) ++depth;
    if (IsOp(")") || IsOp("]") || IsOp("}")) --depth;
    Advance();
  } while (depth > 0 && More());
}

void Parser::SkipToStatementEnd() {
  int depth = 0;
  while (More()) {
    if (depth == 0 && IsOp(";")) return;
    if (IsOp("(")) ++depth;
    if (IsOp(")") && depth > 0) --depth;
    Advance();
  }
}

std::vector<ParsedStatement> Parser::ParseScript() {
  std::vector<ParsedStatement> out;
  while (!AtEnd()) {
    while (AcceptOp(";")) {
    }
    if (AtEnd()) break;
    const size_t start = pos_;
    ParsedStatement parsed;
    parsed.statement = ParseStatement();
    // A top-level RETURNING (or ON CONFLICT / ON DUPLICATE KEY ... RETURNING) sends rows to the
    // client, not into a table: read over. Only a data-modifying CTE's RETURNING is parsed.
    const StatementType type = parsed.statement.type;
    if (error_.ok() && IsKw("RETURNING") &&
        (type == StatementType::kInsert || type == StatementType::kUpdate ||
         type == StatementType::kDelete || type == StatementType::kMerge)) {
      SkipToStatementEnd();
    }
    if (error_.ok() && !AtEnd() && !IsOp(";")) {
      FailExpected("';' or the end of the statement");
    }
    if (!error_.ok()) {
      parsed.status = error_;
      parsed.statement = Statement();
      error_ = absl::OkStatus();
      // Resume after the next ';' following the failure point.
      pos_ = std::max(fail_pos_, start);
      while (!AtEnd() && !IsOp(";")) ++pos_;
    }
    depth_ = 0;
    out.push_back(std::move(parsed));
  }
  return out;
}

absl::Status Parser::ParseStandaloneExpr(ExprPtr* out) {
  *out = ParseExpr();
  if (error_.ok() && !AtEnd()) FailExpected("the end of the expression");
  return error_;
}

Statement Parser::ParseStatement() {
  Statement s;
  std::vector<Cte> ctes;
  bool recursive = false;
  if (IsKw("WITH")) {
    const size_t save = pos_;
    ctes = ParseCtes(&recursive);
    // WITH d AS (DELETE ... RETURNING *) SELECT ...: keep d statement-level.
    if (IsKw("INSERT") || IsKw("UPDATE") || IsKw("DELETE") || IsKw("MERGE") ||
        HasDataModifyingCte(ctes)) {
      s.ctes = std::move(ctes);
      s.recursive = recursive;
    } else {
      pos_ = save;  // a plain query: let ParseQuery own the WITH
      ctes.clear();
    }
  }
  if (AtQueryStart() || IsKw("SEL")) {
    s.type = StatementType::kSelect;
    s.query = ParseQuery();
    if (s.query && s.query->kind == Query::Kind::kSelect && !s.query->select->into.empty()) {
      s.target = s.query->select->into;  // T-SQL SELECT ... INTO t
    }
  } else if (IsKw("INSERT") || IsKw("UPSERT") || (IsKw("REPLACE") && IsKw("INTO", 1))) {
    ParseInsert(s);
  } else if (IsKw("CREATE")) {
    ParseCreate(s);
  } else if (IsKw("MERGE")) {
    ParseMerge(s);
  } else if (IsKw("UPDATE")) {
    ParseUpdate(s);
  } else if (IsKw("DELETE")) {
    ParseDelete(s);
  } else if (IsKw("DROP")) {
    ParseDrop(s);
  } else if (IsKw("ALTER") || IsKw("TRUNCATE")) {
    ParseAlterOrTruncate(s);
  } else {
    s.type = StatementType::kUnknown;
    SkipToStatementEnd();
  }
  return s;
}

void Parser::ParseInsert(Statement& s) {
  s.type = StatementType::kInsert;
  Advance();  // INSERT / UPSERT / REPLACE
  AcceptKw("OVERWRITE");
  AcceptKw("INTO");
  AcceptKw("TABLE");
  s.target = ParseQualifiedName();
  if (AcceptKw("AS")) {  // PostgreSQL: INSERT INTO t AS alias (the name RETURNING can use)
    s.target_alias = ParseIdent();
    s.has_target_alias = true;
  }
  if (IsKw("PARTITION")) {
    Advance();
    SkipBalanced();
  }
  AcceptKws("IF", "NOT") && AcceptKw("EXISTS");
  if (IsOp("(") && !AtQueryStart()) s.target_columns = ParseIdentList();
  if (IsKw("PARTITION")) {
    Advance();
    SkipBalanced();
  }
  AcceptKws("BY", "NAME");
  if (AcceptKw("OVERRIDING")) {  // PostgreSQL OVERRIDING { SYSTEM | USER } VALUE
    Advance();
    ExpectKw("VALUE");
  }
  if (IsKw("OUTPUT")) {  // T-SQL OUTPUT inserted.* ...
    while (More() && !AtQueryStart()) Advance();
  }
  if (AcceptKws("DEFAULT", "VALUES")) {
  } else if (AtQueryStart() || IsKw("SEL")) {
    s.query = ParseQuery();
  } else {
    FailExpected("a query or VALUES after INSERT INTO");
    return;
  }
  // ON CONFLICT / ON DUPLICATE KEY UPDATE: read over, not lineage. It stops before RETURNING and
  // before the ')' that closes a data-modifying CTE.
  if (IsKw("ON")) {
    int depth = 0;
    while (More() && !(depth == 0 && (IsOp(";") || IsOp(")") || IsKw("RETURNING")))) {
      if (IsOp("(")) ++depth;
      if (IsOp(")")) --depth;
      Advance();
    }
  }
}

void Parser::ParseColumnDefs(std::vector<Ident>& out) {
  ExpectOp("(");
  static constexpr absl::string_view kNotColumns[] = {
      "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK",    "INDEX",
      "KEY",        "PERIOD",  "LIKE",   "EXCLUDE", "FULLTEXT", "SPATIAL"};
  while (More() && !IsOp(")")) {
    bool is_column = IsIdentTok();
    for (absl::string_view kw : kNotColumns) {
      if (IsKw(kw)) is_column = false;
    }
    if (is_column) out.push_back(ParseIdent());
    int depth = 0;
    while (More() && !(depth == 0 && (IsOp(",") || IsOp(")")))) {
      if (IsOp("(")) ++depth;
      if (IsOp(")")) --depth;
      Advance();
    }
    AcceptOp(",");
  }
  ExpectOp(")");
}

void Parser::ParseCreate(Statement& s) {
  Advance();  // CREATE
  if (AcceptKw("OR")) {
    if (!AcceptKw("REPLACE")) ExpectKw("ALTER");
  }
  bool is_view = false;
  bool is_table = false;
  while (More()) {
    if (AcceptKw("TEMP") || AcceptKw("TEMPORARY") || AcceptKw("VOLATILE")) {
      s.temporary = true;
    } else if (AcceptKw("MATERIALIZED")) {
      s.materialized = true;
    } else if (AcceptKw("TRANSIENT") || AcceptKw("GLOBAL") || AcceptKw("LOCAL") ||
               AcceptKw("MULTISET") || AcceptKw("SET") || AcceptKw("EXTERNAL") ||
               AcceptKw("SECURE") || AcceptKw("RECURSIVE") || AcceptKw("UNLOGGED") ||
               AcceptKw("FORCE") || AcceptKw("NOFORCE") || AcceptKw("DYNAMIC") ||
               AcceptKw("ICEBERG") || AcceptKw("HYBRID") || AcceptKw("PRIVATE")) {
    } else if (AcceptKw("TABLE")) {
      is_table = true;
      break;
    } else if (AcceptKw("VIEW")) {
      is_view = true;
      break;
    } else {
      break;
    }
  }
  if (!is_table && !is_view) {  // SCHEMA, FUNCTION, INDEX, ...: not modelled
    s.type = StatementType::kUnknown;
    SkipToStatementEnd();
    return;
  }
  if (AcceptKw("IF")) {
    ExpectKw("NOT");
    ExpectKw("EXISTS");
  }
  s.target = ParseQualifiedName();
  if (!s.target.empty() && !s.target.back().text.empty() && s.target.back().text[0] == '#') {
    s.temporary = true;
  }
  if (IsOp("(") && !AtQueryStart()) ParseColumnDefs(s.target_columns);
  if (AcceptKw("LIKE") || AcceptKw("CLONE")) {
    s.like = ParseQualifiedName();
  }
  // Table and view options (DISTKEY (1), SORTKEY, BACKUP YES, AUTO REFRESH YES, PARTITION BY,
  // CLUSTER BY, OPTIONS (...), COMMENT '...', TBLPROPERTIES, WITH (...), ...) up to AS.
  while (More() && !IsOp(";")) {
    if (IsKw("AS") && (AtQueryStart(1) || IsOp("(", 1))) {
      Advance();
      break;
    }
    if (AtQueryStart() && !IsKw("WITH")) break;
    if (IsKw("WITH") && AtQueryStart()) {
      // WITH cte AS (...) SELECT: a query, unlike WITH (options) or WITH DATA.
      if (IsIdentTok(1) && IsKw("AS", 2)) break;
      if (IsKw("RECURSIVE", 1)) break;
    }
    if (IsOp("(")) {
      SkipBalanced();
    } else {
      Advance();
    }
  }
  if (More() && !IsOp(";") && is_table && dialect_ == Dialect::kPostgres && IsKw("WITH")) {
    // PostgreSQL: CREATE TABLE t AS WITH d AS (DELETE ... RETURNING *) SELECT ...: the WITH is the
    // statement's own, where data-modifying CTEs are allowed (not in views).
    const size_t save = pos_;
    bool recursive = false;
    std::vector<Cte> ctes = ParseCtes(&recursive);
    if (HasDataModifyingCte(ctes)) {
      s.ctes = std::move(ctes);
      s.recursive = recursive;
    } else if (error_.ok()) {
      pos_ = save;  // a plain query: let ParseQuery own the WITH
    }
  }
  if (More() && !IsOp(";")) s.query = ParseQuery();
  if (is_view) {
    s.type = StatementType::kCreateView;
  } else {
    s.type = s.query ? StatementType::kCreateTableAsSelect : StatementType::kCreateDdl;
  }
  // Trailing WITH [NO] DATA, WITH NO SCHEMA BINDING, WITH CHECK OPTION, PRIMARY INDEX, ...
  SkipToStatementEnd();
}

void Parser::ParseAssignments(std::vector<Assignment>& out) {
  // `col = DEFAULT` assigns no value that lineage could trace.
  auto value = [&]() {
    if (IsKw("DEFAULT") && !IsOp("(", 1) && !IsOp(".", 1)) {
      Advance();
      return MakeExpr(Expr::Kind::kLiteral);
    }
    return ParseExpr();
  };
  do {
    if (IsOp("(")) {  // (a, b) = (expr, expr), = ROW (expr, expr) or = (SELECT ...)
      std::vector<Ident> cols = ParseIdentList();
      ExpectOp("=");
      AcceptKw("ROW");
      ExprPtr tuple = value();
      const size_t first = out.size();
      for (Ident& c : cols) {
        Assignment a;
        a.column = {std::move(c)};
        out.push_back(std::move(a));
      }
      if (!tuple || out.size() == first) continue;
      if (cols.size() > 1 && tuple->kind != Expr::Kind::kSubquery &&
          tuple->children.size() == cols.size()) {
        for (size_t i = 0; i < cols.size(); ++i)
          out[first + i].value = std::move(tuple->children[i]);
      } else {
        out.back().value = std::move(tuple);  // the columns before it share this value
      }
      continue;
    }
    Assignment a;
    a.column = ParseQualifiedName();
    ExpectOp("=");
    a.value = value();
    out.push_back(std::move(a));
  } while (More() && AcceptOp(","));
}

void Parser::ParseMerge(Statement& s) {
  s.type = StatementType::kMerge;
  Advance();  // MERGE
  // T-SQL MERGE TOP (n) [PERCENT]
  if (AcceptKw("TOP")) {
    SkipBalanced();
    AcceptKw("PERCENT");
  }
  if (IsKw("WITH") && IsKw("SCHEMA", 1)) {  // Databricks MERGE WITH SCHEMA EVOLUTION
    Advance();
    Advance();
    ExpectKw("EVOLUTION");
  }
  AcceptKw("INTO");
  AcceptKw("ONLY");  // PostgreSQL: MERGE INTO [ONLY] t [*]
  s.target = ParseQualifiedName();
  AcceptOp("*");
  if (IsKw("WITH") && IsOp("(", 1)) {  // T-SQL table hints: WITH (HOLDLOCK)
    Advance();
    SkipBalanced();
  }
  if (AcceptKw("AS") || (IsIdentTok() && !IsReserved())) {
    s.target_alias = ParseIdent();
    s.has_target_alias = true;
  }
  ExpectKw("USING");
  AcceptKw("ONLY");
  ParseFromItem(s.from, JoinKind::kFirst);
  ExpectKw("ON");
  s.other.push_back(ParseExpr());
  // VALUES (expr | DEFAULT, ...)
  auto values = [&](std::vector<ExprPtr>& out) {
    ExpectOp("(");
    while (More() && !IsOp(")")) {
      if (IsKw("DEFAULT") && (IsOp(",", 1) || IsOp(")", 1))) {
        Advance();
        out.push_back(MakeExpr(Expr::Kind::kLiteral));
      } else {
        out.push_back(ParseExpr());
      }
      if (!AcceptOp(",")) break;
    }
    ExpectOp(")");
  };
  while (More() && AcceptKw("WHEN")) {
    MergeClause c;
    c.matched = !AcceptKw("NOT");
    ExpectKw("MATCHED");
    if (AcceptKw("BY")) {
      if (AcceptKw("SOURCE")) {
        c.by_source = true;
      } else {
        ExpectKw("TARGET");
      }
    }
    if (AcceptKw("AND")) c.condition = ParseExpr();
    ExpectKw("THEN");
    if (AcceptKw("UPDATE")) {
      if (AcceptKw("ALL")) {  // Snowflake UPDATE ALL BY NAME
        ExpectKw("BY");
        ExpectKw("NAME");
        c.star = true;
      } else {
        ExpectKw("SET");
        if (AcceptOp("*")) {
          c.star = true;
        } else {
          ParseAssignments(c.sets);
        }
      }
      if (AcceptKw("WHERE")) c.other.push_back(ParseExpr());  // Oracle
      if (AcceptKw("DELETE")) {                               // Oracle: ... DELETE WHERE cond
        ExpectKw("WHERE");
        c.other.push_back(ParseExpr());
      }
    } else if (AcceptKw("DELETE")) {
    } else if (AcceptKw("INSERT")) {
      c.insert = true;
      if (AcceptOp("*")) {  // Databricks INSERT *
        c.star = true;
      } else if (AcceptKw("ALL")) {  // Snowflake INSERT ALL BY NAME
        ExpectKw("BY");
        ExpectKw("NAME");
        c.star = true;
      } else {
        if (IsOp("(")) c.insert_columns = ParseIdentList();
        if (AcceptKw("OVERRIDING")) {  // PostgreSQL OVERRIDING { SYSTEM | USER } VALUE
          Advance();
          ExpectKw("VALUE");
        }
        if (AcceptKw("VALUES")) {
          values(c.insert_values);
        } else if (AcceptKw("ROW")) {  // BigQuery INSERT [(cols)] ROW
          c.star = true;
          c.by_position = true;
        } else if (!AcceptKws("DEFAULT", "VALUES")) {
          FailExpected("VALUES, ROW or DEFAULT VALUES in MERGE ... INSERT");
        }
      }
      if (AcceptKw("WHERE")) c.other.push_back(ParseExpr());  // Oracle
    } else if (AcceptKw("DO")) {
      ExpectKw("NOTHING");
    } else {
      FailExpected("UPDATE, DELETE or INSERT in MERGE");
    }
    s.merge.push_back(std::move(c));
  }
  if (IsKw("OUTPUT") && dialect_ == Dialect::kMsSql) SkipToStatementEnd();  // OUTPUT $action, ...
}

void Parser::ParseUpdate(Statement& s) {
  s.type = StatementType::kUpdate;
  Advance();  // UPDATE
  AcceptKw("ONLY");
  // MySQL allows joins here: UPDATE a JOIN b ON ... SET ...
  std::vector<FromItem> targets;
  ParseJoinedItems(targets, JoinKind::kFirst);
  if (targets.empty()) return;
  if (targets[0].kind != FromItem::Kind::kTable) {
    Fail("UPDATE target must be a table");
    return;
  }
  s.target = targets[0].name;
  s.target_alias = targets[0].alias;
  s.has_target_alias = targets[0].has_alias;
  for (size_t i = 1; i < targets.size(); ++i) s.from.push_back(std::move(targets[i]));
  ExpectKw("SET");
  ParseAssignments(s.sets);
  if (AcceptKw("FROM")) ParseFromList(s.from);
  if (AcceptKw("WHERE")) s.other.push_back(ParseExpr());
  if (IsKw("ORDER") || IsKw("LIMIT")) SkipToStatementEnd();  // MySQL; RETURNING: the caller's
}

void Parser::ParseDelete(Statement& s) {
  s.type = StatementType::kDelete;
  Advance();  // DELETE
  if (!IsKw("FROM")) {
    // MySQL/T-SQL: DELETE t FROM t JOIN ...; the first name is the target alias or table.
    std::vector<Ident> first = ParseQualifiedName();
    if (AcceptKw("FROM")) {
      ParseFromList(s.from);
      for (FromItem& item : s.from) {
        if (item.kind == FromItem::Kind::kTable &&
            ((item.has_alias && first.size() == 1 && item.alias.text == first[0].text) ||
             (!item.has_alias && item.name.size() >= first.size() &&
              item.name.back().text == first.back().text))) {
          s.target = item.name;
        }
      }
      if (s.target.empty()) s.target = first;
    } else {
      s.target = first;
    }
  } else {
    Advance();  // FROM
    s.target = ParseQualifiedName();
    if (AcceptKw("AS") || (IsIdentTok() && !IsReserved())) {
      s.target_alias = ParseIdent();
      s.has_target_alias = true;
    }
    if (AcceptKw("USING") || AcceptKw("FROM")) ParseFromList(s.from);
  }
  if (AcceptKw("WHERE")) s.other.push_back(ParseExpr());
  if (IsKw("ORDER") || IsKw("LIMIT")) SkipToStatementEnd();  // MySQL; RETURNING: the caller's
}

void Parser::ParseDrop(Statement& s) {
  Advance();  // DROP
  AcceptKw("TEMPORARY");
  AcceptKw("MATERIALIZED");
  AcceptKw("EXTERNAL");
  if (!AcceptKw("TABLE") && !AcceptKw("VIEW")) {
    s.type = StatementType::kUnknown;
    SkipToStatementEnd();
    return;
  }
  s.type = StatementType::kDrop;
  if (AcceptKw("IF")) ExpectKw("EXISTS");
  do {
    s.dropped.push_back(ParseQualifiedName());
  } while (More() && AcceptOp(","));
  SkipToStatementEnd();  // CASCADE, PURGE, ...
}

void Parser::ParseAlterOrTruncate(Statement& s) {
  const bool truncate = IsKw("TRUNCATE");
  Advance();
  if (truncate) {
    AcceptKw("TABLE");
  } else if (!AcceptKw("TABLE") && !AcceptKw("VIEW")) {
    s.type = StatementType::kUnknown;
    SkipToStatementEnd();
    return;
  }
  s.type = truncate ? StatementType::kTruncate : StatementType::kAlter;
  if (AcceptKw("IF")) ExpectKw("EXISTS");
  AcceptKw("ONLY");
  s.target = ParseQualifiedName();
  SkipToStatementEnd();
}

}  // namespace tidemark::sql
