// Entity listing; see entity_listing.h.
#include "query/entity_listing.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::query {

using common::Urn;

absl::StatusOr<EntitySummary> SummarizeEntity(const catalog::CatalogService& catalog,
                                              const Urn& urn) {
  EntitySummary s;
  s.urn = urn.ToString();
  s.type = urn.entity_type();
  s.platform = urn.PlatformName();
  s.name = urn.entity_type() == "dataset" ? urn.DatasetName() : urn.components().back();
  ASSIGN_OR_RETURN(s.removed, catalog.IsRemoved(urn));
  if (urn.entity_type() == "dataset") {
    if (auto props = catalog.GetAspect(urn, "datasetProperties"); props.ok()) {
      const auto& p = static_cast<const v1::DatasetProperties&>(*props->value);
      if (!p.name().empty()) s.name = p.name();
      s.description = p.description();
    }
    if (auto editable = catalog.GetAspect(urn, "editableProperties"); editable.ok()) {
      const auto& e = static_cast<const v1::EditableDatasetProperties&>(*editable->value);
      if (!e.description().empty()) s.description = e.description();
    }
  }
  return s;
}

absl::StatusOr<EntityPage> ListEntities(const catalog::CatalogService& catalog,
                                        const ListQuery& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be between 1 and 1000, got ", query.limit));
  }
  if (query.type.empty() && query.owner.empty() && query.tag.empty() && query.term.empty() &&
      query.review.empty()) {
    return absl::InvalidArgumentError(
        "give a type (e.g. type=dataset), an owner, a tag, a term or a review state");
  }
  if (!query.review.empty() && query.review != "pending_review" && query.review != "accepted") {
    return absl::InvalidArgumentError("review must be pending_review or accepted");
  }
  if (!query.platform.empty() && query.type.empty()) {
    return absl::InvalidArgumentError("platform filters need a type (e.g. type=dataset)");
  }
  std::string after;
  if (!query.cursor.empty() && !absl::WebSafeBase64Unescape(query.cursor, &after)) {
    return absl::InvalidArgumentError("cursor is not one this server returned");
  }
  // Scan the most selective index; check the other filters per entity.
  std::string index, value;
  if (!query.owner.empty()) {
    index = "owner", value = query.owner;
  } else if (!query.tag.empty()) {
    index = "tag", value = query.tag;
  } else if (!query.term.empty()) {
    index = "term", value = query.term;
  } else if (!query.review.empty()) {
    // Kept by the glossary module: datasets whose classified columns wait for (or had) review.
    index = "glossaryReview", value = query.review;
  } else if (!query.platform.empty()) {
    index = "platform." + query.type, value = query.platform;
  } else {
    index = "type", value = query.type;
  }
  // Whether `urn` has (index, value) when that filter is given and is not the scanned index.
  auto passes = [&](const std::string& filter_index, const std::string& filter_value,
                    const Urn& urn) -> absl::StatusOr<bool> {
    if (filter_value.empty() || index == filter_index) return true;
    return catalog.HasIndexEntry(filter_index, filter_value, urn);
  };
  auto matches = [&](const Urn& urn) -> absl::StatusOr<bool> {
    if (!query.type.empty() && urn.entity_type() != query.type) return false;
    if (!query.platform.empty() && urn.PlatformName() != query.platform) return false;
    for (const auto& [filter_index, filter_value] :
         {std::pair<std::string, const std::string&>{"owner", query.owner},
          {"tag", query.tag},
          {"term", query.term},
          {"glossaryReview", query.review}}) {
      ASSIGN_OR_RETURN(const bool ok, passes(filter_index, filter_value, urn));
      if (!ok) return false;
    }
    if (query.include_removed) return true;
    ASSIGN_OR_RETURN(const bool removed, catalog.IsRemoved(urn));
    return !removed;
  };

  EntityPage page;
  std::string last;
  bool exhausted = false;
  // Read the index in chunks until the page is full or the index ends.
  while (static_cast<int>(page.entities.size()) < query.limit && !exhausted) {
    const int chunk = std::max(query.limit * 2, 64);
    ASSIGN_OR_RETURN(std::vector<std::string> urns, catalog.ScanIndex(index, value, after, chunk));
    exhausted = static_cast<int>(urns.size()) < chunk;
    for (const auto& text : urns) {
      after = text;
      auto urn = Urn::Parse(text);
      if (!urn.ok()) continue;
      ASSIGN_OR_RETURN(const bool match, matches(*urn));
      if (!match) continue;
      ASSIGN_OR_RETURN(EntitySummary summary, SummarizeEntity(catalog, *urn));
      page.entities.push_back(std::move(summary));
      last = text;
      if (static_cast<int>(page.entities.size()) == query.limit) break;
    }
  }
  if (static_cast<int>(page.entities.size()) == query.limit) {
    // Only promise another page when one exists.
    ASSIGN_OR_RETURN(std::vector<std::string> more, catalog.ScanIndex(index, value, last, 1));
    if (!more.empty()) page.next_cursor = absl::WebSafeBase64Escape(last);
  }
  return page;
}

}  // namespace tidemark::query
