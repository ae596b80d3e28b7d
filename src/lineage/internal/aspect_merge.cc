// Internal: manual-entry preservation and provenance defaults; see aspect_merge.h.
#include "lineage/internal/aspect_merge.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace tidemark::lineage::internal {
namespace {

// Entries are matched by key through hash tables, so a merge costs O(previous + value) even for
// tens of thousands of upstreams (it runs under the catalog's write lock).
using FieldSets = std::pair<std::vector<std::string>, std::vector<std::string>>;
// (dataset, job) of an upstream; views into messages that outlive the table.
using UpstreamKey = std::pair<std::string_view, std::string_view>;

UpstreamKey KeyOf(const v1::Upstream& up) { return {up.dataset(), up.job()}; }

FieldSets Fields(const v1::FineGrainedLineage& fg) {
  FieldSets sets{{fg.upstreams().begin(), fg.upstreams().end()},
                 {fg.downstreams().begin(), fg.downstreams().end()}};
  std::sort(sets.first.begin(), sets.first.end());
  std::sort(sets.second.begin(), sets.second.end());
  return sets;
}

void KeepManualFineGrained(
    const google::protobuf::RepeatedPtrField<v1::FineGrainedLineage>& previous,
    google::protobuf::RepeatedPtrField<v1::FineGrainedLineage>* value) {
  absl::flat_hash_set<FieldSets> present;
  present.reserve(value->size());
  for (const auto& fg : *value) present.insert(Fields(fg));
  for (const auto& fg : previous) {
    if (fg.provenance().source() != v1::MANUAL) continue;
    if (present.insert(Fields(fg)).second) *value->Add() = fg;
  }
}

// Provenance left empty by the writer is filled deterministically: an entry seen before keeps the
// source, run and times it was first recorded with, so re-ingesting the same lineage leaves the
// aspect unchanged (no new version). When an edge was last seen is kept on the edge records.
void Fill(const v1::LineageProvenance* previous, const v1::WriteContext& context,
          v1::LineageProvenance* p) {
  if (p->source() == v1::SOURCE_KIND_UNSPECIFIED) {
    p->set_source(context.source());
    if (p->run_id().empty()) {
      const bool same_source = previous != nullptr && previous->source() == context.source();
      p->set_run_id(same_source && !previous->run_id().empty() ? previous->run_id()
                                                               : context.run_id());
    }
  }
  if (p->first_seen_micros() == 0) {
    const int64_t earlier = previous != nullptr ? previous->first_seen_micros() : 0;
    p->set_first_seen_micros(earlier != 0 ? earlier : context.time_micros());
  }
  if (p->last_seen_micros() == 0) {
    const int64_t earlier = previous != nullptr ? previous->last_seen_micros() : 0;
    p->set_last_seen_micros(earlier != 0 ? earlier : context.time_micros());
  }
}

void FillFineGrained(const google::protobuf::RepeatedPtrField<v1::FineGrainedLineage>* previous,
                     const v1::WriteContext& context,
                     google::protobuf::RepeatedPtrField<v1::FineGrainedLineage>* value) {
  // When field sets repeat in `previous`, the last entry wins.
  absl::flat_hash_map<FieldSets, const v1::LineageProvenance*> earlier;
  if (previous != nullptr) {
    earlier.reserve(previous->size());
    for (const auto& fg : *previous) earlier.insert_or_assign(Fields(fg), &fg.provenance());
  }
  for (auto& fg : *value) {
    const v1::LineageProvenance* match = nullptr;
    if (!earlier.empty()) {
      auto it = earlier.find(Fields(fg));
      if (it != earlier.end()) match = it->second;
    }
    Fill(match, context, fg.mutable_provenance());
  }
}

}  // namespace

void KeepManualEntries(const v1::UpstreamLineage& previous, const v1::WriteContext& context,
                       v1::UpstreamLineage& value) {
  if (context.source() == v1::MANUAL) return;
  // Views into `value`'s entries stay valid while it grows (repeated fields hold pointers).
  absl::flat_hash_set<UpstreamKey> present;
  present.reserve(value.upstreams_size());
  for (const auto& up : value.upstreams()) present.insert(KeyOf(up));
  for (const auto& up : previous.upstreams()) {
    if (up.provenance().source() != v1::MANUAL) continue;
    if (present.insert(KeyOf(up)).second) *value.add_upstreams() = up;
  }
  KeepManualFineGrained(previous.fine_grained_lineages(), value.mutable_fine_grained_lineages());
}

void KeepManualEntries(const v1::DataJobInputOutput& previous, const v1::WriteContext& context,
                       v1::DataJobInputOutput& value) {
  if (context.source() == v1::MANUAL) return;
  if (previous.provenance().source() == v1::MANUAL) {
    // The job's inputs/outputs were curated by hand: keep them alongside the automated ones.
    for (const auto& in : previous.input_datasets()) value.add_input_datasets(in);
    for (const auto& out : previous.output_datasets()) value.add_output_datasets(out);
  }
  KeepManualFineGrained(previous.fine_grained_lineages(), value.mutable_fine_grained_lineages());
}

void FillProvenance(const v1::UpstreamLineage* previous, const v1::WriteContext& context,
                    v1::UpstreamLineage& value) {
  // When (dataset, job) repeats in `previous`, the last entry wins.
  absl::flat_hash_map<UpstreamKey, const v1::LineageProvenance*> earlier;
  if (previous != nullptr) {
    earlier.reserve(previous->upstreams_size());
    for (const auto& p : previous->upstreams()) earlier.insert_or_assign(KeyOf(p), &p.provenance());
  }
  for (auto& up : *value.mutable_upstreams()) {
    auto it = earlier.find(KeyOf(up));
    Fill(it != earlier.end() ? it->second : nullptr, context, up.mutable_provenance());
  }
  FillFineGrained(previous ? &previous->fine_grained_lineages() : nullptr, context,
                  value.mutable_fine_grained_lineages());
}

void FillProvenance(const v1::DataJobInputOutput* previous, const v1::WriteContext& context,
                    v1::DataJobInputOutput& value) {
  Fill(previous ? &previous->provenance() : nullptr, context, value.mutable_provenance());
  FillFineGrained(previous ? &previous->fine_grained_lineages() : nullptr, context,
                  value.mutable_fine_grained_lineages());
}

}  // namespace tidemark::lineage::internal
