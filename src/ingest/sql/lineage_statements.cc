// LineageBuilder: statements (SELECT, INSERT, CTAS, views, DDL, MERGE, UPDATE, DELETE, DROP, ...).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ingest/sql/lineage_builder.h"

namespace tidemark::ingest::sql {

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
  CteEnv env;
  const CteEnv* use_env = nullptr;
  if (!s.ctes.empty()) {  // WITH ... INSERT / UPDATE / DELETE / MERGE
    for (const Cte& cte : s.ctes) {
      if (!cte.query) continue;
      const Relation* rel = BuildQuery(*cte.query, nullptr, &env);
      env.ctes[absl::AsciiStrToLower(cte.name.text)] = rel;
    }
    use_env = &env;
  }
  const std::string target = s.target.empty() ? "" : QualifyTable(s.target);
  switch (s.type) {
    case StatementType::kSelect:
    case StatementType::kInsert:
    case StatementType::kCreateTableAsSelect:
    case StatementType::kCreateView: {
      if (!target.empty()) outs.insert(target);
      if (!s.query) break;
      const Relation* rel = BuildQuery(*s.query, nullptr, use_env);
      if (s.query->kind == Query::Kind::kValues) break;  // constants: no column lineage
      if (rel != nullptr) EmitColumns(*rel, target, s.target_columns, out);
      break;
    }
    case StatementType::kCreateDdl: {
      if (target.empty()) break;
      outs.insert(target);
      if (!s.like.empty()) {
        const std::string source = QualifyTable(s.like);
        AddIn(source);
        if (auto cols = TableColumns(source)) RegisterOutput(target, *cols);
      }
      std::vector<std::string> names;
      for (const Ident& c : s.target_columns) {
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
      Scope scope;
      const Relation* target_rel = TableRelation(target);
      if (s.type == StatementType::kMerge || s.type == StatementType::kDelete) {
        in_.erase(target);  // read only to find the rows it changes
      }
      ScopeEntry entry;
      entry.rel = target_rel;
      for (const Ident& p : s.target) entry.name.push_back(absl::AsciiStrToLower(p.text));
      if (s.has_target_alias) entry.alias = absl::AsciiStrToLower(s.target_alias.text);
      scope.entries.push_back(std::move(entry));
      for (const FromItem& item : s.from) AddFromItem(item, scope, nullptr, use_env);
      for (const FromItem& item : s.from) {
        if (item.on) Lineage(*item.on, scope, false);
      }
      const CteEnv* saved = cur_env_;
      cur_env_ = use_env;
      for (const ExprPtr& e : s.other) {
        if (e) Lineage(*e, scope, false);
      }
      for (const MergeClause& c : s.merge) {
        if (c.condition) Lineage(*c.condition, scope, false);
        for (const Assignment& a : c.sets) {
          if (a.value) Lineage(*a.value, scope, false);
        }
        for (const ExprPtr& v : c.insert_values) {
          if (v) Lineage(*v, scope, false);
        }
      }
      // UPDATE SET col = expr: one downstream column per assignment.
      std::vector<const Assignment*> pending;
      for (const Assignment& a : s.sets) {
        if (a.column.empty()) continue;
        pending.push_back(&a);
        if (!a.value) continue;
        ExprInfo info = Lineage(*a.value, scope, true);
        for (const Assignment* p : pending) {
          ColumnLineage cl;
          cl.downstream = ColumnRef{Urn(target), ColumnName(p->column.back())};
          if (auto schema = TableColumns(target)) {
            for (const std::string& name : *schema) {
              if (absl::EqualsIgnoreCase(name, cl.downstream.column)) {
                cl.downstream.column = name;
              }
            }
          }
          for (const auto& [table, column] : info.ups) {
            cl.upstreams.push_back(ColumnRef{Urn(table), column});
          }
          const bool copy = a.value->kind == Expr::Kind::kColumn && info.ups.size() == 1;
          cl.transform = info.aggregate ? ColumnTransform::kAggregation
                         : copy         ? ColumnTransform::kIdentity
                                        : ColumnTransform::kTransformation;
          out.column_lineage.push_back(std::move(cl));
        }
        pending.clear();
      }
      cur_env_ = saved;
      break;
    }
    case StatementType::kDrop:
      for (const std::vector<Ident>& name : s.dropped) {
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
  for (const std::string& t : in_) out.in_tables.push_back(Urn(t));
  for (const std::string& t : outs) out.out_tables.push_back(Urn(t));
  for (std::string& e : errors_) out.errors.push_back(std::move(e));
  errors_.clear();
  reported_.clear();
}

}  // namespace tidemark::ingest::sql
