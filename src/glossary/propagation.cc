// Propagation along IDENTITY column edges; see propagation.h.
#include "glossary/propagation.h"

#include <deque>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "glossary/glossary_aspects.h"
#include "glossary/removal_memory.h"
#include "storage/key_codec.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/glossary.pb.h"

namespace tidemark::glossary {
namespace {

using common::Urn;
using Key = std::pair<int, std::string>;  // (kind, value)

// The direct assignments of each column, read once per dataset per recomputation: the
// fieldAssignments aspect plus the DataHub-native column terms of schemaMetadata and
// editableSchemaMetadata (as TERM assignments).
class DatasetCache {
 public:
  explicit DatasetCache(const catalog::CatalogService& catalog) : catalog_(catalog) {}

  const v1::FieldAssignment* Direct(const Urn& field) {
    auto dataset = field.ParentDataset();
    if (!dataset.ok()) return nullptr;
    auto [it, inserted] = direct_.try_emplace(dataset->ToString());
    if (inserted) Load(*dataset, it->second);
    auto f = it->second.find(field.FieldPath());
    return f == it->second.end() ? nullptr : &f->second;
  }

 private:
  using Fields = std::map<std::string, v1::FieldAssignment>;

  static void AddTerms(Fields& fields, const std::string& path, const v1::GlossaryTerms& terms) {
    for (const auto& t : terms.terms()) {
      v1::FieldAssignment& f = fields[path];
      f.set_field_path(path);
      bool present = false;
      for (const auto& a : f.assignments()) present |= a.kind() == v1::TERM && a.value() == t.urn();
      if (present) continue;
      auto* a = f.add_assignments();
      a->set_kind(v1::TERM);
      a->set_value(t.urn());
    }
  }

  void Load(const Urn& dataset, Fields& fields) {
    if (auto a = catalog_.GetAspect(dataset, kFieldAssignmentsAspect); a.ok()) {
      for (const auto& f : static_cast<const v1::FieldAssignments&>(*a->value).fields())
        fields[f.field_path()] = f;
    }
    if (auto a = catalog_.GetAspect(dataset, "schemaMetadata"); a.ok()) {
      for (const auto& f : static_cast<const v1::SchemaMetadata&>(*a->value).fields())
        AddTerms(fields, f.field_path(), f.glossary_terms());
    }
    if (auto a = catalog_.GetAspect(dataset, "editableSchemaMetadata"); a.ok()) {
      for (const auto& f :
           static_cast<const v1::EditableSchemaMetadata&>(*a->value).editable_schema_field_info())
        AddTerms(fields, f.field_path(), f.glossary_terms());
    }
  }

