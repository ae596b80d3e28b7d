// WriteTransaction: one catalog write (Write/SoftDelete) or purge as its hooks see it. The catalog
// creates one per batch, under its write lock, and passes the same object to every before-write,
// before-purge and after-commit hook of that batch, so a module can key per-batch state by
// batch_id() and tell purges apart by is_purge() instead of guessing from the context.
//
// Ownership: owned by the catalog for the duration of one batch; hooks must not keep references
// to it after they return. Thread-safety: used only under the catalog's write lock.
#pragma once

#include <cstdint>

#include "storage/kv_store.h"
#include "tidemark/v1/audit.pb.h"

namespace tidemark::catalog {

class WriteTransaction {
 public:
  WriteTransaction(uint64_t batch_id, bool purge, v1::WriteContext context)
      : batch_id_(batch_id), purge_(purge), context_(std::move(context)) {}
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  // Unique per batch for the life of the process; a batch that aborted is never committed and the
  // next batch has another id.
  uint64_t batch_id() const { return batch_id_; }
  bool is_purge() const { return purge_; }
  // Who writes and when; for purges, the purge's attribution.
  const v1::WriteContext& context() const { return context_; }
  // The ops committed atomically with the batch. Modules add theirs through KeySpace::Put/Delete.
  storage::WriteBatch& batch() { return batch_; }
  const storage::WriteBatch& batch() const { return batch_; }

 private:
  uint64_t batch_id_;
  bool purge_;
  v1::WriteContext context_;
  storage::WriteBatch batch_;
};

}  // namespace tidemark::catalog
