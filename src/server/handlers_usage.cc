// Usage routes; see handlers_usage.h.
#include "server/handlers_usage.h"

#include <boost/json.hpp>

#include "common/status_macros.h"
#include "common/time.h"
#include "ingest/usage/usage_ranking.h"
#include "server/handlers_entities.h"

namespace tidemark::server {
namespace {

namespace json = boost::json;

std::string IsoTime(int64_t micros) {
  return common::FormatRfc3339(micros, common::FractionDigits::kMillis);
}

json::object RankedJson(const ingest::RankedDataset& d, int64_t rank) {
  const v1::DatasetUsage& u = d.summary;
  json::array users;
  for (const auto& user : u.top_users()) {
    users.push_back(json::object{{"user", user.user()}, {"queries", user.queries()}});
  }
  json::object o{{"rank", rank},
                 {"urn", d.urn},
                 {"queries", u.queries()},
                 {"distinctUsers", u.distinct_users()},
                 {"writes", u.writes()},
                 {"windowDays", u.window_days()},
                 {"topUsers", std::move(users)}};
  if (auto urn = common::Urn::Parse(d.urn); urn.ok()) {
    o["platform"] = urn->PlatformName();
    o["name"] = urn->DatasetName();
  }
  if (u.last_queried_micros() > 0) {
    o["lastQueriedMicros"] = u.last_queried_micros();
    o["lastQueried"] = IsoTime(u.last_queried_micros());
  }
  return o;
}

absl::StatusOr<HttpResponse> TopUsage(const catalog::CatalogService& catalog,
                                      HttpRequest& request) {
  ingest::UsageTopQuery query;
  ASSIGN_OR_RETURN(query.order, ingest::ParseUsageOrder(request.Query("order", "queries")));
  ASSIGN_OR_RETURN(int64_t limit, IntQuery(request, "limit", 20, 1, ingest::kUsageTopMaxLimit));
  query.limit = static_cast<int>(limit);
  query.platform = request.Query("platform");
  query.cursor = request.Query("cursor");
  ASSIGN_OR_RETURN(ingest::UsageTopPage page, ingest::TopDatasets(catalog, query));
  json::array datasets;
  int64_t rank = page.first_rank;
  for (const auto& d : page.datasets) datasets.push_back(RankedJson(d, rank++));
  json::object out{{"order", std::string(ingest::UsageOrderName(query.order))},
                   {"datasets", std::move(datasets)}};
  if (!query.platform.empty()) out["platform"] = query.platform;
  if (!page.next_cursor.empty()) out["nextCursor"] = page.next_cursor;
  return JsonResponse(200, json::serialize(out));
}

}  // namespace

void AddUsageRoutes(Router& router, const catalog::CatalogService& catalog) {
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/usage/top",
      .summary = "Datasets ranked by usage (datasetUsage summary: queries in the dataset's "
                 "30-day window, distinct users or last query), most first, with cursor paging; "
                 "read from an index, no dataset scan",
      .params = {{"order", "query", "queries (default), users or recent"},
                 {"platform", "query", "Only datasets of this platform, e.g. trino"},
                 {"limit", "query", "1..1000 (default 20)", false, "integer"},
                 {"cursor", "query", "nextCursor of the previous page (same order and platform)"}},
      .request_body = "",
      .handler = [&catalog](HttpRequest& r) { return TopUsage(catalog, r); }});
}

}  // namespace tidemark::server
