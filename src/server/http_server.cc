// Beast implementation of HttpServer: a listener accepting on a strand, and one session per
// connection on its own strand. Sessions read requests with a fresh parser each (body limit
// enforced there) and answer them in order through a queue of slots (HTTP/1.1 pipelining): a read
// is answered on the io thread at once, a write reserves its slot and runs on the worker pool,
// which posts the response back to the strand. Reading pauses while the queue holds too many
// slots or too many bytes. Thread-safety: see http_server.h; all session state is touched only on
// its strand, the shared counters are atomics, the session registry is under SharedState::mu.
#include "server/http_server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/http_types.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/worker_pool.h"

namespace tidemark::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr size_t kQueueLimit = 16;                  // pipelined requests held per connection
constexpr size_t kHeaderLimit = size_t{64} * 1024;  // bytes of request line + headers
constexpr size_t kResponseOverhead = 256;           // status line and headers, roughly
constexpr auto kDrainTimeout = std::chrono::seconds(2);
constexpr size_t kDrainLimit = 64 << 20;  // bytes read and dropped after an error response
constexpr auto kAcceptBackoff = std::chrono::milliseconds(50);
constexpr auto kForcedCloseWait = std::chrono::seconds(2);

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == beast::error_code(http::error::bad_target).category();
}

// Methods whose handlers write (fsync, ingest, propagation): they run on the worker pool.
bool IsStateChanging(http::verb method) {
  return method == http::verb::put || method == http::verb::post || method == http::verb::delete_ ||
         method == http::verb::patch;
}

