// `tidemark ingest query-log | openlineage | trino-events`; see cli_ingest_query.h.
#include "cli_ingest_query.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli_files.h"
#include "ingest/openlineage/openlineage_event.h"
#include "server/http_client.h"

namespace tidemark::tools {
namespace {

namespace json = boost::json;

struct Line {
  int number = 0;
  json::object record;
};

struct Totals {
  int lines = 0, parsed = 0, failed = 0, skipped = 0;
  std::vector<std::string> errors;  // first 20
  void Error(int line, const std::string& message) {
    ++failed;
    if (errors.size() < 20) errors.push_back("line " + std::to_string(line) + ": " + message);
  }
};

int64_t Count(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}

// Sends one batch; splits it when the server finds it too large. False when the server is gone.
bool SendBatch(server::HttpClient& client, const std::vector<Line>& batch, Totals& totals,
               std::ostream& err) {
  if (batch.empty()) return true;
  json::array queries;
  for (const Line& l : batch) queries.push_back(l.record);
  auto response = client.Request("POST", "/api/v1/ingest/query-log",
                                 json::serialize(json::object{{"queries", std::move(queries)}}));
  if (!response.ok()) {
    err << "\ntidemark: " << response.status().message() << "\n";
    return false;
  }
  if (response->status == 413 && batch.size() > 1) {
    const size_t half = batch.size() / 2;
    return SendBatch(client, {batch.begin(), batch.begin() + half}, totals, err) &&
           SendBatch(client, {batch.begin() + half, batch.end()}, totals, err);
  }
  json::error_code ec;
  json::value body = json::parse(response->body, ec);
  if (response->status != 200 || ec || !body.is_object()) {
    for (const Line& l : batch)
      totals.Error(l.number, "HTTP " + std::to_string(response->status) + ": " +
                                 response->body.substr(0, 200));
    return true;
  }
  const json::object& o = body.as_object();
  totals.parsed += static_cast<int>(Count(o, "parsed"));
  totals.skipped += static_cast<int>(Count(o, "skipped"));
  const int failed = static_cast<int>(Count(o, "failed"));
  int listed = 0;
  if (const json::value* errors = o.if_contains("errors"); errors && errors->is_array()) {
    for (const auto& e : errors->as_array()) {
      const int64_t index =
          e.as_object().contains("index") ? e.at("index").to_number<int64_t>() : -1;
      const int line = index >= 0 && index < static_cast<int64_t>(batch.size())
                           ? batch[static_cast<size_t>(index)].number
                           : 0;
      totals.Error(line, e.as_object().contains("message")
                             ? std::string(e.at("message").as_string())
                             : "failed");
      ++listed;
    }
  }
  totals.failed += failed - listed;  // failures beyond the listed ones
  return true;
}

void Progress(const Totals& t, std::ostream& err) {
  err << "\r" << t.lines << " lines: " << t.parsed << " parsed, " << t.failed << " failed, "
      << t.skipped << " skipped" << std::flush;
}

int PostFiles(const std::string& server, const std::string& target,
              const std::vector<std::string>& files, bool marquez_template) {
  auto client = server::HttpClient::Connect(server);
  if (!client.ok()) {
    std::cerr << "tidemark: " << client.status().message() << "\n";
    return 1;
  }
  (*client)->SetDefaultHeader("X-Tidemark-User", "cli");
  int code = 0;
  for (const std::string& file : files) {
    std::optional<std::string> text = ReadInputFile(file, std::cerr);
    if (!text) {
      code = 1;
      continue;
    }
    std::string body = std::move(*text);
    if (marquez_template) {
      const int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      body = ingest::SubstituteMarquezTemplate(body, now);
    }
    auto response = (*client)->Request("POST", target, body);
    if (!response.ok()) {
      std::cerr << "tidemark: " << response.status().message() << "\n";
      return 1;
    }
    std::cout << file << ": HTTP " << response->status << " " << response->body << "\n";
    if (response->status >= 400) code = 1;
  }
  return code;
}

}  // namespace

int QueryLogCommand(const QueryLogArgs& args, std::ostream& out, std::ostream& err) {
  if (args.batch < 1 || args.batch > 5000) {
    err << "tidemark: --batch must be within 1..5000\n";
    return 2;
  }
  std::ifstream in(args.file);
  if (!in) {
    err << "tidemark: cannot read " << args.file << "\n";
    return 1;
  }
  auto client = server::HttpClient::Connect(args.server);
  if (!client.ok()) {
    err << "tidemark: " << client.status().message() << "\n";
    return 1;
  }
  (*client)->SetDefaultHeader("X-Tidemark-User", "cli");
  Totals totals;
  std::vector<Line> batch;
  std::string text;
  int number = 0;
  auto flush = [&]() {
    const bool ok = SendBatch(**client, batch, totals, err);
    batch.clear();
    if (args.progress) Progress(totals, err);
    return ok;
  };
  while (std::getline(in, text)) {
    ++number;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++totals.lines;
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
      totals.Error(number, ec ? "invalid JSON: " + ec.message() : "not a JSON object");
      continue;
    }
    json::object& record = v.as_object();
    auto fill = [&record](const char* key, const std::string& value) {
      if (!value.empty() && !record.contains(key)) record[key] = value;
    };
    fill("dialect", args.dialect);
    fill("default_catalog", args.default_catalog);
    fill("default_schema", args.default_schema);
    fill("user", args.user);
    batch.push_back({number, std::move(record)});
    if (static_cast<int>(batch.size()) >= args.batch && !flush()) return 1;
  }
  if (!flush()) return 1;
  if (args.progress) err << "\n";
  for (const std::string& e : totals.errors) err << "tidemark: " << e << "\n";
  out << totals.lines << " queries: " << totals.parsed << " parsed, " << totals.failed
      << " failed, " << totals.skipped << " skipped\n";
  return 0;
}

