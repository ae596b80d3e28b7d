// sql_bench: parses every SQL case of the conformance corpus in a loop for at least --seconds and
// prints the throughput. --stage picks how far each statement goes:
//   lineage (default)  ParseSqlLineage: tokenize, parse, resolve names, column lineage;
//   parse              tokenize and build the syntax tree (what sqlglot.parse() does);
//   tokenize           tokens only.
// bench/sql_vs_sqlglot.sh runs it next to sqlglot on the same corpus.
//   sql_bench [CASES.jsonl] [--seconds S | --passes N] [--stage lineage|parse|tokenize]
// --passes runs exactly N passes over the corpus (for instruction counts under callgrind).
//   (CASES defaults to $TIDEMARK_FIXTURES/sql-lineage/cases.jsonl)
// Output: one line "tidemark_sql_bench_<stage> statements=N seconds=S us_per_statement=U errors=E".
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "common/urn.h"
#include "sql/internal/parser.h"
#include "sql/sql_lineage.h"
#include "sql/tokenizer.h"

namespace {

namespace sql = tidemark::sql;

struct Case {
  std::string sql;
  sql::SqlOptions options;
  std::unique_ptr<sql::MapSchemaResolver> schemas;
};

std::string Str(const boost::json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string().c_str())
                                                  : std::string();
}

// Runs one statement through `stage`; false when it fails.
bool RunStage(const std::string& stage, const Case& c) {
  if (stage == "lineage") return sql::ParseSqlLineage(c.sql, c.options).ok();
  auto tokens = sql::Tokenize(c.sql, c.options.dialect);
  if (!tokens.ok()) return false;
  if (stage == "tokenize") return true;
  sql::Parser parser(c.sql, *tokens, c.options.dialect);
  bool ok = true;
  for (const sql::ParsedStatement& p : parser.ParseScript()) ok = ok && p.status.ok();
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  double seconds = 2.0;
  std::string stage = "lineage";
  long passes = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (arg == "--passes" && i + 1 < argc) {
      passes = std::atol(argv[++i]);
    } else if (arg == "--stage" && i + 1 < argc) {
      stage = argv[++i];
      if (stage != "lineage" && stage != "parse" && stage != "tokenize") {
        std::fprintf(stderr, "sql_bench: --stage must be lineage, parse or tokenize\n");
        return 2;
      }
    } else {
      path = arg;
    }
  }
  if (path.empty()) {
    const char* fixtures = std::getenv("TIDEMARK_FIXTURES");
    path = std::string(fixtures ? fixtures : "../shared/fixtures") + "/sql-lineage/cases.jsonl";
  }
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "sql_bench: cannot read %s\n", path.c_str());
    return 2;
  }
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const boost::json::object o = boost::json::parse(line).as_object();
    Case c;
    c.sql = Str(o, "sql");
    auto dialect = sql::ParseDialect(Str(o, "dialect"));
    if (!dialect.ok()) continue;
    c.options.dialect = *dialect;
    c.options.default_db = Str(o, "default_db");
    c.options.default_schema = Str(o, "default_schema");
    c.options.platform_instance = Str(o, "platform_instance");
    c.schemas = std::make_unique<sql::MapSchemaResolver>();
    if (auto it = o.find("schemas"); it != o.end() && it->value().is_object()) {
      for (const auto& [urn_text, columns] : it->value().as_object()) {
        auto urn = tidemark::common::Urn::Parse(std::string(urn_text.data(), urn_text.size()));
        if (!urn.ok() || !columns.is_object()) continue;
        std::vector<std::string> names;
        for (const auto& [name, type] : columns.as_object()) names.emplace_back(name);
        c.schemas->Add(urn->DatasetName(), std::move(names));
      }
    }
    c.options.schemas = c.schemas.get();
    cases.push_back(std::move(c));
  }
  size_t statements = 0;
  size_t errors = 0;
  tidemark::bench::Stopwatch watch;
  do {
    for (const Case& c : cases) {
      if (!RunStage(stage, c)) ++errors;
      ++statements;
    }
  } while (passes > 0 ? --passes > 0 : watch.Seconds() < seconds);
  const double elapsed = watch.Seconds();
  std::printf(
      "tidemark_sql_bench_%s statements=%zu seconds=%.3f us_per_statement=%.2f errors=%zu\n",
      stage.c_str(), statements, elapsed, elapsed * 1e6 / static_cast<double>(statements), errors);
  return 0;
}
