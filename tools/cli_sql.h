// `tidemark sql ...`: local SQL tools (no server).
//   tidemark sql lineage --dialect D [--default-db DB] [--default-schema S] [--schemas FILE.json]
//                        [--platform-instance I] [--env E] < query.sql
// prints the lineage of the SQL on stdin as JSON in DataHub's SqlParsingResult shape (see
// sql/sql_lineage.h). FILE maps fully qualified table names to their ordered columns:
// {"lake.billing.accounts": ["account_id", "email"]}. Exit code 0 with lineage, 1 when the SQL
// could not be read (the JSON then carries debug_info.error), 2 on bad arguments.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "cli.h"

namespace tidemark::tools {

void AddSqlCommands(CommandTable& table);

struct SqlLineageArgs {
  std::string dialect = "trino";
  std::string default_db;
  std::string default_schema;
  std::string schemas_file;
  std::string platform_instance;
  std::string env = "PROD";
};
// Reads SQL from `in`, writes JSON to `out` and problems to `err`; returns the exit code.
int SqlLineageCommand(const SqlLineageArgs& args, std::istream& in, std::ostream& out,
                      std::ostream& err);

}  // namespace tidemark::tools
