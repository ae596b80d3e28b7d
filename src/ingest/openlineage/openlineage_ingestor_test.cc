// OpenLineageIngestor against an in-memory catalog with the lineage hooks attached: every complete
// fixture event ingests, mapping of facets, column lineage with transformations, runs, idempotent
// re-delivery, stale events and all-or-nothing batches.
#include "ingest/openlineage/openlineage_ingestor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "catalog/catalog_service.h"
#include "common/clock.h"
#include "ingest/openlineage/json_fields.h"
#include "ingest/testing/engine_catalog.h"
#include "lineage/dataset_aliases.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "lineage/openlineage_naming.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/ingest.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

using testing::ReadFile;

std::filesystem::path Events() { return testing::FixturesDir() / "openlineage" / "events"; }

// A run id of the required form (a UUID), distinct per `n`.
std::string RunId(int n) { return absl::StrFormat("00000000-0000-4000-8000-%012d", n); }

class OpenLineageIngestorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(TestEngineCatalog engine, OpenTestEngineCatalog(&clock_));
    catalog_ = std::move(engine.catalog);
    lineage_ = std::move(engine.lineage);
    ingestor_ = std::make_unique<OpenLineageIngestor>(*catalog_);
  }

  absl::StatusOr<OpenLineageIngestResult> Ingest(const std::string& body) {
    return ingestor_->IngestJson(body, {.source = v1::OPENLINEAGE});
  }
  OpenLineageIngestResult IngestFile(const std::string& name) {
    std::string text = ReadFile(Events() / name);
    if (name.find(".template.") != std::string::npos) {
      text = SubstituteMarquezTemplate(text, 1'700'000'000'000'000);
    }
    auto r = Ingest(text);
    EXPECT_TRUE(r.ok()) << name << ": " << r.status();
    return r.ok() ? *r : OpenLineageIngestResult{};
  }
  template <typename T>
  std::shared_ptr<const T> Aspect(const Urn& urn, std::string_view aspect) {
    auto v = catalog_->GetAspect(urn, aspect);
    if (!v.ok()) return nullptr;
    return std::dynamic_pointer_cast<const T>(v->value);
  }
  uint64_t LatestSeq() {
    auto page = catalog_->ReadChanges(0, 1);
    return page.ok() ? page->latest_seq : 0;
  }

  common::ManualClock clock_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<lineage::LineageService> lineage_;
  std::unique_ptr<OpenLineageIngestor> ingestor_;
};

// The spec's own sample event carries the placeholder run id "run_id", which is not a UUID.
constexpr std::string_view kPlaceholderRunIdFixture = "simple_run_event_spec_1-0-5.json";

TEST_F(OpenLineageIngestorTest, EveryCompleteFixtureEventIngestsAndIsIdempotent) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(Events())) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    if (name == kPlaceholderRunIdFixture) {
      EXPECT_THAT(Ingest(ReadFile(entry.path())),
                  StatusIs(absl::StatusCode::kInvalidArgument,
                           HasSubstr("run.runId: 'run_id' is not a UUID")));
      ++files;
      continue;
    }
    OpenLineageIngestResult first = IngestFile(name);
    EXPECT_GT(first.events, 0);
    const uint64_t seq = LatestSeq();
    OpenLineageIngestResult again = IngestFile(name);
    EXPECT_EQ(again.written, 0) << "re-delivery wrote something";
    EXPECT_EQ(LatestSeq(), seq);
    ++files;
  }
  EXPECT_EQ(files, 19);
}

