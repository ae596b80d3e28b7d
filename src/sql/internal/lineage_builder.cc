// LineageBuilder: queries, FROM items, star expansion and statements (see lineage_builder.h).
#include "sql/internal/lineage_builder.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tidemark::sql {
namespace {

std::vector<std::string> LowerParts(const std::vector<Ident>& parts) {
  std::vector<std::string> out;
  for (const Ident& p : parts) out.push_back(absl::AsciiStrToLower(p.text));
  return out;
}

bool ContainsLower(const std::vector<Ident>& ids, const std::string& name) {
  const std::string lower = absl::AsciiStrToLower(name);
  for (const Ident& id : ids) {
    if (absl::AsciiStrToLower(id.text) == lower) return true;
  }
  return false;
}

}  // namespace

Relation* LineageBuilder::NewRelation() { return &arena_.emplace_back(); }

Relation* LineageBuilder::RecursiveCtePlaceholder(const Cte& cte) {
  Relation* placeholder = NewRelation();
  for (const Ident& c : cte.columns) {
    OutCol col;
    col.name = ColumnName(c);
    placeholder->cols.push_back(std::move(col));
  }
  placeholder->known = !cte.columns.empty();
  return placeholder;
}

const Relation* LineageBuilder::RenamedByCteColumns(const Cte& cte, const Relation* rel) {
  if (cte.columns.empty() || rel == nullptr) return rel;
  Relation* renamed = NewRelation();
  *renamed = *rel;
  for (size_t i = 0; i < renamed->cols.size() && i < cte.columns.size(); ++i) {
    renamed->cols[i].name = ColumnName(cte.columns[i]);
  }
  return renamed;
}

const Relation* LineageBuilder::TableRelation(const std::string& table) {
  AddIn(table);
  if (auto it = tables_.find(table); it != tables_.end()) return it->second;
  Relation* rel = NewRelation();
  rel->is_table = true;
  rel->table = table;
  rel->table_id = Intern(table);
  if (std::optional<std::vector<std::string>> cols = TableColumns(table)) {
    rel->known = true;
    for (std::string& c : *cols) {
      OutCol col;
      col.name = std::move(c);
      col.ups.emplace(rel->table_id, col.name);
      col.identity = true;
      rel->cols.push_back(std::move(col));
    }
  }
  tables_[table] = rel;
  return rel;
}

const Relation* LineageBuilder::BuildQuery(const Query& q, const Scope* parent, const CteEnv* env) {
  CteEnv local;
  local.parent = env;
  const CteEnv* use = env;
  if (!q.ctes.empty()) {
    use = &local;
    for (const Cte& cte : q.ctes) {
      const std::string name = absl::AsciiStrToLower(cte.name.text);
      if (q.recursive) local.ctes[name] = RecursiveCtePlaceholder(cte);
      if (!cte.query) continue;
      const Relation* rel = RenamedByCteColumns(cte, BuildQuery(*cte.query, parent, &local));
      if (rel != nullptr) local.ctes[name] = rel;
    }
  }
  const CteEnv* saved = cur_env_;
  cur_env_ = use;
  const Relation* result = nullptr;
  switch (q.kind) {
    case Query::Kind::kSelect:
      result = q.select ? BuildSelect(*q.select, parent, use) : nullptr;
      break;
    case Query::Kind::kSetOp:
      result = BuildSetOp(q, parent, use);
      break;
    case Query::Kind::kValues:
      result = BuildValues(q, parent, use);
      break;
  }
  if (parent != nullptr) {
    for (const ExprPtr& e : q.other) {
      if (e) Lineage(*e, *parent, false);
    }
  }
  cur_env_ = saved;
  if (result == nullptr) result = NewRelation();
  return result;
}

