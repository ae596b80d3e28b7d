// RocksDbStore: KvStore on RocksDB, one RocksDB column family per storage::ColumnFamily. The only
// file in tidemark that includes RocksDB; its statuses are converted to absl::Status here.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/kv_store.h"

namespace tidemark::storage {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string message =
      absl::StrCat(absl::string_view(what.data(), what.size()), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return absl::UnavailableError(message);
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(message);
  return absl::InternalError(message);
}

// A backup destination comes from a client: refuse what cannot work with InvalidArgument (HTTP 400)
// before RocksDB starts, by creating the directory once (then removing it, since RocksDB wants to
// create it itself). Only a full disk is the server's problem.
absl::Status CheckBackupDestination(const std::string& dir) {
  if (dir.empty() || dir.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(
        "backup directory must be a non-empty path without NUL bytes");
  }
  if (dir.front() != '/') {
    return absl::InvalidArgumentError(absl::StrCat("backup directory ", dir, " is not absolute"));
  }
  if (std::error_code ec; std::filesystem::exists(dir, ec)) {
    return absl::AlreadyExistsError(absl::StrCat("backup directory ", dir, " already exists"));
  }
  if (::mkdir(dir.c_str(), 0700) != 0) {
    const int error = errno;
    std::string message =
        absl::StrCat("cannot create backup directory ", dir, ": ", std::strerror(error));
    if (error == EEXIST) return absl::AlreadyExistsError(message);
    if (error == ENOSPC || error == EDQUOT) return absl::ResourceExhaustedError(message);
    return absl::InvalidArgumentError(message);
  }
  ::rmdir(dir.c_str());
  return absl::OkStatus();
}

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view ToView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// The smallest key greater than every key that starts with `prefix` (empty if none exists).
std::string PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(out.back());
    if (last != 0xff) {
      ++last;
      return out;
    }
    out.pop_back();
  }
  return out;
}

absl::Status ScanImpl(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                      const rocksdb::Snapshot* snap, std::string_view prefix,
                      std::string_view start_after, const ScanVisitor& visit) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, cf));
  if (!start_after.empty() && start_after >= prefix) {
    it->Seek(ToSlice(start_after));
    if (it->Valid() && ToView(it->key()) == start_after) it->Next();
  } else {
    it->Seek(ToSlice(prefix));
  }
  for (; it->Valid(); it->Next()) {
    std::string_view key = ToView(it->key());
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!visit(key, ToView(it->value()))) break;
  }
  return FromRocks(it->status(), "scan");
}

absl::Status ScanReverseImpl(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                             const rocksdb::Snapshot* snap, std::string_view prefix,
                             const ScanVisitor& visit) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, cf));
  std::string upper = PrefixSuccessor(prefix);
  if (upper.empty()) {
    it->SeekToLast();
  } else {
    it->SeekForPrev(ToSlice(upper));
    if (it->Valid() && ToView(it->key()) == upper) it->Prev();
  }
  for (; it->Valid(); it->Prev()) {
    std::string_view key = ToView(it->key());
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!visit(key, ToView(it->value()))) break;
  }
  return FromRocks(it->status(), "reverse scan");
}

class RocksSnapshot final : public Snapshot {
 public:
  RocksSnapshot(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>* cfs)
      : db_(db), cfs_(cfs), snapshot_(db->GetSnapshot()) {}
  ~RocksSnapshot() override { db_->ReleaseSnapshot(snapshot_); }

  absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                 std::string_view key) const override {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    std::string value;
    rocksdb::Status s = db_->Get(ro, (*cfs_)[static_cast<int>(cf)], ToSlice(key), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) return FromRocks(s, "get");
    return value;
  }
  absl::Status Scan(ColumnFamily cf, std::string_view prefix, std::string_view start_after,
                    const ScanVisitor& visit) const override {
    return ScanImpl(db_, (*cfs_)[static_cast<int>(cf)], snapshot_, prefix, start_after, visit);
  }
  absl::Status ScanReverse(ColumnFamily cf, std::string_view prefix,
                           const ScanVisitor& visit) const override {
    return ScanReverseImpl(db_, (*cfs_)[static_cast<int>(cf)], snapshot_, prefix, visit);
  }

 private:
  rocksdb::DB* db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>* cfs_;
  const rocksdb::Snapshot* snapshot_;
};

