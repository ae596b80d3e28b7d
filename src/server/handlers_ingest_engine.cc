// Query-engine ingest routes; see handlers_ingest_engine.h.
#include "server/handlers_ingest_engine.h"

#include <boost/json.hpp>
#include <memory>

#include "common/status_macros.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/trino/trino_event.h"
#include "ingest/usage/query_log.h"
#include "ingest/usage/sql_parser_adapter.h"
#include "server/handlers_entities.h"

namespace tidemark::server {
namespace {

namespace json = boost::json;

HttpResponse Respond(const absl::StatusOr<HttpResponse>& r) {
  return r.ok() ? *r : ErrorFromStatus(r.status());
}

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
  return JsonResponse(r.written > 0 ? 201 : 200, json::serialize(out));
}

absl::StatusOr<HttpResponse> PostTrino(const ingest::TrinoEventIngestor& ingestor,
                                       HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginFor(request, v1::TRINO));
  ASSIGN_OR_RETURN(ingest::TrinoIngestResult r, ingestor.IngestJson(request.body, origin));
  json::object out{{"events", r.events},
                   {"failedQueries", r.failed_queries},
                   {"written", r.written},
                   {"unchanged", r.unchanged}};
  return JsonResponse(r.written > 0 ? 201 : 200, json::serialize(out));
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
  return JsonResponse(200, json::serialize(out));
}

}  // namespace

void AddIngestEngineRoutes(Router& router, catalog::CatalogService& catalog) {
  auto parser = ingest::MakeSqlLineageParser(&catalog);
  auto openlineage = std::make_shared<ingest::OpenLineageIngestor>(
      catalog, ingest::OpenLineageIngestOptions{.sql_parser = parser});
  auto trino = std::make_shared<ingest::TrinoEventIngestor>(catalog);
  auto query_log = std::make_shared<ingest::QueryLogIngestor>(
      catalog, ingest::QueryLogOptions{.parser = parser});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/lineage",
      .summary = "Ingest OpenLineage events (Marquez-compatible): one event or an array, all or "
                 "nothing",
      .params = {},
      .request_body = "An OpenLineage RunEvent, DatasetEvent or JobEvent, or a JSON array of them",
      .handler = [openlineage](HttpRequest& r) {
        return Respond(PostOpenLineage(*openlineage, r));
      }});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/ingest/trino/query-completed",
      .summary = "Ingest Trino QueryCompletedEvents (HTTP event listener): lineage and usage",
      .params = {},
      .request_body = "A QueryCompletedEvent, or a JSON array of them",
      .handler = [trino](HttpRequest& r) { return Respond(PostTrino(*trino, r)); }});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/ingest/query-log",
      .summary = "Ingest a batch of query-log records: lineage through the SQL parser plus usage; "
                 "bad records are reported, never fatal",
      .params = {},
      .request_body = "{\"queries\":[{\"sql\",\"user\",\"timestamp\",\"default_catalog\","
                      "\"default_schema\",\"dialect\",\"query_id\"}]}",
      .handler = [query_log](HttpRequest& r) { return Respond(PostQueryLog(*query_log, r)); }});
}

}  // namespace tidemark::server
