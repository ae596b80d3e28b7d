// Plain request/response values shared by the router, the handlers and the HTTP server, plus the
// one table that maps absl::Status codes to HTTP statuses and JSON error bodies.
//
// These types deliberately carry no Beast types: handlers see only HttpRequest/HttpResponse, and
// the server (http_server.cc) converts to and from the wire. Values are not synchronized; each
// request is owned by one io thread while it is handled. The free functions are thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tidemark::server {

struct HttpRequest {
  std::string method;  // "GET", "PUT", ...
  std::string target;  // raw request target
  std::string path;    // percent-decoded path (without query)
  // From {name} segments of the matched route pattern, percent-decoded.
  absl::flat_hash_map<std::string, std::string> path_params;
  absl::flat_hash_map<std::string, std::string> query;    // decoded query params (last wins)
  absl::flat_hash_map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string caller;  // set by the caller-identity middleware from X-Tidemark-User
  std::string route;   // matched route pattern, e.g. "/api/v1/entities/{urn}"
  // Set by the server when the request was read: the id it answers in X-Request-Id (one sequence
  // per server, shared with the errors it sends itself) and the arrival time (queueing for a
  // worker included in what the access log reports).
  uint64_t request_id = 0;
  std::chrono::steady_clock::time_point received{};

  // Returns the decoded query parameter `name`, or `fallback` when it is absent.
  std::string Query(std::string_view name, std::string_view fallback = "") const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// Parses request.target (origin-form, e.g. "/a/b%20c?x=1") with Boost.URL and fills request.path
// (percent-decoded) and request.query (decoded, '+' as space, last value wins).
// Returns InvalidArgument for a malformed target.
absl::Status ParseRequestTarget(HttpRequest& request);

// {"error":{"code":"<code>","message":"<message>"}}, built with Boost.JSON (proper escaping).
// The body is always valid UTF-8 (see JsonResponse), also when `message` echoes client bytes.
HttpResponse JsonError(int status, std::string_view code, std::string_view message);

// The single table mapping absl codes to HTTP: InvalidArgument 400, NotFound 404,
// AlreadyExists/Aborted 409, FailedPrecondition 412, OutOfRange 400, ResourceExhausted 413,
// Unavailable 503, Unimplemented 501, else 500.
int HttpStatusFor(absl::StatusCode code);

// lower_snake name of the absl code: "invalid_argument", "not_found", ...
std::string ErrorCodeName(absl::StatusCode code);

// JsonError(HttpStatusFor(status.code()), ErrorCodeName(status.code()), status.message()).
HttpResponse ErrorFromStatus(const absl::Status& status);

// A response whose body is already JSON text. Boost.JSON copies string bytes through unchecked, so
// any invalid UTF-8 a client smuggled into a value (a "%ff" query parameter, a header) is replaced
// here by U+FFFD: every JSON body the server sends is valid UTF-8 and therefore valid JSON.
HttpResponse JsonResponse(int status, std::string body);

// The one JSON-response helper of the handlers: serializes `value` into JsonResponse().
HttpResponse JsonValueResponse(int status, const boost::json::value& value);

// The one JSON-body helper of the handlers: the request body read strictly (common::ParseJson,
// RFC 8259 only) as a JSON object. InvalidArgument (→ 400) naming what is wrong: an empty body,
// the syntax error and its offset, or the JSON type found instead of an object.
absl::StatusOr<boost::json::object> ReadJsonObject(const HttpRequest& request);

// `text` with every byte that does not start a well-formed UTF-8 sequence (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF) replaced by U+FFFD. Returns `text` unchanged (no
// copy beyond the move) when it is already valid.
std::string ToValidUtf8(std::string text);

}  // namespace tidemark::server
