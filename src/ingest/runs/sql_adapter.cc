// The SQL front end's output as URNs and FineGrainedLineage; see sql_adapter.h.
#include "ingest/runs/sql_adapter.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/status_macros.h"
#include "ingest/runs/str_util.h"
#include "lineage/dataset_aliases.h"

namespace tidemark::ingest {
namespace {

using common::Urn;

// Dataset URN text of the parser → the statement's platform (when it names one) → the canonical
// name of an aliased dataset.
absl::StatusOr<Urn> StatementTable(const std::string& text, const SqlStatement& statement) {
  ASSIGN_OR_RETURN(Urn urn, Urn::Parse(text));
  if (statement.platform.empty() || urn.entity_type() != "dataset" ||
      urn.PlatformName() == statement.platform) {
    return lineage::DatasetAliases::Canonical(urn);
  }
  return lineage::DatasetAliases::Canonical(
      Urn::Dataset(statement.platform, urn.DatasetName(), urn.Env()));
}

}  // namespace

v1::TransformationType TransformationTypeOf(sql::ColumnTransform transform) {
  switch (transform) {
    case sql::ColumnTransform::kIdentity:
      return v1::IDENTITY;
    case sql::ColumnTransform::kAggregation:
      return v1::AGGREGATION;
    case sql::ColumnTransform::kTransformation:
      return v1::TRANSFORMATION;
  }
  return v1::TRANSFORMATION;
}

std::optional<v1::FineGrainedLineage> FineGrainedLineageOf(const sql::ColumnLineage& column,
                                                           const UpstreamField& upstream_field) {
  v1::FineGrainedLineage fg;
  std::set<std::string> seen;
  for (const sql::ColumnRef& up : column.upstreams) {
    std::optional<std::string> field = upstream_field(up);
    if (field && seen.insert(*field).second) fg.add_upstreams(*std::move(field));
  }
  if (fg.upstreams().empty()) return std::nullopt;
  fg.set_transformation_type(TransformationTypeOf(column.transform));
  return fg;
}

absl::StatusOr<StatementLineage> MapStatementLineage(const sql::SqlLineage& parsed,
                                                     const SqlStatement& statement,
                                                     std::string fingerprint) {
  StatementLineage out;
  out.statement_type = sql::StatementTypeName(parsed.type);
  out.fingerprint = std::move(fingerprint);
  out.errors = parsed.errors;
  for (const std::string& t : parsed.in_tables) {
    ASSIGN_OR_RETURN(Urn u, StatementTable(t, statement));
    out.inputs.push_back(std::move(u));
  }
  for (const std::string& t : parsed.out_tables) {
    ASSIGN_OR_RETURN(Urn u, StatementTable(t, statement));
    out.outputs.push_back(std::move(u));
  }
  std::optional<Urn> select_target;
  if (!statement.select_target.empty()) {
    ASSIGN_OR_RETURN(Urn target, Urn::Parse(statement.select_target));
    select_target = lineage::DatasetAliases::Canonical(target);
  }
  std::map<std::string, std::optional<Urn>> tables;  // the parser's URN text → ours, once each
  auto table_of = [&](const std::string& text) -> const std::optional<Urn>& {
    auto [it, inserted] = tables.try_emplace(text);
    if (inserted) {
      absl::StatusOr<Urn> table = StatementTable(text, statement);
      if (table.ok()) it->second = *std::move(table);
    }
    return it->second;
  };
  auto upstream_field = [&](const sql::ColumnRef& up) -> std::optional<std::string> {
    if (up.table.empty() || up.column.empty()) return std::nullopt;
    const std::optional<Urn>& table = table_of(up.table);
    if (!table) return std::nullopt;
    return Urn::SchemaField(*table, up.column).ToString();
  };
  std::map<std::string, std::set<std::string>> read;  // table URN → columns
  for (const sql::ColumnLineage& c : parsed.column_lineage) {
    for (const sql::ColumnRef& up : c.upstreams) {
      if (up.table.empty() || up.column.empty()) continue;
      if (const std::optional<Urn>& table = table_of(up.table)) {
        read[table->ToString()].insert(up.column);
      }
    }
    if (c.downstream.column.empty()) continue;
    if (c.downstream.table.empty() && !select_target) continue;
    absl::StatusOr<Urn> table = c.downstream.table.empty()
                                    ? absl::StatusOr<Urn>(*select_target)
                                    : StatementTable(c.downstream.table, statement);
    if (!table.ok()) continue;
    std::optional<v1::FineGrainedLineage> fg = FineGrainedLineageOf(c, upstream_field);
    if (!fg) continue;
    fg->add_downstreams(Urn::SchemaField(*table, c.downstream.column).ToString());
    out.fine_grained.push_back(*std::move(fg));
  }
  for (auto& [table, columns] : read) {
    out.columns_read.emplace_back(*Urn::Parse(table),
                                  std::vector<std::string>(columns.begin(), columns.end()));
  }
  return out;
}

std::vector<v1::FineGrainedLineage> FineGrainedLineageFor(const StatementLineage& lineage,
                                                          const Urn& dataset) {
  std::vector<v1::FineGrainedLineage> out;
  for (const v1::FineGrainedLineage& fg : lineage.fine_grained) {
    absl::StatusOr<Urn> field = Urn::Parse(fg.downstreams(0));
    if (!field.ok()) continue;
    absl::StatusOr<Urn> parent = field->ParentDataset();
    if (parent.ok() && *parent == dataset) out.push_back(fg);
  }
  return out;
}

std::vector<v1::FineGrainedLineage> SelectFineGrainedLineage(const sql::SqlLineage& lineage,
                                                             const Urn& target,
                                                             const SelectLineageOptions& options) {
  auto column = [&](const std::string& name) { return options.lower_columns ? Lower(name) : name; };
  auto upstream_field = [&](const sql::ColumnRef& up) -> std::optional<std::string> {
    if (up.table.empty() || up.column.empty()) return std::nullopt;
    absl::StatusOr<Urn> parsed = Urn::Parse(up.table);
    if (!parsed.ok()) return std::nullopt;
    std::optional<Urn> ds = *parsed;
    if (options.dataset) ds = options.dataset(*parsed);
    if (!ds || *ds == target) return std::nullopt;
    return Urn::SchemaField(*ds, column(up.column)).ToString();
  };
  std::vector<v1::FineGrainedLineage> out;
  std::set<std::string> seen;  // downstream field URNs: a SELECT may repeat an output name
  for (const sql::ColumnLineage& cl : lineage.column_lineage) {
    if (!cl.downstream.table.empty() || cl.downstream.column.empty()) continue;
    const std::string down = Urn::SchemaField(target, column(cl.downstream.column)).ToString();
    if (seen.contains(down)) continue;
    std::optional<v1::FineGrainedLineage> f = FineGrainedLineageOf(cl, upstream_field);
    if (!f) continue;
    seen.insert(down);
    std::sort(f->mutable_upstreams()->begin(), f->mutable_upstreams()->end());
    f->add_downstreams(down);
    f->set_query(options.query);
    *f->mutable_provenance() = options.provenance;
    out.push_back(*std::move(f));
  }
  return out;
}

std::string SqlLineageErrorSummary(const sql::SqlLineage& lineage, size_t max_errors) {
  std::string out;
  for (size_t i = 0; i < lineage.errors.size() && i < max_errors; ++i) {
    out += Cat(i ? "; " : "", lineage.errors[i]);
  }
  if (lineage.errors.size() > max_errors) {
    out += Cat(" (and ", lineage.errors.size() - max_errors, " more)");
  }
  return out;
}

}  // namespace tidemark::ingest
