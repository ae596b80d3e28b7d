// The hooks upper modules register with CatalogService (AddHook, AddPurgeHook) and the results of
// a write they see. Hooks run with the catalog's write lock held, so a hook never runs concurrently
// with another hook or write; they must not call back into CatalogService::Write/Purge. The
// WriteTransaction passed to them is owned by the catalog for the duration of one batch.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "catalog/write_transaction.h"
#include "common/urn.h"
#include "google/protobuf/message.h"
#include "tidemark/v1/audit.pb.h"

namespace tidemark::catalog {

using MessagePtr = std::shared_ptr<const google::protobuf::Message>;

// One stored version of an aspect.
struct VersionedAspect {
  common::Urn urn;
  std::string aspect;
  int64_t version = 0;
  MessagePtr value;
  v1::WriteContext written;
  uint64_t change_seq = 0;
};

// The outcome of one aspect of a write.
struct WriteResult {
  VersionedAspect aspect;  // the new version, or the existing latest when unchanged
  MessagePtr previous;     // the latest version before this write (nullptr if none)
  bool unchanged = false;
};

// Hooks an upper module registers for one aspect name. All run with the catalog write lock held.
struct AspectHook {
  // Before commit. `previous` is the current latest value (nullptr if none). May modify `value` and
  // add ops to `txn`. An error aborts the whole write.
  std::function<absl::Status(const common::Urn& urn, const google::protobuf::Message* previous,
                             google::protobuf::Message& value, WriteTransaction& txn)>
      before_write;
  // Before a purge commits, for each aspect the purged entity has, to remove its derived state.
  std::function<absl::Status(const common::Urn& urn, const google::protobuf::Message& latest,
                             WriteTransaction& txn)>
      before_purge;
  // After commit and before the write is acknowledged, with every aspect of the hook's name in the
  // batch; those whose value did not change are flagged `unchanged` (their before_write may still
  // have added ops, e.g. last-seen times).
  std::function<void(const std::vector<WriteResult>& results, const WriteTransaction& txn)>
      after_commit;
};

// Hooks run once for every purge, whatever aspects the entity had, with the write lock held.
struct PurgeHook {
  // Before commit, after the aspects' before_purge hooks; an error aborts the purge.
  std::function<absl::Status(const common::Urn& urn, WriteTransaction& txn)> before_commit;
  // After the purge committed, before it is acknowledged.
  std::function<void(const common::Urn& urn, const WriteTransaction& txn)> after_commit;
};

}  // namespace tidemark::catalog