TEST_F(OpenLineageIngestorTest, AirflowColumnLineageKeepsDeprecatedTransformationForm) {
  IngestFile("airflow_task_complete_columnlineage.json");
  const Urn out = Urn::Dataset("bigquery", "mock-project.test.upload");
  auto up = Aspect<v1::UpstreamLineage>(out, "upstreamLineage");
  ASSERT_NE(up, nullptr);
  ASSERT_EQ(up->upstreams_size(), 2);
  EXPECT_EQ(up->upstreams(0).dataset(), Urn::Dataset("gcs", "mock-bucket/copied.csv").ToString());
  EXPECT_EQ(up->upstreams(0).job(),
            "urn:li:dataJob:(urn:li:dataFlow:(airflow,airflow,PROD),BQ.upload)");
  EXPECT_EQ(up->upstreams(0).provenance().source(), v1::OPENLINEAGE);
  EXPECT_EQ(up->upstreams(0).provenance().run_id(), "01936893-9751-7b3c-8f76-8ac6d0e5f8a3");
  ASSERT_EQ(up->fine_grained_lineages_size(), 4);  // a, b, c, d
  const auto& fg = up->fine_grained_lineages(0);
  EXPECT_EQ(fg.transformation_type(), v1::IDENTITY);
  EXPECT_EQ(fg.transform_operation(), "identical");
  EXPECT_EQ(fg.upstreams_size(), 2);
  auto schema = Aspect<v1::SchemaMetadata>(out, "schemaMetadata");
  ASSERT_NE(schema, nullptr);
  EXPECT_EQ(schema->fields_size(), 4);
  auto io = Aspect<v1::DataJobInputOutput>(
      *Urn::Parse("urn:li:dataJob:(urn:li:dataFlow:(airflow,airflow,PROD),BQ.upload)"),
      "dataJobInputOutput");
  ASSERT_NE(io, nullptr);
  EXPECT_EQ(io->input_datasets_size(), 2);
  EXPECT_EQ(io->output_datasets_size(), 1);
}

TEST_F(OpenLineageIngestorTest, SparkColumnLineageKeepsDirectAndIndirectTransformations) {
  IngestFile("spark_cll_complete.json");
  const Urn out = Urn::Dataset("file", "/tmp/cll_test/tbl1");
  auto up = Aspect<v1::UpstreamLineage>(out, "upstreamLineage");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->upstreams_size(), 2);
  const std::string ident = Urn::SchemaField(out, "ident").ToString();
  const std::string a1 =
      Urn::SchemaField(Urn::Dataset("file", "/tmp/cll_test/cll_source1"), "a").ToString();
  bool identity_with_subtypes = false;
  for (const auto& fg : up->fine_grained_lineages()) {
    if (fg.downstreams(0) == ident && fg.transformation_type() == v1::IDENTITY) {
      EXPECT_THAT(fg.upstreams(), ::testing::ElementsAre(a1));
      EXPECT_THAT(fg.subtypes(), ::testing::ElementsAre(v1::FILTER, v1::JOIN, v1::GROUP_BY));
      identity_with_subtypes = true;
    }
  }
  EXPECT_TRUE(identity_with_subtypes);
  auto props = Aspect<v1::DatasetProperties>(out, "datasetProperties");
  ASSERT_NE(props, nullptr);
  EXPECT_EQ(props->custom_properties().at("symlinks"), "file:/tmp/cll_test/default.tbl1 (TABLE)");
}

TEST_F(OpenLineageIngestorTest, RunsRecordStatesAndDurations) {
  IngestFile("airflow_task_start.json");
  IngestFile("airflow_task_complete_columnlineage.json");
  const Urn job = *Urn::Parse("urn:li:dataJob:(urn:li:dataFlow:(airflow,airflow,PROD),BQ.upload)");
  auto runs = Aspect<v1::DataJobRuns>(job, "dataJobRuns");
  ASSERT_NE(runs, nullptr);
  ASSERT_EQ(runs->runs_size(), 1);
  EXPECT_EQ(runs->total_runs(), 1);
  const auto& run = runs->runs(0);
  EXPECT_EQ(run.state(), "COMPLETE");
  EXPECT_EQ(run.duration_millis(), 4058);  // 13:05:25.547948 → 13:05:29.606867
  EXPECT_EQ(run.parent_job(), "urn:li:dataJob:(urn:li:dataFlow:(airflow,airflow,PROD),BQ)");
  // The START delivered again after COMPLETE does not reopen the run.
  IngestFile("airflow_task_start.json");
  EXPECT_EQ(Aspect<v1::DataJobRuns>(job, "dataJobRuns")->runs(0).state(), "COMPLETE");

  IngestFile("spark_failed.json");
  auto failed = Aspect<v1::DataJobRuns>(
      *lineage::JobUrnFromOpenLineage("default",
                                      "cloud_trail_log_statistics.execute_insert_into_hadoop_fs_"
                                      "relation_command.tmp_daily_stats2"),
      "dataJobRuns");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->runs(0).state(), "FAIL");
  EXPECT_EQ(failed->failed_runs(), 1);
  EXPECT_FALSE(failed->runs(0).error_message().empty());
}

