// Routes of the lineage API: traversal, paths, impact and the Marquez-compatible graph reads.
//
//   GET /api/v1/lineage/{urn}     ?direction=upstream|downstream|both &depth=N (-1 unlimited)
//                                 &level=dataset|column &max_nodes=M &platform=P &type=T &at=TIME
//   GET /api/v1/lineage/path      ?from=URN &to=URN [&all=true &max_paths=K &depth=N &at=TIME]
//   GET /api/v1/impact/{urn}      ?depth=N &max_nodes=M &at=TIME
//   GET /api/v1/lineage           ?nodeId=dataset:NS:NAME|job:NS:NAME &depth=N        (Marquez)
//   GET /api/v1/column-lineage    ?nodeId=datasetField:NS:NAME:FIELD|dataset:NS:NAME &depth=N
//                                 &withDownstream=true|false                           (Marquez)
// TIME is RFC 3339 ("2024-05-01T12:00:00Z") or epoch milliseconds. Bad parameters → 400 naming the
// parameter; unknown entities → 404. Handlers are thin: parse, call LineageService, render with
// src/query/lineage_json.
//
// The services are borrowed and must outlive the router. Handlers are thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "lineage/lineage_service.h"
#include "server/router.h"

namespace tidemark::server {

void AddLineageRoutes(Router& router, lineage::LineageService& lineage,
                      catalog::CatalogService& catalog);

// RFC 3339 or epoch milliseconds → epoch microseconds; InvalidArgument naming `param`.
absl::StatusOr<int64_t> ParseTimestampMicros(std::string_view param, std::string_view text);

}  // namespace tidemark::server
