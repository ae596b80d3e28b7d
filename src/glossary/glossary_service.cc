// GlossaryService: hooks, term resolution with carriers, tree, YAML import/export; see
// glossary_service.h.
#include "glossary/glossary_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "glossary/glossary_aspects.h"
#include "glossary/glossary_yaml.h"
#include "glossary/removal_memory.h"
#include "storage/key_codec.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::glossary {
namespace {

namespace pb = google::protobuf;
using common::Urn;

using Indexes = GlossaryService::Indexes;

absl::StatusOr<Indexes> RegisterIndexes(catalog::CatalogService& catalog) {
  Indexes indexes;
  ASSIGN_OR_RETURN(catalog::KeySpace review, catalog.RegisterIndex(kReviewIndex));
  indexes.emplace(kReviewIndex, review);
  const pb::EnumDescriptor* kinds = v1::AssignmentKind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    for (const char* family : {"glossaryAssigned", "glossaryPropagated"}) {
      std::string name = absl::StrCat(family, kinds->value(i)->name());
      ASSIGN_OR_RETURN(catalog::KeySpace space, catalog.RegisterIndex(name));
      indexes.emplace(std::move(name), space);
    }
  }
  return indexes;
}

absl::Status DiffIndex(const Indexes& indexes, std::vector<IndexEntry> before,
                       std::vector<IndexEntry> after, catalog::WriteTransaction& txn) {
  std::set<IndexEntry> old_set(before.begin(), before.end());
  std::set<IndexEntry> new_set(after.begin(), after.end());
  for (const auto* set : {&old_set, &new_set}) {
    const bool put = set == &new_set;
    for (const auto& e : *set) {
      if ((put ? old_set : new_set).contains(e)) continue;
      auto index = indexes.find(e.index);
      if (index == indexes.end()) {
        return absl::InternalError(absl::StrCat("glossary index ", e.index, " is not registered"));
      }
      const std::string key = storage::JoinKey({e.value, e.urn});
      if (put) {
        index->second.Put(txn, key, "");
      } else {
        index->second.Delete(txn, key);
      }
    }
  }
  return absl::OkStatus();
}

template <typename T>
const T* As(const pb::Message* m) {
  return static_cast<const T*>(m);
}

}  // namespace

GlossaryService::GlossaryService(catalog::CatalogService& catalog, const ColumnEdgeSource* edges)
    : catalog_(catalog), assignments_(catalog), propagator_(catalog, edges) {}

GlossaryService::~GlossaryService() = default;

absl::StatusOr<std::unique_ptr<GlossaryService>> GlossaryService::Attach(
    catalog::CatalogService& catalog, const ColumnEdgeSource* edges) {
  for (const char* aspect : {kTermInfoAspect, kNodeInfoAspect, kRelatedTermsAspect,
                             kFieldAssignmentsAspect, kPropagatedAspect}) {
    if (catalog.registry().Find(aspect) == nullptr)
      return absl::FailedPreconditionError(
          absl::StrCat("aspect ", aspect, " is not registered (call RegisterGlossaryAspects)"));
  }
  std::unique_ptr<GlossaryService> service(new GlossaryService(catalog, edges));
  ASSIGN_OR_RETURN(service->indexes_, RegisterIndexes(catalog));
  RETURN_IF_ERROR(service->LoadIndex());
  RETURN_IF_ERROR(service->propagator_.LoadCursor());
  service->AddHooks();
  AttachRemovalMemory(catalog);
  return service;
}

absl::Status GlossaryService::LoadIndex() {
  std::string after;
  while (true) {
    ASSIGN_OR_RETURN(auto page, catalog_.ScanIndex("type", "glossaryTerm", after, 1000));
    for (const std::string& text : page) {
      ASSIGN_OR_RETURN(Urn urn, Urn::Parse(text));
      auto info = catalog_.GetAspect(urn, kTermInfoAspect);
      if (info.ok()) index_.Put(text, static_cast<const v1::GlossaryTermInfo&>(*info->value));
    }
    if (page.size() < 1000) return absl::OkStatus();
    after = page.back();
  }
}

