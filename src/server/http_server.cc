// Beast implementation of HttpServer: a listener accepting on a strand, and one session per
// connection on its own strand. Sessions read requests with a fresh parser each (body limit
// enforced there), answer them in order through a small queue (HTTP/1.1 pipelining), and stop
// reading while the queue is full. Thread-safety: see http_server.h; all session state is touched
// only on its strand.
#include "server/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/http_types.h"
#include "server/metrics.h"
#include "server/router.h"

namespace tidemark::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr size_t kQueueLimit = 16;                  // pipelined responses buffered per connection
constexpr size_t kHeaderLimit = size_t{64} * 1024;  // bytes of request line + headers
constexpr auto kDrainTimeout = std::chrono::seconds(2);
constexpr size_t kDrainLimit = 64 << 20;  // bytes read and dropped after an error response

bool IsValidCaller(std::string_view caller) {
  if (caller.empty() || caller.size() > 128) return false;
  for (char c : caller) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '@' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == beast::error_code(http::error::bad_target).category();
}

class Session;

// What sessions share with the server; outlives every session (held by shared_ptr).
struct SharedState {
  const Router* router = nullptr;
  Metrics* metrics = nullptr;
  size_t body_limit = 0;
  std::chrono::seconds idle_timeout{30};
  std::atomic<uint64_t> next_request_id{1};

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built for ThreadSanitizer, which
  // then cannot see absl::Mutex synchronization and reports false races in the tsan build.
  std::mutex mu;
  bool stopping = false;                                           // guarded by mu
  absl::flat_hash_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
};

// Runs routing and the handler; never throws.
HttpResponse Dispatch(const Router& router, HttpRequest& request) {
  if (absl::Status parsed = ParseRequestTarget(request); !parsed.ok()) {
    return ErrorFromStatus(parsed);
  }
  auto user = request.headers.find("x-tidemark-user");
  if (user == request.headers.end()) {
    request.caller = "anonymous";
  } else if (IsValidCaller(user->second)) {
    request.caller = user->second;
  } else {
    return JsonError(400, "invalid_argument", "X-Tidemark-User must match [A-Za-z0-9._@-]{1,128}");
  }
  bool path_matched = false;
  const RouteSpec* route = router.Match(request, &path_matched);
  if (route == nullptr) {
    if (!path_matched) {
      return JsonError(404, "not_found", absl::StrCat("no route for path ", request.path));
    }
    HttpResponse response = JsonError(
        405, "method_not_allowed",
        absl::StrCat("method ", request.method, " is not allowed for path ", request.path));
    response.headers.emplace_back("Allow", absl::StrJoin(router.AllowedMethods(request), ", "));
    return response;
  }
  if (!route->handler) return JsonError(501, "unimplemented", "route has no handler");
  try {
    return route->handler(request);
  } catch (const std::exception& e) {
    return JsonError(500, "internal", absl::StrCat("handler failed: ", e.what()));
  } catch (...) {
    return JsonError(500, "internal", "handler failed");
  }
}

bool IsSafeHeaderText(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos && !s.empty();
}

