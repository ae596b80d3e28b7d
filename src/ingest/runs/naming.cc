// Shared naming rules of the code/database sources; see naming.h.
#include "ingest/runs/naming.h"

#include <array>
#include <utility>

#include "ingest/runs/str_util.h"

namespace tidemark::ingest {

std::string PlatformForAdapter(std::string_view adapter_type) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kAliases = {{
      {"spark", "databricks"},
      {"sqlserver", "mssql"},
      {"fabric", "mssql"},
      {"postgresql", "postgres"},
      {"materialize", "postgres"},
      {"synapse", "mssql"},
  }};
  std::string lower = Lower(Trim(adapter_type));
  for (const auto& [from, to] : kAliases) {
    if (lower == from) return std::string(to);
  }
  return lower;
}

absl::StatusOr<common::Urn> RelationUrn(std::string_view platform, std::string_view database,
                                        std::string_view schema, std::string_view table,
                                        std::string_view env) {
  if (Trim(table).empty()) return absl::InvalidArgumentError("relation has no table name");
  if (Trim(platform).empty()) return absl::InvalidArgumentError("relation has no platform");
  std::string name;
  for (std::string_view part : {database, schema, table}) {
    part = Trim(part);
    if (part.empty()) continue;
    if (!name.empty()) name.push_back('.');
    name += Lower(part);
  }
  return common::Urn::Parse(
      Cat("urn:li:dataset:(urn:li:dataPlatform:", EscapeUrnComponent(platform), ",",
          EscapeUrnComponent(name), ",", env, ")"));
}

absl::StatusOr<common::Urn> OwnerUrn(std::string_view text) {
  text = Trim(text);
  if (text.starts_with("urn:li:")) return common::Urn::Parse(text);
  bool group = false;
  for (std::string_view prefix : {"group:", "team:"}) {
    if (text.starts_with(prefix)) {
      text.remove_prefix(prefix.size());
      group = true;
    }
  }
  while (text.starts_with('@')) text.remove_prefix(1);
  text = Trim(text);
  if (text.empty()) return absl::InvalidArgumentError("owner is empty");
  return common::Urn::Parse(
      Cat(group ? "urn:li:corpGroup:" : "urn:li:corpuser:", EscapeUrnComponent(text)));
}

std::string EscapeUrnComponent(std::string_view raw) { return common::Urn::EscapeComponent(raw); }

absl::StatusOr<common::Urn> DashboardUrn(std::string_view platform, std::string_view id) {
  if (Trim(id).empty()) return absl::InvalidArgumentError("dashboard id is empty");
  return common::Urn::Parse(
      Cat("urn:li:dashboard:(", EscapeUrnComponent(platform), ",", EscapeUrnComponent(id), ")"));
}

v1::FieldType FieldTypeFromNative(std::string_view native_type) {
  std::string t = Lower(Trim(native_type));
  if (t.empty()) return v1::UNKNOWN;
  if (t.ends_with("[]") || t.starts_with("array")) return v1::ARRAY;
  if (const size_t paren = t.find('('); paren != std::string::npos) t.resize(paren);
  t = std::string(Trim(t));
  auto is = [&t](std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
      if (t == n) return true;
    }
    return false;
  };
  if (is({"boolean", "bool", "bit"})) return v1::BOOLEAN;
  if (is({"smallint", "integer", "int",     "bigint",  "int2",    "int4",      "int8",
          "tinyint",  "hugeint", "numeric", "decimal", "real",    "double",    "double precision",
          "float",    "float4",  "float8",  "number",  "serial",  "bigserial", "smallserial",
          "money",    "int64",   "float64", "ubigint", "uinteger"})) {
    return v1::NUMBER;
  }
  if (is({"text", "varchar", "character varying", "char", "character", "string", "bpchar", "name",
          "citext", "uuid", "nvarchar", "nchar", "clob", "json", "jsonb", "xml", "inet", "cidr"})) {
    return v1::STRING;
  }
  if (is({"bytea", "binary", "varbinary", "blob", "bytes"})) return v1::BYTES;
  if (t == "date") return v1::DATE;
  if (t.starts_with("timestamp") || t == "datetime" || t == "timestamptz") return v1::TIMESTAMP;
  if (t.starts_with("time") || t == "interval") return v1::TIME;
  if (t.starts_with("map")) return v1::MAP;
  if (t.starts_with("struct") || t.starts_with("row") || t == "record") return v1::STRUCT;
  if (t == "enum" || t == "user-defined") return v1::ENUM;
  return v1::UNKNOWN;
}

}  // namespace tidemark::ingest
