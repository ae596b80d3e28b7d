// Starburst event-logger history rows → usage; see starburst_history.h.
#include "ingest/trino/starburst_history.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "common/time.h"
#include "ingest/openlineage/json_fields.h"
#include "ingest/openlineage/staged_writes.h"
#include "ingest/trino/trino_tables.h"
#include "ingest/usage/sql_parser_adapter.h"
#include "ingest/usage/usage_update.h"

namespace tidemark::ingest {
namespace {

using common::Urn;
constexpr size_t kMaxIssues = 100;

using common::Trim;

bool ParseWith(const char* format, std::string_view text, int64_t* micros) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(format, absl::string_view(text.data(), text.size()), &t, &error)) {
    return false;
  }
  *micros = absl::ToUnixMicros(t);
  return true;
}

// The time of a row: end_time, else create_time; nullopt when it has neither.
absl::StatusOr<std::optional<int64_t>> RowTime(const json::object& row) {
  for (const char* key : {"end_time", "create_time"}) {
    const json::value* v = row.if_contains(key);
    if (v == nullptr || v->is_null() || (v->is_string() && Trim(v->get_string()).empty())) {
      continue;
    }
    if (!v->is_string()) {
      ASSIGN_OR_RETURN(int64_t micros, JsonTimeMicros(*v, key));
      return micros;
    }
    auto micros = ParseStarburstTime(std::string_view(v->get_string()));
    if (!micros.ok())
      return absl::InvalidArgumentError(absl::StrCat(key, ": ", micros.status().message()));
    return *micros;
  }
  return std::nullopt;
}

// The decoded accessed_metadata array; nullopt when absent, null or empty (→ the SQL fallback).
absl::StatusOr<std::optional<json::array>> AccessedMetadata(const json::object& row) {
  const json::value* v = row.if_contains("accessed_metadata");
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_array()) return v->get_array();
  if (!v->is_string()) {
    return absl::InvalidArgumentError("accessed_metadata: expected a JSON-encoded array of inputs");
  }
  const std::string_view text = Trim(std::string_view(v->get_string()));
  if (text.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(json::value decoded, common::ParseJson(text, "accessed_metadata"));
  if (decoded.is_null()) return std::nullopt;
  if (!decoded.is_array()) {
    return absl::InvalidArgumentError("accessed_metadata: expected a JSON array of inputs");
  }
  return std::move(decoded.get_array());
}

absl::Status AddInputs(const json::array& inputs, QueryUsage& usage) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string path = absl::StrCat("accessed_metadata[", i, "]");
    ASSIGN_OR_RETURN(const json::object* in, common::AsObject(inputs[i], path));
    const char* catalog_key = in->contains("catalogName") ? "catalogName" : "catalog";
    ASSIGN_OR_RETURN(Urn table, TrinoTableUrn(*in, catalog_key, path));
    ASSIGN_OR_RETURN(const json::array* columns, common::OptionalArray(*in, "columns", path));
    DatasetAccess access{table, {}, false};
    for (size_t c = 0; columns != nullptr && c < columns->size(); ++c) {
      ASSIGN_OR_RETURN(std::string name,
                       TrinoColumnName((*columns)[c], absl::StrCat(path, ".columns[", c, "]")));
      access.columns.push_back(std::move(name));
    }
    usage.datasets.push_back(std::move(access));
  }
  return absl::OkStatus();
}

absl::Status AddParsedTables(const json::object& row, const SqlLineageParser& parser,
                             QueryUsage& usage) {
  if (!parser)
    return absl::FailedPreconditionError(
        "accessed_metadata is null and no SQL parser is configured");
  ASSIGN_OR_RETURN(auto catalog, common::OptionalString(row, "catalog", ""));
  ASSIGN_OR_RETURN(auto schema, common::OptionalString(row, "schema", ""));
  auto parsed =
      parser(SqlStatement{usage.sql, "trino", "", catalog.value_or(""), schema.value_or("")});
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("query (accessed_metadata is null): ", parsed.status().message()));
  }
  if (parsed->inputs.empty() && parsed->outputs.empty()) {
    // As the query-log path judges it: session statements and table-less SELECTs read no table.
    if (parsed->errors.empty() &&
        (IsUtilityStatement(usage.sql) || parsed->statement_type == "SELECT")) {
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(
        absl::StrCat("query (accessed_metadata is null): ",
                     parsed->errors.empty()
                         ? absl::StrCat("statement not understood (", parsed->statement_type, ")")
                         : parsed->errors.front()));
  }
  if (!parsed->fingerprint.empty()) usage.fingerprint = parsed->fingerprint;
  std::map<Urn, std::vector<std::string>> read_columns(parsed->columns_read.begin(),
                                                       parsed->columns_read.end());
  for (const Urn& in : parsed->inputs) usage.datasets.push_back({in, read_columns[in], false});
  for (const Urn& out : parsed->outputs) usage.datasets.push_back({out, {}, true});
  return absl::OkStatus();
}

enum class Outcome { kRecorded, kFromSql, kSkipped };

struct RowResult {
  Outcome outcome = Outcome::kSkipped;
  std::string skip_reason;
};

