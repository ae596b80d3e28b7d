// Table and column names as Trino's event JSON spells them (ioMetadata.inputs / output, the
// Starburst event logger's accessed_metadata), mapped to tidemark URNs in one place so every Trino
// source names a table alike: dataset(trino, <catalog>.<schema>.<table>) through the OpenLineage
// mapping and the dataset alias table.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "ingest/openlineage/json_fields.h"

namespace tidemark::ingest {

// The dataset of an object with `catalog_key` ("catalogName" or "catalog"), "schema" and "table";
// InvalidArgument naming `path` when a part is missing or no URN can hold it.
absl::StatusOr<common::Urn> TrinoTableUrn(const json::object& o, std::string_view catalog_key,
                                          const std::string& path);

// A column entry: a string, or an object with "name" / "columnName".
absl::StatusOr<std::string> TrinoColumnName(const json::value& v, const std::string& path);

}  // namespace tidemark::ingest
