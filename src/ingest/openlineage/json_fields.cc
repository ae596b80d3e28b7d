// Event lists, name limits and JSON timestamps for the event decoders; see json_fields.h.
#include "ingest/openlineage/json_fields.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/time.h"

namespace tidemark::ingest {
namespace {

std::string S(std::string_view v) { return std::string(v); }

}  // namespace

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

absl::StatusOr<std::string> ReqString(const json::object& object, std::string_view key,
                                      std::string_view path, bool name_like) {
  absl::StatusOr<std::string> v = common::RequiredString(object, key, path);
  if (v.ok() && name_like && v->size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(common::JsonPath(path, key), ": longer than ", kMaxNameBytes, " bytes"));
  }
  return v;
}

absl::StatusOr<int64_t> JsonTimeMicros(const json::value& value, std::string_view path) {
  if (value.is_string()) {
    auto t = common::ParseRfc3339Micros(std::string_view(value.get_string()),
                                        common::ZoneRule::kUtcWhenMissing);
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
