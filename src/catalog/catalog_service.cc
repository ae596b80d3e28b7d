// CatalogService implementation: versioned aspect writes as single atomic batches, reads from the
// latest-version column family, history, soft delete, purge and the change log.
#include "catalog/catalog_service.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "catalog/internal/legacy_meta.h"
#include "catalog/internal/secondary_index.h"
#include "common/status_macros.h"
#include "storage/key_codec.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::catalog {

namespace pb = google::protobuf;
using common::Urn;
using storage::ColumnFamily;

namespace {

std::string LatestKey(const Urn& urn, std::string_view aspect) {
  return storage::JoinKey({urn.ToString(), aspect});
}
std::string HistoryPrefix(const Urn& urn, std::string_view aspect) {
  return storage::KeyPrefix({urn.ToString(), aspect});
}
std::string HistoryKey(const Urn& urn, std::string_view aspect, int64_t version) {
  std::string key = HistoryPrefix(urn, aspect);
  storage::AppendBigEndian64(&key, static_cast<uint64_t>(version));
  return key;
}

absl::StatusOr<v1::AspectRecord> ParseRecord(std::string_view bytes) {
  v1::AspectRecord record;
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("stored aspect record does not parse");
  }
  return record;
}

}  // namespace

class CatalogService::Impl {
 public:
  Impl(std::shared_ptr<storage::KvStore> store, std::shared_ptr<const AspectRegistry> registry,
       const common::Clock* clock)
      : store_(std::move(store)), registry_(std::move(registry)), clock_(clock) {}

  absl::Status LoadSequence() {
    return store_->ScanReverse(ColumnFamily::kChangeLog, "", [this](std::string_view key, auto) {
      next_seq_ = storage::ReadBigEndian64(key) + 1;
      return false;
    });
  }

  absl::StatusOr<VersionedAspect> ToVersioned(const Urn& urn, std::string_view aspect,
                                              const v1::AspectRecord& record) const {
    ASSIGN_OR_RETURN(std::unique_ptr<pb::Message> value,
                     registry_->FromBytes(aspect, record.value()));
    return VersionedAspect{urn,
                           std::string(aspect),
                           record.version(),
                           MessagePtr(std::move(value)),
                           record.written(),
                           record.change_seq()};
  }

  absl::StatusOr<std::optional<v1::AspectRecord>> LatestRecord(const Urn& urn,
                                                               std::string_view aspect) const {
    ASSIGN_OR_RETURN(auto bytes, store_->Get(ColumnFamily::kLatest, LatestKey(urn, aspect)));
    if (!bytes) return std::nullopt;
    ASSIGN_OR_RETURN(v1::AspectRecord record, ParseRecord(*bytes));
    return record;
  }

