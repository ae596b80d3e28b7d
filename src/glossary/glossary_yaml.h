// Import and export of DataHub's business_glossary.yml format.
//
// Import maps nodes (nested to any depth) to glossaryNode entities with glossaryNodeInfo, terms to
// glossaryTerm entities with glossaryTermInfo and glossaryRelatedTerms (inherits → isA, contains →
// hasA, values, related_terms → relatedTo), owners to ownership (users → corpuser, groups →
// corpGroup; the top-level owners apply to nodes and terms without their own) and domain to
// domains. URN ids follow DataHub: `id` when given, else the dot-joined names from the root
// ("Shipping.FullAddress"). The top-level `source` and `url` are the default source_ref and
// source_url of terms. tidemark extensions (ignored by DataHub): synonyms, status, replaced_by.
//
// Export writes every live node and term with every field explicit (ids only when they differ from
// the name path), so import → export → import yields the same aspects. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"

namespace tidemark::glossary {

// YAML text → normalised aspect writes, in document order. InvalidArgument for malformed YAML or
// a node/term without a name, naming the line.
absl::StatusOr<std::vector<catalog::AspectWrite>> ParseGlossaryYaml(
    const catalog::AspectRegistry& registry, std::string_view yaml);

// The catalog's glossary as business_glossary.yml text, nodes and terms sorted by name.
absl::StatusOr<std::string> ExportGlossaryYaml(const catalog::CatalogService& catalog);

}  // namespace tidemark::glossary
