// pg_lineage_client: the PostgreSQL side of the lineage comparison. Runs Marquez-style
// recursive-CTE lineage queries (the schema is made by bench/lineage_vs_postgres.sh: datasets,
// jobs, a direct lineage_edges table and column_edges, with covering indexes in both directions)
// from the same start nodes and depths as lineage_bench, as prepared statements over one libpq
// connection, reads every returned row, and prints p50/p99 per query. Queries take the start URN
// (resolved through the datasets.urn index, as an API call would) and return the URN and distance
// of every node.
//
//   pg_lineage_client --conninfo "host=/tmp/x port=5432 dbname=lineage" --data DIR [--tsv FILE]
#include <libpq-fe.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.h"

namespace tidemark::bench {
namespace {

[[noreturn]] void Die(const std::string& what, PGconn* conn = nullptr) {
  std::fprintf(stderr, "pg_lineage_client: %s%s\n", what.c_str(),
               conn != nullptr ? PQerrorMessage(conn) : "");
  std::exit(1);
}

// Depth-limited: UNION over (node, depth) as Marquez's lineage query does, then the shortest
// distance per node. Unlimited: UNION over the node alone, which also stops on cycles. URNs are
// fetched with a scalar subquery per row: the planner underestimates recursive CTEs and would
// otherwise hash-join the whole datasets table (milliseconds per query even for empty results).
std::string WalkSql(bool downstream, bool limited) {
  const std::string from = downstream ? "src" : "dst";
  const std::string to = downstream ? "dst" : "src";
  if (limited) {
    return "WITH RECURSIVE walk(id, depth) AS (SELECT id, 0 FROM datasets WHERE urn = $1 UNION "
           "SELECT e." +
           to + ", w.depth + 1 FROM walk w JOIN lineage_edges e ON e." + from +
           " = w.id WHERE w.depth < $2) SELECT (SELECT d.urn FROM datasets d WHERE d.id = w.id), "
           "min(w.depth) AS hops FROM walk w WHERE w.depth > 0 GROUP BY w.id";
  }
  return "WITH RECURSIVE walk(id) AS (SELECT id FROM datasets WHERE urn = $1 UNION SELECT e." + to +
         " FROM walk w JOIN lineage_edges e ON e." + from +
         " = w.id) SELECT (SELECT d.urn FROM datasets d WHERE d.id = w.id) FROM walk w WHERE w.id "
         "<> (SELECT id FROM datasets WHERE urn = $1)";
}

// Everything downstream of one column (the start column included in the walk).
constexpr const char* kColumnSql =
    "WITH RECURSIVE walk(id) AS (SELECT c.id FROM columns c WHERE c.dataset = (SELECT id FROM "
    "datasets WHERE urn = $1) AND c.name = $2 UNION SELECT e.dst FROM walk w JOIN column_edges e "
    "ON e.src = w.id) SELECT (SELECT d.urn || ',' || c.name FROM columns c JOIN datasets d ON d.id "
    "= c.dataset WHERE c.id = w.id) FROM walk w";

struct Result {
  std::string query;
  double p50, p99, mean_rows;
  int timeouts;
};

void Run(const std::string& conninfo, const std::string& data, const std::string& tsv) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) Die("connect: ", conn);
  PQclear(PQexec(conn, "SET statement_timeout = '30s'"));
  for (bool down : {false, true}) {
    for (bool limited : {false, true}) {
      std::string name = std::string(down ? "down" : "up") + (limited ? "_d" : "_all");
      PGresult* r =
          PQprepare(conn, name.c_str(), WalkSql(down, limited).c_str(), limited ? 2 : 1, nullptr);
      if (PQresultStatus(r) != PGRES_COMMAND_OK) Die("prepare " + name + ": ", conn);
      PQclear(r);
    }
  }
  PGresult* prep = PQprepare(conn, "column", kColumnSql, 2, nullptr);
  if (PQresultStatus(prep) != PGRES_COMMAND_OK) Die("prepare column: ", conn);
  PQclear(prep);

  std::vector<std::string> starts, columns;
  ReadCsv(data + "/starts.csv", [&](const auto& f) { starts.emplace_back(f[1]); });
  ReadCsv(data + "/start_columns.csv", [&](const auto& f) { columns.emplace_back(f[1]); });
  if (starts.empty()) Die("no start nodes in " + data);

