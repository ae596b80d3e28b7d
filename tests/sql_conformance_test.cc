// SQL lineage conformance: runs ParseSqlLineage over the public cases in
// $TIDEMARK_FIXTURES/sql-lineage/cases.jsonl (DataHub's sqlglot goldens), scores each dialect —
// table level: in_tables and out_tables equal as sets; column level: the column lineage equal as a
// multiset of (downstream table, downstream column, set of upstream (table, column)) — prints the
// score table and the differences, and fails when a score drops below the committed floor in
// tests/sql_conformance_floor.json. Order is not compared: the goldens' in/out tables and upstreams
// are sorted and their column order follows sqlglot's projection order, which is not meaningful
// for lineage. Query types, fingerprints, column types and debug_info are not compared.
// A golden whose column_lineage is null is DataHub saying it computes none for that statement
// (e.g. MERGE, "not supported yet" in its tests), not that the statement has none: such cases are
// scored at table level only, and the table shows how many cases have a column-level golden.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/urn.h"
#include "sql/sql_lineage.h"
#include "tests/testing/temp_dir.h"

namespace tidemark::sql {
namespace {

namespace json = boost::json;

std::string Str(const json::value& v) {
  return v.is_string() ? std::string(v.as_string().c_str()) : std::string();
}

std::set<std::string> StringSet(const json::value& v) {
  std::set<std::string> out;
  if (v.is_array()) {
    for (const json::value& s : v.as_array()) out.insert(Str(s));
  }
  return out;
}

std::string ColumnKey(const std::string& table, const std::string& column,
                      std::set<std::string> upstreams) {
  return absl::StrCat(table.empty() ? "-" : table, " :: ", column, " <- {",
                      absl::StrJoin(upstreams, ", "), "}");
}

std::multiset<std::string> ExpectedColumns(const json::value& v) {
  std::multiset<std::string> out;
  if (!v.is_array()) return out;
  for (const json::value& cl : v.as_array()) {
    const json::object& o = cl.as_object();
    const json::object& down = o.at("downstream").as_object();
    std::set<std::string> ups;
    for (const json::value& u : o.at("upstreams").as_array()) {
      ups.insert(absl::StrCat(Str(u.at("table")), ".", Str(u.at("column"))));
    }
    out.insert(ColumnKey(down.contains("table") ? Str(down.at("table")) : "",
                         Str(down.at("column")), ups));
  }
  return out;
}

std::multiset<std::string> ActualColumns(const SqlLineage& l) {
  std::multiset<std::string> out;
  for (const ColumnLineage& cl : l.column_lineage) {
    std::set<std::string> ups;
    for (const ColumnRef& u : cl.upstreams) ups.insert(absl::StrCat(u.table, ".", u.column));
    out.insert(ColumnKey(cl.downstream.table, cl.downstream.column, ups));
  }
  return out;
}

struct Score {
  int cases = 0;
  int tables = 0;
  int column_cases = 0;  // cases whose golden has column lineage (not null)
  int columns = 0;
};

double Pct(int n, int d) { return d == 0 ? 100.0 : 100.0 * n / d; }

std::string Diff(const std::multiset<std::string>& want, const std::multiset<std::string>& got) {
  std::string out;
  for (const std::string& w : want) {
    if (!got.count(w)) absl::StrAppend(&out, "      missing  ", w, "\n");
  }
  for (const std::string& g : got) {
    if (!want.count(g)) absl::StrAppend(&out, "      extra    ", g, "\n");
  }
  return out;
}

std::string SetDiff(const std::set<std::string>& want, const std::set<std::string>& got) {
  return Diff(std::multiset<std::string>(want.begin(), want.end()),
              std::multiset<std::string>(got.begin(), got.end()));
}

// This file's folder (tests/), for when ctest does not pass TIDEMARK_SOURCE_DIR.
// The tests/ folder of the source tree: from ctest's TIDEMARK_SOURCE_DIR, else from this file's
// path.
std::filesystem::path TestsDir() {
  if (const char* src = std::getenv("TIDEMARK_SOURCE_DIR"))
    return std::filesystem::path(src) / "tests";
  return std::filesystem::path(__FILE__).parent_path();
}

TEST(SqlConformanceTest, ScoresPerDialectAboveFloor) {
  std::filesystem::path corpus = tidemark::testing::FixturesDir() / "sql-lineage" / "cases.jsonl";
  if (!std::filesystem::exists(corpus) && std::getenv("TIDEMARK_FIXTURES") == nullptr) {
    corpus = TestsDir() / ".." / ".." / "shared" / "fixtures" / "sql-lineage" / "cases.jsonl";
  }
  std::ifstream in(corpus);
  ASSERT_TRUE(in.good()) << "cannot read " << corpus;
  std::map<std::string, Score> scores;
  Score total;
  std::string report;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const json::object c = json::parse(line).as_object();
    const std::string name = Str(c.at("name"));
    const std::string dialect_name = Str(c.at("dialect"));
    absl::StatusOr<Dialect> dialect = ParseDialect(dialect_name);
    ASSERT_TRUE(dialect.ok()) << dialect.status();
    SqlOptions options;
    options.dialect = *dialect;
    if (c.contains("default_db")) options.default_db = Str(c.at("default_db"));
    if (c.contains("default_schema")) options.default_schema = Str(c.at("default_schema"));
    if (c.contains("platform_instance")) {
      options.platform_instance = Str(c.at("platform_instance"));
    }
    MapSchemaResolver schemas;
    if (c.contains("schemas") && c.at("schemas").is_object()) {
      for (const auto& [urn_text, columns] : c.at("schemas").as_object()) {
        absl::StatusOr<common::Urn> urn =
            common::Urn::Parse(std::string(urn_text.data(), urn_text.size()));
        ASSERT_TRUE(urn.ok()) << urn.status();
        std::vector<std::string> names;
        for (const auto& [col, type] : columns.as_object()) names.emplace_back(col);
        schemas.Add(urn->DatasetName(), std::move(names));
      }
    }
    options.schemas = &schemas;
    const json::object& expected = c.at("expected").as_object();
    absl::StatusOr<SqlLineage> got = ParseSqlLineage(Str(c.at("sql")), options);
    SqlLineage lineage = got.ok() ? *got : SqlLineage();

    const std::set<std::string> want_in = StringSet(expected.at("in_tables"));
    const std::set<std::string> want_out = StringSet(expected.at("out_tables"));
    const std::set<std::string> got_in(lineage.in_tables.begin(), lineage.in_tables.end());
    const std::set<std::string> got_out(lineage.out_tables.begin(), lineage.out_tables.end());
    const bool tables_ok = want_in == got_in && want_out == got_out;
    const bool column_golden =
        expected.contains("column_lineage") && !expected.at("column_lineage").is_null();
    const std::multiset<std::string> want_cols =
        ExpectedColumns(column_golden ? expected.at("column_lineage") : json::value());
    const std::multiset<std::string> got_cols = ActualColumns(lineage);
    const bool columns_ok = !column_golden || want_cols == got_cols;

    Score& s = scores[dialect_name];
    for (Score* t : {&s, &total}) {
      ++t->cases;
      t->tables += tables_ok;
      t->column_cases += column_golden;
      t->columns += column_golden && columns_ok;
    }
    if (!column_golden && !got_cols.empty()) {
      absl::StrAppend(&report, "  ", name, " (", dialect_name,
                      "): column lineage not scored (the golden has none); ours:\n",
                      Diff({}, got_cols));
    }
    if (!tables_ok || !columns_ok) {
      absl::StrAppend(&report, "  ", name, " (", dialect_name, "):", tables_ok ? "" : " TABLES",
                      columns_ok ? "" : " COLUMNS", "\n");
      if (!got.ok()) absl::StrAppend(&report, "      error: ", got.status().message(), "\n");
      if (!tables_ok) {
        absl::StrAppend(&report, SetDiff(want_in, got_in), SetDiff(want_out, got_out));
      }
      if (!columns_ok) absl::StrAppend(&report, Diff(want_cols, got_cols));
    }
  }

