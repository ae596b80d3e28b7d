// Assignments with human-removal memory, classification proposals and review; see assignments.h.
#include "glossary/assignments.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "glossary/glossary_aspects.h"

namespace tidemark::glossary {
namespace {

using common::Urn;
using Key = std::pair<int, std::string>;

Key KeyOf(const v1::Assignment& a) { return {a.kind(), a.value()}; }
Key KeyOf(const v1::RemovedAssignment& r) { return {r.kind(), r.value()}; }

v1::FieldAssignment* FindField(v1::FieldAssignments& fa, const std::string& path) {
  for (auto& f : *fa.mutable_fields())
    if (f.field_path() == path) return &f;
  return nullptr;
}

const v1::FieldAssignment* FindField(const v1::FieldAssignments* fa, const std::string& path) {
  if (fa == nullptr) return nullptr;
  for (const auto& f : fa->fields())
    if (f.field_path() == path) return &f;
  return nullptr;
}

v1::FieldAssignment& GetOrAddField(v1::FieldAssignments& fa, const std::string& path) {
  if (auto* f = FindField(fa, path)) return *f;
  auto* f = fa.add_fields();
  f->set_field_path(path);
  return *f;
}

int FindAssignment(const v1::FieldAssignment& f, const Key& key) {
  for (int i = 0; i < f.assignments_size(); ++i)
    if (KeyOf(f.assignments(i)) == key) return i;
  return -1;
}

}  // namespace

std::string_view OutcomeName(AssignOutcome outcome) {
  switch (outcome) {
    case AssignOutcome::kApplied:
      return "applied";
    case AssignOutcome::kUnchanged:
      return "unchanged";
    case AssignOutcome::kSuppressed:
      return "suppressed";
  }
  return "";
}

void ApplyAssignmentPolicy(const v1::FieldAssignments* previous, v1::FieldAssignments& value,
                           const v1::WriteContext& context) {
  const bool person = context.source() == v1::MANUAL;
  // Fields of the previous version that the new value dropped entirely keep their protected parts.
  if (previous != nullptr) {
    for (const auto& old : previous->fields())
      if (FindField(value, old.field_path()) == nullptr) GetOrAddField(value, old.field_path());
  }
  for (auto& field : *value.mutable_fields()) {
    const v1::FieldAssignment* old = FindField(previous, field.field_path());
    std::set<Key> removed;
    for (const auto& r : field.removed()) removed.insert(KeyOf(r));
    if (old != nullptr) {
      for (const auto& a : old->assignments()) {
        bool kept = FindAssignment(field, KeyOf(a)) >= 0;
        if (kept) continue;
        if (person) {
          // A person removed it: remember, so automation does not bring it back.
          if (removed.insert(KeyOf(a)).second) {
            auto* r = field.add_removed();
            r->set_kind(a.kind());
            r->set_value(a.value());
            r->set_actor(context.actor());
            r->set_time_micros(context.time_micros());
          }
        } else if (!a.automated()) {
          *field.add_assignments() = a;  // automation cannot drop a person's assignment
        }
      }
      if (!person) {
        for (const auto& r : old->removed())
          if (removed.insert(KeyOf(r)).second) *field.add_removed() = r;
      }
    }
    google::protobuf::RepeatedPtrField<v1::Assignment> kept;
    for (auto& a : *field.mutable_assignments()) {
      bool tombstoned = removed.contains(KeyOf(a));
      if (tombstoned && !person) continue;  // automation never re-adds what a person removed
      const v1::Assignment* before = nullptr;
      if (old != nullptr) {
        int i = FindAssignment(*old, KeyOf(a));
        if (i >= 0) before = &old->assignments(i);
      }
      if (a.actor().empty()) {
        if (before != nullptr && !person) {
          a = *before;  // an automated rewrite keeps the original attribution
        } else {
          a.set_actor(context.actor());
          a.set_time_micros(context.time_micros());
          a.set_source(context.source());
          a.set_automated(!person);
        }
      }
      if (a.time_micros() == 0) a.set_time_micros(context.time_micros());
      // Default closed: a class an automated source proposes waits for a steward.
      if (a.kind() == v1::CLASS && a.review() == v1::REVIEW_STATE_UNSPECIFIED)
        a.set_review(a.automated() ? v1::PENDING_REVIEW : v1::ACCEPTED);
      *kept.Add() = std::move(a);
    }
    field.mutable_assignments()->Swap(&kept);
    if (person) {
      // A person (re-)adding something lifts its tombstone.
      google::protobuf::RepeatedPtrField<v1::RemovedAssignment> stones;
      for (auto& r : *field.mutable_removed())
        if (FindAssignment(field, KeyOf(r)) < 0) *stones.Add() = std::move(r);
      field.mutable_removed()->Swap(&stones);
    }
  }
  // Drop empty fields; compute the dataset's review state.
  google::protobuf::RepeatedPtrField<v1::FieldAssignment> fields;
  bool pending = false, reviewed = false;
  for (auto& f : *value.mutable_fields()) {
    for (const auto& a : f.assignments()) {
      if (a.kind() != v1::CLASS) continue;
      pending |= a.review() == v1::PENDING_REVIEW;
      reviewed |= a.review() == v1::ACCEPTED || a.review() == v1::REJECTED;
    }
    if (!f.assignments().empty() || !f.removed().empty()) *fields.Add() = std::move(f);
  }
  value.mutable_fields()->Swap(&fields);
  value.set_review(pending    ? v1::PENDING_REVIEW
                   : reviewed ? v1::ACCEPTED
                              : v1::REVIEW_STATE_UNSPECIFIED);
}

std::vector<IndexEntry> AssignmentIndexEntries(const Urn& dataset,
                                               const v1::FieldAssignments* value) {
  std::vector<IndexEntry> out;
  if (value == nullptr) return out;
  if (value->review() != v1::REVIEW_STATE_UNSPECIFIED)
    out.push_back({kReviewIndex, ReviewStateName(value->review()), dataset.ToString()});
  for (const auto& f : value->fields()) {
    std::string target = f.field_path().empty()
                             ? dataset.ToString()
                             : Urn::SchemaField(dataset, f.field_path()).ToString();
    for (const auto& a : f.assignments()) {
      if (a.kind() == v1::CLASS && a.review() == v1::REJECTED) continue;
      out.push_back(
          {absl::StrCat("glossaryAssigned", v1::AssignmentKind_Name(a.kind())), a.value(), target});
    }
  }
  return out;
}

std::vector<IndexEntry> PropagatedIndexEntries(const Urn& dataset,
                                               const v1::PropagatedAssignments* value) {
  std::vector<IndexEntry> out;
  if (value == nullptr) return out;
  for (const auto& f : value->fields()) {
    std::string target = Urn::SchemaField(dataset, f.field_path()).ToString();
    for (const auto& a : f.assignments())
      out.push_back({absl::StrCat("glossaryPropagated", v1::AssignmentKind_Name(a.kind())),
                     a.value(), target});
  }
  return out;
}

absl::StatusOr<std::pair<Urn, std::string>> SplitTarget(const Urn& target) {
  if (target.entity_type() == "dataset") return std::pair{target, std::string()};
  if (target.entity_type() == "schemaField") {
    ASSIGN_OR_RETURN(Urn dataset, target.ParentDataset());
    return std::pair{dataset, target.FieldPath()};
  }
  return absl::InvalidArgumentError(
      absl::StrCat(target.ToString(), " is neither a dataset nor a schemaField"));
}

absl::StatusOr<v1::FieldAssignments> AssignmentService::Current(const Urn& dataset) const {
  v1::FieldAssignments out;
  auto a = catalog_.GetAspect(dataset, kFieldAssignmentsAspect);
  if (a.ok()) {
    out.CopyFrom(*a->value);
  } else if (a.status().code() != absl::StatusCode::kNotFound) {
    return a.status();
  }
  return out;
}

absl::Status AssignmentService::Store(const Urn& dataset, v1::FieldAssignments value,
                                      const catalog::WriteOrigin& origin) {
  auto message = std::make_unique<v1::FieldAssignments>(std::move(value));
  const catalog::AspectSpec* spec = catalog_.registry().Find(kFieldAssignmentsAspect);
  if (spec == nullptr || !spec->normalize)
    return absl::FailedPreconditionError("glossary aspects are not registered");
  RETURN_IF_ERROR(spec->normalize(dataset, *message));
  std::vector<catalog::AspectWrite> writes;
  writes.push_back({dataset, kFieldAssignmentsAspect, std::move(message)});
  return catalog_.Write(std::move(writes), origin).status();
}

absl::StatusOr<AssignOutcome> AssignmentService::Assign(const Urn& target, v1::AssignmentKind kind,
                                                        const std::string& value,
                                                        const catalog::WriteOrigin& origin) {
  ASSIGN_OR_RETURN(auto split, SplitTarget(target));
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(v1::FieldAssignments current, Current(split.first));
  v1::FieldAssignment& field = GetOrAddField(current, split.second);
  v1::Assignment a;
  a.set_kind(kind);
  a.set_value(value);
  if (kind == v1::CLASS)
    a.set_review(origin.source == v1::MANUAL ? v1::ACCEPTED : v1::PENDING_REVIEW);
  // Canonicalise the value first so that the comparisons below see the stored form.
  v1::FieldAssignments probe;
  *probe.add_fields()->add_assignments() = a;
  RETURN_IF_ERROR(catalog_.registry().Find(kFieldAssignmentsAspect)->normalize(split.first, probe));
  a = probe.fields(0).assignments(0);
  Key key = KeyOf(a);
  if (origin.source != v1::MANUAL) {
    for (const auto& r : field.removed())
      if (KeyOf(r) == key) return AssignOutcome::kSuppressed;
  }
  if (FindAssignment(field, key) >= 0) return AssignOutcome::kUnchanged;
  *field.add_assignments() = a;
  RETURN_IF_ERROR(Store(split.first, std::move(current), origin));
  return AssignOutcome::kApplied;
}

absl::Status AssignmentService::Unassign(const Urn& target, v1::AssignmentKind kind,
                                         const std::string& value,
                                         const catalog::WriteOrigin& origin) {
  ASSIGN_OR_RETURN(auto split, SplitTarget(target));
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(v1::FieldAssignments current, Current(split.first));
  v1::FieldAssignment* field = FindField(current, split.second);
  v1::FieldAssignments probe;
  auto* pa = probe.add_fields()->add_assignments();
  pa->set_kind(kind);
  pa->set_value(value);
  RETURN_IF_ERROR(catalog_.registry().Find(kFieldAssignmentsAspect)->normalize(split.first, probe));
  Key key = KeyOf(probe.fields(0).assignments(0));
  int i = field == nullptr ? -1 : FindAssignment(*field, key);
  if (i < 0)
    return absl::NotFoundError(absl::StrCat(key.second, " is not assigned to ", target.ToString()));
  if (origin.source != v1::MANUAL && !field->assignments(i).automated())
    return absl::FailedPreconditionError(
        "a person made this assignment; only a person (source manual) can remove it");
  field->mutable_assignments()->DeleteSubrange(i, 1);
  return Store(split.first, std::move(current), origin);
}

absl::StatusOr<std::vector<ColumnClassification>> AssignmentService::Classify(
    const Urn& dataset, const std::map<std::string, std::vector<std::string>>& columns,
    const catalog::WriteOrigin& origin) {
  if (dataset.entity_type() != "dataset")
    return absl::InvalidArgumentError(absl::StrCat(dataset.ToString(), " is not a dataset"));
  std::vector<ColumnClassification> out;
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(v1::FieldAssignments current, Current(dataset));
  bool changed = false;
  for (const auto& [column, samples] : columns) {
    if (column.empty()) return absl::InvalidArgumentError("empty column name");
    ColumnClassification cc{column, classify::ClassifyColumn(column, samples), {}};
    v1::FieldAssignment& field = GetOrAddField(current, column);
    for (const auto& r : cc.results) {
      Key key{v1::CLASS, r.cls};
      bool removed = false;
      for (const auto& stone : field.removed()) removed |= KeyOf(stone) == key;
      int i = FindAssignment(field, key);
      if (removed) {
        cc.outcomes.push_back("suppressed");
      } else if (i >= 0 && field.assignments(i).review() != v1::PENDING_REVIEW) {
        cc.outcomes.push_back("kept");  // already reviewed: a new scan does not reopen it
      } else {
        v1::Assignment a;
        if (i >= 0) a = field.assignments(i);
        a.set_kind(v1::CLASS);
        a.set_value(r.cls);
        a.set_confidence(static_cast<float>(r.confidence));
        a.set_matched(r.matched);
        a.set_sampled(r.sampled);
        a.set_review(v1::PENDING_REVIEW);
        if (i >= 0) {
          *field.mutable_assignments(i) = a;
        } else {
          *field.add_assignments() = a;
        }
        changed = true;
        cc.outcomes.push_back("proposed");
      }
    }
    out.push_back(std::move(cc));
  }
  if (changed) RETURN_IF_ERROR(Store(dataset, std::move(current), origin));
  return out;
}

absl::Status AssignmentService::Review(const Urn& dataset, const std::string& field_path,
                                       const std::string& cls, bool accept,
                                       const catalog::WriteOrigin& origin) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(v1::FieldAssignments current, Current(dataset));
  v1::FieldAssignment* field = FindField(current, field_path);
  int i = field == nullptr ? -1 : FindAssignment(*field, {v1::CLASS, cls});
  if (i < 0)
    return absl::NotFoundError(
        absl::StrCat("no class ", cls, " on ", dataset.ToString(), " field '", field_path, "'"));
  v1::Assignment& a = *field->mutable_assignments(i);
  a.set_review(accept ? v1::ACCEPTED : v1::REJECTED);
  a.set_actor(origin.actor);  // the steward now vouches for (or against) it
  a.set_time_micros(0);       // stamped with the write's time by the policy hook
  a.set_source(origin.source);
  a.set_automated(origin.source != v1::MANUAL);
  return Store(dataset, std::move(current), origin);
}

absl::StatusOr<std::vector<std::string>> AssignmentService::ListByReviewState(
    const std::string& state, const std::string& after, int limit) const {
  return catalog_.ScanIndex(kReviewIndex, state, after, limit);
}

}  // namespace tidemark::glossary
