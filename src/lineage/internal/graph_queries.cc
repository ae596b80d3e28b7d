// LineageGraph queries: traversal, paths, impact. Every query holds the graph's shared lock for its
// whole duration and uses the per-thread Scratch (epoch-stamped visited marks) so a walk allocates
// only for its results.
#include <algorithm>
#include <mutex>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "common/status_macros.h"
#include "lineage/internal/graph_impl.h"
#include "lineage/internal/str_util.h"
#include "lineage/lineage_graph.h"

namespace tidemark::lineage {
namespace internal {
namespace {

enum class Visit { kAccept, kStop };

// Breadth-first walk from `seeds` (distance 0) along valid edges in one direction. Visited vertices
// end up in s.queue in BFS order with s.dist; crossed edges (to visited vertices) go to `edges`
// when non-null. `on_new(w, hops)` is asked before a vertex is first visited.
template <typename OnNew>
void Bfs(const GraphImpl& impl, Scratch& s, const std::vector<uint32_t>& seeds, bool downstream,
         int max_depth, int64_t at, std::vector<EdgeDesc>* edges, OnNew&& on_new) {
  const Graph& g = impl.g;
  s.Begin(boost::num_vertices(g));
  for (uint32_t seed : seeds) {
    if (!s.Seen(seed)) {
      s.Mark(seed, 0);
      s.queue.push_back(seed);
    }
  }
  auto cross = [&](const EdgeDesc& e, uint32_t w, int next) -> bool {
    if (!EdgeValidAt(g[e], at) || impl.Hidden(w)) return true;
    if (!s.Seen(w)) {
      if (on_new(w, next) == Visit::kStop) return false;
      s.Mark(w, next);
      s.queue.push_back(w);
    }
    if (edges != nullptr) edges->push_back(e);
    return true;
  };
  for (size_t head = 0; head < s.queue.size(); ++head) {
    const uint32_t u = s.queue[head];
    const int d = s.dist[u];
    if (max_depth >= 0 && d >= max_depth) continue;
    if (downstream) {
      for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
        if (!cross(*it, static_cast<uint32_t>(boost::target(*it, g)), d + 1)) return;
      }
    } else {
      for (auto [it, end] = boost::in_edges(u, g); it != end; ++it) {
        if (!cross(*it, static_cast<uint32_t>(boost::source(*it, g)), d + 1)) return;
      }
    }
  }
}

// The vertex a traversal or impact query starts from: NotFound when `urn` has no lineage (or was
// purged), FailedPrecondition when it is removed.
absl::StatusOr<uint32_t> QueryRoot(const GraphImpl& impl, std::string_view urn) {
  const uint32_t root = impl.Find(urn);
  if (root == kNone || (impl.vinfo[root].flags & kPurged)) {
    return absl::NotFoundError(Cat("no lineage for ", urn));
  }
  if (impl.Hidden(root)) return absl::FailedPreconditionError(Cat(urn, " is removed"));
  return root;
}

bool EdgeLess(const LineageEdge& a, const LineageEdge& b) {
  return std::tie(a.from, a.to, a.kind, a.declared_by, a.valid_from_micros) <
         std::tie(b.from, b.to, b.kind, b.declared_by, b.valid_from_micros);
}

void SortNodes(std::vector<LineageNode>& nodes, size_t skip) {
  std::sort(nodes.begin() + static_cast<long>(skip), nodes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.hops, a.entity_type, a.urn) < std::tie(b.hops, b.entity_type, b.urn);
  });
}

void DedupeEdges(std::vector<EdgeDesc>& edges) {
  auto key = [](const EdgeDesc& e) { return e.get_property(); };
  std::sort(edges.begin(), edges.end(),
            [&](const auto& a, const auto& b) { return key(a) < key(b); });
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [&](const auto& a, const auto& b) { return key(a) == key(b); }),
              edges.end());
}

}  // namespace
}  // namespace internal

using internal::EdgeDesc;
using internal::kNone;
using internal::Scratch;
using internal::Visit;