TEST_F(OpenLineageIngestorTest, MarquezSeedBuildsTheFoodDeliveryGraph) {
  OpenLineageIngestResult r = IngestFile("marquez_food_delivery_seed.template.json");
  EXPECT_EQ(r.events, 26);
  const Urn orders7 = *ResolveDatasetUrn("food_delivery", "public.orders_7_days");
  auto up = Aspect<v1::UpstreamLineage>(orders7, "upstreamLineage");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->upstreams_size(), 4);  // the COMPLETE without datasets kept START's lineage
  auto props = Aspect<v1::DatasetProperties>(orders7, "datasetProperties");
  ASSERT_NE(props, nullptr);
  EXPECT_FALSE(props->description().empty());
}

TEST_F(OpenLineageIngestorTest, ANewRunReplacesTheJobsLineageAndStaleEventsChangeNothing) {
  auto event = [](const std::string& run, const std::string& time, const std::string& input) {
    return R"({"eventType":"COMPLETE","eventTime":")" + time + R"(","run":{"runId":")" + run +
           R"("},"job":{"namespace":"ns","name":"j"},"producer":"p",
             "inputs":[{"namespace":"postgres://db:5432","name":")" +
           input + R"("}],
             "outputs":[{"namespace":"postgres://db:5432","name":"d.s.out"}]})";
  };
  ASSERT_OK(Ingest(event(RunId(1), "2024-01-01T00:00:00Z", "d.s.a")));
  ASSERT_OK(Ingest(event(RunId(2), "2024-01-02T00:00:00Z", "d.s.b")));
  const Urn out = Urn::Dataset("postgres", "d.s.out");
  auto up = Aspect<v1::UpstreamLineage>(out, "upstreamLineage");
  ASSERT_EQ(up->upstreams_size(), 1);
  EXPECT_EQ(up->upstreams(0).dataset(), Urn::Dataset("postgres", "d.s.b").ToString());
  const uint64_t seq = LatestSeq();
  ASSERT_OK(Ingest(event(RunId(0), "2023-12-01T00:00:00Z", "d.s.c")));  // older run: stale lineage
  up = Aspect<v1::UpstreamLineage>(out, "upstreamLineage");
  ASSERT_EQ(up->upstreams_size(), 1);
  EXPECT_EQ(up->upstreams(0).dataset(), Urn::Dataset("postgres", "d.s.b").ToString());
  EXPECT_GT(LatestSeq(), seq);  // its run is still recorded
}

