// Ingestion run routes and POST /api/v1/ingest/dbt; see handlers_ingest_code.h.
#include "server/handlers_ingest_code.h"

#include <google/protobuf/util/json_util.h>

#include <boost/json.hpp>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/dbt/dbt_mapper.h"
#include "ingest/runs/ingest_writer.h"
#include "ingest/runs/run_store.h"
#include "server/handlers_entities.h"

namespace tidemark::server {
namespace {

namespace json = boost::json;
using ingest::RunStore;

Handler Wrap(std::function<absl::StatusOr<HttpResponse>(HttpRequest&)> body) {
  return [body = std::move(body)](HttpRequest& request) {
    absl::StatusOr<HttpResponse> response = body(request);
    return response.ok() ? std::move(response).value() : ErrorFromStatus(response.status());
  };
}

std::string ParamOf(const HttpRequest& r, const std::string& name) {
  auto it = r.path_params.find(name);
  return it == r.path_params.end() ? std::string() : it->second;
}

absl::StatusOr<json::object> BodyObject(const HttpRequest& r) {
  if (r.body.empty()) return json::object();
  json::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("body is not JSON: ", ec.message()));
  if (!v.is_object()) return absl::InvalidArgumentError("body must be a JSON object");
  return std::move(v.as_object());
}

std::string StrField(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

absl::StatusOr<v1::SourceKind> SourceKindOf(const std::string& source) {
  v1::SourceKind kind;
  if (!v1::SourceKind_Parse(absl::AsciiStrToUpper(source), &kind) ||
      kind == v1::SOURCE_KIND_UNSPECIFIED || kind == v1::MANUAL) {
    return absl::InvalidArgumentError(absl::StrCat(
        "source '", source, "' is not one of openlineage, trino, sql, dbt, repo, postgres, api"));
  }
  return kind;
}

HttpResponse RunResponse(int status, const v1::IngestRun& run) {
  return JsonResponse(status, catalog::AspectRegistry::ToJson(run));
}

std::vector<v1::IngestError> ErrorsField(const json::object& o) {
  std::vector<v1::IngestError> errors;
  const json::value* v = o.if_contains("errors");
  if (v == nullptr || !v->is_array()) return errors;
  for (const json::value& e : v->as_array()) {
    if (!e.is_object()) continue;
    v1::IngestError err;
    err.set_path(StrField(e.as_object(), "path"));
    err.set_message(StrField(e.as_object(), "message"));
    errors.push_back(std::move(err));
  }
  return errors;
}

// Writes `writes` for the open run `run` and adds counts and errors to it.
absl::StatusOr<v1::IngestRun> WriteForRun(catalog::CatalogService& catalog, RunStore& runs,
                                          const HttpRequest& r, const v1::IngestRun& run,
                                          ingest::ParsedWrites parsed) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(r));
  ASSIGN_OR_RETURN(origin.source, SourceKindOf(run.source()));
  origin.run_id = run.id();
  ASSIGN_OR_RETURN(v1::IngestCounts counts,
                   ingest::WriteIngested(catalog, std::move(parsed.writes), origin));
  counts.set_aspects_rejected(static_cast<int64_t>(parsed.errors.size()));
  return runs.AddBatch(run.id(), counts, parsed.errors);
}

// The text of a dbt artifact given either as a JSON object or as a string holding JSON.
std::string ArtifactText(const json::object& body, const char* key) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

absl::StatusOr<HttpResponse> IngestDbt(catalog::CatalogService& catalog, RunStore& runs,
                                       HttpRequest& r) {
  ASSIGN_OR_RETURN(json::object body, BodyObject(r));
  ingest::DbtArtifacts artifacts;
  artifacts.manifest = ArtifactText(body, "manifest");
  artifacts.catalog = ArtifactText(body, "catalog");
  artifacts.run_results = ArtifactText(body, "run_results");
  if (artifacts.manifest.empty()) return absl::InvalidArgumentError("\"manifest\" is required");
  ingest::DbtOptions options;
  options.platform = StrField(body, "platform");
  options.repository = StrField(body, "repository");
  options.commit = StrField(body, "commit");
  ASSIGN_OR_RETURN(ingest::Mapping mapping, ingest::MapDbtArtifacts(artifacts, options));
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(r));
  std::string target = StrField(body, "target");
  ASSIGN_OR_RETURN(
      v1::IngestRun run,
      runs.Begin("dbt", target.empty() ? "POST /api/v1/ingest/dbt" : target, origin.actor));
  RETURN_IF_ERROR(runs.SetProperties(run.id(), mapping.properties));
  ingest::ParsedWrites parsed = ingest::ToAspectWrites(catalog.registry(), mapping.aspects);
  auto written = WriteForRun(catalog, runs, r, run, std::move(parsed));
  if (!written.ok()) {
    (void)runs.Finish(run.id(), {[&] {
                        v1::IngestError e;
                        e.set_message(std::string(written.status().message()));
                        return e;
                      }()},
                      /*failed=*/true);
    return written.status();
  }
  ASSIGN_OR_RETURN(v1::IngestRun done, runs.Finish(run.id(), mapping.errors, false));
  return RunResponse(200, done);
}

}  // namespace

