// Routes of the entity API, change log, health, metrics and OpenAPI document. Handlers parse and
// validate the request, call one catalog/query function and map the result; they never touch
// sockets.
#pragma once

#include <cstdint>
#include <functional>

#include "catalog/catalog_service.h"
#include "server/metrics.h"
#include "server/router.h"

namespace tidemark::server {

struct EntityRouteOptions {
  int max_batch_writes = 10000;
  // The entity view (a JSON object) of a schemaField URN, which has no aspects of its own, e.g.
  // query::SchemaFieldJson; when unset, GET of a field URN is 404.
  std::function<absl::StatusOr<std::string>(const common::Urn& field)> field_view;
};

void AddEntityRoutes(Router& router, catalog::CatalogService& catalog,
                     EntityRouteOptions options = {});
// /healthz, /metrics and /openapi.json (built from `router` on each call, so it lists every route).
void AddServiceRoutes(Router& router, catalog::CatalogService& catalog, Metrics& metrics);

// The write origin of a request: actor from the caller, source from X-Tidemark-Source (default
// manual: a person with curl), run id from X-Tidemark-Run-Id. InvalidArgument on an unknown source.
absl::StatusOr<catalog::WriteOrigin> OriginOf(const HttpRequest& request);
// Parses a batch body ({"writes":[{urn, aspect, value}]} or a bare array) into normalised writes;
// InvalidArgument names the index of the bad item. Also used to load seed files.
absl::StatusOr<std::vector<catalog::AspectWrite>> ParseBatchWrites(
    const catalog::AspectRegistry& registry, std::string_view body, int max_writes);
// Parses a URN path parameter; InvalidArgument naming the parameter.
absl::StatusOr<common::Urn> UrnParam(const HttpRequest& request, std::string_view name);
// Parses an integer query parameter within [min, max]; `fallback` when absent.
absl::StatusOr<int64_t> IntQuery(const HttpRequest& request, std::string_view name,
                                 int64_t fallback, int64_t min, int64_t max);

}  // namespace tidemark::server
