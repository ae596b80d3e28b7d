// Tests for the common string helpers: the mixes of piece types Cat and Join take, ASCII-only
// Lower and Trim.
#include "common/strings.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace tidemark::common {
namespace {

enum class Color { kRed = 2 };

TEST(StringsTest, CatTakesEveryPieceType) {
  const std::string s = "s";
  EXPECT_EQ(Cat(std::string_view("a"), absl::string_view("b"), s, "c", 'd', 42, int64_t{-7},
                size_t{8}, Color::kRed),
            "abscd42-782");
  EXPECT_EQ(Cat(), "");
}

TEST(StringsTest, JoinPutsTheSeparatorBetweenElements) {
  EXPECT_EQ(Join(std::vector<std::string>{"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(Join(std::vector<std::string_view>{"x"}, "."), "x");
  EXPECT_EQ(Join(std::vector<int>{1, 2}, "-"), "1-2");
  EXPECT_EQ(Join(std::vector<std::string>{}, ","), "");
}

TEST(StringsTest, LowerIsAsciiOnly) { EXPECT_EQ(Lower("MiXed_É1"), "mixed_É1"); }

TEST(StringsTest, TrimRemovesAsciiWhiteSpaceAtBothEnds) {
  EXPECT_EQ(Trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
}

}  // namespace
}  // namespace tidemark::common
