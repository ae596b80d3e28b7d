// LineageBuilder: the columns UPDATE, MERGE and INSERT write, and RETURNING.
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

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sql/internal/lineage_builder.h"
#include "sql/internal/written_columns.h"

namespace tidemark::sql {
namespace {

bool Reads(const WrittenColumns& w, TableId table) {
  for (const OutCol& c : w.cols()) {
    for (const auto& [t, column] : c.ups) {
      if (t == table) return true;
    }
  }
  return false;
}

}  // namespace

// One value written to `column`: its upstreams, and whether it is a plain column copy.
void LineageBuilder::WriteValue(WrittenColumns& w, std::string column, const Expr& value,
                                const Scope& scope) {
  ExprInfo info = Lineage(value, scope, true);
  bool copy = value.kind == Expr::Kind::kColumn && info.ups.size() == 1;
  if (copy) {
    Resolved r;
    copy = ResolveColumn(value.parts, scope, r) && r.identity;
  }
  w.Add(std::move(column), info.ups, copy, info.aggregate);
}

// SET a = x, (b, c) = (SELECT ...): columns without a value of their own share the next one.
void LineageBuilder::WriteSets(WrittenColumns& w, const std::vector<Assignment>& sets,
                               const Scope& scope) {
  std::vector<const Assignment*> pending;
  for (const Assignment& a : sets) {
    if (a.column.empty()) continue;
    pending.push_back(&a);
    if (!a.value) continue;
    if (pending.size() == 1) {
      WriteValue(w, ColumnName(a.column.back()), *a.value, scope);
    } else {
      ExprInfo info = Lineage(*a.value, scope, true);
      for (const Assignment* p : pending) {
        w.Add(ColumnName(p->column.back()), info.ups, false, info.aggregate);
      }
    }
    pending.clear();
  }
}

// UPDATE SET * / INSERT * / ALL BY NAME: the target's columns (else the source's) from the
// source's columns of the same name; INSERT ROW: the source's columns by position.
void LineageBuilder::WriteStar(WrittenColumns& w, const MergeClause& c, const Scope& source,
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
}

// One downstream column per written column.
void LineageBuilder::EmitWritten(const std::string& target, const WrittenColumns& w,
                                 SqlLineage& out) {
  const std::string urn = Urn(target);
  for (const OutCol& c : w.cols()) out.column_lineage.push_back(ColumnLineageOf(urn, c.name, c));
}

// A data-modifying CTE's columns: its RETURNING list over `target_entry` (whose relation is the
// rows written or removed) and, except for INSERT, the statement's other tables.
const Relation* LineageBuilder::ReturningRelation(const Statement& st,
                                                  const ScopeEntry& target_entry,
                                                  const Scope& others) {
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
}

// The rows an INSERT / UPDATE / MERGE wrote: written columns, else (UPDATE, MERGE: `old`) the
// target's unchanged values, else (INSERT) defaults that read nothing.
const Relation* LineageBuilder::WrittenRows(const WrittenColumns& w, const Relation* old) {
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
}

// UPDATE, DELETE and MERGE (also as the body of a data-modifying CTE, `nested`, for which it
// returns the RETURNING relation).
const Relation* LineageBuilder::ModifyTable(const Statement& st, const std::string& target,
                                            ScopeEntry& target_entry, const CteEnv* use_env,
                                            bool nested, std::set<std::string>& outs,
                                            SqlLineage& out) {
  const Relation* result = nullptr;
  if (target.empty()) return nullptr;
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
  WrittenColumns w(TableColumns(target));
  WriteSets(w, st.sets, scope);  // UPDATE
  for (const MergeClause& c : st.merge) {
    const Scope& clause_scope = c.by_source ? target_only : c.matched ? scope : sources;
    if (c.condition) Lineage(*c.condition, clause_scope, false);
    for (const ExprPtr& e : c.other) {
      if (e) Lineage(*e, clause_scope, false);
    }
    if (c.star) {
      WriteStar(w, c, sources, target);
      continue;
    }
    WriteSets(w, c.sets, clause_scope);
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
      WriteValue(w, c.insert_columns.empty() ? (*w.schema())[i] : ColumnName(c.insert_columns[i]),
                 *c.insert_values[i], sources);
    }
  }
  EmitWritten(target, w, out);
  if (st.type == StatementType::kMerge && Reads(w, target_rel->table_id)) AddIn(target);
  if (nested && !st.returning.empty()) {
    AddIn(target);  // RETURNING reads the rows changed or removed
    target_entry.rel = WrittenRows(w, target_rel);
    result = ReturningRelation(st, target_entry, sources);
  }
  cur_env_ = saved;
  return result;
}

}  // namespace tidemark::sql
