// Folding queries into datasetUsage; see usage_update.h.
#include "ingest/usage/usage_update.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/openlineage/json_fields.h"
#include "ingest/usage/sql_parser_adapter.h"

namespace tidemark::ingest {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;
constexpr int kMaxRecentIds = 256;
constexpr int kMaxUsersPerDay = 100;
constexpr int kTopUsers = 10;
constexpr int kMaxShapes = 20;
constexpr int kMaxColumns = 500;

int64_t DayOf(int64_t micros) {
  return micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
}

void SortUsers(google::protobuf::RepeatedPtrField<v1::UsageUserCount>* users) {
  std::sort(users->begin(), users->end(), [](const auto& a, const auto& b) {
    return a.queries() != b.queries() ? a.queries() > b.queries() : a.user() < b.user();
  });
}

void CountUser(v1::UsageDay& day, const std::string& user) {
  for (auto& u : *day.mutable_users()) {
    if (u.user() == user) {
      u.set_queries(u.queries() + 1);
      SortUsers(day.mutable_users());
      return;
    }
  }
  if (day.users_size() >= kMaxUsersPerDay) return;  // counted in `queries` only
  auto* u = day.add_users();
  u->set_user(user);
  u->set_queries(1);
  SortUsers(day.mutable_users());
}

void Summarize(v1::DatasetUsage& usage) {
  int64_t queries = 0, writes = 0;
  std::map<std::string, int64_t> users;
  for (const auto& d : usage.days()) {
    queries += d.queries();
    writes += d.writes();
    for (const auto& u : d.users()) users[u.user()] += u.queries();
  }
  usage.set_queries(queries);
  usage.set_writes(writes);
  usage.set_distinct_users(static_cast<int64_t>(users.size()));
  usage.clear_top_users();
  for (const auto& [user, n] : users) {
    auto* u = usage.add_top_users();
    u->set_user(user);
    u->set_queries(n);
  }
  SortUsers(usage.mutable_top_users());
  while (usage.top_users_size() > kTopUsers) usage.mutable_top_users()->RemoveLast();
}

uint64_t QueryIdOf(const QueryUsage& q) {
  return Fnv1a64(q.query_id.empty() ? absl::StrCat(q.user, "\n", q.time_micros, "\n", q.sql)
                                    : q.query_id);
}

std::string FingerprintOf(const QueryUsage& q) {
  return q.fingerprint.empty() ? FingerprintSql(q.sql, "") : q.fingerprint;
}

// ApplyUsage with the query's id and fingerprint worked out by the caller: both read the whole SQL
// text, so RecordUsage computes them once per query rather than once per dataset it touched (a
// 10,000-way UNION ALL hashed its 400 KB of SQL 10,000 times).
bool ApplyUsageWith(const QueryUsage& q, uint64_t id, const std::string& fingerprint,
                    const DatasetAccess& access, v1::DatasetUsage& usage, int window_days) {
  for (uint64_t seen : usage.recent_query_ids()) {
    if (seen == id) return false;
  }
  usage.add_recent_query_ids(id);
  if (usage.recent_query_ids_size() > kMaxRecentIds) {
    auto* ids = usage.mutable_recent_query_ids();
    ids->erase(ids->begin(), ids->begin() + (ids->size() - kMaxRecentIds));
  }
  usage.set_window_days(window_days);
  const int64_t day = DayOf(q.time_micros);
  int64_t end_day = day;
  if (usage.days_size() > 0) end_day = std::max(end_day, usage.days(usage.days_size() - 1).day());
  const int64_t first_day = end_day - window_days + 1;
  const int64_t window_start_micros = first_day * kMicrosPerDay;

  // Day buckets (oldest first), trimmed to the window.
  auto* days = usage.mutable_days();
  days->erase(std::remove_if(days->begin(), days->end(),
                             [&](const v1::UsageDay& d) { return d.day() < first_day; }),
              days->end());
  if (day >= first_day) {
    v1::UsageDay* bucket = nullptr;
    for (auto& d : *days) {
      if (d.day() == day) bucket = &d;
    }
    if (bucket == nullptr) {
      bucket = days->Add();
      bucket->set_day(day);
      std::sort(days->begin(), days->end(),
                [](const auto& a, const auto& b) { return a.day() < b.day(); });
      for (auto& d : *days) {
        if (d.day() == day) bucket = &d;
      }
    }
    bucket->set_queries(bucket->queries() + 1);
    if (access.write) bucket->set_writes(bucket->writes() + 1);
    if (!q.user.empty()) CountUser(*bucket, q.user);
    usage.set_last_queried_micros(std::max(usage.last_queried_micros(), q.time_micros));

    // Query shapes.
    v1::UsageQueryShape* shape = nullptr;
    for (auto& s : *usage.mutable_top_queries()) {
      if (s.fingerprint() == fingerprint) shape = &s;
    }
    if (shape == nullptr) {
      shape = usage.add_top_queries();
      shape->set_fingerprint(fingerprint);
      shape->set_example(Truncate(q.sql, 2000));
    }
    shape->set_queries(shape->queries() + 1);
    shape->set_last_seen_micros(std::max(shape->last_seen_micros(), q.time_micros));

    // Columns.
    std::set<std::string> columns(access.columns.begin(), access.columns.end());
    for (const std::string& column : columns) {
      v1::ColumnUsage* c = nullptr;
      for (auto& existing : *usage.mutable_columns()) {
        if (existing.field_path() == column) c = &existing;
      }
      if (c == nullptr) {
        if (usage.columns_size() >= kMaxColumns) continue;
        c = usage.add_columns();
        c->set_field_path(column);
      }
      c->set_last_queried_micros(std::max(c->last_queried_micros(), q.time_micros));
      v1::UsageColumnDay* cd = nullptr;
      for (auto& d : *c->mutable_days()) {
        if (d.day() == day) cd = &d;
      }
      if (cd == nullptr) {
        cd = c->add_days();
        cd->set_day(day);
      }
      cd->set_queries(cd->queries() + 1);
    }
  }
  // Windows of the shapes and columns, and the summaries.
  auto* shapes = usage.mutable_top_queries();
  shapes->erase(std::remove_if(shapes->begin(), shapes->end(),
                               [&](const v1::UsageQueryShape& s) {
                                 return s.last_seen_micros() < window_start_micros;
                               }),
                shapes->end());
  std::sort(shapes->begin(), shapes->end(), [](const auto& a, const auto& b) {
    return a.queries() != b.queries() ? a.queries() > b.queries()
                                      : a.fingerprint() < b.fingerprint();
  });
  while (shapes->size() > kMaxShapes) shapes->RemoveLast();
  for (auto& c : *usage.mutable_columns()) {
    auto* cdays = c.mutable_days();
    cdays->erase(std::remove_if(cdays->begin(), cdays->end(),
                                [&](const v1::UsageColumnDay& d) { return d.day() < first_day; }),
                 cdays->end());
    std::sort(cdays->begin(), cdays->end(),
              [](const auto& a, const auto& b) { return a.day() < b.day(); });
    int64_t n = 0;
    for (const auto& d : *cdays) n += d.queries();
    c.set_queries(n);
  }
  auto* cols = usage.mutable_columns();
  cols->erase(std::remove_if(cols->begin(), cols->end(),
                             [](const v1::ColumnUsage& c) { return c.queries() == 0; }),
              cols->end());
  std::sort(cols->begin(), cols->end(), [](const auto& a, const auto& b) {
    return a.queries() != b.queries() ? a.queries() > b.queries() : a.field_path() < b.field_path();
  });
  Summarize(usage);
  return true;
}

}  // namespace

