// App: one running tidemark — the RocksDB store, the aspect registry, the catalog, the lineage
// index, the router with every route, and the HTTP server — assembled in one place for
// `tidemark serve` and for integration tests that start the real server on an ephemeral port.
// Not copyable; Start/Stop from one thread.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "server/http_server.h"

namespace tidemark::lineage {
class LineageService;
}

namespace tidemark::server {

struct AppOptions {
  std::string data_dir;
  ServerOptions server;
  bool sync_writes = true;
  // A batch file ({"writes":[...]}) loaded when the store is empty (the demo catalog).
  std::string seed_file;
  // A dataset alias table ({"aliases": {"<alias urn>": "<canonical urn>"}}) installed as the
  // process-wide lineage::DatasetAliases before anything is opened or ingested; empty leaves the
  // process-wide table as it is.
  std::string aliases_file;
  // One line per request on stderr (AccessLogMiddleware); off by default.
  bool access_log = false;
};

class App {
 public:
  static absl::StatusOr<std::unique_ptr<App>> Open(const AppOptions& options);
  ~App();

  // Starts serving; returns the bound port.
  absl::StatusOr<uint16_t> Start();
  void Stop();
  void Wait();

  catalog::CatalogService& catalog();
  lineage::LineageService& lineage();
  // Number of writes the seed file produced (0 when the store was not empty or no seed was given).
  size_t seeded_writes() const;

 private:
  struct State;
  explicit App(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Writes a consistent copy of the store in `data_dir` to `backup_dir` (the server must not be
// running on it). A server started with --data-dir backup_dir serves the restored catalog.
absl::Status BackupStore(const std::string& data_dir, const std::string& backup_dir);

}  // namespace tidemark::server
