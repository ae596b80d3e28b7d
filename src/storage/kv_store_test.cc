// Tests the KvStore contract against both implementations, plus RocksDB-only durability features.
#include "storage/kv_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "storage/key_codec.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace tidemark::storage {
namespace {

using ::tidemark::testing::TempDir;

std::vector<std::string> ScanKeys(const KvStore& store, ColumnFamily cf, std::string_view prefix,
                                  std::string_view after = "") {
  std::vector<std::string> keys;
  EXPECT_OK(store.Scan(cf, prefix, after, [&](std::string_view k, std::string_view) {
    keys.emplace_back(k);
    return true;
  }));
  return keys;
}

class KvStoreTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      auto store = OpenRocksDbStore((dir_.path() / "db").string(), {.sync_writes = false});
      ASSERT_OK(store);
      store_ = std::move(store).value();
    } else {
      store_ = NewMemoryStore();
    }
  }
  TempDir dir_;
  std::unique_ptr<KvStore> store_;
};

TEST_P(KvStoreTest, PutGetDelete) {
  WriteBatch b;
  b.Put(ColumnFamily::kLatest, "a", "1");
  ASSERT_OK(store_->Write(b));
  ASSERT_OK_AND_ASSIGN(auto v, store_->Get(ColumnFamily::kLatest, "a"));
  EXPECT_EQ(v, "1");
  ASSERT_OK_AND_ASSIGN(auto other_cf, store_->Get(ColumnFamily::kHistory, "a"));
  EXPECT_FALSE(other_cf.has_value());
  WriteBatch d;
  d.Delete(ColumnFamily::kLatest, "a");
  ASSERT_OK(store_->Write(d));
  ASSERT_OK_AND_ASSIGN(auto gone, store_->Get(ColumnFamily::kLatest, "a"));
  EXPECT_FALSE(gone.has_value());
}

TEST_P(KvStoreTest, ScansPrefixInOrderFromStartAfter) {
  using std::string_literals::operator""s;
  WriteBatch b;
  // Keys around the prefix "p\0": before it ("o\0z", the bare "p" that is shorter than the prefix),
  // inside it, and after it ("p\001a", "q\0a"). The ""s literals keep the NUL bytes in the key.
  for (std::string k : {"p\0c"s, "p\0a"s, "p\0b"s, "q\0a"s, "o\0z"s, "p"s, "p\001a"s}) {
    ASSERT_EQ(k.size(), k == "p" ? 1u : 3u);
    b.Put(ColumnFamily::kIndex, k, "");
  }
  ASSERT_OK(store_->Write(b));
  EXPECT_EQ(ScanKeys(*store_, ColumnFamily::kIndex, "").size(), 7u);
  std::string prefix("p\0", 2);
  EXPECT_EQ(ScanKeys(*store_, ColumnFamily::kIndex, prefix),
            (std::vector<std::string>{std::string("p\0a", 3), std::string("p\0b", 3),
                                      std::string("p\0c", 3)}));
  EXPECT_EQ(ScanKeys(*store_, ColumnFamily::kIndex, prefix, std::string("p\0a", 3)),
            (std::vector<std::string>{std::string("p\0b", 3), std::string("p\0c", 3)}));
  std::vector<std::string> reverse;
  ASSERT_OK(store_->ScanReverse(ColumnFamily::kIndex, prefix, [&](std::string_view k, auto) {
    reverse.emplace_back(k);
    return reverse.size() < 2;
  }));
  EXPECT_EQ(reverse, (std::vector<std::string>{std::string("p\0c", 3), std::string("p\0b", 3)}));
}

TEST_P(KvStoreTest, BigEndianKeysSortNumerically) {
  WriteBatch b;
  for (uint64_t v : {300u, 2u, 70000u, 1u})
    b.Put(ColumnFamily::kChangeLog, EncodeBigEndian64(v), "");
  ASSERT_OK(store_->Write(b));
  std::vector<uint64_t> seen;
  for (const auto& k : ScanKeys(*store_, ColumnFamily::kChangeLog, ""))
    seen.push_back(ReadBigEndian64(k));
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2, 300, 70000}));
}

