// LineageBuilder: statements (SELECT, INSERT, CTAS, views, DDL, MERGE, UPDATE, DELETE, DROP, ...)
// and their WITH clauses, including PostgreSQL data-modifying CTEs, whose statement runs like a
// top-level one (RunStatement with `nested`). What UPDATE, DELETE and MERGE write, and RETURNING,
// are in lineage_writes.cc.
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

void LineageBuilder::RegisterOutput(const std::string& table,
                                    const std::vector<std::string>& columns) {
  if (!columns.empty() && !TableColumns(table)) created_[table] = columns;
}

ColumnLineage LineageBuilder::ColumnLineageOf(const std::string& urn, const std::string& column,
                                              const OutCol& c) const {
  ColumnLineage cl;
  cl.downstream = ColumnRef{urn, column};
  for (const auto& [table, upstream] : c.ups)
    cl.upstreams.push_back(ColumnRef{Urn(table), upstream});
  cl.transform = c.aggregate  ? ColumnTransform::kAggregation
                 : c.identity ? ColumnTransform::kIdentity
                              : ColumnTransform::kTransformation;
  return cl;
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
    out.column_lineage.push_back(ColumnLineageOf(urn, name, c));
    names.push_back(std::move(name));
  }
  if (!target.empty()) RegisterOutput(target, names);
}

void LineageBuilder::AddStatement(const Statement& s, SqlLineage& out) {
  in_.clear();
  errors_.clear();
  std::set<std::string> outs;
  RunStatement(s, nullptr, false, outs, out);
  for (const std::string& t : in_) out.in_tables.push_back(Urn(t));
  for (const std::string& t : outs) out.out_tables.push_back(Urn(t));
  for (std::string& e : errors_) out.errors.push_back(std::move(e));
  errors_.clear();
  reported_.clear();
}

// One statement; also the body of a data-modifying CTE (`nested`), for which it returns the
// CTE's relation.
const Relation* LineageBuilder::RunStatement(const Statement& st, const CteEnv* parent_env,
                                             bool nested, std::set<std::string>& outs,
                                             SqlLineage& out) {
  CteEnv env;
  env.parent = parent_env;
  const CteEnv* use_env = parent_env;
  if (!st.ctes.empty()) {  // WITH ... INSERT / UPDATE / DELETE / MERGE, or data-modifying CTEs
    for (const Cte& cte : st.ctes) {
      const std::string name = absl::AsciiStrToLower(cte.name.text);
      if (st.recursive) env.ctes[name] = RecursiveCtePlaceholder(cte);
      const Relation* rel = nullptr;
      if (cte.statement) {
        rel = RunStatement(*cte.statement, &env, true, outs, out);
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
      WrittenColumns w(TableColumns(target));
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
      target_entry.rel = WrittenRows(w, nullptr);
      result = ReturningRelation(st, target_entry, Scope());
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
    case StatementType::kDelete:
      result = ModifyTable(st, target, target_entry, use_env, nested, outs, out);
      break;
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
}

}  // namespace tidemark::sql
