// Normalisers for the lineage aspects; see lineage_aspects.h.
#include "lineage/lineage_aspects.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/status_macros.h"
#include "lineage/internal/str_util.h"

namespace tidemark::lineage {
namespace {

using common::Urn;

// Parses `text`, checks its entity type is one of `allowed`, and rewrites it canonically.
absl::Status CanonicalUrn(std::string* text, std::initializer_list<std::string_view> allowed,
                          std::string_view field) {
  absl::StatusOr<Urn> urn = Urn::Parse(*text);
  if (!urn.ok()) {
    return absl::InvalidArgumentError(Cat(field, ": ", urn.status().message()));
  }
  if (std::find(allowed.begin(), allowed.end(), urn->entity_type()) == allowed.end()) {
    return absl::InvalidArgumentError(Cat(field, ": '", *text, "' is a ", urn->entity_type(),
                                          ", expected ", Join(allowed, " or ")));
  }
  *text = urn->ToString();
  return absl::OkStatus();
}

void SortUnique(google::protobuf::RepeatedPtrField<std::string>* values) {
  std::vector<std::string> v(values->begin(), values->end());
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  values->Clear();
  for (auto& s : v) values->Add(std::move(s));
}

absl::Status CanonicalUrnList(google::protobuf::RepeatedPtrField<std::string>* values,
                              std::initializer_list<std::string_view> allowed,
                              std::string_view field) {
  for (int i = 0; i < values->size(); ++i) {
    RETURN_IF_ERROR(CanonicalUrn(values->Mutable(i), allowed, Cat(field, "[", i, "]")));
  }
  SortUnique(values);
  return absl::OkStatus();
}

// Validates one fine-grained entry; `downstream_parent` (when set) must own every downstream field.
absl::Status NormalizeFineGrained(v1::FineGrainedLineage& fg, const Urn* downstream_parent,
                                  const std::string& field) {
  RETURN_IF_ERROR(
      CanonicalUrnList(fg.mutable_upstreams(), {"schemaField"}, Cat(field, ".upstreams")));
  RETURN_IF_ERROR(
      CanonicalUrnList(fg.mutable_downstreams(), {"schemaField"}, Cat(field, ".downstreams")));
  if (fg.downstreams().empty()) {
    return absl::InvalidArgumentError(Cat(field, ".downstreams: must not be empty"));
  }
  if (downstream_parent != nullptr) {
    for (const std::string& down : fg.downstreams()) {
      ASSIGN_OR_RETURN(Urn field_urn, Urn::Parse(down));
      ASSIGN_OR_RETURN(Urn parent, field_urn.ParentDataset());
      if (!(parent == *downstream_parent)) {
        return absl::InvalidArgumentError(Cat(
            field, ".downstreams: '", down, "' is not a field of ", downstream_parent->ToString()));
      }
    }
  }
  std::vector<int> subtypes;
  for (int s : fg.subtypes()) {
    if (s <= 0 || s > 30) continue;  // drop UNSPECIFIED and unknown values
    subtypes.push_back(s);
  }
  std::sort(subtypes.begin(), subtypes.end());
  subtypes.erase(std::unique(subtypes.begin(), subtypes.end()), subtypes.end());
  fg.clear_subtypes();
  for (int s : subtypes) fg.add_subtypes(static_cast<v1::TransformationSubtype>(s));
  if (fg.confidence_score() < 0 || fg.confidence_score() > 1) {
    return absl::InvalidArgumentError(Cat(field, ".confidenceScore: must be within [0, 1]"));
  }
  return absl::OkStatus();
}

std::string FineGrainedSortKey(const v1::FineGrainedLineage& fg) {
  return Cat(Join(fg.downstreams(), "\n"), "\x01", Join(fg.upstreams(), "\n"), "\x01",
             fg.transformation_type(), "\x01", catalog::SerializeDeterministic(fg));
}

absl::Status NormalizeFineGrainedList(
    google::protobuf::RepeatedPtrField<v1::FineGrainedLineage>* list, const Urn* parent,
    std::string_view field) {
  std::vector<std::pair<std::string, v1::FineGrainedLineage>> entries;
  entries.reserve(list->size());
  for (int i = 0; i < list->size(); ++i) {
    v1::FineGrainedLineage fg = list->Get(i);
    RETURN_IF_ERROR(NormalizeFineGrained(fg, parent, Cat(field, "[", i, "]")));
    entries.emplace_back(FineGrainedSortKey(fg), std::move(fg));
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                entries.end());
  list->Clear();
  for (auto& [key, fg] : entries) *list->Add() = std::move(fg);
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeUpstreamLineage(const Urn& urn, v1::UpstreamLineage& value) {
  const bool is_dataset = urn.entity_type() == "dataset";
  std::vector<v1::Upstream> upstreams;
  for (int i = 0; i < value.upstreams_size(); ++i) {
    v1::Upstream up = value.upstreams(i);
    const std::string field = Cat("upstreams[", i, "]");
    if (up.dataset().empty()) {
      return absl::InvalidArgumentError(Cat(field, ".dataset: required"));
    }
    if (is_dataset) {
      RETURN_IF_ERROR(CanonicalUrn(up.mutable_dataset(), {"dataset"}, field + ".dataset"));
    } else {
      RETURN_IF_ERROR(CanonicalUrn(up.mutable_dataset(), {"dataset", "chart", "dashboard"},
                                   field + ".dataset"));
    }
    if (!up.job().empty()) {
      RETURN_IF_ERROR(CanonicalUrn(up.mutable_job(), {"dataJob"}, field + ".job"));
    }
    upstreams.push_back(std::move(up));
  }
  // Deterministic order; for duplicate (dataset, job) pairs the first after a stable sort wins.
  std::stable_sort(upstreams.begin(), upstreams.end(), [](const auto& a, const auto& b) {
    return std::tie(a.dataset(), a.job()) < std::tie(b.dataset(), b.job());
  });
  upstreams.erase(std::unique(upstreams.begin(), upstreams.end(),
                              [](const auto& a, const auto& b) {
                                return a.dataset() == b.dataset() && a.job() == b.job();
                              }),
                  upstreams.end());
  value.clear_upstreams();
  for (auto& up : upstreams) *value.add_upstreams() = std::move(up);
  return NormalizeFineGrainedList(value.mutable_fine_grained_lineages(), &urn,
                                  "fineGrainedLineages");
}

absl::Status NormalizeDataJobInputOutput(const Urn& urn, v1::DataJobInputOutput& value) {
  RETURN_IF_ERROR(CanonicalUrnList(value.mutable_input_datasets(), {"dataset"}, "inputDatasets"));
  RETURN_IF_ERROR(CanonicalUrnList(value.mutable_output_datasets(), {"dataset"}, "outputDatasets"));
  RETURN_IF_ERROR(CanonicalUrnList(value.mutable_input_dataset_fields(), {"schemaField"},
                                   "inputDatasetFields"));
  RETURN_IF_ERROR(CanonicalUrnList(value.mutable_output_dataset_fields(), {"schemaField"},
                                   "outputDatasetFields"));
  return NormalizeFineGrainedList(value.mutable_fine_grained_lineages(), nullptr,
                                  "fineGrainedLineages");
}

absl::Status RegisterLineageAspects(catalog::AspectRegistry& registry) {
  RETURN_IF_ERROR(registry.Register(catalog::AspectSpec{
      .name = std::string(kUpstreamLineageAspect),
      .prototype = &v1::UpstreamLineage::default_instance(),
      .entity_types = {"dataset", "dashboard", "chart"},
      .description = "Upstream datasets and column-level (fine-grained) lineage of the entity.",
      .normalize =
          [](const Urn& urn, google::protobuf::Message& value) {
            return NormalizeUpstreamLineage(urn, static_cast<v1::UpstreamLineage&>(value));
          },
  }));
  return registry.Register(catalog::AspectSpec{
      .name = std::string(kDataJobInputOutputAspect),
      .prototype = &v1::DataJobInputOutput::default_instance(),
      .entity_types = {"dataJob"},
      .description = "Datasets and fields a data job reads and writes, with column lineage.",
      .normalize =
          [](const Urn& urn, google::protobuf::Message& value) {
            return NormalizeDataJobInputOutput(urn, static_cast<v1::DataJobInputOutput&>(value));
          },
  });
}

}  // namespace tidemark::lineage
