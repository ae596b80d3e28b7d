// Value types of the lineage query API: traversal options, nodes, edges, paths and impact results.
// Plain data; safe to copy and to hand between threads. Shared by LineageGraph, LineageService and
// the renderers in src/query (which turn them into JSON).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tidemark/v1/audit.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::lineage {

enum class Direction { kUpstream, kDownstream, kBoth };
// kDataset walks dataset/job/dashboard edges; kColumn walks schemaField edges.
enum class Level { kDataset, kColumn };

std::string_view DirectionName(Direction d);  // "upstream" | "downstream" | "both"
std::string_view LevelName(Level l);          // "dataset" | "column"

struct TraversalOptions {
  Direction direction = Direction::kDownstream;
  int max_depth = -1;  // -1: unlimited
  Level level = Level::kDataset;
  int max_nodes = 10000;    // including the root; reaching it sets `truncated`
  std::string platform;     // only nodes of this platform (the walk still passes through others)
  std::string entity_type;  // only nodes of this entity type ("dataset", "dataJob", ...)
  int64_t at_micros = 0;    // 0: now (open edges); else validFrom <= at < validTo (or open)
};

struct LineageNode {
  std::string urn;
  std::string entity_type;  // "dataset", "schemaField", "dataJob", "dashboard", "chart", ...
  std::string platform;     // "trino"; the parent dataset's platform for schemaFields
  std::string name;         // dataset name, job id, or field path for schemaFields
  std::string parent;       // schemaField: the dataset URN; empty otherwise
  int hops = 0;             // BFS distance from the root (negative never; see ImpactResult)
};

struct EdgeProvenance {
  v1::SourceKind source = v1::SOURCE_KIND_UNSPECIFIED;
  std::string run_id;
  int64_t first_seen_micros = 0;
  int64_t last_seen_micros = 0;
};

struct LineageEdge {
  std::string from;  // upstream URN
  std::string to;    // downstream URN
  v1::LineageEdgeKind kind = v1::LINEAGE_EDGE_KIND_UNSPECIFIED;
  v1::TransformationType transformation = v1::TRANSFORMATION_TYPE_UNSPECIFIED;
  std::vector<v1::TransformationSubtype> subtypes;
  EdgeProvenance provenance;
  std::string via_job;      // dataJob URN when the data moved through a job
  std::string declared_by;  // entity whose aspect declares the edge
  int64_t valid_from_micros = 0;
  int64_t valid_to_micros = 0;  // 0: still valid
};

struct TraversalResult {
  std::string root;
  Direction direction = Direction::kDownstream;
  Level level = Level::kDataset;
  std::vector<LineageNode> nodes;  // root first, then by hops
  std::vector<LineageEdge> edges;  // edges between returned nodes that the walk crossed
  bool truncated = false;
};

// Limits of an all-paths search, so that one request cannot cost unbounded time or memory: a
// search that hits one answers what it found with complete = false and the reason.
inline constexpr int kDefaultAllPathsDepth = 20;
inline constexpr int kMaxAllPathsDepth = 100;

struct PathOptions {
  bool all = false;  // false: one shortest path; true: every simple path up to max_paths
  int max_paths = 100;
  // Longest path in edges; -1: unlimited (shortest) / kDefaultAllPathsDepth (all). With all=true
  // at most kMaxAllPathsDepth (InvalidArgument above it).
  int max_depth = -1;
  int64_t at_micros = 0;
  int max_total_nodes = 20'000;            // all=true: nodes summed over the returned paths
  int64_t time_budget_micros = 1'000'000;  // all=true: wall time of the search
};

struct LineagePath {
  std::vector<std::string> nodes;  // from ... to
  std::vector<LineageEdge> edges;  // edges[i] joins nodes[i] and nodes[i+1]
};

struct PathResult {
  std::string from;
  std::string to;
  Level level = Level::kDataset;
  std::vector<LineagePath> paths;  // empty: no path
  bool complete = true;            // false when a limit below cut the search short
  // Why the search stopped early, when complete is false: "max_paths", "max_total_nodes",
  // "search_budget" (edge visits) or "time_budget".
  std::string incomplete_reason;
};

struct ImpactOptions {
  int max_depth = -1;
  int max_nodes = 100000;
  int64_t at_micros = 0;
};

struct ImpactLevel {
  int hops = 0;
  std::vector<LineageNode> nodes;  // columns, datasets, jobs, dashboards/charts at that distance
};

struct ImpactResult {
  std::string root;
  std::vector<ImpactLevel> levels;  // hops 1, 2, ...
  bool truncated = false;
};

}  // namespace tidemark::lineage
