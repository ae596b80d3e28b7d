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
#include <condition_variable>
#include <mutex>
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

// Holds handlers until the test opens it; counts the handlers that reached it.
class Gate {
 public:
  void Enter() {
    std::unique_lock<std::mutex> lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  void WaitEntered(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool open_ = false;
};

constexpr size_t kBigBody = 300 * 1024;

// Polls `done` (a state the server reaches by itself) for up to 20 s; not a timing assertion.
template <typename F>
bool Eventually(F done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    router_.Add({.method = "GET", .pattern = "/big", .handler = [this](HttpRequest&) {
                   ++big_served_;
                   return JsonResponse(200, "\"" + std::string(kBigBody, 'b') + "\"");
                 }});
    router_.Add({.method = "POST", .pattern = "/gated", .handler = [this](HttpRequest& r) {
                   gate_.Enter();
                   return JsonResponse(200, json::serialize(json::object{{"body", r.body}}));
                 }});
    router_.Add({.method = "GET", .pattern = "/gated-read", .handler = [this](HttpRequest&) {
                   gate_.Enter();
                   return JsonResponse(200, "{}");
                 }});
  }
  void TearDown() override { gate_.Open(); }

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

  Gate gate_;
  std::atomic<int> big_served_{0};
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
  EXPECT_EQ(Header(res, "Allow"), "GET, HEAD, PUT");
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

TEST_F(HttpServerTest, PipelinedBigResponsesAreBoundedPerConnection) {
  // Regression: a client pipelining requests for big responses and never reading made the
  // server buffer 16 responses of any size per connection (1.1 GB for 20 such clients).
  const int n = 100;  // 30 MB of responses: more than loopback socket buffers absorb
  std::string bytes;
  for (int i = 0; i < n; ++i) bytes += "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  net::write(socket, net::buffer(bytes));
  // The server stops reading once it holds the limit for this connection.
  const size_t limit = ServerOptions{}.pending_bytes_limit;
  ASSERT_TRUE(Eventually([&] { return server_->stats().pending_bytes >= limit; }));
  const ServerStats stats = server_->stats();
  EXPECT_LE(stats.peak_connection_pending_bytes, limit + kBigBody + 1024);
  EXPECT_LE(stats.pending_bytes, limit + kBigBody + 1024);
  EXPECT_LT(big_served_.load(), n);  // the rest of the pipeline is still unread
  // Reading resumes as the client reads: every response arrives, in full.
  beast::flat_buffer buffer;
  for (int i = 0; i < n; ++i) {
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    ASSERT_EQ(res.body().size(), kBigBody + 2) << i;
  }
  EXPECT_EQ(big_served_.load(), n);
  EXPECT_LE(server_->stats().peak_connection_pending_bytes, limit + kBigBody + 1024);
}

TEST_F(HttpServerTest, WritesRunOffTheIoThreads) {
  server_->Stop();
  StartServer({.threads = 1, .worker_threads = 1});
  std::thread writer([&] {
    auto client = HttpClient::Connect(url_);
    ASSERT_OK(client);
    auto res = (*client)->Request("POST", "/gated", "w");
    ASSERT_OK(res);
    EXPECT_EQ(res->status, 200);
  });
  gate_.WaitEntered(1);
  // The only io thread is free while the write blocks: reads are still answered.
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse read, client->Request("GET", "/api/v1/entities/x"));
  EXPECT_EQ(read.status, 200);
  gate_.Open();
  writer.join();
}

TEST_F(HttpServerTest, PipelinedWritesAndReadsStayInOrder) {
  std::string bytes;
  const int n = 30;
  for (int i = 0; i < n; ++i) {
    const std::string id = std::to_string(i);
    if (i % 2 == 0) {
      bytes += "PUT /api/v1/entities/p" + id +
               " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(id.size()) + "\r\n\r\n" +
               id;
    } else {
      bytes += "GET /api/v1/entities/p" + id + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }
  }
  auto responses = Raw(bytes, n);
  ASSERT_EQ(responses.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    json::value body = json::parse(responses[i].body());
    EXPECT_EQ(body.at("params").at("urn").as_string(), "p" + std::to_string(i));
    EXPECT_EQ(body.at("method"), i % 2 == 0 ? "PUT" : "GET");
  }
}

TEST_F(HttpServerTest, FullWorkerQueueIs503) {
  server_->Stop();
  StartServer({.worker_threads = 1, .worker_queue_limit = 1});
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  const std::string post = "POST /gated HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nb";
  net::write(socket, net::buffer(post));
  gate_.WaitEntered(1);                          // the only worker is busy
  net::write(socket, net::buffer(post + post));  // one waits in the queue, one does not fit
  ASSERT_TRUE(Eventually([&] { return server_->stats().rejected_busy == 1; }));
  gate_.Open();
  beast::flat_buffer buffer;
  std::vector<unsigned> codes;
  for (int i = 0; i < 3; ++i) {
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    codes.push_back(res.result_int());
    if (res.result_int() == 503) {
      EXPECT_EQ(json::parse(res.body()).at("error").at("code"), "unavailable");
      EXPECT_EQ(res[http::field::retry_after], "1");
    }
  }
  EXPECT_THAT(codes, ::testing::ElementsAre(200u, 200u, 503u));
}

TEST_F(HttpServerTest, StopAnswersRequestsInFlight) {
  auto idle = Client();  // an idle keep-alive connection is closed at once
  ASSERT_OK(idle->Request("GET", "/api/v1/entities/x"));
  std::atomic<int> write_status{0}, read_status{0};
  std::atomic<bool> write_closed{false};
  std::thread writer([&] {
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    net::write(
        socket,
        net::buffer(std::string("POST /gated HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nin")));
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    beast::error_code ec;
    http::read(socket, buffer, res, ec);
    if (!ec) write_status = static_cast<int>(res.result_int());
    write_closed = !res.keep_alive();
  });
  std::thread reader([&] {
    auto client = HttpClient::Connect(url_);
    if (!client.ok()) return;
    auto res = (*client)->Request("GET", "/gated-read");
    if (res.ok()) read_status = res->status;
  });
  gate_.WaitEntered(2);  // one handler on a worker, one on an io thread
  std::thread stopper([&] { server_->Stop(); });
  // Once the port refuses connections, Stop() has told every session to drain.
  EXPECT_TRUE(Eventually([&] {
    net::io_context ioc;
    tcp::socket probe(ioc);
    beast::error_code ec;
    probe.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
    return ec == net::error::connection_refused;
  }));
  gate_.Open();
  stopper.join();
  writer.join();
  reader.join();
  EXPECT_EQ(write_status.load(), 200);
  EXPECT_TRUE(write_closed.load());  // the last answer says Connection: close
  EXPECT_EQ(read_status.load(), 200);
  EXPECT_FALSE(idle->Request("GET", "/api/v1/entities/x").ok());
}

TEST_F(HttpServerTest, ConnectionsOverTheCapGet503) {
  server_->Stop();
  StartServer({.max_connections = 2});
  auto first = Client();
  auto second = Client();
  ASSERT_OK(first->Request("GET", "/api/v1/entities/a"));
  ASSERT_OK(second->Request("GET", "/api/v1/entities/b"));
  bool closed = false;
  auto third = Raw("GET /api/v1/entities/c HTTP/1.1\r\nHost: x\r\n\r\n", 1, &closed);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].result_int(), 503u);
  EXPECT_EQ(json::parse(third[0].body()).at("error").at("code"), "unavailable");
  EXPECT_FALSE(third[0].keep_alive());
  EXPECT_TRUE(closed);
  EXPECT_EQ(server_->stats().rejected_connections, 1u);
  EXPECT_EQ(server_->stats().connections, 2u);
  first.reset();  // frees a place
  ASSERT_TRUE(Eventually([&] { return server_->stats().connections < 2; }));
  auto fourth = Raw("GET /api/v1/entities/d HTTP/1.1\r\nHost: x\r\n\r\n", 1);
  ASSERT_EQ(fourth.size(), 1u);
  EXPECT_EQ(fourth[0].result_int(), 200u);
}

