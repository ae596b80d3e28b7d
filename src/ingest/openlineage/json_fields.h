// What the event decoders add to common/json.h: the event list of a request body, the name length
// limit, JSON timestamps (RFC 3339 or epoch seconds / milliseconds) and UTF-8-safe truncation.
// Parsing and member access themselves are common::ParseJson and common's accessors.
//
// Thread-safety: stateless functions.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/json.h"

namespace tidemark::ingest {

namespace json = boost::json;

// Longest namespace / name / field / user text accepted in an event.
inline constexpr size_t kMaxNameBytes = 4096;

// The events of a request body that is one event or an array of them, each with its path ("" for
// a lone event, "events[i]" in an array). InvalidArgument for an empty array or one of more than
// `max_events`.
absl::StatusOr<std::vector<std::pair<const json::value*, std::string>>> EventsOfDocument(
    const json::value& document, size_t max_events);

// Like common::RequiredString, and at most kMaxNameBytes when `name_like`.
absl::StatusOr<std::string> ReqString(const json::object& object, std::string_view key,
                                      std::string_view path, bool name_like = true);

// Transitional names for callers outside the ingest sources (src/ingest/usage); new code calls
// the accessors in common/json.h directly.
inline absl::StatusOr<std::optional<std::string>> OptString(const json::object& object,
                                                            std::string_view key,
                                                            std::string_view path) {
  return common::OptionalString(object, key, path);
}
inline absl::StatusOr<const json::array*> OptArray(const json::object& object, std::string_view key,
                                                   std::string_view path) {
  return common::OptionalArray(object, key, path);
}
inline absl::StatusOr<json::value> ParseJsonDocument(std::string_view text, std::string_view what) {
  return common::ParseJson(text, what);
}
using common::AsObject;

// A JSON timestamp: an RFC 3339 string (common::ParseRfc3339Micros, UTC when it has no zone), or a
// number of epoch seconds (< 1e11) or milliseconds.
absl::StatusOr<int64_t> JsonTimeMicros(const json::value& value, std::string_view path);

// Truncates `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string Truncate(std::string_view text, size_t max_bytes);

}  // namespace tidemark::ingest
