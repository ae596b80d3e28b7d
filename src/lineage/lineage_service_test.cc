// Tests of LineageService through the catalog: edge maintenance on writes, queries, deletes,
// restart, read-your-writes and a concurrent read/write stress test.
#include "lineage/lineage_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "catalog/catalog_service.h"
#include "common/clock.h"
#include "lineage/lineage_aspects.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::lineage {
namespace {

using catalog::AspectWrite;
using catalog::WriteOrigin;
using common::Urn;
using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

Urn Ds(std::string_view name, std::string_view platform = "trino") {
  return Urn::Dataset(platform, name);
}
Urn Col(std::string_view table, std::string_view field) {
  return Urn::SchemaField(Ds(table), field);
}
Urn Job(std::string_view name) {
  return Urn::Parse("urn:li:dataJob:(urn:li:dataFlow:(airflow,etl,PROD)," + std::string(name) + ")")
      .value();
}

WriteOrigin Origin(v1::SourceKind source = v1::API, std::string run = "") {
  WriteOrigin origin;
  origin.source = source;
  origin.run_id = std::move(run);
  return origin;
}

std::unique_ptr<v1::UpstreamLineage> Ups(std::vector<Urn> upstreams) {
  auto value = std::make_unique<v1::UpstreamLineage>();
  for (const Urn& u : upstreams) value->add_upstreams()->set_dataset(u.ToString());
  return value;
}

class LineageServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(storage::NewMemoryStore()); }

  void Open(std::shared_ptr<storage::KvStore> store) {
    lineage_.reset();
    catalog_.reset();
    store_ = std::move(store);
    std::shared_ptr<catalog::AspectRegistry> registry =
        catalog::AspectRegistry::WithCatalogAspects();
    ASSERT_OK(RegisterLineageAspects(*registry));
    ASSERT_OK_AND_ASSIGN(catalog_, catalog::CatalogService::Open(store_, registry, &clock_));
    ASSERT_OK_AND_ASSIGN(lineage_, LineageService::Attach(*catalog_));
  }

  void Write(const Urn& urn, std::unique_ptr<google::protobuf::Message> value,
             const WriteOrigin& origin = Origin(), std::string aspect = "upstreamLineage") {
    std::vector<AspectWrite> writes;
    writes.push_back(AspectWrite{urn, std::move(aspect), std::move(value)});
    clock_.Advance(1000);
    ASSERT_OK(catalog_->Write(std::move(writes), origin));
  }
  void SetUps(const Urn& down, std::vector<Urn> ups, const WriteOrigin& origin = Origin()) {
    Write(down, Ups(std::move(ups)), origin);
  }

  // urn -> hops of a traversal.
  std::map<std::string, int> Hops(const Urn& start, TraversalOptions options = {}) {
    absl::StatusOr<TraversalResult> r = lineage_->Traverse(start, options);
    EXPECT_OK(r);
    std::map<std::string, int> out;
    if (r.ok()) {
      for (const auto& n : r->nodes) out[n.urn] = n.hops;
    }
    return out;
  }

  common::ManualClock clock_;
  std::shared_ptr<storage::KvStore> store_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<LineageService> lineage_;
};

TEST_F(LineageServiceTest, DiamondDownstreamHasHopsAndEveryEdge) {
  SetUps(Ds("b"), {Ds("a")});
  SetUps(Ds("c"), {Ds("a")});
  SetUps(Ds("d"), {Ds("b"), Ds("c")});
  ASSERT_OK_AND_ASSIGN(TraversalResult r, lineage_->Traverse(Ds("a"), {}));
  EXPECT_EQ(r.nodes.front().urn, Ds("a").ToString());
  EXPECT_THAT(Hops(Ds("a")),
              UnorderedElementsAre(Pair(Ds("a").ToString(), 0), Pair(Ds("b").ToString(), 1),
                                   Pair(Ds("c").ToString(), 1), Pair(Ds("d").ToString(), 2)));
  EXPECT_EQ(r.edges.size(), 4u);
  EXPECT_FALSE(r.truncated);
  for (const auto& e : r.edges) {
    EXPECT_EQ(e.kind, v1::DATASET_TO_DATASET);
    EXPECT_EQ(e.provenance.source, v1::API);
    EXPECT_GT(e.provenance.first_seen_micros, 0);
  }
  TraversalOptions up;
  up.direction = Direction::kUpstream;
  EXPECT_THAT(Hops(Ds("d"), up),
              UnorderedElementsAre(Pair(Ds("d").ToString(), 0), Pair(Ds("b").ToString(), 1),
                                   Pair(Ds("c").ToString(), 1), Pair(Ds("a").ToString(), 2)));
}

