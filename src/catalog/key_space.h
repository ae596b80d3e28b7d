// KeySpace: a module's owned slice of one catalog column family, handed out by the catalog
// (CatalogService::Meta, RegisterIndex, DerivedFamily) so that no module above the catalog sees
// the raw KvStore or writes keys outside its slice.
//
// Every key of a space is `<space prefix><key>`; callers only see and pass the part after the
// prefix. Meta spaces and indexes use the one key convention of storage/key_codec: the prefix is
// KeyPrefix({name}) (`<name> \0`), and keys are themselves JoinKey()-composed. The lineage family
// is a whole column family owned by one module (empty prefix).
//
// Writes go either into a catalog write transaction (hooks: atomic with the aspect write) or, for
// state that is not tied to an aspect write (cursors, run records, rebuilds before serving),
// through Commit(), which applies a batch of this space's ops on its own.
//
// Ownership: a KeySpace is a small value that refers to the catalog's store; it must not outlive
// the CatalogService that made it. Thread-safety: all methods are safe to call concurrently (they
// are single KvStore calls); a KeySpace::Batch is not shared between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "storage/kv_store.h"

namespace tidemark::catalog {

class WriteTransaction;

class KeySpace {
 public:
  KeySpace(storage::KvStore* store, storage::ColumnFamily cf, std::string prefix)
      : store_(store), cf_(cf), prefix_(std::move(prefix)) {}

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const;
  // Visits keys starting with `prefix` (and > `start_after` when non-empty), in order; the visitor
  // sees keys without the space prefix.
  absl::Status Scan(std::string_view prefix, std::string_view start_after,
                    const storage::ScanVisitor& visit) const;
  absl::Status ScanReverse(std::string_view prefix, const storage::ScanVisitor& visit) const;

  // Adds ops to a catalog write (atomic with it).
  void Put(WriteTransaction& txn, std::string_view key, std::string value) const;
  void Delete(WriteTransaction& txn, std::string_view key) const;

  // Ops of this space applied atomically by Commit(), outside any catalog write.
  class Batch {
   public:
    size_t size() const { return batch_.size(); }
    bool empty() const { return batch_.empty(); }

   private:
    friend class KeySpace;
    storage::WriteBatch batch_;
  };
  void Put(Batch& batch, std::string_view key, std::string value) const;
  void Delete(Batch& batch, std::string_view key) const;
  absl::Status Commit(Batch& batch) const;  // empties `batch` on success
  // One put on its own.
  absl::Status Put(std::string_view key, std::string value) const;

 private:
  std::string Full(std::string_view key) const { return prefix_ + std::string(key); }
  absl::Status ScanWith(bool reverse, std::string_view prefix, std::string_view start_after,
                        const storage::ScanVisitor& visit) const;

  storage::KvStore* store_;
  storage::ColumnFamily cf_;
  std::string prefix_;
};

}  // namespace tidemark::catalog
