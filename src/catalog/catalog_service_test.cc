// CatalogService behaviour on the real RocksDB store: versions, attribution, atomic batches, soft
// delete and purge, change-log order, secondary indexes, hooks, and reopening a closed store.
#include "catalog/catalog_service.h"

#include <gtest/gtest.h>

#include "storage/key_codec.h"
#include "storage/kv_store.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::catalog {
namespace {

using common::Urn;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

// An ok StatusOr holding `expected`.
MATCHER_P(IsOkAndHolds, expected, "") { return arg.ok() && *arg == expected; }

const Urn kInvoices = Urn::Dataset("trino", "lake.billing.invoices");
const Urn kUsers = Urn::Dataset("postgres", "app.public.users");

std::unique_ptr<google::protobuf::Message> Description(std::string text) {
  auto p = std::make_unique<v1::DatasetProperties>();
  p->set_description(std::move(text));
  return p;
}

std::unique_ptr<google::protobuf::Message> Owners(std::vector<std::string> owners) {
  auto o = std::make_unique<v1::Ownership>();
  for (auto& name : owners) {
    auto* owner = o->add_owners();
    owner->set_owner(name);
    owner->set_type(v1::TECHNICAL_OWNER);
  }
  return o;
}

class CatalogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    catalog_.reset();
    store_.reset();
    auto store = storage::OpenRocksDbStore((dir_.path() / "db").string(), {.sync_writes = false});
    ASSERT_OK(store);
    store_ = std::shared_ptr<storage::KvStore>(std::move(store).value());
    auto catalog = CatalogService::Open(store_, AspectRegistry::WithCatalogAspects(), &clock_);
    ASSERT_OK(catalog);
    catalog_ = std::move(catalog).value();
  }
  WriteResult Put(const Urn& urn, std::string aspect, std::unique_ptr<google::protobuf::Message> v,
                  std::string actor = "urn:li:corpuser:alice") {
    std::vector<AspectWrite> writes;
    writes.push_back({urn, std::move(aspect), std::move(v)});
    auto results =
        catalog_->Write(std::move(writes), {.actor = actor, .source = v1::API, .run_id = "r1"});
    if (!results.ok()) {
      ADD_FAILURE() << results.status();
      std::abort();
    }
    return results->front();
  }

  testing::TempDir dir_;
  common::ManualClock clock_;
  std::shared_ptr<storage::KvStore> store_;
  std::unique_ptr<CatalogService> catalog_;
};

TEST_F(CatalogServiceTest, EveryWriteCreatesAnAttributedVersion) {
  EXPECT_EQ(Put(kInvoices, "datasetProperties", Description("v1")).aspect.version, 1);
  clock_.Advance(1000);
  WriteResult second =
      Put(kInvoices, "datasetProperties", Description("v2"), "urn:li:corpuser:bob");
  EXPECT_EQ(second.aspect.version, 2);
  EXPECT_EQ(second.aspect.written.actor(), "urn:li:corpuser:bob");
  EXPECT_EQ(second.aspect.written.run_id(), "r1");

  ASSERT_OK_AND_ASSIGN(auto latest, catalog_->GetAspect(kInvoices, "datasetProperties"));
  EXPECT_EQ(latest.version, 2);
  EXPECT_EQ(static_cast<const v1::DatasetProperties&>(*latest.value).description(), "v2");
  ASSERT_OK_AND_ASSIGN(auto first, catalog_->GetAspect(kInvoices, "datasetProperties", 1));
  EXPECT_EQ(static_cast<const v1::DatasetProperties&>(*first.value).description(), "v1");
  EXPECT_EQ(first.written.actor(), "urn:li:corpuser:alice");
  EXPECT_LT(first.written.time_micros(), latest.written.time_micros());

  ASSERT_OK_AND_ASSIGN(auto history, catalog_->GetHistory(kInvoices, "datasetProperties", 10));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].version, 2);
  EXPECT_EQ(history[1].version, 1);
  ASSERT_OK_AND_ASSIGN(auto older, catalog_->GetHistory(kInvoices, "datasetProperties", 10, 2));
  ASSERT_EQ(older.size(), 1u);
  EXPECT_EQ(older[0].version, 1);
  EXPECT_THAT(catalog_->GetAspect(kInvoices, "datasetProperties", 7),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("version 7")));
}

