// `tidemark ingest repo` against a real server: a git repository made with the git CLI in a
// temporary directory, ingested at its first and second commit (a file modified, one deleted),
// then again at the second. Checks schemas from DDL, lineage edges, sourceCode line ranges,
// front-matter owners, that the second run mapped only the changed files, that the deleted file's
// lineage is gone, that re-running a revision writes nothing, and that a bad SQL file is reported
// with its path without stopping the rest.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ingest/repo/repo_mapper.h"
#include "tests/testing/server_fixture.h"
#include "tools/cli_ingest_repo.h"

namespace tidemark {
namespace {

namespace json = boost::json;

std::string Ds(const std::string& name) {
  return "urn:li:dataset:(urn:li:dataPlatform:trino," + name + ",PROD)";
}

class RepoIngestTest : public testing::ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    repo_ = dir_.path() / "pipes";
    std::filesystem::create_directories(repo_);
    Git("init -q -b main");
    Git("config user.email ci@example.com");
    Git("config user.name ci");
    Git("remote add origin https://git.example.com/data/pipes.git");
  }

  void Git(const std::string& args) {
    const std::string cmd = "cd '" + repo_.string() + "' && git " + args + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  std::string Head() {
    const std::string cmd = "cd '" + repo_.string() + "' && git rev-parse HEAD";
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
      char buf[128];
      while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
      ::pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
  void Write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories((repo_ / path).parent_path());
    std::ofstream(repo_ / path) << text;
  }

  // Runs the CLI flow at `rev`; returns the newest repo run.
  json::value Ingest(const std::string& rev) {
    tools::RepoIngestArgs args;
    args.path = repo_.string();
    args.rev = rev;
    std::ostringstream out;
    EXPECT_EQ(tools::IngestRepo(args, base_url_, out), 0) << out.str();
    json::value runs = Json(Call("GET", "/api/v1/ingest/runs?source=repo&limit=1"));
    return runs.at("runs").as_array().at(0);
  }

  std::vector<std::string> Upstreams(const std::string& urn) {
    std::vector<std::string> out;
    json::value v = AspectValue(urn, "upstreamLineage", /*may_be_absent=*/true);
    if (!v.is_object() || !v.as_object().contains("upstreams")) return out;
    for (const auto& u : v.at("upstreams").as_array()) {
      out.emplace_back(u.at("dataset").as_string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string Downstream(const std::string& urn) {
    return Call("GET", "/api/v1/lineage/" + Encode(urn) + "?direction=downstream&depth=3").body;
  }

  static std::string Count(const json::value& run, const char* key) {
    const json::value* counts = run.as_object().if_contains("counts");
    const json::value* n = counts ? counts->as_object().if_contains(key) : nullptr;
    return n ? std::string(n->as_string()) : "0";
  }

  std::filesystem::path repo_;
};

const char kDaily1[] =
    "---\n"
    "owner: [alice, group:finance]\n"
    "description: Daily revenue per customer\n"
    "schedule: \"0 3 * * *\"\n"
    "tags: [finance]\n"
    "---\n"
    "-- rebuild the day\n"
    "DELETE FROM lake.mart.daily_revenue WHERE day = current_date;\n"
    "\n"
    "INSERT INTO lake.mart.daily_revenue\n"
    "SELECT o.day, c.name, sum(o.amount) AS total\n"
    "FROM lake.sales.orders o JOIN lake.sales.customers c ON o.customer_id = c.id\n"
    "GROUP BY o.day, c.name;\n";

const char kDaily2[] =
    "---\n"
    "owner: alice\n"
    "---\n"
    "INSERT INTO lake.mart.daily_revenue\n"
    "SELECT o.day, sum(o.amount) AS total\n"
    "FROM lake.sales.orders o\n"
    "GROUP BY o.day;\n";

TEST_F(RepoIngestTest, IncrementalIngestOfTwoRevisions) {
  Write("ddl/sales.sql",
        "CREATE TABLE lake.sales.orders (\n"
        "  id bigint NOT NULL COMMENT 'Order id',\n"
        "  customer_id bigint,\n"
        "  day date,\n"
        "  amount decimal(12, 2) COMMENT 'Gross amount'\n"
        ");\n"
        "CREATE TABLE lake.sales.customers (id bigint, name varchar);\n"
        "CREATE TABLE lake.mart.daily_revenue (day date, name varchar, total decimal(12, 2));\n");
  Write("jobs/daily_revenue.sql", kDaily1);
  Write("jobs/customer_names.sql",
        "CREATE OR REPLACE VIEW lake.mart.customer_names AS\n"
        "SELECT id, name FROM lake.sales.customers;\n");
  Write("jobs/broken.sql", "INSERT INTO lake.mart.broken SELECT (1 FROM lake.sales.orders;\n");
  Git("add -A");
  Git("commit -q -m one");
  const std::string rev1 = Head();

  // Revision 1: every file.
  json::value run1 = Ingest(rev1);
  EXPECT_EQ(run1.at("state"), "SUCCEEDED_WITH_ERRORS") << run1;
  EXPECT_EQ(run1.at("properties").at("files_mapped"), "4");
  EXPECT_EQ(run1.at("properties").at("revision"), json::value(rev1));
  ASSERT_EQ(run1.at("errors").as_array().size(), 1u) << run1;
  EXPECT_EQ(run1.at("errors").as_array()[0].at("path"), "jobs/broken.sql");

  json::value schema =
      AspectValue(Ds("lake.sales.orders"), "schemaMetadata", /*may_be_absent=*/true);
  ASSERT_TRUE(schema.is_object());
  ASSERT_EQ(schema.at("fields").as_array().size(), 4u);
  EXPECT_EQ(schema.at("fields").as_array()[0].at("description"), "Order id");
  EXPECT_EQ(schema.at("fields").as_array()[3].at("nativeDataType"), "decimal(12, 2)");

  const std::string daily = Ds("lake.mart.daily_revenue");
  const std::string job =
      "urn:li:dataJob:(urn:li:dataFlow:(repo,pipes,PROD),jobs/daily_revenue.sql)";
  EXPECT_EQ(Upstreams(daily),
            (std::vector<std::string>{Ds("lake.sales.customers"), Ds("lake.sales.orders")}));
  json::value lineage = AspectValue(daily, "upstreamLineage", /*may_be_absent=*/true);
  EXPECT_EQ(lineage.at("upstreams").as_array()[0].at("job"), json::value(job));
  EXPECT_EQ(lineage.at("upstreams").as_array()[0].at("provenance").at("source"), "REPO");
  EXPECT_EQ(lineage.at("upstreams").as_array()[0].at("provenance").at("runId"), json::value(rev1));
  EXPECT_NE(Downstream(Ds("lake.sales.customers")).find(daily), std::string::npos);

  // sourceCode: the DDL statement (line 8) and the two statements of the job (8, 10-13).
  json::value code = AspectValue(daily, "sourceCode", /*may_be_absent=*/true);
  ASSERT_TRUE(code.is_object());
  const auto& locs = code.at("locations").as_array();
  ASSERT_EQ(locs.size(), 3u) << code;
  EXPECT_EQ(locs[0].at("path"), "ddl/sales.sql");
  EXPECT_EQ(locs[0].at("startLine"), 8);
  EXPECT_EQ(locs[2].at("path"), "jobs/daily_revenue.sql");
  EXPECT_EQ(locs[2].at("startLine"), 10);
  EXPECT_EQ(locs[2].at("endLine"), 13);
  EXPECT_EQ(locs[2].at("commit"), json::value(rev1));
  EXPECT_EQ(locs[2].at("repository"), "https://git.example.com/data/pipes.git");

  json::value owners = AspectValue(job, "ownership", /*may_be_absent=*/true);
  ASSERT_TRUE(owners.is_object());
  ASSERT_EQ(owners.at("owners").as_array().size(), 2u);
  EXPECT_EQ(owners.at("owners").as_array()[0].at("owner"), "urn:li:corpuser:alice");
  EXPECT_EQ(owners.at("owners").as_array()[1].at("owner"), "urn:li:corpGroup:finance");
  EXPECT_EQ(
      AspectValue(job, "dataJobInfo", /*may_be_absent=*/true).at("customProperties").at("schedule"),
      "0 3 * * *");
  EXPECT_EQ(Upstreams(Ds("lake.mart.customer_names")),
            std::vector<std::string>{Ds("lake.sales.customers")});

  // Revision 2: one file changed, one deleted; an uncommitted edit is never read.
  Write("jobs/daily_revenue.sql", kDaily2);
  Git("rm -q jobs/customer_names.sql");
  Git("add -A");
  Git("commit -q -m two");
  const std::string rev2 = Head();
  Write("jobs/daily_revenue.sql", "INSERT INTO lake.mart.daily_revenue SELECT * FROM lake.x.y;");

  json::value run2 = Ingest(rev2);
  EXPECT_EQ(run2.at("state"), "SUCCEEDED") << run2;
  EXPECT_EQ(run2.at("properties").at("mode"), "incremental");
  EXPECT_EQ(run2.at("properties").at("files_mapped"), "1");
  EXPECT_EQ(run2.at("properties").at("files_deleted"), "1");
  EXPECT_LT(std::stoi(Count(run2, "entitiesSeen")), std::stoi(Count(run1, "entitiesSeen")));
  EXPECT_EQ(Upstreams(daily), std::vector<std::string>{Ds("lake.sales.orders")});
  EXPECT_TRUE(Upstreams(Ds("lake.mart.customer_names")).empty());
  const std::string downstream = Downstream(Ds("lake.sales.customers"));
  EXPECT_EQ(downstream.find(daily), std::string::npos) << downstream;
  EXPECT_EQ(downstream.find(Ds("lake.mart.customer_names")), std::string::npos) << downstream;
  const std::string removed_job =
      "urn:li:dataJob:(urn:li:dataFlow:(repo,pipes,PROD),jobs/customer_names.sql)";
  EXPECT_EQ(AspectValue(removed_job, "status", /*may_be_absent=*/true).at("removed"), true);
  code = AspectValue(daily, "sourceCode", /*may_be_absent=*/true);
  ASSERT_EQ(code.at("locations").as_array().size(), 2u) << code;
  EXPECT_EQ(code.at("locations").as_array()[1].at("startLine"), 4);
  EXPECT_EQ(code.at("locations").as_array()[1].at("commit"), json::value(rev2));
  // The DDL file did not change: its sourceCode location keeps revision 1.
  EXPECT_EQ(code.at("locations").as_array()[0].at("commit"), json::value(rev1));
  EXPECT_EQ(AspectValue(job, "ownership", /*may_be_absent=*/true).at("owners").as_array().size(),
            1u);

  // The same revision again writes nothing.
  json::value run3 = Ingest(rev2);
  EXPECT_EQ(run3.at("state"), "SUCCEEDED") << run3;
  EXPECT_EQ(run3.at("properties").at("mode"), "unchanged");
  EXPECT_EQ(Count(run3, "aspectsWritten"), "0") << run3;

  // A full re-ingest maps every file again: files unchanged since revision 1 now point at
  // revision 2 in sourceCode (nothing else changes), and a second full run writes nothing; the
  // bad file is reported each time.
  tools::RepoIngestArgs full;
  full.path = repo_.string();
  full.rev = rev2;
  full.full = true;
  for (int i = 0; i < 2; ++i) {
    std::ostringstream out;
    ASSERT_EQ(tools::IngestRepo(full, base_url_, out), 0) << out.str();
    EXPECT_NE(out.str().find("jobs/broken.sql"), std::string::npos) << out.str();
  }
  json::value run5 =
      Json(Call("GET", "/api/v1/ingest/runs?source=repo&limit=1")).at("runs").as_array().at(0);
  EXPECT_EQ(run5.at("properties").at("files_mapped"), "3");
  EXPECT_EQ(Count(run5, "aspectsWritten"), "0") << run5;
  EXPECT_EQ(run5.at("errors").as_array()[0].at("path"), "jobs/broken.sql");
  EXPECT_EQ(Upstreams(daily), std::vector<std::string>{Ds("lake.sales.orders")});
}

TEST_F(RepoIngestTest, UnknownRevisionIsBadInput) {
  Write("a.sql", "SELECT 1;");
  Git("add -A");
  Git("commit -q -m one");
  tools::RepoIngestArgs args;
  args.path = repo_.string();
  args.rev = "no-such-branch";
  std::ostringstream out;
  EXPECT_EQ(tools::IngestRepo(args, base_url_, out), 2);
}

}  // namespace
}  // namespace tidemark
