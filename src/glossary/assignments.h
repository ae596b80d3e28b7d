// AssignmentService: terms, tags and classification classes on datasets and columns, kept in the
// dataset's fieldAssignments aspect (field_path "" = the dataset itself).
//
// Policy (applied to every write of fieldAssignments, whichever route it takes, by
// ApplyAssignmentPolicy from the catalog's before_write hook):
//   - each new assignment is stamped with actor, time and source of the write; automated = the
//     source is not MANUAL;
//   - when a person (MANUAL) drops an assignment, a tombstone remembers it; when a person adds it
//     again the tombstone goes;
//   - automated writers can neither add what a tombstone names nor drop a person's assignment or
//     a tombstone;
//   - classes proposed by the classifier are PENDING_REVIEW until a steward accepts or rejects
//     them; the dataset's review state is PENDING_REVIEW while any proposal waits (default
//     closed), and is indexed under kReviewIndex for listings.
//
// Thread-safety: methods may be called concurrently; read-modify-write cycles of this service are
// serialised by a mutex (a concurrent generic PUT of the aspect can still win a race).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "glossary/classify/classifier.h"
#include "tidemark/v1/glossary.pb.h"

namespace tidemark::glossary {

// The before_write policy described above; `previous` may be null.
void ApplyAssignmentPolicy(const v1::FieldAssignments* previous, v1::FieldAssignments& value,
                           const v1::WriteContext& context);
// Index entries of a fieldAssignments value: (index, value, urn) triples.
struct IndexEntry {
  std::string index;
  std::string value;
  std::string urn;
  auto operator<=>(const IndexEntry&) const = default;
};
std::vector<IndexEntry> AssignmentIndexEntries(const common::Urn& dataset,
                                               const v1::FieldAssignments* value);
std::vector<IndexEntry> PropagatedIndexEntries(const common::Urn& dataset,
                                               const v1::PropagatedAssignments* value);

enum class AssignOutcome { kApplied, kUnchanged, kSuppressed };
std::string_view OutcomeName(AssignOutcome outcome);

struct ColumnClassification {
  std::string column;
  std::vector<classify::ClassResult> results;
  std::vector<std::string> outcomes;  // per result: "proposed", "kept", "suppressed"
};

class AssignmentService {
 public:
  explicit AssignmentService(catalog::CatalogService& catalog) : catalog_(catalog) {}

  // `target` is a dataset or one of its schemaField URNs.
  absl::StatusOr<AssignOutcome> Assign(const common::Urn& target, v1::AssignmentKind kind,
                                       const std::string& value,
                                       const catalog::WriteOrigin& origin);
  // NotFound when the assignment does not exist.
  absl::Status Unassign(const common::Urn& target, v1::AssignmentKind kind,
                        const std::string& value, const catalog::WriteOrigin& origin);
  // Classifies sample values per column and records proposals (PENDING_REVIEW). Samples are
  // neither stored nor logged.
  absl::StatusOr<std::vector<ColumnClassification>> Classify(
      const common::Urn& dataset, const std::map<std::string, std::vector<std::string>>& columns,
      const catalog::WriteOrigin& origin);
  // A steward accepts or rejects a proposed class of a column (field "" = the dataset).
  absl::Status Review(const common::Urn& dataset, const std::string& field, const std::string& cls,
                      bool accept, const catalog::WriteOrigin& origin);
  // Datasets in a review state ("pending_review", "accepted"), in URN order after `after`.
  absl::StatusOr<std::vector<std::string>> ListByReviewState(const std::string& state,
                                                             const std::string& after,
                                                             int limit) const;

 private:
  absl::StatusOr<v1::FieldAssignments> Current(const common::Urn& dataset) const;
  absl::Status Store(const common::Urn& dataset, v1::FieldAssignments value,
                     const catalog::WriteOrigin& origin);

  catalog::CatalogService& catalog_;
  std::mutex mu_;
};

// The dataset and field path of a dataset or schemaField URN; InvalidArgument otherwise.
absl::StatusOr<std::pair<common::Urn, std::string>> SplitTarget(const common::Urn& target);

}  // namespace tidemark::glossary
