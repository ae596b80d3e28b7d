// Typed access to Boost.JSON documents for the event decoders, with errors that name the JSON path
// of the problem ("outputs[0].facets.schema.fields[2].name: expected a string"), and the timestamp
// formats producers send (RFC 3339 with any fraction and offset; epoch seconds or milliseconds).
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

namespace tidemark::ingest {

namespace json = boost::json;

// Longest namespace / name / field / user text accepted in an event.
inline constexpr size_t kMaxNameBytes = 4096;

// Parses JSON text; InvalidArgument "<what>: invalid JSON at offset N: <reason>".
absl::StatusOr<json::value> ParseJsonDocument(std::string_view text, std::string_view what);

// The events of a request body that is one event or an array of them, each with its path ("" for
// a lone event, "events[i]" in an array). InvalidArgument for an empty array or one of more than
// `max_events`.
absl::StatusOr<std::vector<std::pair<const json::value*, std::string>>> EventsOfDocument(
    const json::value& document, size_t max_events);

// Member `key` of `object`: absent or null → nullopt / nullptr; wrong type → InvalidArgument.
absl::StatusOr<std::optional<std::string>> OptString(const json::object& object,
                                                     std::string_view key, std::string_view path);
// Like OptString but required and non-empty, at most kMaxNameBytes when `name_like`.
absl::StatusOr<std::string> ReqString(const json::object& object, std::string_view key,
                                      std::string_view path, bool name_like = true);
absl::StatusOr<const json::object*> OptObject(const json::object& object, std::string_view key,
                                              std::string_view path);
absl::StatusOr<const json::array*> OptArray(const json::object& object, std::string_view key,
                                            std::string_view path);
absl::StatusOr<std::optional<bool>> OptBool(const json::object& object, std::string_view key,
                                            std::string_view path);
// The element as an object, or InvalidArgument "<path>: expected an object".
absl::StatusOr<const json::object*> AsObject(const json::value& value, std::string_view path);

// RFC 3339 ("2024-05-01T12:00:00.123456789+10:00", "...Z") → microseconds since the epoch.
absl::StatusOr<int64_t> ParseTimeMicros(std::string_view text);
// A JSON timestamp: an RFC 3339 string, or a number of epoch seconds (< 1e11) or milliseconds.
absl::StatusOr<int64_t> JsonTimeMicros(const json::value& value, std::string_view path);

// Truncates `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string Truncate(std::string_view text, size_t max_bytes);

}  // namespace tidemark::ingest
