// The ingestion run lifecycle; see run_service.h.
#include "ingest/runs/run_service.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/runs/ingest_writer.h"

namespace tidemark::ingest {

absl::StatusOr<v1::SourceKind> ParseRunSource(std::string_view source) {
  v1::SourceKind kind;
  const std::string upper = absl::AsciiStrToUpper(std::string(source));
  if (!v1::SourceKind_Parse(upper, &kind) || kind == v1::SOURCE_KIND_UNSPECIFIED ||
      kind == v1::MANUAL) {
    return absl::InvalidArgumentError(
        absl::StrCat("source '", std::string(source),
                     "' is not one of openlineage, trino, sql, dbt, repo, postgres, api"));
  }
  return kind;
}

RunService::RunService(catalog::CatalogService& catalog, std::shared_ptr<RunStore> runs)
    : catalog_(catalog), runs_(std::move(runs)) {}

absl::StatusOr<v1::IngestRun> RunService::Begin(std::string_view source, std::string target,
                                                std::string actor) {
  std::string lower = absl::AsciiStrToLower(std::string(source));
  RETURN_IF_ERROR(ParseRunSource(lower).status());
  return runs_->Begin(std::move(lower), std::move(target), std::move(actor));
}

absl::StatusOr<v1::IngestRun> RunService::Get(std::string_view id) const { return runs_->Get(id); }

absl::StatusOr<std::vector<v1::IngestRun>> RunService::List(int limit,
                                                            std::string_view source) const {
  return runs_->List(limit, source);
}

absl::Status RunService::CheckOpen(std::string_view id) const {
  ASSIGN_OR_RETURN(v1::IngestRun run, runs_->Get(id));
  if (run.state() != v1::RUNNING) {
    return absl::FailedPreconditionError(
        absl::StrCat("ingest run '", std::string(id), "' is finished"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::IngestRun> RunService::WriteForRun(const v1::IngestRun& run,
                                                      std::vector<catalog::AspectWrite> writes,
                                                      const std::vector<v1::IngestError>& rejected,
                                                      catalog::WriteOrigin origin) {
  ASSIGN_OR_RETURN(origin.source, ParseRunSource(run.source()));
  origin.run_id = run.id();
  ASSIGN_OR_RETURN(v1::IngestCounts counts, WriteIngested(catalog_, std::move(writes), origin));
  counts.set_aspects_rejected(static_cast<int64_t>(rejected.size()));
  return runs_->AddBatch(run.id(), counts, rejected);
}

absl::StatusOr<v1::IngestRun> RunService::AddWrites(std::string_view id, std::string_view body,
                                                    catalog::WriteOrigin origin) {
  RETURN_IF_ERROR(CheckOpen(id));
  ASSIGN_OR_RETURN(v1::IngestRun run, runs_->Get(id));
  ASSIGN_OR_RETURN(ParsedWrites parsed, ParseWritesTolerant(catalog_.registry(), body));
  return WriteForRun(run, std::move(parsed.writes), parsed.errors, std::move(origin));
}

absl::StatusOr<v1::IngestRun> RunService::AddCounts(std::string_view id,
                                                    const v1::IngestCounts& counts,
                                                    const std::vector<v1::IngestError>& errors) {
  return runs_->AddBatch(id, counts, errors);
}

absl::StatusOr<v1::IngestRun> RunService::Finish(std::string_view id, const RunOutcome& outcome) {
  if (!outcome.properties.empty()) RETURN_IF_ERROR(runs_->SetProperties(id, outcome.properties));
  return runs_->Finish(id, outcome.errors, outcome.failed);
}

absl::StatusOr<v1::IngestRun> RunService::IngestMapping(std::string_view source, std::string target,
                                                        const Mapping& mapping,
                                                        const catalog::WriteOrigin& origin) {
  ASSIGN_OR_RETURN(v1::IngestRun run, Begin(source, std::move(target), origin.actor));
  RETURN_IF_ERROR(runs_->SetProperties(run.id(), mapping.properties));
  ParsedWrites parsed = ToAspectWrites(catalog_.registry(), mapping.aspects);
  absl::StatusOr<v1::IngestRun> written =
      WriteForRun(run, std::move(parsed.writes), parsed.errors, origin);
  if (!written.ok()) {
    v1::IngestError error;
    error.set_message(std::string(written.status().message()));
    (void)runs_->Finish(run.id(), {error}, /*failed=*/true);
    return written.status();
  }
  return runs_->Finish(run.id(), mapping.errors, /*failed=*/false);
}

absl::StatusOr<std::optional<v1::IngestCursor>> RunService::GetCursor(std::string_view key) const {
  return runs_->GetCursor(key);
}

absl::Status RunService::PutCursor(v1::IngestCursor cursor) {
  return runs_->PutCursor(std::move(cursor));
}

}  // namespace tidemark::ingest
