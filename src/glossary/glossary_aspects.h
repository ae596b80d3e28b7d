// The glossary module's aspects (schemas/tidemark/v1/glossary.proto) and their normalisers:
//   glossaryTermInfo, glossaryRelatedTerms   on glossaryTerm
//   glossaryNodeInfo                         on glossaryNode
//   fieldAssignments, propagatedAssignments  on dataset
// Register them once at start-up, before the catalog opens. The generic entity API then gives
// CRUD and history for terms and nodes like for every other aspect.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "catalog/aspect_registry.h"
#include "tidemark/v1/glossary.pb.h"

namespace tidemark::glossary {

inline constexpr char kTermInfoAspect[] = "glossaryTermInfo";
inline constexpr char kNodeInfoAspect[] = "glossaryNodeInfo";
inline constexpr char kRelatedTermsAspect[] = "glossaryRelatedTerms";
inline constexpr char kFieldAssignmentsAspect[] = "fieldAssignments";
inline constexpr char kPropagatedAspect[] = "propagatedAssignments";

// Index (in the catalog's index column family) of datasets by review state:
// ScanIndex(kReviewIndex, "pending_review", ...).
inline constexpr char kReviewIndex[] = "glossaryReview";

absl::Status RegisterGlossaryAspects(catalog::AspectRegistry& registry);

// "email" for v1::CLASS etc.; lower-case names used in JSON answers and query parameters.
std::string KindName(v1::AssignmentKind kind);
std::string ReviewStateName(v1::ReviewState state);  // "pending_review", "accepted", ...

}  // namespace tidemark::glossary