void GlossaryService::AddHooks() {
  const Indexes* indexes = &indexes_;
  catalog::AspectHook term_hook;
  term_hook.after_commit = [this](const std::vector<catalog::WriteResult>& results,
                                  const catalog::WriteTransaction&) {
    for (const auto& r : results)
      index_.Put(r.aspect.urn.ToString(), *As<v1::GlossaryTermInfo>(r.aspect.value.get()));
  };
  catalog_.AddHook(kTermInfoAspect, std::move(term_hook));
  catalog_.AddPurgeHook({.after_commit = [this](const Urn& urn, const catalog::WriteTransaction&) {
    index_.Remove(urn.ToString());
  }});

  catalog::AspectHook assigned;
  assigned.before_write = [indexes](const Urn& urn, const pb::Message* previous, pb::Message& value,
                                    catalog::WriteTransaction& txn) {
    auto* prev = As<v1::FieldAssignments>(previous);
    auto& next = static_cast<v1::FieldAssignments&>(value);
    ApplyAssignmentPolicy(prev, next, txn.context());
    return DiffIndex(*indexes, AssignmentIndexEntries(urn, prev),
                     AssignmentIndexEntries(urn, &next), txn);
  };
  assigned.before_purge = [indexes](const Urn& urn, const pb::Message& latest,
                                    catalog::WriteTransaction& txn) {
    return DiffIndex(*indexes, AssignmentIndexEntries(urn, As<v1::FieldAssignments>(&latest)), {},
                     txn);
  };
  catalog_.AddHook(kFieldAssignmentsAspect, std::move(assigned));

  catalog::AspectHook propagated;
  propagated.before_write = [indexes](const Urn& urn, const pb::Message* previous,
                                      pb::Message& value, catalog::WriteTransaction& txn) {
    return DiffIndex(*indexes, PropagatedIndexEntries(urn, As<v1::PropagatedAssignments>(previous)),
                     PropagatedIndexEntries(urn, As<v1::PropagatedAssignments>(&value)), txn);
  };
  propagated.before_purge = [indexes](const Urn& urn, const pb::Message& latest,
                                      catalog::WriteTransaction& txn) {
    return DiffIndex(*indexes, PropagatedIndexEntries(urn, As<v1::PropagatedAssignments>(&latest)),
                     {}, txn);
  };
  catalog_.AddHook(kPropagatedAspect, std::move(propagated));
}

absl::StatusOr<std::vector<Carrier>> GlossaryService::Carriers(const std::string& term,
                                                               int limit) const {
  std::vector<Carrier> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const Urn& urn, const std::string& how) {
    if (static_cast<int>(out.size()) >= limit) return;
    Carrier c{urn.ToString(), urn.ToString(), "", how};
    if (urn.entity_type() == "schemaField") {
      c.dataset = urn.ParentDataset()->ToString();
      c.field = urn.FieldPath();
    }
    if (seen.emplace(c.urn, how).second) out.push_back(std::move(c));
  };
  auto scan = [&](const char* index) -> absl::StatusOr<std::vector<Urn>> {
    ASSIGN_OR_RETURN(auto page, catalog_.ScanIndex(index, term, "", limit));
    std::vector<Urn> urns;
    for (const auto& text : page) {
      ASSIGN_OR_RETURN(Urn urn, Urn::Parse(text));
      Urn entity = urn.entity_type() == "schemaField" ? *urn.ParentDataset() : urn;
      ASSIGN_OR_RETURN(bool removed, catalog_.IsRemoved(entity));
      if (!removed) urns.push_back(std::move(urn));
    }
    return urns;
  };
  ASSIGN_OR_RETURN(auto datasets, scan("term"));
  for (const Urn& d : datasets) add(d, "dataset");
  ASSIGN_OR_RETURN(auto schema, scan("schemaTerm"));
  for (const Urn& d : schema) {
    auto a = catalog_.GetAspect(d, "schemaMetadata");
    if (!a.ok()) continue;
    for (const auto& f : As<v1::SchemaMetadata>(a->value.get())->fields())
      for (const auto& t : f.glossary_terms().terms())
        if (t.urn() == term) add(Urn::SchemaField(d, f.field_path()), "schema");
  }
  ASSIGN_OR_RETURN(auto editable, scan("editableSchemaTerm"));
  for (const Urn& d : editable) {
    auto a = catalog_.GetAspect(d, "editableSchemaMetadata");
    if (!a.ok()) continue;
    for (const auto& f :
         As<v1::EditableSchemaMetadata>(a->value.get())->editable_schema_field_info())
      for (const auto& t : f.glossary_terms().terms())
        if (t.urn() == term) add(Urn::SchemaField(d, f.field_path()), "editableSchema");
  }
  ASSIGN_OR_RETURN(auto assigned, scan("glossaryAssignedTERM"));
  for (const Urn& u : assigned) add(u, "assigned");
  ASSIGN_OR_RETURN(auto propagated, scan("glossaryPropagatedTERM"));
  for (const Urn& u : propagated) add(u, "propagated");
  return out;
}

