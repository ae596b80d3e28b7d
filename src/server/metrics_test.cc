// Tests for the Prometheus text rendering of Metrics.
#include "server/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_split.h"
#include "server/router.h"

namespace tidemark::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Lines(const std::string& text) { return absl::StrSplit(text, '\n'); }

TEST(MetricsTest, CounterLinesByRouteMethodAndCode) {
  Metrics metrics;
  metrics.RegisterRoute("/api/v1/entities/{urn}", "GET");
  metrics.RecordRequest("/api/v1/entities/{urn}", "GET", 200, 0.001);
  metrics.RecordRequest("/api/v1/entities/{urn}", "GET", 200, 0.002);
  metrics.RecordRequest("/api/v1/entities/{urn}", "GET", 404, 0.002);
  const std::string text = metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("# HELP tidemark_http_requests_total "));
  EXPECT_THAT(text, HasSubstr("# TYPE tidemark_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_requests_total{route=\"/api/v1/entities/{urn}\","
                              "method=\"GET\",code=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_requests_total{route=\"/api/v1/entities/{urn}\","
                              "method=\"GET\",code=\"404\"} 1\n"));
  EXPECT_EQ(text.back(), '\n');
}

TEST(MetricsTest, HistogramIsCumulative) {
  Metrics metrics;
  metrics.RegisterRoute("/r", "PUT");
  metrics.RecordRequest("/r", "PUT", 200, 0.00005);  // first bucket
  metrics.RecordRequest("/r", "PUT", 200, 0.003);    // le=0.005
  metrics.RecordRequest("/r", "PUT", 200, 0.003);
  metrics.RecordRequest("/r", "PUT", 500, 42);  // only +Inf
  const std::string text = metrics.RenderPrometheus();
  const std::string labels = "route=\"/r\",method=\"PUT\"";
  EXPECT_THAT(text, HasSubstr("# TYPE tidemark_http_request_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_request_duration_seconds_bucket{" + labels +
                              ",le=\"0.0001\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_request_duration_seconds_bucket{" + labels +
                              ",le=\"0.0025\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_request_duration_seconds_bucket{" + labels +
                              ",le=\"0.005\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_request_duration_seconds_bucket{" + labels +
                              ",le=\"10\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_request_duration_seconds_bucket{" + labels +
                              ",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_request_duration_seconds_count{" + labels + "} 4\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_http_request_duration_seconds_sum{" + labels + "} 42.006"));

  // Every bucket series is non-decreasing and there is one per bound plus +Inf.
  uint64_t previous = 0;
  int buckets = 0;
  for (const std::string& line : Lines(text)) {
    if (line.rfind("tidemark_http_request_duration_seconds_bucket{" + labels, 0) != 0) continue;
    uint64_t value = std::stoull(line.substr(line.rfind(' ') + 1));
    EXPECT_GE(value, previous) << line;
    previous = value;
    ++buckets;
  }
  EXPECT_EQ(buckets, static_cast<int>(Metrics::BucketBounds().size()) + 1);
}

TEST(MetricsTest, UnregisteredRouteCountsAsUnmatched) {
  Metrics metrics;
  metrics.RecordRequest("/never/registered", "BREW", 404, 0.001);
  metrics.RecordRequest("/also/not", "GET", 404, 0.001);
  const std::string text = metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("{route=\"unmatched\",method=\"OTHER\",code=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("{route=\"unmatched\",method=\"GET\",code=\"404\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("never")));
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Metrics metrics;
  metrics.RegisterRoute("/a\"b\\c\nd", "GET");
  metrics.RecordRequest("/a\"b\\c\nd", "GET", 200, 0.1);
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("tidemark_http_requests_total{route=\"/a\\\"b\\\\c\\nd\",method=\"GET\","
                        "code=\"200\"} 1\n"));
}

TEST(MetricsTest, RegistersRoutesFromRouter) {
  Router router;
  router.Add({.method = "GET", .pattern = "/x/{id}"});
  Metrics metrics;
  metrics.RegisterRoutes(router);
  metrics.RegisterRoutes(router);  // idempotent
  metrics.RecordRequest("/x/{id}", "GET", 200, 0.01);
  const std::string text = metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("{route=\"/x/{id}\",method=\"GET\",code=\"200\"} 1\n"));
}

TEST(MetricsTest, Gauges) {
  Metrics metrics;
  metrics.AddGauge("tidemark_entities", "Entities in the catalog.\nSecond line", [] { return 42; });
  metrics.AddGauge("tidemark_ratio", "A ratio.", [] { return 0.5; });
  const std::string text = metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("# HELP tidemark_entities Entities in the catalog.\\nSecond line\n"
                              "# TYPE tidemark_entities gauge\n"
                              "tidemark_entities 42\n"));
  EXPECT_THAT(text, HasSubstr("tidemark_ratio 0.5\n"));
}

TEST(MetricsTest, ConcurrentRecording) {
  Metrics metrics;
  metrics.RegisterRoute("/r", "GET");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) metrics.RecordRequest("/r", "GET", 200, 0.001);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("{route=\"/r\",method=\"GET\",code=\"200\"} 4000\n"));
}

}  // namespace
}  // namespace tidemark::server
