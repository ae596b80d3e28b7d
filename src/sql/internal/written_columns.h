// WrittenColumns: the columns one UPDATE / MERGE / INSERT writes into its target, each with the
// union of what the values written to it read (see lineage_writes.cc). Internal to tidemark::sql.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "sql/internal/lineage_builder.h"

namespace tidemark::sql {

// The columns one statement writes into its target, in first-write order, each with the union of
// what the values written to it read.
class WrittenColumns {
 public:
  // `schema`: the target's known columns; written names take its spelling.
  explicit WrittenColumns(std::optional<std::vector<std::string>> schema)
      : schema_(std::move(schema)) {}

  void Add(std::string name, const UpSet& ups, bool copy, bool aggregate) {
    if (schema_) {
      for (const std::string& s : *schema_) {
        if (absl::EqualsIgnoreCase(s, name)) {
          name = s;
          break;
        }
      }
    }
    auto [it, inserted] = index_.try_emplace(absl::AsciiStrToLower(name), cols_.size());
    if (inserted) {
      OutCol c;
      c.name = std::move(name);
      c.ups = ups;
      c.identity = copy;
      c.aggregate = aggregate;
      cols_.push_back(std::move(c));
      return;
    }
    OutCol& c = cols_[it->second];
    c.ups.insert(ups.begin(), ups.end());
    c.identity = c.identity && copy;
    c.aggregate = c.aggregate || aggregate;
  }

  const OutCol* Find(const std::string& name) const {
    auto it = index_.find(absl::AsciiStrToLower(name));
    return it == index_.end() ? nullptr : &cols_[it->second];
  }
  const std::vector<OutCol>& cols() const { return cols_; }
  const std::optional<std::vector<std::string>>& schema() const { return schema_; }

 private:
  std::optional<std::vector<std::string>> schema_;
  std::vector<OutCol> cols_;
  absl::flat_hash_map<std::string, size_t> index_;
};

}  // namespace tidemark::sql
