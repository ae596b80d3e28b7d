// Column lineage of dbt models and snapshots from their compiled SQL, through the SQL lineage
// parser (src/sql). A model's compiled SQL is a bare SELECT (ephemeral models are inlined as
// `__dbt__cte__` CTEs), so its output columns are the model's columns. The parser learns every
// relation's columns from the manifest and catalog.json, keyed by the relation's dataset name,
// which is the name the parser forms for the fully qualified relation names dbt compiles to.
// SQL the parser cannot read costs only the column lineage: the depends_on table lineage stays.
#include <algorithm>

#include "ingest/dbt/internal/mapper.h"
#include "ingest/runs/naming.h"
#include "ingest/runs/sql_adapter.h"

namespace tidemark::ingest::dbt_internal {

std::vector<std::string> Mapper::ColumnNames(const Relation& r) const {
  std::vector<std::pair<int64_t, std::string>> indexed;
  const json::object* cat = r.is_source ? catalog_sources_ : catalog_nodes_;
  const json::object* entry = cat ? Obj(*cat, r.unique_id) : nullptr;
  const json::object* cols = entry ? Obj(*entry, "columns") : nullptr;
  if (cols != nullptr) {
    for (const auto& kv : *cols) {
      const json::object* c = kv.value().if_object();
      if (c == nullptr) continue;
      std::string name = Str(*c, "name");
      if (name.empty()) name = std::string(kv.key());
      int64_t index = 1 << 30;
      if (const json::value* idx = Field(*c, "index"); idx && idx->is_int64()) {
        index = idx->as_int64();
      }
      indexed.emplace_back(index, Lower(name));
    }
  }
  std::stable_sort(indexed.begin(), indexed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [index, name] : indexed) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  if (const json::object* manifest_cols = Obj(*r.node, "columns")) {
    for (const auto& kv : *manifest_cols) {
      const json::object* c = kv.value().if_object();
      std::string name = c ? Str(*c, "name") : "";
      if (name.empty()) name = std::string(kv.key());
      name = Lower(name);
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
    }
  }
  return out;
}

void Mapper::CollectSchemas(std::string_view adapter) {
  absl::StatusOr<sql::Dialect> dialect = sql::ParseDialect(std::string(adapter));
  if (!dialect.ok()) dialect = sql::ParseDialect(PlatformForAdapter(adapter));
  // duckdb and other PostgreSQL-like adapters: double-quoted identifiers, PostgreSQL functions.
  dialect_ = dialect.ok() ? *dialect : sql::Dialect::kPostgres;
  for (const auto& [id, r] : relations_) {
    const std::string name = Lower(r.urn.DatasetName());
    by_name_.emplace(name, r.urn);
    std::vector<std::string> columns = ColumnNames(r);
    if (!columns.empty()) schemas_.Add(name, std::move(columns));
  }
}

void Mapper::Warn(const Relation& r, std::string message) {
  ++sql_warnings_;
  out_.properties.emplace_back(Cat("dbt.sql_lineage.warning.", r.unique_id), std::move(message));
}

std::vector<v1::FineGrainedLineage> Mapper::ColumnLineage(const Relation& r) {
  const std::string type = Str(*r.node, "resource_type");
  if (r.is_source || (type != "model" && type != "snapshot")) return {};
  std::string sql = Str(*r.node, "compiled_code");      // v10+
  if (sql.empty()) sql = Str(*r.node, "compiled_sql");  // v7–v9
  if (Trim(sql).empty()) return {};
  sql::SqlOptions options;
  options.dialect = dialect_;
  options.default_db = Str(*r.node, "database");
  options.default_schema = Str(*r.node, "schema");
  options.env = options_.env;
  options.schemas = &schemas_;
  absl::StatusOr<sql::SqlLineage> lineage = sql::ParseSqlLineage(sql, options);
  if (!lineage.ok()) {
    Warn(r, Cat("compiled SQL not parsed: ", std::string(lineage.status().message())));
    return {};
  }
  ++sql_parsed_;
  if (!lineage->errors.empty()) Warn(r, SqlLineageErrorSummary(*lineage));
  SelectLineageOptions select;
  select.lower_columns = true;  // schemaMetadata field paths are lower-cased
  select.query = r.unique_id;
  select.provenance.set_source(v1::DBT);
  select.dataset = [this](const Urn& parsed) -> std::optional<Urn> {
    const std::string name = Lower(parsed.DatasetName());
    if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    absl::StatusOr<Urn> urn = RelationUrn(platform_, "", "", name, options_.env);
    return urn.ok() ? std::optional<Urn>(*std::move(urn)) : std::nullopt;
  };
  return SelectFineGrainedLineage(*lineage, r.urn, select);
}

}  // namespace tidemark::ingest::dbt_internal
