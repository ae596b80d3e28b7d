// Synchronous Beast client behind HttpClient. One connection per client; not thread-safe.
#include "server/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tidemark::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr uint64_t kResponseBodyLimit = uint64_t{1} << 30;
constexpr auto kIoTimeout = std::chrono::seconds(120);

}  // namespace

class HttpClient::Impl {
 public:
  Impl(std::string host, std::string port, std::string host_header, std::string base_url)
      : host_(std::move(host)),
        port_(std::move(port)),
        host_header_(std::move(host_header)),
        base_url_(std::move(base_url)) {}

  absl::Status Connect() {
    beast::error_code ec;
    stream_.close();
    auto endpoints = resolver_.resolve(host_, port_, ec);
    if (ec) {
      return absl::UnavailableError(absl::StrCat("cannot resolve ", base_url_, ": ", ec.message()));
    }
    stream_.expires_after(kIoTimeout);
    stream_.connect(endpoints, ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot connect to ", base_url_, ": ", ec.message()));
    }
    connected_ = true;
    return absl::OkStatus();
  }

  absl::StatusOr<HttpResponse> Request(
      std::string_view method, std::string_view target, std::string_view body,
      const std::vector<std::pair<std::string, std::string>>& headers,
      const std::vector<std::pair<std::string, std::string>>& defaults) {
    http::verb verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown HTTP method '", std::string(method), "'"));
    }
    if (target.empty() || target.front() != '/' ||
        !boost::urls::parse_origin_form(target).has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid request target '", std::string(target), "'"));
    }
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, host_header_);
    req.set(http::field::user_agent, "tidemark-client");
    for (const auto& [name, value] : defaults) req.set(name, value);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty() && req.find(http::field::content_type) == req.end()) {
      req.set(http::field::content_type, "application/json");
    }
    req.body() = std::string(body);
    req.keep_alive(true);
    req.prepare_payload();

    // A reused connection may have been closed by the server (idle timeout): retry once on a fresh
    // one.
    const bool reused = connected_;
    if (!connected_) {
      if (absl::Status s = Connect(); !s.ok()) return s;
    }
    beast::error_code ec;
    absl::StatusOr<HttpResponse> response = RoundTrip(req, &ec);
    if (!response.ok() && reused && ec) {
      if (absl::Status s = Connect(); !s.ok()) return s;
      response = RoundTrip(req, &ec);
    }
    return response;
  }

 private:
  absl::StatusOr<HttpResponse> RoundTrip(const http::request<http::string_body>& req,
                                         beast::error_code* ec) {
    stream_.expires_after(kIoTimeout);
    http::write(stream_, req, *ec);
    const beast::error_code write_ec = *ec;
    // Even when sending failed, the server may have answered early (e.g. 413 for an oversized body)
    // before closing; that answer is more useful than the write error.
    http::response_parser<http::string_body> parser;
    parser.body_limit(kResponseBodyLimit);
    stream_.expires_after(kIoTimeout);
    http::read(stream_, buffer_, parser, *ec);
    if (*ec) {
      if (write_ec) {
        *ec = write_ec;
        return Fail("send request to", write_ec);
      }
      return Fail("read response from", *ec);
    }
    http::response<http::string_body> res = parser.release();
    if (write_ec) res.keep_alive(false);

    HttpResponse response;
    response.status = static_cast<int>(res.result_int());
    response.content_type = std::string(res[http::field::content_type]);
    for (const auto& field : res) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(res.body());
    if (!res.keep_alive()) Disconnect();
    *ec = {};
    return response;
  }

  absl::Status Fail(std::string_view what, const beast::error_code& ec) {
    Disconnect();
    return absl::UnavailableError(
        absl::StrCat("cannot ", std::string(what), " ", base_url_, ": ", ec.message()));
  }

  void Disconnect() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    buffer_.clear();
    connected_ = false;
  }

  std::string host_;
  std::string port_;
  std::string host_header_;  // "host:port" as written in the URL (IPv6 in brackets)
  std::string base_url_;
  net::io_context ioc_;
  tcp::resolver resolver_{ioc_};
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

HttpClient::HttpClient(std::string base_url, std::unique_ptr<Impl> impl)
    : base_url_(std::move(base_url)), impl_(std::move(impl)) {}

HttpClient::~HttpClient() = default;

absl::StatusOr<std::unique_ptr<HttpClient>> HttpClient::Connect(std::string_view base_url) {
  auto parsed = boost::urls::parse_absolute_uri(base_url);
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("invalid server URL '", std::string(base_url),
                                                   "': ", std::string(why),
                                                   " (expected http://host:port)"));
  };
  if (!parsed) return invalid(parsed.error().message());
  const boost::urls::url_view& url = *parsed;
  if (absl::AsciiStrToLower(std::string(url.scheme())) != "http") {
    return invalid("only the http scheme is supported");
  }
  if (!url.has_authority() || url.host().empty()) return invalid("missing host");
  if (url.has_userinfo()) return invalid("user info is not supported");
  if (!url.encoded_path().empty() && url.encoded_path() != "/") return invalid("unexpected path");
  if (url.has_query() || url.has_fragment()) return invalid("unexpected query or fragment");
  std::string port = url.has_port() ? std::string(url.port()) : "80";
  if (port.empty()) return invalid("empty port");
  // host_address() keeps IPv6 literals without brackets, which is what the resolver wants.
  std::string host = url.host_address();
  auto impl = std::make_unique<Impl>(host, port, std::string(url.encoded_host_and_port()),
                                     std::string(base_url));
  if (absl::Status s = impl->Connect(); !s.ok()) return s;
  return std::unique_ptr<HttpClient>(new HttpClient(std::string(base_url), std::move(impl)));
}

absl::StatusOr<HttpResponse> HttpClient::Request(
    std::string_view method, std::string_view target, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  return impl_->Request(method, target, body, headers, defaults_);
}

void HttpClient::SetDefaultHeader(std::string name, std::string value) {
  for (auto& [n, v] : defaults_) {
    if (absl::EqualsIgnoreCase(n, name)) {
      v = std::move(value);
      return;
    }
  }
  defaults_.emplace_back(std::move(name), std::move(value));
}

std::string PercentEncodePathSegment(std::string_view segment) {
  return boost::urls::encode(segment, boost::urls::unreserved_chars);
}

}  // namespace tidemark::server
