// Merging lineage statements into upstreamLineage; see lineage_merge.h.
#include "ingest/openlineage/lineage_merge.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status_macros.h"
#include "lineage/lineage_aspects.h"

namespace tidemark::ingest {
namespace {

// Stored entries are matched by key through hash tables built once per merge, so merging a
// statement with tens of thousands of upstreams into as many stored ones stays linear.

// The upstream and downstream field sets of an entry, as sorted distinct lists.
using FieldSets = std::pair<std::vector<std::string>, std::vector<std::string>>;

std::vector<std::string> SortedUnique(const google::protobuf::RepeatedPtrField<std::string>& in) {
  std::vector<std::string> out(in.begin(), in.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

FieldSets Fields(const v1::FineGrainedLineage& fg) {
  return {SortedUnique(fg.upstreams()), SortedUnique(fg.downstreams())};
}

// Provenance of the stored entries, by key; when a key repeats, the last entry wins.
absl::flat_hash_map<std::string_view, const v1::LineageProvenance*> UpstreamsOfJob(
    const v1::UpstreamLineage& prev, const std::string& job) {
  absl::flat_hash_map<std::string_view, const v1::LineageProvenance*> out;
  for (const auto& up : prev.upstreams()) {
    if (up.job() == job) out.insert_or_assign(std::string_view(up.dataset()), &up.provenance());
  }
  return out;
}

absl::flat_hash_map<FieldSets, const v1::LineageProvenance*> FineGrainedByFields(
    const v1::UpstreamLineage& prev) {
  absl::flat_hash_map<FieldSets, const v1::LineageProvenance*> out;
  out.reserve(prev.fine_grained_lineages_size());
  for (const auto& p : prev.fine_grained_lineages())
    out.insert_or_assign(Fields(p), &p.provenance());
  return out;
}

std::set<std::string> Downstreams(const v1::FineGrainedLineage& fg) {
  return {fg.downstreams().begin(), fg.downstreams().end()};
}

// Canonical text of a field URN as the normaliser will store it.
std::vector<v1::FineGrainedLineage> Canonical(const std::vector<v1::FineGrainedLineage>& in) {
  std::vector<v1::FineGrainedLineage> out = in;
  for (auto& fg : out) {
    for (auto& u : *fg.mutable_upstreams()) {
      if (auto p = common::Urn::Parse(u); p.ok()) u = p->ToString();
    }
    for (auto& d : *fg.mutable_downstreams()) {
      if (auto p = common::Urn::Parse(d); p.ok()) d = p->ToString();
    }
  }
  return out;
}

}  // namespace

v1::LineageProvenance MakeProvenance(v1::SourceKind source, const std::string& run_id,
                                     int64_t event_micros, const v1::LineageProvenance* previous) {
  v1::LineageProvenance p;
  p.set_source(source);
  p.set_run_id(run_id);
  int64_t first = event_micros;
  if (previous != nullptr && previous->first_seen_micros() != 0) {
    first = std::min(first, previous->first_seen_micros());
  }
  p.set_first_seen_micros(first);
  p.set_last_seen_micros(std::max(event_micros, first));
  return p;
}

absl::Status MergeUpstreamLineage(const LineageStatement& st, MergePolicy policy,
                                  StagedWrites& writes) {
  ASSIGN_OR_RETURN(auto previous, writes.GetAs<v1::UpstreamLineage>(
                                      st.downstream, lineage::kUpstreamLineageAspect));
  const v1::UpstreamLineage& prev = previous ? *previous : v1::UpstreamLineage::default_instance();
  const std::string job = st.job;
  std::vector<v1::FineGrainedLineage> incoming = Canonical(st.fine_grained);

  if (policy == MergePolicy::kReplaceJob) {
    // Stale: the stored entries of this job come from a later event.
    for (const auto& up : prev.upstreams()) {
      if (up.job() == job && up.provenance().source() != v1::MANUAL &&
          up.provenance().last_seen_micros() > st.event_micros) {
        return absl::OkStatus();
      }
    }
  }

  auto merged = std::make_unique<v1::UpstreamLineage>();
  // Upstreams.
  std::set<std::string> new_upstreams;
  for (const auto& u : st.upstreams) new_upstreams.insert(u.ToString());
  for (const auto& up : prev.upstreams()) {
    const bool mine = up.job() == job && up.provenance().source() != v1::MANUAL;
    // Events of one run add up (START may list inputs that COMPLETE leaves out); a new run
    // replaces what the job's earlier runs said.
    const bool same_run = up.provenance().run_id() == st.run_id;
    if (policy == MergePolicy::kReplaceJob && mine &&
        (!same_run || new_upstreams.contains(up.dataset()))) {
      continue;  // replaced below
    }
    if (policy == MergePolicy::kAddOrRefresh && up.job() == job &&
        new_upstreams.contains(up.dataset())) {
      continue;  // refreshed below
    }
    *merged->add_upstreams() = up;
  }
  const auto stored_upstreams = UpstreamsOfJob(prev, job);
  for (const std::string& dataset : new_upstreams) {
    auto found = stored_upstreams.find(std::string_view(dataset));
    const v1::LineageProvenance* earlier =
        found != stored_upstreams.end() ? found->second : nullptr;
    v1::Upstream* up = merged->add_upstreams();
    up->set_dataset(dataset);
    up->set_type(v1::TRANSFORMED);
    up->set_job(job);
    if (earlier != nullptr && policy == MergePolicy::kAddOrRefresh &&
        earlier->last_seen_micros() > st.event_micros) {
      *up->mutable_provenance() = *earlier;  // a newer statement already refreshed it
    } else {
      *up->mutable_provenance() = MakeProvenance(st.source, st.run_id, st.event_micros, earlier);
    }
  }

  // Fine-grained entries.
  std::set<std::set<std::string>> replaced_downstreams;
  for (const auto& fg : incoming) replaced_downstreams.insert(Downstreams(fg));
  std::vector<v1::FineGrainedLineage> kept_newer;
  for (const auto& fg : prev.fine_grained_lineages()) {
    const bool manual = fg.provenance().source() == v1::MANUAL;
    if (!manual && policy == MergePolicy::kReplaceJob && fg.query() == job &&
        (fg.provenance().run_id() != st.run_id || replaced_downstreams.contains(Downstreams(fg)))) {
      continue;
    }
    if (!manual && policy == MergePolicy::kAddOrRefresh &&
        replaced_downstreams.contains(Downstreams(fg))) {
      if (fg.provenance().last_seen_micros() > st.event_micros) kept_newer.push_back(fg);
      continue;
    }
    *merged->add_fine_grained_lineages() = fg;
  }
  if (!kept_newer.empty()) {
    for (auto& fg : kept_newer) *merged->add_fine_grained_lineages() = std::move(fg);
  } else {
    const auto stored_fine_grained = FineGrainedByFields(prev);
    for (auto& fg : incoming) {
      auto found = stored_fine_grained.find(Fields(fg));
      const v1::LineageProvenance* earlier =
          found != stored_fine_grained.end() ? found->second : nullptr;
      *fg.mutable_provenance() = MakeProvenance(st.source, st.run_id, st.event_micros, earlier);
      if (policy == MergePolicy::kReplaceJob) fg.set_query(job);
      *merged->add_fine_grained_lineages() = std::move(fg);
    }
  }
  if (previous == nullptr && merged->upstreams().empty() &&
      merged->fine_grained_lineages().empty()) {
    return absl::OkStatus();  // nothing to say
  }
  return writes.Put(st.downstream, lineage::kUpstreamLineageAspect, std::move(merged));
}

}  // namespace tidemark::ingest
