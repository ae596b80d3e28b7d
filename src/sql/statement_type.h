// StatementType: what kind of statement the SQL front end read (SELECT, INSERT, CREATE TABLE AS,
// ...), the one piece of the syntax tree that its lineage result exposes. Plain values;
// thread-safe.
#pragma once

#include <string>

namespace tidemark::sql {

enum class StatementType {
  kUnknown,
  kSelect,
  kInsert,
  kCreateTableAsSelect,
  kCreateView,
  kCreateDdl,
  kMerge,
  kUpdate,
  kDelete,
  kDrop,
  kAlter,
  kTruncate,
};

// "SELECT", "INSERT", "CREATE_TABLE_AS_SELECT", ... (DataHub's QueryType names).
std::string StatementTypeName(StatementType type);

}  // namespace tidemark::sql
