// DatasetAliases: a table of dataset URNs that name the same physical table as another, so that
// what two producers report (OpenLineage's `postgres://db:5432` + `app.public.users`, Trino's
// `pg.public.users`) ends as one lineage node. Each alias maps straight to its canonical URN; the
// table is loaded from a JSON file
//   {"aliases": {"<alias dataset urn>": "<canonical dataset urn>", ...}}
// and validated as a whole: every URN must parse as a dataset URN, an alias may not also be a
// canonical target (no chains: map every alias directly to the final name) and nothing may lead
// back to itself (no cycles).
//
// Ingest applies the table where it turns an external name into a dataset URN
// (ingest::ResolveDatasetUrn, the SQL parser adapter) through the process-wide instance: the server
// sets it once at start-up (SetGlobal) before anything is ingested; Canonical() reads it. With no
// table set, Canonical() is the identity.
//
// Thread-safety: a DatasetAliases is immutable after construction and may be shared freely;
// SetGlobal / Global / Canonical may be called concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/urn.h"

namespace tidemark::lineage {

class DatasetAliases {
 public:
  DatasetAliases() = default;  // empty: every URN is its own canonical name

  // From (alias, canonical) URN texts; `where` prefixes error messages (a file name).
  static absl::StatusOr<DatasetAliases> FromPairs(
      const std::vector<std::pair<std::string, std::string>>& pairs, std::string_view where = "");
  // From the JSON text of an aliases file.
  static absl::StatusOr<DatasetAliases> FromJson(std::string_view json_text,
                                                 std::string_view where = "aliases");
  // Reads and parses `path`; NotFound when it cannot be read.
  static absl::StatusOr<DatasetAliases> LoadFile(const std::string& path);

  // The canonical URN of `urn`: its target when it is an aliased dataset, the schema field of the
  // canonical dataset when it is a column of one, else `urn` itself.
  common::Urn Resolve(const common::Urn& urn) const;
  size_t size() const { return aliases_.size(); }

  // The process-wide table (null clears it).
  static void SetGlobal(std::shared_ptr<const DatasetAliases> aliases);
  static std::shared_ptr<const DatasetAliases> Global();
  // Global()->Resolve(urn), or `urn` when no table is set.
  static common::Urn Canonical(const common::Urn& urn);

 private:
  absl::flat_hash_map<std::string, common::Urn> aliases_;  // canonical alias text → target
};

}  // namespace tidemark::lineage
