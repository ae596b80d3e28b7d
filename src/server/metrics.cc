// Lock-free request metrics and the Prometheus text renderer. See metrics.h for thread-safety.
#include "server/metrics.h"

#include <array>
#include <atomic>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/router.h"

namespace tidemark::server {
namespace {

constexpr int kMinStatus = 100;
constexpr int kMaxStatus = 599;
constexpr std::array<std::string_view, 8> kKnownMethods = {"GET",   "PUT",  "POST",    "DELETE",
                                                           "PATCH", "HEAD", "OPTIONS", "OTHER"};

std::string_view FoldMethod(std::string_view method) {
  for (std::string_view known : kKnownMethods) {
    if (method == known) return known;
  }
  return "OTHER";
}

// Label values escape backslash, double quote and newline.
std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// HELP text escapes backslash and newline.
std::string EscapeHelp(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return absl::StrFormat("%.17g", v);
}

std::string FormatBound(double v) { return absl::StrFormat("%g", v); }

}  // namespace

struct Metrics::Slot {
  Slot(std::string r, std::string m) : route(std::move(r)), method(std::move(m)) {}
  std::string route;
  std::string method;
  std::array<std::atomic<uint64_t>, kMaxStatus - kMinStatus + 1> codes{};
  std::atomic<uint64_t> other_codes{0};  // statuses outside 100..599, reported as code "0"
  // Non-cumulative counts; the last entry is the +Inf bucket.
  std::array<std::atomic<uint64_t>, 17> buckets{};
  std::atomic<double> sum{0};
  std::atomic<uint64_t> count{0};
};

const std::vector<double>& Metrics::BucketBounds() {
  static const auto* bounds =
      new std::vector<double>{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                              0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return *bounds;
}

Metrics::Metrics() {
  for (std::string_view method : kKnownMethods) RegisterRoute(kUnmatchedRoute, method);
}

Metrics::~Metrics() = default;

void Metrics::RegisterRoutes(const Router& router) {
  for (const RouteSpec& spec : router.routes()) RegisterRoute(spec.pattern, spec.method);
}

void Metrics::RegisterRoute(std::string_view route, std::string_view method) {
  if (FindSlot(route, method) != nullptr) return;
  slots_.push_back(std::make_unique<Slot>(std::string(route), std::string(method)));
  by_route_[std::string(route)].push_back(slots_.back().get());
}

Metrics::Slot* Metrics::FindSlot(std::string_view route, std::string_view method) const {
  auto it = by_route_.find(absl::string_view(route.data(), route.size()));
  if (it == by_route_.end()) return nullptr;
  for (Slot* slot : it->second) {
    if (slot->method == method) return slot;
  }
  return nullptr;
}

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            double seconds) {
  Slot* slot = FindSlot(route, method);
  if (slot == nullptr) slot = FindSlot(kUnmatchedRoute, FoldMethod(method));
  if (status >= kMinStatus && status <= kMaxStatus) {
    slot->codes[status - kMinStatus].fetch_add(1, std::memory_order_relaxed);
  } else {
    slot->other_codes.fetch_add(1, std::memory_order_relaxed);
  }
  const std::vector<double>& bounds = BucketBounds();
  size_t bucket = 0;
  while (bucket < bounds.size() && seconds > bounds[bucket]) ++bucket;
  slot->buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  slot->sum.fetch_add(seconds, std::memory_order_relaxed);
  slot->count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> fn) {
  absl::MutexLock lock(&mu_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(fn)});
}

std::string Metrics::RenderPrometheus() const {
  std::string out;
  out +=
      "# HELP tidemark_http_requests_total HTTP requests handled, by route pattern, method and "
      "status code.\n";
  out += "# TYPE tidemark_http_requests_total counter\n";
  for (const auto& slot : slots_) {
    const std::string labels = absl::StrCat("route=\"", EscapeLabel(slot->route), "\",method=\"",
                                            EscapeLabel(slot->method), "\"");
    for (int code = kMinStatus; code <= kMaxStatus; ++code) {
      uint64_t n = slot->codes[code - kMinStatus].load(std::memory_order_relaxed);
      if (n == 0) continue;
      absl::StrAppend(&out, "tidemark_http_requests_total{", labels, ",code=\"", code, "\"} ", n,
                      "\n");
    }
    uint64_t other = slot->other_codes.load(std::memory_order_relaxed);
    if (other != 0) {
      absl::StrAppend(&out, "tidemark_http_requests_total{", labels, ",code=\"0\"} ", other, "\n");
    }
  }

  out += "# HELP tidemark_http_request_duration_seconds HTTP request handling latency.\n";
  out += "# TYPE tidemark_http_request_duration_seconds histogram\n";
  const std::vector<double>& bounds = BucketBounds();
  for (const auto& slot : slots_) {
    uint64_t count = slot->count.load(std::memory_order_relaxed);
    if (count == 0) continue;  // keep the exposition small; unused routes have no series
    const std::string labels = absl::StrCat("route=\"", EscapeLabel(slot->route), "\",method=\"",
                                            EscapeLabel(slot->method), "\"");
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= bounds.size(); ++i) {
      cumulative += slot->buckets[i].load(std::memory_order_relaxed);
      std::string le = i < bounds.size() ? FormatBound(bounds[i]) : "+Inf";
      absl::StrAppend(&out, "tidemark_http_request_duration_seconds_bucket{", labels, ",le=\"", le,
                      "\"} ", cumulative, "\n");
    }
    // Concurrent recording may make count and the +Inf bucket differ by a request or two; report
    // the bucket total so the series stays self-consistent.
    absl::StrAppend(&out, "tidemark_http_request_duration_seconds_sum{", labels, "} ",
                    FormatDouble(slot->sum.load(std::memory_order_relaxed)), "\n");
    absl::StrAppend(&out, "tidemark_http_request_duration_seconds_count{", labels, "} ", cumulative,
                    "\n");
  }

  absl::MutexLock lock(&mu_);
  for (const Gauge& gauge : gauges_) {
    double value = 0;
    try {
      value = gauge.fn ? gauge.fn() : 0;
    } catch (...) {
      value = std::nan("");
    }
    absl::StrAppend(&out, "# HELP ", gauge.name, " ", EscapeHelp(gauge.help), "\n");
    absl::StrAppend(&out, "# TYPE ", gauge.name, " gauge\n");
    absl::StrAppend(&out, gauge.name, " ", FormatDouble(value), "\n");
  }
  return out;
}

}  // namespace tidemark::server