const Relation* LineageBuilder::BuildSetOp(const Query& q, const Scope* parent, const CteEnv* env) {
  std::vector<const Relation*> branches;
  for (const std::unique_ptr<Query>& b : q.branches) {
    if (b) branches.push_back(BuildQuery(*b, parent, env));
  }
  if (q.set_op == "WRAP") return branches.empty() ? NewRelation() : branches[0];
  Relation* out = NewRelation();
  if (branches.empty()) return out;
  bool known = true;
  for (const Relation* b : branches) {
    known = known && b->known && b->cols.size() == branches[0]->cols.size();
  }
  if (known) {
    out->known = true;
    out->cols.resize(branches[0]->cols.size());
    // Each column's upstreams are gathered from every branch and sorted once: merging them branch
    // by branch into the growing set was quadratic in the number of branches (a 10,000-way
    // UNION ALL took most of a second).
    for (size_t c = 0; c < out->cols.size(); ++c) {
      OutCol& col = out->cols[c];
      col.name = branches[0]->cols[c].name;
      size_t total = 0;
      for (const Relation* b : branches) total += b->cols[c].ups.size();
      std::vector<UpSet::value_type> ups;
      ups.reserve(total);
      for (const Relation* b : branches) {
        const OutCol& branch = b->cols[c];
        ups.insert(ups.end(), branch.ups.begin(), branch.ups.end());
        col.aggregate = col.aggregate || branch.aggregate;
      }
      col.ups.Assign(std::move(ups));
      col.identity = false;
    }
    return out;
  }
  for (const Relation* b : branches) {
    if (b->known && b->cols.size() != branches[0]->cols.size()) {
      Report(absl::StrCat(q.set_op, " branches have ", branches[0]->cols.size(), " and ",
                          b->cols.size(), " columns"));
      break;
    }
  }
  out->passthrough = std::move(branches);
  return out;
}

const Relation* LineageBuilder::BuildValues(const Query& q, const Scope* parent,
                                            const CteEnv* env) {
  Relation* out = NewRelation();
  out->known = true;
  Scope empty;
  empty.parent = parent;
  for (const std::vector<ExprPtr>& row : q.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (out->cols.size() <= i) {
        OutCol col;
        col.name = absl::StrCat("column", i + 1);
        out->cols.push_back(std::move(col));
      }
      if (row[i]) {
        ExprInfo info = Lineage(*row[i], empty, false);
        out->cols[i].ups.insert(info.ups.begin(), info.ups.end());
      }
    }
  }
  return out;
}

void LineageBuilder::AddFromItem(const FromItem& item, Scope& scope, const Scope* parent,
                                 const CteEnv* env) {
  ScopeEntry entry;
  if (item.has_alias) entry.alias = absl::AsciiStrToLower(item.alias.text);
  entry.name = LowerParts(item.name);
  const Relation* rel = nullptr;
  switch (item.kind) {
    case FromItem::Kind::kTable: {
      if (item.name.size() == 1) {
        const std::string name = absl::AsciiStrToLower(item.name[0].text);
        for (const CteEnv* e = env; e != nullptr && rel == nullptr; e = e->parent) {
          if (auto it = e->ctes.find(name); it != e->ctes.end()) rel = it->second;
        }
      }
      if (rel == nullptr) {
        const std::string table = QualifyTable(item.name);
        if (table.empty()) return;
        rel = TableRelation(table);
      }
      for (const ExprPtr& e : item.extra) {
        if (e) Lineage(*e, scope, false);
      }
      break;
    }
    case FromItem::Kind::kSubquery:
    case FromItem::Kind::kValues: {
      if (!item.query) return;
      if (item.lateral) {
        UpSet refs;
        collectors_.push_back(&refs);
        const Relation* sub = BuildQuery(*item.query, &scope, env);
        collectors_.pop_back();
        Relation* lateral = NewRelation();
        *lateral = *sub;
        lateral->lateral_all = true;
        lateral->all_refs = std::move(refs);
        rel = lateral;
      } else {
        rel = BuildQuery(*item.query, parent, env);
      }
      break;
    }
    case FromItem::Kind::kUnnest:
    case FromItem::Kind::kFunction: {
      Relation* element = NewRelation();
      element->element = true;
      for (const ExprPtr& arg : item.args) {
        if (!arg) continue;
        ExprInfo info = Lineage(*arg, scope, false);
        element->base.insert(info.ups.begin(), info.ups.end());
      }
      for (const Ident& c : item.column_aliases) {
        element->element_columns.push_back(absl::AsciiStrToLower(c.text));
      }
      if (item.kind == FromItem::Kind::kFunction || element->element_columns.empty()) {
        if (!entry.alias.empty()) element->element_columns.push_back(entry.alias);
      }
      if (item.kind == FromItem::Kind::kFunction && item.column_aliases.empty()) {
        element->element_columns.push_back("value");  // FLATTEN(...).value, explode(x)
      }
      rel = element;
      break;
    }
  }
  if (rel == nullptr) return;
  if (!item.column_aliases.empty() && !rel->element) {
    Relation* renamed = NewRelation();
    *renamed = *rel;
    renamed->is_table = false;
    if (rel->is_table && !rel->known) {
      renamed->known = true;
      renamed->cols.clear();
      for (const Ident& c : item.column_aliases) {
        OutCol col;
        col.name = ColumnName(c);
        col.ups.emplace(rel->table_id, col.name);
        col.identity = true;
        renamed->cols.push_back(std::move(col));
      }
    }
    for (size_t i = 0; i < renamed->cols.size() && i < item.column_aliases.size(); ++i) {
      renamed->cols[i].name = ColumnName(item.column_aliases[i]);
    }
    rel = renamed;
  }
  entry.rel = rel;
  scope.entries.push_back(std::move(entry));
}

