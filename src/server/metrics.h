// Prometheus metrics for the HTTP server: a request counter by (route, method, code), a request
// duration histogram by (route, method), and gauges computed on demand by callbacks.
//
// Route slots are registered up front (RegisterRoutes/RegisterRoute, done by HttpServer::Start from
// the router's table); requests for routes that were never registered are counted under the route
// "unmatched" with the method folded to a small fixed set, so label cardinality stays bounded.
//
// Thread-safety: RecordRequest() is lock-free (atomics only) and may be called from any thread.
// RegisterRoute(s) must happen before concurrent RecordRequest() calls. AddGauge() and
// RenderPrometheus() take an internal mutex and may be called at any time; gauge callbacks run
// under that mutex and must not call back into this object.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace tidemark::server {

class Router;

class Metrics {
 public:
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Registers a slot for every (pattern, method) of the router. Idempotent.
  void RegisterRoutes(const Router& router);
  void RegisterRoute(std::string_view route, std::string_view method);

  // Counts one request. `route` should be the matched route pattern (or kUnmatchedRoute).
  void RecordRequest(std::string_view route, std::string_view method, int status, double seconds);

  void AddGauge(std::string name, std::string help, std::function<double()> fn);

  // Text exposition format 0.0.4.
  std::string RenderPrometheus() const;

  // Histogram upper bounds in seconds (without +Inf).
  static const std::vector<double>& BucketBounds();

 private:
  struct Slot;
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> fn;
  };

  Slot* FindSlot(std::string_view route, std::string_view method) const;

  // route → slots of that route (one per method). Frozen once requests are recorded.
  absl::flat_hash_map<std::string, std::vector<Slot*>> by_route_;
  std::vector<std::unique_ptr<Slot>> slots_;  // owns every slot, in registration order

  mutable absl::Mutex mu_;
  std::vector<Gauge> gauges_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tidemark::server
