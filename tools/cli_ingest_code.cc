// Code and database ingest commands; see cli_ingest_code.h.
#include "cli_ingest_code.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli_commands.h"
#include "ingest/dbt/dbt_mapper.h"
#include "ingest/postgres/postgres_crawler.h"
#include "ingest/runs/ingest_types.h"
#include "ingest_run_client.h"
#include "server/http_client.h"

namespace tidemark::tools {
namespace {

namespace json = boost::json;

// Sends one Mapping as one run and prints the summary. Returns the exit code.
int SendRun(const std::string& server_url, const std::string& source, const std::string& target,
            const ingest::Mapping& mapping) {
  auto client = server::HttpClient::Connect(server_url);
  if (!client.ok()) {
    std::cerr << "tidemark: " << client.status().message() << "\n";
    return 1;
  }
  (*client)->SetDefaultHeader("X-Tidemark-User", "cli");
  ServerApi api(**client);
  std::optional<SentRun> run = SendRun(api, source, target, mapping);
  if (!run) return 1;
  PrintRunSummary(*run, source, target, "", std::cout);
  return run->failed ? 1 : 0;
}

// Sends each table's sampled values to POST /api/v1/classify (the glossary's classifier, which
// proposes classes for review) and prints what it proposed. Returns the exit code.
int ClassifySamples(const std::string& server_url,
                    const std::vector<ingest::PostgresSample>& samples) {
  size_t tables = 0, proposed = 0;
  for (const ingest::PostgresSample& sample : samples) {
    json::object columns;
    for (size_t c = 0; c < sample.columns.size(); ++c) {
      json::array values;
      for (const auto& row : sample.rows) {
        if (c < row.size() && !row[c].empty()) values.emplace_back(row[c]);
      }
      if (!values.empty()) columns[sample.columns[c]] = std::move(values);
    }
    if (columns.empty()) continue;
    json::object body{{"dataset", sample.dataset.ToString()}, {"columns", std::move(columns)}};
    auto response = CallServer(server_url, "POST", "/api/v1/classify", json::serialize(body),
                               {{"X-Tidemark-User", "cli"}, {"X-Tidemark-Source", "postgres"}});
    if (!response) return 1;
    ++tables;
    json::error_code ec;
    json::value answer = json::parse(response->body, ec);
    const json::value* cols = ec ? nullptr : answer.as_object().if_contains("columns");
    if (cols == nullptr || !cols->is_object()) continue;
    for (const auto& [column, classes] : cols->as_object()) {
      if (!classes.is_array()) continue;
      for (const auto& c : classes.as_array()) {
        ++proposed;
        std::cout << "  " << sample.dataset.DatasetName() << "." << std::string(column) << ": "
                  << JsonField(c, "class") << " (confidence " << std::setprecision(2)
                  << (c.as_object().contains("confidence") ? c.at("confidence").to_number<double>()
                                                           : 0.0)
                  << ")\n";
      }
    }
  }
  std::cout << "classified " << tables << " tables from samples: " << proposed
            << " classes proposed for review\n";
  return 0;
}

bool ReadFile(const std::string& path, std::string* out, ingest::Mapping* errors) {
  std::ifstream in(path);
  if (!in) {
    errors->Error(path, "cannot be read");
    return false;
  }
  std::stringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

}  // namespace

void AddCodeIngestCommands(CommandTable& table) {
  CLI::App* ingest = table.Group("ingest", "Ingest metadata");
  struct Args {
    std::string manifest, catalog, run_results, platform, repository, commit, path_prefix;
    std::string conninfo;
    std::vector<std::string> schemas;
    int sample_rows = 0;
  };
  static Args args;

  CLI::App* dbt = ingest->add_subcommand("dbt", "Ingest dbt artifacts (manifest v7-v12)");
  dbt->add_option("--manifest", args.manifest, "target/manifest.json")->required();
  dbt->add_option("--catalog", args.catalog, "target/catalog.json (column types)");
  dbt->add_option("--run-results", args.run_results, "target/run_results.json (test results)");
  dbt->add_option("--platform", args.platform, "Platform instead of the adapter type's");
  dbt->add_option("--repository", args.repository, "Repository URL for sourceCode");
  dbt->add_option("--commit", args.commit, "Commit for sourceCode");
  dbt->add_option("--path-prefix", args.path_prefix, "Folder of the dbt project in the repository");
  table.AddServerOption(dbt);
  table.OnRun(dbt, [&table] {
    ingest::Mapping problems;
    ingest::DbtArtifacts artifacts;
    artifacts.manifest_path = args.manifest;
    if (!ReadFile(args.manifest, &artifacts.manifest, &problems)) {
      std::cerr << "tidemark: " << args.manifest << " cannot be read\n";
      return 2;
    }
    if (!args.catalog.empty() && ReadFile(args.catalog, &artifacts.catalog, &problems)) {
      artifacts.catalog_path = args.catalog;
    }
    if (!args.run_results.empty() &&
        ReadFile(args.run_results, &artifacts.run_results, &problems)) {
      artifacts.run_results_path = args.run_results;
    }
    ingest::DbtOptions options{.platform = args.platform,
                               .repository = args.repository,
                               .commit = args.commit,
                               .path_prefix = args.path_prefix};
    auto mapping = ingest::MapDbtArtifacts(artifacts, options);
    if (!mapping.ok()) {
      std::cerr << "tidemark: " << mapping.status().message() << "\n";
      return 2;
    }
    mapping->Append(std::move(problems));
    return SendRun(table.server_url(), "dbt", args.manifest, *mapping);
  });

  CLI::App* pg = ingest->add_subcommand("postgres", "Crawl a PostgreSQL database");
  pg->add_option("conninfo", args.conninfo, "postgresql://user@host:port/db")->required();
  pg->add_option("--schema", args.schemas, "Only these schemas (repeatable)");
  pg->add_option("--sample-rows", args.sample_rows,
                 "Read N rows per table for classification (values are never stored)")
      ->check(CLI::Range(0, 10000));
  table.AddServerOption(pg);
  table.OnRun(pg, [&table] {
    ingest::PostgresCrawlOptions options;
    options.schemas = args.schemas;
    options.sample_rows = args.sample_rows;
    // Samples stay in memory only until they are sent to the classifier; they are never written.
    std::vector<ingest::PostgresSample> samples;
    options.sample_sink = [&samples](const ingest::PostgresSample& s) { samples.push_back(s); };
    auto mapping = ingest::CrawlPostgres(args.conninfo, options);
    if (!mapping.ok()) {
      std::cerr << "tidemark: " << mapping.status().message() << "\n";
      return 1;
    }
    int code =
        SendRun(table.server_url(), "postgres", ingest::RedactConninfo(args.conninfo), *mapping);
    if (code != 0 || samples.empty()) return code;
    return ClassifySamples(table.server_url(), samples);
  });
}

}  // namespace tidemark::tools
