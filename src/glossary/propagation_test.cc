// Propagation on chains, diamonds, cycles and through aggregations, with a fake ColumnEdgeSource.
#include "glossary/propagation.h"

#include <gtest/gtest.h>

#include <map>

#include "glossary/glossary_aspects.h"
#include "glossary/glossary_service.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::glossary {
namespace {

using common::Urn;

class FakeEdges : public ColumnEdgeSource {
 public:
  void Add(const Urn& from, const Urn& to, bool identity) {
    down_[from.ToString()].push_back({to, identity});
    up_[to.ToString()].push_back({from, identity});
  }
  void Clear() {
    down_.clear();
    up_.clear();
  }
  std::vector<ColumnEdge> Downstream(const Urn& f) const override { return Get(down_, f); }
  std::vector<ColumnEdge> Upstream(const Urn& f) const override { return Get(up_, f); }
  std::vector<std::string> LineageAspects() const override { return {"upstreamLineage"}; }
  std::vector<Urn> FieldsTouchedBy(const Urn& urn, std::string_view, int64_t) const override {
    return touched_;
  }
  std::vector<Urn> touched_;

 private:
  static std::vector<ColumnEdge> Get(const std::map<std::string, std::vector<ColumnEdge>>& m,
                                     const Urn& f) {
    auto it = m.find(f.ToString());
    return it == m.end() ? std::vector<ColumnEdge>{} : it->second;
  }
  std::map<std::string, std::vector<ColumnEdge>> down_, up_;
};

Urn Col(const std::string& table, const std::string& column) {
  return Urn::SchemaField(Urn::Dataset("trino", "lake." + table), column);
}

class PropagationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::shared_ptr<catalog::AspectRegistry> registry =
        catalog::AspectRegistry::WithCatalogAspects();
    ASSERT_OK(RegisterGlossaryAspects(*registry));
    catalog_ = *catalog::CatalogService::Open(storage::NewMemoryStore(), registry);
    service_ = *GlossaryService::Attach(*catalog_, &edges_);
  }

  void Classify(const Urn& field, const std::string& cls, const catalog::WriteOrigin& origin) {
    ASSERT_OK(service_->assignments().Assign(field, v1::CLASS, cls, origin).status());
    ASSERT_OK(service_->propagator().CatchUp().status());
  }

  // Propagated (value, origin, path length) of a column.
  std::vector<v1::PropagatedAssignment> Propagated(const Urn& field) {
    auto a = catalog_->GetAspect(*field.ParentDataset(), kPropagatedAspect);
    if (!a.ok()) return {};
    for (const auto& f : static_cast<const v1::PropagatedAssignments&>(*a->value).fields())
      if (f.field_path() == field.FieldPath())
        return {f.assignments().begin(), f.assignments().end()};
    return {};
  }

  FakeEdges edges_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<GlossaryService> service_;
  catalog::WriteOrigin person_{.actor = "urn:li:corpuser:alice", .source = v1::MANUAL};
};

TEST_F(PropagationTest, ChainOfCopiesAndRenames) {
  // raw.users.email → stg.users.email_address → mart.customers.contact → ... 5 pipelines.
  std::vector<Urn> chain = {Col("raw", "email"),  Col("stg", "email_address"),
                            Col("int", "mail"),   Col("mart", "contact"),
                            Col("bi", "contact"), Col("export", "contact")};
  for (size_t i = 0; i + 1 < chain.size(); ++i) edges_.Add(chain[i], chain[i + 1], true);
  Classify(chain[0], "EMAIL", person_);
  for (size_t i = 1; i < chain.size(); ++i) {
    auto p = Propagated(chain[i]);
    ASSERT_EQ(p.size(), 1u) << chain[i].ToString();
    EXPECT_EQ(p[0].value(), "EMAIL");
    EXPECT_EQ(p[0].origin(), chain[0].ToString());
    ASSERT_EQ(p[0].path_size(), static_cast<int>(i + 1));
    EXPECT_EQ(p[0].path(0), chain[0].ToString());
    EXPECT_EQ(p[0].path(static_cast<int>(i)), chain[i].ToString());
  }
  EXPECT_TRUE(Propagated(chain[0]).empty());  // direct assignments are not propagated ones
  EXPECT_TRUE(
      catalog_->HasIndexEntry("glossaryPropagatedCLASS", "EMAIL", chain[5]).value_or(false));
}

