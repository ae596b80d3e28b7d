// Statement splitting with line ranges, YAML front matter and DDL column lists.
#include "ingest/repo/sql_script.h"

#include <gtest/gtest.h>

#include "ingest/repo/ddl_columns.h"
#include "ingest/repo/front_matter.h"

namespace tidemark::ingest {
namespace {

TEST(SqlScriptTest, SplitsOnTopLevelSemicolonsWithLineRanges) {
  const std::string sql =
      "-- leading comment; not a statement\n"             // 1
      "CREATE TABLE a (x int);\n"                         // 2
      "\n"                                                // 3
      "INSERT INTO a\n"                                   // 4
      "SELECT ';' AS s, \"semi;colon\"\n"                 // 5
      "/* ; inside\n"                                     // 6
      "   a block */ FROM b;\n"                           // 7
      "CREATE FUNCTION f() AS $body$ SELECT 1; $body$\n"  // 8
      "LANGUAGE sql;\n"                                   // 9
      "-- trailing comment only\n";                       // 10
  SplitSql split = SplitSqlStatements(sql);
  EXPECT_TRUE(split.error.empty()) << split.error;
  ASSERT_EQ(split.statements.size(), 3u);
  EXPECT_EQ(split.statements[0].text, "CREATE TABLE a (x int)");
  EXPECT_EQ(split.statements[0].start_line, 2);
  EXPECT_EQ(split.statements[0].end_line, 2);
  EXPECT_EQ(split.statements[1].start_line, 4);
  EXPECT_EQ(split.statements[1].end_line, 7);
  EXPECT_EQ(split.statements[2].start_line, 8);
  EXPECT_EQ(split.statements[2].end_line, 9);
}

TEST(SqlScriptTest, ReportsUnterminatedString) {
  SplitSql split = SplitSqlStatements("SELECT 1;\nSELECT 'oops\n", 5);
  EXPECT_EQ(split.error, "unterminated string starting on line 6");
  ASSERT_EQ(split.statements.size(), 2u);
  EXPECT_EQ(split.statements[0].start_line, 5);
}

TEST(SqlScriptTest, DollarParamIsNotAQuote) {
  SplitSql split = SplitSqlStatements("SELECT $1, a$b$ FROM t; SELECT 2");
  EXPECT_TRUE(split.error.empty());
  EXPECT_EQ(split.statements.size(), 2u);
}

TEST(FrontMatterTest, ReadsKeysAndBody) {
  const std::string text =
      "---\n"
      "owner: [alice, group:billing]\n"
      "description: Daily revenue\n"
      "schedule: \"0 3 * * *\"\n"
      "depends_on: lake.raw.orders\n"
      "tags: [finance, daily]\n"
      "retries: 3\n"
      "---\n"
      "SELECT 1;\n";
  auto fm = ParseFrontMatter(text);
  ASSERT_TRUE(fm.ok()) << fm.status();
  EXPECT_TRUE(fm->present);
  EXPECT_EQ(fm->owners, (std::vector<std::string>{"alice", "group:billing"}));
  EXPECT_EQ(fm->description, "Daily revenue");
  EXPECT_EQ(fm->schedule, "0 3 * * *");
  EXPECT_EQ(fm->depends_on, std::vector<std::string>{"lake.raw.orders"});
  EXPECT_EQ(fm->tags.size(), 2u);
  EXPECT_EQ(fm->extra.at("retries"), "3");
  EXPECT_EQ(fm->body, "SELECT 1;\n");
  EXPECT_EQ(fm->body_first_line, 9);
}

TEST(FrontMatterTest, CommentStyleAndErrors) {
  auto fm = ParseFrontMatter("-- ---\n-- owner: bob\n-- ---\nSELECT 1");
  ASSERT_TRUE(fm.ok()) << fm.status();
  EXPECT_EQ(fm->owners, std::vector<std::string>{"bob"});
  EXPECT_EQ(fm->body_first_line, 4);
  EXPECT_FALSE(ParseFrontMatter("---\nowner: bob\nSELECT 1").ok());
  EXPECT_FALSE(ParseFrontMatter("---\nowner: [bob\n---\nSELECT 1").ok());
  auto none = ParseFrontMatter("SELECT 1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->present);
  EXPECT_EQ(none->body, "SELECT 1");
}

TEST(DdlColumnsTest, ReadsTypesConstraintsAndComments) {
  auto t = ParseCreateTableColumns(
      "CREATE TABLE IF NOT EXISTS Billing.Invoices (\n"
      "  id BIGINT NOT NULL COMMENT 'Invoice id',\n"
      "  amount DECIMAL(10, 2),\n"
      "  created_at timestamp with time zone,\n"
      "  \"Label\" varchar(20) WITH (x = 1),\n"
      "  PRIMARY KEY (id)\n"
      ") COMMENT 'One row per invoice' WITH (format = 'PARQUET')",
      sql::Dialect::kTrino);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->name, (std::vector<std::string>{"billing", "invoices"}));
  ASSERT_EQ(t->columns.size(), 4u);
  EXPECT_EQ(t->columns[0].name, "id");
  EXPECT_EQ(t->columns[0].native_type, "bigint");
  EXPECT_EQ(t->columns[0].comment, "Invoice id");
  EXPECT_FALSE(t->columns[0].nullable);
  EXPECT_TRUE(t->columns[0].primary_key);
  EXPECT_EQ(t->columns[1].native_type, "decimal(10, 2)");
  EXPECT_EQ(t->columns[2].native_type, "timestamp with time zone");
  EXPECT_EQ(t->columns[3].name, "Label");
  EXPECT_EQ(t->columns[3].native_type, "varchar(20)");
  EXPECT_EQ(t->comment, "One row per invoice");
  EXPECT_FALSE(ParseCreateTableColumns("CREATE TABLE x AS SELECT 1", sql::Dialect::kTrino));
  EXPECT_FALSE(ParseCreateTableColumns("CREATE VIEW v (a) AS SELECT 1", sql::Dialect::kTrino));
}

TEST(DdlColumnsTest, CommentOn) {
  auto c =
      ParseCommentOn("COMMENT ON COLUMN billing.invoices.id IS 'The id'", sql::Dialect::kPostgres);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->table, (std::vector<std::string>{"billing", "invoices"}));
  EXPECT_EQ(c->column, "id");
  EXPECT_EQ(c->text, "The id");
  auto t = ParseCommentOn("comment on table t is 'x'", sql::Dialect::kPostgres);
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->column.empty());
  EXPECT_FALSE(ParseCommentOn("SELECT 1", sql::Dialect::kPostgres));
}

}  // namespace
}  // namespace tidemark::ingest
