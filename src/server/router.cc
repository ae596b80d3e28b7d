// Route table matching. See router.h. Const after setup; thread-safe for concurrent Match().
#include "server/router.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/middleware.h"

namespace tidemark::server {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" into {""}.
std::vector<std::string_view> SplitPath(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::vector<std::string_view> parts;
  for (absl::string_view part : absl::StrSplit(absl::string_view(path.data(), path.size()), '/')) {
    parts.emplace_back(part.data(), part.size());
  }
  return parts;
}

// Decodes one raw path segment that Boost.URL already validated as percent-encoded text.
std::string DecodeSegment(std::string_view raw) {
  auto pct = boost::urls::make_pct_string_view(raw);
  if (!pct) return std::string(raw);
  return pct->decode();
}

// HEAD is GET without a body (RFC 9110 9.3.2): a GET route answers it too; the server drops the
// body.
bool MethodMatches(std::string_view route_method, std::string_view request_method) {
  return route_method == request_method || (request_method == "HEAD" && route_method == "GET");
}

// Runs `fn`, turning an exception into a 500 status: neither a handler nor a middleware may take
// the server down or leave a request unanswered.
template <typename Fn>
auto Guarded(const Fn& fn, HttpRequest& request, std::string_view what) -> decltype(fn(request)) {
  try {
    return fn(request);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(std::string(what), " failed: ", e.what()));
  } catch (...) {
    return absl::InternalError(absl::StrCat(std::string(what), " failed"));
  }
}

}  // namespace

Router::Router() { Use(CallerIdentityMiddleware()); }

void Router::Use(Middleware middleware) { middleware_.push_back(std::move(middleware)); }

HttpResponse Router::Dispatch(HttpRequest& request) const {
  std::optional<HttpResponse> response;
  bool path_matched = false;
  const RouteSpec* route = nullptr;
  if (absl::Status target = ParseRequestTarget(request); !target.ok()) {
    response = ErrorFromStatus(target);
  } else {
    route = Match(request, &path_matched);
  }
  for (size_t i = 0; !response && i < middleware_.size(); ++i) {
    if (!middleware_[i].before) continue;
    absl::StatusOr<std::optional<HttpResponse>> early =
        Guarded(middleware_[i].before, request, absl::StrCat("middleware ", middleware_[i].name));
    if (!early.ok()) {
      response = ErrorFromStatus(early.status());
    } else if (early->has_value()) {
      response = std::move(**early);
    }
  }
  if (!response) response = Invoke(route, path_matched, request);
  for (size_t i = middleware_.size(); i-- > 0;) {
    if (!middleware_[i].after) continue;
    try {
      middleware_[i].after(request, *response);
    } catch (...) {
      // An observer failing must not change the answer.
    }
  }
  return *std::move(response);
}

HttpResponse Router::Invoke(const RouteSpec* route, bool path_matched, HttpRequest& request) const {
  if (route == nullptr) {
    if (!path_matched) {
      return JsonError(404, "not_found", absl::StrCat("no route for path ", request.path));
    }
    HttpResponse response = JsonError(
        405, "method_not_allowed",
        absl::StrCat("method ", request.method, " is not allowed for path ", request.path));
    response.headers.emplace_back("Allow", absl::StrJoin(AllowedMethods(request), ", "));
    return response;
  }
  if (!route->handler) return JsonError(501, "unimplemented", "route has no handler");
  absl::StatusOr<HttpResponse> response = Guarded(route->handler, request, "handler");
  if (!response.ok()) return ErrorFromStatus(response.status());
  return *std::move(response);
}

void Router::Add(RouteSpec spec) {
  Segments segments;
  for (std::string_view part : SplitPath(spec.pattern)) {
    Segment segment;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      segment.is_param = true;
      segment.text = std::string(part.substr(1, part.size() - 2));
    } else {
      segment.text = std::string(part);
    }
    segments.push_back(std::move(segment));
  }
  routes_.push_back(std::move(spec));
  segments_.push_back(std::move(segments));
}

bool Router::MatchSegments(const Segments& pattern, const std::vector<std::string_view>& raw,
                           std::vector<std::string_view>* captures) {
  if (pattern.size() != raw.size()) return false;
  captures->clear();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].is_param) {
      if (raw[i].empty()) return false;
      captures->push_back(raw[i]);
      continue;
    }
    if (raw[i] == pattern[i].text) continue;
    // A client may have encoded a literal character (e.g. ':' as %3A).
    if (raw[i].find('%') == std::string_view::npos || DecodeSegment(raw[i]) != pattern[i].text) {
      return false;
    }
  }
  return true;
}

bool Router::MoreSpecific(const Segments& a, const Segments& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].is_param != b[i].is_param) return !a[i].is_param;
  }
  return false;
}

const RouteSpec* Router::Match(HttpRequest& request, bool* path_matched) const {
  *path_matched = false;
  auto parsed = boost::urls::parse_origin_form(request.target);
  if (!parsed) return nullptr;
  std::vector<std::string_view> raw = SplitPath(parsed->encoded_path());

  std::vector<std::string_view> captures;
  std::vector<std::string_view> best_captures;
  int best = -1;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (!MatchSegments(segments_[i], raw, &captures)) continue;
    if (!MethodMatches(routes_[i].method, request.method)) {
      *path_matched = true;
      continue;
    }
    if (best < 0 || MoreSpecific(segments_[i], segments_[best])) {
      best = static_cast<int>(i);
      best_captures = captures;
    }
  }
  if (best < 0) return nullptr;
  *path_matched = true;

  const Segments& pattern = segments_[best];
  request.path_params.clear();
  size_t next = 0;
  for (const Segment& segment : pattern) {
    if (!segment.is_param) continue;
    request.path_params[segment.text] = DecodeSegment(best_captures[next++]);
  }
  request.route = routes_[best].pattern;
  return &routes_[best];
}

std::vector<std::string> Router::AllowedMethods(const HttpRequest& request) const {
  std::vector<std::string> methods;
  auto parsed = boost::urls::parse_origin_form(request.target);
  if (!parsed) return methods;
  std::vector<std::string_view> raw = SplitPath(parsed->encoded_path());
  std::vector<std::string_view> captures;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (!MatchSegments(segments_[i], raw, &captures)) continue;
    methods.push_back(routes_[i].method);
    if (routes_[i].method == "GET") methods.push_back("HEAD");
  }
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  return methods;
}

}  // namespace tidemark::server
