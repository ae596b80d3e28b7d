// `tidemark ingest repo`; see cli_ingest_repo.h.
#include "cli_ingest_repo.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <iostream>
#include <optional>

#include "ingest/repo/git_reader.h"
#include "ingest/repo/repo_ingest.h"
#include "server/http_client.h"

namespace tidemark::tools {
namespace {

namespace json = boost::json;

constexpr size_t kMaxWritesPerBatch = 10000;
constexpr size_t kMaxBatchBytes = 8 << 20;

std::string Field(const json::value& v, const char* key) {
  const json::object* o = v.if_object();
  const json::value* f = o ? o->if_contains(key) : nullptr;
  if (f == nullptr) return "";
  return f->is_string() ? std::string(f->as_string()) : json::serialize(*f);
}

// JSON calls to the server; failures are printed and yield nullopt.
class Api {
 public:
  explicit Api(server::HttpClient& client) : client_(client) {}

  // The parsed body of a 2xx answer; `missing_ok` turns 404 into an empty object.
  std::optional<json::value> Call(const std::string& method, const std::string& path,
                                  const std::string& body = "", bool missing_ok = false) {
    auto r = client_.Request(method, path, body);
    if (!r.ok()) {
      std::cerr << "\ntidemark: " << r.status().message() << "\n";
      return std::nullopt;
    }
    if (missing_ok && r->status == 404) return json::value(nullptr);
    if (r->status >= 400) {
      std::cerr << "\ntidemark: HTTP " << r->status << " from " << method << " " << path << ": "
                << r->body << "\n";
      return std::nullopt;
    }
    json::error_code ec;
    json::value v = json::parse(r->body, ec);
    if (ec) {
      std::cerr << "\ntidemark: " << path << " answered with something that is not JSON\n";
      return std::nullopt;
    }
    return v;
  }

