// Entity API handlers: reads, versioned writes, atomic batches, deletes, listings, change log.
#include "server/handlers_entities.h"

#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "query/entity_listing.h"
#include "server/openapi.h"
#include "tidemark/v1/audit.pb.h"

namespace tidemark::server {

namespace json = boost::json;
using common::Urn;

namespace {

json::value AuditJson(const v1::WriteContext& written) {
  json::object o;
  o["actor"] = written.actor();
  o["timeMicros"] = written.time_micros();
  o["source"] = absl::AsciiStrToLower(v1::SourceKind_Name(written.source()));
  if (!written.run_id().empty()) o["runId"] = written.run_id();
  return o;
}

json::value AspectJson(const catalog::VersionedAspect& a) {
  json::object o;
  o["version"] = a.version;
  o["value"] = json::parse(catalog::AspectRegistry::ToJson(*a.value));
  o["written"] = AuditJson(a.written);
  o["changeSeq"] = a.change_seq;
  return o;
}

json::value WriteResultJson(const catalog::WriteResult& r) {
  json::object o;
  o["urn"] = r.aspect.urn.ToString();
  o["aspect"] = r.aspect.aspect;
  o["version"] = r.aspect.version;
  o["unchanged"] = r.unchanged;
  return o;
}

absl::StatusOr<HttpResponse> GetEntity(catalog::CatalogService& catalog,
                                       const EntityRouteOptions& options, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn urn, UrnParam(request, "urn"));
  if (urn.entity_type() == "schemaField" && options.field_view) {
    ASSIGN_OR_RETURN(std::string view, options.field_view(urn));
    return JsonResponse(200, std::move(view));
  }
  ASSIGN_OR_RETURN(auto aspects, catalog.GetEntity(urn));
  json::object out, by_name;
  out["urn"] = urn.ToString();
  out["type"] = urn.entity_type();
  for (const auto& a : aspects) by_name[a.aspect] = AspectJson(a);
  ASSIGN_OR_RETURN(out["removed"], catalog.IsRemoved(urn));
  out["aspects"] = std::move(by_name);
  return JsonValueResponse(200, out);
}

absl::StatusOr<HttpResponse> GetAspect(catalog::CatalogService& catalog, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn urn, UrnParam(request, "urn"));
  std::optional<int64_t> version;
  if (!request.Query("version").empty()) {
    ASSIGN_OR_RETURN(version, IntQuery(request, "version", 0, 1, INT64_MAX));
  }
  ASSIGN_OR_RETURN(auto aspect, catalog.GetAspect(urn, request.path_params.at("aspect"), version));
  json::value out = AspectJson(aspect);
  out.as_object()["urn"] = urn.ToString();
  out.as_object()["aspect"] = aspect.aspect;
  return JsonValueResponse(200, out);
}

absl::StatusOr<HttpResponse> GetHistory(catalog::CatalogService& catalog, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn urn, UrnParam(request, "urn"));
  ASSIGN_OR_RETURN(int64_t limit, IntQuery(request, "limit", 50, 1, 1000));
  ASSIGN_OR_RETURN(int64_t before, IntQuery(request, "before", 0, 0, INT64_MAX));
  ASSIGN_OR_RETURN(auto versions, catalog.GetHistory(urn, request.path_params.at("aspect"),
                                                     static_cast<int>(limit), before));
  json::array items;
  for (const auto& v : versions) items.push_back(AspectJson(v));
  json::object out;
  out["urn"] = urn.ToString();
  out["aspect"] = request.path_params.at("aspect");
  out["versions"] = std::move(items);
  if (static_cast<int64_t>(versions.size()) == limit && versions.back().version > 1) {
    out["nextBefore"] = versions.back().version;
  }
  return JsonValueResponse(200, out);
}

absl::StatusOr<HttpResponse> PutAspect(catalog::CatalogService& catalog, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn urn, UrnParam(request, "urn"));
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  const std::string& aspect = request.path_params.at("aspect");
  ASSIGN_OR_RETURN(auto value, catalog.registry().FromJson(urn, aspect, request.body));
  std::vector<catalog::AspectWrite> writes;
  writes.push_back({urn, aspect, std::move(value)});
  ASSIGN_OR_RETURN(auto results, catalog.Write(std::move(writes), origin));
  return JsonValueResponse(results.front().unchanged ? 200 : 201, WriteResultJson(results.front()));
}

