// Routes of ingestion runs and of the server-side dbt ingest:
//   POST /api/v1/ingest/runs                 open a run {"source":"dbt","target":"..."} → run
//   GET  /api/v1/ingest/runs                 list runs, newest first (?source=&limit=)
//   GET  /api/v1/ingest/runs/{id}            one run
//   POST /api/v1/ingest/runs/{id}/writes     {"writes":[{urn,aspect,value}]} written for the run;
//                                            bad items are recorded as run errors, not fatal
//   POST /api/v1/ingest/runs/{id}/finish     {"errors":[{path,message}],"failed":false,
//                                            "properties":{...}} → the closed run
//   GET  /api/v1/ingest/cursors/{key}        incremental state of a source (404 when none)
//   PUT  /api/v1/ingest/cursors/{key}        {"revision":"...","stateJson":"...","runId":"..."}
//   POST /api/v1/ingest/dbt                  {"manifest":{...},"catalog":{...},"run_results":{...},
//                                            "platform","repository","commit"} → the finished run
// The CLI's `tidemark ingest dbt|postgres|repo` use the run routes; the run id is the write's
// X-Tidemark-Run-Id equivalent (history and lineage provenance carry it). The run lifecycle
// itself is ingest::RunService (src/ingest/runs/run_service.h); these handlers only parse, call it
// and map the result.
#pragma once

#include <memory>

#include "catalog/catalog_service.h"
#include "ingest/runs/run_store.h"
#include "server/router.h"

namespace tidemark::server {

// `runs` is the server's one run store over the catalog's ingest meta space (shared with the
// engine routes, so that batches added to a run from either side go through one lock); the routes
// run an ingest::RunService over it.
void AddIngestCodeRoutes(Router& router, catalog::CatalogService& catalog,
                         std::shared_ptr<ingest::RunStore> runs);

}  // namespace tidemark::server
