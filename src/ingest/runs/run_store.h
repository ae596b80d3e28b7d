// RunStore: the record of ingestion runs and the cursors of incremental sources, kept in the
// ingest module's meta space (CatalogService::Meta(kIngestMetaSpace)) under `run \0 <id>` and
// `cursor \0 <key>`. Runs are ingest's own bookkeeping, not catalog state: the catalog only
// provides the owned, namespaced space, so it needs no notion of runs.
//
// Run ids sort by start time ("r<16 hex digits of micros>-<4 hex digits>"), so List() scans the
// newest first. Counts and errors are accumulated by AddBatch/AddErrors while the run is open;
// Finish() closes it. A run may be finished once; later batches are refused (FailedPrecondition).
//
// Thread-safety: all methods are safe to call concurrently (one mutex serialises read-modify-write
// of run records).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "catalog/key_space.h"
#include "common/clock.h"
#include "tidemark/v1/ingest_runs.pb.h"

namespace tidemark::ingest {

// The ingest module's meta space.
inline constexpr char kIngestMetaSpace[] = "ingest";

class RunStore {
 public:
  // Errors kept per run record; more are only counted.
  static constexpr int kMaxKeptErrors = 1000;

  // `space`: the ingest meta space, e.g. catalog.Meta(kIngestMetaSpace).
  explicit RunStore(catalog::KeySpace space, const common::Clock* clock = &common::Clock::Real());

  // Opens a run. `source` is a SourceKind name in lower case (dbt, repo, postgres, ...).
  absl::StatusOr<v1::IngestRun> Begin(std::string source, std::string target, std::string actor);
  absl::StatusOr<v1::IngestRun> Get(std::string_view id) const;
  // Newest first; `source` filters when non-empty.
  absl::StatusOr<std::vector<v1::IngestRun>> List(int limit, std::string_view source = "") const;

  // Adds the counts (and errors) of one batch to an open run.
  absl::StatusOr<v1::IngestRun> AddBatch(std::string_view id, const v1::IngestCounts& counts,
                                         const std::vector<v1::IngestError>& errors);
  // Sets properties (revision, invocation id, ...) on an open run.
  absl::Status SetProperties(std::string_view id,
                             const std::vector<std::pair<std::string, std::string>>& properties);
  // Closes the run: state SUCCEEDED, SUCCEEDED_WITH_ERRORS (errors were recorded) or FAILED.
  absl::StatusOr<v1::IngestRun> Finish(std::string_view id,
                                       const std::vector<v1::IngestError>& errors, bool failed);

  absl::StatusOr<std::optional<v1::IngestCursor>> GetCursor(std::string_view key) const;
  absl::Status PutCursor(v1::IngestCursor cursor);

 private:
  absl::StatusOr<v1::IngestRun> LoadLocked(std::string_view id) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status SaveLocked(const v1::IngestRun& run) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const catalog::KeySpace space_;
  const common::Clock* clock_;
  mutable absl::Mutex mu_;
  uint32_t sequence_ ABSL_GUARDED_BY(mu_) = 0;
};

// Adds `from` to `into`.
void AddCounts(const v1::IngestCounts& from, v1::IngestCounts& into);

}  // namespace tidemark::ingest
