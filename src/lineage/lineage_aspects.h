// Registration of the lineage aspects with the catalog's AspectRegistry, and their normalisers.
//
//   upstreamLineage     on dataset, dashboard, chart  (tidemark.v1.UpstreamLineage)
//   dataJobInputOutput  on dataJob                    (tidemark.v1.DataJobInputOutput)
//
// Normalisers validate every URN (entity types: a dataset's upstreams are datasets; a dashboard's
// or chart's may be datasets, charts or dashboards; jobs are dataJobs; fine-grained entries are
// schemaFields, and the downstream fields of upstreamLineage belong to the aspect's own dataset),
// canonicalise them, drop duplicates and sort everything, so equal lineage always serialises to the
// same bytes. Cycles are legal lineage and are accepted.
//
// Thread-safety: stateless functions.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "catalog/aspect_registry.h"
#include "common/urn.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::lineage {

inline constexpr std::string_view kUpstreamLineageAspect = "upstreamLineage";
inline constexpr std::string_view kDataJobInputOutputAspect = "dataJobInputOutput";

// Registers both aspects; AlreadyExists (from the registry) when called twice.
absl::Status RegisterLineageAspects(catalog::AspectRegistry& registry);

// In-place normalisation; InvalidArgument names the offending field, e.g. "upstreams[1].dataset".
absl::Status NormalizeUpstreamLineage(const common::Urn& urn, v1::UpstreamLineage& value);
absl::Status NormalizeDataJobInputOutput(const common::Urn& urn, v1::DataJobInputOutput& value);

}  // namespace tidemark::lineage
