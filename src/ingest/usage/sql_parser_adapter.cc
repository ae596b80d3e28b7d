// The SQL lineage parser behind the SqlLineageParser seam; see sql_parser_adapter.h.
#include "ingest/usage/sql_parser_adapter.h"

#include <cctype>

#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "lineage/dataset_aliases.h"
#include "sql/fingerprint.h"
#include "sql/sql_lineage.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

sql::Dialect DialectOrTrino(std::string_view name) {
  if (name.empty()) return sql::Dialect::kTrino;
  auto d = sql::ParseDialect(AV(name));
  return d.ok() ? *d : sql::Dialect::kTrino;
}

// Column names from the catalog's schemaMetadata.
class CatalogSchemas : public sql::SchemaResolver {
 public:
  CatalogSchemas(const catalog::CatalogService& catalog, std::string platform)
      : catalog_(catalog), platform_(std::move(platform)) {}
  std::optional<std::vector<std::string>> Columns(absl::string_view table) const override {
    if (table.empty()) return std::nullopt;
    const Urn urn = lineage::DatasetAliases::Canonical(
        Urn::Dataset(platform_, std::string_view(table.data(), table.size())));
    auto schema = catalog_.GetAspect(urn, "schemaMetadata");
    if (!schema.ok()) return std::nullopt;
    const auto* s = dynamic_cast<const v1::SchemaMetadata*>(schema->value.get());
    if (s == nullptr || s->fields().empty()) return std::nullopt;
    std::vector<std::string> columns;
    for (const auto& f : s->fields()) columns.push_back(f.field_path());
    return columns;
  }

 private:
  const catalog::CatalogService& catalog_;
  std::string platform_;
};

}  // namespace

uint64_t Fnv1a64(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string FingerprintSql(std::string_view sql, std::string_view dialect) {
  auto f = sql::QueryFingerprint(AV(sql), DialectOrTrino(dialect));
  if (f.ok()) return *f;
  std::string collapsed;
  bool space = false;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed.push_back(' ');
    space = false;
    collapsed.push_back(c);
  }
  return absl::StrFormat("%016x", Fnv1a64(collapsed));
}

SqlLineageParser MakeSqlLineageParser(const catalog::CatalogService* catalog) {
  return [catalog](const SqlStatement& statement) -> absl::StatusOr<StatementLineage> {
    sql::SqlOptions options;
    options.dialect = DialectOrTrino(statement.dialect);
    options.default_db = statement.default_database;
    options.default_schema = statement.default_schema;
    std::optional<CatalogSchemas> schemas;
    if (catalog != nullptr) {
      schemas.emplace(*catalog, sql::PlatformName(options.dialect));
      options.schemas = &*schemas;
    }
    ASSIGN_OR_RETURN(sql::SqlLineage parsed, sql::ParseSqlLineage(AV(statement.sql), options));
    if (parsed.statements == 0 && !parsed.errors.empty()) {
      return absl::InvalidArgumentError(parsed.errors.front());
    }
    return MapStatementLineage(parsed, statement, FingerprintSql(statement.sql, statement.dialect));
  };
}

bool IsUtilityStatement(std::string_view sql) {
  const size_t start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos) return true;
  std::string word;
  for (size_t i = start; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])); ++i) {
    word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i]))));
  }
  for (const char* w : {"set", "use", "show", "describe", "desc", "explain", "reset", "call",
                        "grant", "revoke", "commit", "rollback", "start", "begin", "prepare",
                        "deallocate", "execute", "analyze", "refresh"}) {
    if (word == w) return true;
  }
  return false;
}

}  // namespace tidemark::ingest
