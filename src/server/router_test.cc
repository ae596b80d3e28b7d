// Tests for Router matching and request-target parsing.
#include "server/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/middleware.h"
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
  if (route == nullptr) return "<none>";
  absl::StatusOr<HttpResponse> response = route->handler(request);
  return response.ok() ? response->body : "<error>";
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

// --- Dispatch: the one handler shape and the middleware seam -------------------------------------

HttpRequest Get(std::string target) { return Req("GET", std::move(target)); }

TEST(RouterDispatchTest, HandlerStatusGoesThroughTheOneTable) {
  struct Case {
    absl::Status status;
    int http;
    std::string code;
  };
  const std::vector<Case> cases = {
      {absl::InvalidArgumentError("bad limit"), 400, "invalid_argument"},
      {absl::NotFoundError("no such urn"), 404, "not_found"},
      {absl::AlreadyExistsError("dup"), 409, "already_exists"},
      {absl::AbortedError("conflict"), 409, "aborted"},
      {absl::FailedPreconditionError("run finished"), 412, "failed_precondition"},
      {absl::ResourceExhaustedError("too big"), 413, "resource_exhausted"},
      {absl::UnavailableError("later"), 503, "unavailable"},
      {absl::InternalError("oops"), 500, "internal"},
  };
  for (const Case& c : cases) {
    Router router;
    router.Add(
        {.method = "GET",
         .pattern = "/x",
         .handler = [&c](HttpRequest&) -> absl::StatusOr<HttpResponse> { return c.status; }});
    HttpRequest request = Get("/x");
    HttpResponse response = router.Dispatch(request);
    EXPECT_EQ(response.status, c.http) << c.status;
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_THAT(response.body, HasSubstr("\"code\":\"" + c.code + "\"")) << c.status;
    EXPECT_THAT(response.body, HasSubstr(std::string(c.status.message())));
  }
}

TEST(RouterDispatchTest, OkHandlerResponsePassesThrough) {
  Router router;
  router.Add({.method = "GET", .pattern = "/x", .handler = [](HttpRequest&) {
                return JsonValueResponse(201, boost::json::object{{"ok", true}});
              }});
  HttpRequest request = Get("/x?a=1");
  HttpResponse response = router.Dispatch(request);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"ok":true})");
}

TEST(RouterDispatchTest, ThrowingHandlerIs500) {
  Router router;
  router.Add({.method = "GET", .pattern = "/x", .handler = [](HttpRequest&) -> HttpResponse {
                throw std::runtime_error("kaboom");
              }});
  HttpRequest request = Get("/x");
  HttpResponse response = router.Dispatch(request);
  EXPECT_EQ(response.status, 500);
  EXPECT_THAT(response.body, HasSubstr("handler failed: kaboom"));
}

TEST(RouterDispatchTest, UnknownPathAndWrongMethod) {
  Router router = MakeRouter();
  HttpRequest unknown = Get("/nope");
  EXPECT_EQ(router.Dispatch(unknown).status, 404);
  HttpRequest wrong = Req("DELETE", "/api/v1/lineage/path");
  HttpResponse response = router.Dispatch(wrong);
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "GET, HEAD");
}

TEST(RouterDispatchTest, CallerIdentityIsInstalledFirst) {
  Router router;
  ASSERT_EQ(router.middleware().size(), 1u);
  EXPECT_EQ(router.middleware()[0].name, "caller-identity");
  router.Add({.method = "GET", .pattern = "/who", .handler = [](HttpRequest& r) {
                return JsonResponse(200, r.caller);
              }});
  HttpRequest anonymous = Get("/who");
  EXPECT_EQ(router.Dispatch(anonymous).body, "anonymous");
  HttpRequest ana = Get("/who");
  ana.headers["x-tidemark-user"] = "ana";
  EXPECT_EQ(router.Dispatch(ana).body, "ana");
  HttpRequest bad = Get("/who");
  bad.headers["x-tidemark-user"] = "bad user";
  HttpResponse rejected = router.Dispatch(bad);
  EXPECT_EQ(rejected.status, 400);
  EXPECT_THAT(rejected.body, HasSubstr("X-Tidemark-User"));
  // Rejected before routing: a bad header on an unknown path is still 400, as before.
  HttpRequest bad_unknown = Get("/nope");
  bad_unknown.headers["x-tidemark-run-id"] = "run id";
  EXPECT_EQ(router.Dispatch(bad_unknown).status, 400);
}

// Records the order in which middleware and handler ran.
struct Trace {
  std::vector<std::string> steps;
  Middleware Step(
      std::string name,
      std::optional<absl::StatusOr<std::optional<HttpResponse>>> answer = std::nullopt) {
    return Middleware{.name = name,
                      .before = [this, name, answer](
                                    HttpRequest&) -> absl::StatusOr<std::optional<HttpResponse>> {
                        steps.push_back("before " + name);
                        if (answer) return *answer;
                        return std::nullopt;
                      },
                      .after =
                          [this, name](const HttpRequest&, HttpResponse& response) {
                            steps.push_back("after " + name);
                            response.headers.emplace_back("X-After", name);
                          }};
  }
};

TEST(RouterDispatchTest, MiddlewareRunsInOrderAroundTheHandler) {
  Trace trace;
  Router router;
  router.Use(trace.Step("a"));
  router.Use(trace.Step("b"));
  router.Add({.method = "GET", .pattern = "/x/{id}", .handler = [&trace](HttpRequest& r) {
                trace.steps.push_back("handler " + r.path_params["id"]);
                return JsonResponse(200, "{}");
              }});
  HttpRequest request = Get("/x/7");
  HttpResponse response = router.Dispatch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(trace.steps, ElementsAre("before a", "before b", "handler 7", "after b", "after a"));
  ASSERT_EQ(response.headers.size(), 2u);
  EXPECT_EQ(response.headers[0].second, "b");
  EXPECT_EQ(response.headers[1].second, "a");
}