TEST_F(HttpServerTest, HeadIsGetWithoutBody) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  net::write(socket,
             net::buffer(std::string("HEAD /big HTTP/1.1\r\nHost: x\r\n\r\n"
                                     "GET /big HTTP/1.1\r\nHost: x\r\n\r\n"
                                     "HEAD /api/v1/aspects:batch HTTP/1.1\r\nHost: x\r\n\r\n")));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> head;
  head.skip(true);  // a response to HEAD has no body whatever its Content-Length says
  http::read(socket, buffer, head);
  http::response<http::string_body> get;
  http::read(socket, buffer, get);  // framing intact: the GET follows at once
  EXPECT_EQ(head.get().result_int(), 200u);
  EXPECT_EQ(head.get()[http::field::content_length], std::to_string(kBigBody + 2));
  EXPECT_TRUE(head.get().body().empty());
  EXPECT_EQ(get.result_int(), 200u);
  EXPECT_EQ(get.body().size(), kBigBody + 2);
  // HEAD on a path without a GET route is still 405, with the Allow list.
  http::response_parser<http::string_body> refused;
  refused.skip(true);
  http::read(socket, buffer, refused);
  EXPECT_EQ(refused.get().result_int(), 405u);
  EXPECT_EQ(refused.get()[http::field::allow], "POST");
}

