// Planning one ingest of a repository revision, full or incremental, as the aspects to send.
//
// A run maps the SQL files that changed since the last ingested revision (all of them on the first
// run) and retracts what changed or deleted files produced before: the upstreamLineage and
// sourceCode of every affected dataset are rewritten as the catalog's current value without the
// entries of the replaced jobs / paths plus this run's entries, so lineage other sources declared
// (and other files of the repository) is kept, and the lineage module closes the vanished edges
// (they stay visible to `at` queries). Jobs of deleted files get status {removed: true} and an
// empty dataJobInputOutput. What each file produced is kept between runs in RepoState, stored by
// the caller as the cursor's stateJson under RepoCursorKey() together with the revision.
//
// The catalog is read only through `current` (the CLI reads over HTTP); everything else is pure.
// Thread-safety: stateless functions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/repo/git_reader.h"
#include "ingest/repo/repo_mapper.h"
#include "ingest/runs/ingest_types.h"

namespace tidemark::ingest {

// path → what the file produced at the last ingested revision.
struct RepoState {
  std::map<std::string, RepoFileContribution> files;
};

std::string RepoStateToJson(const RepoState& state);
// InvalidArgument for text that is not a RepoState document; "" is the empty state.
absl::StatusOr<RepoState> RepoStateFromJson(std::string_view json);

// "repo:<remote URL or local root>".
std::string RepoCursorKey(const RepoSnapshot& snapshot);

// The JSON value (protobuf JSON mapping) of an aspect in the catalog, nullopt when it has none.
using CurrentAspectFn = std::function<absl::StatusOr<std::optional<std::string>>(
    const std::string& urn, const std::string& aspect)>;

struct RepoPrevious {
  std::string revision;
  RepoState state;
};

struct RepoIngestPlan {
  Mapping mapping;  // properties: revision, repository, mode, files_mapped, files_deleted, ...
  RepoState next_state;
  bool incremental = false;
  int files_mapped = 0;
  int files_deleted = 0;
};

// `previous` is the cursor of the last run (nullopt on the first); `changes` the paths that
// differ between previous->revision and snapshot.commit (null: map every file). When
// previous->revision equals the snapshot's commit, the plan is empty. Errors only for an unknown
// platform or a failing `current`.
absl::StatusOr<RepoIngestPlan> PlanRepoIngest(const RepoSnapshot& snapshot,
                                              const std::optional<RepoPrevious>& previous,
                                              const std::vector<ChangedPath>* changes,
                                              const RepoMapOptions& options,
                                              const CurrentAspectFn& current);

}  // namespace tidemark::ingest