absl::StatusOr<HttpResponse> BatchWrite(catalog::CatalogService& catalog,
                                        const EntityRouteOptions& options, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(auto writes,
                   ParseBatchWrites(catalog.registry(), request.body, options.max_batch_writes));
  ASSIGN_OR_RETURN(auto results, catalog.Write(std::move(writes), origin));
  json::array out;
  for (const auto& r : results) out.push_back(WriteResultJson(r));
  return JsonValueResponse(200, json::object{{"results", std::move(out)}});
}

absl::StatusOr<HttpResponse> DeleteEntity(catalog::CatalogService& catalog, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn urn, UrnParam(request, "urn"));
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  std::string hard = request.Query("hard", "false");
  if (hard != "true" && hard != "false")
    return absl::InvalidArgumentError("hard must be true or false");
  if (hard == "true") {
    RETURN_IF_ERROR(catalog.Purge(urn, origin));
    return JsonValueResponse(200, json::object{{"urn", urn.ToString()}, {"purged", true}});
  }
  ASSIGN_OR_RETURN(auto result, catalog.SoftDelete(urn, origin));
  json::value out = WriteResultJson(result);
  out.as_object()["removed"] = true;
  return JsonValueResponse(200, out);
}

absl::StatusOr<HttpResponse> ListEntities(catalog::CatalogService& catalog, HttpRequest& request) {
  query::ListQuery q;
  q.type = request.Query("type");
  q.platform = request.Query("platform");
  q.review = request.Query("review");
  for (auto [name, field] : {std::pair{"owner", &q.owner}, {"tag", &q.tag}, {"term", &q.term}}) {
    std::string text = request.Query(name);
    if (text.empty()) continue;
    auto urn = Urn::Parse(text);
    if (!urn.ok())
      return absl::InvalidArgumentError(absl::StrCat(name, ": ", urn.status().message()));
    *field = urn->ToString();
  }
  std::string removed = request.Query("include_removed", "false");
  if (removed != "true" && removed != "false") {
    return absl::InvalidArgumentError("include_removed must be true or false");
  }
  q.include_removed = removed == "true";
  ASSIGN_OR_RETURN(int64_t limit, IntQuery(request, "limit", 50, 1, 1000));
  q.limit = static_cast<int>(limit);
  q.cursor = request.Query("cursor");
  ASSIGN_OR_RETURN(query::EntityPage page, query::ListEntities(catalog, q));
  json::array items;
  for (const auto& e : page.entities) {
    json::object o{{"urn", e.urn}, {"type", e.type}, {"name", e.name}};
    if (!e.platform.empty()) o["platform"] = e.platform;
    if (!e.description.empty()) o["description"] = e.description;
    if (e.removed) o["removed"] = true;
    items.push_back(std::move(o));
  }
  json::object out{{"entities", std::move(items)}};
  if (!page.next_cursor.empty()) out["nextCursor"] = page.next_cursor;
  return JsonValueResponse(200, out);
}

absl::StatusOr<HttpResponse> Changes(catalog::CatalogService& catalog, HttpRequest& request) {
  ASSIGN_OR_RETURN(int64_t since, IntQuery(request, "since", 0, 0, INT64_MAX));
  ASSIGN_OR_RETURN(int64_t limit, IntQuery(request, "limit", 100, 1, 10000));
  ASSIGN_OR_RETURN(auto page,
                   catalog.ReadChanges(static_cast<uint64_t>(since), static_cast<int>(limit)));
  json::array events;
  for (const auto& e : page.events) {
    json::object o{{"seq", e.seq()},
                   {"urn", e.urn()},
                   {"entityType", e.entity_type()},
                   {"changeType", v1::ChangeType_Name(e.type())},
                   {"batchSeq", e.batch_seq()},
                   {"written", AuditJson(e.context())}};
    if (!e.aspect().empty()) {
      o["aspect"] = e.aspect();
      o["version"] = e.version();
    }
    events.push_back(std::move(o));
  }
  return JsonValueResponse(200, json::object{{"events", std::move(events)},
                                             {"nextSince", page.next_since},
                                             {"latestSeq", page.latest_seq}});
}

absl::StatusOr<HttpResponse> Health(HttpRequest&) {
  return JsonResponse(200, R"({"status":"ok"})");
}

absl::StatusOr<HttpResponse> PrometheusMetrics(const Metrics& metrics, HttpRequest&) {
  HttpResponse response;
  response.content_type = "text/plain; version=0.0.4";
  response.body = metrics.RenderPrometheus();
  return response;
}

absl::StatusOr<HttpResponse> OpenApi(const Router& router, HttpRequest&) {
  return JsonResponse(200, BuildOpenApiJson(router, "tidemark", "1.0.0"));
}

}  // namespace

