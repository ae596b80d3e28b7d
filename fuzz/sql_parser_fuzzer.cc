// libFuzzer target for the SQL lineage parser: the first byte picks the dialect, the rest is SQL.
// Every input must come back as lineage or a clean error — no crash, leak, overflow or hang — and
// the JSON rendering and the fingerprint must work on whatever was parsed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/sql/fingerprint.h"
#include "ingest/sql/sql_lineage.h"

namespace {

using tidemark::ingest::sql::Dialect;

constexpr Dialect kDialects[] = {
    Dialect::kTrino,  Dialect::kPostgres, Dialect::kSnowflake, Dialect::kBigQuery,
    Dialect::kHive,   Dialect::kSpark,    Dialect::kMySql,     Dialect::kRedshift,
    Dialect::kSqlite, Dialect::kOracle,   Dialect::kTeradata,  Dialect::kMsSql,
};

const tidemark::ingest::sql::MapSchemaResolver& Schemas() {
  static const auto* const kSchemas = [] {
    auto* s = new tidemark::ingest::sql::MapSchemaResolver();
    s->Add("db.sch.t", {"a", "b", "c"});
    s->Add("db.sch.u", {"a", "d"});
    return s;
  }();
  return *kSchemas;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  tidemark::ingest::sql::SqlOptions options;
  options.dialect = kDialects[data[0] % (sizeof(kDialects) / sizeof(kDialects[0]))];
  options.default_db = "db";
  options.default_schema = "sch";
  options.schemas = &Schemas();
  const std::string sql(reinterpret_cast<const char*>(data + 1), size - 1);
  auto lineage = tidemark::ingest::sql::ParseSqlLineage(sql, options);
  if (lineage.ok()) {
    const std::string json = tidemark::ingest::sql::SqlLineageToJson(*lineage);
    if (json.empty()) __builtin_trap();
  }
  (void)tidemark::ingest::sql::QueryFingerprint(sql, options.dialect);
  return 0;
}
