// The SQL lineage parser (src/sql, tidemark::sql) behind the SqlLineageParser seam of
// the query-engine sources, and the query fingerprint they use for usage statistics.
//
// Table schemas for star expansion and unqualified columns come from the catalog's schemaMetadata
// of dataset(<platform of the dialect>, <db.schema.table>) when a catalog is given.
//
// Thread-safety: the returned parser and the functions are safe to call concurrently (catalog
// reads are thread-safe).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/catalog_service.h"
#include "ingest/runs/sql_adapter.h"

namespace tidemark::ingest {

// `catalog` may be null (no schemas); it must outlive the parser.
SqlLineageParser MakeSqlLineageParser(const catalog::CatalogService* catalog);

// The parser's fingerprint of `sql` in `dialect` (trino when empty or unknown); when the SQL cannot
// be tokenized, a hash of its whitespace-collapsed text.
std::string FingerprintSql(std::string_view sql, std::string_view dialect);

// Session and utility statements that never touch a table's data (SET, USE, SHOW, EXPLAIN, ...),
// judged by the first word: a parse that finds no table in them is not a failure.
bool IsUtilityStatement(std::string_view sql);

// FNV-1a 64 of `text`.
uint64_t Fnv1a64(std::string_view text);

}  // namespace tidemark::ingest
