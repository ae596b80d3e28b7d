// Lineage routes; see handlers_lineage.h.
#include "server/handlers_lineage.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/status_macros.h"
#include "common/time.h"
#include "lineage/openlineage_naming.h"
#include "query/lineage_json.h"
#include "server/handlers_entities.h"

namespace tidemark::server {
namespace {

using common::Urn;

std::string Cat3(std::string_view a, std::string_view b, std::string_view c) {
  std::string out(a);
  out.append(b);
  out.append(c);
  return out;
}

absl::Status BadParam(std::string_view param, std::string_view problem) {
  return absl::InvalidArgumentError(Cat3(param, " ", problem));
}

absl::StatusOr<bool> BoolQuery(const HttpRequest& request, std::string_view name, bool fallback) {
  const std::string text = request.Query(name);
  if (text.empty()) return fallback;
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return BadParam(name, Cat3("must be true or false, got '", text, "'"));
}

absl::StatusOr<Urn> UrnQuery(const HttpRequest& request, std::string_view name) {
  const std::string text = request.Query(name);
  if (text.empty()) return BadParam(name, "is required");
  absl::StatusOr<Urn> urn = Urn::Parse(text);
  if (!urn.ok())
    return BadParam(name, Cat3("is not a valid URN: ", std::string(urn.status().message()), ""));
  return urn;
}

absl::StatusOr<int64_t> AtQuery(const HttpRequest& request) {
  const std::string text = request.Query("at");
  if (text.empty()) return 0;
  return ParseTimestampMicros("at", text);
}

absl::StatusOr<lineage::TraversalOptions> TraversalOptionsOf(const HttpRequest& request,
                                                             const Urn& urn) {
  lineage::TraversalOptions options;
  const std::string direction = request.Query("direction", "downstream");
  if (direction == "upstream") {
    options.direction = lineage::Direction::kUpstream;
  } else if (direction == "downstream") {
    options.direction = lineage::Direction::kDownstream;
  } else if (direction == "both") {
    options.direction = lineage::Direction::kBoth;
  } else {
    return BadParam("direction",
                    Cat3("must be upstream, downstream or both, got '", direction, "'"));
  }
  const bool is_field = urn.entity_type() == "schemaField";
  const std::string level = request.Query("level", is_field ? "column" : "dataset");
  if (level == "dataset") {
    if (is_field) return BadParam("level", "must be column for a schemaField URN");
    options.level = lineage::Level::kDataset;
  } else if (level == "column") {
    options.level = lineage::Level::kColumn;
  } else {
    return BadParam("level", Cat3("must be dataset or column, got '", level, "'"));
  }
  ASSIGN_OR_RETURN(int64_t depth, IntQuery(request, "depth", -1, -1, 1'000'000));
  ASSIGN_OR_RETURN(int64_t max_nodes, IntQuery(request, "max_nodes", 1000, 1, 1'000'000));
  options.max_depth = static_cast<int>(depth);
  options.max_nodes = static_cast<int>(max_nodes);
  options.platform = request.Query("platform");
  options.entity_type = request.Query("type");
  ASSIGN_OR_RETURN(options.at_micros, AtQuery(request));
  return options;
}

absl::StatusOr<HttpResponse> Traverse(lineage::LineageService& lineage, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn urn, UrnParam(request, "urn"));
  ASSIGN_OR_RETURN(lineage::TraversalOptions options, TraversalOptionsOf(request, urn));
  ASSIGN_OR_RETURN(lineage::TraversalResult result, lineage.Traverse(urn, options));
  return JsonResponse(200, query::TraversalToJson(result));
}

absl::StatusOr<HttpResponse> Paths(lineage::LineageService& lineage, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn from, UrnQuery(request, "from"));
  ASSIGN_OR_RETURN(Urn to, UrnQuery(request, "to"));
  lineage::PathOptions options;
  ASSIGN_OR_RETURN(bool all, BoolQuery(request, "all", false));
  options.all = all;
  ASSIGN_OR_RETURN(int64_t max_paths, IntQuery(request, "max_paths", 100, 1, 10'000));
  options.max_paths = static_cast<int>(max_paths);
  ASSIGN_OR_RETURN(int64_t depth, IntQuery(request, "depth", -1, -1, 1'000'000));
  options.max_depth = static_cast<int>(depth);
  ASSIGN_OR_RETURN(int64_t at, AtQuery(request));
  options.at_micros = at;
  ASSIGN_OR_RETURN(lineage::PathResult result, lineage.FindPaths(from, to, options));
  return JsonResponse(200, query::PathsToJson(result));
}

absl::StatusOr<HttpResponse> Impact(lineage::LineageService& lineage,
                                    catalog::CatalogService& catalog, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn urn, UrnParam(request, "urn"));
  lineage::ImpactOptions options;
  ASSIGN_OR_RETURN(int64_t depth, IntQuery(request, "depth", -1, -1, 1'000'000));
  options.max_depth = static_cast<int>(depth);
  ASSIGN_OR_RETURN(int64_t max_nodes, IntQuery(request, "max_nodes", 10'000, 1, 1'000'000));
  options.max_nodes = static_cast<int>(max_nodes);
  ASSIGN_OR_RETURN(int64_t at, AtQuery(request));
  options.at_micros = at;
  ASSIGN_OR_RETURN(lineage::ImpactResult result, lineage.Impact(urn, options));
  return JsonResponse(200, query::ImpactToJson(result, catalog));
}

absl::StatusOr<Urn> NodeIdQuery(const HttpRequest& request) {
  const std::string text = request.Query("nodeId");
  if (text.empty()) return BadParam("nodeId", "is required");
  absl::StatusOr<Urn> urn = lineage::UrnFromMarquezNodeId(text);
  if (!urn.ok())
    return BadParam("nodeId", Cat3("is invalid: ", std::string(urn.status().message()), ""));
  return urn;
}

absl::StatusOr<HttpResponse> Marquez(lineage::LineageService& lineage, HttpRequest& request,
                                     bool columns) {
  ASSIGN_OR_RETURN(Urn urn, NodeIdQuery(request));
  ASSIGN_OR_RETURN(int64_t depth, IntQuery(request, "depth", 20, 0, 1'000'000));
  lineage::TraversalOptions options;
  options.max_depth = static_cast<int>(depth);
  options.max_nodes = 100'000;
  options.direction = lineage::Direction::kBoth;
  if (columns) {
    options.level = lineage::Level::kColumn;
    ASSIGN_OR_RETURN(bool with_downstream, BoolQuery(request, "withDownstream", false));
    if (!with_downstream) options.direction = lineage::Direction::kUpstream;
  } else if (urn.entity_type() == "schemaField") {
    return BadParam("nodeId", "must be a dataset or job (use /column-lineage)");
  }
  ASSIGN_OR_RETURN(lineage::TraversalResult result, lineage.Traverse(urn, options));
  return JsonResponse(
      200, columns ? query::MarquezColumnLineageJson(result) : query::MarquezLineageJson(result));
}

ParamDoc Query(std::string name, std::string description, std::string type = "string",
               bool required = false) {
  return ParamDoc{.name = std::move(name),
                  .in = "query",
                  .description = std::move(description),
                  .required = required,
                  .type = std::move(type)};
}

ParamDoc PathUrn() {
  return ParamDoc{.name = "urn",
                  .in = "path",
                  .description = "Entity or schemaField URN",
                  .required = true,
                  .type = "string"};
}

}  // namespace

absl::StatusOr<int64_t> ParseTimestampMicros(std::string_view param, std::string_view text) {
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (digits) {
    if (text.size() > 15) return BadParam(param, "epoch milliseconds out of range");
    return std::stoll(std::string(text)) * 1000;
  }
  auto micros = common::ParseRfc3339Micros(text);
  if (!micros.ok()) {
    const absl::string_view why = micros.status().message();
    return BadParam(param, Cat3("must be RFC 3339 or epoch milliseconds: ",
                                std::string_view(why.data(), why.size()), ""));
  }
  return *micros;
}

void AddLineageRoutes(Router& router, lineage::LineageService& lineage,
                      catalog::CatalogService& catalog) {
  lineage::LineageService* service = &lineage;
  catalog::CatalogService* cat = &catalog;
  const ParamDoc at = Query("at", "As of this time: RFC 3339 or epoch milliseconds");
  const ParamDoc depth = Query("depth", "Maximum hops; -1 = unlimited", "integer");
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/lineage/{urn}",
      .summary = "Multi-hop lineage of an entity or column: nodes with hops, edges with provenance",
      .params = {PathUrn(), Query("direction", "upstream | downstream (default) | both"), depth,
                 Query("level", "dataset (default) | column"),
                 Query("max_nodes", "Stop (truncated=true) at this many nodes", "integer"),
                 Query("platform", "Only nodes of this platform"),
                 Query("type", "Only nodes of this entity type"), at},
      .request_body = "",
      .handler = [service](HttpRequest& r) { return Traverse(*service, r); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/lineage/path",
      .summary = "Shortest lineage path between two entities or columns, or all paths up to K",
      .params = {Query("from", "Upstream URN", "string", true),
                 Query("to", "Downstream URN", "string", true),
                 Query("all", "true: every simple path up to max_paths", "boolean"),
                 Query("max_paths", "Limit for all=true (default 100)", "integer"), depth, at},
      .request_body = "",
      .handler = [service](HttpRequest& r) { return Paths(*service, r); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/impact/{urn}",
      .summary = "Every downstream column, dataset, job and dashboard grouped by hop, with owners",
      .params = {PathUrn(), depth, Query("max_nodes", "Limit (default 10000)", "integer"), at},
      .request_body = "",
      .handler = [service, cat](HttpRequest& r) { return Impact(*service, *cat, r); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/lineage",
      .summary = "Marquez-compatible lineage graph of a dataset or job",
      .params = {Query("nodeId", "dataset:NAMESPACE:NAME or job:NAMESPACE:NAME", "string", true),
                 Query("depth", "Maximum hops (default 20)", "integer")},
      .request_body = "",
      .handler = [service](HttpRequest& r) { return Marquez(*service, r, false); }});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/column-lineage",
      .summary = "Marquez-compatible column lineage graph",
      .params = {Query("nodeId", "datasetField:NAMESPACE:NAME:FIELD or dataset:NAMESPACE:NAME",
                       "string", true),
                 Query("depth", "Maximum hops (default 20)", "integer"),
                 Query("withDownstream", "Include downstream fields (default false)", "boolean")},
      .request_body = "",
      .handler = [service](HttpRequest& r) { return Marquez(*service, r, true); }});
}

}  // namespace tidemark::server
