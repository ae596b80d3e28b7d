// The syntax tree the lineage parser builds: only what column lineage needs. Expressions keep
// column references, function names (to tell aggregates apart), scalar subqueries, lambdas and
// star selections; everything else (operators, literals, types) collapses into kOther nodes whose
// children are the operands. Queries keep CTEs, projections, FROM items with their joins and the
// other clauses as plain expression lists (they matter only for the tables they read).
// Trees are owned top-down through unique_ptr; plain data, not thread-safe to mutate.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/statement_type.h"

namespace tidemark::sql {

// An identifier as written; unquoted ones are compared case-insensitively.
struct Ident {
  std::string text;
  bool quoted = false;
};

struct Query;
struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum class Kind {
    kColumn,    // parts = a.b.c
    kStar,      // parts = qualifier (empty for *); `qualifier_expr` when qualified by an expression
    kLiteral,   // numbers, strings, NULL, TRUE, ...
    kParam,     // ?, :x, @x
    kFunction,  // name(children) [OVER (...)]; window operands appended to children
    kSubquery,  // scalar subquery (or IN / ARRAY / EXISTS operand)
    kExists,    // EXISTS (subquery): reads tables, yields no column values
    kLambda,    // params -> children[0]
    kOther,     // operators, CASE, CAST, ...: children are the operands
  };
  Kind kind = Kind::kOther;
  std::vector<Ident> parts;
  std::string name;  // kFunction: upper-cased name; kLiteral: text of a number
  std::vector<ExprPtr> children;
  std::unique_ptr<Query> subquery;
  std::vector<std::string> lambda_params;  // lower-cased
  // kStar modifiers: * EXCEPT (a, b), * REPLACE (expr AS a)
  ExprPtr qualifier_expr;
  std::vector<Ident> star_except;
  std::vector<std::pair<ExprPtr, Ident>> star_replace;
  bool window = false;
};

struct SelectItem {
  ExprPtr expr;
  Ident alias;
  bool has_alias = false;
  bool param_alias = false;  // `AS :name`: the output name is a bind parameter
};

enum class JoinKind { kFirst, kComma, kInner, kLeft, kRight, kFull, kCross, kSemi, kAnti };

struct FromItem {
  enum class Kind { kTable, kSubquery, kUnnest, kFunction, kValues };
  Kind kind = Kind::kTable;
  std::vector<Ident> name;       // kTable; kFunction: the function name
  std::unique_ptr<Query> query;  // kSubquery, kValues
  std::vector<ExprPtr> args;     // kUnnest, kFunction
  Ident alias;
  bool has_alias = false;
  std::vector<Ident> column_aliases;
  bool lateral = false;
  JoinKind join = JoinKind::kFirst;
  bool natural = false;
  ExprPtr on;
  std::vector<Ident> using_columns;
  std::vector<ExprPtr> extra;  // time travel, sampling, hints: only read for tables
};

struct Select {
  bool distinct = false;
  std::vector<SelectItem> items;
  std::vector<FromItem> from;
  std::vector<Ident> into;     // T-SQL SELECT ... INTO t
  std::vector<ExprPtr> other;  // WHERE, GROUP BY, HAVING, QUALIFY, WINDOW, ORDER BY, ...
};

struct Statement;

struct Cte {
  Ident name;
  std::vector<Ident> columns;
  std::unique_ptr<Query> query;
  // PostgreSQL data-modifying CTE: INSERT / UPDATE / DELETE (/ MERGE) ... RETURNING, set instead
  // of `query`. Only in a statement's own top-level WITH (Statement::ctes).
  std::unique_ptr<Statement> statement;
};

struct Query {
  enum class Kind { kSelect, kSetOp, kValues };
  Kind kind = Kind::kSelect;
  bool recursive = false;
  std::vector<Cte> ctes;
  std::unique_ptr<Select> select;                // kSelect
  std::vector<std::unique_ptr<Query>> branches;  // kSetOp, flat: a UNION b UNION c
  std::string set_op;                            // UNION, EXCEPT, INTERSECT
  std::vector<std::vector<ExprPtr>> rows;        // kValues
  std::vector<ExprPtr> other;                    // trailing ORDER BY / LIMIT operands
};

struct Assignment {
  std::vector<Ident> column;  // possibly qualified: t.col
  ExprPtr value;
};

struct MergeClause {
  bool matched = false;
  std::vector<Assignment> sets;  // WHEN MATCHED THEN UPDATE SET ...
  std::vector<Ident> insert_columns;
  std::vector<ExprPtr> insert_values;
  bool star = false;  // UPDATE SET * / INSERT * (Databricks)
  ExprPtr condition;
  bool by_source = false;      // WHEN NOT MATCHED BY SOURCE: only the target is in scope
  bool by_position = false;    // with `star`: BigQuery INSERT ROW maps source columns by position
  bool insert = false;         // an INSERT action (even one with no column list or values)
  std::vector<ExprPtr> other;  // Oracle's trailing WHERE / DELETE WHERE conditions
};

struct Statement {
  StatementType type = StatementType::kUnknown;
  bool temporary = false;
  bool materialized = false;
  std::vector<Ident> target;  // the written table
  Ident target_alias;
  bool has_target_alias = false;
  std::vector<Ident> target_columns;        // INSERT column list, view column list, DDL columns
  std::vector<std::vector<Ident>> dropped;  // DROP TABLE a, b
  std::vector<Ident> like;                  // CREATE TABLE t LIKE/CLONE s
  std::vector<Cte> ctes;                    // WITH ... INSERT/UPDATE/DELETE/MERGE
  std::unique_ptr<Query> query;             // the SELECT that feeds the target
  std::vector<Assignment> sets;             // UPDATE SET
  std::vector<FromItem> from;               // UPDATE FROM, DELETE USING, MERGE USING
  std::vector<MergeClause> merge;
  std::vector<ExprPtr> other;  // WHERE, ON, RETURNING, ...
  bool recursive = false;      // WITH RECURSIVE, for `ctes`
  // RETURNING list; parsed only for the body of a data-modifying CTE (top-level RETURNING is
  // skipped: its rows go to the client, not into a table).
  std::vector<SelectItem> returning;
};

}  // namespace tidemark::sql
