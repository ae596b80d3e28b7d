// JSON renderings of lineage query results (Boost.JSON): tidemark's own shapes for traversal, paths
// and impact (the latter with each node's owners, read from the catalog), and Marquez-compatible
// graph documents for /api/v1/lineage and /api/v1/column-lineage.
//
// Shapes:
//   traversal
//   {"root","direction","level","nodes":[{"urn","type","platform","name","parent"?,"hops"}],
//              "edges":[{"from","to","kind","transformation":{"type","subtypes"}?,"provenance":
//              {"source","runId","firstSeen","lastSeen"},"via"?,"validFrom","validTo"?}],"truncated"}
//   paths {"from","to","level","found","complete","paths":[{"length","nodes","edges"}],"message"?}
//   impact    {"root","truncated","total","levels":[{"hops","nodes":[{..node..,"owners":[..]}]}]}
//   marquez   {"graph":[{"id","type","data":{..},"inEdges":[{"origin","destination"}],"outEdges"}]}
// Times are RFC 3339 UTC strings; enum values are upper-case names, sources lower-case.
//
// Thread-safety: stateless functions; ImpactToJson reads the catalog (thread-safe).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "lineage/lineage_types.h"

namespace tidemark::query {

std::string TraversalToJson(const lineage::TraversalResult& result);
std::string PathsToJson(const lineage::PathResult& result);
// Owners of each node come from its `ownership` aspect (a column's from its dataset's).
std::string ImpactToJson(const lineage::ImpactResult& result,
                         const catalog::CatalogService& catalog);

// Marquez lineage graph of a dataset-level traversal: datasets and jobs, with in/out edges.
std::string MarquezLineageJson(const lineage::TraversalResult& result);
// Marquez column-lineage graph of a column-level traversal: DATASET_FIELD nodes with inputFields.
std::string MarquezColumnLineageJson(const lineage::TraversalResult& result);

// "2023-11-14T22:13:20.000001Z"; empty for 0.
std::string FormatMicros(int64_t micros);

}  // namespace tidemark::query