TEST_F(OpenLineageIngestorTest, AliasedNamespacesOfOneTableEndAsOneNode) {
  // The loader names users through Postgres, the report job through Trino's catalog for it.
  const Urn pg = Urn::Dataset("postgres", "app.public.users");
  const Urn trino = Urn::Dataset("trino", "pg.public.users");
  ASSERT_OK_AND_ASSIGN(lineage::DatasetAliases aliases,
                       lineage::DatasetAliases::FromPairs({{trino.ToString(), pg.ToString()}}));
  lineage::DatasetAliases::SetGlobal(
      std::make_shared<const lineage::DatasetAliases>(std::move(aliases)));
  auto event = [](const std::string& job, const std::string& in_ns, const std::string& in,
                  const std::string& out_ns, const std::string& out) {
    return R"({"eventType":"COMPLETE","eventTime":"2024-01-01T00:00:00Z","run":{"runId":")" +
           RunId(static_cast<int>(job.size())) + R"("},"job":{"namespace":"ns","name":")" + job +
           R"("},"producer":"p",
             "inputs":[{"namespace":")" +
           in_ns + R"(","name":")" + in + R"("}],
             "outputs":[{"namespace":")" +
           out_ns + R"(","name":")" + out + R"("}]})";
  };
  const absl::Status loaded =
      Ingest(event("load", "s3://raw", "users.csv", "postgres://db:5432", "app.public.users"))
          .status();
  const absl::Status reported = Ingest(event("report", "trino://host:8080", "pg.public.users",
                                             "trino://host:8080", "lake.bi.user_report"))
                                    .status();
  lineage::DatasetAliases::SetGlobal(nullptr);
  ASSERT_OK(loaded);
  ASSERT_OK(reported);

  const Urn report = Urn::Dataset("trino", "lake.bi.user_report");
  auto up = Aspect<v1::UpstreamLineage>(report, "upstreamLineage");
  ASSERT_NE(up, nullptr);
  ASSERT_EQ(up->upstreams_size(), 1);
  EXPECT_EQ(up->upstreams(0).dataset(), pg.ToString());
  // One node: the walk down from the raw file passes through the Postgres table to the report,
  // and nothing was written under the alias.
  ASSERT_OK_AND_ASSIGN(lineage::TraversalResult down,
                       lineage_->Traverse(Urn::Dataset("s3", "raw/users.csv"),
                                          {.direction = lineage::Direction::kDownstream}));
  std::vector<std::string> nodes;
  for (const auto& n : down.nodes) nodes.push_back(n.urn);
  EXPECT_THAT(nodes, ::testing::Contains(pg.ToString()));
  EXPECT_THAT(nodes, ::testing::Contains(report.ToString()));
  EXPECT_THAT(nodes, ::testing::Not(::testing::Contains(trino.ToString())));
  EXPECT_FALSE(catalog_->GetAspect(trino, "upstreamLineage").ok());
}

