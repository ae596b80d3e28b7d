// libFuzzer target for the SQL lineage parser: the first byte picks the dialect, the rest is SQL.
// Every input must come back as lineage or a clean error — no crash, leak, overflow or hang — and
// the JSON rendering and the fingerprint must work on whatever was parsed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sql/fingerprint.h"
#include "sql/sql_lineage.h"

namespace {

using tidemark::sql::Dialect;

constexpr Dialect kDialects[] = {
    Dialect::kTrino,  Dialect::kPostgres, Dialect::kSnowflake, Dialect::kBigQuery,
    Dialect::kHive,   Dialect::kSpark,    Dialect::kMySql,     Dialect::kRedshift,
    Dialect::kSqlite, Dialect::kOracle,   Dialect::kTeradata,  Dialect::kMsSql,
};

const tidemark::sql::MapSchemaResolver& Schemas() {
  static const auto* const kSchemas = [] {
    auto* s = new tidemark::sql::MapSchemaResolver();
    s->Add("db.sch.t", {"a", "b", "c"});
    s->Add("db.sch.u", {"a", "d"});
    return s;
  }();
  return *kSchemas;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  tidemark::sql::SqlOptions options;
  options.dialect = kDialects[data[0] % (sizeof(kDialects) / sizeof(kDialects[0]))];
  options.default_db = "db";
  options.default_schema = "sch";
  options.schemas = &Schemas();
  const std::string sql(reinterpret_cast<const char*>(data + 1), size - 1);
  auto lineage = tidemark::sql::ParseSqlLineage(sql, options);
  if (lineage.ok()) {
    const std::string json = tidemark::sql::SqlLineageToJson(*lineage);
    if (json.empty()) __builtin_trap();
  }
  (void)tidemark::sql::QueryFingerprint(sql, options.dialect);
  return 0;
}
