// LineageService: keeps lineage edges of the catalog's upstreamLineage / dataJobInputOutput aspects
// indexed in the lineage column family (the catalog's LineageFamily(), which this module owns; both
// directions, in the same atomic batch as the aspect)
// and in an in-memory LineageGraph, and answers traversal, path and impact queries.
//
// Attach() registers catalog hooks:
//   before_write   diffs the new aspect value against the edges its owner declares now: new edges
//                  open an interval (validFrom = write time), vanished ones are closed (validTo),
//                  kept ones refresh lastSeen. Writers other than MANUAL keep the previous value's
//                  MANUAL entries. Empty provenance defaults to the write's source/run/time.
//   after_commit   applies the batch's edge delta to the graph under one exclusive lock, before
//                  the write is acknowledged (read-your-writes; readers never see half a batch).
//   purge hook     removes every edge touching a purged entity (or its columns) in the purge's
//                  batch, and from the graph once it committed.
//   status         after_commit of soft deletes/undeletes hides/shows the entity in queries.
// Hooks key their per-batch state by the catalog's WriteTransaction::batch_id(). Attach rebuilds
// the graph from the lineage family. The service must outlive the catalog's use of the hooks;
// call Attach once per CatalogService, before serving.
//
// Thread-safety: queries may run concurrently with each other and with writes.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "common/urn.h"
#include "lineage/lineage_aspects.h"  // RegisterLineageAspects, which Attach requires
#include "lineage/lineage_graph.h"
#include "lineage/lineage_types.h"

namespace tidemark::lineage {

class LineageService {
 public:
  // FailedPrecondition when the registry lacks the lineage aspects (call RegisterLineageAspects).
  static absl::StatusOr<std::unique_ptr<LineageService>> Attach(catalog::CatalogService& catalog);
  ~LineageService();

  // NotFound for an entity neither the catalog nor the graph knows, or one that is removed. An
  // entity without lineage yields just its root node.
  absl::StatusOr<TraversalResult> Traverse(const common::Urn& start,
                                           const TraversalOptions& options) const;
  // No path is an OK result with no paths; NotFound only for unknown endpoints.
  absl::StatusOr<PathResult> FindPaths(const common::Urn& from, const common::Urn& to,
                                       const PathOptions& options) const;
  absl::StatusOr<ImpactResult> Impact(const common::Urn& urn,
                                      const ImpactOptions& options = {}) const;

  const LineageGraph& graph() const { return graph_; }
  catalog::CatalogService& catalog() const { return catalog_; }

 private:
  explicit LineageService(catalog::CatalogService& catalog);
  absl::Status BeforeWrite(std::string_view aspect, const common::Urn& urn,
                           const google::protobuf::Message* previous,
                           google::protobuf::Message& value, catalog::WriteTransaction& txn);
  void AfterCommit(const catalog::WriteTransaction& txn);
  // Adds deletes of every edge touching `urn` (and its columns) to `txn` and `delta`.
  absl::Status CollectPurge(const common::Urn& urn, catalog::WriteTransaction& txn,
                            GraphDelta& delta);
  // NotFound unless the catalog or the graph knows `urn` (a schemaField: its dataset).
  absl::Status CheckKnown(const common::Urn& urn) const;

  catalog::CatalogService& catalog_;
  const catalog::KeySpace family_;  // the lineage column family
  LineageGraph graph_;
  // Deltas of the batch being written (hooks run under the catalog's write lock; `pending_mu_`
  // only documents that). Keyed by owner URN; drained by the first after_commit of the batch.
  std::mutex pending_mu_;
  std::map<std::string, GraphDelta> pending_;
  uint64_t pending_batch_ = 0;  // batch_id() of the batch in `pending_`
  // The graph delta of the purge being committed, with its batch id.
  std::optional<std::pair<uint64_t, GraphDelta>> purge_;
};

}  // namespace tidemark::lineage
