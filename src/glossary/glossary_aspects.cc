// Registration and normalisation of the glossary aspects; see glossary_aspects.h.
#include "glossary/glossary_aspects.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/urn.h"

namespace tidemark::glossary {
namespace {

namespace pb = google::protobuf;
using common::Urn;

// Canonicalises every URN of `list` (each must be of entity type `type`) and drops duplicates.
absl::Status CanonicalUrnList(pb::RepeatedPtrField<std::string>* list, std::string_view type,
                              std::string_view field) {
  std::set<std::string> seen;
  pb::RepeatedPtrField<std::string> kept;
  for (std::string& text : *list) {
    auto urn = Urn::Parse(text);
    if (!urn.ok())
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(field), ": ", urn.status().message()));
    if (urn->entity_type() != type)
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(field), ": ", text, " is not a ", std::string(type), " URN"));
    if (seen.insert(urn->ToString()).second) *kept.Add() = urn->ToString();
  }
  list->Swap(&kept);
  return absl::OkStatus();
}

absl::Status CanonicalParent(std::string* parent) {
  if (parent->empty()) return absl::OkStatus();
  auto urn = Urn::Parse(*parent);
  if (!urn.ok() || urn->entity_type() != "glossaryNode")
    return absl::InvalidArgumentError(
        absl::StrCat("parentNode: ", *parent, " is not a glossaryNode URN"));
  *parent = urn->ToString();
  return absl::OkStatus();
}

absl::Status NormalizeTermInfo(const Urn&, pb::Message& m) {
  auto& info = static_cast<v1::GlossaryTermInfo&>(m);
  if (info.name().empty()) return absl::InvalidArgumentError("glossaryTermInfo: name is required");
  RETURN_IF_ERROR(CanonicalParent(info.mutable_parent_node()));
  std::string source = absl::AsciiStrToUpper(info.term_source());
  if (!source.empty() && source != "INTERNAL" && source != "EXTERNAL")
    return absl::InvalidArgumentError("termSource must be INTERNAL or EXTERNAL");
  info.set_term_source(source);
  std::set<std::string> seen;
  pb::RepeatedPtrField<std::string> synonyms;
  for (const std::string& s : info.synonyms()) {
    std::string trimmed(absl::StripAsciiWhitespace(s));
    if (!trimmed.empty() && seen.insert(absl::AsciiStrToLower(trimmed)).second)
      *synonyms.Add() = trimmed;
  }
  info.mutable_synonyms()->Swap(&synonyms);
  return absl::OkStatus();
}

absl::Status NormalizeNodeInfo(const Urn&, pb::Message& m) {
  auto& info = static_cast<v1::GlossaryNodeInfo&>(m);
  if (info.name().empty()) return absl::InvalidArgumentError("glossaryNodeInfo: name is required");
  return CanonicalParent(info.mutable_parent_node());
}

absl::Status NormalizeRelated(const Urn&, pb::Message& m) {
  auto& r = static_cast<v1::GlossaryRelatedTerms&>(m);
  RETURN_IF_ERROR(CanonicalUrnList(r.mutable_is_related_terms(), "glossaryTerm", "isRelatedTerms"));
  RETURN_IF_ERROR(
      CanonicalUrnList(r.mutable_has_related_terms(), "glossaryTerm", "hasRelatedTerms"));
  RETURN_IF_ERROR(CanonicalUrnList(r.mutable_values(), "glossaryTerm", "values"));
  RETURN_IF_ERROR(CanonicalUrnList(r.mutable_related_terms(), "glossaryTerm", "relatedTerms"));
  return CanonicalUrnList(r.mutable_replaced_by(), "glossaryTerm", "replacedBy");
}

absl::Status CanonicalValue(v1::AssignmentKind kind, std::string* value) {
  if (kind == v1::CLASS) {
    *value = absl::AsciiStrToUpper(*value);
    if (value->empty()) return absl::InvalidArgumentError("class value is empty");
    return absl::OkStatus();
  }
  std::string_view type = kind == v1::TERM ? "glossaryTerm" : "tag";
  if (kind != v1::TERM && kind != v1::TAG)
    return absl::InvalidArgumentError("assignment kind must be TERM, TAG or CLASS");
  auto urn = Urn::Parse(*value);
  if (!urn.ok() || urn->entity_type() != type)
    return absl::InvalidArgumentError(
        absl::StrCat(*value, " is not a ", std::string(type), " URN"));
  *value = urn->ToString();
  return absl::OkStatus();
}

absl::Status NormalizeAssignments(const Urn&, pb::Message& m) {
  auto& fa = static_cast<v1::FieldAssignments&>(m);
  std::set<std::string> paths;
  for (auto& field : *fa.mutable_fields()) {
    if (!paths.insert(field.field_path()).second)
      return absl::InvalidArgumentError(
          absl::StrCat("fieldAssignments: field '", field.field_path(), "' appears twice"));
    std::set<std::pair<int, std::string>> seen;
    pb::RepeatedPtrField<v1::Assignment> kept;
    for (auto& a : *field.mutable_assignments()) {
      RETURN_IF_ERROR(CanonicalValue(a.kind(), a.mutable_value()));
      if (seen.emplace(a.kind(), a.value()).second) *kept.Add() = a;
    }
    field.mutable_assignments()->Swap(&kept);
    for (auto& r : *field.mutable_removed())
      RETURN_IF_ERROR(CanonicalValue(r.kind(), r.mutable_value()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string KindName(v1::AssignmentKind kind) {
  return absl::AsciiStrToLower(v1::AssignmentKind_Name(kind));
}

std::string ReviewStateName(v1::ReviewState state) {
  if (state == v1::REVIEW_STATE_UNSPECIFIED) return "none";
  return absl::AsciiStrToLower(v1::ReviewState_Name(state));
}

absl::Status RegisterGlossaryAspects(catalog::AspectRegistry& registry) {
  RETURN_IF_ERROR(registry.Register({kTermInfoAspect,
                                     &v1::GlossaryTermInfo::default_instance(),
                                     {"glossaryTerm"},
                                     "Business term: name, definition, synonyms, parent node, "
                                     "source and status.",
                                     NormalizeTermInfo}));
  RETURN_IF_ERROR(registry.Register({kNodeInfoAspect,
                                     &v1::GlossaryNodeInfo::default_instance(),
                                     {"glossaryNode"},
                                     "Term group: name, definition, parent node.",
                                     NormalizeNodeInfo}));
  RETURN_IF_ERROR(
      registry.Register({kRelatedTermsAspect,
                         &v1::GlossaryRelatedTerms::default_instance(),
                         {"glossaryTerm"},
                         "Relations to other terms: isA, hasA, values, relatedTo, replacedBy.",
                         NormalizeRelated}));
  RETURN_IF_ERROR(registry.Register(
      {kFieldAssignmentsAspect,
       &v1::FieldAssignments::default_instance(),
       {"dataset"},
       "Terms, tags and classes assigned to a dataset and its columns, with who/when/source, "
       "what people removed, and the classification review state.",
       NormalizeAssignments}));
  return registry.Register({kPropagatedAspect,
                            &v1::PropagatedAssignments::default_instance(),
                            {"dataset"},
                            "Classes and terms that reached columns through IDENTITY column "
                            "lineage, with origin and path (derived).",
                            nullptr});
}

}  // namespace tidemark::glossary