bool ApplyUsage(const QueryUsage& query, const DatasetAccess& access, v1::DatasetUsage& usage,
                int window_days) {
  return ApplyUsageWith(query, QueryIdOf(query), FingerprintOf(query), access, usage, window_days);
}

absl::Status RecordUsage(const QueryUsage& query, StagedWrites& writes) {
  const uint64_t id = QueryIdOf(query);
  const std::string fingerprint = FingerprintOf(query);
  std::map<common::Urn, DatasetAccess> merged;  // one update per dataset
  for (const auto& a : query.datasets) {
    auto [it, inserted] = merged.try_emplace(a.dataset, a);
    if (!inserted) {
      it->second.columns.insert(it->second.columns.end(), a.columns.begin(), a.columns.end());
      it->second.write |= a.write;
    }
  }
  for (const auto& [urn, access] : merged) {
    ASSIGN_OR_RETURN(auto prev, writes.GetAs<v1::DatasetUsage>(urn, "datasetUsage"));
    auto usage = std::make_unique<v1::DatasetUsage>();
    if (prev) *usage = *prev;
    if (!ApplyUsageWith(query, id, fingerprint, access, *usage, kUsageWindowDays)) continue;
    RETURN_IF_ERROR(writes.Put(urn, "datasetUsage", std::move(usage)));
  }
  return absl::OkStatus();
}

}  // namespace tidemark::ingest
