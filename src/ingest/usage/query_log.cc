// Query log records → lineage and usage; see query_log.h.
#include "ingest/usage/query_log.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/openlineage/json_fields.h"
#include "ingest/openlineage/lineage_merge.h"
#include "ingest/openlineage/staged_writes.h"
#include "ingest/usage/sql_parser_adapter.h"
#include "ingest/usage/usage_update.h"

namespace tidemark::ingest {
namespace {

using common::Urn;
constexpr size_t kMaxErrors = 100;

struct Record {
  std::string sql, user, dialect, database, schema, query_id;
  int64_t time_micros = 0;
};

enum class Outcome { kParsed, kSkipped };

absl::StatusOr<Record> DecodeRecord(const json::value& value, const QueryLogOptions& options) {
  ASSIGN_OR_RETURN(const json::object* o, AsObject(value, "record"));
  Record r;
  ASSIGN_OR_RETURN(auto sql, OptString(*o, "sql", ""));
  if (!sql) {
    ASSIGN_OR_RETURN(sql, OptString(*o, "query", ""));
  }
  r.sql = sql.value_or("");
  ASSIGN_OR_RETURN(auto user, OptString(*o, "user", ""));
  if (user && user->size() > kMaxNameBytes) return absl::InvalidArgumentError("user: too long");
  r.user = user.value_or("");
  ASSIGN_OR_RETURN(auto dialect, OptString(*o, "dialect", ""));
  r.dialect = dialect.value_or(options.default_dialect);
  for (const char* key : {"default_catalog", "default_database", "default_db"}) {
    ASSIGN_OR_RETURN(auto db, OptString(*o, key, ""));
    if (db && r.database.empty()) r.database = *db;
  }
  ASSIGN_OR_RETURN(auto schema, OptString(*o, "default_schema", ""));
  r.schema = schema.value_or("");
  ASSIGN_OR_RETURN(auto id, OptString(*o, "query_id", ""));
  r.query_id = id.value_or("");
  if (const json::value* t = o->if_contains("timestamp"); t != nullptr && !t->is_null()) {
    ASSIGN_OR_RETURN(r.time_micros, JsonTimeMicros(*t, "timestamp"));
  } else {
    r.time_micros = options.clock->NowMicros();
  }
  return r;
}

absl::StatusOr<Outcome> MapRecord(const Record& r, const QueryLogOptions& options,
                                  StagedWrites& w) {
  if (r.sql.find_first_not_of(" \t\r\n;") == std::string::npos) return Outcome::kSkipped;
  if (!options.parser) return absl::FailedPreconditionError("no SQL parser configured");
  ASSIGN_OR_RETURN(StatementLineage parsed,
                   options.parser(SqlStatement{r.sql, r.dialect, "", r.database, r.schema}));
  if (parsed.inputs.empty() && parsed.outputs.empty()) {
    if (!parsed.errors.empty()) return absl::InvalidArgumentError(parsed.errors.front());
    if (IsUtilityStatement(r.sql) || parsed.statement_type == "SELECT") return Outcome::kSkipped;
    return absl::InvalidArgumentError(absl::StrCat(
        "statement not understood (", parsed.statement_type, "): ", Truncate(r.sql, 80)));
  }
  const std::string fingerprint =
      parsed.fingerprint.empty() ? FingerprintSql(r.sql, r.dialect) : parsed.fingerprint;
  const std::string run_id = r.query_id.empty() ? absl::StrCat("sql:", fingerprint) : r.query_id;
  for (const Urn& out : parsed.outputs) {
    LineageStatement st{.downstream = out};
    std::set<Urn> upstreams(parsed.inputs.begin(), parsed.inputs.end());
    upstreams.erase(out);
    st.upstreams.assign(upstreams.begin(), upstreams.end());
    for (v1::FineGrainedLineage& fg : FineGrainedLineageFor(parsed, out)) {
      fg.set_query(absl::StrCat("sql:", fingerprint));
      st.fine_grained.push_back(std::move(fg));
    }
    st.source = v1::SQL;
    st.run_id = run_id;
    st.event_micros = r.time_micros;
    RETURN_IF_ERROR(MergeUpstreamLineage(st, MergePolicy::kAddOrRefresh, w));
  }
  QueryUsage usage;
  usage.query_id = r.query_id;
  if (!r.user.empty()) {
    auto user = r.user.starts_with("urn:li:") ? Urn::Parse(r.user) : Urn::CorpUser(r.user);
    if (user.ok()) usage.user = user->ToString();
  }
  usage.time_micros = r.time_micros;
  usage.sql = r.sql;
  usage.fingerprint = fingerprint;
  std::map<Urn, std::vector<std::string>> read_columns(parsed.columns_read.begin(),
                                                       parsed.columns_read.end());
  for (const Urn& in : parsed.inputs) usage.datasets.push_back({in, read_columns[in], false});
  for (const Urn& out : parsed.outputs) usage.datasets.push_back({out, {}, true});
  RETURN_IF_ERROR(RecordUsage(usage, w));
  return Outcome::kParsed;
}

}  // namespace

QueryLogIngestor::QueryLogIngestor(catalog::CatalogService& catalog, QueryLogOptions options)
    : catalog_(catalog), options_(std::move(options)) {}

absl::StatusOr<QueryLogResult> QueryLogIngestor::IngestJson(
    std::string_view body, const catalog::WriteOrigin& origin) const {
  ASSIGN_OR_RETURN(json::value document, ParseJsonDocument(body, "query log batch"));
  const json::array* records = nullptr;
  if (document.is_array()) {
    records = &document.get_array();
  } else if (document.is_object()) {
    ASSIGN_OR_RETURN(records, OptArray(document.get_object(), "queries", ""));
  }
  if (records == nullptr) {
    return absl::InvalidArgumentError(
        "query log batch: expected {\"queries\":[...]} or an array of records");
  }
  return Ingest(*records, origin);
}

absl::StatusOr<QueryLogResult> QueryLogIngestor::Ingest(const json::array& records,
                                                        const catalog::WriteOrigin& origin) const {
  if (records.size() > options_.max_records) {
    return absl::InvalidArgumentError(
        absl::StrCat("more than ", options_.max_records, " records in one request"));
  }
  QueryLogResult result;
  StagedWrites writes(catalog_);
  for (size_t i = 0; i < records.size(); ++i) {
    StagedWrites::Checkpoint checkpoint = writes.Save();
    auto record = DecodeRecord(records[i], options_);
    absl::StatusOr<Outcome> outcome = record.ok() ? MapRecord(*record, options_, writes)
                                                  : absl::StatusOr<Outcome>(record.status());
    if (!outcome.ok()) {
      writes.Restore(std::move(checkpoint));
      ++result.failed;
      if (result.errors.size() < kMaxErrors) {
        result.errors.push_back({static_cast<int>(i), std::string(outcome.status().message())});
      }
    } else if (*outcome == Outcome::kParsed) {
      ++result.parsed;
    } else {
      ++result.skipped;
    }
  }
  ASSIGN_OR_RETURN(CommitSummary summary, writes.Commit(origin));
  result.written = summary.written;
  result.unchanged = summary.unchanged;
  return result;
}

}  // namespace tidemark::ingest
