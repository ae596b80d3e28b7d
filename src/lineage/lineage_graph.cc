// LineageGraph: storage of the in-memory index (interning, loading, applying deltas). The queries
// live in internal/graph_queries.cc.
#include "lineage/lineage_graph.h"

#include <algorithm>
#include <mutex>

#include "absl/strings/str_format.h"
#include "common/urn.h"
#include "lineage/internal/edge_keys.h"
#include "lineage/internal/graph_impl.h"
#include "lineage/internal/str_util.h"

namespace tidemark::lineage {
namespace internal {
namespace {

constexpr std::string_view kFieldPrefix = "urn:li:schemaField:(";

// Splits a canonical schemaField URN into its dataset URN and (escaped) field path.
bool SplitFieldUrn(std::string_view urn, std::string_view* dataset, std::string_view* field) {
  if (urn.size() < kFieldPrefix.size() + 3 || urn.substr(0, kFieldPrefix.size()) != kFieldPrefix ||
      urn.back() != ')') {
    return false;
  }
  std::string_view inner = urn.substr(kFieldPrefix.size(), urn.size() - kFieldPrefix.size() - 1);
  const size_t comma = inner.rfind(',');
  if (comma == std::string_view::npos || comma == 0) return false;
  *dataset = inner.substr(0, comma);
  *field = inner.substr(comma + 1);
  return true;
}

}  // namespace

uint32_t StringPool::Intern(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  strings_.emplace_back(s);
  const uint32_t id = static_cast<uint32_t>(strings_.size() - 1);
  ids_.emplace(std::string_view(strings_.back()), id);
  return id;
}

uint32_t StringPool::Find(std::string_view s) const {
  auto it = ids_.find(s);
  return it == ids_.end() ? kNone : it->second;
}

GraphImpl::GraphImpl() {
  runs.Intern("");
  platforms.Intern("");
}

uint32_t GraphImpl::Find(std::string_view urn) const {
  std::string_view dataset, field;
  if (SplitFieldUrn(urn, &dataset, &field)) {
    auto parent = entity_vertex.find(dataset);
    if (parent == entity_vertex.end()) return kNone;
    const uint32_t field_id = field_names.Find(field);
    if (field_id == kNone) return kNone;
    auto it = field_vertex.find((uint64_t{parent->second} << 32) | field_id);
    return it == field_vertex.end() ? kNone : it->second;
  }
  auto it = entity_vertex.find(urn);
  return it == entity_vertex.end() ? kNone : it->second;
}

uint32_t GraphImpl::Intern(std::string_view urn) {
  std::string_view dataset, field;
  if (SplitFieldUrn(urn, &dataset, &field)) {
    const uint32_t parent = Intern(dataset);
    if (parent == kNone) return kNone;
    const uint32_t field_id = field_names.Intern(field);
    const uint64_t key = (uint64_t{parent} << 32) | field_id;
    auto it = field_vertex.find(key);
    if (it != field_vertex.end()) return it->second;
    const uint32_t v = static_cast<uint32_t>(boost::add_vertex(g));
    VertexInfo info;
    info.parent = parent;
    info.ref = field_id;
    info.platform = vinfo[parent].platform;
    info.is_field = true;
    vinfo.push_back(info);
    field_vertex.emplace(key, v);
    columns_of[parent].push_back(v);
    return v;
  }
  auto it = entity_vertex.find(urn);
  if (it != entity_vertex.end()) return it->second;
  EntityInfo entity;
  entity.urn = std::string(urn);
  absl::StatusOr<common::Urn> parsed = common::Urn::Parse(urn);
  if (!parsed.ok()) return kNone;
  entity.type = parsed->entity_type();
  if (entity.type == "dataset") {
    entity.name = parsed->DatasetName();
  } else if (!parsed->components().empty()) {
    entity.name = parsed->components().back();
  }
  VertexInfo info;
  info.platform = static_cast<uint16_t>(platforms.Intern(parsed->PlatformName()));
  info.ref = static_cast<uint32_t>(entities.size());
  entities.push_back(std::move(entity));
  const uint32_t v = static_cast<uint32_t>(boost::add_vertex(g));
  vinfo.push_back(info);
  entity_vertex.emplace(std::string_view(entities.back().urn), v);
  return v;
}

std::string GraphImpl::UrnOf(uint32_t v) const {
  const VertexInfo& vi = vinfo[v];
  if (!vi.is_field) return entities[vi.ref].urn;
  return Cat(kFieldPrefix, entities[vinfo[vi.parent].ref].urn, ",", field_names.Get(vi.ref), ")");
}

std::string_view GraphImpl::TypeOf(uint32_t v) const {
  const VertexInfo& vi = vinfo[v];
  return vi.is_field ? std::string_view("schemaField") : std::string_view(entities[vi.ref].type);
}

LineageNode GraphImpl::Node(uint32_t v, int hops) const {
  const VertexInfo& vi = vinfo[v];
  LineageNode node;
  node.urn = UrnOf(v);
  node.entity_type = std::string(TypeOf(v));
  node.platform = platforms.Get(vi.platform);
  if (vi.is_field) {
    node.name = common::Urn::UnescapeComponent(field_names.Get(vi.ref));
    node.parent = entities[vinfo[vi.parent].ref].urn;
  } else {
    node.name = entities[vi.ref].name;
  }
  node.hops = hops;
  return node;
}

LineageEdge GraphImpl::Edge(const EdgeDesc& e) const {
  const EdgeProps& p = g[e];
  LineageEdge edge;
  edge.from = UrnOf(static_cast<uint32_t>(boost::source(e, g)));
  edge.to = UrnOf(static_cast<uint32_t>(boost::target(e, g)));
  edge.kind = static_cast<v1::LineageEdgeKind>(p.kind);
  edge.transformation = static_cast<v1::TransformationType>(p.transformation);
  for (int s = 1; s < 31; ++s) {
    if (p.subtypes & (1u << s)) edge.subtypes.push_back(static_cast<v1::TransformationSubtype>(s));
  }
  edge.provenance.source = static_cast<v1::SourceKind>(p.source);
  edge.provenance.run_id = runs.Get(p.run);
  edge.provenance.first_seen_micros = p.first_seen;
  edge.provenance.last_seen_micros = p.last_seen;
  if (p.via != kNone) edge.via_job = UrnOf(p.via);
  if (p.owner != kNone) edge.declared_by = UrnOf(p.owner);
  edge.valid_from_micros = p.valid_from;
  edge.valid_to_micros = p.valid_to;
  return edge;
}

bool GraphImpl::FindEdge(uint32_t from, uint32_t to, uint8_t kind, uint32_t owner,
                         int64_t valid_from, EdgeDesc* out) const {
  auto matches = [&](const EdgeProps& p) {
    return p.kind == kind && p.owner == owner && p.valid_from == valid_from;
  };
  if (boost::out_degree(from, g) <= boost::in_degree(to, g)) {
    for (auto [it, end] = boost::out_edges(from, g); it != end; ++it) {
      if (boost::target(*it, g) == to && matches(g[*it])) {
        *out = *it;
        return true;
      }
    }
  } else {
    for (auto [it, end] = boost::in_edges(to, g); it != end; ++it) {
      if (boost::source(*it, g) == from && matches(g[*it])) {
        *out = *it;
        return true;
      }
    }
  }
  return false;
}

void GraphImpl::AddEdge(uint32_t from, uint32_t to, const EdgeProps& props) {
  boost::add_edge(from, to, props, g);
  if (props.valid_to == 0) ++open_edges;
}

void Scratch::Begin(size_t n) {
  if (stamp.size() < n) {
    const size_t size = std::max(n, stamp.size() * 2);
    stamp.resize(size, 0);
    dist.resize(size, 0);
  }
  if (++epoch == 0) {
    std::fill(stamp.begin(), stamp.end(), 0);
    epoch = 1;
  }
  queue.clear();
}

Scratch& Scratch::ForThisThread() {
  thread_local Scratch scratch;
  return scratch;
}

namespace {

EdgeProps PropsFrom(GraphImpl& impl, const v1::LineageEdgeRecord& r) {
  EdgeProps p;
  p.valid_from = r.valid_from_micros();
  p.valid_to = r.valid_to_micros();
  p.first_seen = r.provenance().first_seen_micros();
  p.last_seen = r.provenance().last_seen_micros();
  p.subtypes = r.subtype_mask();
  p.run = impl.runs.Intern(r.provenance().run_id());
  p.via = r.via_job().empty() ? kNone : impl.Intern(r.via_job());
  p.owner = r.declared_by().empty() ? kNone : impl.Intern(r.declared_by());
  p.kind = static_cast<uint8_t>(r.kind());
  p.transformation = static_cast<uint8_t>(r.transformation());
  p.source = static_cast<uint8_t>(r.provenance().source());
  return p;
}

void ClearPurged(GraphImpl& impl, uint32_t v) {
  impl.vinfo[v].flags &= static_cast<uint8_t>(~kPurged);
  if (impl.vinfo[v].parent != kNone) {
    impl.vinfo[impl.vinfo[v].parent].flags &= static_cast<uint8_t>(~kPurged);
  }
}

}  // namespace
}  // namespace internal

using internal::EdgeDesc;
using internal::EdgeProps;
using internal::kNone;

std::string_view DirectionName(Direction d) {
  switch (d) {
    case Direction::kUpstream:
      return "upstream";
    case Direction::kBoth:
      return "both";
    case Direction::kDownstream:
      break;
  }
  return "downstream";
}

std::string_view LevelName(Level l) { return l == Level::kColumn ? "column" : "dataset"; }

LineageGraph::LineageGraph() : impl_(std::make_unique<internal::GraphImpl>()) {}
LineageGraph::~LineageGraph() = default;

absl::Status LineageGraph::Load(const catalog::KeySpace& family) {
  internal::WriteGuard lock(*impl_);
  internal::GraphImpl& impl = *impl_;
  v1::LineageEdgeRecord record;
  absl::Status bad;
  // Keys arrive sorted by `from`, and one owner declares runs of edges: remembering the last
  // lookups skips most hashing of long URNs.
  std::string last_from, last_owner, last_run;
  uint32_t last_from_v = kNone, last_owner_v = kNone, last_run_id = 0;
  absl::Status scan = family.Scan(
      std::string_view("d\0", 2), "", [&](std::string_view key, std::string_view value) {
        internal::EdgeKeyParts parts;
        if (!internal::ParseDownKey(key, &parts) ||
            !record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = absl::DataLossError(
              Cat("malformed lineage edge key or record (", key.size(), " bytes)"));
          return false;
        }
        if (last_from_v == kNone || parts.from != last_from) {
          last_from.assign(parts.from);
          last_from_v = impl.Intern(parts.from);
        }
        const uint32_t from = last_from_v;
        const uint32_t to = impl.Intern(parts.to);
        if (from == kNone || to == kNone) return true;  // unparsable URN: skip, do not fail
        EdgeProps p;
        p.valid_from = record.valid_from_micros();
        p.valid_to = record.valid_to_micros();
        p.first_seen = record.provenance().first_seen_micros();
        p.last_seen = record.provenance().last_seen_micros();
        p.subtypes = record.subtype_mask();
        if (record.provenance().run_id() != last_run) {
          last_run = record.provenance().run_id();
          last_run_id = impl.runs.Intern(last_run);
        }
        p.run = last_run_id;
        p.via = record.via_job().empty() ? kNone : impl.Intern(record.via_job());
        if (parts.owner != last_owner || last_owner_v == kNone) {
          last_owner.assign(parts.owner);
          last_owner_v = impl.Intern(parts.owner);
        }
        p.owner = last_owner_v;
        p.kind = static_cast<uint8_t>(record.kind());
        p.transformation = static_cast<uint8_t>(record.transformation());
        p.source = static_cast<uint8_t>(record.provenance().source());
        impl.AddEdge(from, to, p);
        return true;
      });
  if (!scan.ok()) return scan;
  return bad;
}

void LineageGraph::Apply(const GraphDelta& delta) {
  if (delta.empty()) return;
  internal::WriteGuard lock(*impl_);
  internal::GraphImpl& impl = *impl_;
  for (const GraphEdgeUpdate& r : delta.removals) {
    const uint32_t from = impl.Find(r.from);
    const uint32_t to = impl.Find(r.to);
    const uint32_t owner = impl.Find(r.record.declared_by());
    if (from == kNone || to == kNone) continue;
    EdgeDesc e;
    if (impl.FindEdge(from, to, static_cast<uint8_t>(r.record.kind()), owner,
                      r.record.valid_from_micros(), &e)) {
      if (impl.g[e].valid_to == 0) --impl.open_edges;
      boost::remove_edge(e, impl.g);
    }
  }
  for (const std::string& urn : delta.purged) {
    const uint32_t v = impl.Find(urn);
    if (v != kNone) impl.vinfo[v].flags |= internal::kPurged;
  }
  for (const GraphEdgeUpdate& u : delta.upserts) {
    const uint32_t from = impl.Intern(u.from);
    const uint32_t to = impl.Intern(u.to);
    if (from == kNone || to == kNone) continue;
    internal::ClearPurged(impl, from);
    internal::ClearPurged(impl, to);
    const EdgeProps props = internal::PropsFrom(impl, u.record);
    EdgeDesc e;
    if (impl.FindEdge(from, to, props.kind, props.owner, props.valid_from, &e)) {
      EdgeProps& current = impl.g[e];
      if (current.valid_to == 0 && props.valid_to != 0) --impl.open_edges;
      if (current.valid_to != 0 && props.valid_to == 0) ++impl.open_edges;
      current = props;
    } else {
      impl.AddEdge(from, to, props);
    }
  }
  for (const std::string& urn : delta.removed) {
    const uint32_t v = impl.Find(urn);
    if (v != kNone) impl.vinfo[v].flags |= internal::kRemoved;
  }
}

void LineageGraph::SetRemoved(std::string_view urn, bool removed) {
  internal::WriteGuard lock(*impl_);
  const uint32_t v = impl_->Find(urn);
  if (v == kNone) return;
  uint8_t& flags = impl_->vinfo[v].flags;
  flags = removed ? (flags | internal::kRemoved) : (flags & ~internal::kRemoved);
}

bool LineageGraph::Contains(std::string_view urn) const {
  internal::ReadGuard lock(*impl_);
  const uint32_t v = impl_->Find(urn);
  return v != kNone && (impl_->vinfo[v].flags & internal::kPurged) == 0;
}

bool LineageGraph::IsRemoved(std::string_view urn) const {
  internal::ReadGuard lock(*impl_);
  const uint32_t v = impl_->Find(urn);
  return v != kNone && impl_->Hidden(v);
}

GraphStats LineageGraph::Stats() const {
  internal::ReadGuard lock(*impl_);
  return GraphStats{.vertices = boost::num_vertices(impl_->g),
                    .edges = boost::num_edges(impl_->g),
                    .open_edges = impl_->open_edges};
}

std::vector<std::string> LineageGraph::DumpEdges() const {
  internal::ReadGuard lock(*impl_);
  const internal::GraphImpl& impl = *impl_;
  std::vector<std::string> lines;
  lines.reserve(boost::num_edges(impl.g));
  for (auto [it, end] = boost::edges(impl.g); it != end; ++it) {
    const EdgeProps& p = impl.g[*it];
    lines.push_back(absl::StrFormat(
        "%s -> %s kind=%d owner=%s via=%s t=%d sub=%x src=%d run=%s seen=[%d,%d] valid=[%d,%d)%s",
        impl.UrnOf(static_cast<uint32_t>(boost::source(*it, impl.g))),
        impl.UrnOf(static_cast<uint32_t>(boost::target(*it, impl.g))), p.kind,
        p.owner == kNone ? "" : impl.UrnOf(p.owner), p.via == kNone ? "" : impl.UrnOf(p.via),
        p.transformation, p.subtypes, p.source, impl.runs.Get(p.run), p.first_seen, p.last_seen,
        p.valid_from, p.valid_to,
        impl.Hidden(static_cast<uint32_t>(boost::source(*it, impl.g))) ? " hidden-from" : ""));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace tidemark::lineage
