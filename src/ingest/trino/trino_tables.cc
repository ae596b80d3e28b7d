// Trino table and column names → URNs; see trino_tables.h.
#include "ingest/trino/trino_tables.h"

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "ingest/openlineage/openlineage_event.h"

namespace tidemark::ingest {

absl::StatusOr<common::Urn> TrinoTableUrn(const json::object& o, std::string_view catalog_key,
                                          const std::string& path) {
  ASSIGN_OR_RETURN(std::string catalog, ReqString(o, catalog_key, path));
  ASSIGN_OR_RETURN(std::string schema, ReqString(o, "schema", path));
  ASSIGN_OR_RETURN(std::string table, ReqString(o, "table", path));
  auto urn = ResolveDatasetUrn("trino", absl::StrCat(catalog, ".", schema, ".", table));
  if (!urn.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", urn.status().message()));
  return *urn;
}

absl::StatusOr<std::string> TrinoColumnName(const json::value& v, const std::string& path) {
  if (v.is_string()) {
    if (v.get_string().empty() || v.get_string().size() > kMaxNameBytes) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": bad column name"));
    }
    return std::string(v.get_string());
  }
  ASSIGN_OR_RETURN(const json::object* o, common::AsObject(v, path));
  if (o->contains("columnName")) return ReqString(*o, "columnName", path);
  return ReqString(*o, "name", path);
}

}  // namespace tidemark::ingest
