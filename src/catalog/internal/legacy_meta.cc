// Internal: moving pre-ownership meta keys into module meta spaces; see legacy_meta.h.
#include "catalog/internal/legacy_meta.h"

#include <string>
#include <string_view>

#include "common/status_macros.h"
#include "storage/key_codec.h"

namespace tidemark::catalog::internal {
namespace {

struct LegacyPrefix {
  std::string_view old_prefix;  // the old key, or the prefix of a family of old keys
  std::string_view module;      // the meta space the keys move to
  std::string_view new_prefix;  // replaces old_prefix inside that space
};

}  // namespace

absl::Status MigrateLegacyMeta(storage::KvStore& store) {
  const LegacyPrefix kMoves[] = {
      {std::string_view("removed\0", 8), "glossary", std::string_view("removed\0", 8)},
      {"glossary.propagation.cursor", "glossary", std::string_view("propagation\0cursor", 18)},
      {"usage/rankIndexVersion", "usage", "rankIndexVersion"},
      {"ingest/run/", "ingest", std::string_view("run\0", 4)},
      {"ingest/cursor/", "ingest", std::string_view("cursor\0", 7)},
  };
  storage::WriteBatch batch;
  for (const LegacyPrefix& move : kMoves) {
    const std::string space = storage::KeyPrefix({move.module});
    RETURN_IF_ERROR(store.Scan(storage::ColumnFamily::kMeta, move.old_prefix, "",
                               [&](std::string_view key, std::string_view value) {
                                 std::string moved = space;
                                 moved.append(move.new_prefix);
                                 moved.append(key.substr(move.old_prefix.size()));
                                 batch.Put(storage::ColumnFamily::kMeta, std::move(moved),
                                           std::string(value));
                                 batch.Delete(storage::ColumnFamily::kMeta, std::string(key));
                                 return true;
                               }));
  }
  if (batch.empty()) return absl::OkStatus();
  return store.Write(batch);
}

}  // namespace tidemark::catalog::internal
