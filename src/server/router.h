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
// Dispatch() is the one path of a request through the table:
//   parse the target → match the route → middleware `before`, in order → the handler →
//   middleware `after`, in reverse order.
// A handler returns absl::StatusOr<HttpResponse>; a non-OK status becomes the JSON error of
// ErrorFromStatus() (the one code → HTTP table), so handlers never build error responses
// themselves. A handler that throws is answered 500.
//
// The middleware seam: an ordered list of Middleware run for every request, matched or not
// (request.route is empty when no route matched; a 404/405 is produced after the middleware).
// `before` may annotate the request (caller identity, ...) and may answer early: a response, or a
// non-OK status mapped like a handler's, stops the chain — later middleware and the handler do not
// run. This is where authentication plugs in (issue 14): a middleware after caller identity that
// rejects with Unauthenticated/PermissionDenied. `after` (optional) sees every response the router
// produces, early answers and errors included, so an access log or response header needs no
// cooperation from handlers. A request whose target is malformed is answered 400 before any
// `before` runs (the `after` hooks still see it).
// Every Router starts with the caller-identity middleware (X-Tidemark-* header validation,
// request.caller), so no route is ever reached without it; Use() appends after it.
//
// Thread-safety: Add() and Use() must complete before the server starts; afterwards Match(),
// Dispatch() and routes() are const and may be called from any number of threads (so must the
// middleware functions).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "server/http_types.h"

namespace tidemark::server {

using Handler = std::function<absl::StatusOr<HttpResponse>(HttpRequest&)>;

struct Middleware {
  std::string name;  // for diagnostics and tests
  // nullopt: continue; a response or an error: answer with it, skipping the rest of the chain.
  std::function<absl::StatusOr<std::optional<HttpResponse>>(HttpRequest&)> before;
  // Runs for every response, in reverse order of Use(); may add headers.
  std::function<void(const HttpRequest&, HttpResponse&)> after;
};

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
  Router();  // with the caller-identity middleware installed

  void Add(RouteSpec spec);
  // Appends `middleware` to the chain (after the ones already installed).
  void Use(Middleware middleware);
  const std::vector<RouteSpec>& routes() const { return routes_; }
  const std::vector<Middleware>& middleware() const { return middleware_; }

  // The whole answer to `request` (see the file comment); never throws.
  HttpResponse Dispatch(HttpRequest& request) const;

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

  // Runs the matched route's handler (or answers 404/405/501) and maps its status.
  HttpResponse Invoke(const RouteSpec* route, bool path_matched, HttpRequest& request) const;

  std::vector<RouteSpec> routes_;
  std::vector<Segments> segments_;  // parallel to routes_
  std::vector<Middleware> middleware_;
};

}  // namespace tidemark::server
