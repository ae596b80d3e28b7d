// Standard middleware; see middleware.h.
#include "server/middleware.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log.h"
#include "server/request_headers.h"

namespace tidemark::server {

Middleware CallerIdentityMiddleware() {
  return Middleware{
      .name = "caller-identity",
      .before = [](HttpRequest& request) -> absl::StatusOr<std::optional<HttpResponse>> {
        if (absl::Status valid = ValidateTidemarkHeaders(request); !valid.ok()) return valid;
        return std::nullopt;
      },
      .after = nullptr};
}

std::string AccessLogLine(const HttpRequest& request, const HttpResponse& response) {
  double millis = 0;
  if (request.received != std::chrono::steady_clock::time_point{}) {
    const std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - request.received;
    millis = elapsed.count();
  }
  // The target is client bytes: keep the line one line of printable text.
  std::string target = request.target.substr(0, 512);
  for (char& c : target) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"') c = '?';
  }
  return absl::StrCat("access id=", request.request_id,
                      " caller=", request.caller.empty() ? std::string("-") : request.caller, " \"",
                      request.method, " ", target,
                      "\" route=", request.route.empty() ? "-" : request.route,
                      " status=", response.status, " bytes=", response.body.size(),
                      " ms=", absl::StrFormat("%.2f", millis));
}

Middleware AccessLogMiddleware() {
  return Middleware{.name = "access-log",
                    .before = nullptr,
                    .after = [](const HttpRequest& request, HttpResponse& response) {
                      common::Log(common::LogLevel::kInfo, AccessLogLine(request, response));
                    }};
}

}  // namespace tidemark::server
