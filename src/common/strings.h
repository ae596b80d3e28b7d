// The one set of small string helpers: Cat, Join, Lower, Trim.
//
// Debian's Abseil (20220623) is built with its own absl::string_view, so absl::StrCat, StrJoin and
// the ascii helpers reject std::string_view. These take std::string_view (and absl::string_view,
// std::string, C strings, chars, integers and enums) and do the work with Abseil underneath.
// Thread-safety: stateless functions.
#pragma once

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace tidemark::common {

namespace strings_internal {
inline void Append(std::string& out, std::string_view s) { out.append(s); }
inline void Append(std::string& out, absl::string_view s) { out.append(s.data(), s.size()); }
inline void Append(std::string& out, const std::string& s) { out.append(s); }
inline void Append(std::string& out, const char* s) { out.append(s); }
inline void Append(std::string& out, char c) { out.push_back(c); }
template <std::integral I>
requires(!std::same_as<I, char>) void Append(std::string& out, I n) { absl::StrAppend(&out, n); }
template <typename E>
requires std::is_enum_v<E>
void Append(std::string& out, E e) { absl::StrAppend(&out, static_cast<long long>(e)); }
}  // namespace strings_internal

// Concatenation of any mix of the pieces above; integers and enums in decimal.
template <typename... Pieces>
std::string Cat(const Pieces&... pieces) {
  std::string out;
  (strings_internal::Append(out, pieces), ...);
  return out;
}

// The elements of `range` (anything Cat takes) with `sep` between them.
template <typename Range>
std::string Join(const Range& range, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& piece : range) {
    if (!first) out.append(sep);
    first = false;
    strings_internal::Append(out, piece);
  }
  return out;
}

// ASCII lower case; other bytes (UTF-8 included) unchanged.
inline std::string Lower(std::string_view s) {
  return absl::AsciiStrToLower(absl::string_view(s.data(), s.size()));
}

// `s` without leading and trailing ASCII white space; a view into `s`.
inline std::string_view Trim(std::string_view s) {
  const absl::string_view t = absl::StripAsciiWhitespace(absl::string_view(s.data(), s.size()));
  return std::string_view(t.data(), t.size());
}

}  // namespace tidemark::common
