// AspectRegistry: registration, lookup and JSON/bytes conversion of aspect values.
#include "catalog/aspect_registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"

namespace tidemark::catalog {

namespace pb = google::protobuf;

std::string SerializeDeterministic(const pb::Message& message) {
  std::string out;
  {
    pb::io::StringOutputStream stream(&out);
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

absl::Status AspectRegistry::Register(AspectSpec spec) {
  if (spec.name.empty() || spec.prototype == nullptr) {
    return absl::InvalidArgumentError("aspect spec needs a name and a prototype");
  }
  std::string name = spec.name;
  if (!specs_.emplace(name, std::move(spec)).second) {
    return absl::AlreadyExistsError(absl::StrCat("aspect '", name, "' is registered twice"));
  }
  return absl::OkStatus();
}

const AspectSpec* AspectRegistry::Find(std::string_view name) const {
  auto it = specs_.find(name);
  return it == specs_.end() ? nullptr : &it->second;
}

absl::StatusOr<const AspectSpec*> AspectRegistry::Check(const common::Urn& urn,
                                                        std::string_view aspect) const {
  const AspectSpec* spec = Find(aspect);
  if (spec == nullptr) {
    std::vector<std::string> names;
    for (const auto& [name, s] : specs_) names.push_back(name);
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown aspect '", std::string(aspect), "'; known aspects: ", absl::StrJoin(names, ", ")));
  }
  if (!spec->entity_types.empty() && std::find(spec->entity_types.begin(), spec->entity_types.end(),
                                               urn.entity_type()) == spec->entity_types.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "aspect '", std::string(aspect), "' cannot be attached to a ", urn.entity_type(),
        " (only to ", absl::StrJoin(spec->entity_types, ", "), ")"));
  }
  return spec;
}

std::vector<const AspectSpec*> AspectRegistry::All() const {
  std::vector<const AspectSpec*> out;
  for (const auto& [name, spec] : specs_) out.push_back(&spec);
  return out;
}

absl::StatusOr<std::unique_ptr<pb::Message>> AspectRegistry::FromJson(const common::Urn& urn,
                                                                      std::string_view aspect,
                                                                      std::string_view json) const {
  ASSIGN_OR_RETURN(const AspectSpec* spec, Check(urn, aspect));
  // Protobuf's JSON reader is lenient (single quotes, trailing commas, raw control characters and
  // NUL get through): every value passes the one strict reading first.
  RETURN_IF_ERROR(
      common::ParseJson(json, absl::StrCat("value of aspect '", std::string(aspect), "'"))
          .status());
  std::unique_ptr<pb::Message> message(spec->prototype->New());
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = pb::util::JsonStringToMessage(pb::StringPiece(json.data(), json.size()),
                                              message.get(), options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid value for aspect '", std::string(aspect), "': ", status.message().as_string()));
  }
  if (spec->normalize) {
    absl::Status normalized = spec->normalize(urn, *message);
    if (!normalized.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value for aspect '", std::string(aspect), "': ", normalized.message()));
    }
  }
  return message;
}

absl::StatusOr<std::unique_ptr<pb::Message>> AspectRegistry::FromBytes(
    std::string_view aspect, std::string_view bytes) const {
  const AspectSpec* spec = Find(aspect);
  if (spec == nullptr)
    return absl::InternalError(
        absl::StrCat("stored aspect '", std::string(aspect), "' is unknown"));
  std::unique_ptr<pb::Message> message(spec->prototype->New());
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("stored aspect '", std::string(aspect), "' does not parse"));
  }
  return message;
}

std::string AspectRegistry::ToJson(const pb::Message& message) {
  std::string out;
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  auto status = pb::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) return "{}";
  return out;
}

}  // namespace tidemark::catalog
