// The bridge between the glossary and lineage modules, which must not know each other: a
// glossary::ColumnEdgeSource over LineageService's in-memory graph (column edges, IDENTITY vs the
// rest), and a small background loop that keeps propagated assignments in step with changes that
// arrive through routes the glossary does not see (lineage writes, generic aspect PUTs).
//
// Thread-safety: the edge source is read-only over the thread-safe graph. PropagationLoop owns one
// thread; Start/Stop from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "glossary/glossary_service.h"
#include "glossary/propagation.h"
#include "lineage/lineage_service.h"

namespace tidemark::server {

class LineageColumnEdges : public glossary::ColumnEdgeSource {
 public:
  explicit LineageColumnEdges(const lineage::LineageService& lineage) : lineage_(lineage) {}
  std::vector<glossary::ColumnEdge> Downstream(const common::Urn& field) const override;
  std::vector<glossary::ColumnEdge> Upstream(const common::Urn& field) const override;
  std::vector<std::string> LineageAspects() const override;
  std::vector<common::Urn> FieldsTouchedBy(const common::Urn& urn, std::string_view aspect,
                                           int64_t version) const override;

 private:
  std::vector<glossary::ColumnEdge> Edges(const common::Urn& field,
                                          lineage::Direction direction) const;
  const lineage::LineageService& lineage_;
};

// Calls propagator.CatchUp() every `interval` (and on Poke()) on its own thread.
class PropagationLoop {
 public:
  explicit PropagationLoop(glossary::Propagator& propagator) : propagator_(propagator) {}
  ~PropagationLoop() { Stop(); }
  void Start(std::chrono::milliseconds interval = std::chrono::milliseconds(500));
  void Stop();
  void Poke();

 private:
  glossary::Propagator& propagator_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool poked_ = false;
  std::thread thread_;
};

}  // namespace tidemark::server