TEST_F(CatalogServiceTest, IdenticalValueWritesNothing) {
  Put(kInvoices, "datasetProperties", Description("same"));
  WriteResult again = Put(kInvoices, "datasetProperties", Description("same"));
  EXPECT_TRUE(again.unchanged);
  EXPECT_EQ(again.aspect.version, 1);
  ASSERT_OK_AND_ASSIGN(auto page, catalog_->ReadChanges(0, 100));
  EXPECT_EQ(page.events.size(), 1u);
}

TEST_F(CatalogServiceTest, BatchIsAtomicAcrossEntitiesAndChangeLog) {
  std::vector<AspectWrite> writes;
  writes.push_back({kInvoices, "datasetProperties", Description("a")});
  writes.push_back({kUsers, "ownership", Owners({"urn:li:corpuser:carol"})});
  writes.push_back({kInvoices, "datasetProperties", Description("b")});
  ASSERT_OK_AND_ASSIGN(auto results, catalog_->Write(std::move(writes), {}));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[2].aspect.version, 2);  // chained within the batch
  ASSERT_OK_AND_ASSIGN(auto page, catalog_->ReadChanges(0, 100));
  ASSERT_EQ(page.events.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(page.events[i].seq(), i + 1);
    EXPECT_EQ(page.events[i].batch_seq(), 1u);
  }

  // A write aimed at an aspect that cannot go on that entity type fails before anything is written.
  std::vector<AspectWrite> bad;
  bad.push_back({kUsers, "datasetProperties", Description("never")});
  bad.push_back({Urn::CorpUser("dave"), "schemaMetadata", std::make_unique<v1::SchemaMetadata>()});
  EXPECT_THAT(
      catalog_->Write(std::move(bad), {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot be attached to a corpuser")));
  EXPECT_THAT(catalog_->GetAspect(kUsers, "datasetProperties"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("")));
  ASSERT_OK_AND_ASSIGN(auto after, catalog_->ReadChanges(0, 100));
  EXPECT_EQ(after.events.size(), 3u);
}

TEST_F(CatalogServiceTest, FailingHookAbortsTheWholeBatch) {
  catalog_->AddHook("ownership", {.before_write = [](auto&, auto*, auto&, auto&) {
                      return absl::FailedPreconditionError("hook says no");
                    }});
  std::vector<AspectWrite> writes;
  writes.push_back({kInvoices, "datasetProperties", Description("a")});
  writes.push_back({kInvoices, "ownership", Owners({"urn:li:corpuser:carol"})});
  EXPECT_THAT(catalog_->Write(std::move(writes), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("hook says no")));
  EXPECT_THAT(catalog_->Exists(kInvoices), IsOkAndHolds(false));
  ASSERT_OK_AND_ASSIGN(auto page, catalog_->ReadChanges(0, 10));
  EXPECT_TRUE(page.events.empty());
}

TEST_F(CatalogServiceTest, HooksSeePreviousValueAndRunAfterCommit) {
  std::vector<int64_t> committed_versions;
  bool saw_previous = false;
  catalog_->AddHook("datasetProperties",
                    {.before_write =
                         [&](const Urn&, const google::protobuf::Message* previous,
                             google::protobuf::Message& value, auto&) {
                           saw_previous = previous != nullptr;
                           static_cast<v1::DatasetProperties&>(value).set_name("set by hook");
                           return absl::OkStatus();
                         },
                     .after_commit =
                         [&](const std::vector<WriteResult>& results, const WriteTransaction&) {
                           for (const auto& r : results)
                             committed_versions.push_back(r.aspect.version);
                         }});
  Put(kInvoices, "datasetProperties", Description("x"));
  EXPECT_FALSE(saw_previous);
  Put(kInvoices, "datasetProperties", Description("y"));
  EXPECT_TRUE(saw_previous);
  EXPECT_EQ(committed_versions, (std::vector<int64_t>{1, 2}));
  ASSERT_OK_AND_ASSIGN(auto latest, catalog_->GetAspect(kInvoices, "datasetProperties"));
  EXPECT_EQ(static_cast<const v1::DatasetProperties&>(*latest.value).name(), "set by hook");
}

TEST_F(CatalogServiceTest, SeveralHooksRunAndSeeUnchangedWritesFlagged) {
  std::vector<std::string> calls;
  for (std::string name : {"first", "second"}) {
    catalog_->AddHook("datasetProperties",
                      {.after_commit = [&calls, name](const std::vector<WriteResult>& results,
                                                      const WriteTransaction&) {
                        for (const auto& r : results) {
                          calls.push_back(name + (r.unchanged ? ":unchanged" : ":changed"));
                        }
                      }});
  }
  Put(kInvoices, "datasetProperties", Description("x"));
  Put(kInvoices, "datasetProperties", Description("x"));
  EXPECT_EQ(calls, (std::vector<std::string>{"first:changed", "second:changed", "first:unchanged",
                                             "second:unchanged"}));
}

TEST_F(CatalogServiceTest, SoftDeleteKeepsDataAndPurgeRemovesEverything) {
  Put(kInvoices, "datasetProperties", Description("x"));
  Put(kInvoices, "ownership", Owners({"urn:li:corpuser:carol"}));
  EXPECT_THAT(catalog_->IsRemoved(kInvoices), IsOkAndHolds(false));
  ASSERT_OK(catalog_->SoftDelete(kInvoices, {}));
  EXPECT_THAT(catalog_->IsRemoved(kInvoices), IsOkAndHolds(true));
  EXPECT_OK(catalog_->GetAspect(kInvoices, "datasetProperties"));
  EXPECT_THAT(catalog_->SoftDelete(kUsers, {}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));

  ASSERT_OK_AND_ASSIGN(auto owned, catalog_->ScanIndex("owner", "urn:li:corpuser:carol", "", 10));
  EXPECT_EQ(owned, std::vector<std::string>{kInvoices.ToString()});
  // Both indexes hold the entity before the purge, so their emptiness after it is the purge's work.
  ASSERT_OK_AND_ASSIGN(auto datasets_before, catalog_->ScanIndex("type", "dataset", "", 10));
  EXPECT_EQ(datasets_before, std::vector<std::string>{kInvoices.ToString()});
  ASSERT_OK(catalog_->Purge(kInvoices, {}));
  EXPECT_THAT(catalog_->Exists(kInvoices), IsOkAndHolds(false));
  EXPECT_THAT(catalog_->GetEntity(kInvoices),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
  EXPECT_THAT(catalog_->GetHistory(kInvoices, "datasetProperties", 10),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("")));
  ASSERT_OK_AND_ASSIGN(auto owned_after,
                       catalog_->ScanIndex("owner", "urn:li:corpuser:carol", "", 10));
  EXPECT_TRUE(owned_after.empty());
  ASSERT_OK_AND_ASSIGN(auto datasets, catalog_->ScanIndex("type", "dataset", "", 10));
  EXPECT_TRUE(datasets.empty());

  ASSERT_OK_AND_ASSIGN(auto page, catalog_->ReadChanges(0, 100));
  ASSERT_EQ(page.events.size(), 4u);
  EXPECT_EQ(page.events[2].type(), v1::SOFT_DELETE);
  EXPECT_EQ(page.events[3].type(), v1::PURGE);
  // A purged entity can be written again from version 1.
  EXPECT_EQ(Put(kInvoices, "datasetProperties", Description("again")).aspect.version, 1);
}

TEST_F(CatalogServiceTest, ChangeLogPagesInOrder) {
  for (int i = 0; i < 25; ++i) Put(kInvoices, "datasetProperties", Description(std::to_string(i)));
  std::vector<uint64_t> seqs;
  uint64_t since = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto page, catalog_->ReadChanges(since, 10));
    EXPECT_EQ(page.latest_seq, 25u);
    if (page.events.empty()) break;
    for (const auto& e : page.events) seqs.push_back(e.seq());
    since = page.next_since;
  }
  ASSERT_EQ(seqs.size(), 25u);
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1);
}

