// CatalogService: the versioned, attributed store of entities and their aspects.
//
// Every aspect write creates a new version (1, 2, ...) and records who wrote it, when, and from
// which source/run. One call to Write() is one atomic RocksDB batch holding the new aspect records,
// their history entries, secondary-index updates, the entries that aspect hooks add (lineage edges,
// ...) and one change-log event per changed aspect. A write whose value equals the latest version
// is reported `unchanged` and writes nothing. Deletes are soft (status.removed = true); Purge
// removes every trace of an entity. The change log has a gap-free, monotonic sequence number.
//
// The catalog owns the store: no module above it sees the KvStore. Upper modules get owned,
// namespaced slices of it (key_space.h): a meta space per module (Meta("glossary")), secondary
// indexes registered by name (RegisterIndex, read back through ScanIndex/ScanIndexEntries), and the
// lineage column family (LineageFamily). Backup() checkpoints the whole store.
//
// Hooks let upper modules keep derived state in step with writes without the catalog knowing them:
// BeforeWrite runs inside the write (may rewrite the value and add ops to the same batch),
// AfterCommit runs after the batch is durable and before the write is acknowledged. Each batch is
// one WriteTransaction (write_transaction.h) passed to all hooks of that batch (catalog_hooks.h).
//
// Thread-safety: all methods are safe to call concurrently, except AddHook, AddPurgeHook and
// RegisterIndex (call them before serving). Writes are serialised; reads never block on writes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/aspect_registry.h"
#include "catalog/catalog_hooks.h"
#include "catalog/key_space.h"
#include "common/clock.h"
#include "common/urn.h"
#include "storage/kv_store.h"
#include "tidemark/v1/audit.pb.h"
#include "tidemark/v1/store.pb.h"

namespace tidemark::catalog {

// One aspect value in a write request.
struct AspectWrite {
  common::Urn urn;
  std::string aspect;
  std::unique_ptr<google::protobuf::Message>
      value;  // already normalised (AspectRegistry::FromJson)
};

// Attribution of a write as the caller gives it; the catalog stamps the time.
struct WriteOrigin {
  std::string actor = "urn:li:corpuser:anonymous";
  v1::SourceKind source = v1::API;
  std::string run_id;
};

struct ChangePage {
  std::vector<v1::ChangeEvent> events;
  uint64_t next_since = 0;  // pass as `since` to continue
  uint64_t latest_seq = 0;  // highest sequence number in the log
};

class CatalogService {
 public:
  static absl::StatusOr<std::unique_ptr<CatalogService>> Open(
      std::shared_ptr<storage::KvStore> store, std::shared_ptr<const AspectRegistry> registry,
      const common::Clock* clock = &common::Clock::Real());
  ~CatalogService();

  const AspectRegistry& registry() const;

  // Adds hooks for `aspect` (several modules may hook the same aspect; they run in the order
  // added). Call before serving; not thread-safe against writes.
  void AddHook(std::string aspect, AspectHook hook);
  void AddPurgeHook(PurgeHook hook);

  // The meta space of module `module` (non-empty, no '\0'; aborts otherwise): keys
  // `<module> \0 <key>` in the meta column family.
  KeySpace Meta(std::string_view module) const;
  // Declares a secondary index owned by the caller: its entries are `<name> \0 <value> \0 <rest>`
  // in the index column family; the space takes keys `<value> \0 <rest>`. AlreadyExists for the
  // catalog's own index names or a name registered before. Call before serving.
  absl::StatusOr<KeySpace> RegisterIndex(std::string name);
  // The lineage column family, owned by the lineage module (the catalog stores, never reads it).
  KeySpace LineageFamily() const;

  // Writes a consistent copy of the whole store to `dir`, an absolute path that must not exist
  // (AlreadyExists if it does, InvalidArgument for paths that cannot work).
  absl::Status Backup(const std::string& dir);

  // Writes all aspects atomically; results are in request order.
  absl::StatusOr<std::vector<WriteResult>> Write(std::vector<AspectWrite> writes,
                                                 const WriteOrigin& origin);

  absl::StatusOr<VersionedAspect> GetAspect(const common::Urn& urn, std::string_view aspect,
                                            std::optional<int64_t> version = std::nullopt) const;
  // Latest version of every aspect; NotFound if the entity has none.
  absl::StatusOr<std::vector<VersionedAspect>> GetEntity(const common::Urn& urn) const;
  absl::StatusOr<bool> Exists(const common::Urn& urn) const;
  // Versions of one aspect, newest first, at most `limit`, strictly below `before_version` when >
  // 0.
  absl::StatusOr<std::vector<VersionedAspect>> GetHistory(const common::Urn& urn,
                                                          std::string_view aspect, int limit,
                                                          int64_t before_version = 0) const;

  // Soft delete: writes status {removed: true}. NotFound for unknown entities.
  absl::StatusOr<WriteResult> SoftDelete(const common::Urn& urn, const WriteOrigin& origin);
  // Removes every aspect, version and index entry of the entity; records a PURGE change event.
  absl::Status Purge(const common::Urn& urn, const WriteOrigin& origin);

  // Change events with seq > since, in order, at most `limit`.
  absl::StatusOr<ChangePage> ReadChanges(uint64_t since, int limit) const;

  // Secondary index scan, e.g. ScanIndex("type", "dataset", after, 50): URNs in order after
  // `after`.
  absl::StatusOr<std::vector<std::string>> ScanIndex(std::string_view index, std::string_view value,
                                                     std::string_view after, int limit) const;
  // Like ScanIndex, with what each entry stores: (the key after `<index>\0<value>\0`, the stored
  // value). Registered indexes (RegisterIndex) may store a small payload in their entries, e.g.
  // the usage ranking's per-dataset summary.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanIndexEntries(
      std::string_view index, std::string_view value, std::string_view after, int limit) const;
  // Whether `urn` has the index entry (index, value), e.g. HasIndexEntry("owner",
  // "urn:li:corpuser:a", u).
  absl::StatusOr<bool> HasIndexEntry(std::string_view index, std::string_view value,
                                     const common::Urn& urn) const;
  // Whether the entity is soft-deleted (false for unknown entities).
  absl::StatusOr<bool> IsRemoved(const common::Urn& urn) const;
  // Approximate bytes used by the store, for metrics.
  uint64_t ApproximateSizeBytes() const;

 private:
  class Impl;
  explicit CatalogService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tidemark::catalog
