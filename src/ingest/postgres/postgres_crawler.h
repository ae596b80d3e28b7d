// PostgreSQL crawler: reads one database's catalog over libpq and maps it to aspects on
// dataset(postgres, <database>.<schema>.<relation>) — the URNs OpenLineage and dbt use for
// PostgreSQL.
//
//   tables, views, materialized views, foreign and partitioned tables → datasetProperties
//     (comment, kind, view definition), schemaMetadata (columns with types, nullability and
//     comments from pg_description; primary keys; foreign keys, which are the join hints of the
//     columns), upstreamLineage of views and materialized views from pg_depend (the relations
//     the view's rewrite rule reads; exact, no SQL parsing needed), with fineGrainedLineages from
//     the view definition through the SQL parser (known schemas: the crawled columns; provenance
//     POSTGRES; a definition that does not parse is a "postgres.sql_lineage.warning.*" property);
//   pg_stat_statements, when installed and readable → datasetProperties.customProperties
//     "postgres.statement_calls" per relation named in a statement (a usage signal).
// System schemas (pg_catalog, information_schema, pg_toast) are skipped. With sample_rows > 0 the
// crawler reads that many rows per table and hands them to `sample_sink` (for a classifier); the
// values are never part of the Mapping.
//
// Thread-safety: stateless function; one connection per call.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "ingest/runs/ingest_types.h"

namespace tidemark::ingest {

struct PostgresSample {
  common::Urn dataset;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // text form; empty string for NULL
};

struct PostgresCrawlOptions {
  std::vector<std::string> schemas;  // only these (default: every non-system schema)
  int sample_rows = 0;
  std::function<void(const PostgresSample&)> sample_sink;
  bool use_pg_stat_statements = true;
};

// Connects with a libpq connection string ("postgresql://user@host:port/db" or "host=... ").
// Unavailable when the connection fails (message without the password); other problems with
// single relations land in Mapping::errors.
absl::StatusOr<Mapping> CrawlPostgres(const std::string& conninfo,
                                      const PostgresCrawlOptions& options);

// The connection string with any password removed, for run records and messages.
std::string RedactConninfo(const std::string& conninfo);

}  // namespace tidemark::ingest
