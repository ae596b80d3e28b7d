// OpenAPI 3.0.3 document built with Boost.JSON from the Router. Stateless; thread-safe.
#include "server/openapi.h"

#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace tidemark::server {
namespace {

namespace json = boost::json;

// OpenAPI schema types; anything unknown is documented as a string.
std::string_view SchemaType(std::string_view type) {
  for (std::string_view known : {"string", "integer", "number", "boolean", "array", "object"}) {
    if (type == known) return known;
  }
  return "string";
}

json::object Parameter(const ParamDoc& param) {
  json::object out;
  out["name"] = param.name;
  out["in"] = param.in;
  out["required"] = param.in == "path" ? true : param.required;
  if (!param.description.empty()) out["description"] = param.description;
  json::object schema;
  schema["type"] = SchemaType(param.type);
  if (param.type == "array") schema["items"] = json::object{{"type", "string"}};
  out["schema"] = std::move(schema);
  return out;
}

std::string OperationId(const RouteSpec& route) {
  std::string id = absl::AsciiStrToLower(route.method);
  bool upper = true;
  for (char c : route.pattern) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      id += upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

json::object JsonContent(json::object schema) {
  json::object media;
  media["schema"] = std::move(schema);
  json::object content;
  content["application/json"] = std::move(media);
  return content;
}

json::object Operation(const RouteSpec& route) {
  json::object op;
  op["summary"] = route.summary;
  op["operationId"] = OperationId(route);

  json::array params;
  std::vector<std::string> documented;
  for (const ParamDoc& param : route.params) {
    params.push_back(Parameter(param));
    if (param.in == "path") documented.push_back(param.name);
  }
  for (absl::string_view segment : absl::StrSplit(route.pattern, '/')) {
    if (segment.size() < 2 || segment.front() != '{' || segment.back() != '}') continue;
    std::string name(segment.substr(1, segment.size() - 2));
    if (std::find(documented.begin(), documented.end(), name) != documented.end()) continue;
    ParamDoc doc;
    doc.name = name;
    doc.in = "path";
    doc.required = true;
    params.push_back(Parameter(doc));
  }
  if (!params.empty()) op["parameters"] = std::move(params);

  if (!route.request_body.empty()) {
    json::object body;
    body["description"] = route.request_body;
    body["required"] = true;
    body["content"] = JsonContent(json::object{{"type", "object"}});
    op["requestBody"] = std::move(body);
  }

  json::object ok;
  ok["description"] = "Success";
  ok["content"] = JsonContent(json::object{{"type", "object"}});
  json::object error;
  error["description"] = "Error";
  error["content"] = JsonContent(json::object{{"$ref", "#/components/schemas/Error"}});
  json::object responses;
  responses["200"] = std::move(ok);
  responses["default"] = std::move(error);
  op["responses"] = std::move(responses);
  return op;
}

json::object ErrorSchema() {
  json::object string_type{{"type", "string"}};
  json::object detail;
  detail["type"] = "object";
  detail["required"] = json::array{"code", "message"};
  detail["properties"] = json::object{{"code", string_type}, {"message", string_type}};
  json::object schema;
  schema["type"] = "object";
  schema["required"] = json::array{"error"};
  schema["properties"] = json::object{{"error", std::move(detail)}};
  return schema;
}

}  // namespace

std::string BuildOpenApiJson(const Router& router, std::string_view title,
                             std::string_view version) {
  json::object doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = json::object{{"title", title}, {"version", version}};
  json::object paths;  // keeps insertion order: the router's order
  for (const RouteSpec& route : router.routes()) {
    json::value& item = paths[route.pattern];
    if (!item.is_object()) item = json::object();
    item.as_object()[absl::AsciiStrToLower(route.method)] = Operation(route);
  }
  doc["paths"] = std::move(paths);
  json::object schemas;
  schemas["Error"] = ErrorSchema();
  doc["components"] = json::object{{"schemas", std::move(schemas)}};
  return json::serialize(doc);
}

}  // namespace tidemark::server
