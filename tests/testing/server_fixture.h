// ServerFixture: a real tidemark App on a RocksDB store in a temporary directory, listening on an
// ephemeral 127.0.0.1 port, with an HTTP client and small helpers to speak JSON to it.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "server/app.h"
#include "server/http_client.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace tidemark::testing {

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }
  void TearDown() override { app_.reset(); }

  void StartServer(std::string seed = "") {
    app_.reset();
    server::AppOptions options;
    options.data_dir = (dir_.path() / "db").string();
    options.server.port = 0;
    options.server.threads = 2;
    options.server.body_limit = 1 << 20;
    options.sync_writes = false;
    options.seed_file = std::move(seed);
    auto app = server::App::Open(options);
    ASSERT_TRUE(app.ok()) << app.status();
    app_ = std::move(app).value();
    auto port = app_->Start();
    ASSERT_TRUE(port.ok()) << port.status();
    base_url_ = "http://127.0.0.1:" + std::to_string(*port);
    auto client = server::HttpClient::Connect(base_url_);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = std::move(client).value();
  }

  server::HttpResponse Call(const std::string& method, const std::string& target,
                            const std::string& body = "", const std::string& user = "alice",
                            std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("X-Tidemark-User", user);
    auto response = client_->Request(method, target, body, headers);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : server::HttpResponse{.status = 0};
  }

  static boost::json::value Json(const server::HttpResponse& r) {
    boost::json::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    EXPECT_FALSE(ec) << "not JSON: " << r.body;
    return v;
  }

  // The value of `aspect` of `urn`, or null when it is absent (a test failure unless
  // `may_be_absent`).
  boost::json::value AspectValue(const std::string& urn, const std::string& aspect,
                                 bool may_be_absent = false) {
    auto r = Call("GET", "/api/v1/entities/" + Encode(urn) + "/aspects/" + aspect);
    if (!may_be_absent) {
      EXPECT_EQ(r.status, 200) << urn << " " << aspect << ": " << r.body;
    }
    return r.status == 200 ? Json(r).at("value") : boost::json::value();
  }

  // The highest change-log sequence number (0 on an empty store).
  uint64_t LatestSeq() {
    return Json(Call("GET", "/api/v1/changes?since=0&limit=1"))
        .at("latestSeq")
        .to_number<uint64_t>();
  }

  static std::string Encode(const std::string& segment) {
    return server::PercentEncodePathSegment(segment);
  }

  TempDir dir_;
  std::unique_ptr<server::App> app_;
  std::unique_ptr<server::HttpClient> client_;
  std::string base_url_;
};

}  // namespace tidemark::testing
