// Tests of the lineage JSON renderings (tidemark shapes and Marquez graphs).
#include "query/lineage_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tidemark::query {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

const std::string kA = "urn:li:dataset:(urn:li:dataPlatform:trino,lake.a,PROD)";
const std::string kB = "urn:li:dataset:(urn:li:dataPlatform:trino,lake.b,PROD)";
const std::string kJob = "urn:li:dataJob:(urn:li:dataFlow:(airflow,airflow://prod,PROD),load)";

lineage::LineageNode Node(std::string urn, std::string type, int hops) {
  lineage::LineageNode n;
  n.urn = std::move(urn);
  n.entity_type = std::move(type);
  n.platform = "trino";
  n.hops = hops;
  return n;
}

lineage::LineageEdge Edge(std::string from, std::string to, v1::LineageEdgeKind kind) {
  lineage::LineageEdge e;
  e.from = std::move(from);
  e.to = std::move(to);
  e.kind = kind;
  e.provenance.source = v1::OPENLINEAGE;
  e.provenance.run_id = "r1";
  e.provenance.first_seen_micros = 1'700'000'000'000'001;
  e.valid_from_micros = 1'700'000'000'000'001;
  return e;
}

TEST(LineageJsonTest, FormatsMicrosAsRfc3339) {
  EXPECT_EQ(FormatMicros(1'700'000'000'000'001), "2023-11-14T22:13:20.000001Z");
  EXPECT_EQ(FormatMicros(0), "");
}

TEST(LineageJsonTest, TraversalShape) {
  lineage::TraversalResult r;
  r.root = kA;
  r.direction = lineage::Direction::kBoth;
  r.nodes = {Node(kA, "dataset", 0), Node(kB, "dataset", 2), Node(kJob, "dataJob", 1)};
  auto e = Edge(kA, kJob, v1::DATASET_TO_JOB);
  e.transformation = v1::TRANSFORMATION;
  e.subtypes = {v1::FILTER, v1::MASKING};
  e.via_job = kJob;
  r.edges = {e, Edge(kJob, kB, v1::JOB_TO_DATASET)};
  r.truncated = true;
  json::value v = json::parse(TraversalToJson(r));
  EXPECT_EQ(v.at("direction").as_string(), "both");
  EXPECT_EQ(v.at("level").as_string(), "dataset");
  EXPECT_EQ(v.at("nodes").at(1).at("hops").as_int64(), 2);
  EXPECT_EQ(v.at("edges").at(0).at("kind").as_string(), "DATASET_TO_JOB");
  EXPECT_EQ(v.at("edges").at(0).at("transformation").at("subtypes").at(1).as_string(), "MASKING");
  EXPECT_EQ(v.at("edges").at(0).at("provenance").at("source").as_string(), "openlineage");
  EXPECT_EQ(v.at("edges").at(0).at("via").as_string(), kJob);
  EXPECT_FALSE(v.at("edges").at(1).as_object().contains("transformation"));
  EXPECT_TRUE(v.at("truncated").as_bool());

  json::value m = json::parse(MarquezLineageJson(r));
  ASSERT_EQ(m.at("graph").as_array().size(), 3u);
  // Sorted by id: datasets, then the job.
  EXPECT_EQ(m.at("graph").at(0).at("id").as_string(), "dataset:trino:lake.a");
  EXPECT_EQ(m.at("graph").at(2).at("id").as_string(), "job:airflow://prod:load");
  EXPECT_EQ(m.at("graph").at(2).at("type").as_string(), "JOB");
  EXPECT_EQ(m.at("graph").at(2).at("inEdges").at(0).at("origin").as_string(),
            "dataset:trino:lake.a");
}

TEST(LineageJsonTest, NoPathSaysSo) {
  lineage::PathResult r;
  r.from = kA;
  r.to = kB;
  json::value v = json::parse(PathsToJson(r));
  EXPECT_FALSE(v.at("found").as_bool());
  EXPECT_TRUE(v.at("paths").as_array().empty());
  EXPECT_THAT(std::string(v.at("message").as_string()), HasSubstr("no path"));
}

}  // namespace
}  // namespace tidemark::query
