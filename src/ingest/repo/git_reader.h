// GitReader: the files of one revision of a git repository, read with libgit2 from the object
// database (never the working directory), and the paths that changed between two revisions.
//
// ReadRepoTree resolves any revision git understands ("HEAD", a branch, a tag, a short sha) to a
// commit, walks its tree and returns the blobs whose path `want` accepts, plus the commit id, the
// "origin" remote URL when there is one and a short repository name. DiffRevisions compares two
// commits' trees (renames appear as a deletion and an addition).
//
// Errors are InvalidArgument (not a repository, unknown revision) or Internal (libgit2 failures),
// with libgit2's message. Thread-safety: stateless functions; each call opens the repository.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tidemark::ingest {

struct RepoFile {
  std::string path;  // relative to the repository root, '/'-separated
  std::string content;
};

struct RepoSnapshot {
  std::string commit;      // full hex id of the commit the revision resolved to
  std::string remote_url;  // URL of "origin", empty when there is none
  std::string root;        // absolute path of the working directory (or the bare repository)
  std::string name;        // remote URL's last component without .git, else the root's name
  std::vector<RepoFile> files;
  std::vector<std::string> skipped;  // wanted paths left out (too large), for error reports
};

enum class FileChange { kAdded, kModified, kDeleted };

struct ChangedPath {
  std::string path;
  FileChange change = FileChange::kModified;
};

// Blobs larger than this are listed in `skipped` instead of read.
inline constexpr size_t kMaxRepoFileBytes = 16 << 20;

absl::StatusOr<RepoSnapshot> ReadRepoTree(const std::string& path, const std::string& revision,
                                          const std::function<bool(std::string_view)>& want);

// Paths that differ between the trees of `old_revision` and `new_revision`. NotFound when
// `old_revision` is not in the repository (e.g. history was rewritten).
absl::StatusOr<std::vector<ChangedPath>> DiffRevisions(const std::string& path,
                                                       const std::string& old_revision,
                                                       const std::string& new_revision);

}  // namespace tidemark::ingest