  absl::StatusOr<std::vector<WriteResult>> Write(std::vector<AspectWrite> writes,
                                                 const WriteOrigin& origin,
                                                 v1::ChangeType change_type) {
    if (writes.empty()) return std::vector<WriteResult>{};
    for (const auto& w : writes) {
      if (w.value == nullptr) return absl::InvalidArgumentError("aspect write without a value");
      RETURN_IF_ERROR(registry_->Check(w.urn, w.aspect).status());
    }
    std::lock_guard lock(write_mu_);
    WriteTransaction txn(next_batch_id_++, /*purge=*/false, ContextOf(origin));
    const v1::WriteContext& context = txn.context();
    storage::WriteBatch& batch = txn.batch();
    const uint64_t first_seq = next_seq_;
    uint64_t seq = next_seq_;
    // The state of each (urn, aspect) as this batch has left it, so repeated keys chain versions.
    std::map<std::string, std::pair<int64_t, MessagePtr>> pending;
    std::map<std::string, bool> entity_known;
    std::vector<WriteResult> results;
    results.reserve(writes.size());

    for (auto& w : writes) {
      const std::string key = LatestKey(w.urn, w.aspect);
      int64_t previous_version = 0;
      MessagePtr previous;
      std::optional<v1::AspectRecord> previous_record;
      if (auto it = pending.find(key); it != pending.end()) {
        previous_version = it->second.first;
        previous = it->second.second;
      } else {
        ASSIGN_OR_RETURN(previous_record, LatestRecord(w.urn, w.aspect));
        if (previous_record) {
          previous_version = previous_record->version();
          ASSIGN_OR_RETURN(auto parsed, registry_->FromBytes(w.aspect, previous_record->value()));
          previous = MessagePtr(std::move(parsed));
        }
      }
      if (auto hooks = hooks_.find(w.aspect); hooks != hooks_.end()) {
        for (const AspectHook& hook : hooks->second) {
          if (hook.before_write) {
            RETURN_IF_ERROR(hook.before_write(w.urn, previous.get(), *w.value, txn));
          }
        }
      }
      std::string bytes = SerializeDeterministic(*w.value);
      if (previous != nullptr && SerializeDeterministic(*previous) == bytes) {
        results.push_back({VersionedAspect{w.urn, w.aspect, previous_version, previous,
                                           previous_record ? previous_record->written() : context,
                                           previous_record ? previous_record->change_seq() : 0},
                           previous, /*unchanged=*/true});
        continue;
      }
      v1::AspectRecord record;
      record.set_version(previous_version + 1);
      record.set_value(bytes);
      *record.mutable_written() = context;
      record.set_change_seq(seq);
      std::string record_bytes = record.SerializeAsString();
      batch.Put(ColumnFamily::kLatest, key, record_bytes);
      batch.Put(ColumnFamily::kHistory, HistoryKey(w.urn, w.aspect, record.version()),
                record_bytes);
      internal::UpdateSecondaryIndexes(w.urn, w.aspect, previous.get(), w.value.get(), batch);

      v1::ChangeEvent event;
      event.set_seq(seq);
      event.set_urn(w.urn.ToString());
      event.set_entity_type(w.urn.entity_type());
      event.set_aspect(w.aspect);
      event.set_version(record.version());
      event.set_type(change_type);
      *event.mutable_context() = context;
      event.set_batch_seq(first_seq);
      batch.Put(ColumnFamily::kChangeLog, storage::EncodeBigEndian64(seq),
                event.SerializeAsString());
      ++seq;

      RETURN_IF_ERROR(EnsureEntity(w.urn, context, entity_known, batch));
      MessagePtr stored(std::move(w.value));
      pending[key] = {record.version(), stored};
      results.push_back(
          {VersionedAspect{w.urn, w.aspect, record.version(), stored, context, record.change_seq()},
           previous, false});
    }
    if (!batch.empty()) RETURN_IF_ERROR(store_->Write(batch));
    next_seq_ = seq;
    NotifyAfterCommit(results, txn);
    return results;
  }

  absl::Status EnsureEntity(const Urn& urn, const v1::WriteContext& context,
                            std::map<std::string, bool>& known, storage::WriteBatch& batch) {
    auto [it, inserted] = known.try_emplace(urn.ToString(), false);
    if (!inserted) return absl::OkStatus();
    ASSIGN_OR_RETURN(auto existing, store_->Get(ColumnFamily::kEntities, urn.ToString()));
    if (existing) return absl::OkStatus();
    v1::EntityRecord record;
    record.set_entity_type(urn.entity_type());
    record.set_created_micros(context.time_micros());
    record.set_platform(urn.PlatformName());
    batch.Put(ColumnFamily::kEntities, urn.ToString(), record.SerializeAsString());
    for (const auto& [index, value] : internal::EntityIndexEntries(urn)) {
      batch.Put(ColumnFamily::kIndex, internal::IndexKey(index, value, urn.ToString()), "");
    }
    return absl::OkStatus();
  }

  v1::WriteContext ContextOf(const WriteOrigin& origin) const {
    v1::WriteContext context;
    context.set_actor(origin.actor);
    context.set_source(origin.source);
    context.set_run_id(origin.run_id);
    context.set_time_micros(clock_->NowMicros());
    return context;
  }

  void NotifyAfterCommit(const std::vector<WriteResult>& results, const WriteTransaction& txn) {
    std::map<std::string_view, std::vector<WriteResult>> by_aspect;
    for (const auto& r : results) {
      auto hooks = hooks_.find(r.aspect.aspect);
      if (hooks != hooks_.end()) by_aspect[hooks->first].push_back(r);
    }
    for (const auto& [aspect, list] : by_aspect) {
      for (const AspectHook& hook : hooks_.find(aspect)->second) {
        if (hook.after_commit) hook.after_commit(list, txn);
      }
    }
  }

