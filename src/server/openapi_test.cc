// Tests for the OpenAPI document generated from the router.
#include "server/openapi.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tidemark::server {
namespace {

namespace json = boost::json;

Router MakeRouter() {
  Router router;
  router.Add({.method = "GET",
              .pattern = "/api/v1/entities/{urn}",
              .summary = "Get an entity",
              .params = {{.name = "urn", .in = "path", .description = "Entity URN"},
                         {.name = "aspects", .in = "query", .description = "Aspect names"}}});
  router.Add({.method = "PUT",
              .pattern = "/api/v1/entities/{urn}",
              .summary = "Upsert an entity",
              .request_body = "The entity's aspects"});
  router.Add({.method = "GET",
              .pattern = "/api/v1/lineage/path",
              .summary = "Lineage path",
              .params = {{.name = "from", .in = "query", .required = true},
                         {.name = "depth", .in = "query", .type = "integer"}}});
  router.Add({.method = "POST", .pattern = "/api/v1/aspects:batch", .summary = "Batch"});
  return router;
}

TEST(OpenApiTest, EveryRouteIsDocumented) {
  Router router = MakeRouter();
  json::value doc = json::parse(BuildOpenApiJson(router, "tidemark", "1.2.3"));
  EXPECT_EQ(doc.at("openapi"), "3.0.3");
  EXPECT_EQ(doc.at("info").at("title"), "tidemark");
  EXPECT_EQ(doc.at("info").at("version"), "1.2.3");
  const json::object& paths = doc.at("paths").as_object();
  EXPECT_EQ(paths.size(), 3u);
  for (const RouteSpec& route : router.routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(paths.contains(route.pattern)) << route.pattern;
    const json::object& item = paths.at(route.pattern).as_object();
    ASSERT_TRUE(item.contains(method)) << route.method << " " << route.pattern;
    const json::object& op = item.at(method).as_object();
    EXPECT_EQ(std::string(op.at("summary").as_string()), route.summary);
    EXPECT_TRUE(op.at("responses").as_object().contains("200"));
    EXPECT_EQ(op.at("responses")
                  .at("default")
                  .at("content")
                  .at("application/json")
                  .at("schema")
                  .at("$ref"),
              "#/components/schemas/Error");
  }
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("Error"));
}

TEST(OpenApiTest, ParametersAndRequestBody) {
  Router router = MakeRouter();
  json::value doc = json::parse(BuildOpenApiJson(router, "tidemark", "1"));
  const json::object& get = doc.at("paths").at("/api/v1/entities/{urn}").at("get").as_object();
  const json::array& params = get.at("parameters").as_array();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].at("name"), "urn");
  EXPECT_EQ(params[0].at("in"), "path");
  EXPECT_EQ(params[0].at("required"), true);
  EXPECT_EQ(params[0].at("schema").at("type"), "string");
  EXPECT_EQ(params[1].at("in"), "query");
  EXPECT_EQ(params[1].at("required"), false);
  EXPECT_FALSE(get.contains("requestBody"));

  // Undocumented path parameters are still listed, as required.
  const json::object& put = doc.at("paths").at("/api/v1/entities/{urn}").at("put").as_object();
  ASSERT_EQ(put.at("parameters").as_array().size(), 1u);
  EXPECT_EQ(put.at("parameters").at(0).at("name"), "urn");
  EXPECT_EQ(put.at("requestBody").at("description"), "The entity's aspects");
  EXPECT_TRUE(put.at("requestBody").at("content").as_object().contains("application/json"));

  const json::array& path_params =
      doc.at("paths").at("/api/v1/lineage/path").at("get").at("parameters").as_array();
  EXPECT_EQ(path_params[0].at("required"), true);
  EXPECT_EQ(path_params[1].at("schema").at("type"), "integer");
}

TEST(OpenApiTest, OperationIdsAreUnique) {
  Router router = MakeRouter();
  json::value doc = json::parse(BuildOpenApiJson(router, "t", "1"));
  std::set<std::string> ids;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      EXPECT_TRUE(ids.insert(std::string(op.at("operationId").as_string())).second);
    }
  }
  EXPECT_EQ(ids.size(), router.routes().size());
}

}  // namespace
}  // namespace tidemark::server
