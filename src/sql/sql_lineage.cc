// ParseSqlLineage, the JSON rendering and MapSchemaResolver (see sql_lineage.h).
#include "sql/sql_lineage.h"

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/urn.h"
#include "sql/internal/lineage_builder.h"
#include "sql/internal/parser.h"
#include "sql/tokenizer.h"

namespace tidemark::sql {
namespace {

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

void MapSchemaResolver::Add(absl::string_view table, std::vector<std::string> columns) {
  lower_[absl::AsciiStrToLower(table)] = std::string(table);
  tables_[std::string(table)] = std::move(columns);
}

std::optional<std::vector<std::string>> MapSchemaResolver::Columns(absl::string_view table) const {
  if (auto it = tables_.find(std::string(table)); it != tables_.end()) return it->second;
  if (auto it = lower_.find(absl::AsciiStrToLower(table)); it != lower_.end()) {
    return tables_.at(it->second);
  }
  return std::nullopt;
}

absl::StatusOr<MapSchemaResolver> MapSchemaResolver::FromJson(absl::string_view json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(boost::json::string_view(json.data(), json.size()), ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("schemas JSON: ", ec.message()));
  if (!v.is_object()) {
    return absl::InvalidArgumentError("schemas JSON must be an object of table -> columns");
  }
  MapSchemaResolver resolver;
  for (const auto& [key, value] : v.as_object()) {
    std::string table(key.data(), key.size());
    if (absl::StartsWith(table, "urn:li:")) {
      absl::StatusOr<common::Urn> urn = common::Urn::Parse(table);
      if (!urn.ok()) return urn.status();
      table = urn->DatasetName();
    }
    std::vector<std::string> columns;
    if (value.is_array()) {
      for (const boost::json::value& c : value.as_array()) {
        if (!c.is_string()) {
          return absl::InvalidArgumentError(
              absl::StrCat("schemas JSON: columns of '", table, "' must be strings"));
        }
        columns.emplace_back(c.as_string().c_str());
      }
    } else if (value.is_object()) {
      for (const auto& [name, type] : value.as_object()) columns.emplace_back(name);
    } else if (!value.is_null()) {
      return absl::InvalidArgumentError(
          absl::StrCat("schemas JSON: '", table, "' must map to a list of column names"));
    }
    resolver.Add(table, std::move(columns));
  }
  return resolver;
}

std::string StatementTypeName(StatementType type) {
  switch (type) {
    case StatementType::kSelect:
      return "SELECT";
    case StatementType::kInsert:
      return "INSERT";
    case StatementType::kCreateTableAsSelect:
      return "CREATE_TABLE_AS_SELECT";
    case StatementType::kCreateView:
      return "CREATE_VIEW";
    case StatementType::kCreateDdl:
      return "CREATE_DDL";
    case StatementType::kMerge:
      return "MERGE";
    case StatementType::kUpdate:
      return "UPDATE";
    case StatementType::kDelete:
      return "DELETE";
    case StatementType::kDrop:
      return "DROP";
    case StatementType::kAlter:
      return "ALTER";
    case StatementType::kTruncate:
      return "TRUNCATE";
    case StatementType::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

absl::StatusOr<SqlLineage> ParseSqlLineage(absl::string_view sql, const SqlOptions& options) {
  if (absl::Status env =
          options.env == "PROD"
              ? absl::OkStatus()
              : common::Urn::Parse(
                    absl::StrCat("urn:li:dataset:(urn:li:dataPlatform:x,y,", options.env, ")"))
                    .status();
      !env.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("bad env '", options.env, "': ", env.message()));
  }
  TokenizerLimits limits;
  limits.max_bytes = options.max_sql_bytes;
  absl::StatusOr<TokenList> tokens = Tokenize(sql, options.dialect, limits);
  if (!tokens.ok()) return tokens.status();
  Parser parser(sql, *tokens, options.dialect, options.max_depth);
  std::vector<ParsedStatement> statements = parser.ParseScript();
  SqlLineage out;
  LineageBuilder builder(options);
  absl::Status first_error;
  int parsed = 0;
  for (size_t i = 0; i < statements.size(); ++i) {
    const ParsedStatement& p = statements[i];
    if (!p.status.ok()) {
      if (first_error.ok()) first_error = p.status;
      out.errors.push_back(statements.size() > 1
                               ? absl::StrCat("statement ", i + 1, ": ", p.status.message())
                               : std::string(p.status.message()));
      continue;
    }
    if (parsed == 0) {
      out.type = p.statement.type;
      out.temporary = p.statement.temporary;
    }
    ++parsed;
    builder.AddStatement(p.statement, out);
  }
  out.statements = static_cast<int>(statements.size());
  if (parsed == 0 && !first_error.ok()) return first_error;
  SortUnique(out.in_tables);
  SortUnique(out.out_tables);
  for (ColumnLineage& cl : out.column_lineage) {
    std::sort(cl.upstreams.begin(), cl.upstreams.end());
    cl.upstreams.erase(std::unique(cl.upstreams.begin(), cl.upstreams.end()), cl.upstreams.end());
  }
  return out;
}

namespace {

boost::json::value RefJson(const ColumnRef& ref) {
  boost::json::object o;
  if (ref.table.empty()) {
    o["table"] = nullptr;
  } else {
    o["table"] = ref.table;
  }
  o["column"] = ref.column;
  return o;
}

const char* TransformName(ColumnTransform t) {
  switch (t) {
    case ColumnTransform::kIdentity:
      return "IDENTITY";
    case ColumnTransform::kAggregation:
      return "AGGREGATION";
    case ColumnTransform::kTransformation:
      return "TRANSFORMATION";
  }
  return "TRANSFORMATION";
}

}  // namespace

std::string SqlLineageToJson(const SqlLineage& lineage) {
  boost::json::object root;
  root["query_type"] = StatementTypeName(lineage.type);
  boost::json::object props;
  if (lineage.type == StatementType::kCreateView) props["kind"] = "VIEW";
  if (lineage.type == StatementType::kCreateTableAsSelect) props["kind"] = "TABLE";
  if (lineage.temporary) props["temporary"] = true;
  root["query_type_props"] = std::move(props);
  boost::json::array in;
  for (const std::string& t : lineage.in_tables) in.emplace_back(t);
  root["in_tables"] = std::move(in);
  boost::json::array out;
  for (const std::string& t : lineage.out_tables) out.emplace_back(t);
  root["out_tables"] = std::move(out);
  boost::json::array columns;
  for (const ColumnLineage& cl : lineage.column_lineage) {
    boost::json::object c;
    c["downstream"] = RefJson(cl.downstream);
    boost::json::array ups;
    for (const ColumnRef& u : cl.upstreams) ups.push_back(RefJson(u));
    c["upstreams"] = std::move(ups);
    boost::json::object logic;
    logic["is_direct_copy"] = cl.transform == ColumnTransform::kIdentity;
    logic["transform"] = TransformName(cl.transform);
    c["logic"] = std::move(logic);
    columns.push_back(std::move(c));
  }
  root["column_lineage"] = std::move(columns);
  boost::json::object debug;
  if (!lineage.errors.empty()) {
    debug["error"] = lineage.errors.front();
    boost::json::array all;
    for (const std::string& e : lineage.errors) all.emplace_back(e);
    debug["errors"] = std::move(all);
  } else {
    debug["error"] = nullptr;
  }
  root["debug_info"] = std::move(debug);
  return boost::json::serialize(root);
}

std::string SqlLineageErrorJson(absl::string_view error) {
  boost::json::object root;
  root["query_type"] = "UNKNOWN";
  root["query_type_props"] = boost::json::object();
  root["in_tables"] = boost::json::array();
  root["out_tables"] = boost::json::array();
  root["column_lineage"] = boost::json::array();
  boost::json::object debug;
  debug["error"] = std::string(error);
  root["debug_info"] = std::move(debug);
  return boost::json::serialize(root);
}

}  // namespace tidemark::sql
