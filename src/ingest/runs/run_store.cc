// RunStore over the ingest meta space; see run_store.h.
#include "ingest/runs/run_store.h"

#include <random>

#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "ingest/runs/str_util.h"
#include "storage/key_codec.h"

namespace tidemark::ingest {
namespace {

std::string RunKey(std::string_view id) { return storage::JoinKey({"run", id}); }
std::string CursorKey(std::string_view key) { return storage::JoinKey({"cursor", key}); }

}  // namespace

void AddCounts(const v1::IngestCounts& from, v1::IngestCounts& into) {
  into.set_entities_written(into.entities_written() + from.entities_written());
  into.set_entities_seen(into.entities_seen() + from.entities_seen());
  into.set_aspects_written(into.aspects_written() + from.aspects_written());
  into.set_aspects_unchanged(into.aspects_unchanged() + from.aspects_unchanged());
  into.set_edges_written(into.edges_written() + from.edges_written());
  into.set_edges_unchanged(into.edges_unchanged() + from.edges_unchanged());
  into.set_aspects_rejected(into.aspects_rejected() + from.aspects_rejected());
}

RunStore::RunStore(catalog::KeySpace space, const common::Clock* clock)
    : space_(std::move(space)), clock_(clock) {}

absl::StatusOr<v1::IngestRun> RunStore::Begin(std::string source, std::string target,
                                              std::string actor) {
  if (source.empty()) return absl::InvalidArgumentError("run source is empty");
  absl::MutexLock lock(&mu_);
  v1::IngestRun run;
  const int64_t now = clock_->NowMicros();
  if (sequence_ == 0) sequence_ = std::random_device{}() & 0xffff;
  run.set_id(absl::StrFormat("r%016x-%04x", now, (sequence_++) & 0xffff));
  run.set_source(std::move(source));
  run.set_target(std::move(target));
  run.set_actor(std::move(actor));
  run.set_started_micros(now);
  run.set_state(v1::RUNNING);
  RETURN_IF_ERROR(SaveLocked(run));
  return run;
}

absl::StatusOr<v1::IngestRun> RunStore::LoadLocked(std::string_view id) const {
  ASSIGN_OR_RETURN(auto bytes, space_.Get(RunKey(id)));
  if (!bytes.has_value()) return absl::NotFoundError(Cat("no ingest run '", id, "'"));
  v1::IngestRun run;
  if (!run.ParseFromString(*bytes)) {
    return absl::DataLossError(Cat("ingest run '", id, "' is corrupt"));
  }
  return run;
}

absl::Status RunStore::SaveLocked(const v1::IngestRun& run) {
  return space_.Put(RunKey(run.id()), run.SerializeAsString());
}

absl::StatusOr<v1::IngestRun> RunStore::Get(std::string_view id) const {
  absl::MutexLock lock(&mu_);
  return LoadLocked(id);
}

absl::StatusOr<std::vector<v1::IngestRun>> RunStore::List(int limit,
                                                          std::string_view source) const {
  std::vector<v1::IngestRun> runs;
  absl::Status parse_error;
  RETURN_IF_ERROR(space_.ScanReverse(
      storage::KeyPrefix({"run"}), [&](std::string_view, std::string_view value) {
        v1::IngestRun run;
        if (!run.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          parse_error = absl::DataLossError("an ingest run record is corrupt");
          return false;
        }
        if (source.empty() || run.source() == source) runs.push_back(std::move(run));
        return static_cast<int>(runs.size()) < limit;
      }));
  RETURN_IF_ERROR(parse_error);
  return runs;
}

absl::StatusOr<v1::IngestRun> RunStore::AddBatch(std::string_view id,
                                                 const v1::IngestCounts& counts,
                                                 const std::vector<v1::IngestError>& errors) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(v1::IngestRun run, LoadLocked(id));
  if (run.state() != v1::RUNNING) {
    return absl::FailedPreconditionError(Cat("ingest run '", id, "' is finished"));
  }
  AddCounts(counts, *run.mutable_counts());
  for (const auto& e : errors) {
    if (run.errors_size() < kMaxKeptErrors) *run.add_errors() = e;
  }
  run.set_error_count(run.error_count() + static_cast<int64_t>(errors.size()));
  RETURN_IF_ERROR(SaveLocked(run));
  return run;
}

absl::Status RunStore::SetProperties(
    std::string_view id, const std::vector<std::pair<std::string, std::string>>& properties) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(v1::IngestRun run, LoadLocked(id));
  for (const auto& [k, v] : properties) (*run.mutable_properties())[k] = v;
  return SaveLocked(run);
}

absl::StatusOr<v1::IngestRun> RunStore::Finish(std::string_view id,
                                               const std::vector<v1::IngestError>& errors,
                                               bool failed) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(v1::IngestRun run, LoadLocked(id));
  if (run.state() != v1::RUNNING) {
    return absl::FailedPreconditionError(Cat("ingest run '", id, "' is finished"));
  }
  for (const auto& e : errors) {
    if (run.errors_size() < kMaxKeptErrors) *run.add_errors() = e;
  }
  run.set_error_count(run.error_count() + static_cast<int64_t>(errors.size()));
  run.set_finished_micros(clock_->NowMicros());
  run.set_state(failed                  ? v1::FAILED
                : run.error_count() > 0 ? v1::SUCCEEDED_WITH_ERRORS
                                        : v1::SUCCEEDED);
  RETURN_IF_ERROR(SaveLocked(run));
  return run;
}

absl::StatusOr<std::optional<v1::IngestCursor>> RunStore::GetCursor(std::string_view key) const {
  ASSIGN_OR_RETURN(auto bytes, space_.Get(CursorKey(key)));
  if (!bytes.has_value()) return std::optional<v1::IngestCursor>();
  v1::IngestCursor cursor;
  if (!cursor.ParseFromString(*bytes)) {
    return absl::DataLossError(Cat("ingest cursor '", key, "' is corrupt"));
  }
  return std::optional<v1::IngestCursor>(std::move(cursor));
}

absl::Status RunStore::PutCursor(v1::IngestCursor cursor) {
  if (cursor.key().empty()) return absl::InvalidArgumentError("cursor key is empty");
  cursor.set_updated_micros(clock_->NowMicros());
  return space_.Put(CursorKey(cursor.key()), cursor.SerializeAsString());
}

}  // namespace tidemark::ingest