absl::StatusOr<RowResult> MapRow(const json::value& value, const StarburstHistoryOptions& options,
                                 StagedWrites& writes) {
  ASSIGN_OR_RETURN(const json::object* row, common::AsObject(value, "row"));
  ASSIGN_OR_RETURN(std::optional<int64_t> time, RowTime(*row));
  if (!time) {
    return RowResult{Outcome::kSkipped,
                     "no end_time or create_time: the time of the query is unknown"};
  }
  QueryUsage usage;
  usage.time_micros = *time;
  ASSIGN_OR_RETURN(auto user, common::OptionalString(*row, "usr", ""));
  if (user && user->size() > kMaxNameBytes) return absl::InvalidArgumentError("usr: too long");
  if (user && !user->empty()) usage.user = Urn::CorpUser(*user).ToString();
  ASSIGN_OR_RETURN(auto query_id, common::OptionalString(*row, "query_id", ""));
  if (query_id && !query_id->empty()) usage.query_id = absl::StrCat("trino:", *query_id);
  ASSIGN_OR_RETURN(auto sql, common::OptionalString(*row, "query", ""));
  usage.sql = sql.value_or("");
  usage.fingerprint = FingerprintSql(usage.sql, "trino");

  ASSIGN_OR_RETURN(std::optional<json::array> inputs, AccessedMetadata(*row));
  Outcome outcome = Outcome::kRecorded;
  if (inputs) {
    RETURN_IF_ERROR(AddInputs(*inputs, usage));
  } else {
    if (Trim(usage.sql).empty()) {
      return RowResult{Outcome::kSkipped, "accessed_metadata is null and there is no query text"};
    }
    RETURN_IF_ERROR(AddParsedTables(*row, options.parser, usage));
    outcome = Outcome::kFromSql;
  }
  if (usage.datasets.empty()) return RowResult{Outcome::kSkipped, "the query read no table"};
  RETURN_IF_ERROR(RecordUsage(usage, writes));
  return RowResult{outcome, ""};
}

}  // namespace

absl::StatusOr<int64_t> ParseStarburstTime(std::string_view text) {
  std::string_view t = Trim(text);
  int64_t micros = 0;
  if (t.ends_with("UTC")) {
    const std::string_view bare = Trim(t.substr(0, t.size() - 3));
    if (ParseWith("%Y-%m-%d %H:%M:%E*S", bare, &micros) ||
        ParseWith("%Y-%m-%dT%H:%M:%E*S", bare, &micros)) {
      return micros;
    }
  } else if (ParseWith("%Y-%m-%d %H:%M:%E*S%Ez", t, &micros) ||
             ParseWith("%Y-%m-%d %H:%M:%E*S %Ez", t, &micros) ||
             ParseWith("%Y-%m-%d %H:%M:%E*S", t, &micros)) {
    return micros;
  } else if (auto rfc3339 = common::ParseRfc3339Micros(t, common::ZoneRule::kUtcWhenMissing);
             rfc3339.ok()) {
    return *rfc3339;
  }
  return absl::InvalidArgumentError(absl::StrCat("'", Truncate(text, 64),
                                                 "' is not a time such as "
                                                 "2021-10-14 09:40:53.108000 UTC"));
}

StarburstHistoryIngestor::StarburstHistoryIngestor(catalog::CatalogService& catalog,
                                                   StarburstHistoryOptions options)
    : catalog_(catalog), options_(std::move(options)) {}

absl::StatusOr<StarburstHistoryResult> StarburstHistoryIngestor::IngestJson(
    std::string_view body, const catalog::WriteOrigin& origin, int64_t index_offset) const {
  ASSIGN_OR_RETURN(json::value document, common::ParseJson(body, "Starburst query history"));
  const json::array* rows = nullptr;
  if (document.is_array()) {
    rows = &document.get_array();
  } else if (document.is_object()) {
    ASSIGN_OR_RETURN(rows, common::OptionalArray(document.get_object(), "rows", ""));
  }
  if (rows == nullptr) {
    return absl::InvalidArgumentError(
        "Starburst query history: expected a JSON array of rows or {\"rows\":[...]}");
  }
  if (rows->size() > options_.max_rows) {
    return absl::InvalidArgumentError(
        absl::StrCat("more than ", options_.max_rows, " rows in one request"));
  }
  StarburstHistoryResult result;
  StagedWrites writes(catalog_);
  for (size_t i = 0; i < rows->size(); ++i) {
    ++result.rows;
    const int64_t index = index_offset + static_cast<int64_t>(i);
    StagedWrites::Checkpoint checkpoint = writes.Save();
    absl::StatusOr<RowResult> row = MapRow((*rows)[i], options_, writes);
    if (!row.ok()) {
      writes.Restore(std::move(checkpoint));
      ++result.failed;
      if (result.errors.size() < kMaxIssues) {
        result.errors.push_back({index, std::string(row.status().message())});
      }
      continue;
    }
    switch (row->outcome) {
      case Outcome::kFromSql:
        ++result.from_sql;
        [[fallthrough]];
      case Outcome::kRecorded:
        ++result.recorded;
        break;
      case Outcome::kSkipped:
        ++result.skipped;
        if (result.skipped_rows.size() < kMaxIssues) {
          result.skipped_rows.push_back({index, std::move(row->skip_reason)});
        }
        break;
    }
  }
  ASSIGN_OR_RETURN(CommitSummary summary, writes.Commit(origin));
  result.written = summary.written;
  result.unchanged = summary.unchanged;
  return result;
}

}  // namespace tidemark::ingest
