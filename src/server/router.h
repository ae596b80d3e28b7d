// The route table: (method, path pattern) → handler, plus the documentation the OpenAPI generator
// and the metrics registry read from it.
//
// Patterns are split on '/'; a segment "{name}" captures exactly one path segment. Matching runs on
// the raw (still percent-encoded) path, so an encoded "%2F" inside a URN stays in one segment; each
// captured segment is then percent-decoded into HttpRequest::path_params. When several patterns
// match, the one with a literal segment at the first differing position wins ("/lineage/path" beats
// "/lineage/{urn}"). Segments may contain ':' (e.g. "/api/v1/aspects:batch"). A HEAD request
// matches the GET route of its path (the server sends the GET headers without the body).
//
// Thread-safety: Add() must complete before the server starts; afterwards Match() and routes() are
// const and may be called from any number of threads.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.h"

namespace tidemark::server {

using Handler = std::function<HttpResponse(HttpRequest&)>;

struct ParamDoc {
  std::string name;
  std::string in;  // "path" | "query"
  std::string description;
  bool required = false;
  std::string type = "string";
};

struct RouteSpec {
  std::string method;
  std::string pattern;
  std::string summary;
  std::vector<ParamDoc> params;
  std::string request_body;  // description of the JSON body, empty when none
  Handler handler;
};

class Router {
 public:
  void Add(RouteSpec spec);
  const std::vector<RouteSpec>& routes() const { return routes_; }

  // Finds the route for method + path of request.target; fills request.path_params and
  // request.route. Returns nullptr with *path_matched=true when a route matches the path but not
  // the method (→ 405 with an Allow header), and nullptr with *path_matched=false when nothing
  // matches or the target is malformed (call ParseRequestTarget first to tell those apart).
  const RouteSpec* Match(HttpRequest& request, bool* path_matched) const;

  // Methods of the routes whose pattern matches the request path, sorted and de-duplicated
  // (the value of an Allow header).
  std::vector<std::string> AllowedMethods(const HttpRequest& request) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name when is_param
    bool is_param = false;
  };
  using Segments = std::vector<Segment>;

  // Returns true and fills `captures` (raw, still encoded) when `pattern` matches `raw_segments`.
  static bool MatchSegments(const Segments& pattern, const std::vector<std::string_view>& raw,
                            std::vector<std::string_view>* captures);
  // True when `a` is more specific than `b` (literal at the first position where they differ).
  static bool MoreSpecific(const Segments& a, const Segments& b);

  std::vector<RouteSpec> routes_;
  std::vector<Segments> segments_;  // parallel to routes_
};

}  // namespace tidemark::server