TEST_F(PropagationTest, StopsAtAggregationsAndHashing) {
  Urn src = Col("raw", "email"), agg = Col("mart", "email_count"), hashed = Col("mart", "h");
  Urn copy = Col("mart", "email");
  edges_.Add(src, agg, false);
  edges_.Add(src, hashed, false);
  edges_.Add(src, copy, true);
  edges_.Add(agg, Col("bi", "n"), true);  // identity after an aggregation carries nothing
  Classify(src, "EMAIL", person_);
  EXPECT_TRUE(Propagated(agg).empty());
  EXPECT_TRUE(Propagated(hashed).empty());
  EXPECT_TRUE(Propagated(Col("bi", "n")).empty());
  EXPECT_EQ(Propagated(copy).size(), 1u);
}

TEST_F(PropagationTest, DiamondGivesOneAssignmentWithTheShortestPath) {
  Urn a = Col("a", "x"), b = Col("b", "x"), c = Col("c", "x"), d = Col("d", "x"), e = Col("e", "x");
  edges_.Add(a, b, true);
  edges_.Add(b, c, true);
  edges_.Add(c, e, true);
  edges_.Add(a, d, true);
  edges_.Add(d, e, true);
  Classify(a, "PHONE", person_);
  auto p = Propagated(e);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].path_size(), 3);  // a → d → e
}

TEST_F(PropagationTest, CyclesTerminate) {
  Urn a = Col("a", "x"), b = Col("b", "x"), c = Col("c", "x");
  edges_.Add(a, b, true);
  edges_.Add(b, c, true);
  edges_.Add(c, a, true);
  Classify(a, "IBAN", person_);
  EXPECT_EQ(Propagated(b).size(), 1u);
  EXPECT_EQ(Propagated(c).size(), 1u);
  EXPECT_TRUE(Propagated(a).empty());  // its own class does not come back round
}

TEST_F(PropagationTest, RemovalsRecomputeDownstreamAndHumanRemovalBlocks) {
  Urn a = Col("a", "x"), b = Col("b", "x"), c = Col("c", "x");
  edges_.Add(a, b, true);
  edges_.Add(b, c, true);
  Classify(a, "EMAIL", person_);
  ASSERT_EQ(Propagated(c).size(), 1u);
  // A person says b is not an email (removes the class there): b and everything below lose it.
  ASSERT_OK(service_->assignments().Assign(b, v1::CLASS, "EMAIL", person_).status());
  ASSERT_OK(service_->assignments().Unassign(b, v1::CLASS, "EMAIL", person_));
  ASSERT_OK(service_->propagator().CatchUp().status());
  EXPECT_TRUE(Propagated(b).empty());
  // c still gets it from a through b: the tombstone is on b only.
  EXPECT_EQ(Propagated(c).size(), 1u);
  // Removing the origin's class clears everything downstream.
  ASSERT_OK(service_->assignments().Unassign(a, v1::CLASS, "EMAIL", person_));
  ASSERT_OK(service_->propagator().CatchUp().status());
  EXPECT_TRUE(Propagated(c).empty());
}

TEST_F(PropagationTest, RejectedProposalsDoNotPropagateTermsDo) {
  Urn a = Col("a", "x"), b = Col("b", "x");
  edges_.Add(a, b, true);
  ASSERT_OK(service_->assignments()
                .Classify(*a.ParentDataset(), {{"x", {"a@b.com"}}},
                          {.actor = "urn:li:corpuser:scanner", .source = v1::API})
                .status());
  ASSERT_OK(service_->propagator().CatchUp().status());
  EXPECT_EQ(Propagated(b).size(), 1u);  // pending proposals propagate (default closed)
  ASSERT_OK(service_->assignments().Review(*a.ParentDataset(), "x", "EMAIL", false, person_));
  ASSERT_OK(service_->propagator().CatchUp().status());
  EXPECT_TRUE(Propagated(b).empty());
  ASSERT_OK(service_->assignments()
                .Assign(a, v1::TERM, "urn:li:glossaryTerm:Billing.BillableUsage", person_)
                .status());
  ASSERT_OK(service_->propagator().CatchUp().status());
  ASSERT_EQ(Propagated(b).size(), 1u);
  EXPECT_EQ(Propagated(b)[0].kind(), v1::TERM);
}