TEST_F(LineageServiceTest, CyclesTerminateWithUnlimitedDepth) {
  SetUps(Ds("b"), {Ds("a")});
  SetUps(Ds("c"), {Ds("b")});
  SetUps(Ds("a"), {Ds("c")});
  TraversalOptions both;
  both.direction = Direction::kBoth;
  EXPECT_EQ(Hops(Ds("a")).size(), 3u);
  EXPECT_EQ(Hops(Ds("a"), both).size(), 3u);
  EXPECT_EQ(Hops(Ds("a"), both)[Ds("c").ToString()], 1);  // one hop upstream
}

TEST_F(LineageServiceTest, StopsAtMaxDepth) {
  SetUps(Ds("b"), {Ds("a")});
  SetUps(Ds("c"), {Ds("b")});
  SetUps(Ds("d"), {Ds("c")});
  TraversalOptions options;
  options.max_depth = 2;
  EXPECT_THAT(Hops(Ds("a"), options),
              UnorderedElementsAre(Pair(Ds("a").ToString(), 0), Pair(Ds("b").ToString(), 1),
                                   Pair(Ds("c").ToString(), 2)));
  options.max_depth = 0;
  EXPECT_EQ(Hops(Ds("a"), options).size(), 1u);
}

TEST_F(LineageServiceTest, FanOutHubIsTruncatedAtMaxNodes) {
  for (int i = 0; i < 30; ++i) SetUps(Ds("t" + std::to_string(i)), {Ds("hub")});
  TraversalOptions options;
  options.max_nodes = 10;
  ASSERT_OK_AND_ASSIGN(TraversalResult r, lineage_->Traverse(Ds("hub"), options));
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.nodes.size(), 10u);
  EXPECT_EQ(r.edges.size(), 9u);
  options.max_nodes = 31;
  ASSERT_OK_AND_ASSIGN(r, lineage_->Traverse(Ds("hub"), options));
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.nodes.size(), 31u);
}

TEST_F(LineageServiceTest, PlatformAndTypeFiltersKeepWalkingThroughOtherNodes) {
  SetUps(Ds("b", "postgres"), {Ds("a")});
  SetUps(Ds("c"), {Ds("b", "postgres")});
  auto io = std::make_unique<v1::DataJobInputOutput>();
  io->add_input_datasets(Ds("c").ToString());
  io->add_output_datasets(Ds("e").ToString());
  Write(Job("load"), std::move(io), Origin(), "dataJobInputOutput");

  TraversalOptions options;
  options.platform = "trino";
  EXPECT_THAT(Hops(Ds("a"), options),
              UnorderedElementsAre(Pair(Ds("a").ToString(), 0), Pair(Ds("c").ToString(), 2),
                                   Pair(Ds("e").ToString(), 4)));
  options.platform.clear();
  options.entity_type = "dataJob";
  EXPECT_THAT(Hops(Ds("a"), options),
              UnorderedElementsAre(Pair(Ds("a").ToString(), 0), Pair(Job("load").ToString(), 3)));
}

