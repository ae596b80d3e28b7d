// Routes of the query-engine ingest sources (src/ingest/openlineage, trino, usage):
//
//   POST /api/v1/lineage                          OpenLineage RunEvent / DatasetEvent / JobEvent,
//                                                 one or a JSON array (Marquez's endpoint, so
//                                                 Spark, Airflow, dbt, Flink, Trino's OpenLineage
//                                                 listener can point at tidemark unchanged)
//   POST /api/v1/ingest/trino/query-completed     Trino HTTP event listener QueryCompletedEvent(s)
//   POST /api/v1/ingest/query-log                 {"queries":[{sql, user, timestamp, ...}]}
//   POST /api/v1/ingest/starburst/query-history   Starburst event-logger history rows (usage only)
//
// Events are all or nothing: any bad event → 400 naming it, nothing written; 201 when something
// was written, 200 when everything was already stored (re-delivery). Query-log batches report
// parsed / failed / skipped records with the index and reason of each failure. Writes are
// attributed to the caller (X-Tidemark-User) with source openlineage / trino / sql. Query-history
// batches report recorded / skipped / failed rows like query-log batches; with X-Tidemark-Run-Id
// naming an open ingest run, the batch's counts and row problems are added to that run.
//
// The catalog is borrowed and must outlive the router. Handlers are thread-safe.
#pragma once

#include <memory>

#include "catalog/catalog_service.h"
#include "ingest/runs/run_store.h"
#include "server/router.h"

namespace tidemark::server {

// `runs`: the server's one run store (see AddIngestCodeRoutes).
void AddIngestEngineRoutes(Router& router, catalog::CatalogService& catalog,
                           std::shared_ptr<ingest::RunStore> runs);

}  // namespace tidemark::server
