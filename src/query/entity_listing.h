// Entity listing with filters and cursor paging, read from the catalog's secondary indexes.
//
// The most selective filter given picks the index to scan (owner, tag, term, platform, type); the
// others are checked per entity with point lookups. Cursors are opaque (web-safe base64 of the last
// URN returned) and stable under concurrent writes: a page never repeats or skips an entity that
// existed for the whole listing. Soft-deleted entities are left out unless include_removed is set.
// Thread-safe (reads only).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"

namespace tidemark::query {

struct ListQuery {
  std::string type;      // entity type; required unless owner/tag/term is given
  std::string platform;  // platform name, e.g. "trino"
  std::string owner;     // corpuser/corpGroup URN
  std::string tag;       // tag URN
  std::string term;      // glossaryTerm URN
  std::string review;    // classification review state: pending_review or accepted
  bool include_removed = false;
  int limit = 50;  // 1..1000
  std::string cursor;
};

struct EntitySummary {
  std::string urn;
  std::string type;
  std::string platform;
  std::string name;
  std::string description;  // the person-written description wins over the ingested one
  bool removed = false;
};

struct EntityPage {
  std::vector<EntitySummary> entities;
  std::string next_cursor;  // empty on the last page
};

absl::StatusOr<EntityPage> ListEntities(const catalog::CatalogService& catalog,
                                        const ListQuery& query);

// The name and description of an entity for listings and lineage nodes.
absl::StatusOr<EntitySummary> SummarizeEntity(const catalog::CatalogService& catalog,
                                              const common::Urn& urn);

}  // namespace tidemark::query
