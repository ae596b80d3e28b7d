// The standard middleware of the router's seam (see router.h for the contract):
//   - CallerIdentityMiddleware: validates the X-Tidemark-* headers (request_headers.h) and sets
//     request.caller; every Router installs it first.
//   - AccessLogMiddleware: one line per request through Log(kInfo, ...) after the response is
//     known (off unless installed: `tidemark serve --access-log`).
// Authentication (issue 14) is meant to be one more middleware here, installed after caller
// identity.
//
// The returned middleware are stateless and thread-safe.
#pragma once

#include <string>

#include "server/http_types.h"
#include "server/router.h"

namespace tidemark::server {

Middleware CallerIdentityMiddleware();
Middleware AccessLogMiddleware();

// The access-log line of one request (without time and level):
// access id=7 caller=ana "GET /api/v1/entities/x" route=/api/v1/entities/{urn} status=200
// bytes=123 ms=1.25
std::string AccessLogLine(const HttpRequest& request, const HttpResponse& response);

}  // namespace tidemark::server
