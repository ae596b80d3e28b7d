// Secondary indexes of the catalog, kept in ColumnFamily::kIndex as `<index> \0 <value> \0 <urn>`:
//   type/<entityType>, platform.<entityType>/<platform>      written once per entity
//   owner/<owner urn> (ownership), tag/<tag urn> (globalTags), term/<term urn> (glossaryTerms),
//   schemaTag, schemaTerm (field-level, schemaMetadata), editableSchemaTag, editableSchemaTerm
//   removed/true (status.removed: soft-deleted entities, so start-up finds them without a scan)
// Each aspect owns its own index names, so removing a value from one aspect never drops an entry
// that another aspect still justifies.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/urn.h"
#include "google/protobuf/message.h"
#include "storage/kv_store.h"

namespace tidemark::catalog::internal {

std::string IndexKey(std::string_view index, std::string_view value, std::string_view urn);

// (index, value) pairs every entity gets when it is first written.
std::vector<std::pair<std::string, std::string>> EntityIndexEntries(const common::Urn& urn);

// Whether `name` is one of the index names above (the catalog's own; RegisterIndex refuses them).
bool IsCatalogIndex(std::string_view name);

// Index name of the platform index for an entity type, e.g. "platform.dataset".
std::string PlatformIndex(std::string_view entity_type);

// Adds puts/deletes for the difference between the index values of `before` and `after` (either
// may be null) of `aspect`. Aspects without indexes add nothing.
void UpdateSecondaryIndexes(const common::Urn& urn, std::string_view aspect,
                            const google::protobuf::Message* before,
                            const google::protobuf::Message* after, storage::WriteBatch& batch);

}  // namespace tidemark::catalog::internal
