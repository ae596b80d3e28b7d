// Strict JSON parsing with Boost.JSON's stream parser, so errors can name the byte offset.
#include "common/json.h"

#include <boost/json/object.hpp>
#include <boost/json/stream_parser.hpp>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"

namespace tidemark::common {
namespace {

const boost::json::value* Member(const boost::json::object& object, std::string_view key) {
  const boost::json::value* v =
      object.if_contains(boost::json::string_view(key.data(), key.size()));
  return v == nullptr || v->is_null() ? nullptr : v;
}

absl::Status Expected(std::string_view path, std::string_view key, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(JsonPath(path, key), ": expected ", std::string(what)));
}

absl::Status Required(std::string_view path, std::string_view key) {
  return absl::InvalidArgumentError(absl::StrCat(JsonPath(path, key), ": required"));
}

}  // namespace

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

std::string JsonPath(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out.push_back('.');
  out.append(key);
  return out;
}

absl::StatusOr<std::string> RequiredString(const boost::json::object& object, std::string_view key,
                                           std::string_view path) {
  absl::StatusOr<std::optional<std::string>> v = OptionalString(object, key, path);
  if (!v.ok()) return v.status();
  if (!v->has_value() || (*v)->empty()) return Required(path, key);
  return std::move(**v);
}

absl::StatusOr<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                          std::string_view key,
                                                          std::string_view path) {
  const boost::json::value* v = Member(object, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) return Expected(path, key, "a string");
  return std::string(v->get_string());
}

absl::StatusOr<std::optional<int64_t>> OptionalInt(const boost::json::object& object,
                                                   std::string_view key, std::string_view path) {
  const boost::json::value* v = Member(object, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  // 2^63 as a double: anything below it (and at least -2^63) converts exactly.
  constexpr double kLimit = 9223372036854775808.0;
  if (v->is_double() && std::trunc(v->get_double()) == v->get_double() &&
      v->get_double() >= -kLimit && v->get_double() < kLimit) {
    return static_cast<int64_t>(v->get_double());
  }
  return Expected(path, key, "an integer");
}

absl::StatusOr<std::optional<bool>> OptionalBool(const boost::json::object& object,
                                                 std::string_view key, std::string_view path) {
  const boost::json::value* v = Member(object, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) return Expected(path, key, "true or false");
  return v->get_bool();
}

absl::StatusOr<const boost::json::object*> OptionalObject(const boost::json::object& object,
                                                          std::string_view key,
                                                          std::string_view path) {
  const boost::json::value* v = Member(object, key);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) return Expected(path, key, "an object");
  return &v->get_object();
}

absl::StatusOr<const boost::json::array*> OptionalArray(const boost::json::object& object,
                                                        std::string_view key,
                                                        std::string_view path) {
  const boost::json::value* v = Member(object, key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) return Expected(path, key, "an array");
  return &v->get_array();
}

absl::StatusOr<const boost::json::object*> RequiredObject(const boost::json::object& object,
                                                          std::string_view key,
                                                          std::string_view path) {
  absl::StatusOr<const boost::json::object*> v = OptionalObject(object, key, path);
  if (v.ok() && *v == nullptr) return Required(path, key);
  return v;
}

absl::StatusOr<const boost::json::array*> RequiredArray(const boost::json::object& object,
                                                        std::string_view key,
                                                        std::string_view path) {
  absl::StatusOr<const boost::json::array*> v = OptionalArray(object, key, path);
  if (v.ok() && *v == nullptr) return Required(path, key);
  return v;
}

absl::StatusOr<const boost::json::object*> AsObject(const boost::json::value& value,
                                                    std::string_view path) {
  if (!value.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(path), ": expected an object"));
  }
  return &value.get_object();
}

}  // namespace tidemark::common
