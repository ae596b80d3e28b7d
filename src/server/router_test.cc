// Tests for Router matching and request-target parsing.
#include "server/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace tidemark::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

Handler Named(std::string name) {
  return [name](HttpRequest&) { return JsonResponse(200, name); };
}

Router MakeRouter() {
  Router router;
  router.Add({.method = "GET", .pattern = "/api/v1/entities/{urn}", .handler = Named("get")});
  router.Add({.method = "PUT", .pattern = "/api/v1/entities/{urn}", .handler = Named("put")});
  router.Add({.method = "GET", .pattern = "/api/v1/lineage/{urn}", .handler = Named("lineage")});
  router.Add({.method = "GET", .pattern = "/api/v1/lineage/path", .handler = Named("path")});
  router.Add({.method = "POST", .pattern = "/api/v1/aspects:batch", .handler = Named("batch")});
  router.Add({.method = "POST", .pattern = "/api/v1/glossary:import", .handler = Named("import")});
  router.Add({.method = "GET",
              .pattern = "/api/v1/entities/{urn}/aspects/{name}",
              .handler = Named("aspect")});
  router.Add({.method = "GET", .pattern = "/", .handler = Named("root")});
  return router;
}

HttpRequest Req(std::string method, std::string target) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  return request;
}

std::string Call(const RouteSpec* route, HttpRequest& request) {
  return route == nullptr ? "<none>" : route->handler(request).body;
}

TEST(RouterTest, LiteralSegmentBeatsParameter) {
  Router router = MakeRouter();
  bool matched = false;
  HttpRequest request = Req("GET", "/api/v1/lineage/path?from=a&to=b");
  const RouteSpec* route = router.Match(request, &matched);
  EXPECT_EQ(Call(route, request), "path");
  EXPECT_EQ(request.route, "/api/v1/lineage/path");
  EXPECT_TRUE(request.path_params.empty());

  HttpRequest other = Req("GET", "/api/v1/lineage/urn:li:x");
  EXPECT_EQ(Call(router.Match(other, &matched), other), "lineage");
  EXPECT_EQ(other.path_params["urn"], "urn:li:x");
}

TEST(RouterTest, LiteralWinsRegardlessOfRegistrationOrder) {
  Router router;
  router.Add({.method = "GET", .pattern = "/a/path", .handler = Named("literal")});
  router.Add({.method = "GET", .pattern = "/a/{x}", .handler = Named("param")});
  bool matched = false;
  HttpRequest request = Req("GET", "/a/path");
  EXPECT_EQ(Call(router.Match(request, &matched), request), "literal");
}

TEST(RouterTest, EncodedUrnIsOneDecodedSegment) {
  Router router = MakeRouter();
  bool matched = false;
  HttpRequest request = Req("GET",
                            "/api/v1/entities/"
                            "urn%3Ali%3Adataset%3A(urn%3Ali%3AdataPlatform%3Atrino%2Cx%2CPROD)");
  const RouteSpec* route = router.Match(request, &matched);
  EXPECT_EQ(Call(route, request), "get");
  EXPECT_EQ(request.path_params["urn"], "urn:li:dataset:(urn:li:dataPlatform:trino,x,PROD)");
  EXPECT_EQ(request.route, "/api/v1/entities/{urn}");
}

TEST(RouterTest, EncodedSlashStaysInOneSegment) {
  Router router = MakeRouter();
  bool matched = false;
  HttpRequest request = Req("GET", "/api/v1/entities/a%2Fb%2Fc/aspects/schema%20v2");
  EXPECT_EQ(Call(router.Match(request, &matched), request), "aspect");
  EXPECT_EQ(request.path_params["urn"], "a/b/c");
  EXPECT_EQ(request.path_params["name"], "schema v2");
}

TEST(RouterTest, LiteralColonAndParenthesesInSegments) {
  Router router = MakeRouter();
  bool matched = false;
  HttpRequest batch = Req("POST", "/api/v1/aspects:batch");
  EXPECT_EQ(Call(router.Match(batch, &matched), batch), "batch");
  HttpRequest encoded = Req("POST", "/api/v1/glossary%3Aimport");
  EXPECT_EQ(Call(router.Match(encoded, &matched), encoded), "import");
  HttpRequest urn = Req("PUT", "/api/v1/entities/urn:li:dataset:(urn:li:dataPlatform:hive,t,PROD)");
  EXPECT_EQ(Call(router.Match(urn, &matched), urn), "put");
  EXPECT_EQ(urn.path_params["urn"], "urn:li:dataset:(urn:li:dataPlatform:hive,t,PROD)");
}