absl::StatusOr<std::vector<catalog::AspectWrite>> ParseBatchWrites(
    const catalog::AspectRegistry& registry, std::string_view text, int max_writes) {
  ASSIGN_OR_RETURN(json::value body, common::ParseJson(text, "request body"));
  const json::array* items = body.if_array();
  if (items == nullptr && body.is_object() && body.as_object().contains("writes")) {
    items = body.as_object()["writes"].if_array();
  }
  if (items == nullptr) {
    return absl::InvalidArgumentError(
        R"(body must be {"writes":[{"urn","aspect","value"}, ...]} or an array)");
  }
  if (items->empty()) return absl::InvalidArgumentError("batch has no writes");
  if (static_cast<int>(items->size()) > max_writes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("batch has ", items->size(), " writes; the limit is ", max_writes));
  }
  std::vector<catalog::AspectWrite> writes;
  writes.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    const json::object* item = (*items)[i].if_object();
    auto where = [i](absl::string_view what) {
      return absl::StrCat("writes[", i, "]: ", std::string(what));
    };
    if (item == nullptr) return absl::InvalidArgumentError(where("must be an object"));
    const json::value* urn_text = item->if_contains("urn");
    const json::value* aspect = item->if_contains("aspect");
    const json::value* value = item->if_contains("value");
    if (urn_text == nullptr || !urn_text->is_string())
      return absl::InvalidArgumentError(where("urn must be a string"));
    if (aspect == nullptr || !aspect->is_string())
      return absl::InvalidArgumentError(where("aspect must be a string"));
    if (value == nullptr || !value->is_object())
      return absl::InvalidArgumentError(where("value must be an object"));
    auto urn = Urn::Parse(urn_text->as_string());
    if (!urn.ok()) return absl::InvalidArgumentError(where(urn.status().message()));
    auto message = registry.FromJson(*urn, aspect->as_string(), json::serialize(*value));
    if (!message.ok()) return absl::InvalidArgumentError(where(message.status().message()));
    writes.push_back({*std::move(urn), std::string(aspect->as_string()), *std::move(message)});
  }
  return writes;
}

absl::StatusOr<catalog::WriteOrigin> OriginOf(const HttpRequest& request) {
  catalog::WriteOrigin origin;
  origin.actor = Urn::CorpUser(request.caller).ToString();
  origin.source = v1::MANUAL;
  if (auto it = request.headers.find("x-tidemark-source"); it != request.headers.end()) {
    v1::SourceKind kind;
    if (!v1::SourceKind_Parse(absl::AsciiStrToUpper(it->second), &kind) ||
        kind == v1::SOURCE_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "X-Tidemark-Source '", it->second,
          "' is not one of manual, openlineage, trino, sql, dbt, repo, postgres, demo, api"));
    }
    origin.source = kind;
  }
  if (auto it = request.headers.find("x-tidemark-run-id"); it != request.headers.end()) {
    origin.run_id = it->second;
  }
  return origin;
}

absl::StatusOr<Urn> UrnParam(const HttpRequest& request, std::string_view name) {
  auto it = request.path_params.find(std::string(name));
  if (it == request.path_params.end())
    return absl::InvalidArgumentError(absl::StrCat("missing ", std::string(name)));
  return Urn::Parse(it->second);
}

absl::StatusOr<int64_t> IntQuery(const HttpRequest& request, std::string_view name,
                                 int64_t fallback, int64_t min, int64_t max) {
  std::string text = request.Query(name);
  if (text.empty()) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(name), " must be an integer, got '", text, "'"));
  }
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(name), " must be between ", min, " and ", max, ", got ", value));
  }
  return value;
}

