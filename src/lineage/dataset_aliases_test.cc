// Tests of the dataset alias table: loading, validation (bad URNs, chains, cycles) and lookup.
#include "lineage/dataset_aliases.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::lineage {
namespace {

using common::Urn;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

const char kPg[] = "urn:li:dataset:(urn:li:dataPlatform:postgres,app.public.users,PROD)";
const char kTrino[] = "urn:li:dataset:(urn:li:dataPlatform:trino,pg.public.users,PROD)";
const char kOther[] = "urn:li:dataset:(urn:li:dataPlatform:trino,pg.public.orders,PROD)";

Urn U(const char* text) { return *Urn::Parse(text); }

TEST(DatasetAliasesTest, ResolvesAnAliasToItsCanonicalUrn) {
  ASSERT_OK_AND_ASSIGN(DatasetAliases aliases,
                       DatasetAliases::FromJson(
                           absl::StrCat(R"({"aliases": {")", kTrino, R"(": ")", kPg, R"("}})")));
  EXPECT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases.Resolve(U(kTrino)), U(kPg));
  EXPECT_EQ(aliases.Resolve(U(kPg)), U(kPg));
  EXPECT_EQ(aliases.Resolve(U(kOther)), U(kOther));
}

TEST(DatasetAliasesTest, ResolvesColumnsOfAnAliasedDataset) {
  ASSERT_OK_AND_ASSIGN(DatasetAliases aliases, DatasetAliases::FromPairs({{kTrino, kPg}}));
  EXPECT_EQ(aliases.Resolve(Urn::SchemaField(U(kTrino), "email")),
            Urn::SchemaField(U(kPg), "email"));
  EXPECT_EQ(aliases.Resolve(Urn::CorpUser("alice")), Urn::CorpUser("alice"));
}

TEST(DatasetAliasesTest, KeysAreCanonicalised) {
  // Lower-case env and a bare platform name parse to the same canonical URN.
  ASSERT_OK_AND_ASSIGN(
      DatasetAliases aliases,
      DatasetAliases::FromPairs({{"urn:li:dataset:(trino,pg.public.users,prod)", kPg}}));
  EXPECT_EQ(aliases.Resolve(U(kTrino)), U(kPg));
}

TEST(DatasetAliasesTest, RejectsInvalidUrns) {
  EXPECT_THAT(DatasetAliases::FromPairs({{"not a urn", kPg}}, "f.json").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("f.json: alias 'not a urn'")));
  EXPECT_THAT(DatasetAliases::FromPairs({{kTrino, "urn:li:corpuser:alice"}}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a dataset URN")));
}

TEST(DatasetAliasesTest, RejectsChains) {
  EXPECT_THAT(DatasetAliases::FromPairs({{kOther, kTrino}, {kTrino, kPg}}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("chain of aliases")));
}

TEST(DatasetAliasesTest, RejectsCycles) {
  EXPECT_THAT(DatasetAliases::FromPairs({{kTrino, kPg}, {kPg, kTrino}}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cycle of aliases")));
  EXPECT_THAT(DatasetAliases::FromPairs({{kPg, kPg}}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("maps to itself")));
}

TEST(DatasetAliasesTest, RejectsConflictingTargets) {
  EXPECT_THAT(DatasetAliases::FromPairs({{kTrino, kPg},
                                         {"urn:li:dataset:(trino,pg.public.users,"
                                          "PROD)",
                                          kOther}})
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("maps to both")));
}

TEST(DatasetAliasesTest, RejectsMalformedFiles) {
  for (const char* text :
       {"", "[1]", R"({"aliases": []})", R"({"x": {}})", R"({"aliases": {"a": 1}})"}) {
    SCOPED_TRACE(text);
    EXPECT_THAT(DatasetAliases::FromJson(text, "a.json").status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a.json: ")));
  }
  ASSERT_OK_AND_ASSIGN(DatasetAliases empty, DatasetAliases::FromJson(R"({"aliases": {}})"));
  EXPECT_EQ(empty.size(), 0u);
}

TEST(DatasetAliasesTest, LoadsAFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() /
       absl::StrCat("tidemark_aliases_", ::testing::UnitTest::GetInstance()->random_seed(), "_",
                    reinterpret_cast<uintptr_t>(&path), ".json"))
          .string();
  std::ofstream(path) << absl::StrCat(R"({"aliases": {")", kTrino, R"(": ")", kPg, R"("}})");
  ASSERT_OK_AND_ASSIGN(DatasetAliases aliases, DatasetAliases::LoadFile(path));
  std::filesystem::remove(path);
  EXPECT_EQ(aliases.Resolve(U(kTrino)), U(kPg));
  EXPECT_THAT(DatasetAliases::LoadFile(path).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
}

TEST(DatasetAliasesTest, GlobalTableIsUsedBySetGlobalAndCleared) {
  EXPECT_EQ(DatasetAliases::Canonical(U(kTrino)), U(kTrino));
  ASSERT_OK_AND_ASSIGN(DatasetAliases aliases, DatasetAliases::FromPairs({{kTrino, kPg}}));
  DatasetAliases::SetGlobal(std::make_shared<const DatasetAliases>(std::move(aliases)));
  EXPECT_EQ(DatasetAliases::Canonical(U(kTrino)), U(kPg));
  DatasetAliases::SetGlobal(nullptr);
  EXPECT_EQ(DatasetAliases::Canonical(U(kTrino)), U(kTrino));
}

}  // namespace
}  // namespace tidemark::lineage
