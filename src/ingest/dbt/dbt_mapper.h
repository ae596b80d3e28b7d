// dbt artifacts (manifest.json v7–v12, optional catalog.json and run_results.json) → catalog
// aspects. A pure function: no I/O, no server; the CLI and POST /api/v1/ingest/dbt both call it.
//
// What is mapped (relations land on the URNs the query engine uses: PlatformForAdapter(adapter),
// lower(database.schema.alias)):
//   models, seeds, snapshots, sources → datasetProperties (description, dbt facts, meta),
//     schemaMetadata (manifest columns with descriptions, types and order from catalog.json, tags
//     and glossary terms from column meta, nullable=false for columns with a not_null test),
//     ownership (meta.owner, group owner), globalTags (tags), glossaryTerms (meta glossary_term(s)
//     / term(s)), sourceCode (package or repository, original_file_path, commit),
//     upstreamLineage (depends_on; through ephemeral models), dbtAssertions (tests).
//   compiled SQL of models and snapshots → upstreamLineage.fineGrainedLineages (column lineage
//     through the SQL parser in the adapter's dialect, duckdb as postgres, with every relation's
//     manifest and catalog columns as known schemas; provenance DBT). SQL that does not parse
//     loses only its column lineage: the problem is a warning in Mapping::properties
//     ("dbt.sql_lineage.warning.<unique_id>"), not an error.
//   ephemeral models → no dataset; their upstreams pass through to the models that use them.
//   exposures → dashboard(dbt, <package>.<name>) with dashboardInfo, ownership, upstreamLineage.
//   metrics / semantic models → datasetProperties.customProperties of the model they measure.
//   tests → dbtAssertions on the tested dataset (column, kind, parameters, last status).
// Problems with single nodes are reported in Mapping::errors (path = the node's file and id) and
// do not stop the rest. Output order is deterministic for equal input, so re-ingesting unchanged
// artifacts writes nothing new.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/runs/ingest_types.h"

namespace tidemark::ingest {

struct DbtArtifacts {
  std::string manifest;     // JSON text (required)
  std::string catalog;      // JSON text or empty
  std::string run_results;  // JSON text or empty
  // Names used in error paths (defaults: manifest.json, catalog.json, run_results.json).
  std::string manifest_path = "manifest.json";
  std::string catalog_path = "catalog.json";
  std::string run_results_path = "run_results.json";
};

struct DbtOptions {
  std::string platform;  // overrides the adapter type's platform when set
  std::string env = "PROD";
  std::string repository;   // sourceCode.repository (remote URL); default: the dbt package name
  std::string commit;       // sourceCode.commit
  std::string path_prefix;  // prepended to original_file_path (the project's folder in the repo)
};

// InvalidArgument when the manifest is not a dbt manifest (not JSON, no nodes); everything else
// is reported in the Mapping's errors.
absl::StatusOr<Mapping> MapDbtArtifacts(const DbtArtifacts& artifacts, const DbtOptions& options);

}  // namespace tidemark::ingest
