// Internal: the write-time rewriting of lineage aspect values done by LineageService::before_write:
// keeping MANUAL entries when an automated source rewrites the aspect, and filling empty provenance
// from the write context.
//
// Thread-safety: stateless functions.
#pragma once

#include "tidemark/v1/audit.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::lineage::internal {

// When `context.source` is not MANUAL, appends the MANUAL upstreams / fine-grained entries of
// `previous` that `value` does not already have (same dataset+job, same upstream+downstream sets).
void KeepManualEntries(const v1::UpstreamLineage& previous, const v1::WriteContext& context,
                       v1::UpstreamLineage& value);
void KeepManualEntries(const v1::DataJobInputOutput& previous, const v1::WriteContext& context,
                       v1::DataJobInputOutput& value);

// Empty source/run take the context's; zero first-seen takes the matching previous entry's (or the
// write time); zero last-seen takes the write time. `previous` may be null.
void FillProvenance(const v1::UpstreamLineage* previous, const v1::WriteContext& context,
                    v1::UpstreamLineage& value);
void FillProvenance(const v1::DataJobInputOutput* previous, const v1::WriteContext& context,
                    v1::DataJobInputOutput& value);

}  // namespace tidemark::lineage::internal
