// Internal: the representation behind LineageGraph. Boost.Graph adjacency_list (vecS vertices, so
// vertex descriptors are our dense ids; bidirectionalS for upstream walks) with compact edge
// properties; URNs are interned: entities keep their canonical URN once, schemaField vertices keep
// (dataset vertex, interned field path) and rebuild their URN on output.
//
// Thread-safety: none by itself; LineageGraph guards it with `mu`.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lineage/lineage_types.h"

namespace tidemark::lineage::internal {

inline constexpr uint32_t kNone = 0xffffffffu;

struct EdgeProps {
  int64_t valid_from = 0;
  int64_t valid_to = 0;  // 0: open
  int64_t first_seen = 0;
  int64_t last_seen = 0;
  uint32_t subtypes = 0;   // bit (1 << TransformationSubtype)
  uint32_t run = 0;        // id in GraphImpl::runs
  uint32_t via = kNone;    // dataJob vertex
  uint32_t owner = kNone;  // declaring entity vertex
  uint8_t kind = 0;
  uint8_t transformation = 0;
  uint8_t source = 0;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                    boost::no_property, EdgeProps>;
using EdgeDesc = Graph::edge_descriptor;

enum VertexFlag : uint8_t { kRemoved = 1, kPurged = 2 };

struct VertexInfo {
  uint32_t parent = kNone;  // schemaField: dataset vertex
  uint32_t ref = 0;         // schemaField: id in field_names; else index into entities
  uint16_t platform = 0;    // id in platforms
  uint8_t flags = 0;
  bool is_field = false;
};

struct EntityInfo {
  std::string urn;
  std::string type;
  std::string name;
};

// Interns strings; ids are dense and stable; views stay valid (deque storage).
class StringPool {
 public:
  uint32_t Intern(std::string_view s);
  // kNone when absent.
  uint32_t Find(std::string_view s) const;
  const std::string& Get(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;
  absl::flat_hash_map<std::string_view, uint32_t> ids_;
};

struct GraphImpl {
  GraphImpl();

  // Readers share `mu`; a writer first takes `gate`, which new readers pass through, so a stream
  // of readers cannot starve writers (glibc's rwlock prefers readers).
  mutable std::shared_mutex mu;
  mutable std::mutex gate;
  Graph g;
  std::vector<VertexInfo> vinfo;    // parallel to g's vertices
  std::deque<EntityInfo> entities;  // deque: entity_vertex keys view into it
  absl::flat_hash_map<std::string_view, uint32_t> entity_vertex;
  absl::flat_hash_map<uint64_t, uint32_t> field_vertex;  // (parent << 32 | field id) -> vertex
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> columns_of;  // dataset -> field vertices
  StringPool field_names;
  StringPool runs;       // id 0 = ""
  StringPool platforms;  // id 0 = ""
  size_t open_edges = 0;

  // Vertex of `urn`, creating it; kNone for text that is not a URN.
  uint32_t Intern(std::string_view urn);
  // kNone when unknown.
  uint32_t Find(std::string_view urn) const;
  std::string UrnOf(uint32_t v) const;
  // Removed/purged, or a field of a removed/purged dataset.
  bool Hidden(uint32_t v) const {
    const VertexInfo& vi = vinfo[v];
    if (vi.flags != 0) return true;
    return vi.parent != kNone && vinfo[vi.parent].flags != 0;
  }
  std::string_view TypeOf(uint32_t v) const;
  LineageNode Node(uint32_t v, int hops) const;
  LineageEdge Edge(const EdgeDesc& e) const;
  // The edge interval with this identity, if present.
  bool FindEdge(uint32_t from, uint32_t to, uint8_t kind, uint32_t owner, int64_t valid_from,
                EdgeDesc* out) const;
  void AddEdge(uint32_t from, uint32_t to, const EdgeProps& props);
};

class ReadGuard {
 public:
  explicit ReadGuard(const GraphImpl& impl) : impl_(impl) {
    { std::lock_guard gate(impl.gate); }
    impl.mu.lock_shared();
  }
  ~ReadGuard() { impl_.mu.unlock_shared(); }
  ReadGuard(const ReadGuard&) = delete;
  ReadGuard& operator=(const ReadGuard&) = delete;

 private:
  const GraphImpl& impl_;
};

class WriteGuard {
 public:
  explicit WriteGuard(GraphImpl& impl) : gate_(impl.gate), lock_(impl.mu) {}

 private:
  std::lock_guard<std::mutex> gate_;
  std::unique_lock<std::shared_mutex> lock_;
};

inline bool EdgeValidAt(const EdgeProps& p, int64_t at) {
  if (at == 0) return p.valid_to == 0;
  return p.valid_from <= at && (p.valid_to == 0 || at < p.valid_to);
}

// Per-thread BFS scratch: visited marks by epoch (no clearing between queries), distances, parents.
struct Scratch {
  std::vector<uint32_t> stamp;
  std::vector<int32_t> dist;
  std::vector<EdgeDesc> parent_edge;  // sized on demand (FindPaths only)
  std::vector<uint32_t> queue;
  uint32_t epoch = 0;
  // Starts a new traversal over `n` vertices.
  void Begin(size_t n);
  bool Seen(uint32_t v) const { return stamp[v] == epoch; }
  void Mark(uint32_t v, int32_t d) {
    stamp[v] = epoch;
    dist[v] = d;
  }
  static Scratch& ForThisThread();
};

}  // namespace tidemark::lineage::internal
