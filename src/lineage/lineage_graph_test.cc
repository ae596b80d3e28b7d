// Tests of LineageGraph on hand-built deltas (no catalog): interning, loading, stale edges,
// tombstones and the raw counting walk.
#include "lineage/lineage_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "common/urn.h"
#include "lineage/internal/edge_keys.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::lineage {
namespace {

using common::Urn;

GraphEdgeUpdate Edge(const Urn& from, const Urn& to, int64_t valid_from, int64_t valid_to = 0,
                     v1::LineageEdgeKind kind = v1::DATASET_TO_DATASET) {
  GraphEdgeUpdate e{from.ToString(), to.ToString(), {}};
  e.record.set_kind(kind);
  e.record.set_valid_from_micros(valid_from);
  e.record.set_valid_to_micros(valid_to);
  e.record.set_declared_by(to.ToString());
  return e;
}

Urn D(const std::string& n) { return Urn::Dataset("trino", n); }

TEST(LineageGraphTest, ChainCountsAndStaleEdges) {
  LineageGraph g;
  GraphDelta delta;
  for (int i = 0; i < 10; ++i)
    delta.upserts.push_back(Edge(D(std::to_string(i)), D(std::to_string(i + 1)), 10));
  delta.upserts.push_back(Edge(D("0"), D("old"), 5, 8));
  g.Apply(delta);
  EXPECT_EQ(g.CountReachable(D("0").ToString(), Direction::kDownstream, -1), 10);
  EXPECT_EQ(g.CountReachable(D("0").ToString(), Direction::kDownstream, 3), 3);
  EXPECT_EQ(g.CountReachable(D("5").ToString(), Direction::kBoth, -1), 10);
  EXPECT_EQ(g.CountReachable("urn:li:dataset:(urn:li:dataPlatform:trino,none,PROD)",
                             Direction::kDownstream, -1),
            -1);
  TraversalOptions at;
  at.at_micros = 6;
  ASSERT_OK_AND_ASSIGN(TraversalResult r, g.Traverse(D("0").ToString(), at));
  ASSERT_EQ(r.nodes.size(), 2u);
  EXPECT_EQ(r.nodes[1].urn, D("old").ToString());
  at.at_micros = 8;  // validTo is exclusive
  ASSERT_OK_AND_ASSIGN(r, g.Traverse(D("0").ToString(), at));
  EXPECT_EQ(r.nodes.size(), 1u);
  EXPECT_EQ(g.Stats().edges, 11u);
  EXPECT_EQ(g.Stats().open_edges, 10u);
}

TEST(LineageGraphTest, UpsertReplacesAnIntervalAndRemovalDeletesIt) {
  LineageGraph g;
  GraphDelta add;
  add.upserts.push_back(Edge(D("a"), D("b"), 10));
  g.Apply(add);
  GraphDelta close;
  close.upserts.push_back(Edge(D("a"), D("b"), 10, 20));
  g.Apply(close);
  EXPECT_EQ(g.Stats().edges, 1u);
  EXPECT_EQ(g.Stats().open_edges, 0u);
  GraphDelta purge;
  purge.removals.push_back(Edge(D("a"), D("b"), 10));
  purge.purged.push_back(D("b").ToString());
  g.Apply(purge);
  EXPECT_EQ(g.Stats().edges, 0u);
  EXPECT_FALSE(g.Contains(D("b").ToString()));
  EXPECT_THAT(g.Traverse(D("b").ToString(), {}),
              testing::StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST(LineageGraphTest, SchemaFieldsAreInternedUnderTheirDataset) {
  LineageGraph g;
  GraphDelta delta;
  // Regression: the graph's own partial unescape left "%20" (and every escape but four) in names.
  const Urn a_x = Urn::SchemaField(D("a"), "x,(y) 100%\t");
  const Urn b_x = Urn::SchemaField(D("b"), "x,(y) 100%\t");
  delta.upserts.push_back(Edge(a_x, b_x, 1, 0, v1::COLUMN));
  g.Apply(delta);
  TraversalOptions columns;
  columns.level = Level::kColumn;
  ASSERT_OK_AND_ASSIGN(TraversalResult r, g.Traverse(a_x.ToString(), columns));
  ASSERT_EQ(r.nodes.size(), 2u);
  EXPECT_EQ(r.nodes[1].urn, b_x.ToString());
  EXPECT_EQ(r.nodes[1].name, "x,(y) 100%\t");
  EXPECT_EQ(r.nodes[1].parent, D("b").ToString());
  EXPECT_EQ(r.nodes[1].platform, "trino");
  // Soft-deleting the dataset hides its columns.
  g.SetRemoved(D("b").ToString(), true);
  ASSERT_OK_AND_ASSIGN(r, g.Traverse(a_x.ToString(), columns));
  EXPECT_EQ(r.nodes.size(), 1u);
}

// Start-up rebuild from the "d" keys: a synthetic column-level graph (LINEAGE_LOAD_EDGES sets the
// size for ad-hoc timing; the default keeps the test fast under sanitizers).
TEST(LineageGraphTest, LoadRebuildsColumnGraphFromStore) {
  const char* env = std::getenv("LINEAGE_LOAD_EDGES");
  const int n = env != nullptr ? std::atoi(env) : 20000;
  auto store = storage::NewMemoryStore();
  storage::WriteBatch batch;
  v1::LineageEdgeRecord record;
  record.set_kind(v1::COLUMN);
  record.set_transformation(v1::IDENTITY);
  record.mutable_provenance()->set_source(v1::TRINO);
  record.mutable_provenance()->set_run_id("run-1");
  record.set_valid_from_micros(1);
  const std::string bytes = record.SerializeAsString();
  for (int i = 0; i < n; ++i) {
    const Urn up_ds = D("t" + std::to_string(i / 20));
    const Urn down_ds = D("t" + std::to_string(i / 20 + 1));
    const std::string from = Urn::SchemaField(up_ds, "c" + std::to_string(i % 20)).ToString();
    const std::string to = Urn::SchemaField(down_ds, "c" + std::to_string(i % 20)).ToString();
    const std::string owner = down_ds.ToString();
    internal::EdgeKeyParts parts{
        .from = from, .to = to, .owner = owner, .kind = v1::COLUMN, .valid_from = 1};
    batch.Put(storage::ColumnFamily::kLineage, internal::DownKey(parts), bytes);
    batch.Put(storage::ColumnFamily::kLineage, internal::UpKey(parts), "");
  }
  ASSERT_OK(store->Write(batch));
  LineageGraph g;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_OK(g.Load(catalog::KeySpace(store.get(), storage::ColumnFamily::kLineage, "")));
  const auto loaded = std::chrono::steady_clock::now();
  EXPECT_EQ(g.Stats().edges, static_cast<size_t>(n));
  const std::string first = Urn::SchemaField(D("t0"), "c0").ToString();
  EXPECT_EQ(g.CountReachable(first, Direction::kDownstream, 5), 5);
  TraversalOptions options;
  options.level = Level::kColumn;
  options.max_depth = 5;
  constexpr int kQueries = 1000;
  ASSERT_OK(g.Traverse(first, options).status());  // warm the per-thread scratch
  const auto warm = std::chrono::steady_clock::now();
  for (int i = 0; i < kQueries; ++i) {
    ASSERT_OK_AND_ASSIGN(TraversalResult r, g.Traverse(first, options));
    ASSERT_EQ(r.nodes.size(), 6u);
  }
  const auto queried = std::chrono::steady_clock::now();
  std::printf("load %d edges: %.1f ms; depth-5 column traversal: %.1f us\n", n,
              std::chrono::duration<double, std::milli>(loaded - start).count(),
              std::chrono::duration<double, std::micro>(queried - warm).count() / kQueries);
}

}  // namespace
}  // namespace tidemark::lineage
