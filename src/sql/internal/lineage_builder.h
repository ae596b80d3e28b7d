// LineageBuilder: walks parsed statements (ast.h) and computes table and column lineage.
//
// Every query becomes a Relation: its ordered output columns, each with the set of source
// (table, column) pairs it reads and whether it is a plain copy. FROM items become scope entries
// (alias, written name, relation); column references are resolved against the innermost scope
// first, then enclosing ones (correlated subqueries). A `*` over a relation whose columns are
// unknown leaves the relation "open": later references by name pass through to the relation
// under the star. Internal to tidemark::sql; one builder per ParseSqlLineage call; not thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/types/span.h"
#include "sql/internal/ast.h"
#include "sql/sql_lineage.h"

namespace tidemark::sql {

// A qualified table name interned by the builder (LineageBuilder::Intern): upstream sets copy and
// compare it as an integer instead of a string.
struct TableId {
  uint32_t index = 0;
  auto operator<=>(const TableId&) const = default;
};

// A set of (table, column path) upstreams kept as a sorted vector: merging two sets, the common
// operation, is one linear pass and allocates once, where a node-based set allocated per element.
class UpSet {
 public:
  using value_type = std::pair<TableId, std::string>;
  using const_iterator = std::vector<value_type>::const_iterator;

  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

  void emplace(TableId table, std::string column);
  // Adds a sorted range (another UpSet's).
  void insert(const_iterator first, const_iterator last);
  // Replaces the contents with `items`, in any order and with repeats: one sort for many ranges
  // gathered at once, where inserting them one by one re-merges the growing set each time.
  void Assign(std::vector<value_type> items);

 private:
  std::vector<value_type> items_;  // sorted, unique
};

struct OutCol {
  std::string name;
  UpSet ups;
  bool identity = false;
  bool aggregate = false;
};

struct Relation {
  bool is_table = false;
  std::string table;   // qualified name, for tables
  TableId table_id;    // `table` interned
  bool known = false;  // `cols` is the complete column list
  std::vector<OutCol> cols;
  std::vector<const Relation*> passthrough;  // relations under an unexpanded `*`
  bool lateral_all = false;                  // LATERAL subquery: every column reads all refs
  UpSet all_refs;
  bool element = false;  // UNNEST / table function: columns are fields of `base`
  UpSet base;
  std::vector<std::string> element_columns;  // lower-cased column aliases of the element
};

struct ScopeEntry {
  std::string alias;              // lower-cased; empty when unaliased
  std::vector<std::string> name;  // lower-cased written name parts
  const Relation* rel = nullptr;
};

struct Scope {
  std::vector<ScopeEntry> entries;
  const Scope* parent = nullptr;
};

struct CteEnv {
  absl::flat_hash_map<std::string, const Relation*> ctes;
  const CteEnv* parent = nullptr;
};

class WrittenColumns;  // written_columns.h

class LineageBuilder {
 public:
  // `options.env` must be valid (ParseSqlLineage checks it first).
  explicit LineageBuilder(const SqlOptions& options);

  // Adds one statement's lineage to `out`.
  void AddStatement(const Statement& s, SqlLineage& out);

 private:
  struct ExprInfo {
    UpSet ups;
    bool aggregate = false;
  };
  struct Resolved {
    UpSet ups;
    bool identity = true;
  };

  // Names.
  std::string QualifyTable(const std::vector<Ident>& parts) const;
  std::string ColumnName(const Ident& id) const;
  const std::string& Urn(const std::string& table);  // through Intern
  const std::string& Urn(TableId table) const;
  TableId Intern(const std::string& table);
  std::optional<std::vector<std::string>> TableColumns(const std::string& table) const;