absl::StatusOr<std::vector<ResolvedTerm>> GlossaryService::Resolve(std::string_view phrase,
                                                                   int limit,
                                                                   int max_carriers) const {
  std::vector<ResolvedTerm> out;
  // Ask for more than `limit`: soft-deleted terms are dropped below.
  for (TermMatch& m : index_.Resolve(phrase, limit * 2 + 10)) {
    if (static_cast<int>(out.size()) >= limit) break;
    ASSIGN_OR_RETURN(Urn urn, Urn::Parse(m.term));
    ASSIGN_OR_RETURN(bool removed, catalog_.IsRemoved(urn));
    if (removed) continue;
    ResolvedTerm r;
    auto info = catalog_.GetAspect(urn, kTermInfoAspect);
    if (info.ok()) {
      const auto& term = *As<v1::GlossaryTermInfo>(info->value.get());
      r.definition = term.definition();
      r.status = term.status() == v1::TERM_STATUS_UNSPECIFIED
                     ? "approved"
                     : absl::AsciiStrToLower(v1::TermStatus_Name(term.status()));
    }
    ASSIGN_OR_RETURN(r.carriers, Carriers(m.term, max_carriers));
    r.match = std::move(m);
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<TreeNode> GlossaryService::Tree() const {
  std::map<std::string, std::pair<std::string, std::string>> nodes;  // urn → (name, parent)
  std::string after;
  auto all = [&](const char* type, auto&& visit) -> absl::Status {
    std::string after;
    while (true) {
      ASSIGN_OR_RETURN(auto page, catalog_.ScanIndex("type", type, after, 1000));
      for (const auto& text : page) {
        ASSIGN_OR_RETURN(Urn urn, Urn::Parse(text));
        ASSIGN_OR_RETURN(bool removed, catalog_.IsRemoved(urn));
        if (!removed) visit(urn);
      }
      if (page.size() < 1000) return absl::OkStatus();
      after = page.back();
    }
  };
  RETURN_IF_ERROR(all("glossaryNode", [&](const Urn& urn) {
    auto a = catalog_.GetAspect(urn, kNodeInfoAspect);
    if (!a.ok()) return;
    const auto& info = *As<v1::GlossaryNodeInfo>(a->value.get());
    nodes[urn.ToString()] = {info.name(), info.parent_node()};
  }));
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> terms_of;
  RETURN_IF_ERROR(all("glossaryTerm", [&](const Urn& urn) {
    auto a = catalog_.GetAspect(urn, kTermInfoAspect);
    if (!a.ok()) return;
    const auto& info = *As<v1::GlossaryTermInfo>(a->value.get());
    std::string parent = nodes.contains(info.parent_node()) ? info.parent_node() : "";
    terms_of[parent].emplace_back(urn.ToString(), info.name());
  }));
  std::map<std::string, std::vector<std::string>> children;
  for (const auto& [urn, np] : nodes)
    children[nodes.contains(np.second) ? np.second : ""].push_back(urn);
  std::function<TreeNode(const std::string&, int)> build = [&](const std::string& urn, int depth) {
    TreeNode t;
    t.urn = urn;
    if (!urn.empty()) t.name = nodes[urn].first;
    t.terms = terms_of[urn];
    std::sort(t.terms.begin(), t.terms.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    if (depth < 64) {
      for (const auto& c : children[urn]) t.nodes.push_back(build(c, depth + 1));
    }
    std::sort(t.nodes.begin(), t.nodes.end(),
              [](const TreeNode& a, const TreeNode& b) { return a.name < b.name; });
    return t;
  };
  return build("", 0);
}

absl::StatusOr<size_t> GlossaryService::Import(std::string_view yaml,
                                               const catalog::WriteOrigin& origin) {
  ASSIGN_OR_RETURN(auto writes, ParseGlossaryYaml(catalog_.registry(), yaml));
  size_t count = writes.size();
  if (count == 0) return count;
  RETURN_IF_ERROR(catalog_.Write(std::move(writes), origin).status());
  return count;
}

absl::StatusOr<std::string> GlossaryService::Export() const { return ExportGlossaryYaml(catalog_); }

absl::StatusOr<AssignOutcome> GlossaryService::AssignAndPropagate(
    const common::Urn& target, v1::AssignmentKind kind, const std::string& value,
    const catalog::WriteOrigin& origin) {
  absl::StatusOr<AssignOutcome> outcome = assignments_.Assign(target, kind, value, origin);
  if (!outcome.ok()) return outcome.status();
  if (absl::Status caught_up = propagator_.CatchUp().status(); !caught_up.ok()) return caught_up;
  return outcome;
}

absl::Status GlossaryService::UnassignAndPropagate(const common::Urn& target,
                                                   v1::AssignmentKind kind,
                                                   const std::string& value,
                                                   const catalog::WriteOrigin& origin) {
  if (absl::Status removed = assignments_.Unassign(target, kind, value, origin); !removed.ok()) {
    return removed;
  }
  return propagator_.CatchUp().status();
}

absl::StatusOr<ClassifyOutcome> GlossaryService::ClassifyAndPropagate(
    const common::Urn& dataset, const std::map<std::string, std::vector<std::string>>& columns,
    const catalog::WriteOrigin& origin) {
  ClassifyOutcome out;
  ASSIGN_OR_RETURN(out.columns, assignments_.Classify(dataset, columns, origin));
  RETURN_IF_ERROR(propagator_.CatchUp().status());
  out.review_state = "none";
  auto current = catalog_.GetAspect(dataset, kFieldAssignmentsAspect);
  if (current.ok()) {
    out.review_state =
        ReviewStateName(static_cast<const v1::FieldAssignments&>(*current->value).review());
  }
  return out;
}

absl::Status GlossaryService::ReviewAndPropagate(const common::Urn& dataset,
                                                 const std::string& field, const std::string& cls,
                                                 bool accept, const catalog::WriteOrigin& origin) {
  RETURN_IF_ERROR(assignments_.Review(dataset, field, cls, accept, origin));
  return propagator_.CatchUp().status();
}

}  // namespace tidemark::glossary
