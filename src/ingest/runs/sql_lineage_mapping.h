// The column lineage of a parsed SQL SELECT (src/sql's SqlLineage) as FineGrainedLineage
// entries of the dataset that SELECT defines: a dbt model's compiled SQL or a database view's
// definition. The parser names the result of a bare SELECT with an empty table; here those
// columns become columns of `target`. Shared by the sources that know what a SELECT defines
// (dbt, PostgreSQL) so that they map transforms and field URNs the same way.
//
// Thread-safety: stateless functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/urn.h"
#include "sql/sql_lineage.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {

// kIdentity → IDENTITY, kTransformation → TRANSFORMATION, kAggregation → AGGREGATION.
v1::TransformationType TransformationTypeOf(sql::ColumnTransform transform);

struct SelectLineageOptions {
  // The parser's dataset URN (its dialect's platform, DataHub's name rules) → the source's URN
  // for the same relation; nullopt drops the upstream. Unset: the parser's URN as is.
  std::function<std::optional<common::Urn>(const common::Urn&)> dataset;
  // Lower-case column names, for sources whose schemaMetadata field paths are lower-cased.
  bool lower_columns = false;
  std::string query;  // FineGrainedLineage.query (e.g. the job or node that ran the SELECT)
  v1::LineageProvenance provenance;
};

// One entry per output column of the bare SELECT that has at least one upstream column, in
// output order; upstreams on `target` itself are left out. Column lineage of written tables
// (INSERT, CREATE ... AS) is not the SELECT's output and is ignored.
std::vector<v1::FineGrainedLineage> SelectFineGrainedLineage(const sql::SqlLineage& lineage,
                                                             const common::Urn& target,
                                                             const SelectLineageOptions& options);

// The first `max_errors` of the parser's errors joined with "; " (empty when there are none).
std::string SqlLineageErrorSummary(const sql::SqlLineage& lineage, size_t max_errors = 3);

}  // namespace tidemark::ingest
