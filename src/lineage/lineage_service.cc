// LineageService: catalog hooks that keep the lineage column family and the graph in step, and the
// query front.
#include "lineage/lineage_service.h"

#include <set>
#include <utility>

#include "common/status_macros.h"
#include "lineage/internal/aspect_merge.h"
#include "lineage/internal/edge_keys.h"
#include "lineage/internal/str_util.h"
#include "lineage/lineage_aspects.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::lineage {
namespace {

using common::Urn;
using internal::EdgeKeyParts;

struct StoredEdge {
  std::string from, to, owner;
  v1::LineageEdgeRecord record;
  EdgeKeyParts Parts() const {
    return EdgeKeyParts{.from = from,
                        .to = to,
                        .owner = owner,
                        .kind = record.kind(),
                        .valid_from = record.valid_from_micros()};
  }
};

LineageNode RootNode(const Urn& urn) {
  LineageNode node;
  node.urn = urn.ToString();
  node.entity_type = urn.entity_type();
  if (urn.entity_type() == "schemaField") {
    absl::StatusOr<Urn> parent = urn.ParentDataset();
    if (parent.ok()) {
      node.platform = parent->PlatformName();
      node.parent = parent->ToString();
    }
    node.name = urn.FieldPath();
  } else {
    node.platform = urn.PlatformName();
    node.name = urn.entity_type() == "dataset"
                    ? urn.DatasetName()
                    : (urn.components().empty() ? std::string() : urn.components().back());
  }
  return node;
}

void PutEdge(const catalog::KeySpace& family, const StoredEdge& e, bool with_up_key,
             catalog::WriteTransaction& txn) {
  const EdgeKeyParts parts = e.Parts();
  const std::string bytes = catalog::SerializeDeterministic(e.record);
  family.Put(txn, internal::DownKey(parts), bytes);
  if (with_up_key) family.Put(txn, internal::UpKey(parts), "");
  if (e.record.valid_to_micros() == 0) {
    family.Put(txn, internal::OpenKey(parts), bytes);
  } else {
    family.Delete(txn, internal::OpenKey(parts));
    family.Put(txn, internal::ClosedKey(parts), "");
  }
}

GraphEdgeUpdate ToUpdate(const StoredEdge& e) { return GraphEdgeUpdate{e.from, e.to, e.record}; }

// Updates a stored open edge from its declaration; false when that changes nothing. Compares the
// fields it sets instead of serialising the record twice (this runs under the write lock, once
// per declared edge).
bool Refresh(const internal::DeclaredEdge& d, int64_t now, v1::LineageEdgeRecord& r) {
  // Seen again now, whatever the aspect says (it keeps the first observation for stability).
  const int64_t last_seen =
      std::max({r.provenance().last_seen_micros(), d.provenance.last_seen_micros(), now});
  const v1::LineageProvenance& p = r.provenance();
  if (r.has_provenance() && r.transformation() == d.transformation &&
      r.subtype_mask() == d.subtype_mask && r.via_job() == d.via_job &&
      p.source() == d.provenance.source() && p.run_id() == d.provenance.run_id() &&
      p.last_seen_micros() == last_seen) {
    return false;
  }
  r.set_transformation(d.transformation);
  r.set_subtype_mask(d.subtype_mask);
  r.set_via_job(d.via_job);
  r.mutable_provenance()->set_source(d.provenance.source());
  r.mutable_provenance()->set_run_id(d.provenance.run_id());
  r.mutable_provenance()->set_last_seen_micros(last_seen);
  return true;
}

}  // namespace

LineageService::LineageService(catalog::CatalogService& catalog)
    : catalog_(catalog), family_(catalog.LineageFamily()) {}
LineageService::~LineageService() = default;

