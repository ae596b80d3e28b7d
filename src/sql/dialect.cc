// Dialect names and properties (see dialect.h).
#include "sql/dialect.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tidemark::sql {

absl::StatusOr<Dialect> ParseDialect(absl::string_view name) {
  const std::string n = absl::AsciiStrToLower(name);
  if (n == "trino" || n == "ansi" || n == "presto" || n == "athena" || n.empty()) {
    return Dialect::kTrino;
  }
  if (n == "postgres" || n == "postgresql") return Dialect::kPostgres;
  if (n == "snowflake") return Dialect::kSnowflake;
  if (n == "bigquery") return Dialect::kBigQuery;
  if (n == "hive") return Dialect::kHive;
  if (n == "spark" || n == "spark2" || n == "databricks") return Dialect::kSpark;
  if (n == "mysql" || n == "mariadb") return Dialect::kMySql;
  if (n == "redshift") return Dialect::kRedshift;
  if (n == "sqlite") return Dialect::kSqlite;
  if (n == "oracle") return Dialect::kOracle;
  if (n == "teradata") return Dialect::kTeradata;
  if (n == "mssql" || n == "tsql" || n == "sqlserver") return Dialect::kMsSql;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown SQL dialect '", name,
      "' (expected one of trino, postgres, snowflake, bigquery, hive, spark, mysql, redshift, "
      "sqlite, oracle, teradata, mssql)"));
}

std::string PlatformName(Dialect dialect) {
  switch (dialect) {
    case Dialect::kTrino:
      return "trino";
    case Dialect::kPostgres:
      return "postgres";
    case Dialect::kSnowflake:
      return "snowflake";
    case Dialect::kBigQuery:
      return "bigquery";
    case Dialect::kHive:
      return "hive";
    case Dialect::kSpark:
      return "databricks";
    case Dialect::kMySql:
      return "mysql";
    case Dialect::kRedshift:
      return "redshift";
    case Dialect::kSqlite:
      return "sqlite";
    case Dialect::kOracle:
      return "oracle";
    case Dialect::kTeradata:
      return "teradata";
    case Dialect::kMsSql:
      return "mssql";
  }
  return "trino";
}

bool DoubleQuoteIsIdentifier(Dialect d) {
  return d != Dialect::kBigQuery && d != Dialect::kHive && d != Dialect::kSpark &&
         d != Dialect::kMySql;
}
bool BacktickIsIdentifier(Dialect d) {
  return d == Dialect::kBigQuery || d == Dialect::kHive || d == Dialect::kSpark ||
         d == Dialect::kMySql || d == Dialect::kSqlite;
}
bool BracketIsIdentifier(Dialect d) { return d == Dialect::kMsSql || d == Dialect::kSqlite; }
bool BackslashEscapes(Dialect d) {
  return d == Dialect::kBigQuery || d == Dialect::kHive || d == Dialect::kSpark ||
         d == Dialect::kMySql || d == Dialect::kSnowflake;
}
bool HashComment(Dialect d) { return d == Dialect::kMySql; }
bool CaseSensitiveTables(Dialect d) { return d == Dialect::kBigQuery; }

}  // namespace tidemark::sql