  const catalog::CatalogService& catalog_;
  std::map<std::string, Fields> direct_;
};

// Columns of `value` (an aspect of `aspect`) that carry assignments or column terms.
void ColumnsWithAssignments(const Urn& dataset, std::string_view aspect,
                            const google::protobuf::Message& value, std::vector<Urn>& out) {
  auto add = [&](const std::string& path) {
    if (!path.empty()) out.push_back(Urn::SchemaField(dataset, path));
  };
  if (aspect == kFieldAssignmentsAspect) {
    for (const auto& f : static_cast<const v1::FieldAssignments&>(value).fields())
      add(f.field_path());
  } else if (aspect == "schemaMetadata") {
    for (const auto& f : static_cast<const v1::SchemaMetadata&>(value).fields())
      if (!f.glossary_terms().terms().empty()) add(f.field_path());
  } else if (aspect == "editableSchemaMetadata") {
    for (const auto& f :
         static_cast<const v1::EditableSchemaMetadata&>(value).editable_schema_field_info())
      if (!f.glossary_terms().terms().empty()) add(f.field_path());
  }
}

bool Propagates(const v1::Assignment& a) {
  return (a.kind() == v1::TERM || a.kind() == v1::CLASS) && a.review() != v1::REJECTED;
}

bool Tombstoned(const v1::FieldAssignment* f, const Key& key) {
  if (f == nullptr) return false;
  for (const auto& r : f->removed())
    if (r.kind() == key.first && r.value() == key.second) return true;
  return false;
}

// Everything that reaches `field` over IDENTITY edges, shortest paths first.
std::vector<v1::PropagatedAssignment> Incoming(const Urn& field, const ColumnEdgeSource& edges,
                                               DatasetCache& cache) {
  std::vector<v1::PropagatedAssignment> out;
  std::set<std::pair<Key, std::string>> seen;  // (kind, value), origin
  std::set<Key> values_seen;
  const v1::FieldAssignment* self = cache.Direct(field);
  // BFS upstream; path[i] is the chain from the visited column down to `field`.
  std::map<std::string, std::vector<std::string>> path_of = {{field.ToString(), {}}};
  std::deque<Urn> queue = {field};
  while (!queue.empty() && path_of.size() < static_cast<size_t>(Propagator::kMaxAffected)) {
    Urn current = queue.front();
    queue.pop_front();
    for (const ColumnEdge& e : edges.Upstream(current)) {
      if (!e.identity || path_of.contains(e.field.ToString())) continue;
      std::vector<std::string> path = {e.field.ToString()};
      const auto& below = path_of[current.ToString()];
      if (below.empty()) {
        path.push_back(field.ToString());
      } else {
        path.insert(path.end(), below.begin(), below.end());
      }
      path_of[e.field.ToString()] = path;
      queue.push_back(e.field);
      const v1::FieldAssignment* origin = cache.Direct(e.field);
      if (origin == nullptr) continue;
      for (const auto& a : origin->assignments()) {
        Key key{a.kind(), a.value()};
        if (!Propagates(a) || Tombstoned(self, key)) continue;
        if (!seen.emplace(key, e.field.ToString()).second) continue;
        v1::PropagatedAssignment p;
        p.set_kind(a.kind());
        p.set_value(a.value());
        p.set_origin(e.field.ToString());
        for (const auto& step : path) p.add_path(step);
        out.push_back(std::move(p));
      }
    }
  }
  return out;
}

}  // namespace

Propagator::Propagator(catalog::CatalogService& catalog, const ColumnEdgeSource* edges)
    : catalog_(catalog), edges_(edges) {}

void Propagator::SetEdgeSource(const ColumnEdgeSource* edges) {
  std::lock_guard lock(mu_);
  edges_ = edges;
}

absl::Status Propagator::LoadCursor() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(std::optional<std::string> saved,
                   catalog_.Meta(kGlossaryMetaSpace).Get(CursorKey()));
  if (saved.has_value() && absl::SimpleAtoi(*saved, &cursor_)) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto page, catalog_.ReadChanges(0, 1));
  cursor_ = page.latest_seq;
  return SaveCursor();
}

std::string Propagator::CursorKey() { return storage::JoinKey({"propagation", "cursor"}); }

absl::Status Propagator::SaveCursor() {
  return catalog_.Meta(kGlossaryMetaSpace).Put(CursorKey(), std::to_string(cursor_));
}

absl::StatusOr<RecomputeStats> Propagator::Recompute(const std::vector<Urn>& seeds) {
  std::lock_guard lock(mu_);
  return RecomputeLocked(seeds);
}

