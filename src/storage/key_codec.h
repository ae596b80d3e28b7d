// Key encoding helpers: order-preserving big-endian integers and \0-separated composite keys, so
// that RocksDB's byte order equals the logical order (versions and sequence numbers sort
// numerically).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tidemark::storage {

inline constexpr char kKeySeparator = '\0';

// Appends `v` as 8 big-endian bytes.
void AppendBigEndian64(std::string* out, uint64_t v);
// Reads 8 big-endian bytes; `in` must hold at least 8 bytes.
uint64_t ReadBigEndian64(std::string_view in);
std::string EncodeBigEndian64(uint64_t v);

// Joins parts with kKeySeparator. Parts must not contain '\0' (URNs and aspect names never do).
std::string JoinKey(std::initializer_list<std::string_view> parts);
// JoinKey(parts) + separator: the prefix of every key that extends `parts`.
std::string KeyPrefix(std::initializer_list<std::string_view> parts);
// Splits on kKeySeparator.
std::vector<std::string_view> SplitKey(std::string_view key);

}  // namespace tidemark::storage
