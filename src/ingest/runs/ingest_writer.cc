// Tolerant batch parsing and counted writes; see ingest_writer.h.
#include "ingest/runs/ingest_writer.h"

#include <boost/json.hpp>
#include <set>

#include "common/status_macros.h"
#include "ingest/runs/str_util.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace {

namespace json = boost::json;
namespace pb = google::protobuf;

v1::IngestError MakeError(std::string path, absl::string_view message) {
  v1::IngestError e;
  e.set_path(std::move(path));
  e.set_message(std::string(message));
  return e;
}

bool IsLineageAspect(std::string_view aspect) {
  return aspect == "upstreamLineage" || aspect == "dataJobInputOutput";
}

// Copy of a lineage value without provenance, for comparison.
std::string LineageKey(const pb::Message& m) {
  if (const auto* up = dynamic_cast<const v1::UpstreamLineage*>(&m)) {
    v1::UpstreamLineage copy = *up;
    for (auto& u : *copy.mutable_upstreams()) u.clear_provenance();
    for (auto& f : *copy.mutable_fine_grained_lineages()) f.clear_provenance();
    return catalog::SerializeDeterministic(copy);
  }
  if (const auto* io = dynamic_cast<const v1::DataJobInputOutput*>(&m)) {
    v1::DataJobInputOutput copy = *io;
    copy.clear_provenance();
    for (auto& f : *copy.mutable_fine_grained_lineages()) f.clear_provenance();
    return catalog::SerializeDeterministic(copy);
  }
  return catalog::SerializeDeterministic(m);
}

int64_t EdgeCount(const pb::Message& m) {
  if (const auto* up = dynamic_cast<const v1::UpstreamLineage*>(&m)) {
    return up->upstreams_size() + up->fine_grained_lineages_size();
  }
  if (const auto* io = dynamic_cast<const v1::DataJobInputOutput*>(&m)) {
    return io->input_datasets_size() + io->output_datasets_size() +
           io->fine_grained_lineages_size();
  }
  return 0;
}

}  // namespace

absl::StatusOr<ParsedWrites> ParseWritesTolerant(const catalog::AspectRegistry& registry,
                                                 std::string_view body) {
  json::error_code ec;
  json::value doc = json::parse(json::string_view(body.data(), body.size()), ec);
  if (ec) return absl::InvalidArgumentError(Cat("body is not JSON: ", ec.message()));
  const json::array* items = doc.if_array();
  if (items == nullptr && doc.is_object()) {
    if (const json::value* w = doc.as_object().if_contains("writes")) items = w->if_array();
  }
  if (items == nullptr) {
    return absl::InvalidArgumentError(R"(body must be {"writes":[...]} or an array)");
  }
  ParsedWrites out;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string where = Cat("writes[", i, "]");
    const json::object* item = (*items)[i].if_object();
    const json::value* urn = item ? item->if_contains("urn") : nullptr;
    const json::value* aspect = item ? item->if_contains("aspect") : nullptr;
    const json::value* value = item ? item->if_contains("value") : nullptr;
    if (urn == nullptr || !urn->is_string() || aspect == nullptr || !aspect->is_string() ||
        value == nullptr || !value->is_object()) {
      out.errors.push_back(MakeError(where, "needs string urn, string aspect and object value"));
      continue;
    }
    const std::string urn_text(urn->as_string());
    const std::string aspect_name(aspect->as_string());
    auto parsed = common::Urn::Parse(urn_text);
    if (!parsed.ok()) {
      out.errors.push_back(MakeError(Cat(where, " ", urn_text), parsed.status().message()));
      continue;
    }
    auto message = registry.FromJson(*parsed, aspect_name, json::serialize(*value));
    if (!message.ok()) {
      out.errors.push_back(
          MakeError(Cat(where, " ", urn_text, " ", aspect_name), message.status().message()));
      continue;
    }
    out.writes.push_back({*std::move(parsed), aspect_name, *std::move(message)});
  }
  return out;
}

ParsedWrites ToAspectWrites(const catalog::AspectRegistry& registry,
                            const std::vector<MappedAspect>& aspects) {
  ParsedWrites out;
  for (const MappedAspect& a : aspects) {
    auto message = registry.FromJson(a.urn, a.aspect, catalog::AspectRegistry::ToJson(*a.value));
    if (!message.ok()) {
      out.errors.push_back(
          MakeError(Cat(a.urn.ToString(), " ", a.aspect), message.status().message()));
      continue;
    }
    out.writes.push_back({a.urn, a.aspect, *std::move(message)});
  }
  return out;
}

absl::StatusOr<v1::IngestCounts> WriteIngested(catalog::CatalogService& catalog,
                                               std::vector<catalog::AspectWrite> writes,
                                               const catalog::WriteOrigin& origin,
                                               size_t max_per_write) {
  v1::IngestCounts counts;
  std::set<std::string> seen, written;
  std::vector<catalog::AspectWrite> pending;
  auto flush = [&]() -> absl::Status {
    if (pending.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(auto results, catalog.Write(std::move(pending), origin));
    pending.clear();
    for (const catalog::WriteResult& r : results) {
      const int64_t edges = r.aspect.value ? EdgeCount(*r.aspect.value) : 0;
      if (r.unchanged) {
        counts.set_aspects_unchanged(counts.aspects_unchanged() + 1);
        counts.set_edges_unchanged(counts.edges_unchanged() + edges);
      } else {
        counts.set_aspects_written(counts.aspects_written() + 1);
        counts.set_edges_written(counts.edges_written() + edges);
        written.insert(r.aspect.urn.ToString());
      }
    }
    return absl::OkStatus();
  };
  for (catalog::AspectWrite& w : writes) {
    seen.insert(w.urn.ToString());
    if (IsLineageAspect(w.aspect)) {
      auto previous = catalog.GetAspect(w.urn, w.aspect);
      if (previous.ok() && previous->value != nullptr &&
          LineageKey(*previous->value) == LineageKey(*w.value)) {
        counts.set_aspects_unchanged(counts.aspects_unchanged() + 1);
        counts.set_edges_unchanged(counts.edges_unchanged() + EdgeCount(*w.value));
        continue;
      }
    }
    pending.push_back(std::move(w));
    if (pending.size() >= max_per_write) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  counts.set_entities_seen(static_cast<int64_t>(seen.size()));
  counts.set_entities_written(static_cast<int64_t>(written.size()));
  return counts;
}

}  // namespace tidemark::ingest
