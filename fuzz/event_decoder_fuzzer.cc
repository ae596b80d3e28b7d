// libFuzzer target for the query-engine event decoders: the first byte picks the decoder (modulo 3:
// 0 OpenLineage, 1 Trino's QueryCompletedEvent, 2 Starburst event-logger history rows), the rest
// is the JSON body. Each input is decoded
// and mapped all the way into a fresh in-memory catalog (with the lineage hooks and the SQL parser
// attached, as in the server), so the facet and column-lineage mappers, lineage merging and usage
// are fuzzed too. Every input must end as a result or a clean error — no crash, leak, overflow or
// hang — and an accepted OpenLineage body must decode again event by event.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "catalog/aspect_registry.h"
#include "catalog/catalog_service.h"
#include "ingest/openlineage/json_fields.h"
#include "ingest/openlineage/openlineage_event.h"
#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/trino/starburst_history.h"
#include "ingest/trino/trino_event.h"
#include "ingest/usage/sql_parser_adapter.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "storage/kv_store.h"

namespace {

namespace ingest = tidemark::ingest;

std::shared_ptr<const tidemark::catalog::AspectRegistry> Registry() {
  static const auto* const kRegistry = [] {
    std::shared_ptr<tidemark::catalog::AspectRegistry> registry =
        tidemark::catalog::AspectRegistry::WithCatalogAspects();
    if (!tidemark::lineage::RegisterLineageAspects(*registry).ok() ||
        !ingest::RegisterEngineAspects(*registry).ok()) {
      __builtin_trap();
    }
    return new std::shared_ptr<const tidemark::catalog::AspectRegistry>(std::move(registry));
  }();
  return *kRegistry;
}

// Decodes every event of an accepted body again on its own: what the ingestor took as a whole
// must decode event by event.
void CheckDecodes(std::string_view body) {
  auto parsed = ingest::ParseJsonDocument(body, "OpenLineage event");
  if (!parsed.ok()) __builtin_trap();
  const boost::json::value& doc = *parsed;
  if (doc.is_array()) {
    for (const auto& event : doc.get_array()) {
      if (!ingest::DecodeOpenLineageEvent(event, "").ok()) __builtin_trap();
    }
  } else if (!ingest::DecodeOpenLineageEvent(doc, "").ok()) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto catalog =
      tidemark::catalog::CatalogService::Open(tidemark::storage::NewMemoryStore(), Registry());
  if (!catalog.ok()) __builtin_trap();
  auto lineage = tidemark::lineage::LineageService::Attach(**catalog);
  if (!lineage.ok()) __builtin_trap();
  const tidemark::catalog::WriteOrigin origin{.actor = "urn:li:corpuser:fuzz"};
  if (data[0] % 3 == 0) {
    ingest::OpenLineageIngestOptions options;
    options.sql_parser = ingest::MakeSqlLineageParser(catalog->get());
    ingest::OpenLineageIngestor ingestor(**catalog, options);
    auto result = ingestor.IngestJson(body, origin);
    if (result.ok()) CheckDecodes(body);
  } else if (data[0] % 3 == 1) {
    ingest::TrinoEventIngestor ingestor(**catalog);
    (void)ingestor.IngestJson(body, origin);
  } else {
    ingest::StarburstHistoryOptions options;
    options.parser = ingest::MakeSqlLineageParser(catalog->get());
    ingest::StarburstHistoryIngestor ingestor(**catalog, options);
    (void)ingestor.IngestJson(body, origin);
  }
  return 0;
}
