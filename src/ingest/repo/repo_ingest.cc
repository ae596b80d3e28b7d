// Full and incremental planning of a repository ingest; see repo_ingest.h.
#include "ingest/repo/repo_ingest.h"

#include <google/protobuf/util/json_util.h>

#include <boost/json.hpp>
#include <set>

#include "common/json.h"
#include "ingest/runs/str_util.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace {

namespace json = boost::json;

template <typename T>
absl::StatusOr<std::optional<T>> Current(const CurrentAspectFn& current, const std::string& urn,
                                         const std::string& aspect) {
  absl::StatusOr<std::optional<std::string>> text = current(urn, aspect);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::optional<T>();
  T value;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto parsed = google::protobuf::util::JsonStringToMessage(**text, &value, options);
  if (!parsed.ok()) {
    return absl::InternalError(
        Cat("stored ", aspect, " of ", urn, " is not readable: ", std::string(parsed.message())));
  }
  return std::optional<T>(std::move(value));
}

// The catalog's upstreamLineage without the replaced jobs' entries, then ours.
std::optional<v1::UpstreamLineage> MergeLineage(const std::optional<v1::UpstreamLineage>& current,
                                                const v1::UpstreamLineage* ours,
                                                const std::set<std::string>& replaced_jobs) {
  if (!current && ours == nullptr) return std::nullopt;
  v1::UpstreamLineage out;
  if (current) {
    for (const v1::Upstream& u : current->upstreams()) {
      if (replaced_jobs.count(u.job()) == 0) *out.add_upstreams() = u;
    }
    for (const v1::FineGrainedLineage& f : current->fine_grained_lineages()) {
      if (replaced_jobs.count(f.query()) == 0) *out.add_fine_grained_lineages() = f;
    }
  }
  if (ours != nullptr) {
    for (const auto& u : ours->upstreams()) *out.add_upstreams() = u;
    for (const auto& f : ours->fine_grained_lineages()) *out.add_fine_grained_lineages() = f;
  }
  return out;
}

std::optional<v1::SourceCode> MergeCode(const std::optional<v1::SourceCode>& current,
                                        const v1::SourceCode* ours, const std::string& repository,
                                        const std::set<std::string>& replaced_paths) {
  if (!current && ours == nullptr) return std::nullopt;
  v1::SourceCode out;
  if (current) {
    for (const v1::SourceCodeLocation& l : current->locations()) {
      if (l.repository() != repository || replaced_paths.count(l.path()) == 0) {
        *out.add_locations() = l;
      }
    }
  }
  if (ours != nullptr) {
    for (const auto& l : ours->locations()) *out.add_locations() = l;
  }
  return out;
}

}  // namespace

std::string RepoStateToJson(const RepoState& state) {
  json::object files;
  for (const auto& [path, c] : state.files) {
    json::array outputs;
    for (const auto& o : c.outputs) outputs.emplace_back(o);
    files[path] = json::object{{"job", c.job}, {"outputs", std::move(outputs)}};
  }
  return json::serialize(json::object{{"files", std::move(files)}});
}

absl::StatusOr<RepoState> RepoStateFromJson(std::string_view text) {
  RepoState state;
  if (Trim(text).empty()) return state;
  absl::StatusOr<json::value> v = common::ParseJson(text, "repository cursor state");
  if (!v.ok()) return v.status();
  const json::object* root = v->if_object();
  const json::value* files = root ? root->if_contains("files") : nullptr;
  if (files == nullptr || !files->is_object()) {
    return absl::InvalidArgumentError("repository cursor state is not {\"files\":{...}}");
  }
  for (const auto& kv : files->as_object()) {
    RepoFileContribution c;
    if (const json::object* o = kv.value().if_object()) {
      if (const json::value* job = o->if_contains("job"); job && job->is_string()) {
        c.job = std::string(job->as_string());
      }
      if (const json::value* outs = o->if_contains("outputs"); outs && outs->is_array()) {
        for (const auto& x : outs->as_array()) {
          if (x.is_string()) c.outputs.emplace_back(x.as_string());
        }
      }
    }
    state.files[std::string(kv.key())] = std::move(c);
  }
  return state;
}

std::string RepoCursorKey(const RepoSnapshot& snapshot) {
  return Cat("repo:", RepositoryOf(snapshot));
}

