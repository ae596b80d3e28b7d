// The one adapter between the SQL front end (src/sql) and ingest: what the parser says (dataset URN
// text, column names, ColumnTransform) becomes URNs and DataHub FineGrainedLineage here, and
// nowhere else. Every source that reads SQL goes through it: query logs, the OpenLineage `sql`
// facet and Trino/Starburst history (through the SqlLineageParser seam below, so that they work
// without a parser and the parser is plugged in where the server is assembled), and repo SQL
// pipelines, dbt models and PostgreSQL views and statements (which call the parser themselves).
//
// Thread-safety: stateless functions; a SqlLineageParser must be callable from several threads.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "sql/sql_lineage.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {

// kIdentity → IDENTITY, kTransformation → TRANSFORMATION, kAggregation → AGGREGATION.
v1::TransformationType TransformationTypeOf(sql::ColumnTransform transform);

// An upstream column of the parser (its dataset URN text and column) → the schemaField URN text the
// source gives it; nullopt leaves the column out.
using UpstreamField = std::function<std::optional<std::string>(const sql::ColumnRef&)>;

// The entry for one column the parser computed, without its downstream (the caller names it, and
// sets query and provenance): the upstreams `upstream_field` keeps, in the parser's order without
// repeats, and the transformation type. nullopt when no upstream is kept.
std::optional<v1::FineGrainedLineage> FineGrainedLineageOf(const sql::ColumnLineage& column,
                                                           const UpstreamField& upstream_field);

// One statement for a query-engine source to parse.
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

// A statement's lineage in the catalog's terms.
struct StatementLineage {
  std::string statement_type;        // SELECT, INSERT, CREATE_TABLE_AS_SELECT, ... ("" unknown)
  std::vector<common::Urn> inputs;   // datasets read
  std::vector<common::Urn> outputs;  // datasets written
  // One entry per written column (and per column of `select_target`) with upstreams.
  std::vector<v1::FineGrainedLineage> fine_grained;
  std::vector<std::pair<common::Urn, std::vector<std::string>>> columns_read;  // per input table
  std::string fingerprint;          // normalized shape; empty: the caller computes one
  std::vector<std::string> errors;  // statements not understood, names not resolved
};

// The seam of the query-engine sources. InvalidArgument for SQL it cannot parse.
using SqlLineageParser = std::function<absl::StatusOr<StatementLineage>(const SqlStatement&)>;

// `parsed` in the catalog's terms: dataset URNs moved to the statement's platform (when it names
// one) and to the canonical name of an aliased dataset. Fails only on a dataset URN the parser
// wrote that does not parse.
absl::StatusOr<StatementLineage> MapStatementLineage(const sql::SqlLineage& parsed,
                                                     const SqlStatement& statement,
                                                     std::string fingerprint);

// The entries of `lineage` whose downstream is a field of `dataset`.
std::vector<v1::FineGrainedLineage> FineGrainedLineageFor(const StatementLineage& lineage,
                                                          const common::Urn& dataset);

struct SelectLineageOptions {
  // The parser's dataset URN (its dialect's platform, DataHub's name rules) → the source's URN
  // for the same relation; nullopt drops the upstream. Unset: the parser's URN as is.
  std::function<std::optional<common::Urn>(const common::Urn&)> dataset;
  // Lower-case column names, for sources whose schemaMetadata field paths are lower-cased.
  bool lower_columns = false;
  std::string query;  // FineGrainedLineage.query (e.g. the job or node that ran the SELECT)
  v1::LineageProvenance provenance;
};

// The column lineage of a bare SELECT that defines `target` (a dbt model's compiled SQL, a view's
// definition): the parser names its result with an empty table; here those columns become columns
// of `target`. One entry per output column with at least one upstream, in output order, upstreams
// sorted; upstreams on `target` itself are left out. Column lineage of written tables (INSERT,
// CREATE ... AS) is not the SELECT's output and is ignored.
std::vector<v1::FineGrainedLineage> SelectFineGrainedLineage(const sql::SqlLineage& lineage,
                                                             const common::Urn& target,
                                                             const SelectLineageOptions& options);

// The first `max_errors` of the parser's errors joined with "; " (empty when there are none).
std::string SqlLineageErrorSummary(const sql::SqlLineage& lineage, size_t max_errors = 3);

}  // namespace tidemark::ingest
