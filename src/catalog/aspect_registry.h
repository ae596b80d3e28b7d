// AspectRegistry: the table of aspects the catalog knows: name, Protobuf message type, the entity
// types it may be attached to, and an optional normaliser that validates and canonicalises a value
// before it is stored. Adding an aspect is one Register() call next to its message definition.
//
// Also converts aspect values between JSON (protobuf's canonical JSON mapping, lowerCamelCase field
// names, enum names as strings) and messages, with InvalidArgument naming the aspect and the
// problem.
//
// Thread-safety: registration happens at start-up; after that the registry is read-only and safe to
// share between threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "google/protobuf/message.h"

namespace tidemark::catalog {

struct AspectSpec {
  std::string name;                            // "datasetProperties"
  const google::protobuf::Message* prototype;  // default instance of the message type
  std::vector<std::string> entity_types;       // where it may be attached; empty = everywhere
  std::string description;
  // Validates/canonicalises `value` in place for `urn`; InvalidArgument names the bad field.
  std::function<absl::Status(const common::Urn& urn, google::protobuf::Message& value)> normalize;
};

class AspectRegistry {
 public:
  // The registry with every built-in catalog aspect; other modules (lineage, glossary) add theirs.
  static std::unique_ptr<AspectRegistry> WithCatalogAspects();

  absl::Status Register(AspectSpec spec);
  // NotFound-free lookup: nullptr when unknown.
  const AspectSpec* Find(std::string_view name) const;
  // InvalidArgument "unknown aspect 'x'" or "aspect 'x' cannot be attached to a <type>".
  absl::StatusOr<const AspectSpec*> Check(const common::Urn& urn, std::string_view aspect) const;
  std::vector<const AspectSpec*> All() const;

  // JSON text → normalised message for `aspect` on `urn`.
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> FromJson(const common::Urn& urn,
                                                                      std::string_view aspect,
                                                                      std::string_view json) const;
  // Serialized bytes → message.
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> FromBytes(
      std::string_view aspect, std::string_view bytes) const;
  // Message → JSON text (default-valued fields omitted, names lowerCamelCase).
  static std::string ToJson(const google::protobuf::Message& message);

 private:
  std::map<std::string, AspectSpec, std::less<>> specs_;
};

// Deterministic serialization (stable bytes for equal messages, so unchanged writes are detected).
std::string SerializeDeterministic(const google::protobuf::Message& message);

}  // namespace tidemark::catalog
