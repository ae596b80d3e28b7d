// The one reading and writing of timestamps: RFC 3339 text ↔ microseconds since the Unix epoch
// (UTC), used by every handler, decoder and renderer.
//
// Parsing takes what producers really send: "2024-05-01T12:00:00Z", any number of fraction digits
// (kept to the microsecond, extra digits truncated), "+HH:MM"/"-HH:MM" offsets, 't'/' ' as the
// separator and a lower-case 'z'. A time without a zone is refused unless the caller allows it
// (then it is UTC). Formatting is always UTC with 'Z'. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tidemark::common {

enum class ZoneRule { kRequired, kUtcWhenMissing };

// InvalidArgument naming the problem (the text is quoted, cut to 64 bytes).
absl::StatusOr<int64_t> ParseRfc3339Micros(std::string_view text,
                                           ZoneRule zone = ZoneRule::kRequired);

enum class FractionDigits { kMillis = 3, kMicros = 6 };

// "2024-05-01T12:00:00.123Z" (kMillis) or "2024-05-01T12:00:00.123456Z" (kMicros).
std::string FormatRfc3339(int64_t micros, FractionDigits digits = FractionDigits::kMillis);

}  // namespace tidemark::common
