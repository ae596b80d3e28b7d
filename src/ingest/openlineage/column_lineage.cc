// columnLineage facet → fine-grained lineage; see column_lineage.h.
#include "ingest/openlineage/column_lineage.h"

#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "ingest/openlineage/json_fields.h"

namespace tidemark::ingest {
namespace {

using common::Urn;

// What is known about how one input field feeds one output field.
struct Transform {
  v1::TransformationType type = v1::TRANSFORMATION_TYPE_UNSPECIFIED;
  std::set<v1::TransformationSubtype> subtypes;
  bool masking = false;
  std::set<std::string> descriptions;

  auto Key() const { return std::tie(type, subtypes, masking, descriptions); }
};

int Strength(v1::TransformationType t) {
  switch (t) {
    case v1::IDENTITY:
      return 1;
    case v1::TRANSFORMATION:
      return 2;
    case v1::AGGREGATION:
      return 3;
    default:
      return 0;
  }
}

void AddDirect(Transform& t, std::string_view subtype) {
  v1::TransformationType type = v1::TRANSFORMATION;  // DIRECT without a known subtype
  if (subtype == "IDENTITY") type = v1::IDENTITY;
  if (subtype == "AGGREGATION") type = v1::AGGREGATION;
  if (Strength(type) > Strength(t.type)) t.type = type;
}

void AddIndirect(Transform& t, std::string_view subtype) {
  v1::TransformationSubtype s;
  if (v1::TransformationSubtype_Parse(std::string(subtype), &s) &&
      s != v1::TRANSFORMATION_SUBTYPE_UNSPECIFIED) {
    t.subtypes.insert(s);
  }
}

absl::Status ReadTransformations(const json::object& input, const std::string& path, Transform& t,
                                 bool* any) {
  ASSIGN_OR_RETURN(const json::array* list, common::OptionalArray(input, "transformations", path));
  if (list == nullptr) return absl::OkStatus();
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string tp = absl::StrCat(path, ".transformations[", i, "]");
    ASSIGN_OR_RETURN(const json::object* tr, common::AsObject((*list)[i], tp));
    ASSIGN_OR_RETURN(auto type, common::OptionalString(*tr, "type", tp));
    ASSIGN_OR_RETURN(auto subtype, common::OptionalString(*tr, "subtype", tp));
    ASSIGN_OR_RETURN(auto description, common::OptionalString(*tr, "description", tp));
    ASSIGN_OR_RETURN(auto masking, common::OptionalBool(*tr, "masking", tp));
    *any = true;
    if (type.value_or("") == "INDIRECT") {
      AddIndirect(t, subtype.value_or(""));
    } else {
      AddDirect(t, subtype.value_or(""));
    }
    if (masking.value_or(false)) {
      t.masking = true;
      t.subtypes.insert(v1::MASKING);
    }
    if (description && !description->empty()) t.descriptions.insert(Truncate(*description, 1000));
  }
  return absl::OkStatus();
}

struct InputField {
  Urn dataset;
  Urn field;
  Transform transform;
};

absl::StatusOr<InputField> ReadInputField(const json::value& value, const std::string& path,
                                          bool* any_transformations) {
  ASSIGN_OR_RETURN(const json::object* in, common::AsObject(value, path));
  ASSIGN_OR_RETURN(std::string ns, ReqString(*in, "namespace", path));
  ASSIGN_OR_RETURN(std::string name, ReqString(*in, "name", path));
  ASSIGN_OR_RETURN(std::string field, ReqString(*in, "field", path));
  auto dataset = ResolveDatasetUrn(ns, name);
  if (!dataset.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", dataset.status().message()));
  InputField f{*dataset, Urn::SchemaField(*dataset, field), {}};
  RETURN_IF_ERROR(ReadTransformations(*in, path, f.transform, any_transformations));
  return f;
}

// Groups (transform → upstream fields) per downstream field into entries.
using Groups = std::map<
    std::string,
    std::map<std::tuple<int, std::set<v1::TransformationSubtype>, bool, std::set<std::string>>,
             std::pair<Transform, std::set<std::string>>>>;

void AddToGroups(Groups& groups, const std::string& downstream, const InputField& in) {
  auto key = std::make_tuple(static_cast<int>(in.transform.type), in.transform.subtypes,
                             in.transform.masking, in.transform.descriptions);
  auto& slot = groups[downstream][key];
  slot.first = in.transform;
  slot.second.insert(in.field.ToString());
}

}  // namespace

absl::StatusOr<ColumnLineage> MapColumnLineage(const OlDataset& output,
                                               const std::vector<std::string>& output_fields) {
  ColumnLineage result;
  if (output.facets == nullptr) return result;
  const std::string fp = absl::StrCat(output.path, ".facets.columnLineage");
  ASSIGN_OR_RETURN(const json::object* facet,
                   common::OptionalObject(*output.facets, "columnLineage",
                                          absl::StrCat(output.path, ".facets")));
  if (facet == nullptr) return result;
  result.present = true;
  std::set<Urn> datasets;
  Groups groups;
  std::vector<std::string> facet_fields;

  ASSIGN_OR_RETURN(const json::object* fields, common::OptionalObject(*facet, "fields", fp));
  if (fields != nullptr) {
    for (const auto& [key, value] : *fields) {
      const std::string name(key);
      const std::string path = absl::StrCat(fp, ".fields.", name);
      if (name.empty() || name.size() > kMaxNameBytes) {
        return absl::InvalidArgumentError(absl::StrCat(fp, ".fields: bad field name"));
      }
      facet_fields.push_back(name);
      ASSIGN_OR_RETURN(const json::object* entry, common::AsObject(value, path));
      // The deprecated per-field form applies to inputs without transformations[].
      ASSIGN_OR_RETURN(auto old_type, common::OptionalString(*entry, "transformationType", path));
      ASSIGN_OR_RETURN(auto old_description,
                       common::OptionalString(*entry, "transformationDescription", path));
      ASSIGN_OR_RETURN(const json::array* inputs,
                       common::OptionalArray(*entry, "inputFields", path));
      const std::string downstream = Urn::SchemaField(output.urn, name).ToString();
      for (size_t i = 0; inputs != nullptr && i < inputs->size(); ++i) {
        bool any = false;
        ASSIGN_OR_RETURN(
            InputField in,
            ReadInputField((*inputs)[i], absl::StrCat(path, ".inputFields[", i, "]"), &any));
        if (!any && old_type && !old_type->empty()) {
          AddDirect(in.transform, *old_type);
          if (old_description && !old_description->empty()) {
            in.transform.descriptions.insert(Truncate(*old_description, 1000));
          }
        }
        datasets.insert(in.dataset);
        AddToGroups(groups, downstream, in);
      }
    }
  }
  ASSIGN_OR_RETURN(const json::array* dataset_level, common::OptionalArray(*facet, "dataset", fp));
  if (dataset_level != nullptr && !dataset_level->empty()) {
    const std::vector<std::string>& targets = output_fields.empty() ? facet_fields : output_fields;
    for (size_t i = 0; i < dataset_level->size(); ++i) {
      bool any = false;
      ASSIGN_OR_RETURN(InputField in, ReadInputField((*dataset_level)[i],
                                                     absl::StrCat(fp, ".dataset[", i, "]"), &any));
      datasets.insert(in.dataset);
      for (const std::string& target : targets) {
        AddToGroups(groups, Urn::SchemaField(output.urn, target).ToString(), in);
      }
    }
  }
  for (const auto& [downstream, by_transform] : groups) {
    for (const auto& [key, slot] : by_transform) {
      const auto& [t, upstreams] = slot;
      v1::FineGrainedLineage fg;
      for (const auto& u : upstreams) fg.add_upstreams(u);
      fg.add_downstreams(downstream);
      fg.set_transformation_type(t.type);
      for (auto s : t.subtypes) fg.add_subtypes(s);
      fg.set_masking(t.masking);
      fg.set_transform_operation(absl::StrJoin(t.descriptions, "; "));
      result.entries.push_back(std::move(fg));
    }
  }
  result.upstream_datasets.assign(datasets.begin(), datasets.end());
  return result;
}

}  // namespace tidemark::ingest
