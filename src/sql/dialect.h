// Dialect: the SQL dialects the lineage parser understands and the few properties in which they
// differ where lineage is concerned (identifier quoting, case of table names, comment syntax,
// the DataHub platform name used in URNs). Plain values; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tidemark::sql {

enum class Dialect {
  kTrino,  // also "ansi", "presto", "athena"
  kPostgres,
  kSnowflake,
  kBigQuery,
  kHive,
  kSpark,  // also "databricks"
  kMySql,
  kRedshift,
  kSqlite,
  kOracle,
  kTeradata,
  kMsSql,  // T-SQL; sqlglot calls it "tsql"
};

// Accepts sqlglot's and DataHub's names ("tsql", "mssql", "databricks", ...), case-insensitively.
absl::StatusOr<Dialect> ParseDialect(absl::string_view name);
// DataHub platform name, used in dataset URNs: "trino", "snowflake", "mssql", ...
std::string PlatformName(Dialect dialect);

// `"x"` is an identifier (not a string).
bool DoubleQuoteIsIdentifier(Dialect dialect);
// `` `x` `` is an identifier.
bool BacktickIsIdentifier(Dialect dialect);
// `[x]` is an identifier (T-SQL, SQLite).
bool BracketIsIdentifier(Dialect dialect);
// Backslash escapes inside string literals.
bool BackslashEscapes(Dialect dialect);
// `# ...` starts a comment (MySQL); elsewhere `#name` is a temporary-table name.
bool HashComment(Dialect dialect);
// Table names keep their case in URNs (BigQuery); other dialects lower-case them, as DataHub does.
bool CaseSensitiveTables(Dialect dialect);

}  // namespace tidemark::sql
