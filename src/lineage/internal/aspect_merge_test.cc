// Tests of the write-time merge of lineage aspects (manual entries kept, provenance filled) on
// inputs of a few thousand entries: a re-sent entry keeps its provenance, duplicates in the
// previous value resolve to the last one, and output order is the value's, then previous's.
#include "lineage/internal/aspect_merge.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace tidemark::lineage::internal {
namespace {

constexpr int kMany = 3000;

std::string Ds(int i) {
  return absl::StrCat("urn:li:dataset:(urn:li:dataPlatform:trino,t", i, ",PROD)");
}
std::string Col(int i, const std::string& field) {
  return absl::StrCat("urn:li:schemaField:(", Ds(i), ",", field, ")");
}

v1::WriteContext Context(v1::SourceKind source, std::string run, int64_t time) {
  v1::WriteContext c;
  c.set_source(source);
  c.set_run_id(std::move(run));
  c.set_time_micros(time);
  return c;
}

v1::Upstream* AddUpstream(v1::UpstreamLineage& v, int i, v1::SourceKind source, int64_t first) {
  v1::Upstream* up = v.add_upstreams();
  up->set_dataset(Ds(i));
  up->mutable_provenance()->set_source(source);
  up->mutable_provenance()->set_run_id(absl::StrCat("run-", first));
  up->mutable_provenance()->set_first_seen_micros(first);
  up->mutable_provenance()->set_last_seen_micros(first);
  return up;
}

v1::FineGrainedLineage* AddField(v1::UpstreamLineage& v, int i, v1::SourceKind source,
                                 int64_t first) {
  v1::FineGrainedLineage* fg = v.add_fine_grained_lineages();
  fg->add_upstreams(Col(i, "b"));
  fg->add_upstreams(Col(i, "a"));
  fg->add_downstreams(Col(-1, absl::StrCat("c", i)));
  fg->mutable_provenance()->set_source(source);
  fg->mutable_provenance()->set_first_seen_micros(first);
  return fg;
}

TEST(AspectMergeTest, ResentUpstreamsKeepTheirProvenanceAndNewOnesTakeTheContext) {
  v1::UpstreamLineage previous;
  for (int i = 0; i < kMany; ++i) AddUpstream(previous, i, v1::OPENLINEAGE, 100 + i);
  v1::UpstreamLineage value;
  for (int i = kMany + 10; i-- > kMany / 2;) value.add_upstreams()->set_dataset(Ds(i));
  FillProvenance(&previous, Context(v1::OPENLINEAGE, "now", 9000), value);
  ASSERT_EQ(value.upstreams_size(), kMany / 2 + 10);
  for (const v1::Upstream& up : value.upstreams()) {
    const int i = std::stoi(up.dataset().substr(up.dataset().find(",t") + 2));
    const v1::LineageProvenance& p = up.provenance();
    EXPECT_EQ(p.source(), v1::OPENLINEAGE);
    if (i < kMany) {
      EXPECT_EQ(p.first_seen_micros(), 100 + i) << up.dataset();
      EXPECT_EQ(p.last_seen_micros(), 100 + i) << up.dataset();
      EXPECT_EQ(p.run_id(), absl::StrCat("run-", 100 + i)) << up.dataset();
    } else {
      EXPECT_EQ(p.first_seen_micros(), 9000) << up.dataset();
      EXPECT_EQ(p.run_id(), "now") << up.dataset();
    }
  }
  // Output order is the value's own.
  EXPECT_EQ(value.upstreams(0).dataset(), Ds(kMany + 9));
  EXPECT_EQ(value.upstreams(value.upstreams_size() - 1).dataset(), Ds(kMany / 2));
}

TEST(AspectMergeTest, TheLastOfRepeatedPreviousEntriesWins) {
  v1::UpstreamLineage previous;
  for (int i = 0; i < kMany; ++i) AddUpstream(previous, i, v1::SQL, 100);
  for (int i = 0; i < kMany; ++i) AddUpstream(previous, i, v1::SQL, 200);
  for (int i = 0; i < kMany; ++i) AddField(previous, i, v1::SQL, 100);
  for (int i = 0; i < kMany; ++i) AddField(previous, i, v1::SQL, 200);
  // Same job on a different key does not match: (dataset, job) is the key.
  AddUpstream(previous, 0, v1::SQL, 300)->set_job("urn:li:dataJob:(urn:li:dataFlow:(a,b,PROD),j)");
  v1::UpstreamLineage value;
  for (int i = 0; i < kMany; ++i) value.add_upstreams()->set_dataset(Ds(i));
  for (int i = 0; i < kMany; ++i) {
    v1::FineGrainedLineage* fg = value.add_fine_grained_lineages();
    fg->add_upstreams(Col(i, "a"));  // same sets, other order
    fg->add_upstreams(Col(i, "b"));
    fg->add_downstreams(Col(-1, absl::StrCat("c", i)));
  }
  FillProvenance(&previous, Context(v1::SQL, "", 9000), value);
  for (const v1::Upstream& up : value.upstreams()) {
    EXPECT_EQ(up.provenance().first_seen_micros(), 200) << up.dataset();
    EXPECT_EQ(up.provenance().run_id(), "run-200") << up.dataset();
  }
  for (const v1::FineGrainedLineage& fg : value.fine_grained_lineages()) {
    EXPECT_EQ(fg.provenance().first_seen_micros(), 200) << fg.downstreams(0);
  }
}

TEST(AspectMergeTest, ManualEntriesAreKeptAfterTheValuesOwnInPreviousOrder) {
  v1::UpstreamLineage previous;
  for (int i = 0; i < kMany; ++i) {
    AddUpstream(previous, i, i % 2 == 0 ? v1::MANUAL : v1::OPENLINEAGE, 100);
    AddField(previous, i, i % 2 == 0 ? v1::MANUAL : v1::OPENLINEAGE, 100);
  }
  AddUpstream(previous, 0, v1::MANUAL, 400);  // a repeat: the first one is kept
  v1::UpstreamLineage value;
  for (int i = 0; i < kMany; i += 4) value.add_upstreams()->set_dataset(Ds(i));
  for (int i = 0; i < kMany; i += 4)
    *value.add_fine_grained_lineages() = previous.fine_grained_lineages(i);
  const int own = value.upstreams_size();
  KeepManualEntries(previous, Context(v1::OPENLINEAGE, "r", 9000), value);
  // Kept: the manual ones the value does not have (i % 4 == 2), in previous order.
  ASSERT_EQ(value.upstreams_size(), own + kMany / 4);
  ASSERT_EQ(value.fine_grained_lineages_size(), own + kMany / 4);
  for (int k = 0; k < kMany / 4; ++k) {
    const v1::Upstream& up = value.upstreams(own + k);
    EXPECT_EQ(up.dataset(), Ds(4 * k + 2));
    EXPECT_EQ(up.provenance().source(), v1::MANUAL);
    EXPECT_EQ(value.fine_grained_lineages(own + k).downstreams(0),
              Col(-1, absl::StrCat("c", 4 * k + 2)));
  }
  // A MANUAL write keeps nothing extra.
  v1::UpstreamLineage manual;
  KeepManualEntries(previous, Context(v1::MANUAL, "", 9000), manual);
  EXPECT_EQ(manual.upstreams_size(), 0);
}

}  // namespace
}  // namespace tidemark::lineage::internal
