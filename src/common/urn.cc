// Urn parsing, canonical printing and builders (see urn.h).
//
// One table describes every known entity type's key (component names and kinds); the parser, the
// canonical printer and the builders are all driven by it, so they cannot disagree. The parser is a
// single left-to-right recursive descent over the input: no regex, no backtracking, each byte is
// looked at once per nesting level.
//
// Canonical text escapes, in plain-text components: `%` `,` `(` `)`, ASCII whitespace and control
// characters, bytes that are not part of valid UTF-8, and the `u` of a leading `urn:li:` (as
// `%75`) so that plain text can never be mistaken for a nested URN. Everything else is kept raw;
// this is exactly the set of characters the parser refuses to see unescaped, which is what makes
// Parse(x.ToString()) == x hold for every Urn, built or parsed.
#include "common/urn.h"

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace tidemark::common {
namespace {

constexpr std::string_view kPrefix = "urn:li:";
constexpr std::string_view kPlatformPrefix = "urn:li:dataPlatform:";
constexpr size_t kMaxLength = 4096;
constexpr int kMaxDepth = 8;
constexpr size_t kMaxQuoted = 256;
constexpr char kHexDigits[] = "0123456789ABCDEF";

enum class Kind {
  kText,          // plain text, percent-escaped
  kPlatform,      // a dataPlatform URN; a bare platform name is promoted to one
  kBarePlatform,  // a bare platform name (DataHub's dashboard/chart keys); a dataPlatform URN is
                  // reduced
  kUrn,           // a nested URN of type ComponentSpec::urn_type
  kEnv,           // a dataset environment (DataHub's FabricType), upper-cased
};

struct ComponentSpec {
  std::string_view name;
  Kind kind = Kind::kText;
  std::string_view urn_type = {};
};

struct EntitySpec {
  std::string_view type;
  std::span<const ComponentSpec> components;
};

constexpr ComponentSpec kNameKey[] = {{"name"}};
constexpr ComponentSpec kIdKey[] = {{"id"}};
constexpr ComponentSpec kDatasetKey[] = {
    {"platform", Kind::kPlatform}, {"name"}, {"env", Kind::kEnv}};
constexpr ComponentSpec kSchemaFieldKey[] = {{"dataset", Kind::kUrn, "dataset"}, {"fieldPath"}};
constexpr ComponentSpec kDataFlowKey[] = {{"orchestrator"}, {"flowId"}, {"cluster"}};
constexpr ComponentSpec kDataJobKey[] = {{"dataFlow", Kind::kUrn, "dataFlow"}, {"jobId"}};
constexpr ComponentSpec kDashboardKey[] = {{"platform", Kind::kBarePlatform}, {"dashboardId"}};
constexpr ComponentSpec kChartKey[] = {{"platform", Kind::kBarePlatform}, {"chartId"}};
// mlModel's key has the same shape as dataset's: (platform, name, env).
constexpr std::span<const ComponentSpec> kMlModelKey = kDatasetKey;

// The order here is the order of KnownEntityTypes().
constexpr EntitySpec kEntities[] = {
    {"dataPlatform", kNameKey}, {"dataset", kDatasetKey},        {"schemaField", kSchemaFieldKey},
    {"corpuser", kNameKey},     {"corpGroup", kNameKey},         {"tag", kNameKey},
    {"glossaryTerm", kNameKey}, {"glossaryNode", kNameKey},      {"domain", kIdKey},
    {"dataFlow", kDataFlowKey}, {"dataJob", kDataJobKey},        {"dashboard", kDashboardKey},
    {"chart", kChartKey},       {"dataProcessInstance", kIdKey}, {"mlModel", kMlModelKey},
};

constexpr std::string_view kEnvs[] = {"PROD", "DEV",      "TEST", "QA",  "UAT", "EI",     "PRE",
                                      "STG",  "NON_PROD", "CORP", "RVW", "PRD", "SANDBOX"};

std::string JoinEnvs() {
  std::string out;
  for (std::string_view env : kEnvs) {
    if (!out.empty()) out += ", ";
    out += env;
  }
  return out;
}

std::string ToUpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

const EntitySpec* FindSpec(std::string_view type) {
  for (const EntitySpec& spec : kEntities) {
    if (spec.type == type) return &spec;
  }
  return nullptr;
}

bool IsKnownEnv(std::string_view env) {
  for (std::string_view known : kEnvs) {
    if (known == env) return true;
  }
  return false;
}

bool IsSpaceOrControl(unsigned char c) { return c <= 0x20 || c == 0x7F; }

// Printable ASCII that stands for itself in a plain-text component.
bool IsPlainAscii(unsigned char c) {
  return c > 0x20 && c < 0x7F && c != '%' && c != ',' && c != '(' && c != ')';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 if there is none (stray
// continuation byte, truncation, overlong form, surrogate, beyond U+10FFFF).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return 1;
  size_t len;
  uint32_t cp;
  if ((lead & 0xE0) == 0xC0) {
    len = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4;
    cp = lead & 0x07;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void AppendHexByte(std::string* out, std::string_view prefix, unsigned char c) {
  out->append(prefix);
  out->push_back(kHexDigits[c >> 4]);
  out->push_back(kHexDigits[c & 0xF]);
}

// Escapes a raw plain-text component for the canonical form (see the file comment).
std::string EscapeText(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t i = 0;
  if (raw.starts_with(kPrefix)) {
    AppendHexByte(&out, "%", 'u');
    i = 1;
  }
  while (i < raw.size()) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (IsPlainAscii(c)) {
      const size_t start = i;
      while (++i < raw.size() && IsPlainAscii(static_cast<unsigned char>(raw[i]))) {
      }
      out.append(raw.substr(start, i - start));
      continue;
    }
    const size_t len = c < 0x80 ? 1 : Utf8SequenceLength(raw, i);
    if (len == 0 || c == '%' || c == ',' || c == '(' || c == ')' || IsSpaceOrControl(c)) {
      AppendHexByte(&out, "%", c);
      ++i;
    } else {
      out.append(raw.substr(i, len));
      i += len;
    }
  }
  return out;
}

// Decodes the escapes of a component: every well-formed %XX becomes its byte, anything else is
// kept as it is.
std::string UnescapeCanonical(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const int hi = text[i] == '%' && i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    const int lo = hi >= 0 ? HexValue(text[i + 2]) : -1;
    if (lo >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Quotes text for an error message: printable and UTF-8 kept, the rest as \xNN, long text cut.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    if (i >= kMaxQuoted) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : Utf8SequenceLength(s, i);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (len == 0 || (c != ' ' && IsSpaceOrControl(c))) {
      AppendHexByte(&out, "\\x", c);
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  out.push_back('"');
  return out;
}

std::string CanonicalText(const EntitySpec& spec, const std::vector<std::string>& components) {
  std::string out = Cat(kPrefix, spec.type, ":");
  if (spec.components.size() == 1) {
    out += EscapeText(components[0]);
    return out;
  }
  out.push_back('(');
  for (size_t i = 0; i < components.size(); ++i) {
    if (i > 0) out.push_back(',');
    const Kind kind = spec.components[i].kind;
    if (kind == Kind::kPlatform || kind == Kind::kUrn) {
      out += components[i];  // already a canonical URN
    } else {
      out += EscapeText(components[i]);
    }
  }
  out.push_back(')');
  return out;
}

std::string DescribeKey(const EntitySpec& spec) {
  const size_t n = spec.components.size();
  std::string out = Cat(n, n == 1 ? " component (" : " components (");
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    out += spec.components[i].name;
  }
  out += ")";
  return out;
}

absl::Status InvalidUrn(std::string_view input, std::string_view problem) {
  return absl::InvalidArgumentError(Cat("invalid URN ", Quote(input), ": ", problem));
}

[[noreturn]] void Die(std::string_view message) {
  Log(LogLevel::kError, Cat("tidemark::common::Urn: ", message));
  std::abort();
}

// Urn text produced by this file is canonical, so parsing it again cannot fail.
Urn ParseCanonical(std::string_view text) {
  absl::StatusOr<Urn> urn = Urn::Parse(text);
  if (!urn.ok()) Die(urn.status().ToString());
  return *std::move(urn);
}

std::string PlatformNameOf(std::string_view platform_urn) {
  return UnescapeCanonical(platform_urn.substr(kPlatformPrefix.size()));
}

// A key component as the parser first sees it, before the entity's table is applied.
struct RawComponent {
  bool is_urn = false;
  std::string value;  // decoded text, or the nested URN's canonical text
  std::string_view urn_type;
};

struct ParsedUrn {
  const EntitySpec* spec = nullptr;
  std::vector<std::string> components;
  std::string text;  // canonical text; only filled in for nested URNs
};

class Parser {
 public:
  explicit Parser(std::string_view input) : in_(input) {}

  absl::StatusOr<ParsedUrn> ParseTop() {
    if (in_.empty()) return Error("input is empty");
    if (in_.size() > kMaxLength) {
      return Error(Cat("longer than ", kMaxLength, " bytes (", in_.size(), ")"));
    }
    if (IsSpaceOrControl(in_.front())) return Error("leading whitespace or control character");
    if (IsSpaceOrControl(in_.back())) return Error("trailing whitespace or control character");
    if (!in_.starts_with(kPrefix)) return Error(Cat("does not start with \"", kPrefix, "\""));
    return ParseUrn(/*depth=*/1, /*nested=*/false);
  }

 private:
  absl::Status Error(std::string_view problem) const { return InvalidUrn(in_, problem); }
  bool AtEnd() const { return pos_ >= in_.size(); }
  bool AtUrnPrefix() const { return in_.substr(pos_).starts_with(kPrefix); }

  // pos_ is at "urn:li:". A nested URN ends before the `,` or `)` of the enclosing tuple.
  absl::StatusOr<ParsedUrn> ParseUrn(int depth, bool nested) {
    if (depth > kMaxDepth) {
      return Error(Cat("URNs nested deeper than ", kMaxDepth, " levels at offset ", pos_));
    }
    pos_ += kPrefix.size();
    const size_t type_start = pos_;
    while (!AtEnd() && IsAsciiAlnum(in_[pos_])) ++pos_;
    const std::string_view type = in_.substr(type_start, pos_ - type_start);
    if (!AtEnd() && in_[pos_] != ':') {
      const char c = in_[pos_];
      if (IsSpaceOrControl(static_cast<unsigned char>(c))) return WhitespaceError();
      if (c != ',' && c != '(' && c != ')') {
        return Error(Cat("invalid character ", Quote(std::string_view(&c, 1)),
                         " in entity type at offset ", pos_));
      }
    }
    if (type.empty()) return Error("empty entity type");
    if (AtEnd() || in_[pos_] != ':') {
      return Error(Cat("missing ':' and key after entity type ", Quote(type)));
    }
    const EntitySpec* spec = FindSpec(type);
    if (spec == nullptr) return Error(Cat("unknown entity type ", Quote(type)));
    ++pos_;
    if (AtEnd() || (nested && (in_[pos_] == ',' || in_[pos_] == ')'))) {
      return Error(Cat(type, " URN has an empty key at offset ", pos_));
    }

    std::vector<RawComponent> raw;
    const bool tuple = in_[pos_] == '(';
    if (tuple) {
      ++pos_;
      while (true) {
        if (AtEnd()) return Error("unbalanced parentheses: missing ')'");
        if (in_[pos_] == ',' || in_[pos_] == ')') {
          return Error(Cat(type, " component ", raw.size() + 1, " is empty (offset ", pos_, ")"));
        }
        RawComponent component;
        if (AtUrnPrefix()) {
          absl::StatusOr<ParsedUrn> inner = ParseUrn(depth + 1, /*nested=*/true);
          if (!inner.ok()) return inner.status();
          component.is_urn = true;
          component.urn_type = inner->spec->type;
          component.value = std::move(inner->text);
        } else {
          absl::StatusOr<std::string> text = ParseText();
          if (!text.ok()) return text.status();
          component.value = *std::move(text);
        }
        raw.push_back(std::move(component));
        if (AtEnd()) return Error("unbalanced parentheses: missing ')'");
        if (in_[pos_] == ',') {
          ++pos_;
        } else if (in_[pos_] == ')') {
          ++pos_;
          break;
        } else {  // only after a nested URN with a tuple key
          return Error(Cat("unexpected text after ')' at offset ", pos_));
        }
      }
      if (!nested && !AtEnd()) {
        return Error(Cat("trailing text after ')' at offset ", pos_));
      }
    } else {
      if (AtUrnPrefix()) {
        return Error(
            Cat(type, " key (", spec->components[0].name, ") must be plain text, not a URN"));
      }
      absl::StatusOr<std::string> text = ParseText();
      if (!text.ok()) return text.status();
      if (!nested && !AtEnd()) {
        if (in_[pos_] == ')') {
          return Error(Cat("unbalanced parentheses: unexpected ')' at offset ", pos_));
        }
        return Error(Cat("unescaped ',' at offset ", pos_, " (escape it as %2C)"));
      }
      raw.emplace_back().value = *std::move(text);
    }

    ParsedUrn parsed;
    parsed.spec = spec;
    absl::Status status = ApplySpec(*spec, tuple, std::move(raw), &parsed.components);
    if (!status.ok()) return status;
    if (nested) parsed.text = CanonicalText(*spec, parsed.components);
    return parsed;
  }

  // Reads and decodes plain text up to the end, `,` or `)`.
  absl::StatusOr<std::string> ParseText() {
    std::string out;
    while (!AtEnd()) {
      const auto c = static_cast<unsigned char>(in_[pos_]);
      if (c == ',' || c == ')') break;
      if (c == '(') {
        return Error(Cat("unexpected '(' at offset ", pos_, " (escape it as %28)"));
      }
      if (IsSpaceOrControl(c)) return WhitespaceError();
      if (c == '%') {
        const int hi = pos_ + 1 < in_.size() ? HexValue(in_[pos_ + 1]) : -1;
        const int lo = pos_ + 2 < in_.size() ? HexValue(in_[pos_ + 2]) : -1;
        if (hi < 0 || lo < 0) {
          return Error(Cat("bad percent escape ", Quote(in_.substr(pos_, 3)), " at offset ", pos_));
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        pos_ += 3;
      } else if (c < 0x80) {
        // Copy the whole run of ordinary ASCII at once; it is most of any URN.
        const size_t start = pos_;
        while (++pos_ < in_.size() && IsPlainAscii(static_cast<unsigned char>(in_[pos_]))) {
        }
        out.append(in_.substr(start, pos_ - start));
      } else {
        const size_t len = Utf8SequenceLength(in_, pos_);
        if (len == 0) return Error(Cat("invalid UTF-8 at offset ", pos_));
        out.append(in_.substr(pos_, len));
        pos_ += len;
      }
    }
    return out;
  }

  absl::Status WhitespaceError() const {
    return Error(Cat("whitespace or control character at offset ", pos_));
  }

  // Checks arity and component kinds against the entity's table and canonicalises each component.
  absl::Status ApplySpec(const EntitySpec& spec, bool tuple, std::vector<RawComponent> raw,
                         std::vector<std::string>* out) const {
    const size_t arity = spec.components.size();
    if (arity == 1 && tuple) {
      return Error(Cat(spec.type, " key is a single component (", spec.components[0].name,
                       "), not a parenthesised tuple"));
    }
    if (raw.size() != arity) {
      return Error(Cat(spec.type, " key needs ", DescribeKey(spec), ", got ", raw.size()));
    }
    out->reserve(arity);
    for (size_t i = 0; i < arity; ++i) {
      const ComponentSpec& want = spec.components[i];
      RawComponent& got = raw[i];
      // Built only on the error path: parsing is on every request.
      const auto label = [&] { return Cat(spec.type, " component ", i + 1, " (", want.name, ")"); };
      switch (want.kind) {
        case Kind::kText:
          if (got.is_urn) return Error(Cat(label(), " must be plain text, not a URN"));
          out->push_back(std::move(got.value));
          break;
        case Kind::kEnv: {
          if (got.is_urn) return Error(Cat(label(), " must be plain text, not a URN"));
          std::string env = ToUpperAscii(got.value);
          if (!IsKnownEnv(env)) {
            return Error(Cat(spec.type, " env ", Quote(got.value), " is not one of ", JoinEnvs()));
          }
          out->push_back(std::move(env));
          break;
        }
        case Kind::kPlatform:
          if (!got.is_urn) {
            out->push_back(Cat(kPlatformPrefix, EscapeText(got.value)));
          } else if (got.urn_type != "dataPlatform") {
            return Error(Cat(label(), " must be a platform name or a dataPlatform URN, got a ",
                             got.urn_type, " URN"));
          } else {
            out->push_back(std::move(got.value));
          }
          break;
        case Kind::kBarePlatform:
          if (!got.is_urn) {
            out->push_back(std::move(got.value));
          } else if (got.urn_type != "dataPlatform") {
            return Error(Cat(label(), " must be a platform name or a dataPlatform URN, got a ",
                             got.urn_type, " URN"));
          } else {
            out->push_back(PlatformNameOf(got.value));
          }
          break;
        case Kind::kUrn:
          if (!got.is_urn) {
            return Error(Cat(label(), " must be a ", want.urn_type, " URN, got plain text ",
                             Quote(got.value)));
          }
          if (got.urn_type != want.urn_type) {
            return Error(
                Cat(label(), " must be a ", want.urn_type, " URN, got a ", got.urn_type, " URN"));
          }
          out->push_back(std::move(got.value));
          break;
      }
    }
    return absl::OkStatus();
  }

  std::string_view in_;
  size_t pos_ = 0;
};

// The platform component for builders: a name, or an existing dataPlatform URN.
absl::StatusOr<std::string> PlatformComponent(std::string_view platform) {
  if (platform.empty()) return absl::InvalidArgumentError("platform name must not be empty");
  if (!platform.starts_with(kPrefix)) return Cat(kPlatformPrefix, EscapeText(platform));
  absl::StatusOr<Urn> urn = Urn::Parse(platform);
  if (!urn.ok() || urn->entity_type() != "dataPlatform") {
    return absl::InvalidArgumentError(
        Cat("platform ", Quote(platform), " is neither a name nor a dataPlatform URN"));
  }
  return urn->ToString();
}

absl::Status CheckNotEmpty(std::string_view what, std::string_view value) {
  if (value.empty()) return absl::InvalidArgumentError(Cat(what, " must not be empty"));
  return absl::OkStatus();
}

Urn OrDie(absl::StatusOr<Urn> urn) {
  if (!urn.ok()) Die(std::string(urn.status().message()));
  return *std::move(urn);
}

}  // namespace

Urn::Urn(std::string entity_type, std::vector<std::string> components)
    : entity_type_(std::move(entity_type)), components_(std::move(components)) {
  const EntitySpec* spec = FindSpec(entity_type_);
  if (spec == nullptr || spec->components.size() != components_.size()) {
    Die(Cat("internal error: bad key for entity type ", Quote(entity_type_)));
  }
  text_ = CanonicalText(*spec, components_);
}

absl::StatusOr<Urn> Urn::Parse(std::string_view text) {
  absl::StatusOr<ParsedUrn> parsed = Parser(text).ParseTop();
  if (!parsed.ok()) return parsed.status();
  Urn urn(std::string(parsed->spec->type), std::move(parsed->components));
  // A bare platform name grows by its "urn:li:dataPlatform:" prefix; keep every canonical form
  // parseable.
  if (urn.text_.size() > kMaxLength) {
    return InvalidUrn(
        text, Cat("canonical form is longer than ", kMaxLength, " bytes (", urn.text_.size(), ")"));
  }
  return urn;
}

absl::StatusOr<Urn> Urn::MakeDataset(std::string_view platform, std::string_view name,
                                     std::string_view env) {
  RETURN_IF_ERROR(CheckNotEmpty("dataset name", name));
  std::string upper_env = ToUpperAscii(env);
  if (!IsKnownEnv(upper_env)) {
    return absl::InvalidArgumentError(
        Cat("dataset env ", Quote(env), " is not one of ", JoinEnvs()));
  }
  ASSIGN_OR_RETURN(std::string platform_urn, PlatformComponent(platform));
  return Urn("dataset", {std::move(platform_urn), std::string(name), std::move(upper_env)});
}

absl::StatusOr<Urn> Urn::MakeSchemaField(const Urn& dataset, std::string_view field_path) {
  if (dataset.entity_type() != "dataset") {
    return absl::InvalidArgumentError(
        Cat("a schemaField needs a dataset URN, got ", Quote(dataset.ToString())));
  }
  RETURN_IF_ERROR(CheckNotEmpty("field path", field_path));
  return Urn("schemaField", {dataset.ToString(), std::string(field_path)});
}

absl::StatusOr<Urn> Urn::MakeSimple(std::string_view entity_type, std::string_view id) {
  const EntitySpec* spec = FindSpec(entity_type);
  if (spec == nullptr || spec->components.size() != 1) {
    return absl::InvalidArgumentError(
        Cat(Quote(entity_type), " is not a known single-component entity type"));
  }
  RETURN_IF_ERROR(CheckNotEmpty(Cat(entity_type, " id"), id));
  return Urn(std::string(spec->type), {std::string(id)});
}

Urn Urn::Dataset(std::string_view platform, std::string_view name, std::string_view env) {
  return OrDie(MakeDataset(platform, name, env));
}
Urn Urn::SchemaField(const Urn& dataset, std::string_view field_path) {
  return OrDie(MakeSchemaField(dataset, field_path));
}
Urn Urn::Platform(std::string_view name) { return Simple("dataPlatform", name); }
Urn Urn::CorpUser(std::string_view name) { return Simple("corpuser", name); }
Urn Urn::CorpGroup(std::string_view name) { return Simple("corpGroup", name); }
Urn Urn::Tag(std::string_view name) { return Simple("tag", name); }
Urn Urn::Simple(std::string_view entity_type, std::string_view id) {
  return OrDie(MakeSimple(entity_type, id));
}

std::string Urn::EscapeComponent(std::string_view raw) { return EscapeText(raw); }

std::string Urn::UnescapeComponent(std::string_view escaped) { return UnescapeCanonical(escaped); }

std::string Urn::PlatformName() const {
  if (entity_type_ == "dataset" || entity_type_ == "mlModel") return PlatformNameOf(components_[0]);
  if (entity_type_ == "dataPlatform" || entity_type_ == "dataFlow" || entity_type_ == "dashboard" ||
      entity_type_ == "chart") {
    return components_[0];
  }
  if (entity_type_ == "dataJob") return ParseCanonical(components_[0]).PlatformName();
  if (entity_type_ == "schemaField") return ParseCanonical(components_[0]).PlatformName();
  return "";
}

std::string Urn::DatasetName() const {
  if (entity_type_ == "dataset") return components_[1];
  if (entity_type_ == "schemaField") return ParseCanonical(components_[0]).components_[1];
  return "";
}

std::string Urn::Env() const {
  if (entity_type_ == "dataset") return components_[2];
  if (entity_type_ == "schemaField") return ParseCanonical(components_[0]).components_[2];
  return "";
}

absl::StatusOr<Urn> Urn::ParentDataset() const {
  if (entity_type_ != "schemaField") {
    return absl::InvalidArgumentError(Cat("URN ", Quote(text_), " is a ", entity_type_,
                                          " URN; only schemaField URNs have a parent dataset"));
  }
  return ParseCanonical(components_[0]);
}

std::string Urn::FieldPath() const {
  return entity_type_ == "schemaField" ? components_[1] : std::string();
}

const std::vector<std::string>& KnownEntityTypes() {
  static const std::vector<std::string>* const kTypes = [] {
    auto* types = new std::vector<std::string>();
    for (const EntitySpec& spec : kEntities) types->emplace_back(spec.type);
    return types;
  }();
  return *kTypes;
}

}  // namespace tidemark::common