absl::StatusOr<std::unique_ptr<LineageService>> LineageService::Attach(
    catalog::CatalogService& catalog) {
  if (catalog.registry().Find(kUpstreamLineageAspect) == nullptr ||
      catalog.registry().Find(kDataJobInputOutputAspect) == nullptr) {
    return absl::FailedPreconditionError(
        "lineage aspects are not registered (call RegisterLineageAspects first)");
  }
  std::unique_ptr<LineageService> service(new LineageService(catalog));
  LineageService* self = service.get();
  RETURN_IF_ERROR(self->graph_.Load(self->family_));
  // Soft-deleted entities come from the catalog's "removed" index: O(removed), not O(graph).
  for (std::string after;;) {
    ASSIGN_OR_RETURN(std::vector<std::string> removed,
                     catalog.ScanIndex("removed", "true", after, 4096));
    for (const std::string& text : removed) {
      if (self->graph_.Contains(text)) self->graph_.SetRemoved(text, true);
    }
    if (removed.size() < 4096) break;
    after = removed.back();
  }
  for (std::string_view aspect : {kUpstreamLineageAspect, kDataJobInputOutputAspect}) {
    catalog::AspectHook hook;
    hook.before_write = [self, aspect](const Urn& urn, const google::protobuf::Message* previous,
                                       google::protobuf::Message& value,
                                       catalog::WriteTransaction& txn) {
      return self->BeforeWrite(aspect, urn, previous, value, txn);
    };
    hook.after_commit = [self](const std::vector<catalog::WriteResult>&,
                               const catalog::WriteTransaction& txn) { self->AfterCommit(txn); };
    catalog.AddHook(std::string(aspect), std::move(hook));
  }
  // Every purge, whatever aspects the entity had: others' edges may point at it.
  catalog.AddPurgeHook({.before_commit =
                            [self](const Urn& urn, catalog::WriteTransaction& txn) {
                              std::lock_guard lock(self->pending_mu_);
                              self->purge_ = {txn.batch_id(), GraphDelta{}};
                              return self->CollectPurge(urn, txn, self->purge_->second);
                            },
                        .after_commit =
                            [self](const Urn&, const catalog::WriteTransaction& txn) {
                              GraphDelta delta;
                              {
                                std::lock_guard lock(self->pending_mu_);
                                if (self->purge_ && self->purge_->first == txn.batch_id()) {
                                  delta = std::move(self->purge_->second);
                                }
                                self->purge_.reset();
                              }
                              self->graph_.Apply(delta);
                            }});
  catalog::AspectHook status_hook;
  status_hook.after_commit = [self](const std::vector<catalog::WriteResult>& results,
                                    const catalog::WriteTransaction&) {
    for (const catalog::WriteResult& r : results) {
      const auto* status = dynamic_cast<const v1::Status*>(r.aspect.value.get());
      if (status != nullptr) self->graph_.SetRemoved(r.aspect.urn.ToString(), status->removed());
    }
  };
  catalog.AddHook("status", std::move(status_hook));
  return service;
}

