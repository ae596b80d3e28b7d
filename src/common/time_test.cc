// Tests for the one RFC 3339 reading and writing: fractions, offsets, separators, zones, calendar
// checks, and a parse/format round trip.
#include "common/time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <climits>
#include <string>
#include <string_view>

#include "tests/testing/status_matchers.h"

namespace tidemark::common {
namespace {

using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

constexpr int64_t k2024May1Noon = 1714564800LL * 1'000'000;  // 2024-05-01T12:00:00Z

// The parsed value, or a failure naming the status and INT64_MIN.
int64_t Micros(std::string_view text, ZoneRule zone = ZoneRule::kRequired) {
  absl::StatusOr<int64_t> parsed = ParseRfc3339Micros(text, zone);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status();
  return parsed.ok() ? *parsed : INT64_MIN;
}

TEST(TimeTest, ParsesTheFormsProducersSend) {
  EXPECT_EQ(Micros("2024-05-01T12:00:00Z"), k2024May1Noon);
  EXPECT_EQ(Micros("2024-05-01t12:00:00z"), k2024May1Noon);
  EXPECT_EQ(Micros("2024-05-01 12:00:00Z"), k2024May1Noon);
  EXPECT_EQ(Micros("2024-05-01T12:00:00.5Z"), k2024May1Noon + 500'000);
  EXPECT_EQ(Micros("2024-05-01T12:00:00.123456789Z"), k2024May1Noon + 123'456);
  EXPECT_EQ(Micros("2024-05-01T22:00:00+10:00"), k2024May1Noon);
  EXPECT_EQ(Micros("2024-05-01T07:30:00-04:30"), k2024May1Noon);
  EXPECT_EQ(Micros("1969-12-31T23:59:59.5Z"), -500'000);
}

TEST(TimeTest, ZoneIsRequiredUnlessTheCallerAllowsUtc) {
  EXPECT_THAT(ParseRfc3339Micros("2024-05-01T12:00:00"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("time zone")));
  EXPECT_EQ(Micros("2024-05-01T12:00:00", ZoneRule::kUtcWhenMissing), k2024May1Noon);
}

TEST(TimeTest, RefusesMalformedAndImpossibleTimes) {
  for (const char* text :
       {"", "2024-05-01", "2024-5-01T12:00:00Z", "2024-05-01T12:00Z", "2024-13-01T12:00:00Z",
        "2024-02-30T12:00:00Z", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00+1000", "2024-05-01T12:00:00Zjunk",
        "١٢٣٤-05-01T12:00:00Z", "yesterday"}) {
    EXPECT_THAT(ParseRfc3339Micros(text),
                StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_))
        << text;
  }
  EXPECT_OK(ParseRfc3339Micros("2024-02-29T00:00:00Z"));
}

TEST(TimeTest, ErrorsQuoteACutVersionOfTheText) {
  const std::string long_text(500, '9');
  absl::Status status = ParseRfc3339Micros(long_text).status();
  EXPECT_LT(status.message().size(), 200u);
}

TEST(TimeTest, FormatsUtcWithMillisOrMicros) {
  EXPECT_EQ(FormatRfc3339(k2024May1Noon + 123'456), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(FormatRfc3339(k2024May1Noon + 123'456, FractionDigits::kMicros),
            "2024-05-01T12:00:00.123456Z");
  EXPECT_EQ(FormatRfc3339(0, FractionDigits::kMicros), "1970-01-01T00:00:00.000000Z");
}

TEST(TimeTest, RoundTrips) {
  for (int64_t micros :
       {int64_t{0}, k2024May1Noon, k2024May1Noon + 1, int64_t{-1}, int64_t{253402300799999999}}) {
    EXPECT_EQ(Micros(FormatRfc3339(micros, FractionDigits::kMicros)), micros);
  }
}

}  // namespace
}  // namespace tidemark::common
