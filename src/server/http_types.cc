// Request/response helpers and the absl::Status → HTTP mapping. Stateless; thread-safe.
#include "server/http_types.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/json.h"

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
  response.body = ToValidUtf8(std::move(body));
  return response;
}

HttpResponse JsonValueResponse(int status, const boost::json::value& value) {
  return JsonResponse(status, boost::json::serialize(value));
}

absl::StatusOr<boost::json::object> ReadJsonObject(const HttpRequest& request) {
  absl::StatusOr<boost::json::value> body = common::ParseJson(request.body, "request body");
  if (!body.ok()) return body.status();
  if (boost::json::object* object = body->if_object()) return std::move(*object);
  return absl::InvalidArgumentError(
      absl::StrCat("request body must be a JSON object, got ",
                   std::string(boost::json::to_string(body->kind()))));
}

namespace {

// Length of the well-formed UTF-8 sequence at text[i], or 0 when the byte there does not start
// one (Table 3-7 of the Unicode standard).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::string ToValidUtf8(std::string text) {
  size_t i = 0;
  // Fast path: most bodies are ASCII or valid UTF-8 and are returned without a copy.
  while (i < text.size()) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) break;
    i += n;
  }
  if (i == text.size()) return text;
  std::string out = text.substr(0, i);
  out.reserve(text.size() + 16);
  while (i < text.size()) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(text, i, n);
      i += n;
    }
  }
  return out;
}

}  // namespace tidemark::server
