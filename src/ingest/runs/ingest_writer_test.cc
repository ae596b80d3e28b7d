// Tests of tolerant batch parsing and the idempotent, counted writer.
#include "ingest/runs/ingest_writer.h"

#include <gtest/gtest.h>

#include "ingest/testing/lineage_catalog.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::ingest {
namespace {

class IngestWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(TestLineageCatalog opened, OpenTestLineageCatalog());
    catalog_ = std::move(opened.catalog);
    lineage_ = std::move(opened.lineage);
  }
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<lineage::LineageService> lineage_;
};

constexpr char kBody[] = R"json({"writes":[
  {"urn":"urn:li:dataset:(urn:li:dataPlatform:postgres,db.s.b,PROD)","aspect":"upstreamLineage",
   "value":{"upstreams":[{"dataset":"urn:li:dataset:(urn:li:dataPlatform:postgres,db.s.a,PROD)"}]}},
  {"urn":"urn:li:dataset:(urn:li:dataPlatform:postgres,db.s.b,PROD)","aspect":"datasetProperties",
   "value":{"name":"b"}},
  {"urn":"not-a-urn","aspect":"datasetProperties","value":{}},
  {"urn":"urn:li:dataset:(urn:li:dataPlatform:postgres,db.s.b,PROD)","aspect":"noSuchAspect",
   "value":{}}
]})json";

TEST_F(IngestWriterTest, BadItemsAreReportedAndTheRestWritten) {
  ASSERT_OK_AND_ASSIGN(ParsedWrites parsed, ParseWritesTolerant(catalog_->registry(), kBody));
  EXPECT_EQ(parsed.writes.size(), 2u);
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_EQ(parsed.errors[0].path(), "writes[2] not-a-urn");
  EXPECT_NE(parsed.errors[1].message().find("noSuchAspect"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(v1::IngestCounts counts, WriteIngested(*catalog_, std::move(parsed.writes),
                                                              {.source = v1::DBT, .run_id = "r1"}));
  EXPECT_EQ(counts.aspects_written(), 2);
  EXPECT_EQ(counts.edges_written(), 1);
  EXPECT_EQ(counts.entities_written(), 1);
}

TEST_F(IngestWriterTest, SameLineageFromAnotherRunIsUnchanged) {
  for (int run = 0; run < 2; ++run) {
    ASSERT_OK_AND_ASSIGN(ParsedWrites parsed, ParseWritesTolerant(catalog_->registry(), kBody));
    ASSERT_OK_AND_ASSIGN(v1::IngestCounts counts,
                         WriteIngested(*catalog_, std::move(parsed.writes),
                                       {.source = v1::DBT, .run_id = run == 0 ? "r1" : "r2"}));
    EXPECT_EQ(counts.aspects_written(), run == 0 ? 2 : 0);
    EXPECT_EQ(counts.aspects_unchanged(), run == 0 ? 0 : 2);
    EXPECT_EQ(counts.edges_unchanged(), run == 0 ? 0 : 1);
  }
}

TEST_F(IngestWriterTest, RejectsBodiesThatAreNotBatches) {
  EXPECT_FALSE(ParseWritesTolerant(catalog_->registry(), "{").ok());
  EXPECT_FALSE(ParseWritesTolerant(catalog_->registry(), R"({"x":1})").ok());
}

}  // namespace
}  // namespace tidemark::ingest
