// StagedWrites: the read-modify-write buffer of one ingest request. Mapping code reads an aspect
// (the value this request already staged, else the catalog's latest), builds the new value and
// stages it; Commit() normalises nothing further and sends every staged value in one atomic
// CatalogService::Write. Because merges start from the stored value and are deterministic, the
// same input delivered twice stages values equal to the stored ones, which the catalog reports as
// `unchanged`: re-delivery is idempotent.
//
// Every StagedWrites holds the process-wide ingest mutex from construction to destruction, so two
// ingest requests never interleave their read-modify-write cycles (the catalog serialises the
// writes themselves; this lock makes the reads that precede them consistent).
//
// Thread-safety: one object belongs to one request/thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "common/urn.h"
#include "google/protobuf/message.h"

namespace tidemark::ingest {

struct CommitSummary {
  int written = 0;                        // aspects with a new version
  int unchanged = 0;                      // aspects equal to the stored value
  std::vector<std::string> written_keys;  // "<urn> <aspect>" of the written ones
};

class StagedWrites {
 public:
  using MessagePtr = std::shared_ptr<const google::protobuf::Message>;

  explicit StagedWrites(catalog::CatalogService& catalog);
  StagedWrites(const StagedWrites&) = delete;
  StagedWrites& operator=(const StagedWrites&) = delete;

  catalog::CatalogService& catalog() const { return catalog_; }

  // The staged value, else the stored latest, else nullptr.
  absl::StatusOr<MessagePtr> Get(const common::Urn& urn, std::string_view aspect);
  template <typename T>
  absl::StatusOr<std::shared_ptr<const T>> GetAs(const common::Urn& urn, std::string_view aspect) {
    auto value = Get(urn, aspect);
    if (!value.ok()) return value.status();
    return std::dynamic_pointer_cast<const T>(*value);
  }
  // The source that wrote the stored latest version (SOURCE_KIND_UNSPECIFIED when none).
  absl::StatusOr<v1::SourceKind> StoredSource(const common::Urn& urn, std::string_view aspect);

  // Checks the aspect against the registry, runs its normaliser and stages the value.
  // InvalidArgument names the URN and aspect.
  absl::Status Put(const common::Urn& urn, std::string_view aspect,
                   std::unique_ptr<google::protobuf::Message> value);

  struct Entry {
    common::Urn urn;
    std::string aspect;
    MessagePtr value;
    size_t order = 0;
  };
  // A position in the undo log, to undo one failed item: Restore(Save()) takes back every Put
  // made since, in time proportional to those puts (copying the staged map per item made a
  // batch of n items cost O(n^2)). Checkpoints nest; restore the newest first.
  using Checkpoint = size_t;
  Checkpoint Save() const { return undo_.size(); }
  void Restore(Checkpoint checkpoint);

  size_t size() const { return staged_.size(); }
  // One atomic write of every staged value (in first-staged order). Empty: nothing written.
  absl::StatusOr<CommitSummary> Commit(const catalog::WriteOrigin& origin);

 private:
  struct Stored {
    MessagePtr value;
    v1::SourceKind source = v1::SOURCE_KIND_UNSPECIFIED;
  };
  absl::StatusOr<const Stored*> Load(const common::Urn& urn, std::string_view aspect);

  std::unique_lock<std::mutex> lock_;
  catalog::CatalogService& catalog_;
  std::map<std::string, Entry> staged_;  // key "<urn>\n<aspect>"
  struct Undo {
    std::string key;
    std::optional<Entry> previous;  // nullopt: the Put added the key
  };
  std::vector<Undo> undo_;  // one per Put since the last Commit
  std::map<std::string, Stored> stored_;
  size_t next_order_ = 0;
};

// The mutex every StagedWrites holds.
std::mutex& IngestWriteMutex();

}  // namespace tidemark::ingest
