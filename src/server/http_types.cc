// Request/response helpers and the absl::Status → HTTP mapping. Stateless; thread-safe.
#include "server/http_types.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tidemark::server {

std::string HttpRequest::Query(std::string_view name, std::string_view fallback) const {
  auto it = query.find(absl::string_view(name.data(), name.size()));
  if (it == query.end()) return std::string(fallback);
  return it->second;
}

absl::Status ParseRequestTarget(HttpRequest& request) {
  auto parsed = boost::urls::parse_origin_form(request.target);
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed request target: ", parsed.error().message()));
  }
  try {
    const boost::urls::url_view& url = *parsed;
    request.path = url.encoded_path().decode();
    request.query.clear();
    for (const auto& param : url.params()) {
      request.query[param.key] = param.value;
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("malformed request target: ", e.what()));
  }
  return absl::OkStatus();
}

HttpResponse JsonError(int status, std::string_view code, std::string_view message) {
  boost::json::object error;
  error["code"] = code;
  error["message"] = message;
  boost::json::object root;
  root["error"] = std::move(error);
  return JsonResponse(status, boost::json::serialize(root));
}

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kFailedPrecondition:
      return 412;
    case absl::StatusCode::kResourceExhausted:
      return 413;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kUnimplemented:
      return 501;
    default:
      return 500;
  }
}

std::string ErrorCodeName(absl::StatusCode code) {
  // absl::StatusCodeToString gives "INVALID_ARGUMENT"; lower-case it.
  std::string name = absl::StatusCodeToString(code);
  if (name.empty()) name = "unknown";
  return absl::AsciiStrToLower(name);
}

HttpResponse ErrorFromStatus(const absl::Status& status) {
  return JsonError(HttpStatusFor(status.code()), ErrorCodeName(status.code()),
                   std::string_view(status.message().data(), status.message().size()));
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace tidemark::server