TEST_F(OpenLineageIngestorTest, BadEventsAreRejectedAndNothingIsWritten) {
  const std::string good = ReadFile(Events() / "marquez_event_unicode.json");
  struct Case {
    std::string body;
    std::string message;
  } cases[] = {
      {ReadFile(testing::FixturesDir() / "openlineage/malformed/flink_start_trailing_brace.json"),
       "invalid JSON"},
      {good.substr(0, good.size() / 2), "invalid JSON"},
      {"[]", "empty"},
      {"42", "expected an object"},
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":"00000000-0000-4000-8000-000000000001"},"job":{"namespace":"n"}})",
       "job.name: required"},
      {R"({"eventTime":"yesterday","run":{"runId":"00000000-0000-4000-8000-000000000001"},"job":{"namespace":"n","name":"j"}})",
       "eventTime"},
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":7},"job":{"namespace":"n","name":"j"}})",
       "run.runId: expected a string"},
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":"r"},"job":{"namespace":"n","name":"j"}})",
       "run.runId: 'r' is not a UUID"},
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":"00000000-0000-4000-8000-00000000000g"},
          "job":{"namespace":"n","name":"j"}})",
       "is not a UUID"},
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":"000000000000-4000-8000-0000-00000000"},
          "job":{"namespace":"n","name":"j"}})",
       "is not a UUID"},
      {"[" + good +
           R"(,{"eventTime":"2024-01-01T00:00:00Z","run":{"runId":" 3f5e83fa-3480-44ff-99c5-ff943904e5e8"},
          "job":{"namespace":"n","name":"j"}}])",
       "events[1].run.runId"},
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":"00000000-0000-4000-8000-000000000001"},"job":{"namespace":"n","name":"j"},
          "outputs":[{"namespace":"n","name":"t","facets":{"schema":{"fields":"x"}}}]})",
       "outputs[0].facets.schema.fields: expected an array"},
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":"00000000-0000-4000-8000-000000000001"},"job":{"namespace":"n","name":")" +
           std::string(100000, 'x') + R"("}})",
       "longer than"},
      {"[" + good + R"(,{"eventTime":"2024-01-01T00:00:00Z"}])", "events[1]"},
      {std::string(1000, '[') + std::string(1000, ']'), "invalid JSON"},
      // Regressions (fuzz/event_decoder_fuzzer): a namespace whose scheme is not a URI scheme
      // aborted in Urn::Dataset, as an output and as a column-lineage input field.
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":"00000000-0000-4000-8000-000000000001"},"job":{"namespace":"n","name":"j"},
          "outputs":[{"namespace":"urn:li:gs://b","name":"t"}]})",
       "outputs[0]: OpenLineage namespace scheme 'urn:li:gs' is not a URI scheme"},
      {R"({"eventTime":"2024-01-01T00:00:00Z","run":{"runId":"00000000-0000-4000-8000-000000000001"},"job":{"namespace":"n","name":"j"},
          "outputs":[{"namespace":"gs://b","name":"t","facets":{"columnLineage":{"fields":{"a":
            {"inputFields":[{"namespace":"urn:li:gs://b","name":"s","field":"a"}]}}}}}]})",
       "is not a URI scheme"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(Ingest(c.body), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.body.substr(0, 200);
  }
  EXPECT_EQ(LatestSeq(), 0u);
}

// The shared reading of a request body (OpenLineage and Trino): one event, or a bounded array.
TEST(EventsOfDocumentTest, OneEventOrABoundedArrayWithPaths) {
  const json::value one = json::parse(R"({"a":1})");
  ASSERT_OK_AND_ASSIGN(auto single, EventsOfDocument(one, 2));
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].first, &one);
  EXPECT_EQ(single[0].second, "");
  const json::value two = json::parse(R"([{"a":1},{"b":2}])");
  ASSERT_OK_AND_ASSIGN(auto pair, EventsOfDocument(two, 2));
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_EQ(pair[1].first, &two.as_array()[1]);
  EXPECT_EQ(pair[1].second, "events[1]");
  EXPECT_THAT(EventsOfDocument(json::parse("[]"), 2),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the event array is empty")));
  EXPECT_THAT(
      EventsOfDocument(json::parse("[1,2,3]"), 2),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than 2 events in one request")));
}

TEST_F(OpenLineageIngestorTest, ConcurrentRequestsAllLand) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string n = std::to_string(t * 100 + i);
        auto r = Ingest(R"({"eventType":"COMPLETE","eventTime":"2024-01-01T00:00:00Z",
            "run":{"runId":")" +
                        RunId(t * 100 + i) + R"("},"job":{"namespace":"ns","name":"j)" + n + R"("},
            "inputs":[{"namespace":"postgres://db","name":"d.s.shared"}],
            "outputs":[{"namespace":"postgres://db","name":"d.s.shared_out"}]})");
        EXPECT_TRUE(r.ok()) << r.status();
      }
    });
  }
  for (auto& t : threads) t.join();
  auto up =
      Aspect<v1::UpstreamLineage>(Urn::Dataset("postgres", "d.s.shared_out"), "upstreamLineage");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->upstreams_size(), 40);  // one per job: no read-modify-write was lost
}

