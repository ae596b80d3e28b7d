// KvStore: the ordered key-value store the catalog is built on, with column families, atomic write
// batches, prefix scans, consistent snapshots and checkpoints. RocksDbStore (the real, durable
// store) and MemoryStore (a fake for fast unit tests) implement it. This header is the only storage
// API the rest of tidemark sees; RocksDB itself is included by rocksdb_store.cc alone.
//
// Thread-safety: all methods may be called concurrently. A WriteBatch is applied atomically: a
// reader sees all of it or none of it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tidemark::storage {

// Column families. Adding one is a one-line change here plus its name in ColumnFamilyName().
enum class ColumnFamily : int {
  kLatest = 0,  // urn \0 aspect -> AspectRecord (latest version)
  kHistory,     // urn \0 aspect \0 version(be64) -> AspectRecord
  kChangeLog,   // seq(be64) -> ChangeEvent
  kEntities,    // urn -> EntityRecord
  kIndex,       // secondary indexes: <index name> \0 <value> \0 <urn> -> "" (or a payload)
  kLineage,     // lineage edges, both directions (owned by the lineage module)
  kMeta,        // per-module meta spaces: <module> \0 <key> (CatalogService::Meta)
  kCount,
};
std::string_view ColumnFamilyName(ColumnFamily cf);

// An ordered list of puts and deletes applied atomically by KvStore::Write.
class WriteBatch {
 public:
  struct Op {
    ColumnFamily cf;
    std::string key;
    std::optional<std::string> value;  // nullopt: delete
  };
  void Put(ColumnFamily cf, std::string key, std::string value) {
    ops_.push_back({cf, std::move(key), std::move(value)});
  }
  void Delete(ColumnFamily cf, std::string key) {
    ops_.push_back({cf, std::move(key), std::nullopt});
  }
  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }

 private:
  std::vector<Op> ops_;
};

// Called for each key/value in order; return false to stop.
using ScanVisitor = std::function<bool(std::string_view key, std::string_view value)>;

// A consistent point-in-time view for multi-key reads.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
  virtual absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                         std::string_view key) const = 0;
  // Visits keys that start with `prefix` and are > `start_after` (when non-empty), in key order.
  virtual absl::Status Scan(ColumnFamily cf, std::string_view prefix, std::string_view start_after,
                            const ScanVisitor& visit) const = 0;
  // Visits keys that start with `prefix` in descending key order.
  virtual absl::Status ScanReverse(ColumnFamily cf, std::string_view prefix,
                                   const ScanVisitor& visit) const = 0;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  // Reads from the latest committed state.
  virtual absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                         std::string_view key) const = 0;
  virtual absl::Status Scan(ColumnFamily cf, std::string_view prefix, std::string_view start_after,
                            const ScanVisitor& visit) const = 0;
  virtual absl::Status ScanReverse(ColumnFamily cf, std::string_view prefix,
                                   const ScanVisitor& visit) const = 0;
  virtual std::unique_ptr<Snapshot> GetSnapshot() const = 0;

  // Applies every op of `batch` atomically and durably (per the store's sync setting).
  virtual absl::Status Write(const WriteBatch& batch) = 0;

  // Writes a consistent copy of the whole store to `dir` (which must not exist) that can be opened
  // as a store of the same kind. Unimplemented for stores without a disk form.
  virtual absl::Status Checkpoint(const std::string& dir) = 0;

  // Approximate bytes on disk and in memory, for metrics.
  virtual uint64_t ApproximateSizeBytes() const = 0;
};

struct RocksDbOptions {
  // fsync the write-ahead log on every write: an acknowledged write survives a machine crash,
  // not just a process crash. Off trades that for throughput.
  bool sync_writes = true;
  size_t block_cache_bytes = 64 << 20;
  bool create_if_missing = true;
};

// Opens (creating if needed) a RocksDB store in `dir`.
absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(const std::string& dir,
                                                          const RocksDbOptions& options = {});
// A non-durable in-memory store with the same semantics, for tests.
std::unique_ptr<KvStore> NewMemoryStore();

}  // namespace tidemark::storage
