// Urn: a parsed DataHub-style uniform resource name, `urn:li:<entityType>:<key>`.
//
// The key is either a single component (`urn:li:corpuser:alice`) or a parenthesised tuple whose
// components may themselves be URNs
// (`urn:li:dataset:(urn:li:dataPlatform:trino,lake.billing.x,PROD)`). Inside a component, the
// characters `,` `(` `)` and `%` that are not structure are percent-escaped
// (`%2C`, `%28`, `%29`, `%25`), as DataHub does. Parsing is strict: the known entity types, their
// arity and the kind of every component are checked, and the error message names what is wrong.
//
// Every Urn held by the program is canonical: `ToString()` of a parsed URN is its canonical form
// (dataset environments upper-cased, a bare platform name `trino` promoted to
// `urn:li:dataPlatform:trino`, escapes normalised to upper-case hex, only the needed ones kept).
// Urn is a small immutable value type; copies are cheap enough and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace tidemark::common {

class Urn {
 public:
  // Parses and canonicalises. Errors are InvalidArgument with a message that quotes the input.
  static absl::StatusOr<Urn> Parse(std::string_view text);

  // Builders from raw (unescaped) components, for text that came from a client, a file or a
  // producer: InvalidArgument on input no URN can hold (an empty component, an unknown env, a
  // non-dataset `dataset`, a `platform` that is neither a name nor a dataPlatform URN). Build
  // URNs with these rather than by concatenating text and parsing it.
  static absl::StatusOr<Urn> MakeDataset(std::string_view platform, std::string_view name,
                                         std::string_view env = "PROD");
  static absl::StatusOr<Urn> MakeSchemaField(const Urn& dataset, std::string_view field_path);
  static absl::StatusOr<Urn> MakeSimple(std::string_view entity_type, std::string_view id);

  // The same for components the program itself guarantees (constants, validated input): they
  // abort on misuse. `platform` may also be a `urn:li:dataPlatform:` URN.
  static Urn Dataset(std::string_view platform, std::string_view name,
                     std::string_view env = "PROD");
  static Urn SchemaField(const Urn& dataset, std::string_view field_path);
  static Urn Platform(std::string_view name);
  static Urn CorpUser(std::string_view name);
  static Urn CorpGroup(std::string_view name);
  static Urn Tag(std::string_view name);
  // Any entity type with one component, e.g. Simple("glossaryTerm", "Billing.BillableUsage").
  // Only for types whose key has a single string component; aborts on misuse.
  static Urn Simple(std::string_view entity_type, std::string_view id);

  // Escapes raw text for use as one plain-text key component when URN text is assembled by hand
  // (e.g. "urn:li:dataFlow:(" + EscapeComponent(a) + ...), exactly as the canonical form does.
  static std::string EscapeComponent(std::string_view raw);
  // Undoes EscapeComponent on one component of canonical URN text (e.g. the field path cut out of
  // a schemaField URN): every %XX becomes its byte; text that is not an escape is kept.
  static std::string UnescapeComponent(std::string_view escaped);

  // "dataset", "schemaField", "corpuser", ...
  const std::string& entity_type() const { return entity_type_; }
  // The raw (unescaped) key components; one for simple URNs.
  const std::vector<std::string>& components() const { return components_; }
  // Canonical text form.
  const std::string& ToString() const { return text_; }

  // For dataset URNs: platform name ("trino"), dataset name and env. For schemaField URNs: the
  // dataset URN and the field path. Each returns an empty value for other entity types.
  std::string PlatformName() const;  // dataset, dataPlatform, dashboard, chart, dataFlow, dataJob
  std::string DatasetName() const;
  std::string Env() const;
  // schemaField: the parent dataset; other types: InvalidArgument.
  absl::StatusOr<Urn> ParentDataset() const;
  std::string FieldPath() const;

  friend bool operator==(const Urn& a, const Urn& b) { return a.text_ == b.text_; }
  friend bool operator<(const Urn& a, const Urn& b) { return a.text_ < b.text_; }
  template <typename H>
  friend H AbslHashValue(H h, const Urn& u) {
    return H::combine(std::move(h), u.text_);
  }

 private:
  Urn(std::string entity_type, std::vector<std::string> components);
  std::string entity_type_;
  std::vector<std::string> components_;
  std::string text_;
};

// The entity types the catalog knows, in a stable order.
const std::vector<std::string>& KnownEntityTypes();

}  // namespace tidemark::common
