// JSON access helpers and timestamp parsing for the event decoders; see json_fields.h.
#include "ingest/openlineage/json_fields.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace tidemark::ingest {
namespace {

std::string S(std::string_view v) { return std::string(v); }

absl::Status TypeError(std::string_view path, std::string_view key, std::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(S(path), path.empty() ? "" : ".", S(key), ": expected ", S(expected)));
}

const json::value* Member(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(json::string_view(key.data(), key.size()));
  return v == nullptr || v->is_null() ? nullptr : v;
}

}  // namespace

absl::StatusOr<json::value> ParseJsonDocument(std::string_view text, std::string_view what) {
  json::error_code ec;
  json::parse_options options;
  options.max_depth = 64;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec, {}, options);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat(S(what), ": invalid JSON: ", ec.message()));
  }
  return v;
}

absl::StatusOr<std::vector<std::pair<const json::value*, std::string>>> EventsOfDocument(
    const json::value& document, size_t max_events) {
  std::vector<std::pair<const json::value*, std::string>> events;
  if (!document.is_array()) {
    events.emplace_back(&document, "");
    return events;
  }
  const json::array& list = document.get_array();
  if (list.empty()) return absl::InvalidArgumentError("the event array is empty");
  if (list.size() > max_events) {
    return absl::InvalidArgumentError(
        absl::StrCat("more than ", max_events, " events in one request"));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    events.emplace_back(&list[i], absl::StrCat("events[", i, "]"));
  }
  return events;
}

absl::StatusOr<std::optional<std::string>> OptString(const json::object& object,
                                                     std::string_view key, std::string_view path) {
  const json::value* v = Member(object, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) return TypeError(path, key, "a string");
  return std::string(v->get_string());
}

absl::StatusOr<std::string> ReqString(const json::object& object, std::string_view key,
                                      std::string_view path, bool name_like) {
  auto v = OptString(object, key, path);
  if (!v.ok()) return v.status();
  const std::string where = absl::StrCat(S(path), path.empty() ? "" : ".", S(key));
  if (!v->has_value() || (*v)->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": required"));
  }
  if (name_like && (*v)->size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": longer than ", kMaxNameBytes, " bytes"));
  }
  return std::move(**v);
}

absl::StatusOr<const json::object*> OptObject(const json::object& object, std::string_view key,
                                              std::string_view path) {
  const json::value* v = Member(object, key);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) return TypeError(path, key, "an object");
  return &v->get_object();
}

absl::StatusOr<const json::array*> OptArray(const json::object& object, std::string_view key,
                                            std::string_view path) {
  const json::value* v = Member(object, key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) return TypeError(path, key, "an array");
  return &v->get_array();
}

absl::StatusOr<std::optional<bool>> OptBool(const json::object& object, std::string_view key,
                                            std::string_view path) {
  const json::value* v = Member(object, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) return TypeError(path, key, "true or false");
  return v->get_bool();
}

absl::StatusOr<const json::object*> AsObject(const json::value& value, std::string_view path) {
  if (!value.is_object())
    return absl::InvalidArgumentError(absl::StrCat(S(path), ": expected an object"));
  return &value.get_object();
}

absl::StatusOr<int64_t> ParseTimeMicros(std::string_view text) {
  absl::Time t;
  std::string error;
  const absl::string_view in(text.data(), text.size());
  if (!absl::ParseTime(absl::RFC3339_full, in, &t, &error) &&
      !absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S", in, &t, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", Truncate(text, 64), "' is not an RFC 3339 time"));
  }
  return absl::ToUnixMicros(t);
}

absl::StatusOr<int64_t> JsonTimeMicros(const json::value& value, std::string_view path) {
  if (value.is_string()) {
    auto t = ParseTimeMicros(std::string_view(value.get_string()));
    if (!t.ok())
      return absl::InvalidArgumentError(absl::StrCat(S(path), ": ", t.status().message()));
    return *t;
  }
  if (value.is_number()) {
    json::error_code ec;
    const double n = value.to_number<double>(ec);
    if (ec || !std::isfinite(n) || n < 0 || n > 1e15) {
      return absl::InvalidArgumentError(absl::StrCat(S(path), ": time out of range"));
    }
    return static_cast<int64_t>(n < 1e11 ? n * 1e6 : n * 1e3);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(S(path), ": expected an RFC 3339 string or epoch seconds"));
}

std::string Truncate(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

}  // namespace tidemark::ingest
