// libgit2 access for the repository source; see git_reader.h. libgit2 handles are owned by small
// RAII wrappers so that every error path frees them.
#include "ingest/repo/git_reader.h"

#include <git2.h>

#include <filesystem>
#include <memory>

#include "absl/status/status.h"
#include "ingest/runs/str_util.h"

namespace tidemark::ingest {
namespace {

// Keeps libgit2 initialised for the duration of one call (init/shutdown are reference counted).
class LibGit2 {
 public:
  LibGit2() { git_libgit2_init(); }
  ~LibGit2() { git_libgit2_shutdown(); }
  LibGit2(const LibGit2&) = delete;
  LibGit2& operator=(const LibGit2&) = delete;
};

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p != nullptr) Free(p);
  }
};
using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using ConfigPtr = std::unique_ptr<git_config, Deleter<git_config, git_config_free>>;
using DiffPtr = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;

std::string LastError() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? std::string(e->message) : "unknown libgit2 error";
}

absl::StatusOr<RepoPtr> Open(const std::string& path) {
  git_repository* repo = nullptr;
  if (git_repository_open_ext(&repo, path.c_str(), 0, nullptr) != 0) {
    return absl::InvalidArgumentError(Cat("'", path, "' is not a git repository: ", LastError()));
  }
  return RepoPtr(repo);
}

// The commit `revision` names, as its object (peeled through tags).
absl::StatusOr<ObjectPtr> ResolveCommit(git_repository* repo, const std::string& revision,
                                        absl::StatusCode missing_code) {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, revision.c_str()) != 0) {
    return absl::Status(missing_code, Cat("unknown revision '", revision, "': ", LastError()));
  }
  ObjectPtr holder(obj);
  git_object* commit = nullptr;
  if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) != 0) {
    return absl::InvalidArgumentError(
        Cat("revision '", revision, "' is not a commit: ", LastError()));
  }
  return ObjectPtr(commit);
}

absl::StatusOr<TreePtr> TreeOf(git_object* commit) {
  git_tree* tree = nullptr;
  if (git_commit_tree(&tree, reinterpret_cast<git_commit*>(commit)) != 0) {
    return absl::InternalError(Cat("cannot read the commit's tree: ", LastError()));
  }
  return TreePtr(tree);
}

std::string NameOf(const std::string& remote_url, const std::string& root) {
  std::string_view s = remote_url.empty() ? std::string_view(root) : std::string_view(remote_url);
  while (!s.empty() && (s.back() == '/' || s.back() == '\\')) s.remove_suffix(1);
  if (s.size() > 4 && s.substr(s.size() - 4) == ".git") s.remove_suffix(4);
  const size_t cut = s.find_last_of("/:\\");
  if (cut != std::string_view::npos) s.remove_prefix(cut + 1);
  return s.empty() ? std::string("repo") : std::string(s);
}

struct WalkState {
  git_repository* repo;
  const std::function<bool(std::string_view)>* want;
  RepoSnapshot* out;
  std::string error;
};

int WalkEntry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<WalkState*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  std::string path = Cat(root, git_tree_entry_name(entry));
  if (!(*state->want)(path)) return 0;
  git_blob* blob = nullptr;
  if (git_blob_lookup(&blob, state->repo, git_tree_entry_id(entry)) != 0) {
    state->error = Cat("cannot read ", path, ": ", LastError());
    return -1;
  }
  BlobPtr holder(blob);
  const auto size = static_cast<size_t>(git_blob_rawsize(blob));
  if (size > kMaxRepoFileBytes) {
    state->out->skipped.push_back(std::move(path));
    return 0;
  }
  const char* data = static_cast<const char*>(git_blob_rawcontent(blob));
  state->out->files.push_back({std::move(path), std::string(data, size)});
  return 0;
}

}  // namespace

absl::StatusOr<RepoSnapshot> ReadRepoTree(const std::string& path, const std::string& revision,
                                          const std::function<bool(std::string_view)>& want) {
  LibGit2 lib;
  auto repo = Open(path);
  if (!repo.ok()) return repo.status();
  auto commit = ResolveCommit(repo->get(), revision, absl::StatusCode::kInvalidArgument);
  if (!commit.ok()) return commit.status();
  auto tree = TreeOf(commit->get());
  if (!tree.ok()) return tree.status();

  RepoSnapshot snapshot;
  snapshot.commit = git_oid_tostr_s(git_object_id(commit->get()));
  const char* workdir = git_repository_workdir(repo->get());
  std::string root = workdir != nullptr ? workdir : git_repository_path(repo->get());
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(root, ec);
  snapshot.root = ec ? root : canonical.string();
  while (snapshot.root.size() > 1 && snapshot.root.back() == '/') snapshot.root.pop_back();
  // A plain config lookup: git_remote_lookup matches config keys with regular expressions, and
  // libgit2 1.5's PCRE2 matcher leaks its match data on every non-matching key.
  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, repo->get()) == 0) {
    ConfigPtr holder(config);
    const char* url = nullptr;
    if (git_config_get_string(&url, config, "remote.origin.url") == 0 && url != nullptr) {
      snapshot.remote_url = url;
    }
  }
  git_error_clear();
  snapshot.name = NameOf(snapshot.remote_url, snapshot.root);

  WalkState state{repo->get(), &want, &snapshot, ""};
  if (git_tree_walk(tree->get(), GIT_TREEWALK_PRE, WalkEntry, &state) != 0) {
    return absl::InternalError(state.error.empty() ? Cat("tree walk failed: ", LastError())
                                                   : state.error);
  }
  return snapshot;
}

absl::StatusOr<std::vector<ChangedPath>> DiffRevisions(const std::string& path,
                                                       const std::string& old_revision,
                                                       const std::string& new_revision) {
  LibGit2 lib;
  auto repo = Open(path);
  if (!repo.ok()) return repo.status();
  auto old_commit = ResolveCommit(repo->get(), old_revision, absl::StatusCode::kNotFound);
  if (!old_commit.ok()) return old_commit.status();
  auto new_commit = ResolveCommit(repo->get(), new_revision, absl::StatusCode::kInvalidArgument);
  if (!new_commit.ok()) return new_commit.status();
  auto old_tree = TreeOf(old_commit->get());
  if (!old_tree.ok()) return old_tree.status();
  auto new_tree = TreeOf(new_commit->get());
  if (!new_tree.ok()) return new_tree.status();

  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  git_diff* diff = nullptr;
  if (git_diff_tree_to_tree(&diff, repo->get(), old_tree->get(), new_tree->get(), &options) != 0) {
    return absl::InternalError(
        Cat("cannot diff ", old_revision, "..", new_revision, ": ", LastError()));
  }
  DiffPtr holder(diff);
  std::vector<ChangedPath> out;
  const size_t n = git_diff_num_deltas(diff);
  for (size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    switch (d->status) {
      case GIT_DELTA_ADDED:
        out.push_back({d->new_file.path, FileChange::kAdded});
        break;
      case GIT_DELTA_DELETED:
        out.push_back({d->old_file.path, FileChange::kDeleted});
        break;
      case GIT_DELTA_RENAMED:
        out.push_back({d->old_file.path, FileChange::kDeleted});
        out.push_back({d->new_file.path, FileChange::kAdded});
        break;
      case GIT_DELTA_UNMODIFIED:
        break;
      default:
        out.push_back({d->new_file.path, FileChange::kModified});
        break;
    }
  }
  return out;
}

}  // namespace tidemark::ingest
