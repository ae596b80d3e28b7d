// Tests for ParseJson: what strict JSON accepts, each lenient form it refuses (the forms
// protobuf's own JSON reader lets through), depth limits, trailing data and error messages that
// never echo the input's bytes.
#include "common/json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/testing/status_matchers.h"

namespace tidemark::common {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::tidemark::testing::StatusIs;

TEST(JsonTest, ParsesOneDocumentWithSurroundingWhiteSpace) {
  ASSERT_OK_AND_ASSIGN(boost::json::value v, ParseJson(" {\"a\": [1, \"é\", null]}\n\t", "body"));
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.as_object().at("a").as_array().size(), 3u);
}

TEST(JsonTest, RefusesLenientForms) {
  const std::string cases[] = {
      "{'a': 1}",                            // single quotes
      "{\"a\": 1,}",                         // trailing comma in an object
      "[1, 2,]",                             // trailing comma in an array
      "{\"a\": \"x\ty\"}",                   // raw control character in a string
      std::string("{\"a\": \"x\0y\"}", 12),  // NUL in a string
      "{\"a\": 1} // comment",               // comment
      "/* c */ {}",                          // comment first
      "{\"a\": 1} {\"b\": 2}",               // two documents
      "{\"a\": 1} x",                        // trailing garbage
      "{\"a\": \"\xff\xfe\"}",               // invalid UTF-8
      "{\"a\": 01}",                         // leading zero
      "{\"a\": NaN}",                        // not a JSON number
      "",                                    // empty
      "   ",                                 // white space only
      "{\"a\": ",                            // truncated
  };
  for (const std::string& text : cases) {
    EXPECT_THAT(ParseJson(text, "body").status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("body")))
        << "accepted: " << text;
  }
}

TEST(JsonTest, ErrorsNameTheOffsetAndNeverEchoTheInput) {
  const std::string text = "{\"a\": \"\xff\xfe secret\"}";
  absl::Status status = ParseJson(text, "request body").status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at byte")));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("secret")));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("\xff")));
}

TEST(JsonTest, TrailingDataIsReportedWithItsOffset) {
  EXPECT_THAT(
      ParseJson("[1] [2]", "file").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("after the document at byte 4")));
}

TEST(JsonTest, DepthIsLimited) {
  const std::string deep = std::string(65, '[') + std::string(65, ']');
  EXPECT_THAT(ParseJson(deep, "body").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  const std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_OK(ParseJson(ok, "body"));
  EXPECT_THAT(ParseJson("[[[1]]]", "body", /*max_depth=*/2).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

}  // namespace
}  // namespace tidemark::common
