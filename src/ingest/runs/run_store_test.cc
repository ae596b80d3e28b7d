// Tests of the ingestion run record and cursors.
#include "ingest/runs/run_store.h"

#include <gtest/gtest.h>

#include "catalog/catalog_service.h"
#include "storage/key_codec.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::ingest {
namespace {

using ::tidemark::testing::StatusIs;

catalog::KeySpace IngestSpace(storage::KvStore& kv) {
  return catalog::KeySpace(&kv, storage::ColumnFamily::kMeta,
                           storage::KeyPrefix({kIngestMetaSpace}));
}

TEST(RunStoreTest, RecordsBatchesAndFinishes) {
  auto kv = storage::NewMemoryStore();
  common::ManualClock clock(1000);
  RunStore runs(IngestSpace(*kv), &clock);
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, runs.Begin("dbt", "manifest.json", "urn:li:corpuser:a"));
  EXPECT_EQ(run.state(), v1::RUNNING);
  v1::IngestCounts c;
  c.set_aspects_written(3);
  c.set_edges_written(2);
  v1::IngestError e;
  e.set_path("models/x.sql");
  e.set_message("bad");
  ASSERT_OK(runs.AddBatch(run.id(), c, {}).status());
  ASSERT_OK(runs.AddBatch(run.id(), c, {e}).status());
  clock.Advance(1000000);
  ASSERT_OK_AND_ASSIGN(v1::IngestRun done, runs.Finish(run.id(), {}, false));
  EXPECT_EQ(done.state(), v1::SUCCEEDED_WITH_ERRORS);
  EXPECT_EQ(done.counts().aspects_written(), 6);
  EXPECT_EQ(done.counts().edges_written(), 4);
  EXPECT_EQ(done.error_count(), 1);
  EXPECT_GT(done.finished_micros(), done.started_micros());
  EXPECT_THAT(runs.AddBatch(run.id(), c, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::HasSubstr("finished")));
}

TEST(RunStoreTest, ListsNewestFirstAndFiltersBySource) {
  auto kv = storage::NewMemoryStore();
  common::ManualClock clock(1000);
  RunStore runs(IngestSpace(*kv), &clock);
  ASSERT_OK_AND_ASSIGN(auto a, runs.Begin("dbt", "a", "u"));
  clock.Advance(1000000);
  ASSERT_OK_AND_ASSIGN(auto b, runs.Begin("postgres", "b", "u"));
  ASSERT_OK_AND_ASSIGN(auto all, runs.List(10));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id(), b.id());
  ASSERT_OK_AND_ASSIGN(auto dbt, runs.List(10, "dbt"));
  ASSERT_EQ(dbt.size(), 1u);
  EXPECT_EQ(dbt[0].id(), a.id());
  EXPECT_THAT(runs.Get("nope"), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST(RunStoreTest, KeepsCursors) {
  auto kv = storage::NewMemoryStore();
  RunStore runs(IngestSpace(*kv));
  ASSERT_OK_AND_ASSIGN(auto missing, runs.GetCursor("repo:x"));
  EXPECT_FALSE(missing.has_value());
  v1::IngestCursor cursor;
  cursor.set_key("repo:x");
  cursor.set_revision("abc");
  ASSERT_OK(runs.PutCursor(cursor));
  ASSERT_OK_AND_ASSIGN(auto got, runs.GetCursor("repo:x"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->revision(), "abc");
}

TEST(RunStoreTest, ReadsRunsAndCursorsOfTheOldMetaLayout) {
  // Before the catalog owned the store, runs and cursors were "ingest/run/<id>" and
  // "ingest/cursor/<key>" keys of the meta column family; opening the catalog moves them.
  std::shared_ptr<storage::KvStore> kv = storage::NewMemoryStore();
  v1::IngestRun old_run;
  old_run.set_id("r0000000000000001-0001");
  old_run.set_source("dbt");
  v1::IngestCursor old_cursor;
  old_cursor.set_key("repo:x");
  old_cursor.set_revision("abc");
  storage::WriteBatch old;
  old.Put(storage::ColumnFamily::kMeta, "ingest/run/" + old_run.id(), old_run.SerializeAsString());
  old.Put(storage::ColumnFamily::kMeta, "ingest/cursor/repo:x", old_cursor.SerializeAsString());
  ASSERT_OK(kv->Write(old));
  ASSERT_OK_AND_ASSIGN(auto catalog, catalog::CatalogService::Open(
                                         kv, catalog::AspectRegistry::WithCatalogAspects()));
  RunStore runs(catalog->Meta(kIngestMetaSpace));
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, runs.Get(old_run.id()));
  EXPECT_EQ(run.source(), "dbt");
  ASSERT_OK_AND_ASSIGN(auto listed, runs.List(10));
  EXPECT_EQ(listed.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto cursor, runs.GetCursor("repo:x"));
  ASSERT_TRUE(cursor.has_value());
  EXPECT_EQ(cursor->revision(), "abc");
}

}  // namespace
}  // namespace tidemark::ingest
