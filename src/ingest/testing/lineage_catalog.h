// Test helper for ingest unit tests: an in-memory catalog with the catalog and lineage aspects
// registered (plus whatever `register_more` adds) and the lineage service attached, the way the
// server assembles them. Header-only; tests only. Depends on nothing above ingest/runs.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "catalog/aspect_registry.h"
#include "catalog/catalog_service.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "storage/kv_store.h"

namespace tidemark::ingest {

struct TestLineageCatalog {
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<lineage::LineageService> lineage;  // attached to `catalog`
};

inline absl::StatusOr<TestLineageCatalog> OpenTestLineageCatalog(
    const common::Clock* clock = &common::Clock::Real(),
    const std::function<absl::Status(catalog::AspectRegistry&)>& register_more = nullptr) {
  std::shared_ptr<catalog::AspectRegistry> registry = catalog::AspectRegistry::WithCatalogAspects();
  RETURN_IF_ERROR(lineage::RegisterLineageAspects(*registry));
  if (register_more) RETURN_IF_ERROR(register_more(*registry));
  TestLineageCatalog out;
  ASSIGN_OR_RETURN(out.catalog, catalog::CatalogService::Open(storage::NewMemoryStore(),
                                                              std::move(registry), clock));
  ASSIGN_OR_RETURN(out.lineage, lineage::LineageService::Attach(*out.catalog));
  return out;
}

}  // namespace tidemark::ingest
