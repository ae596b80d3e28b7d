// End-to-end tests of HttpServer over real loopback connections (ephemeral ports).
#include "server/http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <thread>

#include "absl/strings/match.h"
#include "server/http_client.h"
#include "server/metrics.h"
#include "server/router.h"
#include "tests/testing/status_matchers.h"

namespace tidemark::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using ::testing::HasSubstr;

HttpResponse Echo(HttpRequest& request) {
  json::object params;
  for (const auto& [k, v] : request.path_params) params[k] = v;
  json::object out;
  out["method"] = request.method;
  out["path"] = request.path;
  out["route"] = request.route;
  out["params"] = std::move(params);
  out["body"] = request.body;
  out["caller"] = request.caller;
  out["q"] = request.Query("q");
  HttpResponse response = JsonResponse(200, json::serialize(out));
  response.headers.emplace_back("X-Echo", "yes");
  return response;
}

Router MakeRouter() {
  Router router;
  router.Add({.method = "GET", .pattern = "/api/v1/entities/{urn}", .handler = Echo});
  router.Add({.method = "PUT", .pattern = "/api/v1/entities/{urn}", .handler = Echo});
  router.Add({.method = "POST", .pattern = "/api/v1/aspects:batch", .handler = Echo});
  router.Add({.method = "GET", .pattern = "/boom", .handler = [](HttpRequest&) -> HttpResponse {
                throw std::runtime_error("kaboom");
              }});
  router.Add({.method = "GET", .pattern = "/status", .handler = [](HttpRequest&) {
                return ErrorFromStatus(absl::NotFoundError("gone"));
              }});
  return router;
}