TEST_F(PropagationTest, ColumnTermsOfEditableSchemaMetadataPropagate) {
  Urn a = Col("a", "amount"), b = Col("b", "billable_amount");
  edges_.Add(a, b, true);
  const std::string term = "urn:li:glossaryTerm:Billing.BillableUsage";
  ASSERT_OK_AND_ASSIGN(auto value, catalog_->registry().FromJson(
                                       *a.ParentDataset(), "editableSchemaMetadata",
                                       R"({"editableSchemaFieldInfo":[{"fieldPath":"amount",
                                           "glossaryTerms":{"terms":[{"urn":")" +
                                           term + R"("}]}}]})"));
  std::vector<catalog::AspectWrite> writes;
  writes.push_back({*a.ParentDataset(), "editableSchemaMetadata", std::move(value)});
  ASSERT_OK(catalog_->Write(std::move(writes), person_).status());
  ASSERT_OK(service_->propagator().CatchUp().status());
  auto p = Propagated(b);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].value(), term);
  EXPECT_EQ(p[0].origin(), a.ToString());
}

TEST_F(PropagationTest, EdgeChangesRecomputeOnlyTheTouchedFields) {
  Urn a = Col("a", "x"), b = Col("b", "x"), other = Col("z", "x");
  Classify(a, "EMAIL", person_);
  Classify(other, "PHONE", person_);
  edges_.Add(a, b, true);
  // A new edge into b: only b (and what is downstream of it) is recomputed.
  ASSERT_OK_AND_ASSIGN(auto stats, service_->propagator().Recompute({b}));
  EXPECT_EQ(stats.affected_fields, 1u);
  EXPECT_EQ(stats.written_datasets, 1u);
  EXPECT_EQ(Propagated(b).size(), 1u);
  edges_.Clear();
  ASSERT_OK(service_->propagator().Recompute({b}).status());
  EXPECT_TRUE(Propagated(b).empty());
  ASSERT_OK_AND_ASSIGN(stats, service_->propagator().Recompute({b}));
  EXPECT_EQ(stats.written_datasets, 0u);  // nothing changed: no new version
}

TEST(PropagationRestartTest, ChangesCommittedBeforeARestartArePropagatedAfterIt) {
  std::shared_ptr<storage::KvStore> store = storage::NewMemoryStore();
  std::shared_ptr<catalog::AspectRegistry> registry = catalog::AspectRegistry::WithCatalogAspects();
  ASSERT_OK(RegisterGlossaryAspects(*registry));
  FakeEdges edges;
  Urn a = Col("a", "x"), b = Col("b", "x");
  edges.Add(a, b, true);
  {
    auto catalog = *catalog::CatalogService::Open(store, registry);
    auto service = *GlossaryService::Attach(*catalog, &edges);
    ASSERT_OK(
        service->assignments()
            .Assign(a, v1::CLASS, "EMAIL", {.actor = "urn:li:corpuser:a", .source = v1::MANUAL})
            .status());
    // No CatchUp before "shutdown".
  }
  auto catalog = *catalog::CatalogService::Open(store, registry);
  auto service = *GlossaryService::Attach(*catalog, &edges);
  ASSERT_OK_AND_ASSIGN(auto stats, service->propagator().CatchUp());
  EXPECT_EQ(stats.written_datasets, 1u);
  EXPECT_TRUE(catalog->GetAspect(*b.ParentDataset(), kPropagatedAspect).ok());
}

}  // namespace
}  // namespace tidemark::glossary
