// LineageBuilder: statements (SELECT, INSERT, CTAS, views, DDL, MERGE, UPDATE, DELETE, DROP, ...).
//
// UPDATE SET and MERGE's UPDATE / INSERT actions give one downstream column per target column they
// write. Its upstreams are the union of what every value written to it reads — a column updated
// by one MERGE clause and inserted by another gets both — and it is IDENTITY only when every one
// of those values is a plain column copy (AGGREGATION when one aggregates). Conditions only choose
// rows: UPDATE / DELETE WHERE, MERGE ON, WHEN ... AND and Oracle's trailing WHERE are read for the
// tables they name but are never column upstreams, as DataHub's goldens keep join and filter keys
// out of column upstreams. In a MERGE, UPDATE values see the target and the source (only the
// target after WHEN NOT MATCHED BY SOURCE) and INSERT values see only the source; UPDATE SET * /
// INSERT * (Databricks, Snowflake ALL BY NAME) write the target's columns — the source's when the
// target's are unknown — from the source's columns of the same name, and BigQuery's INSERT ROW
// writes the source's columns by position. The MERGE target is an input only when a value written
// reads it.
//
// PostgreSQL data-modifying CTEs (WITH d AS (DELETE ... RETURNING *) INSERT ...) run their
// statement like a top-level one: its target is an output and its own column lineage is emitted.
// The CTE's columns are its RETURNING list over the rows the statement wrote (INSERT, UPDATE,
// MERGE: written values, and for UPDATE / MERGE the old values of columns not written) or removed
// (DELETE); UPDATE, DELETE and MERGE read their target for it. A top-level RETURNING goes to the
// client, not into a table, and gives no lineage.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ingest/sql/lineage_builder.h"

namespace tidemark::ingest::sql {
namespace {

// The columns one statement writes into its target, in first-write order, each with the union of
// what the values written to it read.
class Written {
 public:
  // `schema`: the target's known columns; written names take its spelling.
  explicit Written(std::optional<std::vector<std::string>> schema) : schema_(std::move(schema)) {}

  void Add(std::string name, const UpSet& ups, bool copy, bool aggregate) {
    if (schema_) {
      for (const std::string& s : *schema_) {
        if (absl::EqualsIgnoreCase(s, name)) {
          name = s;
          break;
        }
      }
    }
    auto [it, inserted] = index_.try_emplace(absl::AsciiStrToLower(name), cols_.size());
    if (inserted) {
      OutCol c;
      c.name = std::move(name);
      c.ups = ups;
      c.identity = copy;
      c.aggregate = aggregate;
      cols_.push_back(std::move(c));
      return;
    }
    OutCol& c = cols_[it->second];
    c.ups.insert(ups.begin(), ups.end());
    c.identity = c.identity && copy;
    c.aggregate = c.aggregate || aggregate;
  }

  const OutCol* Find(const std::string& name) const {
    auto it = index_.find(absl::AsciiStrToLower(name));
    return it == index_.end() ? nullptr : &cols_[it->second];
  }
  const std::vector<OutCol>& cols() const { return cols_; }
  const std::optional<std::vector<std::string>>& schema() const { return schema_; }

