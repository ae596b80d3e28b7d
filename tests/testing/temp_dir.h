// Test file helpers: TempDir, a fresh directory under $TMPDIR removed (recursively) when the
// object dies; FixturesDir, the shared fixtures; ReadFile, a whole file as a string.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tidemark::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tidemark-test-XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    path_ = made;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Root of ../shared/fixtures: TIDEMARK_FIXTURES, else beside the source tree (from ctest's
// TIDEMARK_SOURCE_DIR, or the source directory tidemark_cc_test compiles in).
inline std::filesystem::path FixturesDir() {
  if (const char* env = std::getenv("TIDEMARK_FIXTURES")) return env;
  if (const char* src = std::getenv("TIDEMARK_SOURCE_DIR"))
    return std::filesystem::path(src) / ".." / "shared" / "fixtures";
#ifdef TIDEMARK_TEST_SOURCE_DIR
  return std::filesystem::path(TIDEMARK_TEST_SOURCE_DIR) / ".." / "shared" / "fixtures";
#else
  return "../shared/fixtures";
#endif
}

// The whole file, or "" when it cannot be read (tests then fail on the content).
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace tidemark::testing
