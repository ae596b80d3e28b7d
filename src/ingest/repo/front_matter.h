// YAML front matter of a SQL pipeline file: a block at the very top between two `---` lines that
// describes the pipeline step (owner, description, schedule, depends_on, tags, any other keys).
// Because `---` starts a SQL line comment, the block may also be written as SQL comments
// (`-- owner: alice`); the `-- ` prefix is stripped when every line of the block has it.
//
//   ---
//   owner: [alice, group:billing]
//   description: Daily revenue rollup
//   schedule: "0 3 * * *"
//   depends_on: [lake.raw.orders, staging/orders.sql]
//   tags: [finance]
//   ---
//   INSERT INTO ...
//
// owner/owners, depends_on and tags accept a string or a list; other scalar keys are kept as
// strings in `extra`. yaml-cpp's exceptions are caught here and become InvalidArgument.
// Thread-safety: stateless functions.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tidemark::ingest {

struct FrontMatter {
  bool present = false;
  std::vector<std::string> owners;
  std::string description;
  std::string schedule;
  std::string name;
  std::vector<std::string> depends_on;
  std::vector<std::string> tags;
  std::map<std::string, std::string> extra;
  std::string_view body;  // the SQL after the block (the whole text when there is none)
  int body_first_line = 1;
};

// InvalidArgument for a block that is opened and not closed, or that is not a YAML mapping.
absl::StatusOr<FrontMatter> ParseFrontMatter(std::string_view text);

}  // namespace tidemark::ingest
