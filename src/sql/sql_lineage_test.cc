// ParseSqlLineage tests: table-driven statements with their expected tables and column lineage,
// plus errors, limits, schema files and the JSON shape.
#include "sql/sql_lineage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/urn.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::sql {
namespace {

using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

std::string Name(const std::string& urn) {
  absl::StatusOr<common::Urn> u = common::Urn::Parse(urn);
  return u.ok() ? u->DatasetName() : urn;
}

// "in=a,b out=c | x<-t.a,t.b ; y<-" with dataset names instead of URNs.
std::string Render(const SqlLineage& l) {
  std::vector<std::string> in, out, cols;
  for (const std::string& t : l.in_tables) in.push_back(Name(t));
  for (const std::string& t : l.out_tables) out.push_back(Name(t));
  for (const ColumnLineage& c : l.column_lineage) {
    std::vector<std::string> ups;
    for (const ColumnRef& u : c.upstreams)
      ups.push_back(absl::StrCat(Name(u.table), ".", u.column));
    const char* kind = c.transform == ColumnTransform::kIdentity      ? "="
                       : c.transform == ColumnTransform::kAggregation ? "agg"
                                                                      : "";
    cols.push_back(absl::StrCat(c.downstream.column, kind, "<-", absl::StrJoin(ups, ",")));
  }
  return absl::StrCat("in=", absl::StrJoin(in, ","), " out=", absl::StrJoin(out, ","), " | ",
                      absl::StrJoin(cols, " ; "));
}

struct Case {
  std::string name;
  Dialect dialect;
  std::string sql;
  std::string want;
};

class SqlLineageTest : public ::testing::Test {
 protected:
  SqlLineageTest() {
    schemas_.Add("lake.sales.orders", {"id", "customer_id", "amount", "ts"});
    schemas_.Add("lake.sales.customers", {"id", "name", "email"});
  }
  SqlOptions Options(Dialect d) {
    SqlOptions o;
    o.dialect = d;
    o.default_db = "lake";
    o.default_schema = "sales";
    o.schemas = &schemas_;
    return o;
  }
  MapSchemaResolver schemas_;
};

TEST_F(SqlLineageTest, ComputesTableAndColumnLineage) {
  const Case cases[] = {
      {"star and join", Dialect::kTrino,
       "SELECT o.*, c.name FROM orders o JOIN customers c ON o.customer_id = c.id",
       "in=lake.sales.customers,lake.sales.orders out= | id=<-lake.sales.orders.id ; "
       "customer_id=<-lake.sales.orders.customer_id ; amount=<-lake.sales.orders.amount ; "
       "ts=<-lake.sales.orders.ts ; name=<-lake.sales.customers.name"},
      {"aggregate and expression", Dialect::kTrino,
       "SELECT customer_id, sum(amount) AS total, amount * 2 AS doubled FROM orders GROUP BY 1, 3",
       "in=lake.sales.orders out= | customer_id=<-lake.sales.orders.customer_id ; "
       "totalagg<-lake.sales.orders.amount ; doubled<-lake.sales.orders.amount"},
      {"recursive cte", Dialect::kTrino,
       "WITH RECURSIVE r (n, who) AS (SELECT 1, name FROM customers UNION ALL "
       "SELECT n + 1, who FROM r WHERE n < 3) SELECT n, who FROM r",
       "in=lake.sales.customers out= | n<- ; who<-lake.sales.customers.name"},
      {"window", Dialect::kTrino,
       "SELECT row_number() OVER (PARTITION BY customer_id ORDER BY ts) AS rn FROM orders",
       "in=lake.sales.orders out= | rn<-lake.sales.orders.customer_id,lake.sales.orders.ts"},
      {"lambda parameters are not columns", Dialect::kTrino,
       "SELECT transform(tags, t -> upper(t)) AS up FROM events",
       "in=lake.sales.events out= | up<-lake.sales.events.tags"},
      {"unnest with column alias", Dialect::kTrino,
       "SELECT e.id, tag FROM events e CROSS JOIN UNNEST(e.tags) AS u(tag)",
       "in=lake.sales.events out= | id=<-lake.sales.events.id ; tag<-lake.sales.events.tags"},
      {"scalar and exists subqueries", Dialect::kPostgres,
       "SELECT c.id, (SELECT max(amount) FROM orders o WHERE o.customer_id = c.id) AS top "
       "FROM customers c WHERE EXISTS (SELECT 1 FROM refunds r WHERE r.customer_id = c.id)",
       "in=lake.sales.customers,lake.sales.orders,lake.sales.refunds out= | "
       "id=<-lake.sales.customers.id ; topagg<-lake.sales.orders.amount"},
      {"insert with column list", Dialect::kTrino,
       "INSERT INTO mart.daily (day, revenue) SELECT date_trunc('day', ts), sum(amount) FROM "
       "orders "
       "GROUP BY 1",
       "in=lake.sales.orders out=lake.mart.daily | day<-lake.sales.orders.ts ; "
       "revenueagg<-lake.sales.orders.amount"},
      {"create view with case", Dialect::kSnowflake,
       "CREATE OR REPLACE VIEW v AS SELECT CASE WHEN amount > 100 THEN 'big' ELSE 'small' END "
       "AS size, id FROM orders",
       "in=lake.sales.orders out=lake.sales.v | size<-lake.sales.orders.amount ; "
       "id=<-lake.sales.orders.id"},
      {"merge", Dialect::kSnowflake,
       "MERGE INTO customers t USING staging.customers s ON t.id = s.id "
       "WHEN MATCHED THEN UPDATE SET name = s.name WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)",
       "in=lake.staging.customers out=lake.sales.customers | name=<-lake.staging.customers.name ; "
       "id=<-lake.staging.customers.id"},
      {"update from", Dialect::kPostgres,
       "UPDATE orders SET amount = c.id FROM customers c WHERE c.id = orders.customer_id",
       "in=lake.sales.customers,lake.sales.orders out=lake.sales.orders | "
       "amount=<-lake.sales.customers.id"},
      {"delete using", Dialect::kPostgres,
       "DELETE FROM orders o USING customers c WHERE o.customer_id = c.id AND c.email IS NULL",
       "in=lake.sales.customers out=lake.sales.orders | "},
      {"script: a table created earlier is known later", Dialect::kTrino,
       "CREATE TABLE tmp AS SELECT id, amount FROM orders; INSERT INTO report SELECT * FROM tmp",
       "in=lake.sales.orders,lake.sales.tmp out=lake.sales.report,lake.sales.tmp | "
       "id=<-lake.sales.orders.id ; amount=<-lake.sales.orders.amount ; "
       "id=<-lake.sales.tmp.id ; amount=<-lake.sales.tmp.amount"},
      {"star through a subquery of an unknown table", Dialect::kBigQuery,
       "SELECT a FROM (SELECT * FROM ds.t)", "in=lake.ds.t out= | a=<-lake.ds.t.a"},
      {"hive lateral view", Dialect::kHive,
       "INSERT OVERWRITE TABLE out_t SELECT x FROM src LATERAL VIEW explode(xs) e AS x",
       "in=lake.sales.src out=lake.sales.out_t | x<-lake.sales.src.xs"},
      {"t-sql select into and brackets", Dialect::kMsSql,
       "SELECT [id], [name] INTO #tmp FROM dbo.customers",
       "in=lake.dbo.customers out=lake.sales.#tmp | id=<-lake.dbo.customers.id ; "
       "name=<-lake.dbo.customers.name"},
      {"drop", Dialect::kTrino, "DROP VIEW a.b", "in= out=lake.a.b | "},
  };
  for (const Case& c : cases) {
    absl::StatusOr<SqlLineage> got = ParseSqlLineage(c.sql, Options(c.dialect));
    ASSERT_OK(got.status()) << c.name;
    EXPECT_EQ(Render(*got), c.want) << c.name;
  }
}

TEST_F(SqlLineageTest, MergeWritesOneColumnPerTargetColumnAcrossClauses) {
  schemas_.Add("lake.staging.customers", {"id", "name", "nickname", "email"});
  const Case cases[] = {
      {"update and insert: copies are identity, conditions are not upstreams", Dialect::kSnowflake,
       "MERGE INTO customers t USING staging.customers s ON t.id = s.id "
       "WHEN MATCHED AND s.email IS NOT NULL THEN UPDATE SET name = s.name, email = lower(s.email) "
       "WHEN NOT MATCHED AND s.nickname <> '' THEN INSERT (id, name, email) "
       "VALUES (s.id, s.name, s.email)",
       "in=lake.staging.customers out=lake.sales.customers | name=<-lake.staging.customers.name ; "
       "email<-lake.staging.customers.email ; id=<-lake.staging.customers.id"},
      {"a column written by two clauses gets the union", Dialect::kTrino,
       "MERGE INTO customers AS t USING staging.customers AS s ON t.id = s.id "
       "WHEN MATCHED THEN UPDATE SET name = s.name "
       "WHEN NOT MATCHED THEN INSERT (id, name) VALUES (s.id, s.nickname)",
       "in=lake.staging.customers out=lake.sales.customers | "
       "name=<-lake.staging.customers.name,lake.staging.customers.nickname ; "
       "id=<-lake.staging.customers.id"},
      {"not matched by source sees only the target; a literal makes it a transformation",
       Dialect::kSpark,
       "MERGE INTO customers t USING staging.customers s ON t.id = s.id "
       "WHEN MATCHED THEN UPDATE SET email = s.email "
       "WHEN NOT MATCHED BY SOURCE THEN UPDATE SET email = NULL, name = upper(name)",
       "in=lake.sales.customers,lake.staging.customers out=lake.sales.customers | "
       "email<-lake.staging.customers.email ; name<-lake.sales.customers.name"},
      {"insert values see the source even where the target has the same column", Dialect::kPostgres,
       "MERGE INTO customers t USING staging.customers s ON t.id = s.id "
       "WHEN NOT MATCHED THEN INSERT (id, name, email) VALUES (id, name, DEFAULT)",
       "in=lake.staging.customers out=lake.sales.customers | id=<-lake.staging.customers.id ; "
       "name=<-lake.staging.customers.name ; email<-"},
      {"update set * and insert * map the target's columns by name", Dialect::kSpark,
       "MERGE INTO customers t USING staging.customers s ON t.id = s.id "
       "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *",
       "in=lake.staging.customers out=lake.sales.customers | id=<-lake.staging.customers.id ; "
       "name=<-lake.staging.customers.name ; email=<-lake.staging.customers.email"},
      {"using a subquery", Dialect::kSpark,
       "MERGE INTO customers t USING (SELECT id, upper(name) AS name, email FROM "
       "staging.customers WHERE email IS NOT NULL) s ON t.id = s.id "
       "WHEN MATCHED THEN UPDATE SET * ",
       "in=lake.staging.customers out=lake.sales.customers | id=<-lake.staging.customers.id ; "
       "name<-lake.staging.customers.name ; email=<-lake.staging.customers.email"},
      {"using a cte; the target is read when a value reads it", Dialect::kSnowflake,
       "WITH src AS (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY 1) "
       "MERGE INTO customers c USING src ON c.id = src.customer_id "
       "WHEN MATCHED THEN UPDATE SET name = c.name || src.total",
       "in=lake.sales.customers,lake.sales.orders out=lake.sales.customers | "
       "name<-lake.sales.customers.name,lake.sales.orders.amount"},
      {"bigquery insert row maps by position; hive insert without a column list too",
       Dialect::kBigQuery,
       "MERGE sales.orders T USING (SELECT id, customer_id, amount * 100 AS cents, ts FROM "
       "sales.orders) S ON FALSE WHEN NOT MATCHED THEN INSERT ROW",
       "in=lake.sales.orders out=lake.sales.orders | id=<-lake.sales.orders.id ; "
       "customer_id=<-lake.sales.orders.customer_id ; amount<-lake.sales.orders.amount ; "
       "ts=<-lake.sales.orders.ts"},
      {"hive insert values without a column list", Dialect::kHive,
       "MERGE INTO customers AS T USING staging.customers AS S ON T.id = S.id "
       "WHEN NOT MATCHED THEN INSERT VALUES (S.id, S.nickname, S.email)",
       "in=lake.staging.customers out=lake.sales.customers | id=<-lake.staging.customers.id ; "
       "name=<-lake.staging.customers.nickname ; email=<-lake.staging.customers.email"},
      {"unknown schemas: the only source is taken to have the columns (dbt's merge)",
       Dialect::kBigQuery,
       "merge into `p`.`d`.`base` as DEST using (SELECT * FROM `p`.`d`.`ios` UNION ALL "
       "SELECT * FROM `p`.`d`.`web`) as SRC on FALSE when not matched by source and "
       "DEST.day = '2018-03-03' then delete when not matched then insert (`platform`) values "
       "(`platform`)",
       "in=p.d.ios,p.d.web out=p.d.base | platform<-p.d.ios.platform,p.d.web.platform"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<SqlLineage> got = ParseSqlLineage(c.sql, Options(c.dialect));
    ASSERT_OK(got.status()) << c.name;
    EXPECT_EQ(Render(*got), c.want) << c.name;
  }
}

TEST_F(SqlLineageTest, MergeReportsWhatItCannotMap) {
  schemas_.Add("lake.staging.customers", {"id", "name"});
  struct Bad {
    std::string sql;
    std::string want;
    std::string error;
  };
  const Bad cases[] = {
      {"MERGE INTO customers t USING staging.customers s ON t.id = s.id WHEN MATCHED THEN "
       "UPDATE SET *",
       "in=lake.staging.customers out=lake.sales.customers | id=<-lake.staging.customers.id ; "
       "name=<-lake.staging.customers.name",
       "UPDATE SET * into lake.sales.customers: the source has no column 'email'"},
      {"MERGE INTO nowhere t USING elsewhere s ON t.id = s.id WHEN NOT MATCHED THEN INSERT *",
       "in=lake.sales.elsewhere out=lake.sales.nowhere | ",
       "cannot expand INSERT * of MERGE into lake.sales.nowhere"},
      {"MERGE INTO nowhere t USING customers s ON t.id = s.id WHEN NOT MATCHED THEN INSERT "
       "VALUES (s.id)",
       "in=lake.sales.customers out=lake.sales.nowhere | ",
       "names no columns and the table's columns are unknown"},
      {"MERGE INTO customers t USING staging.customers s ON t.id = s.id WHEN NOT MATCHED THEN "
       "INSERT (id, name) VALUES (s.id, nope)",
       "in=lake.staging.customers out=lake.sales.customers | id=<-lake.staging.customers.id ; "
       "name<-",
       "unresolved column 'nope'"},
  };
  for (const Bad& c : cases) {
    absl::StatusOr<SqlLineage> got = ParseSqlLineage(c.sql, Options(Dialect::kSpark));
    ASSERT_OK(got.status()) << c.sql;
    EXPECT_EQ(Render(*got), c.want) << c.sql;
    EXPECT_THAT(absl::StrJoin(got->errors, "\n"), HasSubstr(c.error)) << c.sql;
  }
}

TEST_F(SqlLineageTest, DataModifyingCtesWriteTheirTableAndReturnRows) {
  schemas_.Add("lake.sales.archive", {"id", "customer_id", "amount", "ts"});
  const Case cases[] = {
      {"delete returning * feeds an insert", Dialect::kPostgres,
       "WITH moved AS (DELETE FROM orders WHERE ts < now() RETURNING *) "
       "INSERT INTO archive SELECT * FROM moved",
       "in=lake.sales.orders out=lake.sales.archive,lake.sales.orders | "
       "id=<-lake.sales.orders.id ; customer_id=<-lake.sales.orders.customer_id ; "
       "amount=<-lake.sales.orders.amount ; ts=<-lake.sales.orders.ts"},
      {"update from returns new values and the other table's columns", Dialect::kPostgres,
       "WITH upd AS (UPDATE orders o SET amount = c.id * 2 FROM customers c "
       "WHERE c.id = o.customer_id RETURNING o.id, c.name, o.amount) "
       "SELECT id, name, amount FROM upd",
       "in=lake.sales.customers,lake.sales.orders out=lake.sales.orders | "
       "amount<-lake.sales.customers.id ; id=<-lake.sales.orders.id ; "
       "name=<-lake.sales.customers.name ; amount<-lake.sales.customers.id"},
      {"insert select inside the cte has its own lineage; defaults read nothing",
       Dialect::kPostgres,
       "WITH ins AS (INSERT INTO archive AS a (id, amount) SELECT id, amount * 2 FROM orders "
       "RETURNING a.id, amount, ts) SELECT * FROM ins",
       "in=lake.sales.orders out=lake.sales.archive | id=<-lake.sales.orders.id ; "
       "amount<-lake.sales.orders.amount ; id=<-lake.sales.orders.id ; "
       "amount<-lake.sales.orders.amount ; ts<-"},
      {"cte column names, a later cte over it, merge in a cte", Dialect::kPostgres,
       "WITH d (k, v) AS (DELETE FROM orders RETURNING id, amount), x AS (SELECT k FROM d), "
       "m AS (MERGE INTO customers t USING x ON t.id = x.k WHEN MATCHED THEN "
       "UPDATE SET name = x.k RETURNING t.name) SELECT k, name FROM x, m",
       "in=lake.sales.customers,lake.sales.orders out=lake.sales.customers,lake.sales.orders | "
       "name=<-lake.sales.orders.id ; k=<-lake.sales.orders.id ; name=<-lake.sales.orders.id"},
      {"create table as over a data-modifying cte", Dialect::kPostgres,
       "CREATE TABLE kept AS WITH d AS (DELETE FROM orders RETURNING id) SELECT * FROM d",
       "in=lake.sales.orders out=lake.sales.kept,lake.sales.orders | id=<-lake.sales.orders.id"},
      {"a top-level returning gives no lineage", Dialect::kPostgres,
       "DELETE FROM orders WHERE id = $1 RETURNING id, amount", "in= out=lake.sales.orders | "},
  };
  for (const Case& c : cases) {
    absl::StatusOr<SqlLineage> got = ParseSqlLineage(c.sql, Options(c.dialect));
    ASSERT_OK(got.status()) << c.name;
    EXPECT_EQ(Render(*got), c.want) << c.name;
    EXPECT_THAT(got->errors, ::testing::IsEmpty()) << c.name;
  }

  // RETURNING * of a table whose columns are unknown: reported; names still pass through.
  ASSERT_OK_AND_ASSIGN(
      SqlLineage l, ParseSqlLineage("WITH u AS (UPDATE unknown_t SET x = c.name FROM customers c "
                                    "WHERE c.id = unknown_t.id RETURNING *) SELECT x, y FROM u",
                                    Options(Dialect::kPostgres)));
  EXPECT_EQ(Render(l),
            "in=lake.sales.customers,lake.sales.unknown_t out=lake.sales.unknown_t | "
            "x=<-lake.sales.customers.name ; x=<-lake.sales.customers.name ; "
            "y=<-lake.sales.unknown_t.y");
  EXPECT_THAT(absl::StrJoin(l.errors, "\n"),
              HasSubstr("cannot expand RETURNING * of lake.sales.unknown_t"));

  // Only the statement's own WITH may modify data: a clear error, not a crash.
  EXPECT_THAT(ParseSqlLineage("SELECT * FROM (WITH d AS (DELETE FROM orders RETURNING *) "
                              "SELECT * FROM d) q",
                              Options(Dialect::kPostgres)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 1, column 27: DELETE in WITH is allowed only")));
}

TEST_F(SqlLineageTest, ReportsUnresolvedNamesInsteadOfGuessing) {
  ASSERT_OK_AND_ASSIGN(SqlLineage l,
                       ParseSqlLineage("SELECT nope, id FROM orders", Options(Dialect::kTrino)));
  EXPECT_EQ(Render(l), "in=lake.sales.orders out= | nope<- ; id=<-lake.sales.orders.id");
  EXPECT_THAT(absl::StrJoin(l.errors, "\n"), HasSubstr("unresolved column 'nope'"));

  ASSERT_OK_AND_ASSIGN(l, ParseSqlLineage("SELECT x FROM a, b", Options(Dialect::kTrino)));
  EXPECT_EQ(Render(l), "in=lake.sales.a,lake.sales.b out= | x<-");
  EXPECT_THAT(absl::StrJoin(l.errors, "\n"), HasSubstr("ambiguous column 'x'"));

  ASSERT_OK_AND_ASSIGN(l, ParseSqlLineage("SELECT * FROM unknown_t", Options(Dialect::kTrino)));
  EXPECT_THAT(absl::StrJoin(l.errors, "\n"), HasSubstr("cannot expand '*'"));
}

TEST_F(SqlLineageTest, RejectsBadInputCleanly) {
  EXPECT_THAT(ParseSqlLineage("SELECT FROM WHERE", Options(Dialect::kTrino)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
  SqlOptions small = Options(Dialect::kTrino);
  small.max_sql_bytes = 8;
  EXPECT_THAT(ParseSqlLineage("SELECT a FROM t", small),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
  std::string deep = "SELECT a FROM t";
  for (int i = 0; i < 500; ++i) deep = "SELECT a FROM (" + deep + ") x";
  EXPECT_THAT(ParseSqlLineage(deep, Options(Dialect::kTrino)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nested more than")));
  // Long chains are fine (flat trees): lineage of 5000 UNION branches and a 50000-term sum.
  std::string unions = "SELECT id FROM orders";
  for (int i = 0; i < 5000; ++i) unions += " UNION ALL SELECT id FROM customers";
  ASSERT_OK_AND_ASSIGN(SqlLineage u, ParseSqlLineage(unions, Options(Dialect::kTrino)));
  EXPECT_EQ(Render(u),
            "in=lake.sales.customers,lake.sales.orders out= | "
            "id<-lake.sales.customers.id,lake.sales.orders.id");
  std::string sum = "SELECT amount";
  for (int i = 0; i < 50000; ++i) sum += " + amount";
  ASSERT_OK_AND_ASSIGN(SqlLineage s,
                       ParseSqlLineage(sum + " AS x FROM orders", Options(Dialect::kTrino)));
  EXPECT_EQ(Render(s), "in=lake.sales.orders out= | x<-lake.sales.orders.amount");
  // One bad statement in a script does not hide the others.
  ASSERT_OK_AND_ASSIGN(
      SqlLineage l, ParseSqlLineage("SELECT (; SELECT id FROM orders", Options(Dialect::kTrino)));
  EXPECT_EQ(l.statements, 2);
  EXPECT_EQ(Render(l), "in=lake.sales.orders out= | id=<-lake.sales.orders.id");
  EXPECT_THAT(l.errors[0], HasSubstr("statement 1"));
}

// Regression: UNION branches were merged into the result one at a time, quadratic in their number;
// gathered and sorted once, every branch's upstreams must still be there, sorted and unique.
TEST_F(SqlLineageTest, UnionOfManyBranchesKeepsEveryUpstreamOnce) {
  constexpr int kTables = 3000;
  std::vector<std::string> branches;
  for (int i = kTables - 1; i >= 0; --i) {
    branches.push_back(absl::StrCat("SELECT a, b FROM lake.s.s", i));
  }
  // Branches over tables already read, one with an aggregate: no repeats, b becomes an aggregation.
  for (int i = 0; i < kTables; i += 7)
    branches.push_back(absl::StrCat("SELECT a, b FROM lake.s.s", i));
  branches.push_back("SELECT a, max(b) FROM lake.s.s0");
  ASSERT_OK_AND_ASSIGN(SqlLineage l, ParseSqlLineage("INSERT INTO lake.s.u " +
                                                         absl::StrJoin(branches, " UNION ALL "),
                                                     Options(Dialect::kTrino)));
  ASSERT_EQ(l.out_tables.size(), 1u);
  EXPECT_EQ(Name(l.out_tables[0]), "lake.s.u");
  EXPECT_EQ(l.in_tables.size(), static_cast<size_t>(kTables));
  ASSERT_EQ(l.column_lineage.size(), 2u);
  for (const ColumnLineage& c : l.column_lineage) {
    SCOPED_TRACE(c.downstream.column);
    ASSERT_EQ(c.upstreams.size(), static_cast<size_t>(kTables));
    EXPECT_TRUE(std::is_sorted(c.upstreams.begin(), c.upstreams.end()));
    EXPECT_EQ(std::adjacent_find(c.upstreams.begin(), c.upstreams.end()), c.upstreams.end());
    std::set<std::string> got, want;
    for (const ColumnRef& u : c.upstreams) got.insert(absl::StrCat(Name(u.table), ".", u.column));
    for (int i = 0; i < kTables; ++i) {
      want.insert(absl::StrCat("lake.s.s", i, ".", c.downstream.column));
    }
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(l.column_lineage[0].downstream.column, "a");
  EXPECT_EQ(l.column_lineage[0].transform, ColumnTransform::kTransformation);
  EXPECT_EQ(l.column_lineage[1].downstream.column, "b");
  EXPECT_EQ(l.column_lineage[1].transform, ColumnTransform::kAggregation);
}

TEST(MapSchemaResolverTest, ReadsBothSchemaFileShapes) {
  ASSERT_OK_AND_ASSIGN(MapSchemaResolver a, MapSchemaResolver::FromJson(
                                                R"j({"lake.billing.accounts": ["id", "email"]})j"));
  EXPECT_THAT(a.Columns("lake.billing.accounts"),
              ::testing::Optional(::testing::ElementsAre("id", "email")));
  EXPECT_THAT(a.Columns("LAKE.billing.Accounts"), ::testing::Optional(::testing::SizeIs(2)));
  EXPECT_EQ(a.Columns("other"), std::nullopt);
  ASSERT_OK_AND_ASSIGN(
      MapSchemaResolver b,
      MapSchemaResolver::FromJson(
          R"j({"urn:li:dataset:(urn:li:dataPlatform:trino,lake.x.y,PROD)": {"a": "INT"}})j"));
  EXPECT_THAT(b.Columns("lake.x.y"), ::testing::Optional(::testing::ElementsAre("a")));
  EXPECT_THAT(MapSchemaResolver::FromJson("[1]"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("object")));
}

TEST_F(SqlLineageTest, RendersDataHubJsonShape) {
  ASSERT_OK_AND_ASSIGN(SqlLineage l, ParseSqlLineage("CREATE TABLE t2 AS SELECT id FROM orders",
                                                     Options(Dialect::kTrino)));
  const std::string orders = "urn:li:dataset:(urn:li:dataPlatform:trino,lake.sales.orders,PROD)";
  const std::string t2 = "urn:li:dataset:(urn:li:dataPlatform:trino,lake.sales.t2,PROD)";
  EXPECT_EQ(SqlLineageToJson(l),
            absl::StrCat(R"j({"query_type":"CREATE_TABLE_AS_SELECT","query_type_props":)j",
                         R"j({"kind":"TABLE"},"in_tables":[")j", orders, R"j("],"out_tables":[")j",
                         t2, R"j("],"column_lineage":[{"downstream":{"table":")j", t2,
                         R"j(","column":"id"},"upstreams":[{"table":")j", orders,
                         R"j(","column":"id"}],"logic":{"is_direct_copy":true,)j",
                         R"j("transform":"IDENTITY"}}],"debug_info":{"error":null}})j"));
  EXPECT_THAT(SqlLineageErrorJson("boom"), HasSubstr(R"j("debug_info":{"error":"boom"})j"));
}

}  // namespace
}  // namespace tidemark::sql
