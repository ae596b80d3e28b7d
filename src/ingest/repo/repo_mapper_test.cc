// The pure mapping of SQL pipeline files (no git, no server): jobs, lineage through temporary
// tables, schemas from DDL, front matter, sourceCode line ranges and bad files; and the plan's
// merge with the catalog's current values.
#include "ingest/repo/repo_mapper.h"

#include <gtest/gtest.h>

#include "ingest/repo/repo_ingest.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace {

std::string Ds(const std::string& name) {
  return "urn:li:dataset:(urn:li:dataPlatform:trino," + name + ",PROD)";
}

RepoSnapshot Snapshot() {
  RepoSnapshot s;
  s.commit = "c1";
  s.remote_url = "https://git.example.com/data/pipes.git";
  s.name = "pipes";
  s.files = {
      {"ddl/orders.sql",
       "CREATE TABLE lake.sales.orders (id bigint NOT NULL COMMENT 'Order id', amount double);\n"
       "COMMENT ON TABLE lake.sales.orders IS 'All orders';\n"},
      {"jobs/daily.sql",
       "---\nowner: alice\ntags: [finance]\nschedule: daily\n---\n"
       "CREATE TEMPORARY TABLE tmp AS SELECT id, amount FROM lake.sales.orders;\n"
       "\n"
       "INSERT INTO lake.mart.daily\n"
       "SELECT id, sum(amount) AS total FROM tmp GROUP BY id;\n"},
      {"jobs/bad.sql", "INSERT INTO lake.mart.x SELECT (1 FROM t;\n"},
      {"dbt/models/x.sql", "select * from {{ ref('y') }}"},
      {"dbt/dbt_project.yml", "name: x\n"},
  };
  return s;
}

template <typename T>
const T* Find(const Mapping& m, const std::string& urn, const std::string& aspect) {
  for (const auto& a : m.aspects) {
    if (a.urn.ToString() == urn && a.aspect == aspect) return dynamic_cast<const T*>(a.value.get());
  }
  return nullptr;
}

TEST(RepoMapperTest, MapsJobsLineageSchemasAndBadFiles) {
  RepoSnapshot s = Snapshot();
  auto m = MapRepoFiles(s, nullptr, {});
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->files.size(), 3u);  // the dbt model is not plain SQL
  const std::string job = RepoJobUrn("pipes", "jobs/daily.sql").ToString();
  EXPECT_EQ(job, "urn:li:dataJob:(urn:li:dataFlow:(repo,pipes,PROD),jobs/daily.sql)");
  EXPECT_EQ(m->files.at("jobs/daily.sql").outputs, std::vector<std::string>{Ds("lake.mart.daily")});

  const auto* lineage =
      Find<v1::UpstreamLineage>(m->mapping, Ds("lake.mart.daily"), "upstreamLineage");
  ASSERT_NE(lineage, nullptr);
  ASSERT_EQ(lineage->upstreams_size(), 1);  // through the temporary table
  EXPECT_EQ(lineage->upstreams(0).dataset(), Ds("lake.sales.orders"));
  EXPECT_EQ(lineage->upstreams(0).job(), job);
  EXPECT_EQ(lineage->upstreams(0).provenance().source(), v1::REPO);
  EXPECT_EQ(lineage->upstreams(0).provenance().run_id(), "c1");

  const auto* code = Find<v1::SourceCode>(m->mapping, Ds("lake.mart.daily"), "sourceCode");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->locations(0).start_line(), 8);
  EXPECT_EQ(code->locations(0).end_line(), 9);
  EXPECT_EQ(code->locations(0).repository(), s.remote_url);

  const auto* schema =
      Find<v1::SchemaMetadata>(m->mapping, Ds("lake.sales.orders"), "schemaMetadata");
  ASSERT_NE(schema, nullptr);
  ASSERT_EQ(schema->fields_size(), 2);
  EXPECT_EQ(schema->fields(0).description(), "Order id");
  EXPECT_EQ(schema->fields(0).type(), v1::NUMBER);
  const auto* props =
      Find<v1::DatasetProperties>(m->mapping, Ds("lake.sales.orders"), "datasetProperties");
  ASSERT_NE(props, nullptr);
  EXPECT_EQ(props->description(), "All orders");

  const auto* owners = Find<v1::Ownership>(m->mapping, job, "ownership");
  ASSERT_NE(owners, nullptr);
  EXPECT_EQ(owners->owners(0).owner(), "urn:li:corpuser:alice");
  const auto* info = Find<v1::DataJobInfo>(m->mapping, job, "dataJobInfo");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->custom_properties().at("schedule"), "daily");
  const auto* io = Find<v1::DataJobInputOutput>(m->mapping, job, "dataJobInputOutput");
  ASSERT_NE(io, nullptr);
  EXPECT_EQ(io->input_datasets_size(), 1);
  EXPECT_EQ(io->output_datasets_size(), 1);

  ASSERT_EQ(m->mapping.errors.size(), 1u);
  EXPECT_EQ(m->mapping.errors[0].path(), "jobs/bad.sql");
  EXPECT_NE(m->mapping.errors[0].message().find("line 1"), std::string::npos);
}

