// StagedWrites: see staged_writes.h.
#include "ingest/openlineage/staged_writes.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace tidemark::ingest {
namespace {

std::string Key(const common::Urn& urn, std::string_view aspect) {
  std::string key = urn.ToString();
  key.push_back('\n');
  key.append(aspect);
  return key;
}

}  // namespace

std::mutex& IngestWriteMutex() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}

StagedWrites::StagedWrites(catalog::CatalogService& catalog)
    : lock_(IngestWriteMutex()), catalog_(catalog) {}

absl::StatusOr<const StagedWrites::Stored*> StagedWrites::Load(const common::Urn& urn,
                                                               std::string_view aspect) {
  const std::string key = Key(urn, aspect);
  if (auto it = stored_.find(key); it != stored_.end()) return &it->second;
  Stored stored;
  auto latest = catalog_.GetAspect(urn, aspect);
  if (latest.ok()) {
    stored.value = latest->value;
    stored.source = latest->written.source();
  } else if (!absl::IsNotFound(latest.status())) {
    return latest.status();
  }
  return &stored_.emplace(key, std::move(stored)).first->second;
}

absl::StatusOr<StagedWrites::MessagePtr> StagedWrites::Get(const common::Urn& urn,
                                                           std::string_view aspect) {
  if (auto it = staged_.find(Key(urn, aspect)); it != staged_.end()) return it->second.value;
  ASSIGN_OR_RETURN(const Stored* stored, Load(urn, aspect));
  return stored->value;
}

absl::StatusOr<v1::SourceKind> StagedWrites::StoredSource(const common::Urn& urn,
                                                          std::string_view aspect) {
  ASSIGN_OR_RETURN(const Stored* stored, Load(urn, aspect));
  return stored->source;
}

absl::Status StagedWrites::Put(const common::Urn& urn, std::string_view aspect,
                               std::unique_ptr<google::protobuf::Message> value) {
  auto spec = catalog_.registry().Check(urn, aspect);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(urn.ToString(), ": ", spec.status().message()));
  }
  if ((*spec)->normalize) {
    absl::Status s = (*spec)->normalize(urn, *value);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(urn.ToString(), " ", std::string(aspect), ": ", s.message()));
    }
  }
  const std::string key = Key(urn, aspect);
  auto [it, inserted] = staged_.try_emplace(key, Entry{urn, std::string(aspect), nullptr, 0});
  undo_.push_back(Undo{key, inserted ? std::nullopt : std::optional<Entry>(it->second)});
  if (inserted) it->second.order = next_order_++;
  it->second.value = MessagePtr(std::move(value));
  return absl::OkStatus();
}

void StagedWrites::Restore(Checkpoint checkpoint) {
  while (undo_.size() > checkpoint) {
    Undo& undo = undo_.back();
    if (undo.previous) {
      staged_.insert_or_assign(undo.key, *std::move(undo.previous));
    } else {
      staged_.erase(undo.key);
    }
    undo_.pop_back();
  }
}

absl::StatusOr<CommitSummary> StagedWrites::Commit(const catalog::WriteOrigin& origin) {
  CommitSummary summary;
  if (staged_.empty()) return summary;
  std::vector<const Entry*> ordered;
  ordered.reserve(staged_.size());
  for (const auto& [key, entry] : staged_) ordered.push_back(&entry);
  std::sort(ordered.begin(), ordered.end(),
            [](const Entry* a, const Entry* b) { return a->order < b->order; });
  std::vector<catalog::AspectWrite> writes;
  writes.reserve(ordered.size());
  for (const Entry* e : ordered) {
    std::unique_ptr<google::protobuf::Message> copy(e->value->New());
    copy->CopyFrom(*e->value);
    writes.push_back({e->urn, e->aspect, std::move(copy)});
  }
  ASSIGN_OR_RETURN(auto results, catalog_.Write(std::move(writes), origin));
  for (const auto& r : results) {
    if (r.unchanged) {
      ++summary.unchanged;
    } else {
      ++summary.written;
      summary.written_keys.push_back(absl::StrCat(r.aspect.urn.ToString(), " ", r.aspect.aspect));
    }
  }
  staged_.clear();
  stored_.clear();
  undo_.clear();
  return summary;
}

}  // namespace tidemark::ingest
