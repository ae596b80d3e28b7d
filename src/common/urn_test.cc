// Tests for Urn: canonical forms of every entity type, escaping, each class of malformed input,
// accessors, builders, and a randomised builder/parse round trip.
#include "common/urn.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/testing/status_matchers.h"

namespace tidemark::common {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

struct ValidCase {
  std::string input;
  std::string canonical;
};

TEST(UrnTest, ParsesValidUrnsToCanonicalForm) {
  const std::vector<ValidCase> cases = {
      // One of each entity type.
      {"urn:li:dataPlatform:trino", "urn:li:dataPlatform:trino"},
      {"urn:li:dataset:(urn:li:dataPlatform:trino,lake.billing.x,PROD)",
       "urn:li:dataset:(urn:li:dataPlatform:trino,lake.billing.x,PROD)"},
      {"urn:li:schemaField:(urn:li:dataset:(urn:li:dataPlatform:trino,lake.x,PROD),user_id)",
       "urn:li:schemaField:(urn:li:dataset:(urn:li:dataPlatform:trino,lake.x,PROD),user_id)"},
      {"urn:li:corpuser:alice@example.com", "urn:li:corpuser:alice@example.com"},
      {"urn:li:corpGroup:data-eng", "urn:li:corpGroup:data-eng"},
      {"urn:li:tag:pii", "urn:li:tag:pii"},
      {"urn:li:glossaryTerm:Classification.Sensitive",
       "urn:li:glossaryTerm:Classification.Sensitive"},
      {"urn:li:glossaryNode:Classification", "urn:li:glossaryNode:Classification"},
      {"urn:li:domain:7186eeff-a860-4b0a-989f-69473a0c9c67",
       "urn:li:domain:7186eeff-a860-4b0a-989f-69473a0c9c67"},
      {"urn:li:dataFlow:(airflow,daily_billing,prod)",
       "urn:li:dataFlow:(airflow,daily_billing,prod)"},
      {"urn:li:dataJob:(urn:li:dataFlow:(airflow,daily_billing,PROD),load_invoices)",
       "urn:li:dataJob:(urn:li:dataFlow:(airflow,daily_billing,PROD),load_invoices)"},
      // DataHub keys dashboards and charts by the bare platform name.
      {"urn:li:dashboard:(urn:li:dataPlatform:looker,dashboards.1)",
       "urn:li:dashboard:(looker,dashboards.1)"},
      {"urn:li:chart:(urn:li:dataPlatform:superset,42)", "urn:li:chart:(superset,42)"},
      {"urn:li:dataProcessInstance:abc123", "urn:li:dataProcessInstance:abc123"},
      {"urn:li:mlModel:(urn:li:dataPlatform:sagemaker,churn,PROD)",
       "urn:li:mlModel:(urn:li:dataPlatform:sagemaker,churn,PROD)"},
      // Bare platforms are promoted; dataset env is upper-cased; dataFlow cluster is kept.
      {"urn:li:dataset:(trino,lake.billing.x,prod)",
       "urn:li:dataset:(urn:li:dataPlatform:trino,lake.billing.x,PROD)"},
      {"urn:li:dataset:(hive,db.t,Dev)", "urn:li:dataset:(urn:li:dataPlatform:hive,db.t,DEV)"},
      {"urn:li:dataset:(s3,bucket/key,non_prod)",
       "urn:li:dataset:(urn:li:dataPlatform:s3,bucket/key,NON_PROD)"},
      {"urn:li:dashboard:(looker,dashboards.1)", "urn:li:dashboard:(looker,dashboards.1)"},
      {"urn:li:chart:(superset,42)", "urn:li:chart:(superset,42)"},
      {"urn:li:mlModel:(sagemaker,churn,dev)",
       "urn:li:mlModel:(urn:li:dataPlatform:sagemaker,churn,DEV)"},
      {"urn:li:schemaField:(urn:li:dataset:(trino,lake.x,prod),user_id)",
       "urn:li:schemaField:(urn:li:dataset:(urn:li:dataPlatform:trino,lake.x,PROD),user_id)"},
      {"urn:li:dataFlow:(airflow,daily,Prod)", "urn:li:dataFlow:(airflow,daily,Prod)"},
      // Escapes: needed ones kept in upper case, others decoded.
      {"urn:li:dataset:(postgres,db.public.t%28v2%29,PROD)",
       "urn:li:dataset:(urn:li:dataPlatform:postgres,db.public.t%28v2%29,PROD)"},
      {"urn:li:dataset:(postgres,a%2cb,PROD)",
       "urn:li:dataset:(urn:li:dataPlatform:postgres,a%2Cb,PROD)"},
      {"urn:li:dataset:(postgres,%61bc,PROD)",
       "urn:li:dataset:(urn:li:dataPlatform:postgres,abc,PROD)"},
      {"urn:li:dataset:(my%2Cdb,x,PROD)", "urn:li:dataset:(urn:li:dataPlatform:my%2Cdb,x,PROD)"},
      {"urn:li:tag:100%25", "urn:li:tag:100%25"},
      {"urn:li:tag:a%2c%28%29", "urn:li:tag:a%2C%28%29"},
      {"urn:li:glossaryTerm:Sensitive%20Data", "urn:li:glossaryTerm:Sensitive%20Data"},
      {"urn:li:tag:%2Fpath%2F", "urn:li:tag:/path/"},
      {"urn:li:corpuser:a:b", "urn:li:corpuser:a:b"},
      {"urn:li:tag:%75rn:li:x", "urn:li:tag:%75rn:li:x"},
      {"urn:li:tag:%75%72n:li:x", "urn:li:tag:%75rn:li:x"},
      {"urn:li:tag:URN:LI:x", "urn:li:tag:URN:LI:x"},
      {"urn:li:schemaField:(urn:li:dataset:(trino,x,PROD),%5Bversion=2.0%5D.%5Btype=struct%5D.a)",
       "urn:li:schemaField:(urn:li:dataset:(urn:li:dataPlatform:trino,x,PROD),"
       "[version=2.0].[type=struct].a)"},
      // Unicode is kept raw; escaped UTF-8 is decoded.
      {"urn:li:glossaryTerm:Données.Personnelles", "urn:li:glossaryTerm:Données.Personnelles"},
      {"urn:li:tag:%C3%A9t%C3%A9", "urn:li:tag:été"},
      {"urn:li:tag:日本語", "urn:li:tag:日本語"},
      // Bytes that are not UTF-8 and control characters can only appear escaped.
      {"urn:li:tag:%ff", "urn:li:tag:%FF"},
      {"urn:li:tag:a%0Ab", "urn:li:tag:a%0Ab"},
  };
  for (const ValidCase& c : cases) {
    SCOPED_TRACE(c.input);
    ASSERT_OK_AND_ASSIGN(Urn urn, Urn::Parse(c.input));
    EXPECT_EQ(urn.ToString(), c.canonical);
    ASSERT_OK_AND_ASSIGN(Urn again, Urn::Parse(urn.ToString()));
    EXPECT_EQ(again.ToString(), c.canonical);
    EXPECT_EQ(again, urn);
    EXPECT_EQ(again.components(), urn.components());
  }
}

TEST(UrnTest, ComponentsHoldDecodedText) {
  struct Case {
    std::string input;
    std::string entity_type;
    std::vector<std::string> components;
  };
  const std::vector<Case> cases = {
      {"urn:li:corpuser:alice", "corpuser", {"alice"}},
      {"urn:li:tag:a%2cb%28c%29%25", "tag", {"a,b(c)%"}},
      {"urn:li:tag:%75rn:li:x", "tag", {"urn:li:x"}},
      {"urn:li:tag:%ff", "tag", {"\xff"}},
      {"urn:li:dataset:(trino,x%2Cy,prod)",
       "dataset",
       {"urn:li:dataPlatform:trino", "x,y", "PROD"}},
      {"urn:li:schemaField:(urn:li:dataset:(trino,x,PROD),a%2Cb)",
       "schemaField",
       {"urn:li:dataset:(urn:li:dataPlatform:trino,x,PROD)", "a,b"}},
      {"urn:li:dataJob:(urn:li:dataFlow:(airflow,f,prod),j)",
       "dataJob",
       {"urn:li:dataFlow:(airflow,f,prod)", "j"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    ASSERT_OK_AND_ASSIGN(Urn urn, Urn::Parse(c.input));
    EXPECT_EQ(urn.entity_type(), c.entity_type);
    EXPECT_EQ(urn.components(), c.components);
  }
}

struct InvalidCase {
  std::string input;
  std::string message;  // expected substring
};

std::string Cat(std::string_view a, std::string_view b, std::string_view c) {
  std::string out(a);
  out += b;
  out += c;
  return out;
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(UrnTest, RejectsMalformedUrns) {
  std::string too_deep = "urn:li:corpuser:x";
  for (int i = 0; i < 9; ++i) too_deep = Cat("urn:li:schemaField:(", too_deep, ",f)");
  const std::string long_name(4096 - std::string("urn:li:dataset:(t,,PROD)").size(), 'n');

  const std::vector<InvalidCase> cases = {
      // Empty, prefix, whitespace and control characters.
      {"", "input is empty"},
      {"tag:x", "does not start with \"urn:li:\""},
      {"urn:lx:tag:x", "does not start with \"urn:li:\""},
      {"URN:LI:tag:x", "does not start with \"urn:li:\""},
      {"urn:li", "does not start with \"urn:li:\""},
      {" urn:li:tag:x", "leading whitespace or control character"},
      {"urn:li:tag:x ", "trailing whitespace or control character"},
      {"urn:li:tag:x\n", "trailing whitespace or control character"},
      {"urn:li:tag:a b", "whitespace or control character at offset 12"},
      {"urn:li:tag:a\tb", "whitespace or control character at offset 12"},
      {std::string("urn:li:tag:a\0b", 14), "whitespace or control character at offset 12"},
      {"urn:li:tag:a\x7f"
       "b",
       "whitespace or control character at offset 12"},
      {"urn:li:dataset:(trino, x,PROD)", "whitespace or control character at offset 22"},
      {"urn:li:da taset:x", "whitespace or control character at offset 9"},
      // Entity types.
      {"urn:li::x", "empty entity type"},
      {"urn:li:", "empty entity type"},
      {"urn:li:tag", "missing ':' and key after entity type \"tag\""},
      {"urn:li:dataset(a,b,c)", "missing ':' and key after entity type \"dataset\""},
      {"urn:li:foo:x", "unknown entity type \"foo\""},
      {"urn:li:Tag:x", "unknown entity type \"Tag\""},
      {"urn:li:ta-g:x", "invalid character \"-\" in entity type at offset 9"},
      // Empty keys and components.
      {"urn:li:tag:", "tag URN has an empty key"},
      {"urn:li:dataset:()", "dataset component 1 is empty"},
      {"urn:li:dataset:(trino,,PROD)", "dataset component 2 is empty"},
      {"urn:li:dataset:(trino,x,)", "dataset component 3 is empty"},
      {"urn:li:dataset:(urn:li:dataPlatform:,b,PROD)", "dataPlatform URN has an empty key"},
      // Parentheses and trailing text.
      {"urn:li:dataset:(trino,x,PROD", "unbalanced parentheses: missing ')'"},
      {"urn:li:dataset:(", "unbalanced parentheses: missing ')'"},
      {"urn:li:schemaField:(urn:li:dataset:(trino,x,PROD),f",
       "unbalanced parentheses: missing ')'"},
      {"urn:li:schemaField:(urn:li:dataset:(trino,x,PROD", "unbalanced parentheses: missing ')'"},
      {"urn:li:tag:a)", "unbalanced parentheses: unexpected ')' at offset 12"},
      {"urn:li:dataset:(trino,x,PROD))", "trailing text after ')' at offset 29"},
      {"urn:li:dataset:(trino,x,PROD)x", "trailing text after ')' at offset 29"},
      {"urn:li:schemaField:(urn:li:dataset:(trino,x,PROD)y,f)",
       "unexpected text after ')' at offset 49"},
      {"urn:li:tag:a(b", "unexpected '(' at offset 12 (escape it as %28)"},
      {"urn:li:dataset:(trino,a(b),PROD)", "unexpected '(' at offset 23"},
      {"urn:li:dataset:((trino),x,PROD)", "unexpected '(' at offset 16"},
      {"urn:li:tag:a,b", "unescaped ',' at offset 12 (escape it as %2C)"},
      // Arity.
      {"urn:li:dataset:(x,y)", "dataset key needs 3 components (platform, name, env), got 2"},
      {"urn:li:dataset:(a,b,PROD,d)",
       "dataset key needs 3 components (platform, name, env), got 4"},
      {"urn:li:dataset:x", "dataset key needs 3 components (platform, name, env), got 1"},
      {"urn:li:schemaField:(urn:li:dataset:(trino,x,PROD))",
       "schemaField key needs 2 components (dataset, fieldPath), got 1"},
      {"urn:li:dataFlow:(airflow,f)",
       "dataFlow key needs 3 components (orchestrator, flowId, cluster), got 2"},
      {"urn:li:tag:(x)", "tag key is a single component (name), not a parenthesised tuple"},
      {"urn:li:corpuser:(a,b)", "corpuser key is a single component (name)"},
      {"urn:li:dataset:(urn:li:dataPlatform:(a),b,PROD)",
       "dataPlatform key is a single component (name), not a parenthesised tuple"},
      // Percent escapes and UTF-8.
      {"urn:li:tag:%2", "bad percent escape \"%2\" at offset 11"},
      {"urn:li:tag:abc%", "bad percent escape \"%\" at offset 14"},
      {"urn:li:tag:%G1", "bad percent escape \"%G1\" at offset 11"},
      {"urn:li:tag:%1g", "bad percent escape \"%1g\""},
      {"urn:li:dataset:(trino,x%,PROD)", "bad percent escape \"%,P\" at offset 23"},
      {"urn:li:tag:\xff", "invalid UTF-8 at offset 11"},
      {"urn:li:tag:a\xc3", "invalid UTF-8 at offset 12"},
      {"urn:li:tag:\xc0\xaf", "invalid UTF-8 at offset 11"},
      {"urn:li:tag:\xed\xa0\x80", "invalid UTF-8 at offset 11"},
      {"urn:li:tag:\xf4\x90\x80\x80", "invalid UTF-8 at offset 11"},
      // Values and kinds of components.
      {"urn:li:dataset:(trino,x,FOO)",
       "dataset env \"FOO\" is not one of PROD, DEV, TEST, QA, UAT, EI, PRE, STG, NON_PROD, CORP, "
       "RVW, PRD, SANDBOX"},
      {"urn:li:mlModel:(sagemaker,m,prod1)", "mlModel env \"prod1\" is not one of"},
      {"urn:li:schemaField:(urn:li:corpuser:x,f)",
       "schemaField component 1 (dataset) must be a dataset URN, got a corpuser URN"},
      {"urn:li:schemaField:(notaurn,f)",
       "schemaField component 1 (dataset) must be a dataset URN, got plain text \"notaurn\""},
      {"urn:li:schemaField:(f,urn:li:dataset:(trino,x,PROD))",
       "schemaField component 1 (dataset) must be a dataset URN, got plain text \"f\""},
      {"urn:li:dataJob:(urn:li:dataset:(trino,x,PROD),j)",
       "dataJob component 1 (dataFlow) must be a dataFlow URN, got a dataset URN"},
      {"urn:li:dataset:(urn:li:corpuser:x,y,PROD)",
       "dataset component 1 (platform) must be a platform name or a dataPlatform URN, got a "
       "corpuser URN"},
      {"urn:li:dataset:(trino,urn:li:tag:x,PROD)",
       "dataset component 2 (name) must be plain text, not a URN"},
      {"urn:li:dataset:(trino,x,urn:li:tag:PROD)",
       "dataset component 3 (env) must be plain text, not a URN"},
      {"urn:li:dataFlow:(urn:li:dataPlatform:airflow,f,prod)",
       "dataFlow component 1 (orchestrator) must be plain text, not a URN"},
      {"urn:li:corpuser:urn:li:corpuser:x", "corpuser key (name) must be plain text, not a URN"},
      {"urn:li:dataset:(urn:li:nope:x,y,PROD)", "unknown entity type \"nope\""},
      // Limits.
      {too_deep, "URNs nested deeper than 8 levels"},
      {"urn:li:tag:" + std::string(5000, 'x'), "longer than 4096 bytes (5011)"},
      {"urn:li:dataset:(t," + long_name + ",PROD)",
       "canonical form is longer than 4096 bytes (4116)"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_THAT(Urn::Parse(c.input),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
}

TEST(UrnTest, ErrorMessageQuotesTheInput) {
  EXPECT_THAT(Urn::Parse("urn:li:dataset:(x,y)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid URN \"urn:li:dataset:(x,y)\": dataset key needs 3 components "
                       "(platform, name, env), got 2"));
  // Control characters, quotes and bad UTF-8 are shown escaped; long inputs are cut.
  EXPECT_THAT(Urn::Parse("urn:li:tag:\"a\nb\xff"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid URN \"urn:li:tag:\\\"a\\x0Ab\\xFF\"")));
  EXPECT_THAT(Urn::Parse("urn:li:tag:" + std::string(5000, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("xxx...\": longer than")));
}

TEST(UrnTest, AcceptsMaximumLengthAndDepth) {
  const std::string name(4096 - std::string("urn:li:dataset:(urn:li:dataPlatform:t,,PROD)").size(),
                         'n');
  ASSERT_OK_AND_ASSIGN(Urn urn, Urn::Parse("urn:li:dataset:(t," + name + ",PROD)"));
  EXPECT_EQ(urn.ToString().size(), 4096u);
  EXPECT_OK(Urn::Parse(urn.ToString()));
  EXPECT_OK(Urn::Parse("urn:li:tag:" + Repeat("%25", 1361)));
}

struct AccessorCase {
  std::string urn;
  std::string platform;
  std::string dataset_name;
  std::string env;
  std::string field_path;
};

TEST(UrnTest, Accessors) {
  const std::vector<AccessorCase> cases = {
      {"urn:li:dataset:(trino,lake.billing.x,prod)", "trino", "lake.billing.x", "PROD", ""},
      {"urn:li:dataset:(urn:li:dataPlatform:my%2Cdb,a%28b%29,DEV)", "my,db", "a(b)", "DEV", ""},
      {"urn:li:schemaField:(urn:li:dataset:(hive,db.t,QA),a%2Cb)", "hive", "db.t", "QA", "a,b"},
      {"urn:li:dataPlatform:trino", "trino", "", "", ""},
      {"urn:li:dashboard:(looker,d.1)", "looker", "", "", ""},
      {"urn:li:chart:(superset,42)", "superset", "", "", ""},
      {"urn:li:mlModel:(sagemaker,churn,PROD)", "sagemaker", "", "", ""},
      {"urn:li:dataFlow:(airflow,daily,prod)", "airflow", "", "", ""},
      {"urn:li:dataJob:(urn:li:dataFlow:(dagster,daily,prod),load)", "dagster", "", "", ""},
      {"urn:li:corpuser:alice", "", "", "", ""},
      {"urn:li:glossaryTerm:Classification.Sensitive", "", "", "", ""},
  };
  for (const AccessorCase& c : cases) {
    SCOPED_TRACE(c.urn);
    ASSERT_OK_AND_ASSIGN(Urn urn, Urn::Parse(c.urn));
    EXPECT_EQ(urn.PlatformName(), c.platform);
    EXPECT_EQ(urn.DatasetName(), c.dataset_name);
    EXPECT_EQ(urn.Env(), c.env);
    EXPECT_EQ(urn.FieldPath(), c.field_path);
  }
}

TEST(UrnTest, ParentDatasetOfSchemaField) {
  ASSERT_OK_AND_ASSIGN(Urn field,
                       Urn::Parse("urn:li:schemaField:(urn:li:dataset:(trino,lake.x,prod),id)"));
  ASSERT_OK_AND_ASSIGN(Urn parent, field.ParentDataset());
  EXPECT_EQ(parent.ToString(), "urn:li:dataset:(urn:li:dataPlatform:trino,lake.x,PROD)");
  EXPECT_EQ(parent, Urn::Dataset("trino", "lake.x"));

  EXPECT_THAT(Urn::Dataset("trino", "lake.x").ParentDataset(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is a dataset URN")));
  EXPECT_THAT(Urn::CorpUser("alice").ParentDataset(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is a corpuser URN")));
}

TEST(UrnTest, BuildersMatchParse) {
  struct Case {
    Urn built;
    std::string text;
  };
  const Urn dataset = Urn::Dataset("trino", "lake.billing.x");
  const std::vector<Case> cases = {
      {dataset, "urn:li:dataset:(urn:li:dataPlatform:trino,lake.billing.x,PROD)"},
      {Urn::Dataset("trino", "lake.billing.x", "dev"), "urn:li:dataset:(trino,lake.billing.x,DEV)"},
      {Urn::Dataset("urn:li:dataPlatform:trino", "x"), "urn:li:dataset:(trino,x,PROD)"},
      {Urn::Dataset("postgres", "db.t(v2),a%b"),
       "urn:li:dataset:(urn:li:dataPlatform:postgres,db.t%28v2%29%2Ca%25b,PROD)"},
      {Urn::Dataset("my,db", "x"), "urn:li:dataset:(urn:li:dataPlatform:my%2Cdb,x,PROD)"},
      {Urn::SchemaField(dataset, "a,b"),
       "urn:li:schemaField:(urn:li:dataset:(trino,lake.billing.x,PROD),a%2Cb)"},
      {Urn::SchemaField(dataset, "urn:li:x"),
       "urn:li:schemaField:(urn:li:dataset:(trino,lake.billing.x,PROD),%75rn:li:x)"},
      {Urn::Platform("trino"), "urn:li:dataPlatform:trino"},
      {Urn::CorpUser("alice@example.com"), "urn:li:corpuser:alice@example.com"},
      {Urn::CorpGroup("data eng"), "urn:li:corpGroup:data%20eng"},
      {Urn::Tag("100%"), "urn:li:tag:100%25"},
      {Urn::Simple("glossaryTerm", "Billing.BillableUsage"),
       "urn:li:glossaryTerm:Billing.BillableUsage"},
      {Urn::Simple("glossaryNode", "Billing"), "urn:li:glossaryNode:Billing"},
      {Urn::Simple("domain", "finance"), "urn:li:domain:finance"},
      {Urn::Simple("dataProcessInstance", "run-1"), "urn:li:dataProcessInstance:run-1"},
      {Urn::Simple("tag", "été"), "urn:li:tag:%C3%A9t%C3%A9"},
      {Urn::Simple("tag", "\xff"), "urn:li:tag:%FF"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ASSERT_OK_AND_ASSIGN(Urn parsed, Urn::Parse(c.text));
    EXPECT_EQ(c.built.ToString(), parsed.ToString());
    EXPECT_EQ(c.built.components(), parsed.components());
    EXPECT_EQ(c.built.entity_type(), parsed.entity_type());
  }
  EXPECT_THAT(Urn::Dataset("postgres", "a,b").components(),
              ElementsAre("urn:li:dataPlatform:postgres", "a,b", "PROD"));
}

TEST(UrnTest, UnescapeComponentUndoesEveryEscape) {
  for (std::string_view raw : std::initializer_list<std::string_view>{
           "plain", "a b", "x,(y)", "100%", "tab\there", "urn:li:x", "é ü",
           std::string_view("nul\0byte", 8), "\xff\xfe"}) {
    EXPECT_EQ(Urn::UnescapeComponent(Urn::EscapeComponent(raw)), raw);
  }
  // Lower-case hex is an escape too; a '%' that does not start one is kept.
  EXPECT_EQ(Urn::UnescapeComponent("a%2cb%zz%4"), "a,b%zz%4");
}

TEST(UrnTest, KnownEntityTypesInStableOrder) {
  EXPECT_THAT(
      KnownEntityTypes(),
      ElementsAreArray({"dataPlatform", "dataset", "schemaField", "corpuser", "corpGroup", "tag",
                        "glossaryTerm", "glossaryNode", "domain", "dataFlow", "dataJob",
                        "dashboard", "chart", "dataProcessInstance", "mlModel"}));
}

TEST(UrnTest, MakeBuildersReturnErrorsInsteadOfAborting) {
  using ::tidemark::testing::StatusIs;
  const auto kBad = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(Urn::MakeSimple("dataset", "x"), StatusIs(kBad, HasSubstr("single-component")));
  EXPECT_THAT(Urn::MakeSimple("tag", ""), StatusIs(kBad, HasSubstr("must not be empty")));
  EXPECT_THAT(Urn::MakeDataset("trino", "x", "bogus"), StatusIs(kBad, HasSubstr("not one of")));
  EXPECT_THAT(Urn::MakeDataset("", "x"), StatusIs(kBad, HasSubstr("platform")));
  EXPECT_THAT(Urn::MakeDataset("trino", ""), StatusIs(kBad, HasSubstr("dataset name")));
  EXPECT_THAT(Urn::MakeDataset("urn:li:corpuser:x", "x"),
              StatusIs(kBad, HasSubstr("neither a name nor a dataPlatform URN")));
  EXPECT_THAT(Urn::MakeSchemaField(Urn::Tag("t"), "f"), StatusIs(kBad, HasSubstr("dataset URN")));
  ASSERT_OK_AND_ASSIGN(Urn d, Urn::MakeDataset("trino", "lake.a,(b)", "prod"));
  EXPECT_EQ(d, Urn::Dataset("trino", "lake.a,(b)"));
  ASSERT_OK_AND_ASSIGN(Urn f, Urn::MakeSchemaField(d, "c d"));
  EXPECT_EQ(f.FieldPath(), "c d");
  ASSERT_OK_AND_ASSIGN(Urn t, Urn::MakeSimple("glossaryTerm", "Billing.Usage"));
  EXPECT_EQ(t.ToString(), "urn:li:glossaryTerm:Billing.Usage");
}

TEST(UrnDeathTest, BuildersAbortOnMisuse) {
  EXPECT_DEATH(Urn::Simple("dataset", "x"), "not a known single-component entity type");
  EXPECT_DEATH(Urn::Simple("nope", "x"), "not a known single-component entity type");
  EXPECT_DEATH(Urn::Tag(""), "must not be empty");
  EXPECT_DEATH(Urn::Dataset("trino", "x", "bogus"), "is not one of PROD");
  EXPECT_DEATH(Urn::Dataset("urn:li:corpuser:x", "x"), "neither a name nor a dataPlatform URN");
  EXPECT_DEATH(Urn::SchemaField(Urn::Tag("t"), "f"), "needs a dataset URN");
}

// Deterministic pseudo-random component text mixing structure characters, escapes, the URN
// prefix, whitespace, controls, multi-byte UTF-8 and stray bytes.
std::string RandomComponent(std::mt19937& rng) {
  static const std::vector<std::string> kPieces = {
      "a",     "Z",  "0",  ".",    "_",    "-",    "/",       ",",
      "(",     ")",  "%",  ":",    "%2C",  "%%",   "urn:li:", "urn:li:dataset:(a,b,PROD)",
      " ",     "\t", "\n", "é",    "日本", "🙂", "\xff",    "\xc3",
      "[x=1]", "\"", "\\", "PROD", "%75"};
  std::uniform_int_distribution<size_t> count(1, 8);
  std::uniform_int_distribution<size_t> pick(0, kPieces.size() - 1);
  std::string out;
  for (size_t n = count(rng); n > 0; --n) out += kPieces[pick(rng)];
  return out;
}

TEST(UrnTest, RandomComponentsRoundTrip) {
  std::mt19937 rng(20240601);
  static const std::vector<std::string> kEnvNames = {"PROD", "dev", "Test", "sandbox", "NON_PROD"};
  std::uniform_int_distribution<size_t> pick_env(0, kEnvNames.size() - 1);
  for (int i = 0; i < 10000; ++i) {
    std::string platform = RandomComponent(rng);
    if (platform.starts_with("urn:li:")) platform.insert(0, "p");  // URN form means a platform URN
    const std::string name = RandomComponent(rng);
    const std::string field = RandomComponent(rng);
    const std::string term = RandomComponent(rng);
    const std::string& env = kEnvNames[pick_env(rng)];

    const Urn dataset = Urn::Dataset(platform, name, env);
    const Urn field_urn = Urn::SchemaField(dataset, field);
    const Urn term_urn = Urn::Simple("glossaryTerm", term);
    for (const Urn* built : {&dataset, &field_urn, &term_urn}) {
      ASSERT_OK_AND_ASSIGN(Urn parsed, Urn::Parse(built->ToString()));
      ASSERT_EQ(parsed.ToString(), built->ToString());
      ASSERT_EQ(parsed.components(), built->components());
    }
    ASSERT_OK_AND_ASSIGN(Urn parsed_field, Urn::Parse(field_urn.ToString()));
    ASSERT_EQ(parsed_field.PlatformName(), platform);
    ASSERT_EQ(parsed_field.DatasetName(), name);
    ASSERT_EQ(parsed_field.FieldPath(), field);
    ASSERT_EQ(term_urn.components()[0], term);
  }
}

// Whatever a mangled input does, it must not crash, and whenever it parses its canonical form must
// be a fixed point of Parse.
TEST(UrnTest, MutatedInputsAreRejectedOrCanonical) {
  const std::vector<std::string> seeds = {
      "urn:li:schemaField:(urn:li:dataset:(urn:li:dataPlatform:trino,lake.x,PROD),a%2Cb)",
      "urn:li:dataJob:(urn:li:dataFlow:(airflow,daily,prod),load)",
      "urn:li:dataset:(hive,db.t%28v2%29,dev)",
      "urn:li:glossaryTerm:Classification.Sensitive",
  };
  static const std::string kAlphabet = ",()%:urn:li2Cx \xff\xc3";
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> op(0, 2);
  for (int i = 0; i < 20000; ++i) {
    std::string text = seeds[i % seeds.size()];
    for (int edits = 1 + i % 3; edits > 0 && !text.empty(); --edits) {
      const size_t at = std::uniform_int_distribution<size_t>(0, text.size() - 1)(rng);
      const char c = kAlphabet[std::uniform_int_distribution<size_t>(0, kAlphabet.size() - 1)(rng)];
      switch (op(rng)) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, c);
          break;
        default:
          text[at] = c;
      }
    }
    SCOPED_TRACE(text);
    absl::StatusOr<Urn> urn = Urn::Parse(text);
    if (!urn.ok()) {
      ASSERT_EQ(urn.status().code(), absl::StatusCode::kInvalidArgument);
      continue;
    }
    ASSERT_OK_AND_ASSIGN(Urn again, Urn::Parse(urn->ToString()));
    ASSERT_EQ(again.ToString(), urn->ToString());
    ASSERT_EQ(again.components(), urn->components());
  }
}

}  // namespace
}  // namespace tidemark::common
