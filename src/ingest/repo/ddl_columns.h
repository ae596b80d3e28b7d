// Column definitions of DDL, which the lineage parser reads only as names: CREATE TABLE column
// lists with native types, NOT NULL, PRIMARY KEY and COMMENT '...' (Trino, MySQL, Hive), the
// table's COMMENT, and PostgreSQL/Snowflake-style `COMMENT ON TABLE|COLUMN x IS '...'`.
//
// Built on the lineage parser's tokenizer, so quoting and comments follow the dialect. Unquoted
// names are lower-cased (as the lineage parser does); quoted ones keep their spelling. A
// statement that is not such DDL yields nullopt; this reads what it can and never fails.
// Thread-safety: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/dialect.h"

namespace tidemark::ingest {

struct DdlColumn {
  std::string name;
  std::string native_type;  // as written, lower-cased, whitespace collapsed: "decimal(10,2)"
  std::string comment;
  bool nullable = true;
  bool primary_key = false;
};

struct DdlTable {
  std::vector<std::string> name;  // qualified name parts, e.g. {"billing", "invoices"}
  std::vector<DdlColumn> columns;
  std::string comment;
};

struct DdlComment {
  std::vector<std::string> table;  // name parts of the table
  std::string column;              // empty for COMMENT ON TABLE / VIEW
  std::string text;
};

// CREATE [OR REPLACE] [TEMPORARY|...] TABLE [IF NOT EXISTS] name (column definitions) ...
std::optional<DdlTable> ParseCreateTableColumns(std::string_view statement, sql::Dialect dialect);
// COMMENT ON {TABLE|VIEW|COLUMN} name IS 'text'
std::optional<DdlComment> ParseCommentOn(std::string_view statement, sql::Dialect dialect);

}  // namespace tidemark::ingest