TEST_P(KvStoreTest, SnapshotDoesNotSeeLaterWrites) {
  WriteBatch b;
  b.Put(ColumnFamily::kLatest, "k", "old");
  ASSERT_OK(store_->Write(b));
  auto snapshot = store_->GetSnapshot();
  WriteBatch c;
  c.Put(ColumnFamily::kLatest, "k", "new");
  c.Put(ColumnFamily::kLatest, "k2", "x");
  ASSERT_OK(store_->Write(c));
  ASSERT_OK_AND_ASSIGN(auto v, snapshot->Get(ColumnFamily::kLatest, "k"));
  EXPECT_EQ(v, "old");
  ASSERT_OK_AND_ASSIGN(auto v2, snapshot->Get(ColumnFamily::kLatest, "k2"));
  EXPECT_FALSE(v2.has_value());
  ASSERT_OK_AND_ASSIGN(auto now, store_->Get(ColumnFamily::kLatest, "k"));
  EXPECT_EQ(now, "new");
}

INSTANTIATE_TEST_SUITE_P(Stores, KvStoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "RocksDb" : "Memory"; });

// Regression: client mistakes in a backup destination answered 500 (an internal error).
TEST(RocksDbStoreTest, CheckpointRefusesDestinationsThatCannotWork) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, OpenRocksDbStore((dir.path() / "db").string()));
  const std::string file = (dir.path() / "plain-file").string();
  { std::ofstream(file) << "x"; }
  const std::string bad[] = {
      file + "/backup",                                  // under a regular file
      (dir.path() / "no" / "such" / "parent").string(),  // missing parent
      "/proc/tidemark-backup",                           // not a place for files
      std::string("/tmp/a\0b", 8),                       // NUL in the path
      "relative/backup",                                 // not absolute
      "",
  };
  for (const std::string& to : bad) {
    EXPECT_THAT(store->Checkpoint(to),
                tidemark::testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_))
        << to;
  }
  ASSERT_OK(store->Checkpoint((dir.path() / "good").string()));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "good" / "CURRENT"));
}

TEST(RocksDbStoreTest, ReopenKeepsDataAndCheckpointRestores) {
  TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string backup = (dir.path() / "backup").string();
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenRocksDbStore(db));
    WriteBatch b;
    for (int i = 0; i < 100; ++i) b.Put(ColumnFamily::kHistory, "k" + std::to_string(i), "v");
    ASSERT_OK(store->Write(b));
    ASSERT_OK(store->Checkpoint(backup));
    EXPECT_THAT(store->Checkpoint(backup),
                tidemark::testing::StatusIs(absl::StatusCode::kAlreadyExists,
                                            ::testing::HasSubstr("exists")));
    WriteBatch after;
    after.Put(ColumnFamily::kHistory, "later", "v");
    ASSERT_OK(store->Write(after));
  }
  ASSERT_OK_AND_ASSIGN(auto reopened, OpenRocksDbStore(db));
  EXPECT_EQ(ScanKeys(*reopened, ColumnFamily::kHistory, "").size(), 101u);
  ASSERT_OK_AND_ASSIGN(auto restored, OpenRocksDbStore(backup));
  EXPECT_EQ(ScanKeys(*restored, ColumnFamily::kHistory, "").size(), 100u);
  EXPECT_GT(restored->ApproximateSizeBytes(), 0u);
}

TEST(RocksDbStoreTest, OpenFailsClearlyWhenDirectoryIsAFile) {
  TempDir dir;
  std::string file = (dir.path() / "file").string();
  FILE* f = fopen(file.c_str(), "w");
  fclose(f);
  auto store = OpenRocksDbStore(file);
  EXPECT_FALSE(store.ok());
}

}  // namespace
}  // namespace tidemark::storage