absl::Status LineageService::BeforeWrite(std::string_view aspect, const Urn& urn,
                                         const google::protobuf::Message* previous,
                                         google::protobuf::Message& value,
                                         catalog::WriteTransaction& txn) {
  const v1::WriteContext& context = txn.context();
  const int64_t now = context.time_micros();
  if (aspect == kUpstreamLineageAspect) {
    auto& v = dynamic_cast<v1::UpstreamLineage&>(value);
    const auto* prev = dynamic_cast<const v1::UpstreamLineage*>(previous);
    if (prev != nullptr) internal::KeepManualEntries(*prev, context, v);
    internal::FillProvenance(prev, context, v);
    RETURN_IF_ERROR(NormalizeUpstreamLineage(urn, v));
  } else {
    auto& v = dynamic_cast<v1::DataJobInputOutput&>(value);
    const auto* prev = dynamic_cast<const v1::DataJobInputOutput*>(previous);
    if (prev != nullptr) internal::KeepManualEntries(*prev, context, v);
    internal::FillProvenance(prev, context, v);
    RETURN_IF_ERROR(NormalizeDataJobInputOutput(urn, v));
  }
  ASSIGN_OR_RETURN(internal::DeclaredEdges declared, internal::DeriveEdges(urn, aspect, value));

  // The edges this owner declares now, from the committed state.
  const std::string owner = urn.ToString();
  std::map<internal::EdgeIdentity, StoredEdge> open;
  absl::Status bad;
  RETURN_IF_ERROR(family_.Scan(
      internal::OpenPrefix(owner), "", [&](std::string_view key, std::string_view bytes) {
        EdgeKeyParts parts;
        StoredEdge e;
        if (!internal::ParseOwnerKey(key, &parts) ||
            !e.record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
          bad = absl::DataLossError(Cat("malformed lineage key of ", owner));
          return false;
        }
        e.from = std::string(parts.from);
        e.to = std::string(parts.to);
        e.owner = owner;
        open.emplace(internal::EdgeIdentity{e.from, e.to, parts.kind}, std::move(e));
        return true;
      }));
  RETURN_IF_ERROR(bad);
  {
    // An earlier write of the same owner in this batch is not in the store yet: apply its delta.
    std::lock_guard lock(pending_mu_);
    auto it = pending_.find(owner);
    if (it != pending_.end() && pending_batch_ == txn.batch_id()) {
      for (const GraphEdgeUpdate& u : it->second.upserts) {
        internal::EdgeIdentity id{u.from, u.to, u.record.kind()};
        if (u.record.valid_to_micros() != 0) {
          open.erase(id);
        } else {
          open[id] = StoredEdge{.from = u.from, .to = u.to, .owner = owner, .record = u.record};
        }
      }
    }
  }

  GraphDelta delta;
  for (auto& [id, d] : declared) {
    auto it = open.find(id);
    if (it != open.end()) {
      StoredEdge e = std::move(it->second);
      open.erase(it);
      if (!Refresh(d, now, e.record)) continue;
      PutEdge(family_, e, /*with_up_key=*/false, txn);
      delta.upserts.push_back(ToUpdate(e));
      continue;
    }
    StoredEdge e{.from = d.from, .to = d.to, .owner = owner, .record = {}};
    v1::LineageEdgeRecord& r = e.record;
    r.set_kind(d.kind);
    r.set_transformation(d.transformation);
    r.set_subtype_mask(d.subtype_mask);
    *r.mutable_provenance() = d.provenance;
    r.mutable_provenance()->set_first_seen_micros(now);
    r.mutable_provenance()->set_last_seen_micros(now);
    r.set_valid_from_micros(now);
    r.set_via_job(d.via_job);
    r.set_declared_by(owner);
    PutEdge(family_, e, /*with_up_key=*/true, txn);
    for (const std::string* end : {&e.from, &e.to}) {
      if (graph_.Contains(*end)) continue;
      absl::StatusOr<Urn> parsed = Urn::Parse(*end);
      if (!parsed.ok()) continue;
      ASSIGN_OR_RETURN(const bool removed, catalog_.IsRemoved(*parsed));
      if (removed) delta.removed.push_back(*end);
    }
    delta.upserts.push_back(ToUpdate(e));
  }
  for (auto& [id, e] : open) {  // no longer declared: close the interval
    e.record.set_valid_to_micros(now);
    PutEdge(family_, e, /*with_up_key=*/false, txn);
    delta.upserts.push_back(ToUpdate(e));
  }

  std::lock_guard lock(pending_mu_);
  // Deltas of another batch still pending belong to a batch that never committed.
  if (txn.batch_id() != pending_batch_) {
    pending_.clear();
    pending_batch_ = txn.batch_id();
  }
  GraphDelta& slot = pending_[owner];
  for (GraphEdgeUpdate& u : delta.upserts) slot.upserts.push_back(std::move(u));
  for (std::string& r : delta.removed) slot.removed.push_back(std::move(r));
  return absl::OkStatus();
}

void LineageService::AfterCommit(const catalog::WriteTransaction& txn) {
  GraphDelta merged;
  {
    std::lock_guard lock(pending_mu_);
    if (txn.batch_id() == pending_batch_) {
      for (auto& [owner, delta] : pending_) {
        for (auto* list : {&delta.upserts, &delta.removals}) {
          auto& target = list == &delta.upserts ? merged.upserts : merged.removals;
          std::move(list->begin(), list->end(), std::back_inserter(target));
        }
        std::move(delta.removed.begin(), delta.removed.end(), std::back_inserter(merged.removed));
      }
    }
    pending_.clear();
  }
  graph_.Apply(merged);  // one exclusive lock for the whole batch
}

