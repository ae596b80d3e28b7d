// LineageGraph: the in-memory lineage index. One vertex per entity or schemaField that takes part
// in lineage (stable dense ids, never reused; purged entities leave tombstones), one edge per
// stored edge interval (open and closed, so as-of queries work). Internally a Boost.Graph
// bidirectional adjacency list with interned strings; none of that shows here.
//
// The graph is derived state: LineageService loads it from the lineage column family at start-up
// and applies the delta of every committed write. Its text results use canonical URN strings.
//
// Thread-safety: every method may be called concurrently. Queries share a std::shared_mutex;
// Load/Apply/SetRemoved take it exclusively, so a query sees all of a delta or none of it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/key_space.h"
#include "lineage/lineage_types.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::lineage {

namespace internal {
struct GraphImpl;
}

// One edge interval as stored: identity is (from, to, record.kind, record.declared_by,
// record.valid_from_micros).
struct GraphEdgeUpdate {
  std::string from;
  std::string to;
  v1::LineageEdgeRecord record;
};

// Changes of one committed batch, applied atomically.
struct GraphDelta {
  std::vector<GraphEdgeUpdate> upserts;   // add, or replace the attributes of, an edge interval
  std::vector<GraphEdgeUpdate> removals;  // delete an edge interval (purges); only identity used
  std::vector<std::string> purged;        // entities that no longer exist (tombstoned vertices)
  std::vector<std::string> removed;       // soft-deleted entities (hidden, see SetRemoved)
  bool empty() const {
    return upserts.empty() && removals.empty() && purged.empty() && removed.empty();
  }
};

struct GraphStats {
  size_t vertices = 0;
  size_t edges = 0;       // stored intervals, open and closed
  size_t open_edges = 0;  // currently valid
};

class LineageGraph {
 public:
  LineageGraph();
  ~LineageGraph();
  LineageGraph(const LineageGraph&) = delete;
  LineageGraph& operator=(const LineageGraph&) = delete;

  // Adds every edge interval stored in the lineage family (CatalogService::LineageFamily; scans
  // the "d" keys only).
  absl::Status Load(const catalog::KeySpace& family);
  void Apply(const GraphDelta& delta);
  // Soft delete flag: removed entities (and their columns) are skipped by every query.
  void SetRemoved(std::string_view urn, bool removed);

  // NotFound when `urn` has no vertex (no lineage), FailedPrecondition when it is removed.
  absl::StatusOr<TraversalResult> Traverse(std::string_view urn,
                                           const TraversalOptions& options) const;
  absl::StatusOr<PathResult> FindPaths(std::string_view from, std::string_view to,
                                       const PathOptions& options) const;
  absl::StatusOr<ImpactResult> Impact(std::string_view urn, const ImpactOptions& options) const;

  // Number of vertices a plain BFS reaches (excluding the start) over currently valid edges;
  // no strings are built. For benchmarks. -1 when `urn` is unknown.
  int64_t CountReachable(std::string_view urn, Direction direction, int max_depth) const;

  bool Contains(std::string_view urn) const;
  bool IsRemoved(std::string_view urn) const;
  GraphStats Stats() const;
  // One sorted line per edge interval with all its attributes: compares two graphs in tests.
  std::vector<std::string> DumpEdges() const;

 private:
  std::unique_ptr<internal::GraphImpl> impl_;
};

}  // namespace tidemark::lineage