void AtomicMax(std::atomic<size_t>& target, size_t value) {
  size_t seen = target.load(std::memory_order_relaxed);
  while (seen < value && !target.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

class Session;

// What sessions share with the server; outlives every session (held by shared_ptr).
struct SharedState {
  const Router* router = nullptr;
  Metrics* metrics = nullptr;
  WorkerPool* workers = nullptr;  // owned by Impl; stopped only after every session is gone
  size_t body_limit = 0;
  size_t pending_bytes_limit = 0;
  size_t max_connections = 0;
  std::chrono::seconds idle_timeout{30};
  std::atomic<uint64_t> next_request_id{1};

  std::atomic<size_t> connections{0};
  std::atomic<size_t> pending_bytes{0};
  std::atomic<size_t> peak_connection_pending_bytes{0};
  std::atomic<uint64_t> rejected_connections{0};
  std::atomic<uint64_t> rejected_busy{0};
  std::atomic<uint64_t> accept_backoffs{0};

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built for ThreadSanitizer, which
  // then cannot see absl::Mutex synchronization and reports false races in the tsan build.
  std::mutex mu;
  bool stopping = false;                                           // guarded by mu
  absl::flat_hash_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
};

bool IsSafeHeaderText(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos && !s.empty();
}

// One pipelined request's place in the answer order. `ready` once its response is known.
struct Slot {
  bool ready = false;
  HttpResponse response;
  unsigned version = 11;
  bool keep_alive = true;
  bool head = false;  // send the headers of `response` (Content-Length included), not its body
  uint64_t request_id = 0;
  size_t bytes = 0;  // counted in the session's pending bytes
};

http::message_generator ToWire(Slot slot, bool keep_alive) {
  HttpResponse& response = slot.response;
  if (response.status < 100 || response.status > 999) {
    response = JsonError(500, "internal", absl::StrCat("invalid status ", response.status));
  }
  http::response<http::string_body> res;
  res.version(slot.version);
  res.result(static_cast<unsigned>(response.status));
  res.set(http::field::server, "tidemark");
  res.set(http::field::content_type, IsSafeHeaderText(response.content_type)
                                         ? response.content_type
                                         : std::string("application/octet-stream"));
  res.set("X-Request-Id", std::to_string(slot.request_id));
  for (const auto& [name, value] : response.headers) {
    if (!IsSafeHeaderText(name) || value.find_first_of("\r\n") != std::string::npos) continue;
    res.insert(name, value);
  }
  res.keep_alive(keep_alive);
  if (slot.head) {
    res.content_length(response.body.size());  // what GET would send; the body stays empty
  } else {
    res.body() = std::move(response.body);
    res.prepare_payload();
  }
  return http::message_generator(std::move(res));
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  // A `counted` session holds one of the server's max_connections places until destroyed.
  Session(tcp::socket&& socket, std::shared_ptr<SharedState> state, bool counted)
      : stream_(std::move(socket)), state_(std::move(state)), counted_(counted) {}

  ~Session() {
    state_->pending_bytes.fetch_sub(pending_bytes_, std::memory_order_relaxed);
    if (counted_) state_->connections.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->sessions.erase(this);
  }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

  // Answers 503 without reading a request (the server is at max_connections), then closes.
  void Reject() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->QueueError(503, "unavailable", "too many connections; retry later");
    });
  }

  // Called from any thread when the server stops: finish what was read, read nothing more.
  void Drain() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->DoDrainForStop(); });
  }

  // Called from any thread when the grace period is over.
  void Close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->DoClose(); });
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->body_limit(state_->body_limit);
    parser_->header_limit(kHeaderLimit);
    reading_ = true;
    stream_.expires_after(state_->idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  // Reads the next pipelined request unless this connection already holds enough.
  void MaybeRead() {
    if (reading_ || reading_done_ || closed_) return;
    if (slots_.size() >= kQueueLimit || pending_bytes_ >= state_->pending_bytes_limit) return;
    DoRead();
  }

  void OnRead(beast::error_code ec, size_t /*bytes*/) {
    reading_ = false;
    if (closed_) return;
    if (ec == http::error::end_of_stream) {
      // The peer is done sending (or Stop() shut our receive side); finish answering what it
      // pipelined, then close.
      reading_done_ = true;
      if (slots_.empty()) DoShutdown();
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
    if (ec == beast::error::timeout && !slots_.empty()) {
      // Idle while a worker still computes an answer: deliver it, then close.
      reading_done_ = true;
      return;
    }
    if (ec) return DoClose();  // timeout, reset, aborted

    http::request<http::string_body> req = parser_->release();
    if (!req.keep_alive() || draining_) reading_done_ = true;
    Handle(std::move(req));
    MaybeRead();
  }

  void Handle(http::request<http::string_body>&& req) {
    const auto start = std::chrono::steady_clock::now();
    const uint64_t seq = front_seq_ + slots_.size();
    Slot& slot = slots_.emplace_back();
    slot.version = req.version();
    slot.keep_alive = req.keep_alive();
    slot.head = req.method() == http::verb::head;
    slot.request_id = state_->next_request_id.fetch_add(1, std::memory_order_relaxed);

    HttpRequest request;
    request.request_id = slot.request_id;
    request.received = start;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
      auto [it, inserted] = request.headers.try_emplace(std::move(name), field.value());
      if (!inserted) absl::StrAppend(&it->second, ", ", std::string(field.value()));
    }
    request.body = std::move(req.body());

    if (!IsStateChanging(req.method())) {
      HttpResponse response = Answer(request, start);
      return Complete(seq, std::move(response));
    }
    // The request body waits in memory until a worker takes it: count it against this
    // connection's bound like an unsent response.
    AddPending(slot, request.body.size());
    const std::string method = request.method;
    // The executor tracks outstanding work: while a write runs on a worker, the io threads must
    // not run out of work and leave ioc.run() (which they do once Stop() has closed the listener
    // and the connection has nothing else pending), or the answer posted back would never run.
    auto executor = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    auto task = [self = shared_from_this(), executor = std::move(executor), seq, start,
                 request = std::make_shared<HttpRequest>(std::move(request))]() mutable {
      HttpResponse response = self->Answer(*request, start);
      request.reset();
      net::post(executor, [self, seq, response = std::move(response)]() mutable {
        self->Complete(seq, std::move(response));
      });
      executor = {};  // the posted handler now holds the io context open
    };
    if (!state_->workers->TrySubmit(std::move(task))) {
      state_->rejected_busy.fetch_add(1, std::memory_order_relaxed);
      HttpResponse busy = JsonError(503, "unavailable", "server busy: too many writes queued");
      busy.headers.emplace_back("Retry-After", "1");
      RecordMetrics(Metrics::kUnmatchedRoute, method, busy.status, start);
      Complete(seq, std::move(busy));
    }
  }

  // Dispatches and records metrics; runs on an io thread or a worker. Touches no session state.
  HttpResponse Answer(HttpRequest& request, std::chrono::steady_clock::time_point start) const {
    HttpResponse response = state_->router->Dispatch(request);
    // HEAD runs the GET route; it is counted there rather than as an unmatched request.
    std::string_view method = request.method;
    if (method == "HEAD") method = "GET";
    RecordMetrics(
        request.route.empty() ? Metrics::kUnmatchedRoute : std::string_view(request.route), method,
        response.status, start);
    return response;
  }

  void RecordMetrics(std::string_view route, std::string_view method, int status,
                     std::chrono::steady_clock::time_point start) const {
    if (state_->metrics == nullptr) return;
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state_->metrics->RecordRequest(route, method, status, elapsed.count());
  }

  // Fills slot `seq` with its response (on the strand).
  void Complete(uint64_t seq, HttpResponse response) {
    if (closed_ || seq < front_seq_ || seq - front_seq_ >= slots_.size()) return;
    Slot& slot = slots_[seq - front_seq_];
    SubPending(slot);
    slot.response = std::move(response);
    AddPending(slot, kResponseOverhead + (slot.head ? 0 : slot.response.body.size()));
    slot.ready = true;
    MaybeWrite();
  }

  void AddPending(Slot& slot, size_t bytes) {
    slot.bytes += bytes;
    pending_bytes_ += bytes;
    state_->pending_bytes.fetch_add(bytes, std::memory_order_relaxed);
    AtomicMax(state_->peak_connection_pending_bytes, pending_bytes_);
  }

  void SubPending(Slot& slot) {
    pending_bytes_ -= slot.bytes;
    state_->pending_bytes.fetch_sub(slot.bytes, std::memory_order_relaxed);
    slot.bytes = 0;
  }

  // Answers a protocol error and closes the connection afterwards.
  void QueueError(int status, std::string_view code, std::string_view message) {
    reading_done_ = true;
    if (state_->metrics != nullptr) {
      state_->metrics->RecordRequest(Metrics::kUnmatchedRoute, "OTHER", status, 0);
    }
    const uint64_t seq = front_seq_ + slots_.size();
    Slot& slot = slots_.emplace_back();
    slot.keep_alive = false;
    slot.request_id = state_->next_request_id.fetch_add(1, std::memory_order_relaxed);
    Complete(seq, JsonError(status, code, message));
  }

  void MaybeWrite() {
    if (writing_ || closed_ || slots_.empty() || !slots_.front().ready) return;
    Slot& slot = slots_.front();
    // The last answer before a stop-drain closes the connection tells the client so.
    const bool last = reading_done_ && !reading_ && slots_.size() == 1;
    const bool keep_alive = slot.keep_alive && !(draining_ && last);
    writing_ = true;
    stream_.expires_after(state_->idle_timeout);
    beast::async_write(
        stream_, ToWire(std::move(slot), keep_alive),
        beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive));
  }

  void OnWrite(bool keep_alive, beast::error_code ec, size_t /*bytes*/) {
    writing_ = false;
    if (closed_) return;
    if (ec) return DoClose();
    SubPending(slots_.front());
    slots_.pop_front();
    ++front_seq_;
    if (!keep_alive) return DoShutdown();
    if (slots_.empty() && reading_done_ && !reading_) return DoShutdown();
    MaybeWrite();
    MaybeRead();
  }

  void DoDrainForStop() {
    if (closed_ || draining_) return;
    draining_ = true;
    reading_done_ = true;
    if (!reading_) {
      // Not reading: answers are in progress (and end with Connection: close), or, if none are,
      // a shutdown already is.
      if (slots_.empty() && !writing_) DoClose();
      return;
    }
    const bool partial = buffer_.size() > 0 || (parser_ && parser_->got_some());
    if (partial) return;  // a request is arriving: answer it (with Connection: close)
    if (slots_.empty()) return DoClose();  // idle keep-alive connection
    // Answers are pending: end the read without cancelling the writes (the pending read then
    // completes with end_of_stream).
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_receive, ignored);
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
    for (Slot& slot : slots_) SubPending(slot);
    slots_.clear();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<SharedState> state_;
  const bool counted_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::deque<Slot> slots_;  // in request order; the front one is written first
  uint64_t front_seq_ = 0;  // sequence number of slots_.front()
  size_t pending_bytes_ = 0;
  bool reading_ = false;       // an async_read is outstanding
  bool writing_ = false;       // an async_write is outstanding
  bool reading_done_ = false;  // no more requests will be read on this connection
  bool draining_ = false;      // the server is stopping
  bool closed_ = false;
  std::array<char, size_t{16} * 1024> drain_{};
  size_t drained_ = 0;
};

