// The built-in catalog aspects (schemas/tidemark/v1/catalog.proto) and their normalisers: URN
// fields are parsed and canonicalised, lists deduplicated, schema hashes computed.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "catalog/aspect_registry.h"
#include "common/status_macros.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::catalog {
namespace {

namespace pb = google::protobuf;
using common::Urn;

// Parses `*urn_text`, checks its entity type is one of `types`, and rewrites it canonically.
absl::Status CanonicalUrnField(std::string* urn_text, std::initializer_list<std::string_view> types,
                               std::string_view field) {
  auto parsed = Urn::Parse(*urn_text);
  if (!parsed.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), ": ", parsed.status().message()));
  bool allowed = types.size() == 0;
  for (std::string_view t : types) allowed |= parsed->entity_type() == t;
  if (!allowed) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(field), ": ", *urn_text, " is a ", parsed->entity_type(), " URN, expected ",
        absl::StrJoin(std::vector<std::string>(types.begin(), types.end()), " or ")));
  }
  *urn_text = parsed->ToString();
  return absl::OkStatus();
}

absl::Status NormalizeTags(v1::GlobalTags& tags, std::string_view where) {
  std::set<std::string> seen;
  pb::RepeatedPtrField<v1::TagAssociation> kept;
  for (auto& t : *tags.mutable_tags()) {
    RETURN_IF_ERROR(CanonicalUrnField(t.mutable_tag(), {"tag"},
                                      absl::StrCat(std::string(where), "tags[].tag")));
    if (seen.insert(t.tag()).second) *kept.Add() = t;
  }
  tags.mutable_tags()->Swap(&kept);
  return absl::OkStatus();
}

absl::Status NormalizeTerms(v1::GlossaryTerms& terms, std::string_view where) {
  std::set<std::string> seen;
  pb::RepeatedPtrField<v1::GlossaryTermAssociation> kept;
  for (auto& t : *terms.mutable_terms()) {
    RETURN_IF_ERROR(CanonicalUrnField(t.mutable_urn(), {"glossaryTerm"},
                                      absl::StrCat(std::string(where), "terms[].urn")));
    if (seen.insert(t.urn()).second) *kept.Add() = t;
  }
  terms.mutable_terms()->Swap(&kept);
  return absl::OkStatus();
}

absl::Status NormalizeOwnership(const Urn&, pb::Message& m) {
  auto& o = static_cast<v1::Ownership&>(m);
  std::set<std::pair<std::string, int>> seen;
  pb::RepeatedPtrField<v1::Owner> kept;
  for (auto& owner : *o.mutable_owners()) {
    RETURN_IF_ERROR(
        CanonicalUrnField(owner.mutable_owner(), {"corpuser", "corpGroup"}, "owners[].owner"));
    if (owner.type() == v1::OWNERSHIP_TYPE_UNSPECIFIED) owner.set_type(v1::TECHNICAL_OWNER);
    if (seen.emplace(owner.owner(), owner.type()).second) *kept.Add() = owner;
  }
  o.mutable_owners()->Swap(&kept);
  return absl::OkStatus();
}

// FNV-1a over the canonical field list: stable across processes, so equal schemas hash equally.
std::string SchemaHash(const v1::SchemaMetadata& schema) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  for (const auto& f : schema.fields()) {
    mix(f.field_path());
    mix(f.native_data_type());
    mix(v1::FieldType_Name(f.type()));
    mix(f.nullable() ? "1" : "0");
  }
  for (const auto& pk : schema.primary_keys()) mix(pk);
  return absl::StrFormat("%016x", h);
}

