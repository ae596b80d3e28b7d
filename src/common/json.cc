// Strict JSON parsing with Boost.JSON's stream parser, so errors can name the byte offset.
#include "common/json.h"

#include <boost/json/stream_parser.hpp>
#include <string>

#include "absl/strings/str_cat.h"

namespace tidemark::common {

absl::StatusOr<boost::json::value> ParseJson(std::string_view text, std::string_view what,
                                             int max_depth) {
  boost::json::parse_options options;
  options.max_depth = static_cast<std::size_t>(max_depth < 1 ? 1 : max_depth);
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  boost::json::stream_parser parser({}, options);
  boost::json::error_code ec;
  const std::size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec && used < text.size()) {
    // write_some stops after one complete document: anything but white space after it is an error.
    const std::size_t rest = text.find_first_not_of(" \t\r\n", used);
    if (rest != std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          std::string(what), ": invalid JSON: unexpected data after the document at byte ", rest));
    }
  }
  if (!ec) parser.finish(ec);
  if (ec) {
    if (text.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(std::string(what), ": empty, expected JSON"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), ": invalid JSON at byte ", used, ": ", ec.message()));
  }
  return parser.release();
}

}  // namespace tidemark::common