  std::string table =
      "\n| dialect | cases | table-level exact | cases with column golden | column-level exact |\n";
  absl::StrAppend(&table, "|---|---:|---:|---:|---:|\n");
  for (const auto& [dialect, s] : scores) {
    absl::StrAppend(&table, absl::StrFormat("| %s | %d | %.1f%% | %d | %.1f%% |\n", dialect,
                                            s.cases, Pct(s.tables, s.cases), s.column_cases,
                                            Pct(s.columns, s.column_cases)));
  }
  absl::StrAppend(&table, absl::StrFormat("| **all** | %d | %.1f%% | %d | %.1f%% |\n", total.cases,
                                          Pct(total.tables, total.cases), total.column_cases,
                                          Pct(total.columns, total.column_cases)));
  std::printf("%s\nCases that differ:\n%s\n", table.c_str(), report.c_str());

  // Floors: {"all": {"table": 90, "column": 75}, "snowflake": {...}, ...} in percent.
  const std::filesystem::path floor_path = TestsDir() / "sql_conformance_floor.json";
  std::ifstream floor_in(floor_path);
  ASSERT_TRUE(floor_in.good()) << "cannot read " << floor_path;
  std::stringstream buffer;
  buffer << floor_in.rdbuf();
  const json::object floors = json::parse(buffer.str()).as_object();
  for (const auto& [key, value] : floors) {
    const std::string dialect(key.data(), key.size());
    const Score& s = dialect == "all" ? total : scores[dialect];
    const double table_floor = value.at("table").to_number<double>();
    const double column_floor = value.at("column").to_number<double>();
    EXPECT_GE(std::floor(Pct(s.tables, s.cases)), table_floor) << dialect << " table-level";
    EXPECT_GE(std::floor(Pct(s.columns, s.column_cases)), column_floor)
        << dialect << " column-level";
  }
}

}  // namespace
}  // namespace tidemark::sql