  absl::Status Purge(const Urn& urn, const WriteOrigin& origin) {
    std::lock_guard lock(write_mu_);
    ASSIGN_OR_RETURN(auto entity, store_->Get(ColumnFamily::kEntities, urn.ToString()));
    if (!entity) return absl::NotFoundError(absl::StrCat("entity ", urn.ToString(), " not found"));
    WriteTransaction txn(next_batch_id_++, /*purge=*/true, ContextOf(origin));
    storage::WriteBatch& batch = txn.batch();
    std::vector<std::pair<std::string, std::string>> latest;
    RETURN_IF_ERROR(store_->Scan(ColumnFamily::kLatest, storage::KeyPrefix({urn.ToString()}), "",
                                 [&](std::string_view key, std::string_view value) {
                                   latest.emplace_back(std::string(key), std::string(value));
                                   return true;
                                 }));
    for (const auto& [key, value] : latest) {
      std::string aspect = std::string(storage::SplitKey(key).back());
      ASSIGN_OR_RETURN(v1::AspectRecord record, ParseRecord(value));
      ASSIGN_OR_RETURN(auto message, registry_->FromBytes(aspect, record.value()));
      if (auto hooks = hooks_.find(aspect); hooks != hooks_.end()) {
        for (const AspectHook& hook : hooks->second) {
          if (hook.before_purge) RETURN_IF_ERROR(hook.before_purge(urn, *message, txn));
        }
      }
      internal::UpdateSecondaryIndexes(urn, aspect, message.get(), nullptr, batch);
      batch.Delete(ColumnFamily::kLatest, key);
      RETURN_IF_ERROR(store_->Scan(ColumnFamily::kHistory, HistoryPrefix(urn, aspect), "",
                                   [&](std::string_view history_key, auto) {
                                     batch.Delete(ColumnFamily::kHistory, std::string(history_key));
                                     return true;
                                   }));
    }
    for (const PurgeHook& hook : purge_hooks_) {
      if (hook.before_commit) RETURN_IF_ERROR(hook.before_commit(urn, txn));
    }
    batch.Delete(ColumnFamily::kEntities, urn.ToString());
    for (const auto& [index, value] : internal::EntityIndexEntries(urn)) {
      batch.Delete(ColumnFamily::kIndex, internal::IndexKey(index, value, urn.ToString()));
    }
    v1::ChangeEvent event;
    event.set_seq(next_seq_);
    event.set_urn(urn.ToString());
    event.set_entity_type(urn.entity_type());
    event.set_type(v1::PURGE);
    *event.mutable_context() = txn.context();
    event.set_batch_seq(next_seq_);
    batch.Put(ColumnFamily::kChangeLog, storage::EncodeBigEndian64(next_seq_),
              event.SerializeAsString());
    RETURN_IF_ERROR(store_->Write(batch));
    ++next_seq_;
    for (const PurgeHook& hook : purge_hooks_) {
      if (hook.after_commit) hook.after_commit(urn, txn);
    }
    return absl::OkStatus();
  }

  std::shared_ptr<storage::KvStore> store_;
  std::shared_ptr<const AspectRegistry> registry_;
  const common::Clock* clock_;
  std::map<std::string, std::vector<AspectHook>, std::less<>> hooks_;
  std::vector<PurgeHook> purge_hooks_;
  std::set<std::string, std::less<>> registered_indexes_;
  std::mutex write_mu_;
  uint64_t next_seq_ = 1;
  uint64_t next_batch_id_ = 1;
};

CatalogService::CatalogService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CatalogService::~CatalogService() = default;

absl::StatusOr<std::unique_ptr<CatalogService>> CatalogService::Open(
    std::shared_ptr<storage::KvStore> store, std::shared_ptr<const AspectRegistry> registry,
    const common::Clock* clock) {
  auto impl = std::make_unique<Impl>(std::move(store), std::move(registry), clock);
  RETURN_IF_ERROR(internal::MigrateLegacyMeta(*impl->store_));
  RETURN_IF_ERROR(impl->LoadSequence());
  return std::unique_ptr<CatalogService>(new CatalogService(std::move(impl)));
}

const AspectRegistry& CatalogService::registry() const { return *impl_->registry_; }
void CatalogService::AddHook(std::string aspect, AspectHook hook) {
  impl_->hooks_[std::move(aspect)].push_back(std::move(hook));
}

void CatalogService::AddPurgeHook(PurgeHook hook) {
  impl_->purge_hooks_.push_back(std::move(hook));
}

KeySpace CatalogService::Meta(std::string_view module) const {
  if (module.empty() || module.find(storage::kKeySeparator) != std::string_view::npos) {
    std::abort();  // module names are constants of the code, not input
  }
  return KeySpace(impl_->store_.get(), ColumnFamily::kMeta, storage::KeyPrefix({module}));
}

