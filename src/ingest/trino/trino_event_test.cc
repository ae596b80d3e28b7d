// TrinoEventIngestor against an in-memory catalog with the lineage hooks attached: the HTTP event
// listener fixtures give lineage and usage, re-delivery changes nothing, failed queries give usage
// only, bad events are rejected with nothing written.
#include "ingest/trino/trino_event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ingest/openlineage/openlineage_ingestor.h"
#include "ingest/testing/engine_catalog.h"
#include "lineage/dataset_aliases.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tidemark/v1/ingest.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

std::string Event(const std::string& name) {
  return testing::ReadFile(testing::FixturesDir() / "trino/http-event-listener" / name);
}

class TrinoEventTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(TestEngineCatalog engine, OpenTestEngineCatalog());
    catalog_ = std::move(engine.catalog);
    lineage_ = std::move(engine.lineage);
    ingestor_ = std::make_unique<TrinoEventIngestor>(*catalog_);
  }
  absl::StatusOr<TrinoIngestResult> Ingest(const std::string& body) {
    return ingestor_->IngestJson(body, {.source = v1::TRINO});
  }
  template <typename T>
  std::shared_ptr<const T> Aspect(const Urn& urn, std::string_view aspect) {
    auto v = catalog_->GetAspect(urn, aspect);
    return v.ok() ? std::dynamic_pointer_cast<const T>(v->value) : nullptr;
  }
  uint64_t LatestSeq() { return catalog_->ReadChanges(0, 1)->latest_seq; }

  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<lineage::LineageService> lineage_;
  std::unique_ptr<TrinoEventIngestor> ingestor_;
};

TEST_F(TrinoEventTest, InsertSelectGivesLineageAndUsageOnce) {
  ASSERT_OK_AND_ASSIGN(TrinoIngestResult r, Ingest(Event("query_completed_insert_select.json")));
  EXPECT_GT(r.written, 0);
  const Urn t = Urn::Dataset("trino", "hive.s.t"), t1 = Urn::Dataset("trino", "hive.s.t1");
  auto up = Aspect<v1::UpstreamLineage>(t1, "upstreamLineage");
  ASSERT_NE(up, nullptr);
  ASSERT_EQ(up->upstreams_size(), 1);
  EXPECT_EQ(up->upstreams(0).dataset(), t.ToString());
  EXPECT_EQ(up->fine_grained_lineages_size(), 2);
  auto usage = Aspect<v1::DatasetUsage>(t, "datasetUsage");
  ASSERT_NE(usage, nullptr);
  EXPECT_EQ(usage->queries(), 1);
  EXPECT_EQ(usage->top_users(0).user(), "urn:li:corpuser:root");
  const uint64_t seq = LatestSeq();
  ASSERT_OK_AND_ASSIGN(TrinoIngestResult again,
                       Ingest(Event("query_completed_insert_select.json")));
  EXPECT_EQ(again.written, 0);
  EXPECT_EQ(LatestSeq(), seq);
}

TEST_F(TrinoEventTest, AliasedTablesResolveToTheirCanonicalUrns) {
  // hive.s.t read through Trino is the Hive table s.t that other producers report.
  const Urn alias = Urn::Dataset("trino", "hive.s.t"), canonical = Urn::Dataset("hive", "s.t");
  ASSERT_OK_AND_ASSIGN(
      lineage::DatasetAliases aliases,
      lineage::DatasetAliases::FromPairs({{alias.ToString(), canonical.ToString()}}));
  lineage::DatasetAliases::SetGlobal(
      std::make_shared<const lineage::DatasetAliases>(std::move(aliases)));
  const absl::Status ingested = Ingest(Event("query_completed_insert_select.json")).status();
  lineage::DatasetAliases::SetGlobal(nullptr);
  ASSERT_OK(ingested);
  auto up = Aspect<v1::UpstreamLineage>(Urn::Dataset("trino", "hive.s.t1"), "upstreamLineage");
  ASSERT_NE(up, nullptr);
  ASSERT_EQ(up->upstreams_size(), 1);
  EXPECT_EQ(up->upstreams(0).dataset(), canonical.ToString());
  for (const auto& fg : up->fine_grained_lineages()) {
    for (const auto& field : fg.upstreams()) {
      EXPECT_THAT(field, HasSubstr(canonical.ToString()));
    }
  }
  EXPECT_NE(Aspect<v1::DatasetUsage>(canonical, "datasetUsage"), nullptr);
  EXPECT_EQ(Aspect<v1::DatasetUsage>(alias, "datasetUsage"), nullptr);
}

TEST_F(TrinoEventTest, FailedQueriesCountUsageButNoLineage) {
  std::string event = Event("query_completed_insert_select.json");
  event.replace(event.rfind('}'), 1, R"(,"failureInfo":{"errorCode":{"name":"X"}}})");
  ASSERT_OK_AND_ASSIGN(TrinoIngestResult r, Ingest(event));
  EXPECT_EQ(r.failed_queries, 1);
  EXPECT_EQ(Aspect<v1::UpstreamLineage>(Urn::Dataset("trino", "hive.s.t1"), "upstreamLineage"),
            nullptr);
  EXPECT_NE(Aspect<v1::DatasetUsage>(Urn::Dataset("trino", "hive.s.t"), "datasetUsage"), nullptr);
}

TEST_F(TrinoEventTest, BadEventsAreRejected) {
  EXPECT_THAT(Ingest("{"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid JSON")));
  EXPECT_THAT(Ingest(R"({"metadata":{"queryId":"q"},"context":{"user":"u"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("endTime: required")));
  EXPECT_THAT(Ingest(R"({"metadata":{"queryId":"q"},"context":{"user":"u"},"endTime":1,
                         "ioMetadata":{"inputs":[{"catalogName":"c","schema":"s"}]}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ioMetadata.inputs[0].table: required")));
  EXPECT_EQ(LatestSeq(), 0u);
}

}  // namespace
}  // namespace tidemark::ingest
