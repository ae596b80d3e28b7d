// Trino QueryCompletedEvent → lineage and usage; see trino_event.h.
#include "ingest/trino/trino_event.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "ingest/openlineage/json_fields.h"
#include "ingest/openlineage/lineage_merge.h"
#include "ingest/openlineage/openlineage_event.h"
#include "ingest/openlineage/staged_writes.h"
#include "ingest/trino/trino_tables.h"
#include "ingest/usage/sql_parser_adapter.h"
#include "ingest/usage/usage_update.h"

namespace tidemark::ingest {
namespace {

using common::Urn;

std::string P(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : absl::StrCat(path, ".", std::string(key));
}

struct Mapped {
  bool failed = false;
};

absl::StatusOr<Mapped> MapEvent(const json::value& value, const std::string& path,
                                StagedWrites& w) {
  ASSIGN_OR_RETURN(const json::object* event,
                   common::AsObject(value, path.empty() ? "event" : path));
  ASSIGN_OR_RETURN(const json::object* metadata, common::OptionalObject(*event, "metadata", path));
  ASSIGN_OR_RETURN(const json::object* context, common::OptionalObject(*event, "context", path));
  if (metadata == nullptr)
    return absl::InvalidArgumentError(absl::StrCat(P(path, "metadata"), ": required"));
  if (context == nullptr)
    return absl::InvalidArgumentError(absl::StrCat(P(path, "context"), ": required"));
  const std::string mp = P(path, "metadata");
  ASSIGN_OR_RETURN(std::string query_id, ReqString(*metadata, "queryId", mp));
  ASSIGN_OR_RETURN(auto query, common::OptionalString(*metadata, "query", mp));
  ASSIGN_OR_RETURN(auto state, common::OptionalString(*metadata, "queryState", mp));
  ASSIGN_OR_RETURN(std::string user, ReqString(*context, "user", P(path, "context")));
  int64_t time = 0;
  for (const char* key : {"endTime", "executionStartTime", "createTime"}) {
    const json::value* t = event->if_contains(key);
    if (t == nullptr || t->is_null()) continue;
    ASSIGN_OR_RETURN(time, JsonTimeMicros(*t, P(path, key)));
    break;
  }
  if (time == 0) return absl::InvalidArgumentError(absl::StrCat(P(path, "endTime"), ": required"));
  const json::value* failure = event->if_contains("failureInfo");
  Mapped mapped;
  mapped.failed = (failure != nullptr && !failure->is_null()) || state.value_or("") == "FAILED";

  QueryUsage usage;
  usage.query_id = absl::StrCat("trino:", query_id);
  usage.user = Urn::CorpUser(user).ToString();
  usage.time_micros = time;
  usage.sql = query.value_or("");
  usage.fingerprint = FingerprintSql(usage.sql, "trino");

  ASSIGN_OR_RETURN(const json::object* io, common::OptionalObject(*event, "ioMetadata", path));
  std::set<Urn> inputs;
  if (io != nullptr) {
    const std::string ip = P(path, "ioMetadata");
    ASSIGN_OR_RETURN(const json::array* list, common::OptionalArray(*io, "inputs", ip));
    for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
      const std::string p = absl::StrCat(ip, ".inputs[", i, "]");
      ASSIGN_OR_RETURN(const json::object* in, common::AsObject((*list)[i], p));
      ASSIGN_OR_RETURN(Urn table, TrinoTableUrn(*in, "catalogName", p));
      ASSIGN_OR_RETURN(const json::array* columns, common::OptionalArray(*in, "columns", p));
      DatasetAccess access{table, {}, false};
      for (size_t c = 0; columns != nullptr && c < columns->size(); ++c) {
        ASSIGN_OR_RETURN(std::string name,
                         TrinoColumnName((*columns)[c], absl::StrCat(p, ".columns[", c, "]")));
        access.columns.push_back(std::move(name));
      }
      inputs.insert(table);
      usage.datasets.push_back(std::move(access));
    }
    ASSIGN_OR_RETURN(const json::object* output, common::OptionalObject(*io, "output", ip));
    if (output != nullptr) {
      const std::string op = P(ip, "output");
      ASSIGN_OR_RETURN(Urn table, TrinoTableUrn(*output, "catalogName", op));
      ASSIGN_OR_RETURN(const json::array* columns, common::OptionalArray(*output, "columns", op));
      LineageStatement st{.downstream = table};
      std::set<Urn> upstreams = inputs;
      DatasetAccess access{table, {}, true};
      for (size_t c = 0; columns != nullptr && c < columns->size(); ++c) {
        const std::string cp = absl::StrCat(op, ".columns[", c, "]");
        ASSIGN_OR_RETURN(std::string name, TrinoColumnName((*columns)[c], cp));
        access.columns.push_back(name);
        if (!(*columns)[c].is_object()) continue;
        ASSIGN_OR_RETURN(const json::array* sources,
                         common::OptionalArray((*columns)[c].get_object(), "sourceColumns", cp));
        if (sources == nullptr || sources->empty()) continue;
        v1::FineGrainedLineage fg;
        for (size_t s = 0; s < sources->size(); ++s) {
          const std::string sp = absl::StrCat(cp, ".sourceColumns[", s, "]");
          ASSIGN_OR_RETURN(const json::object* src, common::AsObject((*sources)[s], sp));
          ASSIGN_OR_RETURN(Urn from, TrinoTableUrn(*src, "catalog", sp));
          ASSIGN_OR_RETURN(std::string column, ReqString(*src, "columnName", sp));
          fg.add_upstreams(Urn::SchemaField(from, column).ToString());
          upstreams.insert(from);
        }
        fg.add_downstreams(Urn::SchemaField(table, name).ToString());
        fg.set_query(usage.query_id);
        st.fine_grained.push_back(std::move(fg));
      }
      upstreams.erase(table);
      st.upstreams.assign(upstreams.begin(), upstreams.end());
      st.source = v1::TRINO;
      st.run_id = query_id;
      st.event_micros = time;
      if (!mapped.failed) RETURN_IF_ERROR(MergeUpstreamLineage(st, MergePolicy::kAddOrRefresh, w));
      usage.datasets.push_back(std::move(access));
    }
  }
  RETURN_IF_ERROR(RecordUsage(usage, w));
  return mapped;
}

}  // namespace

TrinoEventIngestor::TrinoEventIngestor(catalog::CatalogService& catalog, TrinoIngestOptions options)
    : catalog_(catalog), options_(options) {}

absl::StatusOr<TrinoIngestResult> TrinoEventIngestor::IngestJson(
    std::string_view body, const catalog::WriteOrigin& origin) const {
  ASSIGN_OR_RETURN(json::value document, common::ParseJson(body, "Trino query event"));
  ASSIGN_OR_RETURN(auto events, EventsOfDocument(document, options_.max_events));
  TrinoIngestResult result;
  StagedWrites writes(catalog_);
  for (const auto& [event, path] : events) {
    ASSIGN_OR_RETURN(Mapped mapped, MapEvent(*event, path, writes));
    ++result.events;
    if (mapped.failed) ++result.failed_queries;
  }
  ASSIGN_OR_RETURN(CommitSummary summary, writes.Commit(origin));
  result.written = summary.written;
  result.unchanged = summary.unchanged;
  return result;
}

}  // namespace tidemark::ingest
