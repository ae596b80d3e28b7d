// MemoryStore: an in-memory KvStore for unit tests (LevelDB's memenv idea): same ordering, atomic
// batches and snapshot semantics as RocksDbStore, no durability. Snapshots copy the maps, which is
// fine at test sizes.
#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "storage/kv_store.h"

namespace tidemark::storage {
namespace {

using Table = std::map<std::string, std::string, std::less<>>;
using Tables = std::array<Table, static_cast<size_t>(ColumnFamily::kCount)>;

absl::Status ScanTable(const Table& table, std::string_view prefix, std::string_view start_after,
                       const ScanVisitor& visit) {
  auto it = (!start_after.empty() && start_after >= prefix) ? table.upper_bound(start_after)
                                                            : table.lower_bound(prefix);
  for (; it != table.end(); ++it) {
    if (std::string_view(it->first).substr(0, prefix.size()) != prefix) break;
    if (!visit(it->first, it->second)) break;
  }
  return absl::OkStatus();
}

absl::Status ScanTableReverse(const Table& table, std::string_view prefix,
                              const ScanVisitor& visit) {
  for (auto it = table.rbegin(); it != table.rend(); ++it) {
    std::string_view key = it->first;
    if (key.substr(0, prefix.size()) != prefix) {
      if (key < prefix) break;
      continue;
    }
    if (!visit(key, it->second)) break;
  }
  return absl::OkStatus();
}

class MemorySnapshot final : public Snapshot {
 public:
  explicit MemorySnapshot(Tables tables) : tables_(std::move(tables)) {}
  absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                 std::string_view key) const override {
    const Table& t = tables_[static_cast<size_t>(cf)];
    auto it = t.find(key);
    if (it == t.end()) return std::nullopt;
    return it->second;
  }
  absl::Status Scan(ColumnFamily cf, std::string_view prefix, std::string_view start_after,
                    const ScanVisitor& visit) const override {
    return ScanTable(tables_[static_cast<size_t>(cf)], prefix, start_after, visit);
  }
  absl::Status ScanReverse(ColumnFamily cf, std::string_view prefix,
                           const ScanVisitor& visit) const override {
    return ScanTableReverse(tables_[static_cast<size_t>(cf)], prefix, visit);
  }

 private:
  Tables tables_;
};

class MemoryStore final : public KvStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                 std::string_view key) const override {
    std::shared_lock lock(mu_);
    const Table& t = tables_[static_cast<size_t>(cf)];
    auto it = t.find(key);
    if (it == t.end()) return std::nullopt;
    return it->second;
  }
  // Scans run on a snapshot so visitors may call back into the store.
  absl::Status Scan(ColumnFamily cf, std::string_view prefix, std::string_view start_after,
                    const ScanVisitor& visit) const override {
    return GetSnapshot()->Scan(cf, prefix, start_after, visit);
  }
  absl::Status ScanReverse(ColumnFamily cf, std::string_view prefix,
                           const ScanVisitor& visit) const override {
    return GetSnapshot()->ScanReverse(cf, prefix, visit);
  }
  std::unique_ptr<Snapshot> GetSnapshot() const override {
    std::shared_lock lock(mu_);
    return std::make_unique<MemorySnapshot>(tables_);
  }
  absl::Status Write(const WriteBatch& batch) override {
    std::unique_lock lock(mu_);
    for (const auto& op : batch.ops()) {
      Table& t = tables_[static_cast<size_t>(op.cf)];
      if (op.value) {
        t.insert_or_assign(op.key, *op.value);
      } else {
        t.erase(op.key);
      }
    }
    return absl::OkStatus();
  }
  absl::Status Checkpoint(const std::string& dir) override {
    return absl::UnimplementedError("the in-memory store has no checkpoints");
  }
  uint64_t ApproximateSizeBytes() const override {
    std::shared_lock lock(mu_);
    uint64_t total = 0;
    for (const Table& t : tables_)
      for (const auto& [k, v] : t) total += k.size() + v.size();
    return total;
  }

 private:
  mutable std::shared_mutex mu_;
  Tables tables_;
};

}  // namespace

std::unique_ptr<KvStore> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace tidemark::storage
