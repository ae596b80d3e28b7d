// RFC 3339 parsing by hand (std::from_chars, no locale, no sscanf) and formatting through
// civil-time arithmetic, so both work for any year 0000–9999 without time_t limits.
#include "common/time.h"

#include <charconv>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tidemark::common {
namespace {

std::string Quoted(std::string_view text) {
  return absl::StrCat("'", std::string(text.substr(0, 64)), text.size() > 64 ? "…'" : "'");
}

// Reads exactly `width` digits at text[*pos].
bool Digits(std::string_view text, size_t* pos, int width, int* out) {
  if (*pos + width > text.size()) return false;
  const char* begin = text.data() + *pos;
  for (int i = 0; i < width; ++i) {
    if (begin[i] < '0' || begin[i] > '9') return false;
  }
  std::from_chars(begin, begin + width, *out);
  *pos += width;
  return true;
}

bool Expect(std::string_view text, size_t* pos, std::string_view one_of) {
  if (*pos >= text.size() || one_of.find(text[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

}  // namespace

absl::StatusOr<int64_t> ParseRfc3339Micros(std::string_view text, ZoneRule zone) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " is not an RFC 3339 time: ", std::string(why)));
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  size_t pos = 0;
  if (!Digits(text, &pos, 4, &year) || !Expect(text, &pos, "-") || !Digits(text, &pos, 2, &month) ||
      !Expect(text, &pos, "-") || !Digits(text, &pos, 2, &day) || !Expect(text, &pos, "Tt ") ||
      !Digits(text, &pos, 2, &hour) || !Expect(text, &pos, ":") ||
      !Digits(text, &pos, 2, &minute) || !Expect(text, &pos, ":") ||
      !Digits(text, &pos, 2, &second)) {
    return bad("expected YYYY-MM-DDTHH:MM:SS");
  }
  int64_t fraction_micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t start = pos;
    int64_t scale = 100'000;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      fraction_micros += (text[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == start) return bad("no digits after '.'");
  }
  int offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    int offset_hours = 0, offset_minutes = 0;
    if (!Digits(text, &pos, 2, &offset_hours) || !Expect(text, &pos, ":") ||
        !Digits(text, &pos, 2, &offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return bad("the offset must be ±HH:MM");
    }
    offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
  } else if (zone == ZoneRule::kRequired) {
    return bad("needs a time zone (Z or ±HH:MM)");
  }
  if (pos != text.size()) return bad("unexpected text after the time");
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) {
    return bad("a field is out of range");
  }
  const absl::CivilDay civil_day(year, month, day);
  if (civil_day.month() != month || civil_day.day() != day) return bad("no such day");
  // A leap second (":60") is read as the first instant of the next minute, as absl does.
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  const absl::Time t = absl::FromCivil(civil, absl::UTCTimeZone()) - absl::Seconds(offset_seconds);
  return absl::ToUnixMicros(t) + fraction_micros;
}

std::string FormatRfc3339(int64_t micros, FractionDigits digits) {
  const absl::Time t = absl::FromUnixMicros(micros);
  return digits == FractionDigits::kMicros
             ? absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone())
             : absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

}  // namespace tidemark::common
