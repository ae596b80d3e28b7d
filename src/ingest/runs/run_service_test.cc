// Tests of the ingestion run lifecycle: begin, batches, finish/fail, cursors and its errors.
#include "ingest/runs/run_service.h"

#include <gtest/gtest.h>

#include "ingest/testing/lineage_catalog.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::ingest {
namespace {

using ::tidemark::testing::StatusIs;

constexpr char kActor[] = "urn:li:corpuser:ci";

constexpr char kBatch[] = R"json({"writes":[
  {"urn":"urn:li:dataset:(urn:li:dataPlatform:postgres,db.s.b,PROD)","aspect":"upstreamLineage",
   "value":{"upstreams":[{"dataset":"urn:li:dataset:(urn:li:dataPlatform:postgres,db.s.a,PROD)"}]}},
  {"urn":"urn:li:dataset:(urn:li:dataPlatform:postgres,db.s.b,PROD)","aspect":"datasetProperties",
   "value":{"name":"b"}},
  {"urn":"not-a-urn","aspect":"datasetProperties","value":{}}
]})json";

class RunServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(TestLineageCatalog opened, OpenTestLineageCatalog());
    catalog_ = std::move(opened.catalog);
    lineage_ = std::move(opened.lineage);
    service_ = std::make_unique<RunService>(
        *catalog_, std::make_shared<RunStore>(catalog_->Meta(kIngestMetaSpace)));
  }

  catalog::WriteOrigin Origin() const { return {.actor = kActor}; }

  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<lineage::LineageService> lineage_;
  std::unique_ptr<RunService> service_;
};

TEST_F(RunServiceTest, BeginStoresTheSourceInLowerCase) {
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, service_->Begin("Postgres", "db", kActor));
  EXPECT_EQ(run.source(), "postgres");
  EXPECT_EQ(run.state(), v1::RUNNING);
  ASSERT_OK_AND_ASSIGN(v1::IngestRun again, service_->Get(run.id()));
  EXPECT_EQ(again.target(), "db");
}

TEST_F(RunServiceTest, BeginRefusesUnknownAndManualSources) {
  EXPECT_THAT(service_->Begin("nonsense", "x", kActor),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(service_->Begin("manual", "x", kActor),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(service_->Begin("", "x", kActor),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

TEST_F(RunServiceTest, WritesAreCountedAndBadItemsBecomeRunErrors) {
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, service_->Begin("postgres", "db", kActor));
  ASSERT_OK_AND_ASSIGN(v1::IngestRun updated, service_->AddWrites(run.id(), kBatch, Origin()));
  EXPECT_EQ(updated.counts().aspects_written(), 2);
  EXPECT_EQ(updated.counts().aspects_rejected(), 1);
  EXPECT_EQ(updated.error_count(), 1);
  ASSERT_OK_AND_ASSIGN(v1::IngestRun done, service_->Finish(run.id(), {}));
  EXPECT_EQ(done.state(), v1::SUCCEEDED_WITH_ERRORS);
}

TEST_F(RunServiceTest, WritesThatAreNotABatchAreInvalid) {
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, service_->Begin("postgres", "db", kActor));
  EXPECT_THAT(service_->AddWrites(run.id(), "{", Origin()),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

TEST_F(RunServiceTest, FinishRecordsErrorsAndProperties) {
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, service_->Begin("dbt", "m", kActor));
  RunOutcome outcome;
  outcome.properties = {{"revision", "abc"}};
  ASSERT_OK_AND_ASSIGN(v1::IngestRun done, service_->Finish(run.id(), outcome));
  EXPECT_EQ(done.state(), v1::SUCCEEDED);
  EXPECT_EQ(done.properties().at("revision"), "abc");
}

TEST_F(RunServiceTest, FailMarksTheRunFailed) {
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, service_->Begin("repo", "git", kActor));
  v1::IngestError error;
  error.set_message("clone failed");
  ASSERT_OK_AND_ASSIGN(v1::IngestRun done,
                       service_->Finish(run.id(), {.errors = {error}, .failed = true}));
  EXPECT_EQ(done.state(), v1::FAILED);
  EXPECT_EQ(done.error_count(), 1);
}

TEST_F(RunServiceTest, FinishedRunRefusesBatchesAndASecondFinish) {
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, service_->Begin("postgres", "db", kActor));
  ASSERT_OK(service_->Finish(run.id(), {}).status());
  EXPECT_THAT(service_->Finish(run.id(), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  EXPECT_THAT(service_->AddWrites(run.id(), R"({"writes":[]})", Origin()),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  EXPECT_THAT(service_->CheckOpen(run.id()),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  EXPECT_THAT(service_->AddCounts(run.id(), {}, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
}

TEST_F(RunServiceTest, UnknownRunIsNotFound) {
  EXPECT_THAT(service_->Get("r-none"), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  EXPECT_THAT(service_->AddWrites("r-none", R"({"writes":[]})", Origin()),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  EXPECT_THAT(service_->CheckOpen("r-none"), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  EXPECT_THAT(service_->Finish("r-none", {}), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST_F(RunServiceTest, CountsOfABatchWrittenElsewhereAreAdded) {
  ASSERT_OK_AND_ASSIGN(v1::IngestRun run, service_->Begin("trino", "history", kActor));
  ASSERT_OK(service_->CheckOpen(run.id()));
  v1::IngestCounts counts;
  counts.set_aspects_written(4);
  v1::IngestError error;
  error.set_path("rows[3]");
  ASSERT_OK_AND_ASSIGN(v1::IngestRun updated, service_->AddCounts(run.id(), counts, {error}));
  EXPECT_EQ(updated.counts().aspects_written(), 4);
  EXPECT_EQ(updated.error_count(), 1);
}

TEST_F(RunServiceTest, IngestMappingIsOneFinishedRun) {
  Mapping mapping;
  mapping.properties = {{"dbt.invocation_id", "i1"}};
  mapping.Error("catalog.json", "missing");
  ASSERT_OK_AND_ASSIGN(v1::IngestRun done,
                       service_->IngestMapping("dbt", "manifest.json", mapping, Origin()));
  EXPECT_EQ(done.source(), "dbt");
  EXPECT_EQ(done.state(), v1::SUCCEEDED_WITH_ERRORS);
  EXPECT_EQ(done.properties().at("dbt.invocation_id"), "i1");
  ASSERT_OK_AND_ASSIGN(auto list, service_->List(10, "dbt"));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id(), done.id());
}

TEST_F(RunServiceTest, CursorsRoundTrip) {
  ASSERT_OK_AND_ASSIGN(auto none, service_->GetCursor("repo:x"));
  EXPECT_FALSE(none.has_value());
  v1::IngestCursor cursor;
  cursor.set_key("repo:x");
  cursor.set_revision("abc");
  ASSERT_OK(service_->PutCursor(cursor));
  ASSERT_OK_AND_ASSIGN(auto got, service_->GetCursor("repo:x"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->revision(), "abc");
  EXPECT_THAT(service_->PutCursor(v1::IngestCursor()),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

}  // namespace
}  // namespace tidemark::ingest
