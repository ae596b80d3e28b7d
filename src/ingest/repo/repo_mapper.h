// SQL pipelines in a git tree → catalog aspects. A pure function of a RepoSnapshot (no I/O): each
// SQL file is one pipeline step, the dataJob
//   urn:li:dataJob:(urn:li:dataFlow:(repo,<repository name>,PROD),<path>)
// with dataJobInfo (front matter description, schedule, depends_on), ownership and globalTags
// (front matter owner/tags), sourceCode (repository, path, commit, the file's lines), status
// {removed:false} and dataJobInputOutput (tables read and written by its statements, with column
// lineage). Every dataset a statement writes (CTAS, INSERT ... SELECT, CREATE VIEW, MERGE, CREATE
// TABLE) gets sourceCode with the statement's line range and upstreamLineage through the job
// (provenance REPO, runId = commit); CREATE TABLE column lists give schemaMetadata (types, NOT
// NULL, PRIMARY KEY, COMMENT, plus COMMENT ON statements of the same file) and a table COMMENT
// gives datasetProperties. Temporary tables are not datasets: their inputs pass through to the
// statements that read them.
//
// The upstreamLineage and sourceCode values returned here hold only this run's contribution;
// repo_ingest.h merges them with what the catalog already has. dbt projects (dbt_project.yml) are
// not parsed as SQL (their models are Jinja); a compiled target/manifest.json committed with the
// project is mapped with MapDbtArtifacts. Files that cannot be read are reported in
// Mapping::errors with their path (and line) and do not stop the rest. Output order is
// deterministic.
//
// Thread-safety: stateless functions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "ingest/repo/git_reader.h"
#include "ingest/runs/ingest_types.h"

namespace tidemark::ingest {

struct RepoMapOptions {
  std::string platform = "trino";  // SQL dialect and dataset platform
  std::string default_db;
  std::string default_schema;
  std::string env = "PROD";
};

// What one file contributed: its job and the datasets whose lineage and sourceCode it wrote.
struct RepoFileContribution {
  std::string job;
  std::vector<std::string> outputs;  // dataset URNs, sorted
};

struct RepoFileMapping {
  Mapping mapping;
  std::map<std::string, RepoFileContribution> files;  // by path, for every SQL file mapped
};

// The paths ReadRepoTree should read: *.sql, dbt_project.yml, a dbt project's target/manifest.json
// and target/catalog.json.
bool IsRepoIngestPath(std::string_view path);

// The repository's identity in sourceCode and cursors: its remote URL, else its local root.
std::string RepositoryOf(const RepoSnapshot& snapshot);
common::Urn RepoFlowUrn(std::string_view repo_name, std::string_view env = "PROD");
common::Urn RepoJobUrn(std::string_view repo_name, std::string_view path,
                       std::string_view env = "PROD");

// Maps the files of `snapshot` whose path is in `only` (every file when `only` is null). CREATE
// TABLE statements of all files are read first so that star expansion and unqualified columns
// resolve against the repository's own DDL. InvalidArgument for an unknown platform.
absl::StatusOr<RepoFileMapping> MapRepoFiles(const RepoSnapshot& snapshot,
                                             const std::set<std::string>* only,
                                             const RepoMapOptions& options);

}  // namespace tidemark::ingest
