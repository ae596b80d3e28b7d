// The dataset alias table and its process-wide instance; see dataset_aliases.h.
#include "lineage/dataset_aliases.h"

#include <boost/json.hpp>
#include <fstream>
#include <mutex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/json.h"

namespace tidemark::lineage {
namespace {

namespace json = boost::json;
using common::Urn;

std::mutex global_mu;
std::shared_ptr<const DatasetAliases>& GlobalSlot() {
  static auto* slot = new std::shared_ptr<const DatasetAliases>();
  return *slot;
}

std::string Prefix(std::string_view where) {
  return where.empty() ? std::string() : absl::StrCat(std::string(where), ": ");
}

absl::StatusOr<Urn> ParseDataset(const std::string& text, std::string_view where,
                                 std::string_view role) {
  auto urn = Urn::Parse(text);
  if (!urn.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(Prefix(where), std::string(role), " '", text,
                                                   "': ", std::string(urn.status().message())));
  }
  if (urn->entity_type() != "dataset") {
    return absl::InvalidArgumentError(
        absl::StrCat(Prefix(where), std::string(role), " '", text, "' is not a dataset URN"));
  }
  return *std::move(urn);
}

}  // namespace

absl::StatusOr<DatasetAliases> DatasetAliases::FromPairs(
    const std::vector<std::pair<std::string, std::string>>& pairs, std::string_view where) {
  DatasetAliases out;
  for (const auto& [alias_text, target_text] : pairs) {
    auto alias = ParseDataset(alias_text, where, "alias");
    if (!alias.ok()) return alias.status();
    auto target = ParseDataset(target_text, where, "canonical URN");
    if (!target.ok()) return target.status();
    auto [it, inserted] = out.aliases_.emplace(alias->ToString(), *target);
    if (!inserted && !(it->second == *target)) {
      return absl::InvalidArgumentError(absl::StrCat(Prefix(where), "alias '", alias->ToString(),
                                                     "' maps to both '", it->second.ToString(),
                                                     "' and '", target->ToString(), "'"));
    }
  }
  // Every alias must map straight to a name that is not itself an alias.
  for (const auto& [alias, target] : out.aliases_) {
    if (target.ToString() == alias) {
      return absl::InvalidArgumentError(
          absl::StrCat(Prefix(where), "cycle: alias '", alias, "' maps to itself"));
    }
    if (!out.aliases_.contains(target.ToString())) continue;
    // Follow the chain to tell a cycle from a chain in the message.
    std::string path = alias;
    std::string at = target.ToString();
    for (size_t steps = 0; steps <= out.aliases_.size(); ++steps) {
      absl::StrAppend(&path, " -> ", at);
      if (at == alias) {
        return absl::InvalidArgumentError(absl::StrCat(Prefix(where), "cycle of aliases: ", path));
      }
      auto next = out.aliases_.find(at);
      if (next == out.aliases_.end()) break;
      at = next->second.ToString();
    }
    return absl::InvalidArgumentError(
        absl::StrCat(Prefix(where), "chain of aliases: ", path,
                     " (map each alias directly to its canonical URN; '", target.ToString(),
                     "' is itself an alias)"));
  }
  return out;
}

absl::StatusOr<DatasetAliases> DatasetAliases::FromJson(std::string_view json_text,
                                                        std::string_view where) {
  absl::StatusOr<json::value> parsed =
      common::ParseJson(json_text, where.empty() ? std::string_view("dataset aliases") : where);
  if (!parsed.ok()) return parsed.status();
  const json::value& root = *parsed;
  const json::object* o = root.if_object();
  const json::value* aliases = o == nullptr ? nullptr : o->if_contains("aliases");
  if (aliases == nullptr || !aliases->is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        Prefix(where), "expected {\"aliases\": {\"<alias urn>\": \"<canonical urn>\", ...}}"));
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& entry : aliases->get_object()) {
    if (!entry.value().is_string()) {
      return absl::InvalidArgumentError(absl::StrCat(Prefix(where), "aliases['",
                                                     std::string(entry.key()),
                                                     "']: expected a canonical URN string"));
    }
    pairs.emplace_back(std::string(entry.key()), std::string(entry.value().get_string()));
  }
  return FromPairs(pairs, where);
}

absl::StatusOr<DatasetAliases> DatasetAliases::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read the aliases file"));
  std::ostringstream text;
  text << in.rdbuf();
  return FromJson(text.str(), path);
}

Urn DatasetAliases::Resolve(const Urn& urn) const {
  if (aliases_.empty()) return urn;
  if (urn.entity_type() == "dataset") {
    auto it = aliases_.find(urn.ToString());
    return it == aliases_.end() ? urn : it->second;
  }
  if (urn.entity_type() == "schemaField") {
    auto dataset = urn.ParentDataset();
    if (!dataset.ok()) return urn;
    auto it = aliases_.find(dataset->ToString());
    return it == aliases_.end() ? urn : Urn::SchemaField(it->second, urn.FieldPath());
  }
  return urn;
}

void DatasetAliases::SetGlobal(std::shared_ptr<const DatasetAliases> aliases) {
  std::lock_guard<std::mutex> lock(global_mu);
  GlobalSlot() = std::move(aliases);
}

std::shared_ptr<const DatasetAliases> DatasetAliases::Global() {
  std::lock_guard<std::mutex> lock(global_mu);
  return GlobalSlot();
}

Urn DatasetAliases::Canonical(const Urn& urn) {
  std::shared_ptr<const DatasetAliases> aliases = Global();
  return aliases == nullptr ? urn : aliases->Resolve(urn);
}

}  // namespace tidemark::lineage