absl::StatusOr<RecomputeStats> Propagator::RecomputeLocked(const std::vector<Urn>& seeds) {
  RecomputeStats stats;
  if (edges_ == nullptr || seeds.empty()) return stats;
  // 1. The seeds and everything IDENTITY-downstream of them (each once, so cycles end).
  std::set<std::string> affected;
  std::vector<Urn> order;
  std::deque<Urn> queue;
  for (const Urn& s : seeds) {
    if (s.entity_type() == "schemaField" && affected.insert(s.ToString()).second) {
      queue.push_back(s);
      order.push_back(s);
    }
  }
  while (!queue.empty() && affected.size() < static_cast<size_t>(kMaxAffected)) {
    Urn current = queue.front();
    queue.pop_front();
    for (const ColumnEdge& e : edges_->Downstream(current)) {
      if (!e.identity || !affected.insert(e.field.ToString()).second) continue;
      queue.push_back(e.field);
      order.push_back(e.field);
    }
  }
  stats.affected_fields = order.size();
  // 2. Recompute each affected column from its upstream closure, grouped by dataset.
  DatasetCache cache(catalog_);
  std::map<std::string, std::map<std::string, std::vector<v1::PropagatedAssignment>>> by_dataset;
  for (const Urn& field : order) {
    ASSIGN_OR_RETURN(Urn dataset, field.ParentDataset());
    by_dataset[dataset.ToString()][field.FieldPath()] = Incoming(field, *edges_, cache);
  }
  // 3. Replace those columns' entries in each dataset's propagatedAssignments.
  std::vector<catalog::AspectWrite> writes;
  for (auto& [dataset_text, fields] : by_dataset) {
    ASSIGN_OR_RETURN(Urn dataset, Urn::Parse(dataset_text));
    v1::PropagatedAssignments before;
    auto current = catalog_.GetAspect(dataset, kPropagatedAspect);
    if (current.ok()) before.CopyFrom(*current->value);
    if (!current.ok() && current.status().code() != absl::StatusCode::kNotFound)
      return current.status();
    std::map<std::string, v1::PropagatedField> merged;
    for (const auto& f : before.fields()) merged[f.field_path()] = f;
    for (auto& [path, list] : fields) {
      if (list.empty()) {
        merged.erase(path);
        continue;
      }
      v1::PropagatedField f;
      f.set_field_path(path);
      for (auto& p : list) *f.add_assignments() = std::move(p);
      merged[path] = std::move(f);
    }
    auto after = std::make_unique<v1::PropagatedAssignments>();
    for (auto& [path, f] : merged) *after->add_fields() = std::move(f);
    if (catalog::SerializeDeterministic(*after) == catalog::SerializeDeterministic(before))
      continue;
    if (!current.ok() && after->fields().empty()) continue;
    writes.push_back({dataset, kPropagatedAspect, std::move(after)});
  }
  stats.written_datasets = writes.size();
  if (!writes.empty()) {
    RETURN_IF_ERROR(catalog_
                        .Write(std::move(writes), {.actor = "urn:li:corpuser:tidemark-propagation",
                                                   .source = v1::API,
                                                   .run_id = "glossary-propagation"})
                        .status());
  }
  return stats;
}

absl::StatusOr<RecomputeStats> Propagator::CatchUp() {
  std::lock_guard lock(mu_);
  RecomputeStats total;
  std::set<std::string> lineage_aspects;
  if (edges_ != nullptr) {
    for (auto& a : edges_->LineageAspects()) lineage_aspects.insert(a);
  }
  while (true) {
    ASSIGN_OR_RETURN(auto page, catalog_.ReadChanges(cursor_, 1000));
    std::vector<Urn> seeds;
    for (const auto& event : page.events) {
      if (edges_ == nullptr) break;
      auto urn = Urn::Parse(event.urn());
      if (!urn.ok()) continue;
      if (event.aspect() == kFieldAssignmentsAspect || event.aspect() == "schemaMetadata" ||
          event.aspect() == "editableSchemaMetadata") {
        // Columns of this and the previous version: removals matter as much as additions.
        for (int64_t v : {event.version(), event.version() - 1}) {
          if (v < 1) continue;
          auto a = catalog_.GetAspect(*urn, event.aspect(), v);
          if (a.ok()) ColumnsWithAssignments(*urn, event.aspect(), *a->value, seeds);
        }
      } else if (lineage_aspects.contains(event.aspect())) {
        for (Urn& f : edges_->FieldsTouchedBy(*urn, event.aspect(), event.version()))
          seeds.push_back(std::move(f));
      }
    }
    if (!seeds.empty()) {
      ASSIGN_OR_RETURN(RecomputeStats stats, RecomputeLocked(seeds));
      total.affected_fields += stats.affected_fields;
      total.written_datasets += stats.written_datasets;
    }
    if (page.next_since != cursor_) {
      cursor_ = page.next_since;
      RETURN_IF_ERROR(SaveCursor());
    }
    if (page.events.empty() || page.next_since >= page.latest_seq) break;
  }
  return total;
}

}  // namespace tidemark::glossary