absl::StatusOr<RepoIngestPlan> PlanRepoIngest(const RepoSnapshot& snapshot,
                                              const std::optional<RepoPrevious>& previous,
                                              const std::vector<ChangedPath>* changes,
                                              const RepoMapOptions& options,
                                              const CurrentAspectFn& current) {
  RepoIngestPlan plan;
  const std::string repository = RepositoryOf(snapshot);
  auto& props = plan.mapping.properties;
  props.emplace_back("revision", snapshot.commit);
  props.emplace_back("repository", repository);
  if (previous) props.emplace_back("previous_revision", previous->revision);
  if (previous && previous->revision == snapshot.commit) {
    plan.next_state = previous->state;
    plan.incremental = true;
    props.emplace_back("mode", "unchanged");
    props.emplace_back("files_mapped", "0");
    props.emplace_back("files_deleted", "0");
    return plan;
  }
  plan.incremental = previous.has_value() && changes != nullptr;
  std::set<std::string> only;
  std::set<std::string> deleted;
  if (plan.incremental) {
    for (const ChangedPath& c : *changes) {
      if (c.change == FileChange::kDeleted) {
        if (previous->state.files.count(c.path) > 0) deleted.insert(c.path);
      } else if (IsRepoIngestPath(c.path)) {
        only.insert(c.path);
      }
    }
  }
  absl::StatusOr<RepoFileMapping> mapped =
      MapRepoFiles(snapshot, plan.incremental ? &only : nullptr, options);
  if (!mapped.ok()) return mapped.status();
  if (previous) {
    // Files ingested before and not mapped now: gone from the tree (full mode) or no longer
    // plain SQL (e.g. moved into a dbt project).
    for (const auto& [path, c] : previous->state.files) {
      const bool considered = !plan.incremental || only.count(path) > 0;
      if (considered && mapped->files.count(path) == 0) deleted.insert(path);
    }
  }
  std::set<std::string> replaced_jobs, replaced_paths, affected;
  auto replace = [&](const std::string& path, const RepoFileContribution& c) {
    replaced_jobs.insert(c.job);
    replaced_paths.insert(path);
    affected.insert(c.outputs.begin(), c.outputs.end());
  };
  for (const auto& [path, c] : mapped->files) replace(path, c);
  if (previous) {
    for (const auto& [path, c] : previous->state.files) {
      if (deleted.count(path) > 0 || mapped->files.count(path) > 0) replace(path, c);
    }
  }

  // Our per-dataset contributions are merged below; everything else passes through.
  std::map<std::string, const v1::UpstreamLineage*> our_lineage;
  std::map<std::string, const v1::SourceCode*> our_code;
  for (const MappedAspect& a : mapped->mapping.aspects) {
    const std::string& urn = a.urn.ToString();
    if (a.urn.entity_type() == "dataset" && affected.count(urn) > 0) {
      if (a.aspect == "upstreamLineage") {
        our_lineage[urn] = static_cast<const v1::UpstreamLineage*>(a.value.get());
        continue;
      }
      if (a.aspect == "sourceCode") {
        our_code[urn] = static_cast<const v1::SourceCode*>(a.value.get());
        continue;
      }
    }
    plan.mapping.aspects.push_back(a);
  }
  for (const std::string& urn_text : affected) {
    absl::StatusOr<common::Urn> urn = common::Urn::Parse(urn_text);
    if (!urn.ok()) continue;
    auto cur_lineage = Current<v1::UpstreamLineage>(current, urn_text, "upstreamLineage");
    if (!cur_lineage.ok()) return cur_lineage.status();
    auto it = our_lineage.find(urn_text);
    if (auto merged = MergeLineage(*cur_lineage, it == our_lineage.end() ? nullptr : it->second,
                                   replaced_jobs)) {
      plan.mapping.Add(*urn, "upstreamLineage",
                       std::make_shared<v1::UpstreamLineage>(std::move(*merged)));
    }
    auto cur_code = Current<v1::SourceCode>(current, urn_text, "sourceCode");
    if (!cur_code.ok()) return cur_code.status();
    auto ct = our_code.find(urn_text);
    if (auto merged = MergeCode(*cur_code, ct == our_code.end() ? nullptr : ct->second, repository,
                                replaced_paths)) {
      plan.mapping.Add(*urn, "sourceCode", std::make_shared<v1::SourceCode>(std::move(*merged)));
    }
  }
  for (const std::string& path : deleted) {
    absl::StatusOr<common::Urn> job = common::Urn::Parse(previous->state.files.at(path).job);
    if (!job.ok()) continue;
    plan.mapping.Add(*job, "dataJobInputOutput", std::make_shared<v1::DataJobInputOutput>());
    auto removed = std::make_shared<v1::Status>();
    removed->set_removed(true);
    plan.mapping.Add(*job, "status", std::move(removed));
  }
  auto flow = std::make_shared<v1::DataFlowInfo>();
  flow->set_name(snapshot.name);
  flow->set_external_url(snapshot.remote_url);
  (*flow->mutable_custom_properties())["repository"] = repository;
  plan.mapping.Add(RepoFlowUrn(snapshot.name, options.env), "dataFlowInfo", std::move(flow));

  if (previous) plan.next_state = previous->state;
  for (const std::string& path : deleted) plan.next_state.files.erase(path);
  for (const auto& [path, c] : mapped->files) plan.next_state.files[path] = c;
  plan.files_mapped = static_cast<int>(mapped->files.size());
  plan.files_deleted = static_cast<int>(deleted.size());
  props.emplace_back("mode", plan.incremental ? "incremental" : "full");
  props.emplace_back("files_mapped", std::to_string(plan.files_mapped));
  props.emplace_back("files_deleted", std::to_string(plan.files_deleted));
  for (auto& e : mapped->mapping.errors) plan.mapping.errors.push_back(std::move(e));
  for (auto& p : mapped->mapping.properties) props.push_back(std::move(p));
  return plan;
}

}  // namespace tidemark::ingest