absl::Status LineageService::CollectPurge(const Urn& urn, catalog::WriteTransaction& txn,
                                          GraphDelta& delta) {
  const std::string text = urn.ToString();
  std::set<std::tuple<std::string, std::string, int, std::string, int64_t>> seen;
  auto take = [&](const EdgeKeyParts& p) {
    if (!seen.emplace(std::string(p.from), std::string(p.to), p.kind, std::string(p.owner),
                      p.valid_from)
             .second) {
      return;
    }
    family_.Delete(txn, internal::DownKey(p));
    family_.Delete(txn, internal::UpKey(p));
    family_.Delete(txn, internal::OpenKey(p));
    family_.Delete(txn, internal::ClosedKey(p));
    GraphEdgeUpdate removal{std::string(p.from), std::string(p.to), {}};
    removal.record.set_kind(p.kind);
    removal.record.set_declared_by(std::string(p.owner));
    removal.record.set_valid_from_micros(p.valid_from);
    delta.removals.push_back(std::move(removal));
  };
  struct Family {
    std::string prefix;
    bool (*parse)(std::string_view, EdgeKeyParts*);
  };
  std::vector<Family> families = {
      {internal::DownPrefix(text), internal::ParseDownKey},
      {internal::UpPrefix(text), internal::ParseUpKey},
      {internal::OpenPrefix(text), internal::ParseOwnerKey},
      {internal::ClosedPrefix(text), internal::ParseOwnerKey},
  };
  if (urn.entity_type() == "dataset") {
    families.push_back({internal::FieldPrefix('d', text), internal::ParseDownKey});
    families.push_back({internal::FieldPrefix('u', text), internal::ParseUpKey});
  }
  for (const Family& f : families) {
    RETURN_IF_ERROR(family_.Scan(f.prefix, "", [&](std::string_view key, std::string_view) {
      EdgeKeyParts parts;
      if (f.parse(key, &parts)) take(parts);
      return true;
    }));
  }
  delta.purged.push_back(text);
  return absl::OkStatus();
}

absl::Status LineageService::CheckKnown(const Urn& urn) const {
  if (graph_.Contains(urn.ToString()) && !graph_.IsRemoved(urn.ToString())) {
    return absl::OkStatus();
  }
  Urn entity = urn;
  if (urn.entity_type() == "schemaField") {
    ASSIGN_OR_RETURN(entity, urn.ParentDataset());
  }
  ASSIGN_OR_RETURN(const bool exists, catalog_.Exists(entity));
  if (!exists) return absl::NotFoundError(Cat("unknown entity ", urn.ToString()));
  ASSIGN_OR_RETURN(const bool removed, catalog_.IsRemoved(entity));
  if (removed || graph_.IsRemoved(urn.ToString())) {
    return absl::NotFoundError(Cat("entity ", urn.ToString(), " is removed"));
  }
  return absl::OkStatus();
}

absl::StatusOr<TraversalResult> LineageService::Traverse(const Urn& start,
                                                         const TraversalOptions& options) const {
  if (options.level == Level::kDataset && start.entity_type() == "schemaField") {
    return absl::InvalidArgumentError("a schemaField URN needs level=column");
  }
  absl::StatusOr<TraversalResult> result = graph_.Traverse(start.ToString(), options);
  if (result.ok() || result.status().code() == absl::StatusCode::kInvalidArgument) return result;
  RETURN_IF_ERROR(CheckKnown(start));
  if (result.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(Cat("entity ", start.ToString(), " is removed"));
  }
  TraversalResult empty;
  empty.root = start.ToString();
  empty.direction = options.direction;
  empty.level = options.level;
  empty.nodes.push_back(RootNode(start));
  return empty;
}

absl::StatusOr<PathResult> LineageService::FindPaths(const Urn& from, const Urn& to,
                                                     const PathOptions& options) const {
  RETURN_IF_ERROR(CheckKnown(from));
  RETURN_IF_ERROR(CheckKnown(to));
  return graph_.FindPaths(from.ToString(), to.ToString(), options);
}

absl::StatusOr<ImpactResult> LineageService::Impact(const Urn& urn,
                                                    const ImpactOptions& options) const {
  absl::StatusOr<ImpactResult> result = graph_.Impact(urn.ToString(), options);
  if (result.ok()) return result;
  RETURN_IF_ERROR(CheckKnown(urn));
  if (result.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(Cat("entity ", urn.ToString(), " is removed"));
  }
  ImpactResult empty;
  empty.root = urn.ToString();
  return empty;
}

}  // namespace tidemark::lineage