class RocksDbStore final : public KvStore {
 public:
  RocksDbStore(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> cfs,
               bool sync)
      : db_(std::move(db)), cfs_(std::move(cfs)), sync_(sync) {}

  ~RocksDbStore() override {
    for (auto* cf : cfs_) db_->DestroyColumnFamilyHandle(cf);
    db_->Close().PermitUncheckedError();
  }

  absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                 std::string_view key) const override {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(cf), ToSlice(key), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) return FromRocks(s, "get");
    return value;
  }

  absl::Status Scan(ColumnFamily cf, std::string_view prefix, std::string_view start_after,
                    const ScanVisitor& visit) const override {
    return ScanImpl(db_.get(), Handle(cf), nullptr, prefix, start_after, visit);
  }

  absl::Status ScanReverse(ColumnFamily cf, std::string_view prefix,
                           const ScanVisitor& visit) const override {
    return ScanReverseImpl(db_.get(), Handle(cf), nullptr, prefix, visit);
  }

  std::unique_ptr<Snapshot> GetSnapshot() const override {
    return std::make_unique<RocksSnapshot>(db_.get(), &cfs_);
  }

  absl::Status Write(const WriteBatch& batch) override {
    rocksdb::WriteBatch wb;
    for (const auto& op : batch.ops()) {
      rocksdb::Status s =
          op.value ? wb.Put(Handle(op.cf), op.key, *op.value) : wb.Delete(Handle(op.cf), op.key);
      if (!s.ok()) return FromRocks(s, "batch");
    }
    rocksdb::WriteOptions wo;
    wo.sync = sync_;
    return FromRocks(db_->Write(wo, &wb), "write");
  }

  absl::Status Checkpoint(const std::string& dir) override {
    if (absl::Status checked = CheckBackupDestination(dir); !checked.ok()) return checked;
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status created = rocksdb::Checkpoint::Create(db_.get(), &raw);
    if (!created.ok()) return FromRocks(created, "checkpoint");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    // Flush first so the checkpoint holds SST files rather than a large WAL copy.
    return FromRocks(checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0), "checkpoint");
  }

  uint64_t ApproximateSizeBytes() const override {
    uint64_t total = 0;
    for (auto* cf : cfs_) {
      uint64_t v = 0;
      if (db_->GetIntProperty(cf, "rocksdb.total-sst-files-size", &v)) total += v;
      if (db_->GetIntProperty(cf, "rocksdb.size-all-mem-tables", &v)) total += v;
    }
    return total;
  }

 private:
  rocksdb::ColumnFamilyHandle* Handle(ColumnFamily cf) const { return cfs_[static_cast<int>(cf)]; }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  bool sync_;
};

}  // namespace

std::string_view ColumnFamilyName(ColumnFamily cf) {
  switch (cf) {
    case ColumnFamily::kLatest:
      return "latest";
    case ColumnFamily::kHistory:
      return "history";
    case ColumnFamily::kChangeLog:
      return "changelog";
    case ColumnFamily::kEntities:
      return "entities";
    case ColumnFamily::kIndex:
      return "index";
    case ColumnFamily::kLineage:
      return "lineage";
    case ColumnFamily::kMeta:
      return "meta";
    case ColumnFamily::kCount:
      break;
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(const std::string& dir,
                                                          const RocksDbOptions& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.max_open_files = 512;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  // Latest-version reads are point lookups: a Bloom filter skips SST files that lack the key.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.bottommost_compression = rocksdb::kZSTD;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (int i = 0; i < static_cast<int>(ColumnFamily::kCount); ++i) {
    descriptors.emplace_back(std::string(ColumnFamilyName(static_cast<ColumnFamily>(i))),
                             cf_options);
  }
  if (options.create_if_missing) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening store at ", dir));
  std::unique_ptr<rocksdb::DB> db(raw);
  // handles[0] is the default family, unused; ours follow in enum order.
  db->DestroyColumnFamilyHandle(handles[0]);
  handles.erase(handles.begin());
  return std::unique_ptr<KvStore>(
      new RocksDbStore(std::move(db), std::move(handles), options.sync_writes));
}

}  // namespace tidemark::storage
