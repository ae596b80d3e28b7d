// Parser tests: table-driven statements that must parse (with their type) and inputs that must
// fail with a clear message, including nesting past the depth limit.
#include "sql/internal/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/tokenizer.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::sql {
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
      // MERGE in each dialect's form.
      {Dialect::kPostgres,
       "MERGE INTO ONLY t tt USING (SELECT * FROM s) AS ss ON tt.id = ss.id WHEN MATCHED AND ss.v "
       "IS NULL THEN DELETE WHEN MATCHED THEN UPDATE SET (x, y) = ROW (ss.id, ss.v), z = DEFAULT "
       "WHEN NOT MATCHED THEN INSERT (x, y) OVERRIDING USER VALUE VALUES (ss.id, DEFAULT)",
       StatementType::kMerge},
      {Dialect::kPostgres,
       "WITH src AS (SELECT * FROM s) MERGE INTO t USING src ON t.id = src.id WHEN NOT MATCHED "
       "THEN INSERT DEFAULT VALUES WHEN MATCHED THEN DO NOTHING",
       StatementType::kMerge},
      {Dialect::kSpark,
       "MERGE WITH SCHEMA EVOLUTION INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * "
       "WHEN NOT MATCHED THEN INSERT * WHEN NOT MATCHED BY SOURCE THEN DELETE",
       StatementType::kMerge},
      {Dialect::kBigQuery,
       "MERGE d.t T USING d.s S ON T.id = S.id WHEN NOT MATCHED BY TARGET THEN INSERT ROW WHEN "
       "NOT MATCHED BY SOURCE AND T.x > 1 THEN UPDATE SET x = 0",
       StatementType::kMerge},
      {Dialect::kOracle,
       "MERGE INTO t USING (SELECT id, v FROM s) s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET "
       "t.v = s.v WHERE s.v IS NOT NULL DELETE WHERE t.v = 0 WHEN NOT MATCHED THEN INSERT (t.id, "
       "t.v) VALUES (s.id, s.v) WHERE s.id > 0",
       StatementType::kMerge},
      {Dialect::kMsSql,
       "MERGE TOP (10) INTO dbo.t WITH (HOLDLOCK) AS t USING dbo.s AS s ON t.id = s.id WHEN NOT "
       "MATCHED BY TARGET THEN INSERT (id) VALUES (s.id) WHEN NOT MATCHED BY SOURCE THEN DELETE "
       "OUTPUT inserted.id;",
       StatementType::kMerge},
      {Dialect::kSnowflake,
       "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE ALL BY NAME WHEN NOT MATCHED "
       "THEN INSERT ALL BY NAME",
       StatementType::kMerge},
      {Dialect::kTrino,
       "MERGE INTO t AS x USING s ON x.id = s.id WHEN MATCHED AND s.d THEN DELETE WHEN NOT "
       "MATCHED THEN INSERT VALUES (s.id, s.v)",
       StatementType::kMerge},
      // PostgreSQL data-modifying CTEs; a top-level RETURNING is read over.
      {Dialect::kPostgres,
       "WITH moved AS (DELETE FROM a WHERE id > 1 RETURNING *) INSERT INTO b SELECT * FROM moved",
       StatementType::kInsert},
      {Dialect::kPostgres,
       "WITH upd AS (UPDATE t SET x = 1 FROM s WHERE t.id = s.id RETURNING t.id, s.v AS w) "
       "SELECT * FROM upd",
       StatementType::kSelect},
      {Dialect::kPostgres,
       "WITH ins AS (INSERT INTO t AS tt (a) SELECT a FROM s ON CONFLICT (a) DO UPDATE SET b = "
       "EXCLUDED.b RETURNING tt.a) SELECT a FROM ins",
       StatementType::kSelect},
      {Dialect::kPostgres,
       "WITH i AS (WITH src AS (SELECT id FROM s) INSERT INTO t (x) SELECT id FROM src RETURNING "
       "*), j AS (SELECT * FROM i) DELETE FROM u USING j WHERE u.id = j.x",
       StatementType::kDelete},
      {Dialect::kPostgres,
       "CREATE TABLE c AS WITH d AS (DELETE FROM a RETURNING id) SELECT * FROM d",
       StatementType::kCreateTableAsSelect},
      {Dialect::kPostgres,
       "WITH m AS (MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING t.*) "
       "SELECT * FROM m",
       StatementType::kSelect},
      {Dialect::kPostgres, "DELETE FROM t WHERE id = $1 RETURNING id, v", StatementType::kDelete},
      {Dialect::kPostgres, "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING RETURNING *",
       StatementType::kInsert},
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
      // Data-modifying CTEs: only in the statement's own WITH (as PostgreSQL), and well closed.
      {"SELECT * FROM (WITH d AS (DELETE FROM a RETURNING *) SELECT * FROM d) q",
       "line 1, column 27: DELETE in WITH is allowed only in the top-level WITH"},
      {"INSERT INTO b WITH d AS (UPDATE a SET x = 1 RETURNING *) SELECT * FROM d",
       "UPDATE in WITH is allowed only in the top-level WITH"},
      {"WITH d AS (DELETE FROM a RETURNING * SELECT 1", "line 1, column 38: expected ')'"},
      {"WITH d AS (INSERT INTO t RETURNING *) SELECT 1", "expected a query or VALUES"},
      {"MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (a)",
       "expected VALUES, ROW or DEFAULT VALUES"},
      {"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPSERT",
       "expected UPDATE, DELETE or INSERT in MERGE"},
  };
  for (const BadCase& c : cases) {
    std::vector<ParsedStatement> got = Parse(c.sql, Dialect::kTrino);
    ASSERT_FALSE(got.empty()) << c.sql;
    EXPECT_THAT(got[0].status.message(), HasSubstr(c.message)) << c.sql;
  }
}