  // Runs one prepared statement; returns the row count (-1 on timeout).
  size_t touched = 0;
  auto exec = [&](const char* name, std::vector<const char*> params) -> int64_t {
    PGresult* r = PQexecPrepared(conn, name, static_cast<int>(params.size()), params.data(),
                                 nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      std::string state =
          PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "";
      PQclear(r);
      if (state == "57014") return -1;  // query_canceled: statement_timeout
      Die(std::string("query ") + name + ": ", conn);
    }
    const int rows = PQntuples(r);
    for (int i = 0; i < rows; ++i) touched += std::strlen(PQgetvalue(r, i, 0));
    PQclear(r);
    return rows;
  };

  // Warm-up: every start once, unlimited both ways (fills shared buffers and plan caches).
  for (const std::string& s : starts) {
    exec("down_all", {s.c_str()});
    exec("up_all", {s.c_str()});
  }
  std::vector<Result> results;
  for (bool down : {false, true}) {
    for (int depth : {1, 3, 5, 10, -1}) {
      LatencySamples samples;
      double rows = 0;
      int timeouts = 0;
      const std::string depth_text = std::to_string(depth);
      for (const std::string& s : starts) {
        Stopwatch clock;
        int64_t n = depth < 0 ? exec(down ? "down_all" : "up_all", {s.c_str()})
                              : exec(down ? "down_d" : "up_d", {s.c_str(), depth_text.c_str()});
        samples.Add(clock.Micros());
        if (n < 0) {
          ++timeouts;
        } else {
          rows += static_cast<double>(n);
        }
      }
      std::string query =
          std::string(down ? "down " : "up ") + (depth < 0 ? std::string("all") : "d" + depth_text);
      results.push_back({query, samples.Percentile(50), samples.Percentile(99),
                         rows / static_cast<double>(starts.size()), timeouts});
    }
  }
  {
    LatencySamples samples;
    double rows = 0;
    int timeouts = 0;
    for (const std::string& urn : columns) {
      // urn:li:schemaField:(<dataset urn>,<field>): split at the last comma.
      const size_t comma = urn.rfind(',');
      constexpr size_t kPrefix = sizeof("urn:li:schemaField:(") - 1;
      const std::string dataset = urn.substr(kPrefix, comma - kPrefix);
      const std::string field = urn.substr(comma + 1, urn.size() - comma - 2);
      Stopwatch clock;
      int64_t n = exec("column", {dataset.c_str(), field.c_str()});
      samples.Add(clock.Micros());
      if (n < 0) {
        ++timeouts;
      } else {
        rows += static_cast<double>(n > 0 ? n - 1 : 0);  // the start column is in the walk
      }
    }
    results.push_back({"column down all", samples.Percentile(50), samples.Percentile(99),
                       rows / static_cast<double>(columns.size()), timeouts});
  }
  PQfinish(conn);

  std::vector<std::vector<std::string>> table = {{"query", "mean rows", "p50", "p99", "timeouts"}};
  for (const Result& r : results) {
    table.push_back({r.query, FormatCount(r.mean_rows), FormatMicros(r.p50), FormatMicros(r.p99),
                     std::to_string(r.timeouts)});
  }
  std::printf("pg_lineage_client: PostgreSQL recursive CTEs, %zu start nodes, 1 connection\n\n",
              starts.size());
  PrintTable(table);
  if (!tsv.empty()) {
    std::FILE* f = std::fopen(tsv.c_str(), "w");
    if (f == nullptr) Die("cannot write " + tsv);
    for (const Result& r : results) {
      std::fprintf(f, "postgres\t%s\t%.1f\t%.1f\t%.1f\n", r.query.c_str(), r.p50, r.p99,
                   r.mean_rows);
    }
    std::fclose(f);
  }
  (void)touched;
}

}  // namespace
}  // namespace tidemark::bench

int main(int argc, char** argv) {
  std::string conninfo, data, tsv;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--conninfo") == 0) conninfo = argv[i + 1];
    if (std::strcmp(argv[i], "--data") == 0) data = argv[i + 1];
    if (std::strcmp(argv[i], "--tsv") == 0) tsv = argv[i + 1];
  }
  if (conninfo.empty() || data.empty()) {
    std::fprintf(stderr, "usage: pg_lineage_client --conninfo STR --data DIR [--tsv FILE]\n");
    return 2;
  }
  tidemark::bench::Run(conninfo, data, tsv);
  return 0;
}
