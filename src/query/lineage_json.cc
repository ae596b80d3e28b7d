// Lineage results → JSON; see lineage_json.h.
#include "query/lineage_json.h"

#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <set>

#include "common/time.h"
#include "common/urn.h"
#include "lineage/openlineage_naming.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::query {
namespace {

namespace json = boost::json;
using lineage::LineageEdge;
using lineage::LineageNode;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

json::object NodeJson(const LineageNode& n) {
  json::object o;
  o["urn"] = n.urn;
  o["type"] = n.entity_type;
  o["platform"] = n.platform;
  o["name"] = n.name;
  if (!n.parent.empty()) o["parent"] = n.parent;
  o["hops"] = n.hops;
  return o;
}

json::object EdgeJson(const LineageEdge& e) {
  json::object o;
  o["from"] = e.from;
  o["to"] = e.to;
  o["kind"] = v1::LineageEdgeKind_Name(e.kind);
  if (e.transformation != v1::TRANSFORMATION_TYPE_UNSPECIFIED || !e.subtypes.empty()) {
    json::object t;
    if (e.transformation != v1::TRANSFORMATION_TYPE_UNSPECIFIED) {
      t["type"] = v1::TransformationType_Name(e.transformation);
    } else {
      t["type"] = nullptr;
    }
    json::array subtypes;
    for (auto s : e.subtypes) subtypes.emplace_back(v1::TransformationSubtype_Name(s));
    t["subtypes"] = std::move(subtypes);
    o["transformation"] = std::move(t);
  }
  json::object p;
  p["source"] = e.provenance.source == v1::SOURCE_KIND_UNSPECIFIED
                    ? json::value(nullptr)
                    : json::value(Lower(v1::SourceKind_Name(e.provenance.source)));
  p["runId"] = e.provenance.run_id;
  p["firstSeen"] = FormatMicros(e.provenance.first_seen_micros);
  p["lastSeen"] = FormatMicros(e.provenance.last_seen_micros);
  o["provenance"] = std::move(p);
  if (!e.via_job.empty()) o["via"] = e.via_job;
  o["validFrom"] = FormatMicros(e.valid_from_micros);
  if (e.valid_to_micros != 0) o["validTo"] = FormatMicros(e.valid_to_micros);
  return o;
}

// Marquez node id of a URN, or empty for entities Marquez has no notion of.
std::string MarquezId(const std::string& urn_text) {
  absl::StatusOr<common::Urn> urn = common::Urn::Parse(urn_text);
  if (!urn.ok()) return "";
  const std::string& type = urn->entity_type();
  if (type != "dataset" && type != "dataJob" && type != "schemaField") return "";
  absl::StatusOr<lineage::MarquezNodeId> id = lineage::MarquezNodeIdFromUrn(*urn);
  return id.ok() ? lineage::FormatMarquezNodeId(*id) : "";
}

json::object EdgeRef(const std::string& origin, const std::string& destination) {
  return json::object{{"origin", origin}, {"destination", destination}};
}

}  // namespace

std::string FormatMicros(int64_t micros) {
  if (micros == 0) return "";
  return common::FormatRfc3339(micros, common::FractionDigits::kMicros);
}

std::string TraversalToJson(const lineage::TraversalResult& r) {
  json::object out;
  out["root"] = r.root;
  out["direction"] = std::string(lineage::DirectionName(r.direction));
  out["level"] = std::string(lineage::LevelName(r.level));
  json::array nodes;
  for (const auto& n : r.nodes) nodes.emplace_back(NodeJson(n));
  json::array edges;
  for (const auto& e : r.edges) edges.emplace_back(EdgeJson(e));
  out["nodes"] = std::move(nodes);
  out["edges"] = std::move(edges);
  out["truncated"] = r.truncated;
  return json::serialize(out);
}

std::string PathsToJson(const lineage::PathResult& r) {
  json::object out;
  out["from"] = r.from;
  out["to"] = r.to;
  out["level"] = std::string(lineage::LevelName(r.level));
  out["found"] = !r.paths.empty();
  out["complete"] = r.complete;
  if (!r.complete) out["incompleteReason"] = r.incomplete_reason;
  json::array paths;
  for (const auto& p : r.paths) {
    json::array nodes;
    for (const auto& n : p.nodes) nodes.emplace_back(n);
    json::array edges;
    for (const auto& e : p.edges) edges.emplace_back(EdgeJson(e));
    paths.emplace_back(json::object{
        {"length", p.edges.size()}, {"nodes", std::move(nodes)}, {"edges", std::move(edges)}});
  }
  out["paths"] = std::move(paths);
  if (r.paths.empty()) out["message"] = "no path from " + r.from + " to " + r.to;
  return json::serialize(out);
}

