// LineageBuilder: table-name qualification, column-name resolution and expression lineage.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/urn.h"
#include "sql/internal/lineage_builder.h"
#include "sql/internal/parser_internal.h"

namespace tidemark::sql {
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// BigQuery date-sharded tables: events_20230101 and events_2023* both name events_yyyymmdd.
std::string NormalizeShard(std::string name) {
  if (const size_t dollar = name.find('$'); dollar != std::string::npos && dollar > 0) {
    name.resize(dollar);  // partition decorator
  }
  std::string base;
  if (!name.empty() && name.back() == '*') {
    base = name.substr(0, name.size() - 1);
    while (!base.empty() && std::isdigit(static_cast<unsigned char>(base.back()))) base.pop_back();
  } else if (name.size() > 8 && AllDigits(absl::string_view(name).substr(name.size() - 8))) {
    const std::string date = name.substr(name.size() - 8);
    const int month = std::stoi(date.substr(4, 2));
    const int day = std::stoi(date.substr(6, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31) return name;
    base = name.substr(0, name.size() - 8);
  } else {
    return name;
  }
  while (!base.empty() && base.back() == '_') base.pop_back();
  if (base.empty()) return name;
  return base + "_yyyymmdd";
}

}  // namespace

std::string LineageBuilder::QualifyTable(const std::vector<Ident>& parts) const {
  if (parts.empty()) return "";
  const bool keep_case = CaseSensitiveTables(options_.dialect);
  // Built in one string: called for every table reference.
  std::string name = options_.platform_instance;
  auto append = [&](absl::string_view part) {
    if (!name.empty()) name.push_back('.');
    const size_t start = name.size();
    name.append(part.data(), part.size());
    if (!keep_case) {
      for (size_t i = start; i < name.size(); ++i) name[i] = absl::ascii_tolower(name[i]);
    }
  };
  if (parts.size() <= 2 && !options_.default_db.empty()) append(options_.default_db);
  if (parts.size() == 1 && !options_.default_schema.empty()) append(options_.default_schema);
  for (size_t i = 0; i + 1 < parts.size(); ++i) append(parts[i].text);
  if (options_.dialect == Dialect::kBigQuery) {
    std::string last = parts.back().text;
    if (!keep_case) absl::AsciiStrToLower(&last);
    append(NormalizeShard(std::move(last)));
  } else {
    append(parts.back().text);
  }
  return name;
}

std::string LineageBuilder::ColumnName(const Ident& id) const {
  return id.quoted ? id.text : absl::AsciiStrToLower(id.text);
}

namespace {

// The parts every dataset URN of one platform and env shares, cut out of a sample URN so that the
// result stays exactly common::Urn's canonical form.
std::pair<std::string, std::string> UrnAffixes(Dialect dialect, const std::string& env) {
  const std::string sample = common::Urn::Dataset(PlatformName(dialect), "t", env).ToString();
  const size_t at = sample.rfind(",t,");
  return {sample.substr(0, at + 1), sample.substr(at + 2)};
}

}  // namespace

LineageBuilder::LineageBuilder(const SqlOptions& options) : options_(options) {
  if (options_.env == "PROD") {  // the common case: formatted once per process and dialect
    static const auto* prod = [] {
      auto* all = new std::vector<std::pair<std::string, std::string>>;
      for (int d = 0; d <= static_cast<int>(Dialect::kMsSql); ++d) {
        all->push_back(UrnAffixes(static_cast<Dialect>(d), "PROD"));
      }
      return all;
    }();
    std::tie(urn_prefix_, urn_suffix_) = (*prod)[static_cast<size_t>(options_.dialect)];
  } else {
    std::tie(urn_prefix_, urn_suffix_) = UrnAffixes(options_.dialect, options_.env);
  }
}

const std::string& LineageBuilder::Urn(const std::string& table) { return Urn(Intern(table)); }

TableId LineageBuilder::Intern(const std::string& table) {
  auto [it, inserted] = table_ids_.try_emplace(table);
  if (inserted) {
    it->second = TableId{static_cast<uint32_t>(interned_urns_.size())};
    interned_urns_.push_back(
        absl::StrCat(urn_prefix_, common::Urn::EscapeComponent(table), urn_suffix_));
  }
  return it->second;
}

const std::string& LineageBuilder::Urn(TableId table) const { return interned_urns_[table.index]; }

void UpSet::emplace(TableId table, std::string column) {
  value_type item(table, std::move(column));
  auto at = std::lower_bound(items_.begin(), items_.end(), item);
  if (at == items_.end() || *at != item) items_.insert(at, std::move(item));
}

void UpSet::Assign(std::vector<value_type> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  items_ = std::move(items);
}

void UpSet::insert(const_iterator first, const_iterator last) {
  if (first == last) return;
  if (items_.empty()) {
    items_.assign(first, last);
    return;
  }
  std::vector<value_type> merged;
  merged.reserve(items_.size() + static_cast<size_t>(last - first));
  auto a = items_.begin();
  while (a != items_.end() && first != last) {
    if (*a < *first) {
      merged.push_back(std::move(*a++));
    } else if (*first < *a) {
      merged.push_back(*first++);
    } else {
      merged.push_back(std::move(*a++));
      ++first;
    }
  }
  merged.insert(merged.end(), std::make_move_iterator(a), std::make_move_iterator(items_.end()));
  merged.insert(merged.end(), first, last);
  items_ = std::move(merged);
}

std::optional<std::vector<std::string>> LineageBuilder::TableColumns(
    const std::string& table) const {
  if (auto it = created_.find(table); it != created_.end()) return it->second;
  if (options_.schemas == nullptr) return std::nullopt;
  return options_.schemas->Columns(table);
}

void LineageBuilder::Report(std::string message) {
  if (reported_.insert(message).second) errors_.push_back(std::move(message));
}

bool LineageBuilder::HasColumn(const Relation& rel, const std::string& lower) {
  if (rel.element) {
    for (const std::string& c : rel.element_columns) {
      if (c == lower) return true;
    }
    return false;
  }
  for (const OutCol& c : rel.cols) {
    if (absl::EqualsIgnoreCase(c.name, lower)) return true;
  }
  return false;
}

bool LineageBuilder::ResolveIn(const Relation& rel, const std::string& column,
                               absl::Span<const Ident> fields, bool qualified, Resolved& out,
                               int depth) {
  if (depth > 64) return false;
  const std::string lower = absl::AsciiStrToLower(column);
  std::vector<std::string> field_names;
  if (!fields.empty()) {
    for (const Ident& f : fields) field_names.push_back(ColumnName(f));
  }
  if (rel.is_table) {
    std::string name;
    for (const OutCol& c : rel.cols) {
      if (absl::EqualsIgnoreCase(c.name, lower)) {
        name = c.name;
        break;
      }
    }
    if (name.empty()) {
      if (rel.known && !qualified) return false;
      name = column;
    }
    if (!field_names.empty()) {
      std::string path = absl::StrCat(name, ".", absl::StrJoin(field_names, "."));
      const std::string lower_path = absl::AsciiStrToLower(path);
      for (const OutCol& c : rel.cols) {
        if (absl::EqualsIgnoreCase(c.name, lower_path)) path = c.name;
      }
      name = std::move(path);
      out.identity = false;
    }
    out.ups.emplace(rel.table_id, name);
    return true;
  }
  if (rel.element) {
    bool whole = false;
    for (const std::string& c : rel.element_columns) whole = whole || c == lower;
    for (const auto& [table, col] : rel.base) {
      out.ups.emplace(table, whole ? col : absl::StrCat(col, ".", lower));
    }
    out.identity = false;  // an element of an array is not a copy of the array
    return true;
  }
  for (const OutCol& c : rel.cols) {
    if (absl::EqualsIgnoreCase(c.name, lower)) {
      if (rel.lateral_all) {
        out.ups.insert(rel.all_refs.begin(), rel.all_refs.end());
        out.identity = false;
      } else {
        out.ups.insert(c.ups.begin(), c.ups.end());
        out.identity = c.identity && field_names.empty();
      }
      return true;
    }
  }
  if (rel.known) return false;
  bool any = false;
  for (const Relation* under : rel.passthrough) {
    Resolved r;
    if (ResolveIn(*under, column, fields, true, r, depth + 1)) {
      any = true;
      out.ups.insert(r.ups.begin(), r.ups.end());
      out.identity = out.identity && r.identity && rel.passthrough.size() == 1;
    }
  }
  return any || qualified;
}

bool LineageBuilder::ResolveColumn(const std::vector<Ident>& parts, const Scope& scope,
                                   Resolved& out) {
  absl::InlinedVector<std::string, 4> lower;
  for (const Ident& p : parts) lower.push_back(absl::AsciiStrToLower(p.text));
  const absl::Span<const Ident> all(parts);
  // Qualified: the longest prefix that names a scope entry, innermost scope first.
  const size_t max_k = std::min<size_t>(parts.size() - 1, 4);
  for (size_t k = max_k; k >= 1; --k) {
    for (const Scope* s = &scope; s != nullptr; s = s->parent) {
      for (const ScopeEntry& e : s->entries) {
        bool match;
        if (k == 1 && !e.alias.empty()) {
          match = e.alias == lower[0];
        } else {
          match = e.alias.empty() && e.name.size() >= k;
          for (size_t i = 0; match && i < k; ++i) {
            match = e.name[e.name.size() - k + i] == lower[i];
          }
        }
        if (!match) continue;
        return ResolveIn(*e.rel, ColumnName(parts[k]), all.subspan(k + 1), true, out);
      }
    }
  }
  // Unqualified: the entry that has the column; else the only entry whose columns are unknown.
  const absl::Span<const Ident> fields = all.subspan(1);
  const std::string column = ColumnName(parts[0]);
  for (const Scope* s = &scope; s != nullptr; s = s->parent) {
    std::vector<const ScopeEntry*> with_column;
    std::vector<const ScopeEntry*> unknown;
    for (const ScopeEntry& e : s->entries) {
      if (HasColumn(*e.rel, lower[0])) {
        with_column.push_back(&e);
      } else if (!e.rel->known && !e.rel->element) {
        unknown.push_back(&e);
      }
    }
    if (!with_column.empty()) {
      return ResolveIn(*with_column[0]->rel, column, fields, false, out);
    }
    if (unknown.size() == 1) return ResolveIn(*unknown[0]->rel, column, fields, true, out);
    if (unknown.size() > 1) {
      Report(absl::StrCat("ambiguous column '", parts[0].text, "': ", unknown.size(),
                          " tables in scope have no known schema"));
      return false;
    }
  }
  return false;
}

void LineageBuilder::Walk(const Expr& e, const Scope& scope, std::vector<std::string>& lambdas,
                          bool report, ExprInfo& info) {
  switch (e.kind) {
    case Expr::Kind::kColumn: {
      if (e.parts.empty()) return;
      for (const std::string& p : lambdas) {  // lambda parameters are stored lower-cased
        if (absl::EqualsIgnoreCase(p, e.parts[0].text)) return;
      }
      Resolved r;
      if (ResolveColumn(e.parts, scope, r)) {
        info.ups.insert(r.ups.begin(), r.ups.end());
        for (UpSet* c : collectors_) c->insert(r.ups.begin(), r.ups.end());
      } else if (report) {
        std::vector<std::string> texts;
        for (const Ident& p : e.parts) texts.push_back(p.text);
        Report(absl::StrCat("unresolved column '", absl::StrJoin(texts, "."), "'"));
      }
      return;
    }
    case Expr::Kind::kSubquery:
    case Expr::Kind::kExists: {
      if (!e.subquery) return;
      const Relation* rel = BuildQuery(*e.subquery, &scope, cur_env_);
      if (e.kind == Expr::Kind::kSubquery && rel != nullptr) {
        if (!rel->cols.empty()) {
          info.ups.insert(rel->cols[0].ups.begin(), rel->cols[0].ups.end());
          info.aggregate = info.aggregate || rel->cols[0].aggregate;
        } else {
          for (const Relation* under : rel->passthrough) {
            if (under->is_table) continue;
            for (const OutCol& c : under->cols) info.ups.insert(c.ups.begin(), c.ups.end());
          }
        }
      }
      return;
    }
    case Expr::Kind::kLambda: {
      const size_t n = lambdas.size();
      lambdas.insert(lambdas.end(), e.lambda_params.begin(), e.lambda_params.end());
      for (const ExprPtr& c : e.children) {
        if (c) Walk(*c, scope, lambdas, report, info);
      }
      lambdas.resize(n);
      return;
    }
    case Expr::Kind::kFunction:
      if (!e.window && IsAggregateFunction(e.name)) info.aggregate = true;
      break;
    default:
      break;
  }
  for (const ExprPtr& c : e.children) {
    if (c) Walk(*c, scope, lambdas, report, info);
  }
  if (e.qualifier_expr) Walk(*e.qualifier_expr, scope, lambdas, false, info);
  for (const auto& [value, name] : e.star_replace) {
    if (value) Walk(*value, scope, lambdas, report, info);
  }
}

std::string LineageBuilder::Render(const Expr& e, const Scope& scope, int depth) const {
  if (depth > 8) return "";
  auto quote = [&](const std::string& s) {
    switch (options_.dialect) {
      case Dialect::kMySql:
      case Dialect::kBigQuery:
      case Dialect::kHive:
      case Dialect::kSpark:
        return absl::StrCat("`", s, "`");
      case Dialect::kMsSql:
        return absl::StrCat("[", s, "]");
      default:
        return absl::StrCat("\"", s, "\"");
    }
  };
  switch (e.kind) {
    case Expr::Kind::kStar:
      return e.parts.empty() && !e.qualifier_expr ? "*" : "";
    case Expr::Kind::kLiteral:
      return !e.name.empty() && AllDigits(e.name) ? e.name : "";
    case Expr::Kind::kColumn: {
      if (e.parts.empty()) return "";
      std::string qualifier;
      if (e.parts.size() >= 2) {
        qualifier = ColumnName(e.parts[e.parts.size() - 2]);
      } else if (scope.entries.size() == 1) {
        const ScopeEntry& only = scope.entries[0];
        qualifier = !only.alias.empty() ? only.alias : only.name.empty() ? "" : only.name.back();
      }
      const std::string column = quote(ColumnName(e.parts.back()));
      return qualifier.empty() ? column : absl::StrCat(quote(qualifier), ".", column);
    }
    case Expr::Kind::kFunction: {
      // Functions with special argument syntax would render misleadingly without it.
      static constexpr absl::string_view kSpecial[] = {
          "CAST", "TRY_CAST", "SAFE_CAST", "CONVERT",   "EXTRACT", "SUBSTRING",
          "TRIM", "POSITION", "OVERLAY",   "DATE_PART", "INTERVAL"};
      for (absl::string_view special : kSpecial) {
        if (e.name == special) return "";
      }
      if (e.window || e.name.empty()) return "";
      std::vector<std::string> args;
      for (const ExprPtr& c : e.children) {
        if (!c) return "";
        std::string a = Render(*c, scope, depth + 1);
        if (a.empty()) return "";
        args.push_back(std::move(a));
      }
      return absl::StrCat(e.name, "(", absl::StrJoin(args, ", "), ")");
    }
    default:
      return "";
  }
}

LineageBuilder::ExprInfo LineageBuilder::Lineage(const Expr& e, const Scope& scope, bool report) {
  ExprInfo info;
  std::vector<std::string> lambdas;
  Walk(e, scope, lambdas, report, info);
  return info;
}

}  // namespace tidemark::sql
