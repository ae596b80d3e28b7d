// Tombstones for values people removed from globalTags / glossaryTerms; see removal_memory.h.
// Stored in the glossary's meta space as `removed \0 <urn> \0 <aspect> \0 <value>` → "<actor>
// <micros>".
#include "glossary/removal_memory.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/key_codec.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::glossary {
namespace {

namespace pb = google::protobuf;
std::string TombstoneKey(const common::Urn& urn, std::string_view aspect, std::string_view value) {
  return storage::JoinKey({"removed", urn.ToString(), aspect, value});
}

std::set<std::string> Values(std::string_view aspect, const pb::Message* message) {
  std::set<std::string> out;
  if (message == nullptr) return out;
  if (aspect == "globalTags") {
    for (const auto& t : static_cast<const v1::GlobalTags*>(message)->tags()) out.insert(t.tag());
  } else {
    for (const auto& t : static_cast<const v1::GlossaryTerms*>(message)->terms())
      out.insert(t.urn());
  }
  return out;
}

// Removes the associations whose value is in `drop` from an automated write.
void Filter(std::string_view aspect, const std::set<std::string>& drop, pb::Message& message) {
  if (drop.empty()) return;
  if (aspect == "globalTags") {
    auto* tags = static_cast<v1::GlobalTags&>(message).mutable_tags();
    for (int i = tags->size() - 1; i >= 0; --i) {
      if (drop.contains(tags->Get(i).tag())) tags->DeleteSubrange(i, 1);
    }
  } else {
    auto* terms = static_cast<v1::GlossaryTerms&>(message).mutable_terms();
    for (int i = terms->size() - 1; i >= 0; --i) {
      if (drop.contains(terms->Get(i).urn())) terms->DeleteSubrange(i, 1);
    }
  }
}

absl::Status BeforeWrite(const catalog::KeySpace& meta, std::string_view aspect,
                         const common::Urn& urn, const pb::Message* previous, pb::Message& value,
                         catalog::WriteTransaction& txn) {
  const v1::WriteContext& context = txn.context();
  const std::set<std::string> before = Values(aspect, previous);
  const std::set<std::string> after = Values(aspect, &value);
  if (context.source() == v1::MANUAL) {
    for (const std::string& v : before) {
      if (!after.contains(v)) {
        meta.Put(txn, TombstoneKey(urn, aspect, v),
                 absl::StrCat(context.actor(), " ", context.time_micros()));
      }
    }
    for (const std::string& v : after) {
      if (!before.contains(v)) meta.Delete(txn, TombstoneKey(urn, aspect, v));
    }
    return absl::OkStatus();
  }
  std::set<std::string> drop;
  for (const std::string& v : after) {
    ASSIGN_OR_RETURN(auto tombstone, meta.Get(TombstoneKey(urn, aspect, v)));
    if (tombstone.has_value()) drop.insert(v);
  }
  Filter(aspect, drop, value);
  return absl::OkStatus();
}

}  // namespace

void AttachRemovalMemory(catalog::CatalogService& catalog) {
  const catalog::KeySpace meta = catalog.Meta(kGlossaryMetaSpace);
  for (const char* aspect : {"globalTags", "glossaryTerms"}) {
    catalog::AspectHook hook;
    hook.before_write = [meta, aspect](const common::Urn& urn, const pb::Message* previous,
                                       pb::Message& value, catalog::WriteTransaction& txn) {
      return BeforeWrite(meta, aspect, urn, previous, value, txn);
    };
    // A purged entity's tombstones go with it.
    hook.before_purge = [meta, aspect](const common::Urn& urn, const pb::Message&,
                                       catalog::WriteTransaction& txn) {
      return meta.Scan(storage::KeyPrefix({"removed", urn.ToString(), aspect}), "",
                       [&](std::string_view key, std::string_view) {
                         meta.Delete(txn, key);
                         return true;
                       });
    };
    catalog.AddHook(aspect, std::move(hook));
  }
}

}  // namespace tidemark::glossary