// A large event re-sent by a new run keeps every entry's first sighting (the merge matches
// stored entries by key), and re-sending it unchanged writes nothing.
TEST_F(OpenLineageIngestorTest, LargeEventResentKeepsFirstSeenOfEveryEntry) {
  constexpr int kInputs = 1000;
  auto event = [](int run, const std::string& time) {
    std::string inputs, fields;
    for (int i = 0; i < kInputs; ++i) {
      absl::StrAppend(&inputs, i ? "," : "", R"({"namespace":"postgres://db","name":"d.s.in)", i,
                      R"("})");
      absl::StrAppend(&fields, i ? "," : "", R"("c)", i,
                      R"(":{"inputFields":[{"namespace":"postgres://db","name":"d.s.in)", i,
                      R"(","field":"x"}]})");
    }
    return absl::StrCat(R"({"eventType":"COMPLETE","eventTime":")", time, R"(","run":{"runId":")",
                        RunId(run), R"("},"job":{"namespace":"ns","name":"big"},"inputs":[)",
                        inputs,
                        R"(],"outputs":[{"namespace":"postgres://db","name":"d.s.big",
                        "facets":{"columnLineage":{"fields":{)",
                        fields, "}}}}]}");
  };
  ASSERT_OK(Ingest(event(1, "2024-01-01T00:00:00Z")));
  ASSERT_OK_AND_ASSIGN(auto again, Ingest(event(2, "2024-01-02T00:00:00Z")));
  EXPECT_GT(again.written, 0);
  auto up = Aspect<v1::UpstreamLineage>(Urn::Dataset("postgres", "d.s.big"), "upstreamLineage");
  ASSERT_NE(up, nullptr);
  ASSERT_EQ(up->upstreams_size(), kInputs);
  ASSERT_EQ(up->fine_grained_lineages_size(), kInputs);
  constexpr int64_t kDay1 = 1'704'067'200'000'000, kDay2 = kDay1 + 86'400'000'000;
  for (const auto& u : up->upstreams()) {
    EXPECT_EQ(u.provenance().first_seen_micros(), kDay1) << u.dataset();
    EXPECT_EQ(u.provenance().last_seen_micros(), kDay2) << u.dataset();
    EXPECT_EQ(u.provenance().run_id(), RunId(2)) << u.dataset();
  }
  for (const auto& fg : up->fine_grained_lineages()) {
    EXPECT_EQ(fg.provenance().first_seen_micros(), kDay1) << fg.downstreams(0);
    EXPECT_EQ(fg.provenance().last_seen_micros(), kDay2) << fg.downstreams(0);
  }
  const uint64_t seq = LatestSeq();
  ASSERT_OK_AND_ASSIGN(auto resent, Ingest(event(2, "2024-01-02T00:00:00Z")));
  EXPECT_EQ(resent.written, 0);
  EXPECT_EQ(LatestSeq(), seq);
}

TEST_F(OpenLineageIngestorTest, UuidRunIdsOfAnyVersionAndCaseAreAccepted) {
  for (const char* id :
       {"3F5E83FA-3480-44FF-99C5-FF943904E5E8", "0197f44a-aaaa-bbbb-a2c1-96ebf920205d",
        "00000000-0000-0000-0000-000000000000"}) {
    EXPECT_OK(Ingest(absl::StrCat(R"({"eventType":"START","eventTime":"2024-01-01T00:00:00Z",
        "run":{"runId":")",
                                  id, R"("},"job":{"namespace":"n","name":"j"}})")))
        << id;
  }
}

TEST_F(OpenLineageIngestorTest, UnknownFacetsAreIgnored) {
  auto r = Ingest(
      R"({"eventType":"START","eventTime":"2024-01-01T00:00:00Z","run":{"runId":"00000000-0000-4000-8000-000000000001",
      "facets":{"mystery":{"x":[1,2,{"y":null}]}}},"job":{"namespace":"n","name":"j",
      "facets":{"whatever":42}},"inputs":[{"namespace":"n","name":"t","facets":{"odd":"str"}}],
      "surprise":true})");
  ASSERT_OK(r);
  EXPECT_GT(r->written, 0);
}

}  // namespace
}  // namespace tidemark::ingest
