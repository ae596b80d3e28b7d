// Registration of the dbt-specific aspect `dbtAssertions` (tidemark.v1.DbtAssertions, on
// datasets): the dbt tests that check a dataset. Call once at start-up, before the catalog opens.
//
// Thread-safety: stateless.
#pragma once

#include "absl/status/status.h"
#include "catalog/aspect_registry.h"

namespace tidemark::ingest {

inline constexpr char kDbtAssertionsAspect[] = "dbtAssertions";

absl::Status RegisterDbtAspects(catalog::AspectRegistry& registry);

}  // namespace tidemark::ingest
