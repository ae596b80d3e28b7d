// Test helper for the query-engine ingest unit tests (OpenLineage, Trino, query logs, Starburst
// history): an in-memory catalog with the catalog, lineage and engine aspects registered and the
// lineage service attached, the way the server assembles them. Header-only; tests only.
#pragma once

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/testing/lineage_catalog.h"

namespace tidemark::ingest {

using TestEngineCatalog = TestLineageCatalog;

inline absl::StatusOr<TestEngineCatalog> OpenTestEngineCatalog(
    const common::Clock* clock = &common::Clock::Real()) {
  return OpenTestLineageCatalog(clock, RegisterEngineAspects);
}

}  // namespace tidemark::ingest