TEST(RouterDispatchTest, MiddlewareSeesTheMatchedRoute) {
  Router router = MakeRouter();
  std::string seen;
  router.Use({.name = "route",
              .before = [&seen](HttpRequest& r) -> absl::StatusOr<std::optional<HttpResponse>> {
                seen = r.route + " " + r.path_params["urn"];
                return std::nullopt;
              }});
  HttpRequest request = Get("/api/v1/entities/urn%3Ali%3Ax");
  router.Dispatch(request);
  EXPECT_EQ(seen, "/api/v1/entities/{urn} urn:li:x");
}

// A route at /x whose handler only records that it ran.
void AddFlagRoute(Router& router, std::string method, bool* handled) {
  router.Add({.method = std::move(method), .pattern = "/x", .handler = [handled](HttpRequest&) {
                *handled = true;
                return JsonResponse(200, "{}");
              }});
}

TEST(RouterDispatchTest, EarlyResponseStopsTheChain) {
  Trace trace;
  Router router;
  HttpResponse teapot = JsonError(418, "teapot", "short and stout");
  router.Use(trace.Step("a"));
  router.Use(trace.Step("deny", absl::StatusOr<std::optional<HttpResponse>>(teapot)));
  router.Use(trace.Step("c"));
  bool handled = false;
  AddFlagRoute(router, "GET", &handled);
  HttpRequest request = Get("/x");
  HttpResponse response = router.Dispatch(request);
  EXPECT_EQ(response.status, 418);
  EXPECT_FALSE(handled);
  EXPECT_THAT(trace.steps,
              ElementsAre("before a", "before deny", "after c", "after deny", "after a"));
}

TEST(RouterDispatchTest, EarlyErrorStatusIsMappedAndStopsTheChain) {
  Trace trace;
  Router router;
  router.Use(trace.Step("auth", absl::StatusOr<std::optional<HttpResponse>>(
                                    absl::PermissionDeniedError("no entry"))));
  router.Use(trace.Step("later"));
  bool handled = false;
  AddFlagRoute(router, "PUT", &handled);
  HttpRequest request = Req("PUT", "/x");
  HttpResponse response = router.Dispatch(request);
  EXPECT_EQ(response.status, 500);  // PermissionDenied has no row of its own in the table (yet)
  EXPECT_THAT(response.body, HasSubstr("permission_denied"));
  EXPECT_THAT(response.body, HasSubstr("no entry"));
  EXPECT_FALSE(handled);
  EXPECT_THAT(trace.steps, ElementsAre("before auth", "after later", "after auth"));
}

TEST(RouterDispatchTest, MalformedTargetSkipsBeforeButNotAfter) {
  Trace trace;
  Router router = MakeRouter();
  router.Use(trace.Step("a"));
  HttpRequest request = Get("/bad target");
  HttpResponse response = router.Dispatch(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(trace.steps, ElementsAre("after a"));
}

TEST(RouterDispatchTest, ThrowingMiddlewareIs500AndSkipsTheHandler) {
  Router router;
  router.Use(
      {.name = "broken", .before = [](HttpRequest&) -> absl::StatusOr<std::optional<HttpResponse>> {
         throw std::runtime_error("boom");
       }});
  bool handled = false;
  AddFlagRoute(router, "GET", &handled);
  HttpRequest request = Get("/x");
  HttpResponse response = router.Dispatch(request);
  EXPECT_EQ(response.status, 500);
  EXPECT_THAT(response.body, HasSubstr("middleware broken failed: boom"));
  EXPECT_FALSE(handled);
}

TEST(AccessLogTest, LineNamesRequestAndResponse) {
  HttpRequest request = Get("/api/v1/entities/x?\"q\"=1");
  request.request_id = 42;
  request.caller = "ana";
  request.route = "/api/v1/entities/{urn}";
  HttpResponse response = JsonResponse(404, "{\"e\":1}");
  const std::string line = AccessLogLine(request, response);
  EXPECT_THAT(line, HasSubstr("id=42"));
  EXPECT_THAT(line, HasSubstr("caller=ana"));
  EXPECT_THAT(line, HasSubstr("\"GET /api/v1/entities/x??q?=1\""));
  EXPECT_THAT(line, HasSubstr("route=/api/v1/entities/{urn}"));
  EXPECT_THAT(line, HasSubstr("status=404"));
  EXPECT_THAT(line, HasSubstr("bytes=7"));
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(HttpTypesTest, ReadJsonObjectIsStrictAndSaysWhatIsWrong) {
  HttpRequest request;
  request.body = R"({"a":1})";
  ASSERT_OK_AND_ASSIGN(boost::json::object object, ReadJsonObject(request));
  EXPECT_EQ(object.at("a").as_int64(), 1);
  request.body = "[1]";
  EXPECT_THAT(ReadJsonObject(request), StatusIs(absl::StatusCode::kInvalidArgument,
                                                HasSubstr("must be a JSON object, got array")));
  request.body = R"({"a":1,})";
  EXPECT_THAT(ReadJsonObject(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request body")));
  request.body = "";
  EXPECT_THAT(ReadJsonObject(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request body")));
}

}  // namespace
}  // namespace tidemark::server