absl::StatusOr<TraversalResult> LineageGraph::Traverse(std::string_view urn,
                                                       const TraversalOptions& options) const {
  internal::ReadGuard lock(*impl_);
  const internal::GraphImpl& impl = *impl_;
  ASSIGN_OR_RETURN(const uint32_t root, internal::QueryRoot(impl, urn));

  std::vector<uint32_t> seeds;
  const bool root_is_field = impl.vinfo[root].is_field;
  if (options.level == Level::kColumn && !root_is_field) {
    auto it = impl.columns_of.find(root);
    if (it != impl.columns_of.end()) seeds = it->second;
  } else {
    seeds.push_back(root);
  }
  if (options.level == Level::kDataset && root_is_field) {
    return absl::InvalidArgumentError("a schemaField needs level=column");
  }

  uint32_t platform = 0;
  if (!options.platform.empty()) platform = impl.platforms.Find(options.platform);
  auto passes = [&](uint32_t v) {
    if (!options.platform.empty() && impl.vinfo[v].platform != platform) return false;
    return options.entity_type.empty() || impl.TypeOf(v) == options.entity_type;
  };

  TraversalResult result;
  result.root = std::string(urn);
  result.direction = options.direction;
  result.level = options.level;
  const size_t max_nodes = options.max_nodes <= 0 ? 1 : static_cast<size_t>(options.max_nodes);
  size_t count = 1;                         // the root
  absl::flat_hash_map<uint32_t, int> hops;  // every visited vertex -> min hops
  std::vector<EdgeDesc> edges;
  Scratch& s = Scratch::ForThisThread();

  // Single direction: the BFS queue itself is the result. Both: merge two walks, min hops.
  const bool both = options.direction == Direction::kBoth;
  std::vector<std::pair<uint32_t, int>> visited;
  auto run = [&](bool downstream) {
    internal::Bfs(impl, s, seeds, downstream, options.max_depth, options.at_micros, &edges,
                  [&](uint32_t w, int d) {
                    // Already counted by the other walk, or not shown: no budget used.
                    if ((both && hops.contains(w)) || !passes(w)) return Visit::kAccept;
                    if (count >= max_nodes) {
                      result.truncated = true;
                      return Visit::kStop;
                    }
                    ++count;
                    return Visit::kAccept;
                  });
    if (!both) {
      visited.reserve(s.queue.size());
      for (uint32_t v : s.queue) visited.emplace_back(v, s.dist[v]);
      return;
    }
    for (uint32_t v : s.queue) {
      auto [it, inserted] = hops.try_emplace(v, s.dist[v]);
      if (!inserted) it->second = std::min(it->second, s.dist[v]);
    }
  };
  if (options.direction != Direction::kDownstream) run(false);
  if (options.direction != Direction::kUpstream && !result.truncated) run(true);
  if (both) visited.assign(hops.begin(), hops.end());

  // Seeds (a dataset's columns) are shown only when an edge touches them.
  absl::flat_hash_map<uint32_t, bool> seed_used;
  const bool dataset_seeds = seeds.size() != 1 || seeds[0] != root;
  if (dataset_seeds) {
    for (uint32_t v : seeds) seed_used[v] = false;
  }
  auto shown = [&](uint32_t v) {
    if (v == root) return true;
    if (dataset_seeds && seed_used.contains(v)) return true;
    return passes(v);  // edges only join visited vertices
  };
  internal::DedupeEdges(edges);
  for (const EdgeDesc& e : edges) {
    const auto from = static_cast<uint32_t>(boost::source(e, impl.g));
    const auto to = static_cast<uint32_t>(boost::target(e, impl.g));
    if (dataset_seeds) {
      if (seed_used.contains(from)) seed_used[from] = true;
      if (seed_used.contains(to)) seed_used[to] = true;
    }
  }
  for (const EdgeDesc& e : edges) {
    const auto from = static_cast<uint32_t>(boost::source(e, impl.g));
    const auto to = static_cast<uint32_t>(boost::target(e, impl.g));
    if ((!dataset_seeds || !seed_used.contains(from) || seed_used[from]) &&
        (!dataset_seeds || !seed_used.contains(to) || seed_used[to]) && shown(from) && shown(to)) {
      result.edges.push_back(impl.Edge(e));
    }
  }
  result.nodes.push_back(impl.Node(root, 0));
  for (const auto& [v, d] : visited) {
    if (v == root) continue;
    if (dataset_seeds && seed_used.contains(v)) {
      if (seed_used[v]) result.nodes.push_back(impl.Node(v, 0));
      continue;
    }
    if (passes(v)) result.nodes.push_back(impl.Node(v, d));
  }
  internal::SortNodes(result.nodes, 1);
  std::sort(result.edges.begin(), result.edges.end(), internal::EdgeLess);
  return result;
}

