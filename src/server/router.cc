// Route table matching. See router.h. Const after setup; thread-safe for concurrent Match().
#include "server/router.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/str_split.h"

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

}  // namespace

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