http::message_generator ToWire(HttpResponse response, unsigned version, bool keep_alive,
                               uint64_t request_id) {
  if (response.status < 100 || response.status > 999) {
    response = JsonError(500, "internal", absl::StrCat("invalid status ", response.status));
  }
  http::response<http::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(response.status));
  res.set(http::field::server, "tidemark");
  res.set(http::field::content_type, IsSafeHeaderText(response.content_type)
                                         ? response.content_type
                                         : std::string("application/octet-stream"));
  res.set("X-Request-Id", std::to_string(request_id));
  for (const auto& [name, value] : response.headers) {
    if (!IsSafeHeaderText(name) || value.find_first_of("\r\n") != std::string::npos) continue;
    res.insert(name, value);
  }
  res.keep_alive(keep_alive);
  res.body() = std::move(response.body);
  res.prepare_payload();
  return http::message_generator(std::move(res));
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<SharedState> state)
      : stream_(std::move(socket)), state_(std::move(state)) {}

  ~Session() {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->sessions.erase(this);
  }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

  // Called from any thread when the server stops.
  void Close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->DoClose(); });
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->body_limit(state_->body_limit);
    parser_->header_limit(kHeaderLimit);
    stream_.expires_after(state_->idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t /*bytes*/) {
    if (closed_) return;
    if (ec == http::error::end_of_stream) {
      // The peer is done sending; finish answering what it pipelined, then close.
      reading_done_ = true;
      if (queue_.empty()) DoShutdown();
      return;
    }
    if (ec == http::error::body_limit) {
      return QueueError(
          413, "resource_exhausted",
          absl::StrCat("request body exceeds the limit of ", state_->body_limit, " bytes"));
    }
    if (ec == http::error::header_limit) {
      return QueueError(431, "invalid_argument", "request headers too large");
    }
    if (ec && IsHttpParseError(ec)) {
      return QueueError(400, "invalid_argument",
                        absl::StrCat("malformed HTTP request: ", ec.message()));
    }
    if (ec) return DoClose();  // timeout, reset, aborted by Stop()

    http::request<http::string_body> req = parser_->release();
    if (!req.keep_alive()) reading_done_ = true;
    Queue(Handle(std::move(req)));
    if (!reading_done_ && queue_.size() < kQueueLimit) DoRead();
  }

  http::message_generator Handle(http::request<http::string_body>&& req) {
    const auto start = std::chrono::steady_clock::now();
    const uint64_t request_id = state_->next_request_id.fetch_add(1, std::memory_order_relaxed);
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
      auto [it, inserted] = request.headers.try_emplace(std::move(name), field.value());
      if (!inserted) absl::StrAppend(&it->second, ", ", std::string(field.value()));
    }
    request.body = std::move(req.body());

    HttpResponse response = Dispatch(*state_->router, request);
    if (state_->metrics != nullptr) {
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      state_->metrics->RecordRequest(
          request.route.empty() ? Metrics::kUnmatchedRoute : std::string_view(request.route),
          request.method, response.status, elapsed.count());
    }
    return ToWire(std::move(response), req.version(), req.keep_alive(), request_id);
  }

  // Answers a protocol error and closes the connection afterwards.
  void QueueError(int status, std::string_view code, std::string_view message) {
    reading_done_ = true;
    const uint64_t request_id = state_->next_request_id.fetch_add(1, std::memory_order_relaxed);
    if (state_->metrics != nullptr) {
      state_->metrics->RecordRequest(Metrics::kUnmatchedRoute, "OTHER", status, 0);
    }
    Queue(ToWire(JsonError(status, code, message), 11, /*keep_alive=*/false, request_id));
  }

  void Queue(http::message_generator message) {
    queue_.push(std::move(message));
    if (queue_.size() == 1) DoWrite();
  }

  void DoWrite() {
    const bool keep_alive = queue_.front().keep_alive();
    stream_.expires_after(state_->idle_timeout);
    beast::async_write(
        stream_, std::move(queue_.front()),
        beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive));
  }

  void OnWrite(bool keep_alive, beast::error_code ec, size_t /*bytes*/) {
    if (closed_) return;
    if (ec) return DoClose();
    if (!keep_alive) return DoShutdown();
    const bool was_full = queue_.size() == kQueueLimit;
    queue_.pop();
    if (!queue_.empty()) {
      DoWrite();
    } else if (reading_done_) {
      return DoShutdown();
    }
    if (was_full && !reading_done_) DoRead();
  }

  // Half-closes, then reads and drops whatever the peer still sends (e.g. the rest of an oversized
  // body) so that closing does not reset the connection before the peer has read our response.
  void DoShutdown() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return DoClose();
    stream_.expires_after(kDrainTimeout);
    DoDrain();
  }

  void DoDrain() {
    stream_.async_read_some(net::buffer(drain_),
                            beast::bind_front_handler(&Session::OnDrain, shared_from_this()));
  }

  void OnDrain(beast::error_code ec, size_t bytes) {
    drained_ += bytes;
    if (ec || closed_ || drained_ > kDrainLimit) return DoClose();
    DoDrain();
  }

  void DoClose() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<SharedState> state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::queue<http::message_generator> queue_;
  bool reading_done_ = false;  // no more requests will be read on this connection
  bool closed_ = false;
  std::array<char, size_t{16} * 1024> drain_{};
  size_t drained_ = 0;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<SharedState> state)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), state_(std::move(state)) {}

  absl::Status Open(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    const std::string where = absl::StrCat(endpoint.address().to_string(), ":", endpoint.port());
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return absl::UnavailableError(absl::StrCat("cannot listen on ", where, ": ", ec.message()));
    return absl::OkStatus();
  }

  uint16_t port() const {
    beast::error_code ec;
    return acceptor_.local_endpoint(ec).port();
  }

  void Run() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&Listener::DoAccept, shared_from_this()));
  }

  void Close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void DoAccept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      auto session = std::make_shared<Session>(std::move(socket), state_);
      bool stopping;
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        stopping = state_->stopping;
        if (!stopping) state_->sessions[session.get()] = session;
      }
      if (stopping) return;
      session->Run();
    }
    DoAccept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<SharedState> state_;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, const Router* router, Metrics* metrics)
      : options_(std::move(options)),
        ioc_(std::max(1, options_.threads)),
        state_(std::make_shared<SharedState>()) {
    state_->router = router;
    state_->metrics = metrics;
    state_->body_limit = options_.body_limit;
    state_->idle_timeout = options_.idle_timeout;
  }

  absl::StatusOr<uint16_t> Start() {
    absl::MutexLock lock(&mu_);
    if (started_ || stopped_) return absl::FailedPreconditionError("server already started");
    if (state_->router == nullptr) return absl::InvalidArgumentError("server needs a router");
    beast::error_code ec;
    net::ip::address address = net::ip::make_address(options_.address, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid listen address '", options_.address, "': ", ec.message()));
    }
    auto listener = std::make_shared<Listener>(ioc_, state_);
    if (absl::Status s = listener->Open(tcp::endpoint(address, options_.port)); !s.ok()) return s;
    if (state_->metrics != nullptr) state_->metrics->RegisterRoutes(*state_->router);
    listener_ = listener;
    started_ = true;
    listener_->Run();
    const int threads = std::max(1, options_.threads);
    running_.store(threads);
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { RunLoop(); });
    }
    return listener_->port();
  }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      if (stopped_) return;
      if (!started_) {
        stopped_ = true;
        stopped_note_.Notify();
        return;
      }
      stopped_ = true;
    }
    std::vector<std::shared_ptr<Session>> sessions;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      state_->stopping = true;
      for (auto& [ptr, weak] : state_->sessions) {
        if (auto session = weak.lock()) sessions.push_back(std::move(session));
      }
    }
    listener_->Close();
    for (auto& session : sessions) session->Close();
    sessions.clear();
    // Let the io threads finish the closes and run out of work; force them out after a grace
    // period.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (running_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ioc_.stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    stopped_note_.Notify();
  }

  void Wait() {
    {
      absl::MutexLock lock(&mu_);
      if (!started_) return;
    }
    stopped_note_.WaitForNotification();
  }

 private:
  void RunLoop() {
    for (;;) {
      try {
        ioc_.run();
        break;
      } catch (...) {
        // Handlers do not throw; keep the thread serving if something unexpected escapes.
      }
    }
    running_.fetch_sub(1);
  }

  const ServerOptions options_;
  net::io_context ioc_;
  std::shared_ptr<SharedState> state_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  std::atomic<int> running_{0};
  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  absl::Notification stopped_note_;
};

HttpServer::HttpServer(ServerOptions options, const Router* router, Metrics* metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

HttpServer::~HttpServer() {
  try {
    Stop();
  } catch (...) {
    // Only thread joins can throw here; nothing useful to do while destroying.
  }
}

absl::StatusOr<uint16_t> HttpServer::Start() { return impl_->Start(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Wait() { impl_->Wait(); }

void WaitForTerminationSignal() {
  net::io_context ioc(1);
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([](const beast::error_code&, int) {});
  ioc.run();
}

}  // namespace tidemark::server