void AddEntityRoutes(Router& router, catalog::CatalogService& catalog, EntityRouteOptions options) {
  const ParamDoc urn{"urn", "path", "Entity URN, percent-encoded", true};
  const ParamDoc aspect{"aspect", "path", "Aspect name, e.g. datasetProperties", true};
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/entities/{urn}",
      .summary = "All latest aspects of an entity (of a schemaField: its direct and propagated "
                 "assignments)",
      .params = {urn},
      .request_body = "",
      .handler = [&catalog, options](HttpRequest& r) { return GetEntity(catalog, options, r); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/entities/{urn}/aspects/{aspect}",
      .summary = "One aspect, latest or a given version",
      .params = {urn,
                 aspect,
                 {"version", "query", "Version number (default latest)", false, "integer"}},
      .request_body = "",
      .handler = [&catalog](HttpRequest& r) { return GetAspect(catalog, r); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/entities/{urn}/aspects/{aspect}/history",
      .summary = "Versions of an aspect, newest first",
      .params = {urn,
                 aspect,
                 {"limit", "query", "1..1000 (default 50)", false, "integer"},
                 {"before", "query", "Only versions below this one (paging)", false, "integer"}},
      .request_body = "",
      .handler = [&catalog](HttpRequest& r) { return GetHistory(catalog, r); }});
  router.Add(RouteSpec{.method = "PUT",
                       .pattern = "/api/v1/entities/{urn}/aspects/{aspect}",
                       .summary = "Upsert an aspect; returns the new version",
                       .params = {urn, aspect},
                       .request_body = "The aspect value as JSON (lowerCamelCase fields)",
                       .handler = [&catalog](HttpRequest& r) { return PutAspect(catalog, r); }});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/aspects:batch",
      .summary = "Write many aspects atomically",
      .params = {},
      .request_body = R"({"writes":[{"urn":"...","aspect":"...","value":{...}}]})",
      .handler = [&catalog, options](HttpRequest& r) { return BatchWrite(catalog, options, r); }});
  router.Add(
      RouteSpec{.method = "DELETE",
                .pattern = "/api/v1/entities/{urn}",
                .summary = "Soft-delete an entity (hard=true purges it)",
                .params = {urn, {"hard", "query", "true to remove every trace", false, "boolean"}},
                .request_body = "",
                .handler = [&catalog](HttpRequest& r) { return DeleteEntity(catalog, r); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/entities",
      .summary = "List entities with filters and cursor paging",
      .params = {{"type", "query", "Entity type, e.g. dataset"},
                 {"platform", "query", "Platform name, e.g. trino"},
                 {"owner", "query", "Owner URN"},
                 {"tag", "query", "Tag URN"},
                 {"term", "query", "Glossary term URN"},
                 {"review", "query", "Classification review state: pending_review or accepted"},
                 {"include_removed", "query", "Include soft-deleted entities", false, "boolean"},
                 {"limit", "query", "1..1000 (default 50)", false, "integer"},
                 {"cursor", "query", "nextCursor of the previous page"}},
      .request_body = "",
      .handler = [&catalog](HttpRequest& r) { return ListEntities(catalog, r); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/changes",
      .summary = "Ordered change events after a sequence number",
      .params = {{"since", "query", "Return events with seq > since (default 0)", false, "integer"},
                 {"limit", "query", "1..10000 (default 100)", false, "integer"}},
      .request_body = "",
      .handler = [&catalog](HttpRequest& r) { return Changes(catalog, r); }});
}

void AddServiceRoutes(Router& router, catalog::CatalogService& catalog, Metrics& metrics) {
  router.Add(RouteSpec{.method = "GET",
                       .pattern = "/healthz",
                       .summary = "Liveness and readiness",
                       .params = {},
                       .request_body = "",
                       .handler = Health});
  router.Add(
      RouteSpec{.method = "GET",
                .pattern = "/metrics",
                .summary = "Prometheus metrics",
                .params = {},
                .request_body = "",
                .handler = [&metrics](HttpRequest& r) { return PrometheusMetrics(metrics, r); }});
  router.Add(RouteSpec{.method = "GET",
                       .pattern = "/openapi.json",
                       .summary = "This OpenAPI 3 document",
                       .params = {},
                       .request_body = "",
                       .handler = [&router](HttpRequest& r) { return OpenApi(router, r); }});
  router.Add({"POST",
              "/api/v1/admin/backup",
              "Write a consistent checkpoint of the store to a new directory",
              {},
              R"({"to":"/absolute/path/that/does/not/exist"})",
              [&catalog](HttpRequest& request) -> absl::StatusOr<HttpResponse> {
                ASSIGN_OR_RETURN(json::object body, ReadJsonObject(request));
                absl::StatusOr<std::string> dir = common::RequiredString(body, "to", "");
                if (!dir.ok() || dir->front() != '/') {
                  return absl::InvalidArgumentError(
                      R"(body must be {"to":"/absolute/new/directory"})");
                }
                RETURN_IF_ERROR(catalog.Backup(*dir));
                return JsonValueResponse(200, json::object{{"backup", *dir}});
              }});
  metrics.AddGauge("tidemark_store_size_bytes", "Approximate bytes used by the RocksDB store",
                   [&catalog] { return static_cast<double>(catalog.ApproximateSizeBytes()); });
}

}  // namespace tidemark::server
