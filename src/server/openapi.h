// Generates the OpenAPI 3.0.3 description of the service from the router's table, so the published
// spec cannot drift from the routes actually served. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "server/router.h"

namespace tidemark::server {

// One path item per route pattern; each operation has its summary, parameters (path/query,
// required, schema type; {name} segments not listed in RouteSpec::params are added as required
// strings), a JSON requestBody when RouteSpec::request_body is set, and responses "200" and
// "default" (the components/schemas/Error body of JsonError()).
std::string BuildOpenApiJson(const Router& router, std::string_view title,
                             std::string_view version);

}  // namespace tidemark::server
