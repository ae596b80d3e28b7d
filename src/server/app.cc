// App assembly: store → registry → catalog → lineage → routes → server.
#include "server/app.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "glossary/glossary_aspects.h"
#include "glossary/glossary_service.h"
#include "ingest/dbt/dbt_aspects.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/runs/run_store.h"
#include "ingest/usage/usage_ranking.h"
#include "lineage/dataset_aliases.h"
#include "lineage/lineage_service.h"
#include "query/assignment_view.h"
#include "server/glossary_lineage_adapter.h"
#include "server/handlers_entities.h"
#include "server/handlers_glossary.h"
#include "server/handlers_ingest_code.h"
#include "server/handlers_ingest_engine.h"
#include "server/handlers_lineage.h"
#include "server/handlers_usage.h"
#include "server/metrics.h"
#include "server/middleware.h"
#include "server/router.h"

namespace tidemark::server {

struct App::State {
  std::shared_ptr<storage::KvStore> store;
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<lineage::LineageService> lineage;
  std::unique_ptr<LineageColumnEdges> glossary_edges;
  std::unique_ptr<glossary::GlossaryService> glossary;
  std::unique_ptr<PropagationLoop> propagation;
  Router router;
  Metrics metrics;
  std::unique_ptr<HttpServer> server;
  size_t seeded_writes = 0;
};

namespace {

absl::StatusOr<size_t> LoadSeedIfEmpty(catalog::CatalogService& catalog, const std::string& path) {
  ASSIGN_OR_RETURN(auto page, catalog.ReadChanges(0, 1));
  if (page.latest_seq != 0) return 0;
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("seed file ", path, " cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  auto writes = ParseBatchWrites(catalog.registry(), text.str(), 1 << 20);
  if (!writes.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", writes.status().message()));
  size_t count = writes->size();
  RETURN_IF_ERROR(
      catalog
          .Write(*std::move(writes),
                 {.actor = "urn:li:corpuser:tidemark", .source = v1::DEMO, .run_id = "seed"})
          .status());
  return count;
}

// The server's load counters, for operators watching hostile load. The server outlives every
// render: State destroys it before the metrics.
void AddServerGauges(Metrics& metrics, const HttpServer& server) {
  const HttpServer* s = &server;
  metrics.AddGauge("tidemark_http_connections", "Open client connections",
                   [s] { return static_cast<double>(s->stats().connections); });
  metrics.AddGauge("tidemark_http_pending_response_bytes",
                   "Bytes held for responses not yet sent (all connections)",
                   [s] { return static_cast<double>(s->stats().pending_bytes); });
  metrics.AddGauge("tidemark_http_worker_queue", "Write requests waiting for a worker thread",
                   [s] { return static_cast<double>(s->stats().worker_queue); });
  metrics.AddGauge("tidemark_http_rejected_connections",
                   "Connections answered 503 because max_connections were open (since start)",
                   [s] { return static_cast<double>(s->stats().rejected_connections); });
  metrics.AddGauge("tidemark_http_rejected_busy",
                   "Requests answered 503 because the worker queue was full (since start)",
                   [s] { return static_cast<double>(s->stats().rejected_busy); });
  metrics.AddGauge("tidemark_http_accept_backoffs",
                   "Times accepting paused for lack of file descriptors (since start)",
                   [s] { return static_cast<double>(s->stats().accept_backoffs); });
}

}  // namespace

App::App(std::unique_ptr<State> state) : state_(std::move(state)) {}
App::~App() { Stop(); }

absl::StatusOr<std::unique_ptr<App>> App::Open(const AppOptions& options) {
  // Aliases first: a bad file fails start-up before the store is touched, and no write can be
  // resolved without them.
  if (!options.aliases_file.empty()) {
    ASSIGN_OR_RETURN(lineage::DatasetAliases aliases,
                     lineage::DatasetAliases::LoadFile(options.aliases_file));
    lineage::DatasetAliases::SetGlobal(
        std::make_shared<const lineage::DatasetAliases>(std::move(aliases)));
  }
  auto state = std::make_unique<State>();
  ASSIGN_OR_RETURN(
      std::unique_ptr<storage::KvStore> store,
      storage::OpenRocksDbStore(options.data_dir, {.sync_writes = options.sync_writes}));
  state->store = std::move(store);
  std::shared_ptr<catalog::AspectRegistry> registry = catalog::AspectRegistry::WithCatalogAspects();
  RETURN_IF_ERROR(lineage::RegisterLineageAspects(*registry));
  RETURN_IF_ERROR(ingest::RegisterDbtAspects(*registry));
  RETURN_IF_ERROR(ingest::RegisterEngineAspects(*registry));
  RETURN_IF_ERROR(glossary::RegisterGlossaryAspects(*registry));
  ASSIGN_OR_RETURN(state->catalog, catalog::CatalogService::Open(state->store, registry));
  ASSIGN_OR_RETURN(state->lineage, lineage::LineageService::Attach(*state->catalog));
  state->glossary_edges = std::make_unique<LineageColumnEdges>(*state->lineage);
  ASSIGN_OR_RETURN(state->glossary,
                   glossary::GlossaryService::Attach(*state->catalog, state->glossary_edges.get()));
  // Before the seed: seeded datasetUsage is ranked like any other write.
  RETURN_IF_ERROR(ingest::AttachUsageRanking(*state->catalog).status());
  state->propagation = std::make_unique<PropagationLoop>(state->glossary->propagator());
  // Lineage changes wake propagation at once instead of at its next tick.
  for (const char* aspect : {"upstreamLineage", "dataJobInputOutput"}) {
    state->catalog->AddHook(
        aspect, {.after_commit = [loop = state->propagation.get()](const auto&, const auto&) {
          loop->Poke();
        }});
  }
  if (!options.seed_file.empty()) {
    ASSIGN_OR_RETURN(state->seeded_writes, LoadSeedIfEmpty(*state->catalog, options.seed_file));
  }
  EntityRouteOptions entity_options;
  // A column has no aspects of its own: its view is its glossary assignments, direct and
  // propagated.
  entity_options.field_view = [catalog = state->catalog.get()](const common::Urn& field) {
    return query::SchemaFieldJson(*catalog, field);
  };
  AddEntityRoutes(state->router, *state->catalog, entity_options);
  AddLineageRoutes(state->router, *state->lineage, *state->catalog);
  auto runs = std::make_shared<ingest::RunStore>(state->catalog->Meta(ingest::kIngestMetaSpace));
  AddIngestCodeRoutes(state->router, *state->catalog, runs);
  AddIngestEngineRoutes(state->router, *state->catalog, runs);
  AddUsageRoutes(state->router, *state->catalog);
  AddGlossaryRoutes(state->router, *state->glossary);
  AddServiceRoutes(state->router, *state->catalog, state->metrics);
  if (options.access_log) state->router.Use(AccessLogMiddleware());
  state->server = std::make_unique<HttpServer>(options.server, &state->router, &state->metrics);
  AddServerGauges(state->metrics, *state->server);
  return std::unique_ptr<App>(new App(std::move(state)));
}

absl::StatusOr<uint16_t> App::Start() {
  state_->propagation->Start();
  return state_->server->Start();
}
void App::Stop() {
  if (state_ && state_->server) state_->server->Stop();
  if (state_ && state_->propagation) state_->propagation->Stop();
}
void App::Wait() { state_->server->Wait(); }
catalog::CatalogService& App::catalog() { return *state_->catalog; }
lineage::LineageService& App::lineage() { return *state_->lineage; }
size_t App::seeded_writes() const { return state_->seeded_writes; }

absl::Status BackupStore(const std::string& data_dir, const std::string& backup_dir) {
  ASSIGN_OR_RETURN(auto store, storage::OpenRocksDbStore(data_dir, {.create_if_missing = false}));
  return store->Checkpoint(backup_dir);
}

}  // namespace tidemark::server