std::string Header(const HttpResponse& response, const std::string& name) {
  for (const auto& [k, v] : response.headers) {
    if (absl::EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

json::value ErrorOf(const HttpResponse& response) { return json::parse(response.body).at("error"); }

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<HttpServer>(options, &router_, &metrics_);
    ASSERT_OK_AND_ASSIGN(port_, server_->Start());
    url_ = "http://127.0.0.1:" + std::to_string(port_);
  }
  void SetUp() override { StartServer(); }

  std::unique_ptr<HttpClient> Client() {
    auto client = HttpClient::Connect(url_);
    EXPECT_OK(client);
    return client.ok() ? std::move(client).value() : nullptr;
  }

  // Sends raw bytes on a fresh connection and reads `n` responses (or until the server closes).
  std::vector<http::response<http::string_body>> Raw(const std::string& bytes, int n,
                                                     bool* closed = nullptr) {
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    net::write(socket, net::buffer(bytes));
    beast::flat_buffer buffer;
    std::vector<http::response<http::string_body>> responses;
    for (int i = 0; i < n; ++i) {
      http::response<http::string_body> res;
      beast::error_code ec;
      http::read(socket, buffer, res, ec);
      if (ec) break;
      responses.push_back(std::move(res));
    }
    if (closed != nullptr) {
      char c;
      beast::error_code ec;
      socket.read_some(net::buffer(&c, 1), ec);
      *closed = ec == net::error::eof || ec == net::error::connection_reset;
    }
    return responses;
  }

  Router router_ = MakeRouter();
  Metrics metrics_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::string url_;
};

TEST_F(HttpServerTest, GetAndPutRoundTrip) {
  auto client = Client();
  const std::string urn = "urn:li:dataset:(urn:li:dataPlatform:trino,a/b,PROD)";
  const std::string target = "/api/v1/entities/" + PercentEncodePathSegment(urn) + "?q=x+y";
  ASSERT_OK_AND_ASSIGN(HttpResponse put, client->Request("PUT", target, R"({"a":1})"));
  EXPECT_EQ(put.status, 200);
  EXPECT_EQ(put.content_type, "application/json");
  EXPECT_EQ(Header(put, "Server"), "tidemark");
  EXPECT_EQ(Header(put, "X-Echo"), "yes");
  EXPECT_FALSE(Header(put, "X-Request-Id").empty());
  json::value body = json::parse(put.body);
  EXPECT_EQ(body.at("method"), "PUT");
  EXPECT_EQ(body.at("body"), R"({"a":1})");
  EXPECT_EQ(body.at("params").at("urn").as_string(), urn);
  EXPECT_EQ(body.at("route"), "/api/v1/entities/{urn}");
  EXPECT_EQ(body.at("q"), "x y");
  EXPECT_EQ(body.at("caller"), "anonymous");

  ASSERT_OK_AND_ASSIGN(HttpResponse get, client->Request("GET", target));
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(json::parse(get.body).at("method"), "GET");
  EXPECT_NE(Header(get, "X-Request-Id"), Header(put, "X-Request-Id"));
}

TEST_F(HttpServerTest, CallerHeaderIsCapturedAndValidated) {
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse ok, client->Request("GET", "/api/v1/entities/x", "",
                                                        {{"X-Tidemark-User", "ana.b@corp-1"}}));
  EXPECT_EQ(json::parse(ok.body).at("caller"), "ana.b@corp-1");
  client->SetDefaultHeader("X-Tidemark-User", "bot_7");
  ASSERT_OK_AND_ASSIGN(HttpResponse dflt, client->Request("GET", "/api/v1/entities/x"));
  EXPECT_EQ(json::parse(dflt.body).at("caller"), "bot_7");
  ASSERT_OK_AND_ASSIGN(HttpResponse bad, client->Request("GET", "/api/v1/entities/x", "",
                                                         {{"X-Tidemark-User", "bad user!"}}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorOf(bad).at("code"), "invalid_argument");
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  beast::flat_buffer buffer;
  for (int i = 0; i < 5; ++i) {
    http::request<http::string_body> req{http::verb::put, "/api/v1/entities/e" + std::to_string(i),
                                         11};
    req.set(http::field::host, "localhost");
    req.body() = "body" + std::to_string(i);
    req.prepare_payload();
    http::write(socket, req);
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(json::parse(res.body()).at("body").as_string(), "body" + std::to_string(i));
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string bytes;
  const int n = 40;  // more than the server's queue, to exercise read back-pressure
  for (int i = 0; i < n; ++i) {
    bytes += "GET /api/v1/entities/p" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  auto responses = Raw(bytes, n);
  ASSERT_EQ(responses.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(json::parse(responses[i].body()).at("params").at("urn").as_string(),
              "p" + std::to_string(i));
  }
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  bool closed = false;
  auto responses =
      Raw("GET /api/v1/entities/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          "GET /api/v1/entities/b HTTP/1.1\r\nHost: x\r\n\r\n",
          2, &closed);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_FALSE(responses[0].keep_alive());
  EXPECT_TRUE(closed);
}

TEST_F(HttpServerTest, BodyOverLimitIs413) {
  server_->Stop();
  StartServer({.body_limit = 1024});
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse res,
                       client->Request("PUT", "/api/v1/entities/x", std::string(64 * 1024, 'a')));
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(ErrorOf(res).at("code"), "resource_exhausted");
  // The client reconnects transparently; a small body still works.
  ASSERT_OK_AND_ASSIGN(HttpResponse ok, client->Request("PUT", "/api/v1/entities/x", "small"));
  EXPECT_EQ(ok.status, 200);
}

TEST_F(HttpServerTest, HugeBodyStillGets413) {
  // The server stops draining after 64 MiB and closes, so the client's send fails; the client must
  // still report the server's early 413 answer.
  server_->Stop();
  StartServer({.body_limit = 1024});
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse res,
                       client->Request("PUT", "/api/v1/entities/x", std::string(72 << 20, 'a')));
  EXPECT_EQ(res.status, 413);
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAndClientReconnects) {
  server_->Stop();
  StartServer({.idle_timeout = std::chrono::seconds(1)});
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse first, client->Request("GET", "/api/v1/entities/x"));
  EXPECT_EQ(first.status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1600));  // server drops the idle connection
  ASSERT_OK_AND_ASSIGN(HttpResponse second, client->Request("PUT", "/api/v1/entities/x", "again"));
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(json::parse(second.body).at("body"), "again");
}

TEST_F(HttpServerTest, UnknownRouteIs404Json) {
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse res, client->Request("GET", "/api/v1/nope/x%20y"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.content_type, "application/json");
  EXPECT_EQ(ErrorOf(res).at("code"), "not_found");
  EXPECT_THAT(std::string(ErrorOf(res).at("message").as_string()), HasSubstr("/api/v1/nope/x y"));
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse res, client->Request("DELETE", "/api/v1/entities/x"));
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(Header(res, "Allow"), "GET, PUT");
  EXPECT_EQ(ErrorOf(res).at("code"), "method_not_allowed");
}

TEST_F(HttpServerTest, HandlerStatusIsMapped) {
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse res, client->Request("GET", "/status"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ErrorOf(res).at("message"), "gone");
}