absl::StatusOr<KeySpace> CatalogService::RegisterIndex(std::string name) {
  if (name.empty() || name.find(storage::kKeySeparator) != std::string::npos) {
    return absl::InvalidArgumentError("an index name must be non-empty and have no NUL byte");
  }
  if (internal::IsCatalogIndex(name) || !impl_->registered_indexes_.insert(name).second) {
    return absl::AlreadyExistsError(absl::StrCat("index '", name, "' is already owned"));
  }
  return KeySpace(impl_->store_.get(), ColumnFamily::kIndex, storage::KeyPrefix({name}));
}

KeySpace CatalogService::LineageFamily() const {
  return KeySpace(impl_->store_.get(), ColumnFamily::kLineage, "");
}

absl::Status CatalogService::Backup(const std::string& dir) {
  return impl_->store_->Checkpoint(dir);
}

absl::StatusOr<std::vector<WriteResult>> CatalogService::Write(std::vector<AspectWrite> writes,
                                                               const WriteOrigin& origin) {
  return impl_->Write(std::move(writes), origin, v1::UPSERT);
}

absl::StatusOr<VersionedAspect> CatalogService::GetAspect(const Urn& urn, std::string_view aspect,
                                                          std::optional<int64_t> version) const {
  RETURN_IF_ERROR(impl_->registry_->Check(urn, aspect).status());
  std::optional<std::string> bytes;
  if (version) {
    ASSIGN_OR_RETURN(bytes,
                     impl_->store_->Get(ColumnFamily::kHistory, HistoryKey(urn, aspect, *version)));
    if (!bytes) {
      return absl::NotFoundError(absl::StrCat("version ", *version, " of aspect '",
                                              std::string(aspect), "' of ", urn.ToString(),
                                              " not found"));
    }
  } else {
    ASSIGN_OR_RETURN(bytes, impl_->store_->Get(ColumnFamily::kLatest, LatestKey(urn, aspect)));
    if (!bytes) {
      return absl::NotFoundError(
          absl::StrCat("aspect '", std::string(aspect), "' of ", urn.ToString(), " not found"));
    }
  }
  ASSIGN_OR_RETURN(v1::AspectRecord record, ParseRecord(*bytes));
  return impl_->ToVersioned(urn, aspect, record);
}

absl::StatusOr<std::vector<VersionedAspect>> CatalogService::GetEntity(const Urn& urn) const {
  std::vector<VersionedAspect> out;
  absl::Status inner = absl::OkStatus();
  RETURN_IF_ERROR(impl_->store_->Scan(ColumnFamily::kLatest, storage::KeyPrefix({urn.ToString()}),
                                      "", [&](std::string_view key, std::string_view value) {
                                        auto record = ParseRecord(value);
                                        if (!record.ok()) {
                                          inner = record.status();
                                          return false;
                                        }
                                        auto versioned = impl_->ToVersioned(
                                            urn, storage::SplitKey(key).back(), *record);
                                        if (!versioned.ok()) {
                                          inner = versioned.status();
                                          return false;
                                        }
                                        out.push_back(std::move(versioned).value());
                                        return true;
                                      }));
  RETURN_IF_ERROR(inner);
  if (out.empty())
    return absl::NotFoundError(absl::StrCat("entity ", urn.ToString(), " not found"));
  return out;
}

absl::StatusOr<bool> CatalogService::Exists(const Urn& urn) const {
  ASSIGN_OR_RETURN(auto entity, impl_->store_->Get(ColumnFamily::kEntities, urn.ToString()));
  return entity.has_value();
}

absl::StatusOr<std::vector<VersionedAspect>> CatalogService::GetHistory(
    const Urn& urn, std::string_view aspect, int limit, int64_t before_version) const {
  RETURN_IF_ERROR(impl_->registry_->Check(urn, aspect).status());
  std::vector<VersionedAspect> out;
  absl::Status inner = absl::OkStatus();
  auto snapshot = impl_->store_->GetSnapshot();
  RETURN_IF_ERROR(snapshot->ScanReverse(ColumnFamily::kHistory, HistoryPrefix(urn, aspect),
                                        [&](std::string_view, std::string_view value) {
                                          auto record = ParseRecord(value);
                                          if (!record.ok()) {
                                            inner = record.status();
                                            return false;
                                          }
                                          if (before_version > 0 &&
                                              record->version() >= before_version)
                                            return true;
                                          auto versioned = impl_->ToVersioned(urn, aspect, *record);
                                          if (!versioned.ok()) {
                                            inner = versioned.status();
                                            return false;
                                          }
                                          out.push_back(std::move(versioned).value());
                                          return static_cast<int>(out.size()) < limit;
                                        }));
  RETURN_IF_ERROR(inner);
  if (out.empty() && before_version == 0) {
    return absl::NotFoundError(
        absl::StrCat("aspect '", std::string(aspect), "' of ", urn.ToString(), " not found"));
  }
  return out;
}

