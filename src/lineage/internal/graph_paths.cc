// LineageGraph::FindPaths: one shortest path (BFS with parent edges) or every simple path up to a
// limit (reverse BFS from the target marks the vertices that can still reach it, then an iterative
// DFS walks only those, so dead ends are never explored). The all-paths search is bounded in edge
// visits, wall time and the nodes it returns (PathOptions); hitting a bound answers what was found
// with complete = false and the reason.
#include <algorithm>
#include <chrono>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "lineage/internal/graph_impl.h"
#include "lineage/internal/str_util.h"
#include "lineage/lineage_graph.h"

namespace tidemark::lineage {

using internal::EdgeDesc;
using internal::kNone;
using internal::Scratch;

namespace {

// Upper bound on DFS edge visits for all=true: beyond it the answer is reported incomplete.
constexpr int64_t kPathSearchBudget = 2'000'000;

LineagePath MakePath(const internal::GraphImpl& impl, uint32_t from,
                     const std::vector<EdgeDesc>& edges) {
  LineagePath path;
  path.nodes.push_back(impl.UrnOf(from));
  for (const EdgeDesc& e : edges) {
    path.nodes.push_back(impl.UrnOf(static_cast<uint32_t>(boost::target(e, impl.g))));
    path.edges.push_back(impl.Edge(e));
  }
  return path;
}

}  // namespace

absl::StatusOr<PathResult> LineageGraph::FindPaths(std::string_view from_urn,
                                                   std::string_view to_urn,
                                                   const PathOptions& options) const {
  internal::ReadGuard lock(*impl_);
  const internal::GraphImpl& impl = *impl_;
  const internal::Graph& g = impl.g;
  const uint32_t from = impl.Find(from_urn);
  const uint32_t to = impl.Find(to_urn);
  PathResult result;
  result.from = std::string(from_urn);
  result.to = std::string(to_urn);
  const bool from_field = from_urn.starts_with("urn:li:schemaField:");
  const bool to_field = to_urn.starts_with("urn:li:schemaField:");
  if (from_field != to_field) {
    return absl::InvalidArgumentError("from and to must both be columns or both be entities");
  }
  result.level = from_field ? Level::kColumn : Level::kDataset;
  if (from == kNone || to == kNone || impl.Hidden(from) || impl.Hidden(to)) return result;
  if (from == to) {
    result.paths.push_back(MakePath(impl, from, {}));
    return result;
  }
  const int64_t at = options.at_micros;
  int max_depth = options.max_depth;
  if (options.all) {
    if (max_depth > kMaxAllPathsDepth) {
      return absl::InvalidArgumentError(
          absl::StrCat("depth for all paths is at most ", kMaxAllPathsDepth, ", got ", max_depth));
    }
    if (max_depth < 0) max_depth = kDefaultAllPathsDepth;
  }

  if (!options.all) {
    Scratch& s = Scratch::ForThisThread();
    s.Begin(boost::num_vertices(g));
    if (s.parent_edge.size() < s.stamp.size()) s.parent_edge.resize(s.stamp.size());
    s.Mark(from, 0);
    s.queue.push_back(from);
    for (size_t head = 0; head < s.queue.size() && !s.Seen(to); ++head) {
      const uint32_t u = s.queue[head];
      if (max_depth >= 0 && s.dist[u] >= max_depth) continue;
      for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
        const auto w = static_cast<uint32_t>(boost::target(*it, g));
        if (s.Seen(w) || impl.Hidden(w) || !internal::EdgeValidAt(g[*it], at)) continue;
        s.Mark(w, s.dist[u] + 1);
        s.parent_edge[w] = *it;
        s.queue.push_back(w);
        if (w == to) break;
      }
    }
    if (!s.Seen(to)) return result;
    std::vector<EdgeDesc> edges;
    for (uint32_t v = to; v != from;) {
      edges.push_back(s.parent_edge[v]);
      v = static_cast<uint32_t>(boost::source(s.parent_edge[v], g));
    }
    std::reverse(edges.begin(), edges.end());
    result.paths.push_back(MakePath(impl, from, edges));
    return result;
  }

  // Every vertex that reaches `to`, with its distance to it.
  static thread_local Scratch reach;
  reach.Begin(boost::num_vertices(g));
  reach.Mark(to, 0);
  reach.queue.push_back(to);
  for (size_t head = 0; head < reach.queue.size(); ++head) {
    const uint32_t u = reach.queue[head];
    if (max_depth >= 0 && reach.dist[u] >= max_depth) continue;
    for (auto [it, end] = boost::in_edges(u, g); it != end; ++it) {
      const auto w = static_cast<uint32_t>(boost::source(*it, g));
      if (reach.Seen(w) || impl.Hidden(w) || !internal::EdgeValidAt(g[*it], at)) continue;
      reach.Mark(w, reach.dist[u] + 1);
      reach.queue.push_back(w);
    }
  }
  if (!reach.Seen(from)) return result;

  // Iterative DFS over simple paths; `on_path` marks use the per-thread scratch's stamps.
  Scratch& on_path = Scratch::ForThisThread();
  on_path.Begin(boost::num_vertices(g));
  struct Frame {
    uint32_t v;
    internal::Graph::out_edge_iterator it, end;
  };
  std::vector<Frame> stack;
  std::vector<EdgeDesc> path_edges;
  auto push = [&](uint32_t v) {
    auto [it, end] = boost::out_edges(v, g);
    stack.push_back(Frame{v, it, end});
    on_path.Mark(v, 0);
  };
  push(from);
  const size_t max_paths = options.max_paths <= 0 ? 1 : static_cast<size_t>(options.max_paths);
  const size_t max_total_nodes = static_cast<size_t>(std::max(1, options.max_total_nodes));
  size_t total_nodes = 0;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::microseconds(std::max<int64_t>(0, options.time_budget_micros));
  auto stop = [&result](const char* reason) {
    result.complete = false;
    result.incomplete_reason = reason;
  };
  int64_t budget = kPathSearchBudget;
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (--budget < 0) {
      stop("search_budget");
      break;
    }
    if ((budget & 0xfff) == 0 && std::chrono::steady_clock::now() > deadline) {
      stop("time_budget");
      break;
    }
    if (top.it == top.end) {
      on_path.stamp[top.v] = 0;
      stack.pop_back();
      if (!path_edges.empty()) path_edges.pop_back();
      continue;
    }
    const EdgeDesc e = *top.it++;
    const auto w = static_cast<uint32_t>(boost::target(e, g));
    if (!reach.Seen(w) || on_path.Seen(w) || impl.Hidden(w) || !internal::EdgeValidAt(g[e], at)) {
      continue;
    }
    const int depth = static_cast<int>(path_edges.size()) + 1;
    if (max_depth >= 0 && depth + reach.dist[w] > max_depth) continue;
    if (w == to) {
      if (result.paths.size() == max_paths) {
        stop("max_paths");  // there is at least one more
        break;
      }
      if (total_nodes + path_edges.size() + 2 > max_total_nodes) {
        stop("max_total_nodes");
        break;
      }
      total_nodes += path_edges.size() + 2;
      path_edges.push_back(e);
      result.paths.push_back(MakePath(impl, from, path_edges));
      path_edges.pop_back();
      continue;
    }
    path_edges.push_back(e);
    push(w);
  }
  std::sort(result.paths.begin(), result.paths.end(), [](const auto& a, const auto& b) {
    if (a.nodes.size() != b.nodes.size()) return a.nodes.size() < b.nodes.size();
    return a.nodes < b.nodes;
  });
  return result;
}

}  // namespace tidemark::lineage
