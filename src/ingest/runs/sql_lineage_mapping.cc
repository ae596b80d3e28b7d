// SqlLineage → FineGrainedLineage for a bare SELECT; see sql_lineage_mapping.h.
#include "ingest/runs/sql_lineage_mapping.h"

#include <set>

#include "ingest/runs/str_util.h"

namespace tidemark::ingest {

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

std::vector<v1::FineGrainedLineage> SelectFineGrainedLineage(const sql::SqlLineage& lineage,
                                                             const common::Urn& target,
                                                             const SelectLineageOptions& options) {
  auto column = [&](const std::string& name) { return options.lower_columns ? Lower(name) : name; };
  std::vector<v1::FineGrainedLineage> out;
  std::set<std::string> seen;  // downstream field URNs: a SELECT may repeat an output name
  for (const sql::ColumnLineage& cl : lineage.column_lineage) {
    if (!cl.downstream.table.empty() || cl.downstream.column.empty()) continue;
    const std::string down =
        common::Urn::SchemaField(target, column(cl.downstream.column)).ToString();
    if (seen.contains(down)) continue;
    std::set<std::string> ups;
    for (const sql::ColumnRef& up : cl.upstreams) {
      if (up.table.empty() || up.column.empty()) continue;
      absl::StatusOr<common::Urn> parsed = common::Urn::Parse(up.table);
      if (!parsed.ok()) continue;
      std::optional<common::Urn> ds = *parsed;
      if (options.dataset) ds = options.dataset(*parsed);
      if (!ds || *ds == target) continue;
      ups.insert(common::Urn::SchemaField(*ds, column(up.column)).ToString());
    }
    if (ups.empty()) continue;
    seen.insert(down);
    v1::FineGrainedLineage& f = out.emplace_back();
    for (const std::string& u : ups) f.add_upstreams(u);
    f.add_downstreams(down);
    f.set_transformation_type(TransformationTypeOf(cl.transform));
    f.set_query(options.query);
    *f.mutable_provenance() = options.provenance;
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