int64_t LineageGraph::CountReachable(std::string_view urn, Direction direction,
                                     int max_depth) const {
  internal::ReadGuard lock(*impl_);
  const uint32_t root = impl_->Find(urn);
  if (root == kNone) return -1;
  Scratch& s = Scratch::ForThisThread();
  const std::vector<uint32_t> seeds{root};
  int64_t total = 0;
  auto accept = [](uint32_t, int) { return Visit::kAccept; };
  if (direction != Direction::kDownstream) {
    internal::Bfs(*impl_, s, seeds, false, max_depth, 0, nullptr, accept);
    total += static_cast<int64_t>(s.queue.size()) - 1;
  }
  if (direction != Direction::kUpstream) {
    internal::Bfs(*impl_, s, seeds, true, max_depth, 0, nullptr, accept);
    total += static_cast<int64_t>(s.queue.size()) - 1;
  }
  return total;
}

absl::StatusOr<ImpactResult> LineageGraph::Impact(std::string_view urn,
                                                  const ImpactOptions& options) const {
  internal::ReadGuard lock(*impl_);
  const internal::GraphImpl& impl = *impl_;
  ASSIGN_OR_RETURN(const uint32_t root, internal::QueryRoot(impl, urn));
  const bool is_field = impl.vinfo[root].is_field;
  const uint32_t root_dataset = is_field ? impl.vinfo[root].parent : root;

  absl::flat_hash_map<uint32_t, int> best;
  auto note = [&](uint32_t v, int d) {
    if (v == root || v == root_dataset) return;
    auto [it, inserted] = best.try_emplace(v, d);
    if (!inserted) it->second = std::min(it->second, d);
  };
  Scratch& s = Scratch::ForThisThread();
  auto accept = [](uint32_t, int) { return Visit::kAccept; };
  // Column level: the field itself, or every column of the dataset.
  std::vector<uint32_t> seeds;
  if (is_field) {
    seeds.push_back(root);
  } else if (auto it = impl.columns_of.find(root); it != impl.columns_of.end()) {
    seeds = it->second;
  }
  if (!seeds.empty()) {
    internal::Bfs(impl, s, seeds, true, options.max_depth, options.at_micros, nullptr, accept);
    for (uint32_t v : s.queue) {
      const int d = s.dist[v];
      if (d == 0) continue;
      note(v, d);
      note(impl.vinfo[v].parent, d);  // the dataset that holds an impacted column
    }
  }
  if (!is_field) {
    internal::Bfs(impl, s, {root}, true, options.max_depth, options.at_micros, nullptr, accept);
    for (uint32_t v : s.queue) note(v, s.dist[v]);
  }

  std::vector<LineageNode> nodes;
  nodes.reserve(best.size());
  for (const auto& [v, d] : best) nodes.push_back(impl.Node(v, d));
  internal::SortNodes(nodes, 0);
  ImpactResult result;
  result.root = std::string(urn);
  if (options.max_nodes > 0 && nodes.size() > static_cast<size_t>(options.max_nodes)) {
    nodes.resize(static_cast<size_t>(options.max_nodes));
    result.truncated = true;
  }
  for (LineageNode& node : nodes) {
    if (result.levels.empty() || result.levels.back().hops != node.hops) {
      result.levels.push_back(ImpactLevel{.hops = node.hops, .nodes = {}});
    }
    result.levels.back().nodes.push_back(std::move(node));
  }
  return result;
}

}  // namespace tidemark::lineage
