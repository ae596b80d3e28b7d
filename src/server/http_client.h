// A small synchronous HTTP/1.1 client for the CLI and tests. It keeps one keep-alive connection to
// http://host:port and reconnects once when the server closed it between requests.
//
// Thread-safety: an HttpClient is not thread-safe; use one per thread. No Beast type appears here.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "server/http_types.h"

namespace tidemark::server {

class HttpClient {
 public:
  // Accepts "http://host:port" (an optional trailing "/"); the port defaults to 80. Connects at
  // once. InvalidArgument for anything else; Unavailable (naming the URL) when the connection
  // fails.
  static absl::StatusOr<std::unique_ptr<HttpClient>> Connect(std::string_view base_url);

  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request (`target` is an origin-form path such as "/api/v1/entities/x?limit=5") and
  // returns the response whatever its status. A non-empty body is sent as application/json unless
  // `headers` names another Content-Type. Response bodies up to 1 GiB are accepted.
  absl::StatusOr<HttpResponse> Request(
      std::string_view method, std::string_view target, std::string_view body = "",
      const std::vector<std::pair<std::string, std::string>>& headers = {});

  // A header sent with every request (e.g. X-Tidemark-User); replaces an earlier value.
  void SetDefaultHeader(std::string name, std::string value);

  const std::string& base_url() const { return base_url_; }

 private:
  class Impl;
  explicit HttpClient(std::string base_url, std::unique_ptr<Impl> impl);

  std::string base_url_;
  std::unique_ptr<Impl> impl_;
  std::vector<std::pair<std::string, std::string>> defaults_;
};

// Percent-encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), so a URN
// can be placed in a single path segment.
std::string PercentEncodePathSegment(std::string_view segment);

}  // namespace tidemark::server
