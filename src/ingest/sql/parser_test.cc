// Parser tests: table-driven statements that must parse (with their type) and inputs that must
// fail with a clear message, including nesting past the depth limit.
#include "ingest/sql/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/sql/tokenizer.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::ingest::sql {
namespace {

using ::testing::HasSubstr;

std::vector<ParsedStatement> Parse(const std::string& sql, Dialect d, int max_depth = 128) {
  absl::StatusOr<TokenList> tokens = Tokenize(sql, d);
  EXPECT_TRUE(tokens.ok()) << tokens.status();
  if (!tokens.ok()) return {};
  Parser p(sql, *tokens, d, max_depth);
  return p.ParseScript();
}

struct OkCase {
  Dialect dialect;
  std::string sql;
  StatementType type;
};

TEST(ParserTest, ParsesStatements) {
  const OkCase cases[] = {
      {Dialect::kTrino, "SELECT a, b AS c FROM t WHERE x > 1 ORDER BY 1 LIMIT 5",
       StatementType::kSelect},
      {Dialect::kTrino,
       "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
       StatementType::kSelect},
      {Dialect::kTrino,
       "SELECT transform(xs, x -> x + 1), reduce(xs, 0, (s, x) -> s + x, s -> s) FROM t",
       StatementType::kSelect},
      {Dialect::kTrino,
       "SELECT t.a FROM t CROSS JOIN UNNEST(t.arr) AS u(v) LEFT JOIN LATERAL (SELECT 1 AS one) l "
       "ON TRUE",
       StatementType::kSelect},
      {Dialect::kTrino,
       "SELECT rank() OVER (PARTITION BY a ORDER BY b DESC ROWS BETWEEN UNBOUNDED PRECEDING AND "
       "CURRENT ROW) FROM t",
       StatementType::kSelect},
      {Dialect::kTrino,
       "SELECT CASE WHEN a IS NOT NULL THEN 1 ELSE 0 END, CAST(b AS DECIMAL(10, 2)), EXTRACT(YEAR "
       "FROM d) FROM t",
       StatementType::kSelect},
      {Dialect::kPostgres, "INSERT INTO t (a, b) SELECT a, b FROM s ON CONFLICT DO NOTHING",
       StatementType::kInsert},
      {Dialect::kPostgres, "UPDATE t SET a = s.a FROM s WHERE t.id = s.id", StatementType::kUpdate},
      {Dialect::kPostgres, "DELETE FROM t USING s WHERE t.id = s.id", StatementType::kDelete},
      {Dialect::kSnowflake,
       "CREATE OR REPLACE TRANSIENT TABLE x AS SELECT a::int, v:field.sub FROM y AT(OFFSET => -60)",
       StatementType::kCreateTableAsSelect},
      {Dialect::kSnowflake,
       "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a WHEN NOT MATCHED "
       "THEN INSERT (a) VALUES (s.a)",
       StatementType::kMerge},
      {Dialect::kBigQuery, "SELECT * EXCEPT (a) REPLACE (b + 1 AS b) FROM `p.d.t`",
       StatementType::kSelect},
      {Dialect::kBigQuery, "SELECT ARRAY<STRUCT<a INT64>>[(1)], STRUCT(1 AS x) FROM t",
       StatementType::kSelect},
      {Dialect::kHive,
       "INSERT OVERWRITE TABLE t PARTITION (ds='1') SELECT a FROM s LATERAL VIEW explode(xs) e AS "
       "x",
       StatementType::kInsert},
      {Dialect::kMsSql, "SELECT TOP 10 [a] INTO #tmp FROM dbo.t WITH (NOLOCK) CROSS APPLY f(t.x)",
       StatementType::kSelect},
      {Dialect::kTeradata, "sel a from t where a eq 1 minus select a from u",
       StatementType::kSelect},
      {Dialect::kRedshift, "CREATE TABLE t DISTKEY(a) SORTKEY(a, b) AS SELECT a, b FROM s",
       StatementType::kCreateTableAsSelect},
      {Dialect::kRedshift, "CREATE MATERIALIZED VIEW mv AUTO REFRESH YES AS SELECT a FROM s",
       StatementType::kCreateView},
      {Dialect::kMySql, "SELECT GROUP_CONCAT(DISTINCT a ORDER BY a SEPARATOR ',') FROM t",
       StatementType::kSelect},
      {Dialect::kSqlite, "CREATE TABLE IF NOT EXISTS c (id INTEGER PRIMARY KEY, m TEXT NOT NULL)",
       StatementType::kCreateDdl},
      {Dialect::kTrino, "DROP TABLE IF EXISTS a.b", StatementType::kDrop},
      {Dialect::kTrino, "GRANT SELECT ON t TO u", StatementType::kUnknown},
      // Regressions found by running real queries through the CLI.
      {Dialect::kPostgres, "SELECT a FROM t WHERE c @> '{1}' AND d <@ e", StatementType::kSelect},
      {Dialect::kSnowflake, "SELECT f.value FROM t, LATERAL FLATTEN(input => t.items) f",
       StatementType::kSelect},
      {Dialect::kTeradata, "SELECT a FROM t QUALIFY RANK() OVER (ORDER BY b) = 1 SAMPLE 10",
       StatementType::kSelect},
      {Dialect::kTrino, "SELECT a FROM t GROUP BY GROUPING SETS ((a), (b), ())",
       StatementType::kSelect},
      {Dialect::kMySql,
       "SELECT SUM((SELECT max(a) a from x) + (SELECT min(b) b from x) + c) AS y FROM x",
       StatementType::kSelect},
  };
  for (const OkCase& c : cases) {
    std::vector<ParsedStatement> got = Parse(c.sql, c.dialect);
    ASSERT_EQ(got.size(), 1u) << c.sql;
    EXPECT_OK(got[0].status) << c.sql;
    EXPECT_EQ(got[0].statement.type, c.type) << c.sql;
  }
}

TEST(ParserTest, SplitsScriptsAndKeepsGoingAfterABadStatement) {
  std::vector<ParsedStatement> got =
      Parse("SELECT 1; SELECT FROM WHERE; INSERT INTO t SELECT a FROM s;", Dialect::kTrino);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_OK(got[0].status);
  EXPECT_FALSE(got[1].status.ok());
  EXPECT_OK(got[2].status);
  EXPECT_EQ(got[2].statement.type, StatementType::kInsert);
}

struct BadCase {
  std::string sql;
  std::string message;
};

TEST(ParserTest, RejectsMalformedSqlWithAClearMessage) {
  const BadCase cases[] = {
      {"SELECT a FROM", "expected an identifier but the statement ended"},
      {"SELECT (a FROM t", "expected ')'"},
      {"SELECT a FROM t JOIN", "expected an identifier"},
      {"SELECT CASE WHEN a THEN b FROM t", "expected END"},
      {"INSERT INTO t", "expected a query or VALUES"},
      {"SELECT a b c FROM t", "line 1, column 12"},
  };
  for (const BadCase& c : cases) {
    std::vector<ParsedStatement> got = Parse(c.sql, Dialect::kTrino);
    ASSERT_FALSE(got.empty()) << c.sql;
    EXPECT_THAT(got[0].status.message(), HasSubstr(c.message)) << c.sql;
  }
}

TEST(ParserTest, DeepNestingIsAnErrorNotACrash) {
  const std::string parens = std::string(5000, '(') + "1" + std::string(5000, ')');
  std::vector<ParsedStatement> got = Parse("SELECT " + parens, Dialect::kTrino);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].status.message(), HasSubstr("nested more than 128 levels"));
  std::string subqueries = "SELECT 1";
  for (int i = 0; i < 3000; ++i) subqueries = "SELECT * FROM (" + subqueries + ") t";
  got = Parse(subqueries, Dialect::kTrino);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].status.message(), HasSubstr("nested more than"));
  std::string minus;
  for (int i = 0; i < 10000; ++i) minus += "- ";
  got = Parse("SELECT " + minus + "1", Dialect::kTrino);
  EXPECT_THAT(got[0].status.message(), HasSubstr("nested more than"));
}

TEST(ParserTest, LongFlatChainsParseWithoutDeepRecursion) {
  // Long operator and UNION chains are flat, not nested: no depth error, no stack overflow when
  // the tree is walked or destroyed.
  std::string sum = "SELECT a";
  for (int i = 0; i < 100000; ++i) sum += " + a";
  std::vector<ParsedStatement> got = Parse(sum + " FROM t", Dialect::kTrino);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_OK(got[0].status);
  std::string unions = "SELECT a FROM t";
  for (int i = 0; i < 20000; ++i) unions += " UNION ALL SELECT a FROM t";
  got = Parse(unions, Dialect::kTrino);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_OK(got[0].status);
}

}  // namespace
}  // namespace tidemark::ingest::sql
