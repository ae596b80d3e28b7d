// Tests for ParseJson: what strict JSON accepts, each lenient form it refuses (the forms
// protobuf's own JSON reader lets through), depth limits, trailing data and error messages that
// never echo the input's bytes. Then the typed member accessors and the paths their errors name.
#include "common/json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
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

boost::json::object Doc() {
  return boost::json::parse(
             R"({"s": "x", "empty": "", "n": 42, "big": 1e3, "frac": 1.5, "b": true, "o": {},
                 "a": [], "null": null})")
      .as_object();
}

TEST(JsonAccessTest, ReadsEachTypeAndTreatsNullAsAbsent) {
  const boost::json::object o = Doc();
  ASSERT_OK_AND_ASSIGN(std::string s, RequiredString(o, "s", ""));
  EXPECT_EQ(s, "x");
  ASSERT_OK_AND_ASSIGN(auto opt, OptionalString(o, "null", "root"));
  EXPECT_FALSE(opt.has_value());
  ASSERT_OK_AND_ASSIGN(auto n, OptionalInt(o, "n", ""));
  EXPECT_EQ(n, 42);
  ASSERT_OK_AND_ASSIGN(auto big, OptionalInt(o, "big", ""));
  EXPECT_EQ(big, 1000);
  ASSERT_OK_AND_ASSIGN(auto b, OptionalBool(o, "b", ""));
  EXPECT_EQ(b, true);
  ASSERT_OK_AND_ASSIGN(const boost::json::object* obj, RequiredObject(o, "o", ""));
  EXPECT_NE(obj, nullptr);
  ASSERT_OK_AND_ASSIGN(const boost::json::array* arr, RequiredArray(o, "a", ""));
  EXPECT_NE(arr, nullptr);
  ASSERT_OK_AND_ASSIGN(const boost::json::array* none, OptionalArray(o, "missing", ""));
  EXPECT_EQ(none, nullptr);
}

TEST(JsonAccessTest, ErrorsNameTheJsonPath) {
  const boost::json::object o = Doc();
  struct Case {
    absl::Status status;
    std::string message;
  };
  const Case cases[] = {
      {RequiredString(o, "missing", "outputs[0]").status(), "outputs[0].missing: required"},
      {RequiredString(o, "empty", "").status(), "empty: required"},
      {RequiredString(o, "n", "job").status(), "job.n: expected a string"},
      {OptionalInt(o, "frac", "").status(), "frac: expected an integer"},
      {OptionalInt(o, "s", "").status(), "s: expected an integer"},
      {OptionalBool(o, "s", "f").status(), "f.s: expected true or false"},
      {RequiredObject(o, "null", "run").status(), "run.null: required"},
      {OptionalObject(o, "a", "").status(), "a: expected an object"},
      {RequiredArray(o, "o", "").status(), "o: expected an array"},
      {AsObject(boost::json::value(1), "events[2]").status(), "events[2]: expected an object"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(c.status, StatusIs(absl::StatusCode::kInvalidArgument, c.message));
  }
}

}  // namespace
}  // namespace tidemark::common