absl::Status NormalizeSchema(const Urn& urn, pb::Message& m) {
  auto& schema = static_cast<v1::SchemaMetadata&>(m);
  std::set<std::string> paths;
  int ordinal = 0;
  for (auto& f : *schema.mutable_fields()) {
    if (f.field_path().empty())
      return absl::InvalidArgumentError(absl::StrCat("fields[", ordinal, "].fieldPath is empty"));
    if (!paths.insert(f.field_path()).second) {
      return absl::InvalidArgumentError(absl::StrCat("field '", f.field_path(), "' appears twice"));
    }
    if (f.ordinal() == 0 && ordinal > 0) f.set_ordinal(ordinal);
    if (f.type() == v1::FIELD_TYPE_UNSPECIFIED) f.set_type(v1::UNKNOWN);
    RETURN_IF_ERROR(NormalizeTags(*f.mutable_global_tags(), "fields[].globalTags."));
    RETURN_IF_ERROR(NormalizeTerms(*f.mutable_glossary_terms(), "fields[].glossaryTerms."));
    ++ordinal;
  }
  for (const auto& pk : schema.primary_keys()) {
    if (!paths.contains(pk)) {
      return absl::InvalidArgumentError(absl::StrCat("primary key '", pk, "' is not a field"));
    }
  }
  for (auto& fk : *schema.mutable_foreign_keys()) {
    RETURN_IF_ERROR(CanonicalUrnField(fk.mutable_foreign_dataset(), {"dataset"},
                                      "foreignKeys[].foreignDataset"));
    for (auto& s : *fk.mutable_source_fields())
      RETURN_IF_ERROR(CanonicalUrnField(&s, {"schemaField"}, "foreignKeys[].sourceFields"));
    for (auto& s : *fk.mutable_foreign_fields())
      RETURN_IF_ERROR(CanonicalUrnField(&s, {"schemaField"}, "foreignKeys[].foreignFields"));
  }
  if (schema.platform().empty() && !urn.PlatformName().empty()) {
    schema.set_platform(Urn::Platform(urn.PlatformName()).ToString());
  }
  schema.set_hash(SchemaHash(schema));
  return absl::OkStatus();
}

absl::Status NormalizeEditableSchema(const Urn&, pb::Message& m) {
  auto& e = static_cast<v1::EditableSchemaMetadata&>(m);
  std::set<std::string> paths;
  for (auto& info : *e.mutable_editable_schema_field_info()) {
    if (info.field_path().empty())
      return absl::InvalidArgumentError("editableSchemaFieldInfo[].fieldPath is empty");
    if (!paths.insert(info.field_path()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", info.field_path(), "' appears twice"));
    }
    RETURN_IF_ERROR(
        NormalizeTags(*info.mutable_global_tags(), "editableSchemaFieldInfo[].globalTags."));
    RETURN_IF_ERROR(
        NormalizeTerms(*info.mutable_glossary_terms(), "editableSchemaFieldInfo[].glossaryTerms."));
  }
  return absl::OkStatus();
}

absl::Status NormalizeSourceCode(const Urn&, pb::Message& m) {
  auto& code = static_cast<v1::SourceCode&>(m);
  for (const auto& loc : code.locations()) {
    if (loc.path().empty() && loc.url().empty()) {
      return absl::InvalidArgumentError("locations[] needs a path or a url");
    }
    if (loc.start_line() < 0 || loc.end_line() < 0 ||
        (loc.end_line() > 0 && loc.end_line() < loc.start_line())) {
      return absl::InvalidArgumentError(absl::StrCat("locations[] line range ", loc.start_line(),
                                                     "-", loc.end_line(), " is invalid"));
    }
  }
  return absl::OkStatus();
}

absl::Status NormalizeDomains(const Urn&, pb::Message& m) {
  for (auto& d : *static_cast<v1::Domains&>(m).mutable_domains()) {
    RETURN_IF_ERROR(CanonicalUrnField(&d, {"domain"}, "domains[]"));
  }
  return absl::OkStatus();
}

absl::Status NormalizeDashboard(const Urn&, pb::Message& m) {
  for (auto& c : *static_cast<v1::DashboardInfo&>(m).mutable_charts()) {
    RETURN_IF_ERROR(CanonicalUrnField(&c, {"chart"}, "charts[]"));
  }
  return absl::OkStatus();
}

absl::Status NormalizeGroup(const Urn&, pb::Message& m) {
  for (auto& u : *static_cast<v1::CorpGroupInfo&>(m).mutable_members()) {
    RETURN_IF_ERROR(CanonicalUrnField(&u, {"corpuser"}, "members[]"));
  }
  return absl::OkStatus();
}

}  // namespace

