// tidemark: `serve` runs the catalog server; get / put / lineage / backup are its command-line
// clients. Flags are parsed with CLI11.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "absl/strings/numbers.h"
#include "cli.h"
#include "cli_commands.h"
#include "cli_glossary.h"
#include "cli_ingest_code.h"
#include "cli_ingest_query.h"
#include "cli_ingest_repo.h"
#include "cli_sql.h"
#include "cli_usage.h"
#include "cli_usage_starburst.h"
#include "server/app.h"

namespace {

// "127.0.0.1:8080" or "[::1]:8080" -> address, port.
bool ParseListen(const std::string& listen, std::string* address, uint16_t* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  uint32_t p = 0;
  if (host.empty() || !absl::SimpleAtoi(listen.substr(colon + 1), &p) || p > 65535) return false;
  *address = host;
  *port = static_cast<uint16_t>(p);
  return true;
}

struct ServeArgs {
  std::string data_dir = "./var/tidemark", listen = "127.0.0.1:8080", seed, aliases;
  int threads = 2;
  int workers = 3;
  size_t max_connections = 10000;
  int shutdown_grace_seconds = 10;
  size_t body_limit_mib = 16;
  bool no_fsync = false;
  bool access_log = false;
};

// The server has no authentication yet: on anything but loopback, say so loudly.
void WarnIfReachable(const std::string& address) {
  if (tidemark::server::IsLoopbackAddress(address)) return;
  std::cerr << "tidemark: WARNING: listening on " << address
            << ", which is not a loopback address.\n"
               "tidemark: WARNING: authentication is NOT enabled: every client that can reach "
               "this address can read AND write the whole catalog.\n"
               "tidemark: WARNING: listen on 127.0.0.1 or ::1 unless a trusted proxy or "
               "firewall stands in front.\n";
}

int Serve(const ServeArgs& args) {
  tidemark::server::AppOptions options;
  options.data_dir = args.data_dir;
  options.seed_file = args.seed;
  options.aliases_file = args.aliases;
  options.access_log = args.access_log;
  options.sync_writes = !args.no_fsync;
  options.server.threads = args.threads;
  options.server.worker_threads = args.workers;
  options.server.max_connections = args.max_connections;
  options.server.shutdown_grace = std::chrono::seconds(args.shutdown_grace_seconds);
  options.server.body_limit = args.body_limit_mib << 20;
  const std::string& data_dir = args.data_dir;
  const std::string& seed = args.seed;
  if (!ParseListen(args.listen, &options.server.address, &options.server.port)) {
    std::cerr
        << "tidemark: --listen must be ADDRESS:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), got '"
        << args.listen << "'\n";
    return 2;
  }
  WarnIfReachable(options.server.address);
  auto app = tidemark::server::App::Open(options);
  if (!app.ok()) {
    std::cerr << "tidemark: " << app.status().message() << "\n";
    return 1;
  }
  if ((*app)->seeded_writes() > 0) {
    std::cerr << "tidemark: loaded " << (*app)->seeded_writes() << " aspects from " << seed << "\n";
  }
  auto port = (*app)->Start();
  if (!port.ok()) {
    std::cerr << "tidemark: " << port.status().message() << "\n";
    return 1;
  }
  std::cerr << "tidemark: serving " << data_dir << " on http://"
            << (options.server.address.find(':') != std::string::npos
                    ? "[" + options.server.address + "]"
                    : options.server.address)
            << ":" << *port << std::endl;
  tidemark::server::WaitForTerminationSignal();
  std::cerr << "tidemark: shutting down (finishing requests in flight for up to "
            << args.shutdown_grace_seconds << " s)\n";
  (*app)->Stop();
  std::cerr << "tidemark: stopped\n";
  return 0;
}

// The catalog's own commands: serve, get, put, lineage, backup.
void AddCatalogCommands(tidemark::tools::CommandTable& table) {
  CLI::App& cli = table.root();
  struct Args {
    ServeArgs serve;
    std::string urn, aspect, file, user = "cli", source, to, offline_dir;
    bool up = false, down = false;
    tidemark::tools::LineageArgs lineage;
  };
  static Args args;

  auto* serve = cli.add_subcommand("serve", "Run the catalog server");
  ServeArgs& s = args.serve;
  serve->add_option("--data-dir", s.data_dir, "RocksDB directory (created if missing)");
  serve->add_option("--listen", s.listen,
                    "ADDRESS:PORT to listen on (port 0: any free port). There is no "
                    "authentication: keep it on loopback");
  serve->add_option("--threads", s.threads, "I/O threads")->check(CLI::Range(1, 256));
  serve
      ->add_option("--workers", s.workers,
                   "Worker threads for writes (PUT/POST/DELETE/PATCH), off the I/O threads")
      ->check(CLI::Range(1, 256));
  serve
      ->add_option("--max-connections", s.max_connections,
                   "Open connections; more are answered 503 and closed")
      ->check(CLI::Range(1, 1000000));
  serve
      ->add_option("--shutdown-grace-seconds", s.shutdown_grace_seconds,
                   "On SIGTERM/SIGINT, time given to requests in flight before closing")
      ->check(CLI::Range(0, 3600));
  serve->add_option("--seed", s.seed, "Batch JSON file loaded when the store is empty (demo data)");
  serve
      ->add_option(
          "--aliases", s.aliases,
          "Dataset alias table: JSON {\"aliases\": {\"<alias urn>\": \"<canonical urn>\"}}")
      ->check(CLI::ExistingFile);
  serve->add_option("--body-limit-mib", s.body_limit_mib, "Largest request body accepted")
      ->check(CLI::Range(1, 4096));
  serve->add_flag("--access-log", s.access_log,
                  "Log one line per request to stderr (method, target, status, bytes, time)");
  serve->add_flag(
      "--no-fsync", s.no_fsync,
      "Do not fsync the write-ahead log per write (survives process crashes, not machine crashes)");
  table.OnRun(serve, [] { return Serve(args.serve); });

  auto* get = cli.add_subcommand("get", "Print an entity (or one aspect) as JSON");
  get->add_option("urn", args.urn, "Entity URN")->required();
  get->add_option("--aspect", args.aspect, "Only this aspect");
  table.AddServerOption(get);
  table.OnRun(get, [&table] {
    return tidemark::tools::GetCommand(table.server_url(), args.urn, args.aspect);
  });

  auto* put = cli.add_subcommand("put", "Write one aspect from a JSON file");
  put->add_option("urn", args.urn, "Entity URN")->required();
  put->add_option("aspect", args.aspect, "Aspect name, e.g. datasetProperties")->required();
  put->add_option("file", args.file, "JSON file with the aspect value")
      ->required()
      ->check(CLI::ExistingFile);
  put->add_option("--user", args.user, "Caller recorded in version history");
  put->add_option("--source", args.source, "Source kind (manual, openlineage, dbt, ...)");
  table.AddServerOption(put);
  table.OnRun(put, [&table] {
    return tidemark::tools::PutCommand(table.server_url(), args.urn, args.aspect, args.file,
                                       args.user, args.source);
  });

  auto* lineage = cli.add_subcommand("lineage", "Print upstream or downstream lineage as a tree");
  lineage->add_option("urn", args.lineage.urn, "Dataset or schemaField URN")->required();
  lineage->add_flag("--up", args.up, "Upstream (default)");
  lineage->add_flag("--down", args.down, "Downstream");
  lineage->add_option("--depth", args.lineage.depth, "Hops (-1: unlimited)")
      ->check(CLI::Range(-1, 1000));
  lineage->add_flag("--columns", args.lineage.columns, "Column-level lineage");
  table.AddServerOption(lineage);
  table.OnRun(lineage, [&table] {
    if (args.up && args.down) {
      std::cerr << "tidemark: give --up or --down, not both\n";
      return 2;
    }
    args.lineage.direction = args.down ? "downstream" : "upstream";
    return tidemark::tools::LineageCommand(table.server_url(), args.lineage);
  });

  auto* backup = cli.add_subcommand("backup", "Write a consistent checkpoint of the store");
  backup->add_option("--to", args.to, "New directory for the backup")->required();
  backup->add_option("--data-dir", args.offline_dir,
                     "Back up this store directly (server not running)");
  table.AddServerOption(backup);
  table.OnRun(backup, [&table] {
    if (args.offline_dir.empty())
      return tidemark::tools::BackupViaServer(table.server_url(), args.to);
    absl::Status s = tidemark::server::BackupStore(args.offline_dir, args.to);
    if (!s.ok()) {
      std::cerr << "tidemark: " << s.message() << "\n";
      return 1;
    }
    std::cout << "backup written to " << args.to << "\n";
    return 0;
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"tidemark: metadata catalog and lineage graph service"};
  cli.require_subcommand(1);
  tidemark::tools::CommandTable table(cli);
  AddCatalogCommands(table);
  tidemark::tools::AddCodeIngestCommands(table);
  tidemark::tools::AddQueryIngestCommands(table);
  tidemark::tools::AddRepoIngestCommands(table);
  tidemark::tools::AddGlossaryCommands(table);
  tidemark::tools::AddSqlCommands(table);
  tidemark::tools::AddUsageCommands(table);
  tidemark::tools::AddStarburstIngestCommands(table);
  // Other areas add theirs here (each in tools/cli_<area>.cc).
  CLI11_PARSE(cli, argc, argv);
  return table.Run();
}
