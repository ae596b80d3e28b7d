// `tidemark sql` commands; see cli_sql.h.
#include "cli_sql.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli_files.h"
#include "sql/sql_lineage.h"

namespace tidemark::tools {

int SqlLineageCommand(const SqlLineageArgs& args, std::istream& in, std::ostream& out,
                      std::ostream& err) {
  namespace sql = tidemark::sql;
  absl::StatusOr<sql::Dialect> dialect = sql::ParseDialect(args.dialect);
  if (!dialect.ok()) {
    err << "tidemark: " << dialect.status().message() << "\n";
    return 2;
  }
  sql::SqlOptions options;
  options.dialect = *dialect;
  options.default_db = args.default_db;
  options.default_schema = args.default_schema;
  options.platform_instance = args.platform_instance;
  options.env = args.env;
  std::unique_ptr<sql::MapSchemaResolver> schemas;
  if (!args.schemas_file.empty()) {
    std::optional<std::string> text = ReadInputFile(args.schemas_file, err);
    if (!text) return 2;
    absl::StatusOr<sql::MapSchemaResolver> parsed = sql::MapSchemaResolver::FromJson(*text);
    if (!parsed.ok()) {
      err << "tidemark: " << args.schemas_file << ": " << parsed.status().message() << "\n";
      return 2;
    }
    schemas = std::make_unique<sql::MapSchemaResolver>(std::move(*parsed));
    options.schemas = schemas.get();
  }
  // Bounded read: one byte over the limit is enough for the parser to refuse the input.
  std::string text;
  char buffer[1 << 16];
  while (text.size() <= options.max_sql_bytes && in.read(buffer, sizeof(buffer)).gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
  }
  absl::StatusOr<sql::SqlLineage> lineage = sql::ParseSqlLineage(text, options);
  if (!lineage.ok()) {
    out << sql::SqlLineageErrorJson(lineage.status().message()) << "\n";
    err << "tidemark: " << lineage.status().message() << "\n";
    return 1;
  }
  out << sql::SqlLineageToJson(*lineage) << "\n";
  return 0;
}

void AddSqlCommands(CommandTable& table) {
  CLI::App* sql = table.Group("sql", "SQL tools");
  auto args = std::make_shared<SqlLineageArgs>();
  CLI::App* lineage =
      sql->add_subcommand("lineage", "Table and column lineage of the SQL on stdin, as JSON");
  lineage
      ->add_option("--dialect", args->dialect,
                   "trino, postgres, snowflake, bigquery, hive, spark, mysql, redshift, sqlite, "
                   "oracle, teradata, mssql")
      ->required();
  lineage->add_option("--default-db", args->default_db, "Database (catalog) for unqualified names");
  lineage->add_option("--default-schema", args->default_schema, "Schema for unqualified names");
  lineage->add_option("--schemas", args->schemas_file,
                      "JSON file: fully qualified table name -> ordered column names");
  lineage->add_option("--platform-instance", args->platform_instance,
                      "Prefix for every table name in URNs");
  lineage->add_option("--env", args->env, "Dataset URN environment (default PROD)");
  table.OnRun(lineage, [args] { return SqlLineageCommand(*args, std::cin, std::cout, std::cerr); });
}

}  // namespace tidemark::tools