absl::StatusOr<WriteResult> CatalogService::SoftDelete(const Urn& urn, const WriteOrigin& origin) {
  ASSIGN_OR_RETURN(bool exists, Exists(urn));
  if (!exists) return absl::NotFoundError(absl::StrCat("entity ", urn.ToString(), " not found"));
  auto status = std::make_unique<v1::Status>();
  status->set_removed(true);
  std::vector<AspectWrite> writes;
  writes.push_back({urn, "status", std::move(status)});
  ASSIGN_OR_RETURN(auto results, impl_->Write(std::move(writes), origin, v1::SOFT_DELETE));
  return results.front();
}

absl::Status CatalogService::Purge(const Urn& urn, const WriteOrigin& origin) {
  return impl_->Purge(urn, origin);
}

absl::StatusOr<ChangePage> CatalogService::ReadChanges(uint64_t since, int limit) const {
  ChangePage page;
  page.next_since = since;
  absl::Status inner = absl::OkStatus();
  auto snapshot = impl_->store_->GetSnapshot();
  RETURN_IF_ERROR(
      snapshot->ScanReverse(ColumnFamily::kChangeLog, "", [&](std::string_view key, auto) {
        page.latest_seq = storage::ReadBigEndian64(key);
        return false;
      }));
  RETURN_IF_ERROR(
      snapshot->Scan(ColumnFamily::kChangeLog, "", storage::EncodeBigEndian64(since),
                     [&](std::string_view, std::string_view value) {
                       v1::ChangeEvent event;
                       if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                         inner = absl::DataLossError("change event does not parse");
                         return false;
                       }
                       page.next_since = event.seq();
                       page.events.push_back(std::move(event));
                       return static_cast<int>(page.events.size()) < limit;
                     }));
  RETURN_IF_ERROR(inner);
  return page;
}

absl::StatusOr<std::vector<std::string>> CatalogService::ScanIndex(std::string_view index,
                                                                   std::string_view value,
                                                                   std::string_view after,
                                                                   int limit) const {
  std::vector<std::string> urns;
  std::string prefix = storage::KeyPrefix({index, value});
  std::string start_after = after.empty() ? "" : prefix + std::string(after);
  RETURN_IF_ERROR(impl_->store_->Scan(ColumnFamily::kIndex, prefix, start_after,
                                      [&](std::string_view key, auto) {
                                        urns.emplace_back(key.substr(prefix.size()));
                                        return static_cast<int>(urns.size()) < limit;
                                      }));
  return urns;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> CatalogService::ScanIndexEntries(
    std::string_view index, std::string_view value, std::string_view after, int limit) const {
  std::vector<std::pair<std::string, std::string>> entries;
  if (limit <= 0) return entries;
  std::string prefix = storage::KeyPrefix({index, value});
  std::string start_after = after.empty() ? "" : prefix + std::string(after);
  RETURN_IF_ERROR(impl_->store_->Scan(ColumnFamily::kIndex, prefix, start_after,
                                      [&](std::string_view key, std::string_view stored) {
                                        entries.emplace_back(key.substr(prefix.size()), stored);
                                        return static_cast<int>(entries.size()) < limit;
                                      }));
  return entries;
}

absl::StatusOr<bool> CatalogService::HasIndexEntry(std::string_view index, std::string_view value,
                                                   const Urn& urn) const {
  ASSIGN_OR_RETURN(
      auto entry,
      impl_->store_->Get(ColumnFamily::kIndex, internal::IndexKey(index, value, urn.ToString())));
  return entry.has_value();
}

uint64_t CatalogService::ApproximateSizeBytes() const {
  return impl_->store_->ApproximateSizeBytes();
}

absl::StatusOr<bool> CatalogService::IsRemoved(const Urn& urn) const {
  ASSIGN_OR_RETURN(auto record, impl_->LatestRecord(urn, "status"));
  if (!record.has_value()) return false;
  v1::Status status;
  if (!status.ParseFromString(record->value())) {
    return absl::DataLossError(
        absl::StrCat("status aspect of ", urn.ToString(), " does not parse"));
  }
  return status.removed();
}

}  // namespace tidemark::catalog
