// GlossaryService: the glossary module's entry point. Attach() hooks it into a CatalogService
// whose registry has the glossary aspects (RegisterGlossaryAspects) and gives:
//   - Resolve: free-text phrase → ranked terms (TermIndex, kept in step with glossaryTermInfo
//     writes by catalog hooks) with the datasets and columns that carry each term, directly
//     (dataset glossaryTerms, schema/editable schema field terms, fieldAssignments) or through
//     propagation;
//   - Tree: the node/term hierarchy; Import/Export of business_glossary.yml;
//   - assignments() and propagator() (see assignments.h, propagation.h);
//   - the assignment workflows of the API (…AndPropagate): a write through assignments() followed
//     by a propagation catch-up, so that the caller reads its own write, propagated.
// The hooks also maintain the glossary's secondary indexes (review state, assigned and propagated
// terms/classes) in the same batch as the aspect.
//
// Thread-safety: all methods may be called concurrently. The service must outlive the catalog's
// use of its hooks.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "glossary/assignments.h"
#include "glossary/propagation.h"
#include "glossary/term_index.h"

namespace tidemark::glossary {

struct Carrier {
  std::string urn;      // dataset or schemaField URN
  std::string dataset;  // the dataset
  std::string field;    // field path; empty for the dataset itself
  std::string how;      // "dataset", "schema", "editableSchema", "assigned", "propagated"
};

struct ResolvedTerm {
  TermMatch match;
  std::string definition;
  std::string status;  // "approved", "proposed", "deprecated"
  std::vector<Carrier> carriers;
};

// What ClassifyAndPropagate did: per-column results, and the dataset's review state afterwards
// ("none" when it has no fieldAssignments).
struct ClassifyOutcome {
  std::vector<ColumnClassification> columns;
  std::string review_state;
};

struct TreeNode {
  std::string urn;
  std::string name;
  std::vector<TreeNode> nodes;
  std::vector<std::pair<std::string, std::string>> terms;  // (urn, name)
};

class GlossaryService {
 public:
  // FailedPrecondition when the registry lacks the glossary aspects. Loads the term index.
  // `edges` may be null and set later with propagator().SetEdgeSource().
  static absl::StatusOr<std::unique_ptr<GlossaryService>> Attach(
      catalog::CatalogService& catalog, const ColumnEdgeSource* edges = nullptr);
  ~GlossaryService();

  absl::StatusOr<std::vector<ResolvedTerm>> Resolve(std::string_view phrase, int limit,
                                                    int max_carriers = 100) const;
  // Root-level nodes and terms (a node whose parent is gone counts as root).
  absl::StatusOr<TreeNode> Tree() const;
  // Returns the number of aspect writes (unchanged ones included).
  absl::StatusOr<size_t> Import(std::string_view yaml, const catalog::WriteOrigin& origin);
  absl::StatusOr<std::string> Export() const;

  // The AssignmentService write of the same name, then propagator().CatchUp() (read-your-writes).
  // A propagation failure is returned although the write itself is committed.
  absl::StatusOr<AssignOutcome> AssignAndPropagate(const common::Urn& target,
                                                   v1::AssignmentKind kind,
                                                   const std::string& value,
                                                   const catalog::WriteOrigin& origin);
  absl::Status UnassignAndPropagate(const common::Urn& target, v1::AssignmentKind kind,
                                    const std::string& value, const catalog::WriteOrigin& origin);
  absl::StatusOr<ClassifyOutcome> ClassifyAndPropagate(
      const common::Urn& dataset, const std::map<std::string, std::vector<std::string>>& columns,
      const catalog::WriteOrigin& origin);
  absl::Status ReviewAndPropagate(const common::Urn& dataset, const std::string& field,
                                  const std::string& cls, bool accept,
                                  const catalog::WriteOrigin& origin);

  AssignmentService& assignments() { return assignments_; }
  Propagator& propagator() { return propagator_; }
  const TermIndex& index() const { return index_; }
  catalog::CatalogService& catalog() const { return catalog_; }

  using Indexes = std::map<std::string, catalog::KeySpace, std::less<>>;

 private:
  GlossaryService(catalog::CatalogService& catalog, const ColumnEdgeSource* edges);
  absl::Status LoadIndex();
  void AddHooks();
  absl::StatusOr<std::vector<Carrier>> Carriers(const std::string& term, int limit) const;

  catalog::CatalogService& catalog_;
  // The indexes the glossary registered with the catalog, by name (glossaryReview,
  // glossaryAssigned<KIND>, glossaryPropagated<KIND>); filled once in Attach, read-only afterwards.
  Indexes indexes_;
  TermIndex index_;
  AssignmentService assignments_;
  Propagator propagator_;
};

}  // namespace tidemark::glossary