TEST_F(CatalogServiceTest, IndexesFollowOwnershipChangesAndPlatforms) {
  Put(kInvoices, "ownership", Owners({"urn:li:corpuser:carol", "urn:li:corpGroup:billing"}));
  Put(kUsers, "ownership", Owners({"urn:li:corpGroup:billing"}));
  ASSERT_OK_AND_ASSIGN(auto billing,
                       catalog_->ScanIndex("owner", "urn:li:corpGroup:billing", "", 10));
  EXPECT_EQ(billing.size(), 2u);
  Put(kInvoices, "ownership", Owners({"urn:li:corpuser:carol"}));
  ASSERT_OK_AND_ASSIGN(auto billing_after,
                       catalog_->ScanIndex("owner", "urn:li:corpGroup:billing", "", 10));
  EXPECT_EQ(billing_after, std::vector<std::string>{kUsers.ToString()});
  ASSERT_OK_AND_ASSIGN(auto trino, catalog_->ScanIndex("platform.dataset", "trino", "", 10));
  EXPECT_EQ(trino, std::vector<std::string>{kInvoices.ToString()});
  // URN order: the postgres dataset sorts before the trino one; scans resume after a given URN.
  ASSERT_OK_AND_ASSIGN(auto after_users,
                       catalog_->ScanIndex("type", "dataset", kUsers.ToString(), 10));
  EXPECT_EQ(after_users, std::vector<std::string>{kInvoices.ToString()});
  ASSERT_OK_AND_ASSIGN(auto after_invoices,
                       catalog_->ScanIndex("type", "dataset", kInvoices.ToString(), 10));
  EXPECT_TRUE(after_invoices.empty());
}

