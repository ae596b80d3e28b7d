// The one strict JSON reading for every route, decoder and file the service reads.
//
// RFC 8259 only: no comments, no trailing commas, no single quotes, no raw control characters or
// NUL inside strings, valid UTF-8 throughout, one document with nothing but white space after it,
// and a nesting limit so that a depth bomb is refused before it costs anything. Errors are
// InvalidArgument naming what was read and the byte offset where it went wrong; the offending
// bytes are never echoed (they may not be UTF-8). Thread-safe: no shared state.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "absl/status/statusor.h"

namespace tidemark::common {

inline constexpr int kDefaultJsonDepth = 64;

// Parses `text` as one strict JSON document. `what` names the input in errors ("request body",
// "aspect 'ownership'", a file name).
absl::StatusOr<boost::json::value> ParseJson(std::string_view text, std::string_view what,
                                             int max_depth = kDefaultJsonDepth);

}  // namespace tidemark::common
