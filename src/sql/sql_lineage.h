// SQL lineage: which tables a SQL statement (or script) reads and writes and, for every column it
// writes or returns, which source columns it comes from and whether it is a copy or a
// transformation.
//
//   MapSchemaResolver schemas;  // or the catalog's resolver
//   schemas.Add("lake.billing.accounts", {"account_id", "email"});
//   SqlOptions options{.dialect = Dialect::kTrino, .default_db = "lake", .schemas = &schemas};
//   ASSIGN_OR_RETURN(SqlLineage lineage, ParseSqlLineage(sql, options));
//   std::string json = SqlLineageToJson(lineage);   // DataHub's SqlParsingResult shape
//
// Names follow DataHub's conventions so results line up with its goldens: dataset URNs use the
// dialect's platform name and `db.schema.table` completed with default_db / default_schema; table
// names are lower-cased except in BigQuery (sharded `t_20230101` and `t_2023*` become
// `t_yyyymmdd`); unquoted column names are lower-cased, and a name found in a known schema takes
// the schema's spelling. Star expansion and unqualified names use the schemas; a name that cannot
// be resolved is listed in `errors` and contributes no upstream — never guessed, except that a
// column of the only table in scope whose schema is unknown is taken to belong to it.
//
// ParseSqlLineage fails (InvalidArgument) only when no statement could be read at all or the input
// is over the limits; per-statement problems go to `errors`. Thread-safe: no shared state; the
// resolver is only read (it must be safe for concurrent reads if shared).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sql/dialect.h"
#include "sql/statement_type.h"

namespace tidemark::sql {

// Ordered column names of a table, by its fully qualified name as it appears in dataset URNs
// ("lake.billing.accounts", with the platform instance prefix if one is configured).
class SchemaResolver {
 public:
  virtual ~SchemaResolver() = default;
  virtual std::optional<std::vector<std::string>> Columns(absl::string_view table) const = 0;
};

// A SchemaResolver over an in-memory map; lookups fall back to a case-insensitive match.
class MapSchemaResolver : public SchemaResolver {
 public:
  void Add(absl::string_view table, std::vector<std::string> columns);
  // {"lake.billing.accounts": ["account_id", "email"], ...}; also accepts DataHub's
  // {urn: {column: type}} maps (keys that are dataset URNs are reduced to their names).
  static absl::StatusOr<MapSchemaResolver> FromJson(absl::string_view json);
  std::optional<std::vector<std::string>> Columns(absl::string_view table) const override;
  size_t size() const { return tables_.size(); }

 private:
  absl::flat_hash_map<std::string, std::vector<std::string>> tables_;
  absl::flat_hash_map<std::string, std::string> lower_;  // lower-cased name -> name
};

struct SqlOptions {
  Dialect dialect = Dialect::kTrino;
  std::string default_db;
  std::string default_schema;
  std::string platform_instance;  // prefixed to every table name when set
  std::string env = "PROD";
  const SchemaResolver* schemas = nullptr;
  size_t max_sql_bytes = 16 << 20;
  int max_depth = 128;
};

enum class ColumnTransform { kIdentity, kTransformation, kAggregation };

struct ColumnRef {
  std::string table;  // dataset URN; empty for the result of a plain SELECT
  std::string column;
  friend bool operator==(const ColumnRef& a, const ColumnRef& b) {
    return a.table == b.table && a.column == b.column;
  }
  friend bool operator<(const ColumnRef& a, const ColumnRef& b) {
    return a.table != b.table ? a.table < b.table : a.column < b.column;
  }
};

struct ColumnLineage {
  ColumnRef downstream;
  std::vector<ColumnRef> upstreams;  // sorted, unique
  ColumnTransform transform = ColumnTransform::kTransformation;
};

struct SqlLineage {
  StatementType type = StatementType::kUnknown;  // of the first statement; kUnknown if mixed
  bool temporary = false;                        // the written table is temporary
  std::vector<std::string> in_tables;            // dataset URNs, sorted, unique
  std::vector<std::string> out_tables;
  std::vector<ColumnLineage> column_lineage;  // in output order
  std::vector<std::string> errors;            // statement errors and unresolved names
  int statements = 0;
};

absl::StatusOr<SqlLineage> ParseSqlLineage(absl::string_view sql, const SqlOptions& options);

// DataHub's SqlParsingResult shape: {"query_type", "in_tables", "out_tables", "column_lineage":
// [{"downstream": {"table", "column"}, "upstreams": [{"table", "column"}], "logic":
// {"is_direct_copy", "transform"}}], "debug_info": {"error", "unresolved"}}.
std::string SqlLineageToJson(const SqlLineage& lineage);
// For a failed parse: empty lineage with debug_info.error = `error`.
std::string SqlLineageErrorJson(absl::string_view error);

}  // namespace tidemark::sql