TEST_F(HttpServerTest, ThrowingHandlerIs500AndServerKeepsServing) {
  auto client = Client();
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(HttpResponse res, client->Request("GET", "/boom"));
    EXPECT_EQ(res.status, 500);
    EXPECT_EQ(ErrorOf(res).at("code"), "internal");
    ASSERT_OK_AND_ASSIGN(HttpResponse ok, client->Request("GET", "/api/v1/entities/x"));
    EXPECT_EQ(ok.status, 200);
  }
}

TEST_F(HttpServerTest, MalformedHttpIs400ThenClose) {
  bool closed = false;
  auto responses = Raw("THIS IS NOT HTTP\r\n\r\n", 1, &closed);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].result_int(), 400u);
  EXPECT_EQ(json::parse(responses[0].body()).at("error").at("code"), "invalid_argument");
  EXPECT_TRUE(closed);
}

TEST_F(HttpServerTest, MalformedTargetIs400) {
  auto responses = Raw("GET /api/v1/entities/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 1);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].result_int(), 400u);
}

TEST_F(HttpServerTest, ConcurrentClients) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto client = HttpClient::Connect(url_);
      if (!client.ok()) return;
      for (int i = 0; i < 200; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto res = (*client)->Request("PUT", "/api/v1/entities/" + id, id);
        if (res.ok() && res->status == 200 && json::parse(res->body).at("body").as_string() == id)
          ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 8 * 200);
  EXPECT_THAT(metrics_.RenderPrometheus(),
              HasSubstr("tidemark_http_requests_total{route=\"/api/v1/entities/{urn}\","
                        "method=\"PUT\",code=\"200\"} 1600\n"));
}

TEST_F(HttpServerTest, MetricsUseRoutePatterns) {
  auto client = Client();
  ASSERT_OK(client->Request("GET", "/api/v1/entities/one"));
  ASSERT_OK(client->Request("GET", "/api/v1/entities/two"));
  ASSERT_OK(client->Request("GET", "/unknown/path"));
  const std::string text = metrics_.RenderPrometheus();
  EXPECT_THAT(text,
              HasSubstr("{route=\"/api/v1/entities/{urn}\",method=\"GET\",code=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("{route=\"unmatched\",method=\"GET\",code=\"404\"} 1\n"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("one")));
}

TEST_F(HttpServerTest, StopIsIdempotentAndReleasesWait) {
  auto client = Client();  // an open keep-alive connection must not block Stop()
  ASSERT_OK(client->Request("GET", "/api/v1/entities/x"));
  std::thread waiter([&] { server_->Wait(); });
  server_->Stop();
  waiter.join();
  server_->Stop();
  EXPECT_THAT(client->Request("GET", "/api/v1/entities/x"),
              tidemark::testing::StatusIs(absl::StatusCode::kUnavailable, HasSubstr(url_)));
}

TEST(HttpServerStartTest, BadAddressAndBusyPort) {
  Router router = MakeRouter();
  HttpServer bad({.address = "not-an-ip", .port = 0}, &router, nullptr);
  EXPECT_THAT(bad.Start(), tidemark::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                                       HasSubstr("not-an-ip")));
  HttpServer first({.address = "127.0.0.1", .port = 0}, &router, nullptr);
  ASSERT_OK_AND_ASSIGN(uint16_t port, first.Start());
  HttpServer second({.address = "127.0.0.1", .port = port}, &router, nullptr);
  EXPECT_THAT(second.Start(), tidemark::testing::StatusIs(absl::StatusCode::kUnavailable,
                                                          HasSubstr(std::to_string(port))));
  EXPECT_THAT(first.Start(), tidemark::testing::StatusIs(absl::StatusCode::kFailedPrecondition,
                                                         HasSubstr("already")));
}

TEST(HttpServerStartTest, Ipv6Loopback) {
  Router router = MakeRouter();
  HttpServer server({.address = "::1", .port = 0}, &router, nullptr);
  auto port = server.Start();
  if (!port.ok()) GTEST_SKIP() << "no IPv6 loopback: " << port.status();
  ASSERT_OK_AND_ASSIGN(auto client, HttpClient::Connect("http://[::1]:" + std::to_string(*port)));
  ASSERT_OK_AND_ASSIGN(HttpResponse res, client->Request("GET", "/api/v1/entities/v6"));
  EXPECT_EQ(res.status, 200);
}

}  // namespace
}  // namespace tidemark::server