TEST_F(CatalogServiceTest, RegisteredIndexEntriesKeepTheirPayloadInKeyOrder) {
  // An upper module registers its own ordered index (sort key, then URN) with a payload.
  ASSERT_OK_AND_ASSIGN(KeySpace index, catalog_->RegisterIndex("byDescription"));
  catalog_->AddHook(
      "datasetProperties",
      {.before_write = [index](const Urn& urn, const google::protobuf::Message*,
                               google::protobuf::Message& value, WriteTransaction& txn) {
        const auto& p = static_cast<const v1::DatasetProperties&>(value);
        index.Put(txn, storage::JoinKey({"", p.description(), urn.ToString()}),
                  "payload of " + p.description());
        return absl::OkStatus();
      }});
  Put(kInvoices, "datasetProperties", Description("b"));
  Put(kUsers, "datasetProperties", Description("a"));
  ASSERT_OK_AND_ASSIGN(auto entries, catalog_->ScanIndexEntries("byDescription", "", "", 10));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].first, storage::JoinKey({"a", kUsers.ToString()}));
  EXPECT_EQ(entries[0].second, "payload of a");
  EXPECT_EQ(entries[1].second, "payload of b");
  ASSERT_OK_AND_ASSIGN(auto rest,
                       catalog_->ScanIndexEntries("byDescription", "", entries[0].first, 10));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].first, storage::JoinKey({"b", kInvoices.ToString()}));
  ASSERT_OK_AND_ASSIGN(auto one, catalog_->ScanIndexEntries("byDescription", "", "", 1));
  EXPECT_EQ(one.size(), 1u);
}

TEST_F(CatalogServiceTest, IndexNamesHaveOneOwner) {
  EXPECT_THAT(catalog_->RegisterIndex("owner"),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("")));
  EXPECT_THAT(catalog_->RegisterIndex("platform.dataset"),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("")));
  ASSERT_OK(catalog_->RegisterIndex("mine"));
  EXPECT_THAT(catalog_->RegisterIndex("mine"),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("")));
  ASSERT_OK_AND_ASSIGN(KeySpace mine, catalog_->RegisterIndex("mine2"));
  ASSERT_OK(mine.Put(storage::JoinKey({"v", kInvoices.ToString()}), ""));
  EXPECT_THAT(catalog_->HasIndexEntry("mine2", "v", kInvoices), IsOkAndHolds(true));
  EXPECT_THAT(catalog_->HasIndexEntry("mine", "v", kInvoices), IsOkAndHolds(false));
}

TEST_F(CatalogServiceTest, MetaSpacesAreSeparateAndSurviveReopen) {
  KeySpace a = catalog_->Meta("a");
  ASSERT_OK(a.Put("k", "1"));
  ASSERT_OK(catalog_->Meta("ab").Put("k", "2"));
  EXPECT_THAT(a.Get("k"), IsOkAndHolds(std::optional<std::string>("1")));
  std::vector<std::string> keys;
  ASSERT_OK(a.Scan("", "", [&](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return true;
  }));
  EXPECT_EQ(keys, std::vector<std::string>{"k"});
  Open();
  EXPECT_THAT(catalog_->Meta("ab").Get("k"), IsOkAndHolds(std::optional<std::string>("2")));
}

