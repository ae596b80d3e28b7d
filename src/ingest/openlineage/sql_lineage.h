// The seam between the query-engine sources and the SQL lineage parser (src/ingest/sql, being
// written separately): a function from one statement to its tables and column lineage. Sources take
// it as an option, so they work without a parser (no lineage from SQL text) and the parser is
// plugged in where the server is assembled.
//
// Thread-safety: the parser function must be callable from several threads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {

struct SqlStatement {
  std::string sql;
  std::string dialect;           // sqlglot / DataHub name: trino, postgres, snowflake, ...
  std::string platform;          // URN platform of the tables when it is not the dialect's
  std::string default_database;  // catalog / database for unqualified names
  std::string default_schema;
  // Where the result of a plain SELECT goes (e.g. the one output of a dbt model's OpenLineage
  // event): its columns become fields of this dataset. Empty: SELECT results have no lineage.
  std::string select_target;  // dataset URN
};

struct SqlColumnLineage {
  common::Urn downstream;              // schemaField of an output table
  std::vector<common::Urn> upstreams;  // schemaFields
  v1::TransformationType type = v1::TRANSFORMATION_TYPE_UNSPECIFIED;
  std::vector<v1::TransformationSubtype> subtypes;
  std::string logic;  // e.g. "SUM(amount)"
};

struct SqlLineage {
  std::string statement_type;        // SELECT, INSERT, CREATE_TABLE_AS_SELECT, ... ("" unknown)
  std::vector<common::Urn> inputs;   // datasets read
  std::vector<common::Urn> outputs;  // datasets written
  std::vector<SqlColumnLineage> columns;
  std::vector<std::pair<common::Urn, std::vector<std::string>>> columns_read;  // per input table
  std::string fingerprint;          // normalized shape; empty: the caller computes one
  std::vector<std::string> errors;  // statements not understood, names not resolved
};

// InvalidArgument for SQL it cannot parse; Unimplemented for statements it does not handle.
using SqlLineageParser = std::function<absl::StatusOr<SqlLineage>(const SqlStatement&)>;

}  // namespace tidemark::ingest
