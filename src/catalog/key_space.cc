// KeySpace: a prefix over one column family; see key_space.h.
#include "catalog/key_space.h"

#include "catalog/write_transaction.h"

namespace tidemark::catalog {

absl::StatusOr<std::optional<std::string>> KeySpace::Get(std::string_view key) const {
  return store_->Get(cf_, Full(key));
}

absl::Status KeySpace::ScanWith(bool reverse, std::string_view prefix, std::string_view start_after,
                                const storage::ScanVisitor& visit) const {
  const size_t strip = prefix_.size();
  auto inner = [&](std::string_view key, std::string_view value) {
    return visit(key.substr(strip), value);
  };
  if (reverse) return store_->ScanReverse(cf_, Full(prefix), inner);
  return store_->Scan(cf_, Full(prefix), start_after.empty() ? "" : Full(start_after), inner);
}

absl::Status KeySpace::Scan(std::string_view prefix, std::string_view start_after,
                            const storage::ScanVisitor& visit) const {
  return ScanWith(false, prefix, start_after, visit);
}

absl::Status KeySpace::ScanReverse(std::string_view prefix,
                                   const storage::ScanVisitor& visit) const {
  return ScanWith(true, prefix, "", visit);
}

void KeySpace::Put(WriteTransaction& txn, std::string_view key, std::string value) const {
  txn.batch().Put(cf_, Full(key), std::move(value));
}

void KeySpace::Delete(WriteTransaction& txn, std::string_view key) const {
  txn.batch().Delete(cf_, Full(key));
}

void KeySpace::Put(Batch& batch, std::string_view key, std::string value) const {
  batch.batch_.Put(cf_, Full(key), std::move(value));
}

void KeySpace::Delete(Batch& batch, std::string_view key) const {
  batch.batch_.Delete(cf_, Full(key));
}

absl::Status KeySpace::Commit(Batch& batch) const {
  if (batch.empty()) return absl::OkStatus();
  absl::Status status = store_->Write(batch.batch_);
  if (status.ok()) batch.batch_ = storage::WriteBatch();
  return status;
}

absl::Status KeySpace::Put(std::string_view key, std::string value) const {
  Batch batch;
  Put(batch, key, std::move(value));
  return Commit(batch);
}

}  // namespace tidemark::catalog
