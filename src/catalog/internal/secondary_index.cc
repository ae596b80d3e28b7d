// Secondary index maintenance; see secondary_index.h.
#include "catalog/internal/secondary_index.h"

#include <set>

#include "storage/key_codec.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::catalog::internal {
namespace {

using Entries = std::set<std::pair<std::string, std::string>>;

void AddFieldAnnotations(const v1::GlobalTags& tags, const v1::GlossaryTerms& terms,
                         const std::string& prefix, Entries& out) {
  for (const auto& t : tags.tags()) out.emplace(prefix + "Tag", t.tag());
  for (const auto& t : terms.terms()) out.emplace(prefix + "Term", t.urn());
}

Entries IndexEntries(std::string_view aspect, const google::protobuf::Message* message) {
  Entries out;
  if (message == nullptr) return out;
  if (aspect == "ownership") {
    for (const auto& o : static_cast<const v1::Ownership*>(message)->owners())
      out.emplace("owner", o.owner());
  } else if (aspect == "globalTags") {
    for (const auto& t : static_cast<const v1::GlobalTags*>(message)->tags())
      out.emplace("tag", t.tag());
  } else if (aspect == "glossaryTerms") {
    for (const auto& t : static_cast<const v1::GlossaryTerms*>(message)->terms())
      out.emplace("term", t.urn());
  } else if (aspect == "status") {
    if (static_cast<const v1::Status*>(message)->removed()) out.emplace("removed", "true");
  } else if (aspect == "schemaMetadata") {
    for (const auto& f : static_cast<const v1::SchemaMetadata*>(message)->fields()) {
      AddFieldAnnotations(f.global_tags(), f.glossary_terms(), "schema", out);
    }
  } else if (aspect == "editableSchemaMetadata") {
    for (const auto& f :
         static_cast<const v1::EditableSchemaMetadata*>(message)->editable_schema_field_info()) {
      AddFieldAnnotations(f.global_tags(), f.glossary_terms(), "editableSchema", out);
    }
  }
  return out;
}

}  // namespace

std::string IndexKey(std::string_view index, std::string_view value, std::string_view urn) {
  return storage::JoinKey({index, value, urn});
}

bool IsCatalogIndex(std::string_view name) {
  for (std::string_view own : {"type", "owner", "tag", "term", "removed", "schemaTag", "schemaTerm",
                               "editableSchemaTag", "editableSchemaTerm"}) {
    if (name == own) return true;
  }
  return name.starts_with("platform.");
}

std::string PlatformIndex(std::string_view entity_type) {
  return std::string("platform.") + std::string(entity_type);
}

std::vector<std::pair<std::string, std::string>> EntityIndexEntries(const common::Urn& urn) {
  std::vector<std::pair<std::string, std::string>> out = {{"type", urn.entity_type()}};
  std::string platform = urn.PlatformName();
  if (!platform.empty()) out.emplace_back(PlatformIndex(urn.entity_type()), platform);
  return out;
}

void UpdateSecondaryIndexes(const common::Urn& urn, std::string_view aspect,
                            const google::protobuf::Message* before,
                            const google::protobuf::Message* after, storage::WriteBatch& batch) {
  Entries old_entries = IndexEntries(aspect, before);
  Entries new_entries = IndexEntries(aspect, after);
  for (const auto& [index, value] : old_entries) {
    if (!new_entries.contains({index, value})) {
      batch.Delete(storage::ColumnFamily::kIndex, IndexKey(index, value, urn.ToString()));
    }
  }
  for (const auto& [index, value] : new_entries) {
    if (!old_entries.contains({index, value})) {
      batch.Put(storage::ColumnFamily::kIndex, IndexKey(index, value, urn.ToString()), "");
    }
  }
}

}  // namespace tidemark::catalog::internal
