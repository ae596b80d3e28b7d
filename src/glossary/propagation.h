// Propagation of classes and glossary terms along column lineage.
//
// A CLASS (unless a steward rejected it) or a TERM assigned directly to a column (fieldAssignments,
// or DataHub-style column terms in schemaMetadata / editableSchemaMetadata) flows downstream
// along IDENTITY column edges (copy, rename, value-preserving cast) and never through other
// transformations (aggregations, hashing, ...). Each column's propagated assignments live in the
// propagatedAssignments aspect of its dataset, apart from the direct ones, naming the origin column
// and the path. A person's removal of a class/term on a column (a tombstone in fieldAssignments)
// also stops the propagated copy there. Shortest paths win; cycles are walked once.
//
// The glossary module must not know the lineage module: it sees column lineage only through the
// ColumnEdgeSource interface, which the server implements over LineageService.
//
// Recomputation is incremental: Recompute(seeds) rewrites only the seeds and the columns reachable
// downstream of them; CatchUp() tails the catalog change log for changes of fieldAssignments,
// (editable)schemaMetadata and the lineage aspects since its last call and recomputes for the
// touched columns.
//
// Thread-safety: Recompute and CatchUp may be called from any thread; they are serialised
// internally. Never call them from a catalog hook (they write to the catalog).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "common/urn.h"

namespace tidemark::glossary {

struct ColumnEdge {
  common::Urn field;      // schemaField URN at the other end
  bool identity = false;  // IDENTITY transformation: the value is kept
};

class ColumnEdgeSource {
 public:
  virtual ~ColumnEdgeSource() = default;
  // Currently valid column edges leaving / entering `field`.
  virtual std::vector<ColumnEdge> Downstream(const common::Urn& field) const = 0;
  virtual std::vector<ColumnEdge> Upstream(const common::Urn& field) const = 0;
  // Names of the aspects whose changes alter column lineage ("upstreamLineage", ...).
  virtual std::vector<std::string> LineageAspects() const = 0;
  // Columns whose incoming edges a change of `aspect` on `urn` may have touched (versions
  // `version` and the one before).
  virtual std::vector<common::Urn> FieldsTouchedBy(const common::Urn& urn, std::string_view aspect,
                                                   int64_t version) const = 0;
};

struct RecomputeStats {
  size_t affected_fields = 0;   // seeds plus their IDENTITY-downstream closure
  size_t written_datasets = 0;  // propagatedAssignments aspects that changed
};

class Propagator {
 public:
  // `edges` may be null (no lineage: nothing propagates) and must outlive the Propagator.
  Propagator(catalog::CatalogService& catalog, const ColumnEdgeSource* edges);

  void SetEdgeSource(const ColumnEdgeSource* edges);
  // Restores where CatchUp() stopped (kept in the glossary's meta space, so changes that
  // were committed but not yet propagated before a restart are not lost); on a store that never
  // had one, starts at the current end of the change log. Call once after opening.
  absl::Status LoadCursor();

  absl::StatusOr<RecomputeStats> Recompute(const std::vector<common::Urn>& seeds);
  absl::StatusOr<RecomputeStats> CatchUp();

  static constexpr int kMaxAffected = 100000;

 private:
  absl::StatusOr<RecomputeStats> RecomputeLocked(const std::vector<common::Urn>& seeds);
  absl::Status SaveCursor();

  // In the glossary meta space: `propagation \0 cursor`.
  static std::string CursorKey();

  catalog::CatalogService& catalog_;
  std::mutex mu_;
  const ColumnEdgeSource* edges_;
  uint64_t cursor_ = 0;
};

}  // namespace tidemark::glossary