void AddQueryIngestCommands(CommandTable& table) {
  CLI::App* ingest = table.Group("ingest", "Ingest metadata");
  static QueryLogArgs args;
  CLI::App* log = ingest->add_subcommand(
      "query-log", "Lineage and usage from a query log (one JSON object per line)");
  log->add_option("FILE", args.file, "JSONL file: {sql, user, timestamp, default_catalog, ...}")
      ->required();
  log->add_option("--dialect", args.dialect, "SQL dialect of lines without one (default trino)");
  log->add_option("--default-catalog", args.default_catalog, "Catalog / database of bare names");
  log->add_option("--default-schema", args.default_schema, "Schema of bare names");
  log->add_option("--user", args.user, "User of lines without one");
  log->add_option("--batch", args.batch, "Queries per request (default 500)");
  table.AddServerOption(log);
  table.OnRun(log, [&table]() {
    QueryLogArgs a = args;
    a.server = table.server_url();
    a.progress = ::isatty(STDERR_FILENO) != 0;
    return QueryLogCommand(a, std::cout, std::cerr);
  });

  static std::vector<std::string> ol_files, trino_files;
  static bool marquez_template = false;
  CLI::App* ol = ingest->add_subcommand("openlineage", "POST OpenLineage event files");
  ol->add_option("FILE", ol_files, "Event or array-of-events JSON files")->required();
  ol->add_flag("--marquez-template", marquez_template,
               "Replace {{RUN_START_TIME}}-style placeholders with times from now");
  table.AddServerOption(ol);
  table.OnRun(ol, [&table]() {
    return PostFiles(table.server_url(), "/api/v1/lineage", ol_files, marquez_template);
  });
  CLI::App* trino = ingest->add_subcommand("trino-events", "POST Trino QueryCompletedEvent files");
  trino->add_option("FILE", trino_files, "QueryCompletedEvent JSON files")->required();
  table.AddServerOption(trino);
  table.OnRun(trino, [&table]() {
    return PostFiles(table.server_url(), "/api/v1/ingest/trino/query-completed", trino_files,
                     false);
  });
}

}  // namespace tidemark::tools
