// LineageColumnEdges and PropagationLoop; see glossary_lineage_adapter.h.
#include "server/glossary_lineage_adapter.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::server {

using common::Urn;

std::vector<glossary::ColumnEdge> LineageColumnEdges::Edges(const Urn& field,
                                                            lineage::Direction direction) const {
  std::vector<glossary::ColumnEdge> out;
  lineage::TraversalOptions options;
  options.direction = direction;
  options.max_depth = 1;
  options.level = lineage::Level::kColumn;
  auto result = lineage_.graph().Traverse(field.ToString(), options);
  if (!result.ok()) return out;  // no lineage, or removed
  const bool down = direction == lineage::Direction::kDownstream;
  for (const auto& e : result->edges) {
    if (e.kind != v1::COLUMN || e.valid_to_micros != 0) continue;
    const std::string& self = down ? e.from : e.to;
    if (self != field.ToString()) continue;
    auto other = Urn::Parse(down ? e.to : e.from);
    if (!other.ok() || other->entity_type() != "schemaField") continue;
    // Masking (hashing, redaction) never keeps the value, whatever the transformation says.
    bool masked = false;
    for (auto s : e.subtypes) masked |= s == v1::MASKING;
    out.push_back({*other, e.transformation == v1::IDENTITY && !masked});
  }
  return out;
}

std::vector<glossary::ColumnEdge> LineageColumnEdges::Downstream(const Urn& field) const {
  return Edges(field, lineage::Direction::kDownstream);
}

std::vector<glossary::ColumnEdge> LineageColumnEdges::Upstream(const Urn& field) const {
  return Edges(field, lineage::Direction::kUpstream);
}

std::vector<std::string> LineageColumnEdges::LineageAspects() const {
  return {"upstreamLineage", "dataJobInputOutput"};
}

std::vector<Urn> LineageColumnEdges::FieldsTouchedBy(const Urn& urn, std::string_view aspect,
                                                     int64_t version) const {
  std::vector<Urn> out;
  auto add = [&out](const std::string& text) {
    auto u = Urn::Parse(text);
    if (u.ok() && u->entity_type() == "schemaField") out.push_back(*std::move(u));
  };
  for (int64_t v : {version, version - 1}) {
    if (v < 1) continue;
    auto a = lineage_.catalog().GetAspect(urn, aspect, v);
    if (!a.ok()) continue;
    if (aspect == "upstreamLineage") {
      for (const auto& f :
           static_cast<const v1::UpstreamLineage&>(*a->value).fine_grained_lineages())
        for (const auto& d : f.downstreams()) add(d);
    } else if (aspect == "dataJobInputOutput") {
      const auto& io = static_cast<const v1::DataJobInputOutput&>(*a->value);
      for (const auto& f : io.fine_grained_lineages())
        for (const auto& d : f.downstreams()) add(d);
      for (const auto& d : io.output_dataset_fields()) add(d);
    }
  }
  return out;
}

void PropagationLoop::Start(std::chrono::milliseconds interval) {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, interval, [this] { return stop_ || poked_; });
      if (stop_) break;
      poked_ = false;
      lock.unlock();
      auto stats = propagator_.CatchUp();
      if (!stats.ok()) {
        common::Log(common::LogLevel::kError,
                    absl::StrCat("glossary propagation: ", stats.status().message()));
      }
      lock.lock();
    }
  });
}

void PropagationLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PropagationLoop::Poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

}  // namespace tidemark::server
