// Ingestion run routes and POST /api/v1/ingest/dbt; see handlers_ingest_code.h. Each handler parses
// the request, calls one ingest::RunService function and maps the result.
#include "server/handlers_ingest_code.h"

#include <google/protobuf/util/json_util.h>

#include <boost/json.hpp>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "ingest/dbt/dbt_mapper.h"
#include "ingest/runs/run_service.h"
#include "server/handlers_entities.h"

namespace tidemark::server {
namespace {

namespace json = boost::json;
using ingest::RunService;

HttpResponse RunResponse(int status, const v1::IngestRun& run) {
  return JsonResponse(status, catalog::AspectRegistry::ToJson(run));
}

// The body as a JSON object; an empty body is an empty object (a bare POST .../finish).
absl::StatusOr<json::object> ReadJsonObjectOrEmpty(const HttpRequest& request) {
  if (request.body.empty()) return json::object();
  return ReadJsonObject(request);
}

absl::StatusOr<std::string> StringOrEmpty(const json::object& object, std::string_view key,
                                          std::string_view path = "") {
  ASSIGN_OR_RETURN(std::optional<std::string> value, common::OptionalString(object, key, path));
  return value.value_or("");
}

// {"errors":[{path,message}],"failed":bool,"properties":{k:"v"}}; non-string properties are
// ignored.
absl::StatusOr<ingest::RunOutcome> OutcomeOf(const json::object& body) {
  ingest::RunOutcome outcome;
  ASSIGN_OR_RETURN(const json::array* errors, common::OptionalArray(body, "errors", ""));
  if (errors != nullptr) {
    for (size_t i = 0; i < errors->size(); ++i) {
      const std::string path = absl::StrCat("errors[", i, "]");
      ASSIGN_OR_RETURN(const json::object* item, common::AsObject((*errors)[i], path));
      v1::IngestError error;
      ASSIGN_OR_RETURN(*error.mutable_path(), StringOrEmpty(*item, "path", path));
      ASSIGN_OR_RETURN(*error.mutable_message(), StringOrEmpty(*item, "message", path));
      outcome.errors.push_back(std::move(error));
    }
  }
  ASSIGN_OR_RETURN(std::optional<bool> failed, common::OptionalBool(body, "failed", ""));
  outcome.failed = failed.value_or(false);
  ASSIGN_OR_RETURN(const json::object* properties, common::OptionalObject(body, "properties", ""));
  if (properties != nullptr) {
    for (const auto& kv : *properties) {
      if (kv.value().is_string()) {
        outcome.properties.emplace_back(std::string(kv.key()), std::string(kv.value().as_string()));
      }
    }
  }
  return outcome;
}

// The text of a dbt artifact given either as a JSON object or as a string holding JSON.
std::string ArtifactText(const json::object& body, const char* key) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

absl::StatusOr<HttpResponse> PostRun(RunService& runs, HttpRequest& request) {
  ASSIGN_OR_RETURN(json::object body, ReadJsonObject(request));
  ASSIGN_OR_RETURN(std::string source, StringOrEmpty(body, "source"));
  ASSIGN_OR_RETURN(std::string target, StringOrEmpty(body, "target"));
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(v1::IngestRun run, runs.Begin(source, std::move(target), origin.actor));
  return RunResponse(201, run);
}

absl::StatusOr<HttpResponse> ListRuns(RunService& runs, HttpRequest& request) {
  ASSIGN_OR_RETURN(int64_t limit, IntQuery(request, "limit", 50, 1, 1000));
  ASSIGN_OR_RETURN(auto list, runs.List(static_cast<int>(limit), request.Query("source")));
  std::string out = "{\"runs\":[";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ",";
    out += catalog::AspectRegistry::ToJson(list[i]);
  }
  out += "]}";
  return JsonResponse(200, std::move(out));
}

absl::StatusOr<HttpResponse> GetRun(RunService& runs, HttpRequest& request) {
  ASSIGN_OR_RETURN(v1::IngestRun run, runs.Get(request.path_params.at("id")));
  return RunResponse(200, run);
}

absl::StatusOr<HttpResponse> PostRunWrites(RunService& runs, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(v1::IngestRun run,
                   runs.AddWrites(request.path_params.at("id"), request.body, std::move(origin)));
  return RunResponse(200, run);
}

absl::StatusOr<HttpResponse> FinishRun(RunService& runs, HttpRequest& request) {
  ASSIGN_OR_RETURN(json::object body, ReadJsonObjectOrEmpty(request));
  ASSIGN_OR_RETURN(ingest::RunOutcome outcome, OutcomeOf(body));
  ASSIGN_OR_RETURN(v1::IngestRun run, runs.Finish(request.path_params.at("id"), outcome));
  return RunResponse(200, run);
}

absl::StatusOr<HttpResponse> GetCursor(RunService& runs, HttpRequest& request) {
  const std::string& key = request.path_params.at("key");
  ASSIGN_OR_RETURN(auto cursor, runs.GetCursor(key));
  if (!cursor.has_value()) return absl::NotFoundError(absl::StrCat("no ingest cursor '", key, "'"));
  return JsonResponse(200, catalog::AspectRegistry::ToJson(*cursor));
}

absl::StatusOr<HttpResponse> PutCursor(RunService& runs, HttpRequest& request) {
  v1::IngestCursor cursor;
  auto parsed = google::protobuf::util::JsonStringToMessage(request.body, &cursor);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("bad cursor: ", std::string(parsed.message())));
  }
  cursor.set_key(request.path_params.at("key"));
  RETURN_IF_ERROR(runs.PutCursor(cursor));
  return JsonResponse(200, catalog::AspectRegistry::ToJson(cursor));
}

