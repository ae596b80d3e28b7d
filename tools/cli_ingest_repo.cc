// `tidemark ingest repo`; see cli_ingest_repo.h.
#include "cli_ingest_repo.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <iostream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "ingest/repo/git_reader.h"
#include "ingest/repo/repo_ingest.h"
#include "ingest_run_client.h"
#include "server/http_client.h"

namespace tidemark::tools {

namespace json = boost::json;

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
  ServerApi api(**client);

  const std::string key = ingest::RepoCursorKey(*snapshot);
  const std::string cursor_path = "/api/v1/ingest/cursors/" + server::PercentEncodePathSegment(key);
  auto cursor = api.Call("GET", cursor_path, "", /*missing_ok=*/true);
  if (!cursor) return 1;
  std::optional<ingest::RepoPrevious> previous;
  if (cursor->is_object() && !JsonField(*cursor, "revision").empty()) {
    auto state = ingest::RepoStateFromJson(JsonField(*cursor, "stateJson"));
    if (!state.ok()) {
      std::cerr << "tidemark: cursor " << key << ": " << state.status().message()
                << "; ingesting every file\n";
      state = ingest::RepoState{};
    }
    previous = ingest::RepoPrevious{JsonField(*cursor, "revision"), std::move(*state)};
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
  auto run = SendRun(api, "repo", target, plan->mapping);
  if (!run) return 1;
  PrintRunSummary(*run, "repo", target,
                  absl::StrCat(plan->incremental ? "incremental" : "full", ": files mapped ",
                               plan->files_mapped, ", deleted ", plan->files_deleted),
                  out);
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