TEST(ParserTest, KeepsMergeClausesAndDataModifyingCtes) {
  std::vector<ParsedStatement> got = Parse(
      "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND s.x > 0 THEN UPDATE SET a = s.a "
      "WHEN NOT MATCHED BY SOURCE THEN UPDATE SET (b, c) = (1, t.c) WHEN NOT MATCHED THEN "
      "INSERT (a, b) VALUES (s.a, DEFAULT) WHEN NOT MATCHED BY TARGET THEN INSERT ROW",
      Dialect::kBigQuery);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_OK(got[0].status);
  const std::vector<MergeClause>& m = got[0].statement.merge;
  ASSERT_EQ(m.size(), 4u);
  EXPECT_TRUE(m[0].matched && m[0].condition && m[0].sets.size() == 1);
  EXPECT_TRUE(!m[1].matched && m[1].by_source);
  ASSERT_EQ(m[1].sets.size(), 2u);  // (b, c) = (1, t.c): one value each
  EXPECT_EQ(m[1].sets[1].value->kind, Expr::Kind::kColumn);
  EXPECT_TRUE(m[2].insert && !m[2].by_source && m[2].insert_values.size() == 2);
  EXPECT_EQ(m[2].insert_values[1]->kind, Expr::Kind::kLiteral);  // DEFAULT
  EXPECT_TRUE(m[3].insert && m[3].star && m[3].by_position);

  got = Parse(
      "WITH d (k) AS (DELETE FROM a RETURNING id), u AS (UPDATE b SET v = 1 RETURNING *) "
      "SELECT k FROM d",
      Dialect::kPostgres);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_OK(got[0].status);
  const Statement& s = got[0].statement;
  EXPECT_EQ(s.type, StatementType::kSelect);
  ASSERT_EQ(s.ctes.size(), 2u);  // statement-level, not the query's
  ASSERT_TRUE(s.ctes[0].statement && s.ctes[1].statement);
  EXPECT_EQ(s.ctes[0].statement->type, StatementType::kDelete);
  EXPECT_EQ(s.ctes[0].statement->returning.size(), 1u);
  EXPECT_EQ(s.ctes[1].statement->returning[0].expr->kind, Expr::Kind::kStar);
  ASSERT_TRUE(s.query);
  EXPECT_TRUE(s.query->ctes.empty());
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
  // CTE bodies nest too, data-modifying ones included.
  std::string ctes = "SELECT 1";
  for (int i = 0; i < 3000; ++i) ctes = "WITH c AS (" + ctes + ") SELECT * FROM c";
  got = Parse(ctes, Dialect::kPostgres);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].status.message(), HasSubstr("nested more than"));
  std::string dml = "INSERT INTO t SELECT 1";
  for (int i = 0; i < 3000; ++i)
    dml = "WITH c AS (" + dml + " RETURNING *) INSERT INTO t SELECT * FROM c";
  got = Parse(dml, Dialect::kPostgres);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(got[0].status.ok());
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
}  // namespace tidemark::sql
