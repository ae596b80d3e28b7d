// Tests for HttpClient URL handling, connection errors and PercentEncodePathSegment.
#include "server/http_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "tests/testing/status_matchers.h"

namespace tidemark::server {
namespace {

using ::testing::HasSubstr;
using ::tidemark::testing::StatusIs;

// A loopback port with nothing listening: bind an ephemeral port, then release it.
uint16_t UnusedPort() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(
      ioc, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailable) {
  const std::string url = "http://127.0.0.1:" + std::to_string(UnusedPort());
  EXPECT_THAT(HttpClient::Connect(url), StatusIs(absl::StatusCode::kUnavailable, HasSubstr(url)));
}

TEST(HttpClientTest, BadUrlIsInvalidArgument) {
  for (std::string url :
       {"", "localhost:8080", "https://127.0.0.1:1", "http://", "ftp://h:1",
        "http://127.0.0.1:1/api", "http://127.0.0.1:1?x=1", "not a url", "http://u@127.0.0.1:1"}) {
    EXPECT_THAT(HttpClient::Connect(url),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("URL")))
        << url;
  }
}

TEST(HttpClientTest, PercentEncodePathSegment) {
  EXPECT_EQ(PercentEncodePathSegment("urn:li:dataset:(urn:li:dataPlatform:trino,x/y,PROD)"),
            "urn%3Ali%3Adataset%3A%28urn%3Ali%3AdataPlatform%3Atrino%2Cx%2Fy%2CPROD%29");
  EXPECT_EQ(PercentEncodePathSegment("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncodePathSegment("a b%?#&+"), "a%20b%25%3F%23%26%2B");
  EXPECT_EQ(PercentEncodePathSegment(""), "");
}

}  // namespace
}  // namespace tidemark::server