TEST_F(LineageServiceTest, ReplacingUpstreamsClosesEdgesAndAtQueriesSeeThePast) {
  SetUps(Ds("d"), {Ds("a"), Ds("b")});
  const int64_t before = clock_.NowMicros();
  SetUps(Ds("d"), {Ds("a")});
  EXPECT_EQ(Hops(Ds("b")).size(), 1u);  // b -> d is gone
  TraversalOptions past;
  past.at_micros = before;
  EXPECT_THAT(Hops(Ds("b"), past),
              UnorderedElementsAre(Pair(Ds("b").ToString(), 0), Pair(Ds("d").ToString(), 1)));
  past.at_micros = before - 5000;  // before anything existed
  EXPECT_EQ(Hops(Ds("a"), past).size(), 1u);
  // Re-adding opens a new interval; the old one stays closed.
  SetUps(Ds("d"), {Ds("a"), Ds("b")});
  EXPECT_EQ(Hops(Ds("b")).size(), 2u);
  EXPECT_EQ(lineage_->graph().Stats().edges, 3u);
  EXPECT_EQ(lineage_->graph().Stats().open_edges, 2u);
}

TEST_F(LineageServiceTest, ManualEdgesSurviveAutomatedReingestion) {
  auto manual = Ups({Ds("m")});
  manual->mutable_upstreams(0)->mutable_provenance()->set_source(v1::MANUAL);
  Write(Ds("d"), std::move(manual), Origin(v1::MANUAL));
  SetUps(Ds("d"), {Ds("a")}, Origin(v1::TRINO, "run-1"));
  TraversalOptions up;
  up.direction = Direction::kUpstream;
  EXPECT_THAT(Hops(Ds("d"), up),
              UnorderedElementsAre(Pair(Ds("d").ToString(), 0), Pair(Ds("a").ToString(), 1),
                                   Pair(Ds("m").ToString(), 1)));
  ASSERT_OK_AND_ASSIGN(auto stored, catalog_->GetAspect(Ds("d"), "upstreamLineage"));
  const auto& value = dynamic_cast<const v1::UpstreamLineage&>(*stored.value);
  ASSERT_EQ(value.upstreams_size(), 2);
  EXPECT_EQ(value.upstreams(0).provenance().source(), v1::TRINO);
  EXPECT_EQ(value.upstreams(0).provenance().run_id(), "run-1");
  EXPECT_EQ(value.upstreams(1).provenance().source(), v1::MANUAL);
  // A manual writer may remove manual edges.
  SetUps(Ds("d"), {Ds("a")}, Origin(v1::MANUAL));
  EXPECT_EQ(Hops(Ds("d"), up).size(), 2u);
}