// Accepts connections on its own strand. At the descriptor limit the pending connection would stay
// in the backlog and make the acceptor ready again at once (a busy loop): the listener then closes
// a reserve descriptor to accept it, answers 503 and closes it, reopens the reserve and waits
// kAcceptBackoff before accepting again.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<SharedState> state)
      : ioc_(ioc),
        acceptor_(net::make_strand(ioc)),
        backoff_(acceptor_.get_executor()),
        state_(std::move(state)) {}

  ~Listener() {
    if (reserve_fd_ >= 0) ::close(reserve_fd_);
  }

  absl::Status Open(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    const std::string where = absl::StrCat(endpoint.address().to_string(), ":", endpoint.port());
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return absl::UnavailableError(absl::StrCat("cannot listen on ", where, ": ", ec.message()));
    reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
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
      self->backoff_.cancel();
    });
  }

 private:
  void DoAccept() {
    if (!acceptor_.is_open()) return;
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
        ec == beast::error_code(ENFILE, boost::system::system_category()) ||
        ec == beast::error_code(ENOMEM, boost::system::system_category())) {
      state_->accept_backoffs.fetch_add(1, std::memory_order_relaxed);
      ShedOne();
      backoff_.expires_after(kAcceptBackoff);
      backoff_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->DoAccept();
      });
      return;
    }
    if (!ec) Admit(std::move(socket));
    DoAccept();
  }

  void Admit(tcp::socket socket) {
    const size_t limit = state_->max_connections;
    const bool over = limit != 0 && state_->connections.load(std::memory_order_relaxed) >= limit;
    auto session = std::make_shared<Session>(std::move(socket), state_, /*counted=*/!over);
    if (over) {
      state_->rejected_connections.fetch_add(1, std::memory_order_relaxed);
    } else {
      state_->connections.fetch_add(1, std::memory_order_relaxed);
    }
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      if (state_->stopping) return;  // the session closes its socket as it is destroyed
      state_->sessions[session.get()] = session;
    }
    if (over) {
      session->Reject();
    } else {
      session->Run();
    }
  }

  // Accepts the connection at the head of the backlog with the reserve descriptor's slot, answers
  // 503 in one non-blocking send and closes it, so the client gets an answer instead of a hang.
  void ShedOne() {
    if (reserve_fd_ < 0) return;
    ::close(reserve_fd_);
    const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      static const std::string kBusy = [] {
        const std::string body =
            JsonError(503, "unavailable", "server out of file descriptors").body;
        return absl::StrCat("HTTP/1.1 503 Service Unavailable\r\nServer: tidemark\r\n",
                            "Content-Type: application/json\r\nConnection: close\r\n",
                            "Content-Length: ", body.size(), "\r\n\r\n", body);
      }();
      ::send(fd, kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      ::shutdown(fd, SHUT_WR);
      ::close(fd);
    }
    reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer backoff_;
  std::shared_ptr<SharedState> state_;
  int reserve_fd_ = -1;  // touched only on the acceptor's strand (and in Open, before Run)
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
    state_->pending_bytes_limit = std::max<size_t>(1, options_.pending_bytes_limit);
    state_->max_connections = options_.max_connections;
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
    workers_ = std::make_unique<WorkerPool>(options_.worker_threads,
                                            std::max<size_t>(1, options_.worker_queue_limit));
    state_->workers = workers_.get();
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
    // Phase 1: every session finishes what it has read and closes; idle ones close at once.
    // Sessions are told before the listener closes, so a client that sees the port closed knows
    // every answer still to come says Connection: close.
    for (auto& session : Sessions(/*stopping=*/true)) session->Drain();
    listener_->Close();
    const auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
    while (std::chrono::steady_clock::now() < deadline) {
      if (SessionCount() == 0 && workers_->WaitIdle(std::chrono::steady_clock::now())) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // Phase 2: the grace period is over; close what is left. Requests still queued for a worker
    // are dropped (their connections are closed); a running handler is waited for.
    for (auto& session : Sessions(/*stopping=*/true)) session->Close();
    workers_->Stop();
    const auto forced = std::chrono::steady_clock::now() + kForcedCloseWait;
    while (running_.load() > 0 && std::chrono::steady_clock::now() < forced) {
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

  ServerStats stats() const {
    ServerStats stats;
    stats.connections = state_->connections.load(std::memory_order_relaxed);
    stats.pending_bytes = state_->pending_bytes.load(std::memory_order_relaxed);
    stats.peak_connection_pending_bytes =
        state_->peak_connection_pending_bytes.load(std::memory_order_relaxed);
    stats.rejected_connections = state_->rejected_connections.load(std::memory_order_relaxed);
    stats.rejected_busy = state_->rejected_busy.load(std::memory_order_relaxed);
    stats.accept_backoffs = state_->accept_backoffs.load(std::memory_order_relaxed);
    WorkerPool* workers = state_->workers;
    if (workers != nullptr) stats.worker_queue = workers->queued();
    return stats;
  }

 private:
  std::vector<std::shared_ptr<Session>> Sessions(bool stopping) {
    std::vector<std::shared_ptr<Session>> sessions;
    std::lock_guard<std::mutex> lock(state_->mu);
    if (stopping) state_->stopping = true;
    for (auto& [ptr, weak] : state_->sessions) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
    return sessions;
  }

  size_t SessionCount() {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->sessions.size();
  }

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
  std::unique_ptr<WorkerPool> workers_;
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
ServerStats HttpServer::stats() const { return impl_->stats(); }

bool IsLoopbackAddress(const std::string& address) {
  beast::error_code ec;
  net::ip::address parsed = net::ip::make_address(address, ec);
  if (ec) return false;
  if (parsed.is_v6() && parsed.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, parsed.to_v6()).is_loopback();
  }
  return parsed.is_loopback();
}

void WaitForTerminationSignal() {
  net::io_context ioc(1);
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([](const beast::error_code&, int) {});
  ioc.run();
}

}  // namespace tidemark::server
