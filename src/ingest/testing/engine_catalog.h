// Test helper for the query-engine ingest unit tests (OpenLineage, Trino, query logs, Starburst
// history): an in-memory catalog with the catalog, lineage and engine aspects registered and the
// lineage service attached, the way the server assembles them. Header-only; tests only.
#pragma once

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "catalog/aspect_registry.h"
#include "catalog/catalog_service.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "storage/kv_store.h"

namespace tidemark::ingest {

struct TestEngineCatalog {
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<lineage::LineageService> lineage;  // attached to `catalog`
};

inline absl::StatusOr<TestEngineCatalog> OpenTestEngineCatalog(
    const common::Clock* clock = &common::Clock::Real()) {
  std::shared_ptr<catalog::AspectRegistry> registry = catalog::AspectRegistry::WithCatalogAspects();
  RETURN_IF_ERROR(lineage::RegisterLineageAspects(*registry));
  RETURN_IF_ERROR(RegisterEngineAspects(*registry));
  TestEngineCatalog out;
  ASSIGN_OR_RETURN(out.catalog, catalog::CatalogService::Open(storage::NewMemoryStore(),
                                                              std::move(registry), clock));
  ASSIGN_OR_RETURN(out.lineage, lineage::LineageService::Attach(*out.catalog));
  return out;
}

}  // namespace tidemark::ingest
