// Internal: exception-free accessors over Boost.JSON objects for reading dbt artifacts, where
// every field is optional and its type may vary between schema versions.
//
// Thread-safety: stateless functions.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace tidemark::ingest::dbt_internal {

namespace json = boost::json;

inline const json::value* Field(const json::object& o, std::string_view key) {
  return o.if_contains(json::string_view(key.data(), key.size()));
}
inline const json::object* Obj(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  return v ? v->if_object() : nullptr;
}
inline const json::array* Arr(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  return v ? v->if_array() : nullptr;
}
// The string at `key`, or "" when absent, null or not a string.
inline std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
// A scalar as text (strings unquoted); arrays and objects as compact JSON; null as "".
inline std::string Scalar(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "";
  return json::serialize(v);
}
// Strings of the array at `key`, or one string when the value is a string.
inline std::vector<std::string> StrList(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = Field(o, key);
  if (v == nullptr) return out;
  if (v->is_string()) {
    out.emplace_back(v->as_string());
  } else if (const json::array* a = v->if_array()) {
    for (const json::value& x : *a) {
      if (x.is_string()) out.emplace_back(x.as_string());
    }
  }
  return out;
}

}  // namespace tidemark::ingest::dbt_internal