TEST(RepoMapperTest, PlanKeepsOtherLineageAndRetractsDeletedFiles) {
  RepoSnapshot s = Snapshot();
  const std::string job = RepoJobUrn("pipes", "jobs/daily.sql").ToString();
  RepoPrevious previous{"c0", {}};
  previous.state.files["jobs/old.sql"] = {RepoJobUrn("pipes", "jobs/old.sql").ToString(),
                                          {Ds("lake.mart.daily")}};
  // The catalog has an edge from another source and one from the deleted file.
  const std::string stored = R"({"upstreams":[{"dataset":")" + Ds("lake.raw.x") +
                             R"(","type":"TRANSFORMED"},{"dataset":")" + Ds("lake.raw.old") +
                             R"(","job":")" + RepoJobUrn("pipes", "jobs/old.sql").ToString() +
                             R"("}]})";
  CurrentAspectFn current =
      [&](const std::string& urn,
          const std::string& aspect) -> absl::StatusOr<std::optional<std::string>> {
    if (urn == Ds("lake.mart.daily") && aspect == "upstreamLineage") return stored;
    return std::nullopt;
  };
  std::vector<ChangedPath> changes = {{"jobs/daily.sql", FileChange::kAdded},
                                      {"jobs/old.sql", FileChange::kDeleted}};
  auto plan = PlanRepoIngest(s, previous, &changes, {}, current);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->incremental);
  EXPECT_EQ(plan->files_mapped, 1);
  EXPECT_EQ(plan->files_deleted, 1);
  const auto* lineage =
      Find<v1::UpstreamLineage>(plan->mapping, Ds("lake.mart.daily"), "upstreamLineage");
  ASSERT_NE(lineage, nullptr);
  ASSERT_EQ(lineage->upstreams_size(), 2);
  EXPECT_EQ(lineage->upstreams(0).dataset(), Ds("lake.raw.x"));
  EXPECT_EQ(lineage->upstreams(1).job(), job);
  const auto* status =
      Find<v1::Status>(plan->mapping, RepoJobUrn("pipes", "jobs/old.sql").ToString(), "status");
  ASSERT_NE(status, nullptr);
  EXPECT_TRUE(status->removed());
  EXPECT_EQ(plan->next_state.files.count("jobs/old.sql"), 0u);
  EXPECT_EQ(plan->next_state.files.count("jobs/daily.sql"), 1u);

  auto state = RepoStateFromJson(RepoStateToJson(plan->next_state));
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->files.at("jobs/daily.sql").outputs,
            plan->next_state.files.at("jobs/daily.sql").outputs);

  previous.revision = "c1";
  auto same = PlanRepoIngest(s, previous, &changes, {}, current);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->mapping.aspects.empty());
}

}  // namespace
}  // namespace tidemark::ingest
