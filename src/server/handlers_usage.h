// Routes of the usage read side (src/ingest/usage/usage_ranking):
//
//   GET /api/v1/usage/top?limit=N&platform=P&order=queries|users|recent&cursor=C
//       datasets ranked by their datasetUsage summary (queries in the dataset's 30-day window,
//       distinct users, or the time of the last query), most first, with their counts and top
//       users, and a nextCursor while more remain. One index range scan per page: no dataset is
//       read. Soft-deleted datasets are left out. Bad parameters → 400 naming the parameter.
//
// The catalog is borrowed and must outlive the router; the usage ranking must be attached to it
// (ingest::AttachUsageRanking) for the answers to be current. Handlers are thread-safe.
#pragma once

#include "catalog/catalog_service.h"
#include "server/router.h"

namespace tidemark::server {

void AddUsageRoutes(Router& router, const catalog::CatalogService& catalog);

}  // namespace tidemark::server