std::string ImpactToJson(const lineage::ImpactResult& r, const catalog::CatalogService& catalog) {
  std::map<std::string, json::array> owners_of;  // cache per owning entity
  auto owners = [&](const LineageNode& n) -> const json::array& {
    const std::string& entity = n.parent.empty() ? n.urn : n.parent;
    auto [it, inserted] = owners_of.try_emplace(entity);
    if (!inserted) return it->second;
    absl::StatusOr<common::Urn> urn = common::Urn::Parse(entity);
    if (!urn.ok()) return it->second;
    absl::StatusOr<catalog::VersionedAspect> aspect = catalog.GetAspect(*urn, "ownership");
    if (!aspect.ok()) return it->second;
    const auto* ownership = dynamic_cast<const v1::Ownership*>(aspect->value.get());
    if (ownership == nullptr) return it->second;
    for (const v1::Owner& o : ownership->owners()) {
      it->second.emplace_back(
          json::object{{"owner", o.owner()}, {"type", v1::OwnershipType_Name(o.type())}});
    }
    return it->second;
  };
  json::object out;
  out["root"] = r.root;
  out["truncated"] = r.truncated;
  size_t total = 0;
  json::array levels;
  for (const auto& level : r.levels) {
    json::array nodes;
    for (const auto& n : level.nodes) {
      json::object node = NodeJson(n);
      node["owners"] = owners(n);
      nodes.emplace_back(std::move(node));
    }
    total += level.nodes.size();
    levels.emplace_back(json::object{{"hops", level.hops}, {"nodes", std::move(nodes)}});
  }
  out["total"] = total;
  out["levels"] = std::move(levels);
  return json::serialize(out);
}

std::string MarquezLineageJson(const lineage::TraversalResult& r) {
  struct Node {
    std::string type;
    json::object data;
    json::array in, out;
  };
  std::map<std::string, Node> nodes;  // Marquez id → node (sorted output)
  std::map<std::string, std::string> id_of;
  for (const auto& n : r.nodes) {
    const std::string id = MarquezId(n.urn);
    if (id.empty()) continue;
    id_of[n.urn] = id;
    absl::StatusOr<lineage::MarquezNodeId> parsed = lineage::ParseMarquezNodeId(id);
    if (!parsed.ok()) continue;
    const bool job = parsed->kind == lineage::MarquezNodeId::Kind::kJob;
    Node node;
    node.type = job ? "JOB" : "DATASET";
    node.data = json::object{
        {"id", json::object{{"namespace", parsed->name.ns}, {"name", parsed->name.name}}},
        {"type", job ? "BATCH" : "DB_TABLE"},
        {"name", parsed->name.name},
        {"namespace", parsed->name.ns},
        {"urn", n.urn}};
    if (!job) node.data["physicalName"] = parsed->name.name;
    nodes.emplace(id, std::move(node));
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& e : r.edges) {
    auto from = id_of.find(e.from);
    auto to = id_of.find(e.to);
    if (from == id_of.end() || to == id_of.end()) continue;
    if (!seen.emplace(from->second, to->second).second) continue;
    nodes[from->second].out.emplace_back(EdgeRef(from->second, to->second));
    nodes[to->second].in.emplace_back(EdgeRef(from->second, to->second));
  }
  json::array graph;
  for (auto& [id, n] : nodes) {
    graph.emplace_back(json::object{{"id", id},
                                    {"type", n.type},
                                    {"data", std::move(n.data)},
                                    {"inEdges", std::move(n.in)},
                                    {"outEdges", std::move(n.out)}});
  }
  return json::serialize(json::object{{"graph", std::move(graph)}});
}

std::string MarquezColumnLineageJson(const lineage::TraversalResult& r) {
  struct Node {
    lineage::MarquezNodeId id;
    json::array inputs, in, out;
  };
  std::map<std::string, Node> nodes;
  std::map<std::string, std::string> id_of;
  for (const auto& n : r.nodes) {
    if (n.entity_type != "schemaField") continue;
    const std::string id = MarquezId(n.urn);
    absl::StatusOr<lineage::MarquezNodeId> parsed = lineage::ParseMarquezNodeId(id);
    if (id.empty() || !parsed.ok()) continue;
    id_of[n.urn] = id;
    nodes[id].id = *parsed;
  }
  for (const auto& e : r.edges) {
    auto from = id_of.find(e.from);
    auto to = id_of.find(e.to);
    if (from == id_of.end() || to == id_of.end()) continue;
    Node& dst = nodes[to->second];
    const Node& src = nodes[from->second];
    std::string description;
    for (auto s : e.subtypes) {
      description += (description.empty() ? "" : ",") + v1::TransformationSubtype_Name(s);
    }
    dst.inputs.emplace_back(json::object{
        {"namespace", src.id.name.ns},
        {"dataset", src.id.name.name},
        {"field", src.id.field},
        {"transformationDescription", description},
        {"transformationType", e.transformation == v1::TRANSFORMATION_TYPE_UNSPECIFIED
                                   ? json::value(nullptr)
                                   : json::value(v1::TransformationType_Name(e.transformation))}});
    dst.in.emplace_back(EdgeRef(from->second, to->second));
    nodes[from->second].out.emplace_back(EdgeRef(from->second, to->second));
  }
  json::array graph;
  for (auto& [id, n] : nodes) {
    graph.emplace_back(json::object{{"id", id},
                                    {"type", "DATASET_FIELD"},
                                    {"data", json::object{{"namespace", n.id.name.ns},
                                                          {"dataset", n.id.name.name},
                                                          {"field", n.id.field},
                                                          {"fieldType", nullptr},
                                                          {"inputFields", std::move(n.inputs)}}},
                                    {"inEdges", std::move(n.in)},
                                    {"outEdges", std::move(n.out)}});
  }
  return json::serialize(json::object{{"graph", std::move(graph)}});
}

}  // namespace tidemark::query
