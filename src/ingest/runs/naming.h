// Naming shared by the code and database sources (dbt, repo SQL, PostgreSQL), so that their
// datasets land on the same URNs as the query engine's and OpenLineage's (see
// src/lineage/openlineage_naming.h): dataset(<platform>, <database>.<schema>.<table>) lower-cased,
// PROD. Also the owner-text → URN rule and native type → FieldType.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::ingest {

// dbt adapter type → platform: postgres, duckdb, trino, snowflake, bigquery, redshift,
// databricks and spark → databricks, clickhouse, sqlserver → mssql, ...; others as given.
std::string PlatformForAdapter(std::string_view adapter_type);

// dataset(platform, lower(database.schema.table)); empty database or schema parts are left out.
// InvalidArgument when table is empty.
absl::StatusOr<common::Urn> RelationUrn(std::string_view platform, std::string_view database,
                                        std::string_view schema, std::string_view table,
                                        std::string_view env = "PROD");

// "@alice" / "alice" / "alice@x.com" → corpuser; "group:billing" / "team:billing" → corpGroup;
// a urn:li:corpuser / corpGroup URN as is. InvalidArgument for empty or unparsable text.
absl::StatusOr<common::Urn> OwnerUrn(std::string_view text);

// Escapes ',', '(', ')' and '%' for use inside a URN tuple component.
std::string EscapeUrnComponent(std::string_view raw);

// dashboard(<platform>, <id>).
absl::StatusOr<common::Urn> DashboardUrn(std::string_view platform, std::string_view id);

// SQL native type ("varchar(20)", "timestamp with time zone", "int8[]") → FieldType.
v1::FieldType FieldTypeFromNative(std::string_view native_type);

}  // namespace tidemark::ingest