TEST(RouterTest, WrongMethodIsPathMatched) {
  Router router = MakeRouter();
  bool matched = false;
  HttpRequest request = Req("DELETE", "/api/v1/entities/x");
  EXPECT_EQ(router.Match(request, &matched), nullptr);
  EXPECT_TRUE(matched);
  EXPECT_THAT(router.AllowedMethods(request), ElementsAre("GET", "HEAD", "PUT"));
}

TEST(RouterTest, HeadMatchesTheGetRoute) {
  Router router = MakeRouter();
  bool matched = false;
  HttpRequest head = Req("HEAD", "/api/v1/entities/x");
  EXPECT_EQ(Call(router.Match(head, &matched), head), "get");
  EXPECT_EQ(head.route, "/api/v1/entities/{urn}");
  EXPECT_EQ(head.path_params["urn"], "x");
  // No GET route for the path: HEAD is refused like any other method.
  HttpRequest batch = Req("HEAD", "/api/v1/aspects:batch");
  EXPECT_EQ(router.Match(batch, &matched), nullptr);
  EXPECT_TRUE(matched);
  EXPECT_THAT(router.AllowedMethods(batch), ElementsAre("POST"));
}

TEST(RouterTest, UnknownPathIsNotMatched) {
  Router router = MakeRouter();
  bool matched = true;
  for (std::string target : {"/api/v1/nothing", "/api/v1/entities", "/api/v1/entities/x/y",
                             "/api/v1/entities/", "/api/v1/aspects:batchx"}) {
    HttpRequest request = Req("GET", target);
    EXPECT_EQ(router.Match(request, &matched), nullptr) << target;
    EXPECT_FALSE(matched) << target;
  }
}

TEST(RouterTest, RootPattern) {
  Router router = MakeRouter();
  bool matched = false;
  HttpRequest request = Req("GET", "/");
  EXPECT_EQ(Call(router.Match(request, &matched), request), "root");
}

TEST(RouterTest, MalformedTargetDoesNotMatch) {
  Router router = MakeRouter();
  for (std::string target : {"api/v1/entities/x", "/api/v1/entities/%zz", "/a b", "", "*"}) {
    bool matched = true;
    HttpRequest request = Req("GET", target);
    EXPECT_EQ(router.Match(request, &matched), nullptr) << target;
    EXPECT_FALSE(matched) << target;
    EXPECT_THAT(ParseRequestTarget(request),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed")))
        << target;
  }
}

TEST(HttpTypesTest, ParseRequestTargetDecodesPathAndQuery) {
  HttpRequest request = Req("GET", "/a%20b/c?x=1&y=hello+world&z=%26%3D&x=2&flag");
  ASSERT_OK(ParseRequestTarget(request));
  EXPECT_EQ(request.path, "/a b/c");
  EXPECT_EQ(request.Query("x"), "2");  // last wins
  EXPECT_EQ(request.Query("y"), "hello world");
  EXPECT_EQ(request.Query("z"), "&=");
  EXPECT_EQ(request.Query("flag", "fallback"), "");
  EXPECT_EQ(request.Query("missing", "fallback"), "fallback");
}

TEST(HttpTypesTest, StatusTable) {
  struct Case {
    absl::Status status;
    int http;
    std::string code;
  };
  for (const Case& c : std::vector<Case>{
           {absl::InvalidArgumentError("m"), 400, "invalid_argument"},
           {absl::NotFoundError("m"), 404, "not_found"},
           {absl::AlreadyExistsError("m"), 409, "already_exists"},
           {absl::AbortedError("m"), 409, "aborted"},
           {absl::FailedPreconditionError("m"), 412, "failed_precondition"},
           {absl::OutOfRangeError("m"), 400, "out_of_range"},
           {absl::ResourceExhaustedError("m"), 413, "resource_exhausted"},
           {absl::UnavailableError("m"), 503, "unavailable"},
           {absl::UnimplementedError("m"), 501, "unimplemented"},
           {absl::InternalError("m"), 500, "internal"},
           {absl::DataLossError("m"), 500, "data_loss"},
       }) {
    HttpResponse response = ErrorFromStatus(c.status);
    EXPECT_EQ(response.status, c.http) << c.status;
    EXPECT_EQ(response.body, "{\"error\":{\"code\":\"" + c.code + "\",\"message\":\"m\"}}");
    EXPECT_EQ(response.content_type, "application/json");
  }
}

TEST(HttpTypesTest, JsonErrorEscapes) {
  HttpResponse response = JsonError(400, "invalid_argument", "bad \"quote\"\n\\");
  EXPECT_EQ(response.body,
            R"({"error":{"code":"invalid_argument","message":"bad \"quote\"\n\\"}})");
}

}  // namespace
}  // namespace tidemark::server