  // Queries (lineage_builder.cc).
  const Relation* BuildQuery(const Query& q, const Scope* parent, const CteEnv* env);
  const Relation* BuildSelect(const Select& sel, const Scope* parent, const CteEnv* env);
  const Relation* BuildSetOp(const Query& q, const Scope* parent, const CteEnv* env);
  const Relation* BuildValues(const Query& q, const Scope* parent, const CteEnv* env);
  void AddFromItem(const FromItem& item, Scope& scope, const Scope* parent, const CteEnv* env);
  const Relation* TableRelation(const std::string& table);
  void ExpandStar(const Expr& star, const Scope& scope, Relation& out);
  Relation* NewRelation();
  // WITH RECURSIVE: what a CTE's own name stands for inside its body (its column list, if any).
  Relation* RecursiveCtePlaceholder(const Cte& cte);
  // `rel` with its columns renamed by the CTE's column list (`WITH x(a, b) AS ...`).
  const Relation* RenamedByCteColumns(const Cte& cte, const Relation* rel);

  // Expressions and names (lineage_resolve.cc).
  void Walk(const Expr& e, const Scope& scope, std::vector<std::string>& lambdas, bool report,
            ExprInfo& info);
  ExprInfo Lineage(const Expr& e, const Scope& scope, bool report);
  bool ResolveColumn(const std::vector<Ident>& parts, const Scope& scope, Resolved& out);
  bool ResolveIn(const Relation& rel, const std::string& column, absl::Span<const Ident> fields,
                 bool qualified, Resolved& out, int depth = 0);
  static bool HasColumn(const Relation& rel, const std::string& lower);
  // Output name of an unaliased expression: its SQL with qualified columns, as DataHub names
  // them (`COUNT(\`t\`.\`c\`)`); empty when the expression is not a plain function call.
  std::string Render(const Expr& e, const Scope& scope, int depth = 0) const;
  void Report(std::string message);

  // Statements (lineage_statements.cc).
  // One statement; also the body of a data-modifying CTE (`nested`), for which it returns the
  // CTE's relation. Written tables go to `outs`.
  const Relation* RunStatement(const Statement& st, const CteEnv* parent_env, bool nested,
                               std::set<std::string>& outs, SqlLineage& out);
  void EmitColumns(const Relation& rel, const std::string& target,
                   const std::vector<Ident>& target_columns, SqlLineage& out);
  // The downstream column `column` of the dataset `urn`, computed as `c`.
  ColumnLineage ColumnLineageOf(const std::string& urn, const std::string& column,
                                const OutCol& c) const;
  void AddIn(const std::string& table) {
    if (!table.empty()) in_.insert(table);
  }
  void RegisterOutput(const std::string& table, const std::vector<std::string>& columns);

  // What UPDATE, DELETE and MERGE write, and RETURNING (lineage_writes.cc).
  const Relation* ModifyTable(const Statement& st, const std::string& target,
                              ScopeEntry& target_entry, const CteEnv* use_env, bool nested,
                              std::set<std::string>& outs, SqlLineage& out);
  void WriteValue(WrittenColumns& w, std::string column, const Expr& value, const Scope& scope);
  void WriteSets(WrittenColumns& w, const std::vector<Assignment>& sets, const Scope& scope);
  void WriteStar(WrittenColumns& w, const MergeClause& c, const Scope& source,
                 const std::string& target);
  void EmitWritten(const std::string& target, const WrittenColumns& w, SqlLineage& out);
  const Relation* ReturningRelation(const Statement& st, const ScopeEntry& target_entry,
                                    const Scope& others);
  const Relation* WrittenRows(const WrittenColumns& w, const Relation* old);

  const SqlOptions& options_;
  std::deque<Relation> arena_;
  absl::flat_hash_map<std::string, const Relation*> tables_;
  std::map<std::string, std::vector<std::string>> created_;  // tables made earlier in the script
  std::set<std::string> in_;
  // Every dataset URN of one parse is urn_prefix_ + escaped table name + urn_suffix_.
  std::string urn_prefix_;
  std::string urn_suffix_;
  std::vector<std::string> interned_urns_;  // dataset URN by TableId::index
  absl::flat_hash_map<std::string, TableId> table_ids_;
  std::vector<UpSet*> collectors_;
  const CteEnv* cur_env_ = nullptr;  // CTEs visible to subqueries inside expressions
  std::vector<std::string> errors_;
  absl::flat_hash_set<std::string> reported_;
};

}  // namespace tidemark::sql