 private:
  std::optional<std::vector<std::string>> schema_;
  std::vector<OutCol> cols_;
  absl::flat_hash_map<std::string, size_t> index_;
};

bool Reads(const Written& w, TableId table) {
  for (const OutCol& c : w.cols()) {
    for (const auto& [t, column] : c.ups) {
      if (t == table) return true;
    }
  }
  return false;
}

}  // namespace

void LineageBuilder::RegisterOutput(const std::string& table,
                                    const std::vector<std::string>& columns) {
  if (!columns.empty() && !TableColumns(table)) created_[table] = columns;
}

void LineageBuilder::EmitColumns(const Relation& rel, const std::string& target,
                                 const std::vector<Ident>& target_columns, SqlLineage& out) {
  std::optional<std::vector<std::string>> schema;
  if (!target.empty()) schema = TableColumns(target);
  const std::string urn = target.empty() ? "" : Urn(target);
  std::vector<std::string> names;
  for (size_t i = 0; i < rel.cols.size(); ++i) {
    if (!target_columns.empty() && i >= target_columns.size()) break;
    const OutCol& c = rel.cols[i];
    std::string name = target_columns.empty() ? c.name : ColumnName(target_columns[i]);
    if (schema) {  // the written table's own spelling
      const std::string lower = absl::AsciiStrToLower(name);
      for (const std::string& s : *schema) {
        if (absl::EqualsIgnoreCase(s, lower)) {
          name = s;
          break;
        }
      }
    }
    ColumnLineage cl;
    cl.downstream = ColumnRef{urn, name};
    for (const auto& [table, column] : c.ups) cl.upstreams.push_back(ColumnRef{Urn(table), column});
    cl.transform = c.aggregate  ? ColumnTransform::kAggregation
                   : c.identity ? ColumnTransform::kIdentity
                                : ColumnTransform::kTransformation;
    names.push_back(name);
    out.column_lineage.push_back(std::move(cl));
  }
  if (!target.empty()) RegisterOutput(target, names);
}

void LineageBuilder::AddStatement(const Statement& s, SqlLineage& out) {
  in_.clear();
  errors_.clear();
  std::set<std::string> outs;

  // The helpers below are lambdas rather than members: lineage_builder.h belongs to the query side.

  // One value written to `column`: its upstreams, and whether it is a plain column copy.
  auto write = [&](Written& w, std::string column, const Expr& value, const Scope& scope) {
    ExprInfo info = Lineage(value, scope, true);
    bool copy = value.kind == Expr::Kind::kColumn && info.ups.size() == 1;
    if (copy) {
      Resolved r;
      copy = ResolveColumn(value.parts, scope, r) && r.identity;
    }
    w.Add(std::move(column), info.ups, copy, info.aggregate);
  };
  // SET a = x, (b, c) = (SELECT ...): columns without a value of their own share the next one.
  auto write_sets = [&](Written& w, const std::vector<Assignment>& sets, const Scope& scope) {
    std::vector<const Assignment*> pending;
    for (const Assignment& a : sets) {
      if (a.column.empty()) continue;
      pending.push_back(&a);
      if (!a.value) continue;
      if (pending.size() == 1) {
        write(w, ColumnName(a.column.back()), *a.value, scope);
      } else {
        ExprInfo info = Lineage(*a.value, scope, true);
        for (const Assignment* p : pending) {
          w.Add(ColumnName(p->column.back()), info.ups, false, info.aggregate);
        }
      }
      pending.clear();
    }
  };
  // UPDATE SET * / INSERT * / ALL BY NAME: the target's columns (else the source's) from the
  // source's columns of the same name; INSERT ROW: the source's columns by position.
  auto write_star = [&](Written& w, const MergeClause& c, const Scope& source,
                        const std::string& target) {
    const char* what = c.by_position ? "INSERT ROW" : c.insert ? "INSERT *" : "UPDATE SET *";
    const Relation* only = source.entries.size() == 1 ? source.entries[0].rel : nullptr;
    std::vector<std::string> names;
    if (c.by_position || !w.schema()) {
      if (only == nullptr || !only->known) {
        Report(absl::StrCat("cannot expand ", what, " of MERGE into ", target,
                            ": the source's columns are unknown",
                            c.by_position ? "" : " and so are the target's"));
        return;
      }
      for (const OutCol& col : only->cols) names.push_back(col.name);
    } else {
      names = *w.schema();
    }
    for (size_t i = 0; i < names.size(); ++i) {
      std::string column = names[i];
      if (c.by_position) {
        if (!c.insert_columns.empty() || w.schema()) {
          const size_t n = c.insert_columns.empty() ? w.schema()->size() : c.insert_columns.size();
          if (i >= n) {
            Report(absl::StrCat("MERGE INSERT ROW into ", target, ": the source has ", names.size(),
                                " columns, the target ", n));
            break;
          }
          column = c.insert_columns.empty() ? (*w.schema())[i] : ColumnName(c.insert_columns[i]);
        }
      }
      Resolved r;
      if (ResolveColumn({Ident{names[i], true}}, source, r)) {
        w.Add(std::move(column), r.ups, r.identity && r.ups.size() == 1, false);
      } else {
        Report(absl::StrCat("MERGE ", what, " into ", target, ": the source has no column '",
                            names[i], "'"));
      }
    }
  };
  auto emit = [&](const std::string& target, const Written& w) {
    const std::string urn = Urn(target);
    for (const OutCol& c : w.cols()) {
      ColumnLineage cl;
      cl.downstream = ColumnRef{urn, c.name};
      for (const auto& [table, column] : c.ups) {
        cl.upstreams.push_back(ColumnRef{Urn(table), column});
      }
      cl.transform = c.aggregate  ? ColumnTransform::kAggregation
                     : c.identity ? ColumnTransform::kIdentity
                                  : ColumnTransform::kTransformation;
      out.column_lineage.push_back(std::move(cl));
    }
  };
  // A data-modifying CTE's columns: its RETURNING list over `target_entry` (whose relation is the
  // rows written or removed) and, except for INSERT, the statement's other tables.
  auto returning = [&](const Statement& st, const ScopeEntry& target_entry,
                       const Scope& others) -> const Relation* {
    Scope scope = others;
    scope.entries.insert(scope.entries.begin(), target_entry);
    const Relation& row = *target_entry.rel;
    Relation* ret = NewRelation();
    ret->known = true;
    size_t index = 0;
    for (const SelectItem& item : st.returning) {
      ++index;
      if (!item.expr) continue;
      const Expr& e = *item.expr;
      if (e.kind == Expr::Kind::kStar) {
        bool is_target = e.parts.empty();
        if (e.parts.size() == 1 && !target_entry.alias.empty()) {
          is_target = target_entry.alias == absl::AsciiStrToLower(e.parts[0].text);
        } else if (!e.parts.empty() && target_entry.alias.empty() &&
                   e.parts.size() <= target_entry.name.size()) {
          is_target = true;
          const size_t skip = target_entry.name.size() - e.parts.size();
          for (size_t i = 0; i < e.parts.size(); ++i) {
            is_target =
                is_target && target_entry.name[skip + i] == absl::AsciiStrToLower(e.parts[i].text);
          }
        }
        if (is_target && row.known) {
          ret->cols.insert(ret->cols.end(), row.cols.begin(), row.cols.end());
        } else if (is_target) {
          ret->known = false;
          ret->passthrough.push_back(&row);
          Report(absl::StrCat("cannot expand RETURNING * of ", QualifyTable(st.target),
                              ": its columns are unknown"));
        }
        if (e.parts.empty()) {
          ExpandStar(e, others, *ret);
        } else if (!is_target) {
          ExpandStar(e, scope, *ret);
        }
        continue;
      }
      ExprInfo info = Lineage(e, scope, true);
      OutCol col;
      if (item.has_alias) {
        col.name = ColumnName(item.alias);
      } else if (e.kind == Expr::Kind::kColumn && !e.parts.empty()) {
        col.name = ColumnName(e.parts.back());
      } else {
        col.name = Render(e, scope);
        if (col.name.empty()) col.name = absl::StrCat("_col_", index - 1);
      }
      col.identity = e.kind == Expr::Kind::kColumn && info.ups.size() == 1;
      if (col.identity) {
        Resolved r;
        col.identity = ResolveColumn(e.parts, scope, r) && r.identity;
      }
      col.aggregate = info.aggregate;
      col.ups = std::move(info.ups);
      ret->cols.push_back(std::move(col));
    }
    return ret;
  };
  // The rows an INSERT / UPDATE / MERGE wrote: written columns, else (UPDATE, MERGE: `old`) the
  // target's unchanged values, else (INSERT) defaults that read nothing.
  auto written_rows = [&](const Written& w, const Relation* old) -> const Relation* {
    if (w.cols().empty() && old != nullptr) return old;
    Relation* row = NewRelation();
    if (!w.schema()) {
      row->cols = w.cols();
      if (old != nullptr) row->passthrough.push_back(old);
      return row;
    }
    row->known = true;
    for (const std::string& name : *w.schema()) {
      if (const OutCol* c = w.Find(name)) {
        row->cols.push_back(*c);
        continue;
      }
      OutCol col;
      col.name = name;
      if (old != nullptr) {
        for (const OutCol& o : old->cols) {
          if (absl::EqualsIgnoreCase(o.name, name)) col = o;
        }
      }
      row->cols.push_back(std::move(col));
    }
    for (const OutCol& c : w.cols()) {
      bool listed = false;
      for (const std::string& name : *w.schema())
        listed = listed || absl::EqualsIgnoreCase(name, c.name);
      if (!listed) row->cols.push_back(c);
    }
    return row;
  };

  // One statement; also the body of a data-modifying CTE (`nested`), for which it returns the
  // CTE's relation.
  auto run = [&](auto& self, const Statement& st, const CteEnv* parent_env,
                 bool nested) -> const Relation* {
    CteEnv env;
    env.parent = parent_env;
    const CteEnv* use_env = parent_env;
    if (!st.ctes.empty()) {  // WITH ... INSERT / UPDATE / DELETE / MERGE, or data-modifying CTEs
      for (const Cte& cte : st.ctes) {
        const std::string name = absl::AsciiStrToLower(cte.name.text);
        if (st.recursive) env.ctes[name] = RecursiveCtePlaceholder(cte);
        const Relation* rel = nullptr;
        if (cte.statement) {
          rel = self(self, *cte.statement, &env, true);
        } else if (cte.query) {
          rel = BuildQuery(*cte.query, nullptr, &env);
        }
        rel = RenamedByCteColumns(cte, rel);
        if (rel != nullptr) env.ctes[name] = rel;
      }
      use_env = &env;
    }
    const std::string target = st.target.empty() ? "" : QualifyTable(st.target);
    ScopeEntry target_entry;
    for (const Ident& p : st.target) target_entry.name.push_back(absl::AsciiStrToLower(p.text));
    if (st.has_target_alias) target_entry.alias = absl::AsciiStrToLower(st.target_alias.text);
    const Relation* result = nullptr;
    switch (st.type) {
      case StatementType::kSelect:
      case StatementType::kInsert:
      case StatementType::kCreateTableAsSelect:
      case StatementType::kCreateView: {
        if (!target.empty()) outs.insert(target);
        if (!st.query) break;
        const Relation* rel = BuildQuery(*st.query, nullptr, use_env);
        const bool values = st.query->kind == Query::Kind::kValues;
        // VALUES: constants, no column lineage.
        if (rel != nullptr && !values) EmitColumns(*rel, target, st.target_columns, out);
        if (!nested || st.type != StatementType::kInsert || target.empty() || rel == nullptr) {
          break;
        }
        Written w(TableColumns(target));
        for (size_t i = 0; i < rel->cols.size(); ++i) {
          if (!st.target_columns.empty() && i >= st.target_columns.size()) break;
          const OutCol& c = rel->cols[i];
          std::string name = c.name;
          if (!st.target_columns.empty()) {
            name = ColumnName(st.target_columns[i]);
          } else if (values && w.schema() && i < w.schema()->size()) {
            name = (*w.schema())[i];
          }
          w.Add(std::move(name), c.ups, c.identity, c.aggregate);
        }
        target_entry.rel = written_rows(w, nullptr);
        result = returning(st, target_entry, Scope());
        break;
      }
      case StatementType::kCreateDdl: {
        if (target.empty()) break;
        outs.insert(target);
        if (!st.like.empty()) {
          const std::string source = QualifyTable(st.like);
          AddIn(source);
          if (auto cols = TableColumns(source)) RegisterOutput(target, *cols);
        }
        std::vector<std::string> names;
        for (const Ident& c : st.target_columns) {
          ColumnLineage cl;
          cl.downstream = ColumnRef{Urn(target), ColumnName(c)};
          cl.transform = ColumnTransform::kTransformation;
          names.push_back(cl.downstream.column);
          out.column_lineage.push_back(std::move(cl));
        }
        RegisterOutput(target, names);
        break;
      }
      case StatementType::kMerge:
      case StatementType::kUpdate:
      case StatementType::kDelete: {
        if (target.empty()) break;
        outs.insert(target);
        const bool read_before = in_.count(target) > 0;
        const Relation* target_rel = TableRelation(target);
        if (st.type != StatementType::kUpdate && !read_before) {
          in_.erase(target);  // MERGE, DELETE: read only to find the rows they change
        }
        Scope scope;
        target_entry.rel = target_rel;
        scope.entries.push_back(target_entry);
        for (const FromItem& item : st.from) AddFromItem(item, scope, nullptr, use_env);
        for (const FromItem& item : st.from) {
          if (item.on) Lineage(*item.on, scope, false);
        }
        Scope sources;  // MERGE INSERT values see only the source
        sources.entries.assign(scope.entries.begin() + 1, scope.entries.end());
        Scope target_only;  // ... and NOT MATCHED BY SOURCE only the target
        target_only.entries.push_back(target_entry);
        const CteEnv* saved = cur_env_;
        cur_env_ = use_env;
        for (const ExprPtr& e : st.other) {
          if (e) Lineage(*e, scope, false);
        }
        Written w(TableColumns(target));
        write_sets(w, st.sets, scope);  // UPDATE
        for (const MergeClause& c : st.merge) {
          const Scope& clause_scope = c.by_source ? target_only : c.matched ? scope : sources;
          if (c.condition) Lineage(*c.condition, clause_scope, false);
          for (const ExprPtr& e : c.other) {
            if (e) Lineage(*e, clause_scope, false);
          }
          if (c.star) {
            write_star(w, c, sources, target);
            continue;
          }
          write_sets(w, c.sets, clause_scope);
          if (c.insert_values.empty()) continue;
          if (c.insert_columns.empty() && !w.schema()) {
            Report(absl::StrCat("MERGE INSERT into ", target,
                                " names no columns and the table's columns are unknown; its "
                                "values are left out"));
            continue;
          }
          const size_t n = c.insert_columns.empty() ? w.schema()->size() : c.insert_columns.size();
          if (n != c.insert_values.size()) {
            Report(absl::StrCat("MERGE INSERT into ", target, " has ", n, " columns but ",
                                c.insert_values.size(), " values"));
          }
          for (size_t i = 0; i < n && i < c.insert_values.size(); ++i) {
            if (!c.insert_values[i]) continue;
            write(w, c.insert_columns.empty() ? (*w.schema())[i] : ColumnName(c.insert_columns[i]),
                  *c.insert_values[i], sources);
          }
        }
        emit(target, w);
        if (st.type == StatementType::kMerge && Reads(w, target_rel->table_id)) AddIn(target);
        if (nested && !st.returning.empty()) {
          AddIn(target);  // RETURNING reads the rows changed or removed
          target_entry.rel = written_rows(w, target_rel);
          result = returning(st, target_entry, sources);
        }
        cur_env_ = saved;
        break;
      }
      case StatementType::kDrop:
        for (const std::vector<Ident>& name : st.dropped) {
          const std::string table = QualifyTable(name);
          if (!table.empty()) outs.insert(table);
          created_.erase(table);
        }
        break;
      case StatementType::kAlter:
      case StatementType::kTruncate:
        if (!target.empty()) outs.insert(target);
        break;
      case StatementType::kUnknown:
        break;
    }
    if (nested && result == nullptr) {  // no RETURNING: a CTE without columns
      Relation* empty = NewRelation();
      empty->known = true;
      result = empty;
    }
    return result;
  };
  run(run, s, nullptr, false);

  for (const std::string& t : in_) out.in_tables.push_back(Urn(t));
  for (const std::string& t : outs) out.out_tables.push_back(Urn(t));
  for (std::string& e : errors_) out.errors.push_back(std::move(e));
  errors_.clear();
  reported_.clear();
}

}  // namespace tidemark::ingest::sql