absl::StatusOr<HttpResponse> IngestDbt(RunService& runs, HttpRequest& request) {
  ASSIGN_OR_RETURN(json::object body, ReadJsonObject(request));
  ingest::DbtArtifacts artifacts;
  artifacts.manifest = ArtifactText(body, "manifest");
  artifacts.catalog = ArtifactText(body, "catalog");
  artifacts.run_results = ArtifactText(body, "run_results");
  if (artifacts.manifest.empty()) return absl::InvalidArgumentError("\"manifest\" is required");
  ingest::DbtOptions options;
  ASSIGN_OR_RETURN(options.platform, StringOrEmpty(body, "platform"));
  ASSIGN_OR_RETURN(options.repository, StringOrEmpty(body, "repository"));
  ASSIGN_OR_RETURN(options.commit, StringOrEmpty(body, "commit"));
  ASSIGN_OR_RETURN(std::string target, StringOrEmpty(body, "target"));
  ASSIGN_OR_RETURN(ingest::Mapping mapping, ingest::MapDbtArtifacts(artifacts, options));
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(v1::IngestRun done,
                   runs.IngestMapping("dbt", target.empty() ? "POST /api/v1/ingest/dbt" : target,
                                      mapping, origin));
  return RunResponse(200, done);
}

}  // namespace

void AddIngestCodeRoutes(Router& router, catalog::CatalogService& catalog,
                         std::shared_ptr<ingest::RunStore> store) {
  auto runs = std::make_shared<RunService>(catalog, std::move(store));
  const ParamDoc id{"id", "path", "Ingest run id", true};
  router.Add(
      RouteSpec{.method = "POST",
                .pattern = "/api/v1/ingest/runs",
                .summary = "Open an ingestion run",
                .params = {},
                .request_body = R"({"source":"dbt|repo|postgres|...","target":"what is read"})",
                .handler = [runs](HttpRequest& r) { return PostRun(*runs, r); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/ingest/runs",
      .summary = "List ingestion runs, newest first",
      .params = {{"source", "query", "Only runs of this source (dbt, repo, postgres, ...)"},
                 {"limit", "query", "1..1000 (default 50)", false, "integer"}},
      .request_body = "",
      .handler = [runs](HttpRequest& r) { return ListRuns(*runs, r); }});
  router.Add(RouteSpec{.method = "GET",
                       .pattern = "/api/v1/ingest/runs/{id}",
                       .summary = "One ingestion run",
                       .params = {id},
                       .request_body = "",
                       .handler = [runs](HttpRequest& r) { return GetRun(*runs, r); }});
  router.Add(
      RouteSpec{.method = "POST",
                .pattern = "/api/v1/ingest/runs/{id}/writes",
                .summary = "Write a batch of aspects for an open run (bad items become run errors)",
                .params = {id},
                .request_body = R"({"writes":[{"urn":"...","aspect":"...","value":{...}}]})",
                .handler = [runs](HttpRequest& r) { return PostRunWrites(*runs, r); }});
  router.Add(
      RouteSpec{.method = "POST",
                .pattern = "/api/v1/ingest/runs/{id}/finish",
                .summary = "Close an ingestion run",
                .params = {id},
                .request_body =
                    R"({"errors":[{"path":"...","message":"..."}],"failed":false,"properties":{}})",
                .handler = [runs](HttpRequest& r) { return FinishRun(*runs, r); }});
  router.Add(RouteSpec{.method = "GET",
                       .pattern = "/api/v1/ingest/cursors/{key}",
                       .summary = "Incremental state of an ingest source",
                       .params = {{"key", "path", "Cursor key, e.g. repo:<url>", true}},
                       .request_body = "",
                       .handler = [runs](HttpRequest& r) { return GetCursor(*runs, r); }});
  router.Add(RouteSpec{.method = "PUT",
                       .pattern = "/api/v1/ingest/cursors/{key}",
                       .summary = "Store the incremental state of a source",
                       .params = {{"key", "path", "Cursor key", true}},
                       .request_body = R"({"revision":"...","stateJson":"...","runId":"..."})",
                       .handler = [runs](HttpRequest& r) { return PutCursor(*runs, r); }});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/ingest/dbt",
      .summary = "Ingest dbt artifacts (manifest, optional catalog and run_results) as one run",
      .params = {},
      .request_body =
          R"({"manifest":{...},"catalog":{...},"run_results":{...},"platform":"","repository":"","commit":""})",
      .handler = [runs](HttpRequest& r) { return IngestDbt(*runs, r); }});
}

}  // namespace tidemark::server
