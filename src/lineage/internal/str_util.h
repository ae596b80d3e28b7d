// Internal: string concatenation that accepts std::string_view. Debian's Abseil is built with its
// own absl::string_view, so absl::StrCat/StrJoin reject std::string_view; these stand in for them.
//
// Thread-safety: stateless functions.
#pragma once

#include <concepts>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace tidemark::lineage {

inline void AppendPiece(std::string* out, std::string_view piece) { out->append(piece); }
inline void AppendPiece(std::string* out, absl::string_view piece) {
  out->append(piece.data(), piece.size());
}
inline void AppendPiece(std::string* out, const std::string& piece) { out->append(piece); }
inline void AppendPiece(std::string* out, const char* piece) { out->append(piece); }
inline void AppendPiece(std::string* out, char c) { out->push_back(c); }
template <std::integral Int>
void AppendPiece(std::string* out, Int n) {
  out->append(std::to_string(n));
}
template <typename E>
requires std::is_enum_v<E>
void AppendPiece(std::string* out, E e) { out->append(std::to_string(static_cast<long long>(e))); }

template <typename... Pieces>
std::string Cat(const Pieces&... pieces) {
  std::string out;
  (AppendPiece(&out, pieces), ...);
  return out;
}

template <typename Range>
std::string Join(const Range& range, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& piece : range) {
    if (!first) out.append(sep);
    first = false;
    AppendPiece(&out, piece);
  }
  return out;
}

}  // namespace tidemark::lineage