TEST_F(CatalogServiceTest, OpensAStoreWrittenInTheOldMetaLayout) {
  catalog_.reset();
  storage::WriteBatch old;
  const std::string tombstone = storage::JoinKey({kInvoices.ToString(), "globalTags", "t"});
  old.Put(storage::ColumnFamily::kMeta, "removed" + std::string(1, '\0') + tombstone, "bob 1");
  old.Put(storage::ColumnFamily::kMeta, "glossary.propagation.cursor", "42");
  old.Put(storage::ColumnFamily::kMeta, "usage/rankIndexVersion", "1");
  old.Put(storage::ColumnFamily::kMeta, "ingest/run/r1", "run");
  old.Put(storage::ColumnFamily::kMeta, "ingest/cursor/pg/main", "cursor");
  ASSERT_OK(store_->Write(old));
  ASSERT_OK_AND_ASSIGN(catalog_,
                       CatalogService::Open(store_, AspectRegistry::WithCatalogAspects(), &clock_));
  using Value = std::optional<std::string>;
  KeySpace glossary = catalog_->Meta("glossary");
  EXPECT_THAT(glossary.Get(storage::JoinKey({"removed", tombstone})), IsOkAndHolds(Value("bob 1")));
  EXPECT_THAT(glossary.Get(storage::JoinKey({"propagation", "cursor"})), IsOkAndHolds(Value("42")));
  EXPECT_THAT(catalog_->Meta("usage").Get("rankIndexVersion"), IsOkAndHolds(Value("1")));
  KeySpace ingest = catalog_->Meta("ingest");
  EXPECT_THAT(ingest.Get(storage::JoinKey({"run", "r1"})), IsOkAndHolds(Value("run")));
  EXPECT_THAT(ingest.Get(storage::JoinKey({"cursor", "pg/main"})), IsOkAndHolds(Value("cursor")));
  EXPECT_THAT(store_->Get(storage::ColumnFamily::kMeta, "glossary.propagation.cursor"),
              IsOkAndHolds(Value()));
}

TEST_F(CatalogServiceTest, HooksOfOneBatchShareOneTransaction) {
  std::vector<uint64_t> before, after;
  std::vector<bool> purges;
  catalog_->AddHook(
      "datasetProperties",
      {.before_write =
           [&](const Urn&, const google::protobuf::Message*, google::protobuf::Message&,
               WriteTransaction& txn) {
             before.push_back(txn.batch_id());
             EXPECT_FALSE(txn.is_purge());
             EXPECT_EQ(txn.context().actor(), "urn:li:corpuser:alice");
             return absl::OkStatus();
           },
       .before_purge =
           [&](const Urn&, const google::protobuf::Message&, WriteTransaction& txn) {
             purges.push_back(txn.is_purge());
             return absl::OkStatus();
           },
       .after_commit = [&](const std::vector<WriteResult>&,
                           const WriteTransaction& txn) { after.push_back(txn.batch_id()); }});
  std::vector<AspectWrite> writes;
  writes.push_back({kInvoices, "datasetProperties", Description("a")});
  writes.push_back({kUsers, "datasetProperties", Description("b")});
  ASSERT_OK(catalog_->Write(std::move(writes), {.actor = "urn:li:corpuser:alice"}));
  Put(kInvoices, "datasetProperties", Description("c"));
  ASSERT_EQ(before.size(), 3u);
  EXPECT_EQ(before[0], before[1]);
  EXPECT_NE(before[1], before[2]);
  EXPECT_EQ(after, (std::vector<uint64_t>{before[0], before[2]}));
  ASSERT_OK(catalog_->Purge(kInvoices, {}));
  EXPECT_EQ(purges, std::vector<bool>{true});
}

TEST_F(CatalogServiceTest, BackupWritesAnOpenableCopyAndRefusesBadDestinations) {
  Put(kInvoices, "datasetProperties", Description("a"));
  const std::string copy = (dir_.path() / "backup").string();
  ASSERT_OK(catalog_->Backup(copy));
  EXPECT_THAT(catalog_->Backup(copy), StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("")));
  EXPECT_THAT(catalog_->Backup("relative/dir"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not absolute")));
  ASSERT_OK_AND_ASSIGN(auto store, storage::OpenRocksDbStore(copy, {.sync_writes = false}));
  ASSERT_OK_AND_ASSIGN(auto reopened,
                       CatalogService::Open(std::shared_ptr<storage::KvStore>(std::move(store)),
                                            AspectRegistry::WithCatalogAspects(), &clock_));
  EXPECT_THAT(reopened->Exists(kInvoices), IsOkAndHolds(true));
}

TEST_F(CatalogServiceTest, ReopenAfterCloseContinuesVersionsAndSequence) {
  Put(kInvoices, "datasetProperties", Description("a"));
  Put(kInvoices, "datasetProperties", Description("b"));
  Open();
  EXPECT_EQ(Put(kInvoices, "datasetProperties", Description("c")).aspect.version, 3);
  ASSERT_OK_AND_ASSIGN(auto page, catalog_->ReadChanges(0, 10));
  ASSERT_EQ(page.events.size(), 3u);
  EXPECT_EQ(page.events.back().seq(), 3u);
}

}  // namespace
}  // namespace tidemark::catalog
