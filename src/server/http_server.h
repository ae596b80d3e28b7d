// The asynchronous HTTP/1.1 server (Beast, in the shape of Beast's "advanced server"):
// listener → session (idle timeout, keep-alive, pipelined response queue, body limit enforced by
// the parser) → Router → handler. Handlers run on the io threads and must be fast and thread-safe.
//
// Every response carries `Server: tidemark`, `Content-Type` and `X-Request-Id`. Errors produced by
// the server itself (400 malformed, 404 unknown route, 405 wrong method, 413 body too large, 500
// handler exception) have the JSON body of JsonError(). Metrics are recorded per route pattern.
//
// Ownership: the Router and Metrics are borrowed and must outlive the server. Thread-safety:
// Start(), Stop() and Wait() may be called from any thread except the server's io threads (a
// handler must not call Stop(): it joins them); Stop() is idempotent and the destructor calls it.
// No Beast type appears here: the implementation lives behind Impl in http_server.cc.
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
  int threads = 2;
  size_t body_limit = 16 << 20;
  std::chrono::seconds idle_timeout{30};
};

class HttpServer {
 public:
  // `metrics` may be null (no metrics recorded).
  HttpServer(ServerOptions options, const Router* router, Metrics* metrics);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, starts `threads` io threads and returns the bound port. Fails with InvalidArgument for a
  // bad address, Unavailable when the port cannot be bound, FailedPrecondition when already
  // started.
  absl::StatusOr<uint16_t> Start();

  // Graceful: stops accepting, closes sessions, joins threads. Idempotent.
  void Stop();

  // Blocks until Stop() has been called (returns at once if the server never started).
  void Wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Blocks until SIGINT or SIGTERM arrives, then returns.
void WaitForTerminationSignal();

}  // namespace tidemark::server
