// Order-preserving key encoding; see key_codec.h.
#include "storage/key_codec.h"

namespace tidemark::storage {

void AppendBigEndian64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>((v >> shift) & 0xff));
}

uint64_t ReadBigEndian64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

std::string EncodeBigEndian64(uint64_t v) {
  std::string out;
  AppendBigEndian64(&out, v);
  return out;
}

std::string JoinKey(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) out.push_back(kKeySeparator);
    out.append(p);
    first = false;
  }
  return out;
}

std::string KeyPrefix(std::initializer_list<std::string_view> parts) {
  std::string out = JoinKey(parts);
  out.push_back(kKeySeparator);
  return out;
}

std::vector<std::string_view> SplitKey(std::string_view key) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = key.find(kKeySeparator, start);
    if (pos == std::string_view::npos) {
      parts.push_back(key.substr(start));
      return parts;
    }
    parts.push_back(key.substr(start, pos - start));
    start = pos + 1;
  }
}

}  // namespace tidemark::storage