TEST_F(LineageServiceTest, SoftDeletedNodesAreHiddenAndPurgedNodesLeaveNoEdges) {
  SetUps(Ds("b"), {Ds("a")});
  SetUps(Ds("c"), {Ds("b")});
  SetUps(Ds("x"), {Ds("a")});
  ASSERT_OK(catalog_->SoftDelete(Ds("b"), Origin()).status());
  EXPECT_THAT(Hops(Ds("a")),
              UnorderedElementsAre(Pair(Ds("a").ToString(), 0), Pair(Ds("x").ToString(), 1)));
  EXPECT_THAT(lineage_->Traverse(Ds("b"), {}),
              testing::StatusIs(absl::StatusCode::kNotFound, ::testing::HasSubstr("removed")));

  // The purge hook runs for every purge: x has an upstreamLineage aspect, a has none.
  ASSERT_OK(catalog_->Purge(Ds("x"), Origin()));
  ASSERT_OK(catalog_->Purge(Ds("c"), Origin()));
  EXPECT_EQ(lineage_->graph().Stats().edges, 1u);  // a -> b (b is only soft-deleted)
  Write(Ds("a"), std::make_unique<v1::UpstreamLineage>());
  ASSERT_OK(catalog_->Purge(Ds("a"), Origin()));
  EXPECT_EQ(lineage_->graph().Stats().edges, 0u);
  EXPECT_THAT(lineage_->Traverse(Ds("x"), {}),
              testing::StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  size_t keys = 0;
  ASSERT_OK(store_->Scan(storage::ColumnFamily::kLineage, "", "", [&](auto, auto) {
    ++keys;
    return true;
  }));
  EXPECT_EQ(keys, 0u);
}

TEST_F(LineageServiceTest, UnknownEntityIsNotFoundAndEntityWithoutLineageIsJustTheRoot) {
  EXPECT_THAT(lineage_->Traverse(Ds("nope"), {}),
              testing::StatusIs(absl::StatusCode::kNotFound, ::testing::HasSubstr("unknown")));
  Write(Ds("lonely"), std::make_unique<v1::UpstreamLineage>());
  ASSERT_OK_AND_ASSIGN(TraversalResult r, lineage_->Traverse(Ds("lonely"), {}));
  ASSERT_EQ(r.nodes.size(), 1u);
  EXPECT_EQ(r.nodes[0].platform, "trino");
  EXPECT_EQ(r.nodes[0].name, "lonely");
}

v1::FineGrainedLineage Fg(std::vector<Urn> ups, std::vector<Urn> downs, v1::TransformationType t,
                          std::vector<v1::TransformationSubtype> subtypes = {}) {
  v1::FineGrainedLineage fg;
  for (const auto& u : ups) fg.add_upstreams(u.ToString());
  for (const auto& d : downs) fg.add_downstreams(d.ToString());
  fg.set_transformation_type(t);
  for (auto s : subtypes) fg.add_subtypes(s);
  return fg;
}

TEST_F(LineageServiceTest, ColumnLevelTraversalAndImpact) {
  auto b = Ups({Ds("a")});
  *b->add_fine_grained_lineages() = Fg({Col("a", "id")}, {Col("b", "id")}, v1::IDENTITY);
  *b->add_fine_grained_lineages() = Fg({Col("a", "amount"), Col("a", "id")}, {Col("b", "total")},
                                       v1::AGGREGATION, {v1::GROUP_BY});
  Write(Ds("b"), std::move(b));
  auto c = Ups({Ds("b")});
  *c->add_fine_grained_lineages() = Fg({Col("b", "total")}, {Col("c", "total")}, v1::IDENTITY);
  Write(Ds("c"), std::move(c));
  SetUps(Ds("d"), {Ds("a")});

  TraversalOptions columns;
  columns.level = Level::kColumn;
  EXPECT_THAT(Hops(Col("a", "amount"), columns),
              UnorderedElementsAre(Pair(Col("a", "amount").ToString(), 0),
                                   Pair(Col("b", "total").ToString(), 1),
                                   Pair(Col("c", "total").ToString(), 2)));
  ASSERT_OK_AND_ASSIGN(TraversalResult r, lineage_->Traverse(Col("a", "amount"), columns));
  const LineageEdge& agg = r.edges.front();
  EXPECT_EQ(agg.from, Col("a", "amount").ToString());
  EXPECT_EQ(agg.transformation, v1::AGGREGATION);
  EXPECT_THAT(agg.subtypes, ElementsAre(v1::GROUP_BY));
  EXPECT_EQ(r.nodes[1].parent, Ds("b").ToString());
  // A dataset root at column level starts from all of its columns.
  EXPECT_EQ(Hops(Ds("a"), columns).size(), 1u + 2u + 2u + 1u);

  ASSERT_OK_AND_ASSIGN(ImpactResult impact, lineage_->Impact(Ds("a")));
  ASSERT_EQ(impact.levels.size(), 2u);
  std::vector<std::string> hop1, hop2;
  for (const auto& n : impact.levels[0].nodes) hop1.push_back(n.urn);
  for (const auto& n : impact.levels[1].nodes) hop2.push_back(n.urn);
  EXPECT_THAT(hop1, UnorderedElementsAre(Ds("b").ToString(), Ds("d").ToString(),
                                         Col("b", "id").ToString(), Col("b", "total").ToString()));
  EXPECT_THAT(hop2, UnorderedElementsAre(Ds("c").ToString(), Col("c", "total").ToString()));
  ASSERT_OK_AND_ASSIGN(impact, lineage_->Impact(Col("a", "id")));
  EXPECT_EQ(impact.levels.size(), 2u);
}

TEST_F(LineageServiceTest, PathsShortestAllAndNone) {
  SetUps(Ds("b"), {Ds("a")});
  SetUps(Ds("c"), {Ds("a")});
  SetUps(Ds("d"), {Ds("b"), Ds("c")});
  SetUps(Ds("e"), {Ds("d")});
  ASSERT_OK_AND_ASSIGN(PathResult shortest, lineage_->FindPaths(Ds("a"), Ds("e"), {}));
  ASSERT_EQ(shortest.paths.size(), 1u);
  EXPECT_EQ(shortest.paths[0].nodes.size(), 4u);
  EXPECT_EQ(shortest.paths[0].edges.size(), 3u);
  PathOptions all;
  all.all = true;
  ASSERT_OK_AND_ASSIGN(PathResult every, lineage_->FindPaths(Ds("a"), Ds("e"), all));
  EXPECT_EQ(every.paths.size(), 2u);
  EXPECT_TRUE(every.complete);
  all.max_paths = 1;
  ASSERT_OK_AND_ASSIGN(every, lineage_->FindPaths(Ds("a"), Ds("e"), all));
  EXPECT_EQ(every.paths.size(), 1u);
  EXPECT_FALSE(every.complete);
  ASSERT_OK_AND_ASSIGN(PathResult none, lineage_->FindPaths(Ds("e"), Ds("a"), {}));
  EXPECT_TRUE(none.paths.empty());
  EXPECT_THAT(lineage_->FindPaths(Ds("a"), Ds("zzz"), {}),
              testing::StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

// Regression: all=true&max_paths=10000 on a small layered graph answered 120 MB. The search is
// bounded in returned nodes, wall time and depth, and says which bound cut it short.
TEST_F(LineageServiceTest, AllPathsAreBoundedAndSayWhy) {
  constexpr int kLayers = 9, kWidth = 3;  // 3^9 = 19,683 paths of 11 nodes from s to t
  auto layer = [](int i, int j) { return Ds(absl::StrCat("l", i, "_", j)); };
  for (int j = 0; j < kWidth; ++j) SetUps(layer(0, j), {Ds("s")});
  for (int i = 1; i < kLayers; ++i) {
    for (int j = 0; j < kWidth; ++j) {
      SetUps(layer(i, j), {layer(i - 1, 0), layer(i - 1, 1), layer(i - 1, 2)});
    }
  }
  SetUps(Ds("t"), {layer(kLayers - 1, 0), layer(kLayers - 1, 1), layer(kLayers - 1, 2)});

  PathOptions options;
  options.all = true;
  options.max_paths = 10'000;
  ASSERT_OK_AND_ASSIGN(PathResult r, lineage_->FindPaths(Ds("s"), Ds("t"), options));
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.incomplete_reason, "max_total_nodes");
  size_t nodes = 0;
  for (const auto& p : r.paths) nodes += p.nodes.size();
  EXPECT_LE(nodes, static_cast<size_t>(options.max_total_nodes));
  EXPECT_EQ(r.paths.size(), static_cast<size_t>(options.max_total_nodes) / 11);

  options.max_total_nodes = 1'000'000;
  options.time_budget_micros = 0;
  ASSERT_OK_AND_ASSIGN(r, lineage_->FindPaths(Ds("s"), Ds("t"), options));
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.incomplete_reason, "time_budget");

  options.time_budget_micros = 60'000'000;
  options.max_paths = 50;
  ASSERT_OK_AND_ASSIGN(r, lineage_->FindPaths(Ds("s"), Ds("t"), options));
  EXPECT_EQ(r.paths.size(), 50u);
  EXPECT_EQ(r.incomplete_reason, "max_paths");

  // The default depth for all paths (20) is enough here; a path depth above 100 is refused, and
  // a depth that cuts every path finds none but is complete within that depth.
  options.max_depth = kMaxAllPathsDepth + 1;
  EXPECT_THAT(lineage_->FindPaths(Ds("s"), Ds("t"), options),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  options.max_depth = 5;
  ASSERT_OK_AND_ASSIGN(r, lineage_->FindPaths(Ds("s"), Ds("t"), options));
  EXPECT_TRUE(r.paths.empty());
  EXPECT_TRUE(r.complete);
}

TEST_F(LineageServiceTest, JobEdgesAndViaJob) {
  auto up = Ups({Ds("a")});
  up->mutable_upstreams(0)->set_job(Job("load").ToString());
  Write(Ds("b"), std::move(up));
  ASSERT_OK_AND_ASSIGN(TraversalResult r, lineage_->Traverse(Ds("a"), {}));
  ASSERT_EQ(r.edges.size(), 1u);
  EXPECT_EQ(r.edges[0].via_job, Job("load").ToString());
}

TEST_F(LineageServiceTest, SameOwnerTwiceInOneBatchLeavesTheLastValue) {
  SetUps(Ds("d"), {Ds("a")});
  std::vector<AspectWrite> writes;
  writes.push_back({Ds("d"), "upstreamLineage", Ups({Ds("b")})});
  writes.push_back({Ds("d"), "upstreamLineage", Ups({Ds("c")})});
  clock_.Advance(1000);
  ASSERT_OK(catalog_->Write(std::move(writes), Origin()).status());
  TraversalOptions up;
  up.direction = Direction::kUpstream;
  EXPECT_THAT(Hops(Ds("d"), up),
              UnorderedElementsAre(Pair(Ds("d").ToString(), 0), Pair(Ds("c").ToString(), 1)));
  const std::vector<std::string> live = lineage_->graph().DumpEdges();
  Open(store_);  // rebuild from the store: same edges
  EXPECT_EQ(lineage_->graph().DumpEdges(), live);
  EXPECT_EQ(lineage_->graph().Stats().open_edges, 1u);
}

TEST_F(LineageServiceTest, AbortedBatchLeavesNothingForTheNextBatchWithTheSameContext) {
  // Regression: batches used to be told apart by their serialized WriteContext, so an aborted
  // batch's pending edges leaked into the next batch written by the same caller at the same time.
  catalog_->AddHook("datasetProperties",
                    {.before_write = [](auto&, auto*, auto&, catalog::WriteTransaction&) {
                      return absl::AbortedError("refused");
                    }});
  std::vector<AspectWrite> aborted;
  aborted.push_back({Ds("d"), "upstreamLineage", Ups({Ds("b")})});
  aborted.push_back({Ds("d"), "datasetProperties", std::make_unique<v1::DatasetProperties>()});
  EXPECT_THAT(catalog_->Write(std::move(aborted), Origin()),
              testing::StatusIs(absl::StatusCode::kAborted, ::testing::HasSubstr("refused")));
  SetUps(Ds("d"), {Ds("c")});  // same clock time, same origin
  EXPECT_EQ(lineage_->graph().Stats().edges, 1u);
  const std::vector<std::string> live = lineage_->graph().DumpEdges();
  Open(store_);  // the store holds no trace of b -> d either
  EXPECT_EQ(lineage_->graph().DumpEdges(), live);
}

TEST_F(LineageServiceTest, ReingestingTheSameLineageWritesNoVersionButRefreshesLastSeen) {
  SetUps(Ds("b"), {Ds("a")}, Origin(v1::OPENLINEAGE, "run-1"));
  const int64_t first = clock_.NowMicros();
  SetUps(Ds("b"), {Ds("a")}, Origin(v1::OPENLINEAGE, "run-2"));
  ASSERT_OK_AND_ASSIGN(auto aspect, catalog_->GetAspect(Ds("b"), "upstreamLineage"));
  EXPECT_EQ(aspect.version, 1);  // identical lineage: no new version
  const auto& up = static_cast<const v1::UpstreamLineage&>(*aspect.value).upstreams(0);
  EXPECT_EQ(up.provenance().run_id(), "run-1");
  EXPECT_EQ(up.provenance().first_seen_micros(), first);
  ASSERT_OK_AND_ASSIGN(TraversalResult r,
                       lineage_->Traverse(Ds("b"), {.direction = Direction::kUpstream}));
  ASSERT_EQ(r.edges.size(), 1u);
  EXPECT_EQ(r.edges[0].provenance.first_seen_micros, first);
  EXPECT_EQ(r.edges[0].provenance.last_seen_micros, clock_.NowMicros());
}

TEST(LineageServiceRestartTest, RestartRebuildsAnIdenticalGraph) {
  tidemark::testing::TempDir dir;
  common::ManualClock clock;
  std::vector<std::string> before;
  auto open = [&](std::unique_ptr<catalog::CatalogService>& catalog,
                  std::unique_ptr<LineageService>& lineage) {
    std::shared_ptr<catalog::AspectRegistry> registry =
        catalog::AspectRegistry::WithCatalogAspects();
    ASSERT_OK(RegisterLineageAspects(*registry));
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<storage::KvStore> store,
                         storage::OpenRocksDbStore((dir.path() / "db").string()));
    ASSERT_OK_AND_ASSIGN(catalog, catalog::CatalogService::Open(store, registry, &clock));
    ASSERT_OK_AND_ASSIGN(lineage, LineageService::Attach(*catalog));
  };
  {
    std::unique_ptr<catalog::CatalogService> catalog;
    std::unique_ptr<LineageService> lineage;
    open(catalog, lineage);
    for (int i = 0; i < 20; ++i) {
      auto value = Ups({Ds("src" + std::to_string(i % 3)), Ds("t" + std::to_string(i / 2))});
      *value->add_fine_grained_lineages() =
          Fg({Col("src0", "x")}, {Col("t" + std::to_string(i + 100), "y")}, v1::TRANSFORMATION,
             {v1::FILTER, v1::JOIN});
      std::vector<AspectWrite> writes;
      writes.push_back({Ds("t" + std::to_string(i + 100)), "upstreamLineage", std::move(value)});
      clock.Advance(10);
      ASSERT_OK(catalog->Write(std::move(writes), Origin(v1::DBT, "r" + std::to_string(i))));
    }
    std::vector<AspectWrite> writes;
    writes.push_back({Ds("t105"), "upstreamLineage", Ups({Ds("src1")})});
    clock.Advance(10);
    ASSERT_OK(catalog->Write(std::move(writes), Origin()));
    ASSERT_OK(catalog->SoftDelete(Ds("t107"), Origin()).status());
    before = lineage->graph().DumpEdges();
    EXPECT_GT(before.size(), 40u);
    EXPECT_TRUE(lineage->graph().IsRemoved(Ds("t107").ToString()));
  }
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<LineageService> lineage;
  open(catalog, lineage);
  EXPECT_EQ(lineage->graph().DumpEdges(), before);
  EXPECT_TRUE(lineage->graph().IsRemoved(Ds("t107").ToString()));
}

// Writers flip between two complete chains s->a1->a2->a3 and s->b1->b2->b3 in single batches;
// readers must always see exactly one whole chain.
TEST_F(LineageServiceTest, ConcurrentReadersNeverSeeHalfABatch) {
  auto write_chain = [&](bool a) {
    std::vector<AspectWrite> writes;
    for (const char* prefix : {"a", "b"}) {
      const bool on = (prefix[0] == 'a') == a;
      for (int i = 1; i <= 3; ++i) {
        const Urn up = i == 1 ? Ds("s") : Ds(prefix + std::to_string(i - 1));
        writes.push_back(
            {Ds(prefix + std::to_string(i)), "upstreamLineage", on ? Ups({up}) : Ups({})});
      }
    }
    return catalog_->Write(std::move(writes), Origin());
  };
  ASSERT_OK(write_chain(true).status());
  constexpr int kReaders = 2;
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        absl::StatusOr<TraversalResult> r = lineage_->Traverse(Ds("s"), {});
        if (!r.ok() || r->nodes.size() != 4 || r->edges.size() != 3) {
          ++bad;
          continue;
        }
        const char first = r->nodes[1].name[0];
        for (size_t i = 1; i < r->nodes.size(); ++i) {
          if (r->nodes[i].name[0] != first) ++bad;
        }
        ++reads;
      }
    });
  }
  for (int i = 0; i < 60; ++i) {
    clock_.Advance(1);
    ASSERT_OK(write_chain(i % 2 == 1).status());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace tidemark::lineage