 private:
  server::HttpClient& client_;
};

struct SentRun {
  std::string id;
  bool failed = false;
  json::value done;
};

// Opens a run, sends the mapping in batches (progress on a terminal) and finishes it.
std::optional<SentRun> SendRun(Api& api, const std::string& target, const ingest::Mapping& m) {
  json::object open{{"source", "repo"}, {"target", target}};
  auto run = api.Call("POST", "/api/v1/ingest/runs", json::serialize(open));
  if (!run) return std::nullopt;
  SentRun sent;
  sent.id = Field(*run, "id");
  const std::string base = "/api/v1/ingest/runs/" + server::PercentEncodePathSegment(sent.id);
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::vector<std::string> bodies =
      ingest::BatchBodies(m.aspects, kMaxWritesPerBatch, kMaxBatchBytes);
  for (size_t i = 0; i < bodies.size(); ++i) {
    auto after = api.Call("POST", base + "/writes", bodies[i]);
    if (!after) {
      sent.failed = true;
      break;
    }
    if (tty) {
      std::cerr << "\r[repo] batch " << (i + 1) << "/" << bodies.size() << ": "
                << Field(after->at("counts"), "aspectsWritten") << " written, "
                << Field(after->at("counts"), "aspectsUnchanged") << " unchanged" << std::flush;
    }
  }
  if (tty && !bodies.empty()) std::cerr << "\n";
  json::array errors;
  for (const auto& e : m.errors) {
    errors.push_back(json::object{{"path", e.path()}, {"message", e.message()}});
  }
  json::object props;
  for (const auto& [k, v] : m.properties) props[k] = v;
  json::object finish{
      {"errors", std::move(errors)}, {"failed", sent.failed}, {"properties", std::move(props)}};
  auto done = api.Call("POST", base + "/finish", json::serialize(finish));
  if (!done) return std::nullopt;
  sent.done = std::move(*done);
  return sent;
}

void PrintSummary(const SentRun& run, const std::string& target, const ingest::RepoIngestPlan& plan,
                  std::ostream& out) {
  const json::value counts =
      run.done.as_object().contains("counts") ? run.done.at("counts") : json::object();
  auto n = [&](const char* key) {
    std::string s = Field(counts, key);
    return s.empty() ? std::string("0") : s;
  };
  out << "run " << run.id << " (repo " << target << "): " << Field(run.done, "state") << "\n  "
      << (plan.incremental ? "incremental" : "full") << ": files mapped " << plan.files_mapped
      << ", deleted " << plan.files_deleted << "\n  entities written " << n("entitiesWritten")
      << " of " << n("entitiesSeen") << ", aspects written " << n("aspectsWritten")
      << ", unchanged " << n("aspectsUnchanged") << ", rejected " << n("aspectsRejected")
      << "\n  lineage edges written " << n("edgesWritten") << ", unchanged " << n("edgesUnchanged")
      << "\n";
  if (const json::value* errs = run.done.as_object().if_contains("errors");
      errs && errs->is_array()) {
    out << "  errors (" << Field(run.done, "errorCount") << "):\n";
    for (const json::value& e : errs->as_array()) {
      out << "    " << Field(e, "path") << ": " << Field(e, "message") << "\n";
    }
  }
}

}  // namespace

int IngestRepo(const RepoIngestArgs& args, const std::string& server_url, std::ostream& out) {
  auto snapshot = ingest::ReadRepoTree(args.path, args.rev, ingest::IsRepoIngestPath);
  if (!snapshot.ok()) {
    std::cerr << "tidemark: " << snapshot.status().message() << "\n";
    return 2;
  }
  auto client = server::HttpClient::Connect(server_url);
  if (!client.ok()) {
    std::cerr << "tidemark: " << client.status().message() << "\n";
    return 1;
  }
  (*client)->SetDefaultHeader("X-Tidemark-User", "cli");
  (*client)->SetDefaultHeader("X-Tidemark-Source", "repo");
  Api api(**client);

  const std::string key = ingest::RepoCursorKey(*snapshot);
  const std::string cursor_path = "/api/v1/ingest/cursors/" + server::PercentEncodePathSegment(key);
  auto cursor = api.Call("GET", cursor_path, "", /*missing_ok=*/true);
  if (!cursor) return 1;
  std::optional<ingest::RepoPrevious> previous;
  if (cursor->is_object() && !Field(*cursor, "revision").empty()) {
    auto state = ingest::RepoStateFromJson(Field(*cursor, "stateJson"));
    if (!state.ok()) {
      std::cerr << "tidemark: cursor " << key << ": " << state.status().message()
                << "; ingesting every file\n";
      state = ingest::RepoState{};
    }
    previous = ingest::RepoPrevious{Field(*cursor, "revision"), std::move(*state)};
    // --full: keep the file list (to retract deleted files) but not the "nothing changed" shortcut.
    if (args.full) previous->revision.clear();
  }
  std::optional<std::vector<ingest::ChangedPath>> changes;
  if (previous && !args.full && previous->revision != snapshot->commit) {
    auto diff = ingest::DiffRevisions(args.path, previous->revision, snapshot->commit);
    if (diff.ok()) {
      changes = std::move(*diff);
    } else if (diff.status().code() == absl::StatusCode::kNotFound) {
      std::cerr << "tidemark: last ingested revision " << previous->revision
                << " is not in the repository; ingesting every file\n";
    } else {
      std::cerr << "tidemark: " << diff.status().message() << "\n";
      return 1;
    }
  }

  bool read_failed = false;
  ingest::CurrentAspectFn current =
      [&](const std::string& urn,
          const std::string& aspect) -> absl::StatusOr<std::optional<std::string>> {
    auto v = api.Call(
        "GET", "/api/v1/entities/" + server::PercentEncodePathSegment(urn) + "/aspects/" + aspect,
        "", /*missing_ok=*/true);
    if (!v) {
      read_failed = true;
      return absl::UnavailableError("cannot read " + aspect + " of " + urn);
    }
    const json::object* o = v->if_object();
    const json::value* value = o ? o->if_contains("value") : nullptr;
    if (value == nullptr) return std::optional<std::string>();
    return std::optional<std::string>(json::serialize(*value));
  };
  ingest::RepoMapOptions options{.platform = args.platform,
                                 .default_db = args.default_db,
                                 .default_schema = args.default_schema,
                                 .env = args.env};
  auto plan =
      ingest::PlanRepoIngest(*snapshot, previous, changes ? &*changes : nullptr, options, current);
  if (!plan.ok()) {
    std::cerr << "tidemark: " << plan.status().message() << "\n";
    return read_failed ? 1 : 2;
  }
  const std::string target = ingest::RepositoryOf(*snapshot) + "@" + snapshot->commit;
  auto run = SendRun(api, target, plan->mapping);
  if (!run) return 1;
  PrintSummary(*run, target, *plan, out);
  if (run->failed) return 1;
  json::object next{{"revision", snapshot->commit},
                    {"stateJson", ingest::RepoStateToJson(plan->next_state)},
                    {"runId", run->id}};
  if (!api.Call("PUT", cursor_path, json::serialize(next))) return 1;
  return 0;
}

void AddRepoIngestCommands(CommandTable& table) {
  CLI::App* ingest = table.Group("ingest", "Ingest metadata");
  static RepoIngestArgs args;
  CLI::App* repo = ingest->add_subcommand(
      "repo", "Ingest SQL pipelines (DDL, CTAS, INSERT ... SELECT, views) from a git revision");
  repo->add_option("path", args.path, "Repository (any folder inside it)")->required();
  repo->add_option("--rev", args.rev, "Revision to read (default HEAD; never the working tree)");
  repo->add_option("--platform", args.platform, "SQL dialect and dataset platform (trino)");
  repo->add_option("--default-db", args.default_db, "Database of unqualified tables");
  repo->add_option("--default-schema", args.default_schema, "Schema of unqualified tables");
  repo->add_option("--env", args.env, "Dataset environment (PROD)");
  repo->add_flag("--full", args.full, "Map every file, not only those changed since the last run");
  table.AddServerOption(repo);
  table.OnRun(repo, [&table] { return IngestRepo(args, table.server_url(), std::cout); });
}

}  // namespace tidemark::tools
