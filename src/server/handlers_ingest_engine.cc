// Query-engine ingest routes; see handlers_ingest_engine.h.
#include "server/handlers_ingest_engine.h"

#include <boost/json.hpp>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/runs/run_service.h"
#include "ingest/trino/starburst_history.h"
#include "ingest/trino/trino_event.h"
#include "ingest/usage/query_log.h"
#include "ingest/usage/sql_parser_adapter.h"
#include "server/handlers_entities.h"

namespace tidemark::server {
namespace {

namespace json = boost::json;

absl::StatusOr<catalog::WriteOrigin> OriginFor(const HttpRequest& request, v1::SourceKind source) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  origin.source = source;
  return origin;
}

absl::StatusOr<HttpResponse> PostOpenLineage(const ingest::OpenLineageIngestor& ingestor,
                                             HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginFor(request, v1::OPENLINEAGE));
  ASSIGN_OR_RETURN(ingest::OpenLineageIngestResult r, ingestor.IngestJson(request.body, origin));
  json::array warnings;
  for (size_t i = 0; i < r.warnings.size() && i < 100; ++i) warnings.emplace_back(r.warnings[i]);
  json::object out{{"events", r.events},
                   {"runEvents", r.run_events},
                   {"datasetEvents", r.dataset_events},
                   {"jobEvents", r.job_events},
                   {"written", r.written},
                   {"unchanged", r.unchanged},
                   {"warnings", std::move(warnings)}};
  return JsonValueResponse(r.written > 0 ? 201 : 200, out);
}

absl::StatusOr<HttpResponse> PostTrino(const ingest::TrinoEventIngestor& ingestor,
                                       HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginFor(request, v1::TRINO));
  ASSIGN_OR_RETURN(ingest::TrinoIngestResult r, ingestor.IngestJson(request.body, origin));
  json::object out{{"events", r.events},
                   {"failedQueries", r.failed_queries},
                   {"written", r.written},
                   {"unchanged", r.unchanged}};
  return JsonValueResponse(r.written > 0 ? 201 : 200, out);
}

absl::StatusOr<HttpResponse> PostQueryLog(const ingest::QueryLogIngestor& ingestor,
                                          HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginFor(request, v1::SQL));
  ASSIGN_OR_RETURN(ingest::QueryLogResult r, ingestor.IngestJson(request.body, origin));
  json::array errors;
  for (const auto& e : r.errors)
    errors.push_back(json::object{{"index", e.index}, {"message", e.message}});
  json::object out{{"parsed", r.parsed},       {"failed", r.failed},
                   {"skipped", r.skipped},     {"written", r.written},
                   {"unchanged", r.unchanged}, {"errors", std::move(errors)}};
  return JsonValueResponse(200, out);
}

json::array RowIssuesJson(const std::vector<ingest::StarburstRowIssue>& issues, const char* key) {
  json::array out;
  for (const auto& i : issues) out.push_back(json::object{{"index", i.index}, {key, i.reason}});
  return out;
}

// A history batch as a run batch: counts, and every skipped or failed row as a run error with its
// index.
v1::IngestCounts RunCountsOf(const ingest::StarburstHistoryResult& r) {
  v1::IngestCounts counts;
  counts.set_aspects_written(r.written);
  counts.set_aspects_unchanged(r.unchanged);
  counts.set_entities_written(r.written);  // one datasetUsage aspect per dataset
  counts.set_entities_seen(r.written + r.unchanged);
  return counts;
}

std::vector<v1::IngestError> RunErrorsOf(const ingest::StarburstHistoryResult& r) {
  std::vector<v1::IngestError> errors;
  auto add = [&errors](int64_t index, const std::string& message) {
    v1::IngestError e;
    e.set_path(absl::StrCat("rows[", index, "]"));
    e.set_message(message);
    errors.push_back(std::move(e));
  };
  for (const auto& s : r.skipped_rows) add(s.index, "skipped: " + s.reason);
  for (const auto& e : r.errors) add(e.index, e.reason);
  return errors;
}

