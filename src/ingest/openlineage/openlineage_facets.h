// Mapping of OpenLineage facets to catalog aspects (everything except lineage itself):
//
//   dataset  schema             → schemaMetadata (nested fields flattened to "a.b"; kept when
//                                 another source — database, dbt, manual — wrote the schema)
//            documentation      → datasetProperties.description
//            dataSource, symlinks, datasetType, storage
//                               → datasetProperties.customProperties ("dataSource.uri", ...)
//            ownership, tags    → ownership / globalTags (merged: owners and tags from other
//                                 sources stay; OpenLineage's are replaced)
//   job      documentation, jobType, sql, sourceCode
//                               → dataJobInfo (description, type, customProperties)
//            sourceCodeLocation → sourceCode
//            ownership, tags    → ownership / globalTags of the dataJob
//            (the job's dataFlow gets a dataFlowInfo named after the namespace)
//   run      eventType, eventTime, nominalTime, parent, errorMessage
//                               → one entry of the job's dataJobRuns
// Unknown facets are ignored. Known facets whose fields have the wrong JSON type are rejected with
// InvalidArgument naming the path. All merges are deterministic (see staged_writes.h).
//
// Thread-safety: stateless functions over a StagedWrites.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ingest/openlineage/openlineage_event.h"
#include "ingest/openlineage/staged_writes.h"

namespace tidemark::ingest {

inline constexpr std::string_view kDataJobRunsAspect = "dataJobRuns";
inline constexpr std::string_view kDatasetUsageAspect = "datasetUsage";

absl::Status MapDatasetFacets(const OlDataset& dataset, StagedWrites& writes,
                              std::vector<std::string>* warnings);

// Job facets of a run or job event. Sets *sql / *dialect from the sql facet (empty when absent).
absl::Status MapJobFacets(const OlEvent& event, StagedWrites& writes, std::string* sql,
                          std::string* dialect, std::vector<std::string>* warnings);

// The run of a RunEvent into the job's dataJobRuns.
absl::Status MapRun(const OlEvent& event, StagedWrites& writes);

// Field paths of the dataset's schema facet (flattened), in order; empty without one.
absl::StatusOr<std::vector<std::string>> SchemaFieldPaths(const OlDataset& dataset);

}  // namespace tidemark::ingest
