// StagedWrites against an in-memory catalog: checkpoints taken per item undo exactly the puts of a
// failed item (new keys dropped, overwritten keys back to their earlier value), also in a batch of
// thousands of items and when nested, and Commit writes what is left.
#include "ingest/openlineage/staged_writes.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "ingest/testing/engine_catalog.h"
#include "tests/testing/status_matchers.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;

Urn Ds(int i) { return Urn::Dataset("trino", absl::StrCat("lake.s.t", i)); }

std::unique_ptr<google::protobuf::Message> Props(const std::string& description) {
  auto p = std::make_unique<v1::DatasetProperties>();
  p->set_description(description);
  return p;
}

// The staged (else stored) description, or "-" when there is none.
std::string Description(StagedWrites& writes, const Urn& urn) {
  auto value = writes.GetAs<v1::DatasetProperties>(urn, "datasetProperties");
  if (!value.ok() || *value == nullptr) return "-";
  return (*value)->description();
}

TEST(StagedWritesTest, RestoreUndoesOnlyTheFailedItemsInALargeBatch) {
  ASSERT_OK_AND_ASSIGN(TestEngineCatalog engine, OpenTestEngineCatalog());
  constexpr int kItems = 3000;
  const Urn shared = Urn::Dataset("trino", "lake.s.shared");
  StagedWrites writes(*engine.catalog);
  ASSERT_OK(writes.Put(shared, "datasetProperties", Props("start")));
  for (int i = 0; i < kItems; ++i) {
    const StagedWrites::Checkpoint checkpoint = writes.Save();
    ASSERT_OK(writes.Put(Ds(i), "datasetProperties", Props(absl::StrCat(i))));
    ASSERT_OK(writes.Put(shared, "datasetProperties", Props(absl::StrCat(i))));
    ASSERT_OK(writes.Put(Ds(i), "datasetProperties", Props(absl::StrCat(i, " again"))));
    if (i % 3 == 2) writes.Restore(checkpoint);  // a failed item
  }
  EXPECT_EQ(writes.size(), 1u + kItems - kItems / 3);
  EXPECT_EQ(Description(writes, shared), absl::StrCat(kItems - 2));  // the last item failed
  for (int i = 0; i < kItems; ++i) {
    EXPECT_EQ(Description(writes, Ds(i)), i % 3 == 2 ? "-" : absl::StrCat(i, " again")) << i;
  }
  ASSERT_OK_AND_ASSIGN(CommitSummary summary, writes.Commit({.source = v1::API}));
  EXPECT_EQ(summary.written, 1 + kItems - kItems / 3);
  EXPECT_FALSE(engine.catalog->GetAspect(Ds(2), "datasetProperties").ok());
  EXPECT_TRUE(engine.catalog->GetAspect(Ds(3), "datasetProperties").ok());
}

TEST(StagedWritesTest, NestedCheckpointsRestoreNewestFirst) {
  ASSERT_OK_AND_ASSIGN(TestEngineCatalog engine, OpenTestEngineCatalog());
  StagedWrites writes(*engine.catalog);
  ASSERT_OK(writes.Put(Ds(1), "datasetProperties", Props("a")));
  const StagedWrites::Checkpoint outer = writes.Save();
  ASSERT_OK(writes.Put(Ds(1), "datasetProperties", Props("b")));
  const StagedWrites::Checkpoint inner = writes.Save();
  ASSERT_OK(writes.Put(Ds(1), "datasetProperties", Props("c")));
  ASSERT_OK(writes.Put(Ds(2), "datasetProperties", Props("x")));
  writes.Restore(inner);
  EXPECT_EQ(Description(writes, Ds(1)), "b");
  EXPECT_EQ(Description(writes, Ds(2)), "-");
  writes.Restore(outer);
  EXPECT_EQ(Description(writes, Ds(1)), "a");
  EXPECT_EQ(writes.size(), 1u);
}

}  // namespace
}  // namespace tidemark::ingest