void LineageBuilder::ExpandStar(const Expr& star, const Scope& scope, Relation& out) {
  if (star.qualifier_expr) {
    Report("cannot expand '*' of an expression; its columns are left out");
    out.known = false;
    return;
  }
  const std::vector<std::string> qualifier = LowerParts(star.parts);
  std::vector<const ScopeEntry*> targets;
  for (const ScopeEntry& e : scope.entries) {
    if (qualifier.empty()) {
      targets.push_back(&e);
      continue;
    }
    bool match;
    if (qualifier.size() == 1 && !e.alias.empty()) {
      match = e.alias == qualifier[0];
    } else {
      match = e.alias.empty() && e.name.size() >= qualifier.size();
      for (size_t i = 0; match && i < qualifier.size(); ++i) {
        match = e.name[e.name.size() - qualifier.size() + i] == qualifier[i];
      }
    }
    if (match) {
      targets.push_back(&e);
      break;
    }
  }
  if (targets.empty() && !qualifier.empty()) {
    Report(absl::StrCat("'", absl::StrJoin(qualifier, "."), ".*' names no table in scope"));
  }
  for (const ScopeEntry* e : targets) {
    const Relation& rel = *e->rel;
    if (!rel.known) {
      out.known = false;
      out.passthrough.push_back(&rel);
      Report(absl::StrCat("cannot expand '*' of ",
                          rel.is_table ? absl::StrCat("table ", rel.table) : "a subquery",
                          ": its columns are unknown"));
      continue;
    }
    for (const OutCol& c : rel.cols) {
      if (ContainsLower(star.star_except, c.name)) continue;
      OutCol col;
      col.name = c.name;
      bool replaced = false;
      for (const auto& [value, name] : star.star_replace) {
        if (value && absl::EqualsIgnoreCase(name.text, c.name)) {
          ExprInfo info = Lineage(*value, scope, true);
          col.ups = std::move(info.ups);
          col.aggregate = info.aggregate;
          replaced = true;
        }
      }
      if (!replaced) {
        if (rel.lateral_all) {
          col.ups = rel.all_refs;
        } else {
          col.ups = c.ups;
          col.identity = c.identity;
        }
      }
      out.cols.push_back(std::move(col));
    }
  }
}

const Relation* LineageBuilder::BuildSelect(const Select& sel, const Scope* parent,
                                            const CteEnv* env) {
  Scope scope;
  scope.parent = parent;
  for (const FromItem& item : sel.from) AddFromItem(item, scope, parent, env);
  for (const FromItem& item : sel.from) {
    if (item.on) Lineage(*item.on, scope, false);
  }
  Relation* out = NewRelation();
  out->known = true;
  size_t index = 0;
  for (const SelectItem& item : sel.items) {
    ++index;
    if (!item.expr) continue;
    if (item.expr->kind == Expr::Kind::kStar) {
      ExpandStar(*item.expr, scope, *out);
      continue;
    }
    ExprInfo info = Lineage(*item.expr, scope, true);
    if (item.param_alias) {
      Report(absl::StrCat("column ", index, " is named by the bind parameter ", item.alias.text,
                          "; it is left out"));
      continue;
    }
    OutCol col;
    if (item.has_alias) {
      col.name = ColumnName(item.alias);
    } else if (item.expr->kind == Expr::Kind::kColumn && !item.expr->parts.empty()) {
      col.name = ColumnName(item.expr->parts.back());
    } else {
      col.name = Render(*item.expr, scope);
      if (col.name.empty()) col.name = absl::StrCat("_col_", index - 1);
    }
    col.identity = item.expr->kind == Expr::Kind::kColumn && info.ups.size() == 1;
    if (col.identity) {
      Resolved r;
      col.identity = ResolveColumn(item.expr->parts, scope, r) && r.identity;
    }
    col.aggregate = info.aggregate;
    col.ups = std::move(info.ups);
    out->cols.push_back(std::move(col));
  }
  for (const ExprPtr& e : sel.other) {
    if (e) Lineage(*e, scope, false);
  }
  return out;
}

}  // namespace tidemark::sql