absl::StatusOr<HttpResponse> PostStarburstHistory(const ingest::StarburstHistoryIngestor& ingestor,
                                                  ingest::RunService& runs, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginFor(request, v1::TRINO));
  ASSIGN_OR_RETURN(int64_t offset, IntQuery(request, "offset", 0, 0, int64_t{1} << 40));
  // A run named but not open is refused before anything is written.
  if (!origin.run_id.empty()) RETURN_IF_ERROR(runs.CheckOpen(origin.run_id));
  ASSIGN_OR_RETURN(ingest::StarburstHistoryResult r,
                   ingestor.IngestJson(request.body, origin, offset));
  json::object out{{"rows", r.rows},
                   {"recorded", r.recorded},
                   {"fromSql", r.from_sql},
                   {"skipped", r.skipped},
                   {"failed", r.failed},
                   {"written", r.written},
                   {"unchanged", r.unchanged},
                   {"skippedRows", RowIssuesJson(r.skipped_rows, "reason")},
                   {"errors", RowIssuesJson(r.errors, "message")}};
  if (!origin.run_id.empty()) {
    // The usage is committed; a run that cannot take the batch (finished meanwhile) is reported,
    // not turned into an error that would suggest nothing was written.
    absl::Status added = runs.AddCounts(origin.run_id, RunCountsOf(r), RunErrorsOf(r)).status();
    out["runId"] = origin.run_id;
    if (!added.ok()) out["runError"] = std::string(added.message());
  }
  return JsonValueResponse(200, out);
}

}  // namespace

void AddIngestEngineRoutes(Router& router, catalog::CatalogService& catalog,
                           std::shared_ptr<ingest::RunStore> store) {
  auto runs = std::make_shared<ingest::RunService>(catalog, std::move(store));
  auto parser = ingest::MakeSqlLineageParser(&catalog);
  auto openlineage = std::make_shared<ingest::OpenLineageIngestor>(
      catalog, ingest::OpenLineageIngestOptions{.sql_parser = parser});
  auto trino = std::make_shared<ingest::TrinoEventIngestor>(catalog);
  auto query_log = std::make_shared<ingest::QueryLogIngestor>(
      catalog, ingest::QueryLogOptions{.parser = parser});
  auto starburst = std::make_shared<ingest::StarburstHistoryIngestor>(
      catalog, ingest::StarburstHistoryOptions{.parser = parser});
  // `runs`: only reads and adds batches to runs opened through POST /api/v1/ingest/runs.
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/lineage",
      .summary = "Ingest OpenLineage events (Marquez-compatible): one event or an array, all or "
                 "nothing",
      .params = {},
      .request_body = "An OpenLineage RunEvent, DatasetEvent or JobEvent, or a JSON array of them",
      .handler = [openlineage](HttpRequest& r) { return PostOpenLineage(*openlineage, r); }});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/ingest/trino/query-completed",
      .summary = "Ingest Trino QueryCompletedEvents (HTTP event listener): lineage and usage",
      .params = {},
      .request_body = "A QueryCompletedEvent, or a JSON array of them",
      .handler = [trino](HttpRequest& r) { return PostTrino(*trino, r); }});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/ingest/query-log",
      .summary = "Ingest a batch of query-log records: lineage through the SQL parser plus usage; "
                 "bad records are reported, never fatal",
      .params = {},
      .request_body = "{\"queries\":[{\"sql\",\"user\",\"timestamp\",\"default_catalog\","
                      "\"default_schema\",\"dialect\",\"query_id\"}]}",
      .handler = [query_log](HttpRequest& r) { return PostQueryLog(*query_log, r); }});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/ingest/starburst/query-history",
      .summary = "Ingest Starburst event-logger query-history rows as usage (accessed_metadata, "
                 "else the SQL parser); rows without a time are skipped and reported, bad rows "
                 "are reported, never fatal; with X-Tidemark-Run-Id the batch is added to that "
                 "open ingest run",
      .params = {{"offset", "query",
                  "Index of the first row in the whole export, for the row numbers reported "
                  "(default 0)",
                  false, "integer"}},
      .request_body = "[{\"usr\",\"query\",\"catalog\",\"schema\",\"query_type\","
                      "\"accessed_metadata\",\"create_time\",\"end_time\",\"query_id\"}] "
                      "or {\"rows\":[...]}",
      .handler = [starburst, runs](HttpRequest& r) {
        return PostStarburstHistory(*starburst, *runs, r);
      }});
}

}  // namespace tidemark::server