TEST_F(HttpServerTest, TidemarkHeadersAreValidatedAtTheBoundary) {
  auto client = Client();
  const std::string target = "/api/v1/entities/x";
  struct Case {
    std::string header, value;
    int status;
  };
  const std::vector<Case> cases = {
      {"X-Tidemark-Run-Id", "r0000018f-0001", 200},
      {"X-Tidemark-Run-Id", "ci:build.42_a-b", 200},
      {"X-Tidemark-Run-Id", std::string(128, 'r'), 200},
      {"X-Tidemark-Run-Id", std::string(129, 'r'), 400},
      {"X-Tidemark-Run-Id", std::string(60 * 1024, 'r'), 400},
      {"X-Tidemark-Run-Id", "run id", 400},
      {"X-Tidemark-Run-Id", "run/1", 400},
      {"X-Tidemark-Source", "dbt", 200},
      {"X-Tidemark-Source", "OPEN_LINEAGE", 200},
      {"X-Tidemark-Source", "dbt; drop", 400},
      {"X-Tidemark-Source", std::string(33, 's'), 400},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(HttpResponse res,
                         client->Request("PUT", target, "{}", {{c.header, c.value}}));
    EXPECT_EQ(res.status, c.status) << c.header << ": " << c.value.substr(0, 40);
    if (c.status == 400) {
      EXPECT_EQ(ErrorOf(res).at("code"), "invalid_argument");
      EXPECT_THAT(std::string(ErrorOf(res).at("message").as_string()), HasSubstr(c.header));
      EXPECT_LT(res.body.size(), 512u);  // the value is not echoed back
    }
  }
}

TEST_F(HttpServerTest, ErrorBodiesAreValidUtf8) {
  auto client = Client();
  for (const std::string target : {"/nope/%ff", "/nope/%ff%fe", "/nope/a%00b", "/nope/%c3%28"}) {
    ASSERT_OK_AND_ASSIGN(HttpResponse res, client->Request("GET", target));
    EXPECT_EQ(res.status, 404) << target;
    EXPECT_EQ(ToValidUtf8(res.body), res.body) << target;
    boost::system::error_code ec;
    json::value body = json::parse(res.body, ec);
    ASSERT_FALSE(ec) << target;
  }
  ASSERT_OK_AND_ASSIGN(HttpResponse res, client->Request("GET", "/nope/%ff%fe"));
  EXPECT_THAT(std::string(ErrorOf(res).at("message").as_string()),
              HasSubstr("/nope/\xEF\xBF\xBD\xEF\xBF\xBD"));
}

TEST(HttpTypesTest, JsonErrorReplacesInvalidUtf8) {
  // Stray bytes, a NUL, a valid é, a truncated sequence, a surrogate, a code point past U+10FFFF.
  constexpr char kRaw[] = "a\xff\xfe b\0c \xc3\xa9 \xe2\x82 \xed\xa0\x80 \xf4\x90\x80\x80";
  constexpr char kFixed[] =
      "a\xEF\xBF\xBD\xEF\xBF\xBD b\0c \xc3\xa9 \xEF\xBF\xBD\xEF\xBF\xBD "
      "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD";
  HttpResponse res = JsonError(400, "invalid_argument", std::string(kRaw, sizeof(kRaw) - 1));
  EXPECT_EQ(ToValidUtf8(res.body), res.body);
  json::value parsed = json::parse(res.body);
  EXPECT_EQ(parsed.at("error").at("message").as_string(), std::string(kFixed, sizeof(kFixed) - 1));
  EXPECT_THAT(res.body, HasSubstr("\\u0000"));
  EXPECT_EQ(ToValidUtf8("plain \xe2\x9c\x93 text"), "plain \xe2\x9c\x93 text");
}

TEST(HttpServerStartTest, LoopbackAddresses) {
  for (const char* address : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.1", "fe80::1", "nope", ""}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
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
