// RemovalMemory: "automated sources never re-add what a person removed" for the DataHub-style
// globalTags and glossaryTerms aspects, which people edit and ingestion (dbt, OpenLineage, …)
// also writes. When a MANUAL write drops a tag or term, a tombstone (who, when) is written in the
// same batch; a later automated write of that aspect has the tombstoned values filtered out before
// it is stored. A person adding the value back lifts the tombstone. (fieldAssignments keeps its own
// memory in AssignmentService.)
//
// The tombstones live in the glossary's meta space (CatalogService::Meta(kGlossaryMetaSpace)).
// Thread-safety: the hooks run under the catalog's write lock.
#pragma once

#include "catalog/catalog_service.h"

namespace tidemark::glossary {

// The glossary module's meta space: removal tombstones and the propagation cursor.
inline constexpr char kGlossaryMetaSpace[] = "glossary";

// Adds before_write hooks on globalTags and glossaryTerms to `catalog`.
void AttachRemovalMemory(catalog::CatalogService& catalog);

}  // namespace tidemark::glossary
