// `tidemark ingest starburst-history`; see cli_usage_starburst.h.
#include "cli_usage_starburst.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "cli_files.h"
#include "ingest_run_client.h"
#include "server/http_client.h"

namespace tidemark::tools {
namespace {

namespace json = boost::json;

constexpr char kRoute[] = "/api/v1/ingest/starburst/query-history";

struct Totals {
  int64_t rows = 0, recorded = 0, from_sql = 0, skipped = 0, failed = 0, sent = 0;
};

int64_t Count(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}

// Sends rows[begin, end) for `run_id`; halves a batch the server finds too large. False when the
// server is gone or refused the batch (the message is printed).
bool SendRows(server::HttpClient& client, const json::array& rows, size_t begin, size_t end,
              const std::string& run_id, Totals& totals, std::ostream& err) {
  if (begin >= end) return true;
  json::array batch(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                    rows.begin() + static_cast<std::ptrdiff_t>(end));
  auto response = client.Request("POST", absl::StrCat(kRoute, "?offset=", begin),
                                 json::serialize(batch), {{"X-Tidemark-Run-Id", run_id}});
  if (!response.ok()) {
    err << "\ntidemark: " << response.status().message() << "\n";
    return false;
  }
  if (response->status == 413 && end - begin > 1) {
    const size_t middle = begin + (end - begin) / 2;
    return SendRows(client, rows, begin, middle, run_id, totals, err) &&
           SendRows(client, rows, middle, end, run_id, totals, err);
  }
  json::error_code ec;
  json::value body = json::parse(response->body, ec);
  if (response->status != 200 || ec || !body.is_object()) {
    err << "\ntidemark: HTTP " << response->status << " from POST " << kRoute << ": "
        << response->body.substr(0, 300) << "\n";
    return false;
  }
  const json::object& o = body.as_object();
  totals.rows += Count(o, "rows");
  totals.recorded += Count(o, "recorded");
  totals.from_sql += Count(o, "fromSql");
  totals.skipped += Count(o, "skipped");
  totals.failed += Count(o, "failed");
  totals.sent = static_cast<int64_t>(end);
  if (const json::value* e = o.if_contains("runError"); e != nullptr && e->is_string()) {
    err << "\ntidemark: the run did not take a batch: " << e->as_string() << "\n";
  }
  return true;
}

// The rows of an export: a JSON array, or {"rows":[...]}. nullopt (message printed) otherwise.
std::optional<json::array> ReadRows(const std::string& file, std::ostream& err) {
  std::optional<std::string> text = ReadInputFile(file, err);
  if (!text) return std::nullopt;
  json::error_code ec;
  json::value document = json::parse(*text, ec);
  if (ec) {
    err << "tidemark: " << file << ": invalid JSON: " << ec.message() << "\n";
    return std::nullopt;
  }
  if (document.is_array()) return std::move(document.as_array());
  if (document.is_object()) {
    if (json::value* rows = document.as_object().if_contains("rows"); rows && rows->is_array()) {
      return std::move(rows->as_array());
    }
  }
  err << "tidemark: " << file
      << ": expected a Starburst query-history export (a JSON array of rows or {\"rows\":[...]})\n";
  return std::nullopt;
}

}  // namespace

int StarburstHistoryCommand(const StarburstHistoryArgs& args, std::ostream& out,
                            std::ostream& err) {
  if (args.batch < 1 || args.batch > 5000) {
    err << "tidemark: --batch must be within 1..5000\n";
    return 2;
  }
  std::optional<json::array> rows = ReadRows(args.file, err);
  if (!rows) return 1;
  auto client = server::HttpClient::Connect(args.server);
  if (!client.ok()) {
    err << "tidemark: " << client.status().message() << "\n";
    return 1;
  }
  (*client)->SetDefaultHeader("X-Tidemark-User", "cli");
  (*client)->SetDefaultHeader("X-Tidemark-Source", "trino");
  ServerApi api(**client);
  const std::string target = "starburst-history " + args.file;
  auto opened = api.Call("POST", "/api/v1/ingest/runs",
                         json::serialize(json::object{{"source", "trino"}, {"target", target}}));
  if (!opened) return 1;
  SentRun run;
  run.id = JsonField(*opened, "id");
  Totals totals;
  const size_t batch = static_cast<size_t>(args.batch);
  for (size_t begin = 0; begin < rows->size() && !run.failed; begin += batch) {
    const size_t end = std::min(rows->size(), begin + batch);
    run.failed = !SendRows(**client, *rows, begin, end, run.id, totals, err);
    if (args.progress) {
      err << "\r[starburst-history] rows " << totals.sent << "/" << rows->size() << ": "
          << totals.recorded << " recorded, " << totals.skipped << " skipped, " << totals.failed
          << " failed" << std::flush;
    }
  }
  if (args.progress) err << "\n";
  json::object properties{{"rows", absl::StrCat(rows->size())},
                          {"recorded", absl::StrCat(totals.recorded)},
                          {"fromSql", absl::StrCat(totals.from_sql)},
                          {"skipped", absl::StrCat(totals.skipped)},
                          {"failed", absl::StrCat(totals.failed)}};
  json::object finish{
      {"errors", json::array()}, {"failed", run.failed}, {"properties", std::move(properties)}};
  auto done = api.Call(
      "POST", "/api/v1/ingest/runs/" + server::PercentEncodePathSegment(run.id) + "/finish",
      json::serialize(finish));
  if (!done) return 1;
  run.done = std::move(*done);
  PrintRunSummary(run, "starburst-history", args.file,
                  absl::StrCat(rows->size(), " rows: ", totals.recorded, " recorded (",
                               totals.from_sql, " through the SQL parser), ", totals.skipped,
                               " skipped, ", totals.failed, " failed"),
                  out);
  return run.failed ? 1 : 0;
}

void AddStarburstIngestCommands(CommandTable& table) {
  CLI::App* ingest = table.Group("ingest", "Ingest metadata");
  static StarburstHistoryArgs args;
  CLI::App* history = ingest->add_subcommand(
      "starburst-history", "Usage from a Starburst event-logger query-history export (JSON)");
  history->add_option("FILE", args.file, "JSON array of history rows (usr, query, ...)")
      ->required();
  history->add_option("--batch", args.batch, "Rows per request (default 500)");
  table.AddServerOption(history);
  table.OnRun(history, [&table]() {
    StarburstHistoryArgs a = args;
    a.server = table.server_url();
    a.progress = ::isatty(STDERR_FILENO) != 0;
    return StarburstHistoryCommand(a, std::cout, std::cerr);
  });
}

}  // namespace tidemark::tools