void AddIngestCodeRoutes(Router& router, catalog::CatalogService& catalog,
                         std::shared_ptr<RunStore> runs) {
  const ParamDoc id{"id", "path", "Ingest run id", true};
  router.Add({"POST",
              "/api/v1/ingest/runs",
              "Open an ingestion run",
              {},
              R"({"source":"dbt|repo|postgres|...","target":"what is read"})",
              Wrap([&catalog, runs](HttpRequest& r) -> absl::StatusOr<HttpResponse> {
                ASSIGN_OR_RETURN(json::object body, BodyObject(r));
                const std::string source = absl::AsciiStrToLower(StrField(body, "source"));
                RETURN_IF_ERROR(SourceKindOf(source).status());
                ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(r));
                ASSIGN_OR_RETURN(v1::IngestRun run,
                                 runs->Begin(source, StrField(body, "target"), origin.actor));
                return RunResponse(201, run);
              })});
  router.Add({"GET",
              "/api/v1/ingest/runs",
              "List ingestion runs, newest first",
              {{"source", "query", "Only runs of this source (dbt, repo, postgres, ...)"},
               {"limit", "query", "1..1000 (default 50)", false, "integer"}},
              "",
              Wrap([runs](HttpRequest& r) -> absl::StatusOr<HttpResponse> {
                ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 50, 1, 1000));
                ASSIGN_OR_RETURN(auto list, runs->List(static_cast<int>(limit), r.Query("source")));
                std::string out = "{\"runs\":[";
                for (size_t i = 0; i < list.size(); ++i) {
                  if (i > 0) out += ",";
                  out += catalog::AspectRegistry::ToJson(list[i]);
                }
                out += "]}";
                return JsonResponse(200, std::move(out));
              })});
  router.Add({"GET",
              "/api/v1/ingest/runs/{id}",
              "One ingestion run",
              {id},
              "",
              Wrap([runs](HttpRequest& r) -> absl::StatusOr<HttpResponse> {
                ASSIGN_OR_RETURN(v1::IngestRun run, runs->Get(ParamOf(r, "id")));
                return RunResponse(200, run);
              })});
  router.Add({"POST",
              "/api/v1/ingest/runs/{id}/writes",
              "Write a batch of aspects for an open run (bad items become run errors)",
              {id},
              R"({"writes":[{"urn":"...","aspect":"...","value":{...}}]})",
              Wrap([&catalog, runs](HttpRequest& r) -> absl::StatusOr<HttpResponse> {
                ASSIGN_OR_RETURN(v1::IngestRun run, runs->Get(ParamOf(r, "id")));
                if (run.state() != v1::RUNNING) {
                  return absl::FailedPreconditionError(
                      absl::StrCat("ingest run '", run.id(), "' is finished"));
                }
                ASSIGN_OR_RETURN(ingest::ParsedWrites parsed,
                                 ingest::ParseWritesTolerant(catalog.registry(), r.body));
                ASSIGN_OR_RETURN(v1::IngestRun updated,
                                 WriteForRun(catalog, *runs, r, run, std::move(parsed)));
                return RunResponse(200, updated);
              })});
  router.Add({"POST",
              "/api/v1/ingest/runs/{id}/finish",
              "Close an ingestion run",
              {id},
              R"({"errors":[{"path":"...","message":"..."}],"failed":false,"properties":{}})",
              Wrap([runs](HttpRequest& r) -> absl::StatusOr<HttpResponse> {
                ASSIGN_OR_RETURN(json::object body, BodyObject(r));
                const std::string run_id = ParamOf(r, "id");
                if (const json::value* p = body.if_contains("properties"); p && p->is_object()) {
                  std::vector<std::pair<std::string, std::string>> props;
                  for (const auto& kv : p->as_object()) {
                    if (kv.value().is_string()) {
                      props.emplace_back(std::string(kv.key()),
                                         std::string(kv.value().as_string()));
                    }
                  }
                  RETURN_IF_ERROR(runs->SetProperties(run_id, props));
                }
                const json::value* failed = body.if_contains("failed");
                ASSIGN_OR_RETURN(v1::IngestRun run,
                                 runs->Finish(run_id, ErrorsField(body),
                                              failed && failed->is_bool() && failed->as_bool()));
                return RunResponse(200, run);
              })});
  router.Add({"GET",
              "/api/v1/ingest/cursors/{key}",
              "Incremental state of an ingest source",
              {{"key", "path", "Cursor key, e.g. repo:<url>", true}},
              "",
              Wrap([runs](HttpRequest& r) -> absl::StatusOr<HttpResponse> {
                const std::string key = ParamOf(r, "key");
                ASSIGN_OR_RETURN(auto cursor, runs->GetCursor(key));
                if (!cursor.has_value()) {
                  return absl::NotFoundError(absl::StrCat("no ingest cursor '", key, "'"));
                }
                return JsonResponse(200, catalog::AspectRegistry::ToJson(*cursor));
              })});
  router.Add({"PUT",
              "/api/v1/ingest/cursors/{key}",
              "Store the incremental state of a source",
              {{"key", "path", "Cursor key", true}},
              R"({"revision":"...","stateJson":"...","runId":"..."})",
              Wrap([runs](HttpRequest& r) -> absl::StatusOr<HttpResponse> {
                v1::IngestCursor cursor;
                auto parsed = google::protobuf::util::JsonStringToMessage(r.body, &cursor);
                if (!parsed.ok()) {
                  return absl::InvalidArgumentError(
                      absl::StrCat("bad cursor: ", std::string(parsed.message())));
                }
                cursor.set_key(ParamOf(r, "key"));
                RETURN_IF_ERROR(runs->PutCursor(cursor));
                return JsonResponse(200, catalog::AspectRegistry::ToJson(cursor));
              })});
  router.Add(
      {"POST",
       "/api/v1/ingest/dbt",
       "Ingest dbt artifacts (manifest, optional catalog and run_results) as one run",
       {},
       R"({"manifest":{...},"catalog":{...},"run_results":{...},"platform":"","repository":"","commit":""})",
       Wrap([&catalog, runs](HttpRequest& r) { return IngestDbt(catalog, *runs, r); })});
}

}  // namespace tidemark::server
