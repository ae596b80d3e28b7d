// String helpers for the ingest sources. Debian's Abseil has its own absl::string_view, so
// absl::StrCat rejects std::string_view; Cat() accepts both, plus integers and chars.
//
// Thread-safety: stateless functions.
#pragma once

#include <algorithm>
#include <cctype>
#include <concepts>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace tidemark::ingest {

namespace str_internal {
inline void Append(std::string& out, std::string_view s) { out.append(s); }
inline void Append(std::string& out, absl::string_view s) { out.append(s.data(), s.size()); }
inline void Append(std::string& out, const std::string& s) { out.append(s); }
inline void Append(std::string& out, const char* s) { out.append(s); }
inline void Append(std::string& out, char c) { out.push_back(c); }
template <std::integral I>
void Append(std::string& out, I n) {
  out.append(std::to_string(n));
}
}  // namespace str_internal

template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (str_internal::Append(out, parts), ...);
  return out;
}

inline std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace tidemark::ingest
