// Merging one source's statement about a dataset's lineage into its stored upstreamLineage, for
// every query-engine source (OpenLineage runs, Trino queries, query logs).
//
// Two policies:
//   kReplaceJob     (OpenLineage) the job's latest run is the truth about what the job reads: the
//                   entries this job declared before (upstreams with job == J, fine-grained entries
//                   whose `query` is J) are replaced; other jobs' and MANUAL entries stay. Events
//                   of the same run add up (a COMPLETE that omits START's inputs keeps them). A run
//                   event older than what is stored for the job changes nothing.
//   kAddOrRefresh   (Trino, SQL logs) a query adds or refreshes edges and never removes a dataset
//                   edge; fine-grained entries for the same downstream column set are replaced by
//                   the newer statement.
// Provenance is filled completely (first seen kept from the matching stored entry, last seen =
// the event time), so merging the same statement twice gives the same bytes.
//
// Thread-safety: stateless functions over a StagedWrites (which holds the ingest lock).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/urn.h"
#include "ingest/openlineage/staged_writes.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {

enum class MergePolicy { kReplaceJob, kAddOrRefresh };

struct LineageStatement {
  common::Urn downstream;                            // a dataset
  std::string job;                                   // dataJob URN, or empty
  std::vector<common::Urn> upstreams;                // datasets
  std::vector<v1::FineGrainedLineage> fine_grained;  // downstreams are fields of `downstream`
  v1::SourceKind source = v1::SOURCE_KIND_UNSPECIFIED;
  std::string run_id;
  int64_t event_micros = 0;
};

// Stages the merged upstreamLineage of `statement.downstream` (nothing when the result equals the
// stored value or the statement is stale).
absl::Status MergeUpstreamLineage(const LineageStatement& statement, MergePolicy policy,
                                  StagedWrites& writes);

// Provenance for a new entry: first seen = `previous`'s when given, else the event time.
v1::LineageProvenance MakeProvenance(v1::SourceKind source, const std::string& run_id,
                                     int64_t event_micros,
                                     const v1::LineageProvenance* previous = nullptr);

}  // namespace tidemark::ingest