std::unique_ptr<AspectRegistry> AspectRegistry::WithCatalogAspects() {
  auto registry = std::make_unique<AspectRegistry>();
  const std::vector<std::string> datasets = {"dataset"};
  const std::vector<std::string> owned = {"dataset",      "dataJob", "dataFlow",
                                          "dashboard",    "chart",   "glossaryTerm",
                                          "glossaryNode", "domain",  "dataPlatform"};
  auto add = [&](std::string name, const pb::Message& prototype, std::vector<std::string> types,
                 std::string description, decltype(AspectSpec::normalize) normalize = nullptr) {
    absl::Status s = registry->Register({std::move(name), &prototype, std::move(types),
                                         std::move(description), std::move(normalize)});
    if (!s.ok()) std::abort();  // built-in names are unique by construction
  };
  add("datasetProperties", v1::DatasetProperties::default_instance(), datasets,
      "Ingested name, qualified name, description and properties of a dataset.");
  add("editableProperties", v1::EditableDatasetProperties::default_instance(), datasets,
      "Description written by people; ingestion never overwrites it.");
  add("schemaMetadata", v1::SchemaMetadata::default_instance(), datasets,
      "Ingested schema: fields with native and normalized types, keys and a schema hash.",
      NormalizeSchema);
  add("editableSchemaMetadata", v1::EditableSchemaMetadata::default_instance(), datasets,
      "Field descriptions, tags and terms written by people.", NormalizeEditableSchema);
  add("ownership", v1::Ownership::default_instance(), owned, "Owners and their roles.",
      NormalizeOwnership);
  add("globalTags", v1::GlobalTags::default_instance(), owned, "Tags.",
      [](const Urn&, pb::Message& m) {
        return NormalizeTags(static_cast<v1::GlobalTags&>(m), "");
      });
  add("glossaryTerms", v1::GlossaryTerms::default_instance(), owned, "Business glossary terms.",
      [](const Urn&, pb::Message& m) {
        return NormalizeTerms(static_cast<v1::GlossaryTerms&>(m), "");
      });
  add("status", v1::Status::default_instance(), {}, "Soft-delete marker.");
  add("sourceCode", v1::SourceCode::default_instance(), {"dataset", "dataJob", "dataFlow"},
      "Code that produces the entity: repository, path, commit, line range.", NormalizeSourceCode);
  add("domains", v1::Domains::default_instance(), owned, "Business domains.", NormalizeDomains);
  add("dataPlatformInfo", v1::DataPlatformInfo::default_instance(), {"dataPlatform"},
      "Platform details.");
  add("corpUserInfo", v1::CorpUserInfo::default_instance(), {"corpuser"}, "User details.");
  add("corpGroupInfo", v1::CorpGroupInfo::default_instance(), {"corpGroup"},
      "Group details and members.", NormalizeGroup);
  add("tagProperties", v1::TagProperties::default_instance(), {"tag"},
      "Tag name, description, colour.");
  add("domainProperties", v1::DomainProperties::default_instance(), {"domain"}, "Domain details.");
  add("dataFlowInfo", v1::DataFlowInfo::default_instance(), {"dataFlow"}, "Pipeline details.");
  add("dataJobInfo", v1::DataJobInfo::default_instance(), {"dataJob"}, "Job details.");
  add("dashboardInfo", v1::DashboardInfo::default_instance(), {"dashboard"}, "Dashboard details.",
      NormalizeDashboard);
  add("chartInfo", v1::ChartInfo::default_instance(), {"chart"}, "Chart details.");
  return registry;
}

}  // namespace tidemark::catalog
