// RunService: the one lifecycle of an ingestion run, shared by the run routes, the server-side dbt
// ingest, the Starburst history route and (over HTTP) the CLI. A run is begun for a source, takes
// batches (aspect writes written here, or counts of a batch another ingestor already wrote), and
// is finished once — succeeded, succeeded with errors, or failed. Cursors keep the incremental
// state of a source between runs.
//
// Errors: an unknown run is NotFound; a batch or a finish for a run that is already finished is
// FailedPrecondition; a bad source name or a body that is not a batch is InvalidArgument.
//
// Ownership: the catalog is borrowed and must outlive the service; the RunStore is shared (every
// service over the same store goes through its one lock). Thread-safety: as the RunStore — all
// methods may be called concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "ingest/runs/ingest_types.h"
#include "ingest/runs/run_store.h"
#include "tidemark/v1/ingest_runs.pb.h"

namespace tidemark::ingest {

// How a client closes a run.
struct RunOutcome {
  std::vector<v1::IngestError> errors;
  bool failed = false;
  // Set on the run before it is closed (revision, invocation id, ...).
  std::vector<std::pair<std::string, std::string>> properties;
};

class RunService {
 public:
  RunService(catalog::CatalogService& catalog, std::shared_ptr<RunStore> runs);

  // Opens a run. `source` is a SourceKind name in any case (dbt, repo, postgres, ...) other than
  // manual; it is stored in lower case.
  absl::StatusOr<v1::IngestRun> Begin(std::string_view source, std::string target,
                                      std::string actor);
  absl::StatusOr<v1::IngestRun> Get(std::string_view id) const;
  // Newest first; `source` filters when non-empty.
  absl::StatusOr<std::vector<v1::IngestRun>> List(int limit, std::string_view source = "") const;

  // Parses `body` ({"writes":[{urn, aspect, value}]}) tolerantly and writes it for the open run
  // `id`, attributed to `origin` with the run's source and id; bad items become run errors.
  absl::StatusOr<v1::IngestRun> AddWrites(std::string_view id, std::string_view body,
                                          catalog::WriteOrigin origin);
  // Refuses (NotFound / FailedPrecondition) unless `id` names an open run: for ingestors that
  // write first and report the batch with AddCounts() afterwards.
  absl::Status CheckOpen(std::string_view id) const;
  // Adds the counts and problems of a batch that was written elsewhere to the open run `id`.
  absl::StatusOr<v1::IngestRun> AddCounts(std::string_view id, const v1::IngestCounts& counts,
                                          const std::vector<v1::IngestError>& errors);

  absl::StatusOr<v1::IngestRun> Finish(std::string_view id, const RunOutcome& outcome);

  // A whole run in one call: begins a run of `source` on `target` for origin.actor, records the
  // mapping's properties, writes its aspects and finishes it with the mapping's errors. A write
  // that fails finishes the run as failed and returns the write's error.
  absl::StatusOr<v1::IngestRun> IngestMapping(std::string_view source, std::string target,
                                              const Mapping& mapping,
                                              const catalog::WriteOrigin& origin);

  // nullopt when the source has no cursor yet.
  absl::StatusOr<std::optional<v1::IngestCursor>> GetCursor(std::string_view key) const;
  absl::Status PutCursor(v1::IngestCursor cursor);

 private:
  // Writes `writes` for the open run `run` and adds counts and errors to it.
  absl::StatusOr<v1::IngestRun> WriteForRun(const v1::IngestRun& run,
                                            std::vector<catalog::AspectWrite> writes,
                                            const std::vector<v1::IngestError>& rejected,
                                            catalog::WriteOrigin origin);

  catalog::CatalogService& catalog_;
  std::shared_ptr<RunStore> runs_;
};

// `source` parsed as a SourceKind other than unspecified and manual, else InvalidArgument.
absl::StatusOr<v1::SourceKind> ParseRunSource(std::string_view source);

}  // namespace tidemark::ingest
