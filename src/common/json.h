// The one strict JSON reading for every route, decoder and file the service reads.
//
// RFC 8259 only: no comments, no trailing commas, no single quotes, no raw control characters or
// NUL inside strings, valid UTF-8 throughout, one document with nothing but white space after it,
// and a nesting limit so that a depth bomb is refused before it costs anything. Errors are
// InvalidArgument naming what was read and the byte offset where it went wrong; the offending
// bytes are never echoed (they may not be UTF-8). Thread-safe: no shared state.
//
// Below the parse, the one typed access to members of a parsed object. `path` is where the object
// sits in the document ("" for the root, "outputs[0].facets"); errors are InvalidArgument naming
// the member's full path ("outputs[0].facets.schema: expected an object"). An absent member and a
// JSON null are the same thing.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tidemark::common {

inline constexpr int kDefaultJsonDepth = 64;

// Parses `text` as one strict JSON document. `what` names the input in errors ("request body",
// "aspect 'ownership'", a file name).
absl::StatusOr<boost::json::value> ParseJson(std::string_view text, std::string_view what,
                                             int max_depth = kDefaultJsonDepth);

// "path.key", or "key" at the root.
std::string JsonPath(std::string_view path, std::string_view key);

// Present, a string and not empty; else "<path>.<key>: required" / ": expected a string".
absl::StatusOr<std::string> RequiredString(const boost::json::object& object, std::string_view key,
                                           std::string_view path);
// nullopt when absent; an error when present but not of the type.
absl::StatusOr<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                          std::string_view key,
                                                          std::string_view path);
// A JSON integer, or a number with no fraction that fits in int64.
absl::StatusOr<std::optional<int64_t>> OptionalInt(const boost::json::object& object,
                                                   std::string_view key, std::string_view path);
absl::StatusOr<std::optional<bool>> OptionalBool(const boost::json::object& object,
                                                 std::string_view key, std::string_view path);
// nullptr when absent. The pointers point into `object`.
absl::StatusOr<const boost::json::object*> OptionalObject(const boost::json::object& object,
                                                          std::string_view key,
                                                          std::string_view path);
absl::StatusOr<const boost::json::array*> OptionalArray(const boost::json::object& object,
                                                        std::string_view key,
                                                        std::string_view path);
absl::StatusOr<const boost::json::object*> RequiredObject(const boost::json::object& object,
                                                          std::string_view key,
                                                          std::string_view path);
absl::StatusOr<const boost::json::array*> RequiredArray(const boost::json::object& object,
                                                        std::string_view key,
                                                        std::string_view path);
// `value` itself as an object, or "<path>: expected an object".
absl::StatusOr<const boost::json::object*> AsObject(const boost::json::value& value,
                                                    std::string_view path);

}  // namespace tidemark::common
