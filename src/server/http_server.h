// The asynchronous HTTP/1.1 server (Beast, in the shape of Beast's "advanced server"):
// listener → session (idle timeout, keep-alive, pipelined response queue, body limit enforced by
// the parser) → Router::Dispatch (middleware, then the handler). Reads (GET, HEAD, ...) run on the
// io threads and must be fast; state-changing requests (PUT, POST, DELETE, PATCH: fsynced writes,
// ingest, propagation) run on a bounded worker pool and their responses are posted back to the
// session, in request order.
//
// Hostile load is bounded: a connection stops reading its pipeline while `pending_bytes_limit`
// bytes of unsent responses (and request bodies waiting for a worker) are held for it, so at most
// one large response per connection is in memory; a full worker queue answers 503; connections
// beyond `max_connections` get a 503 and are closed; at the descriptor limit (EMFILE/ENFILE) the
// listener sheds the pending connection through a reserve descriptor and backs off on a timer.
//
// Every response carries `Server: tidemark`, `Content-Type` and `X-Request-Id`: the server numbers
// every request it reads (HttpRequest::request_id), because its own protocol errors need an id from
// the same sequence and never reach the router. Errors produced by the server and the router
// (400 malformed or bad X-Tidemark-* header, 404 unknown route, 405 wrong method, 413 body too
// large, 500 handler exception, 503 overloaded) have the JSON body of JsonError().
// HEAD is answered as GET without the body. Metrics are recorded per route pattern.
//
// Ownership: the Router and Metrics are borrowed and must outlive the server. Thread-safety:
// Start(), Stop() and Wait() may be called from any thread except the server's io and worker
// threads (a handler must not call Stop(): it joins them); Stop() is idempotent and the destructor
// calls it. stats() may be called from any thread. No Beast type appears here: the implementation
// lives behind Impl in http_server.cc.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace tidemark::server {

class Router;
class Metrics;

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal, e.g. "::1"
  uint16_t port = 8080;               // 0 = ephemeral
  int threads = 2;                    // io threads
  size_t body_limit = 16 << 20;
  std::chrono::seconds idle_timeout{30};
  int worker_threads = 3;          // run PUT/POST/DELETE/PATCH handlers
  size_t worker_queue_limit = 64;  // requests waiting for a worker; more are answered 503
  size_t max_connections = 10000;  // open connections; more are answered 503 and closed (0: no cap)
  size_t pending_bytes_limit = 1 << 20;  // per connection; reading pauses while this much is held
  // Stop() lets in-flight requests finish and be written for this long, then closes what is left.
  std::chrono::milliseconds shutdown_grace{10000};
};

// A snapshot of the server's load counters (for tests, metrics and operators).
struct ServerStats {
  size_t connections = 0;                    // open, counted against max_connections
  size_t pending_bytes = 0;                  // held for unsent responses, all connections
  size_t peak_connection_pending_bytes = 0;  // largest ever held by one connection
  size_t worker_queue = 0;                   // requests waiting for a worker
  uint64_t rejected_connections = 0;         // over max_connections
  uint64_t rejected_busy = 0;                // 503 because the worker queue was full
  uint64_t accept_backoffs = 0;              // accept failed for lack of descriptors
};

class HttpServer {
 public:
  // `metrics` may be null (no metrics recorded).
  HttpServer(ServerOptions options, const Router* router, Metrics* metrics);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, starts `threads` io threads and the worker pool and returns the bound port. Fails with
  // InvalidArgument for a bad address, Unavailable when the port cannot be bound,
  // FailedPrecondition when already started.
  absl::StatusOr<uint16_t> Start();

  // Graceful: stops accepting, lets requests in flight (on io threads and workers) finish and be
  // written within `shutdown_grace` (the last response on a keep-alive connection says
  // `Connection: close`), closes idle connections at once and the rest after the grace period,
  // then joins every thread. Idempotent.
  void Stop();

  // Blocks until Stop() has returned (returns at once if the server never started).
  void Wait();

  ServerStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// True for an IP literal that only this machine can reach (127.0.0.0/8, ::1, ::ffff:127.x).
// False for wildcard ("0.0.0.0", "::"), any other address, and anything that does not parse.
bool IsLoopbackAddress(const std::string& address);

// Blocks until SIGINT or SIGTERM arrives, then returns.
void WaitForTerminationSignal();

}  // namespace tidemark::server
