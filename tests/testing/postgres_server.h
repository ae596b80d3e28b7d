// PostgresServer: a throwaway PostgreSQL 15 for tests — initdb into a temporary directory, start
// on 127.0.0.1 with an ephemeral port (and pg_stat_statements preloaded), stop and remove it when
// the object dies. As root, initdb and postgres run as the `postgres` OS user (runuser) on a
// directory chowned to it. Start() returns FailedPrecondition when the binaries are missing, so
// tests can skip.
//
// Thread-safety: not thread-safe; one owner.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "tests/testing/temp_dir.h"

namespace tidemark::testing {

class PostgresServer {
 public:
  static constexpr char kBinDir[] = "/usr/lib/postgresql/15/bin";

  PostgresServer() = default;
  ~PostgresServer() { Stop(); }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  absl::Status Start() {
    if (!std::filesystem::exists(std::string(kBinDir) + "/initdb")) {
      return absl::FailedPreconditionError("PostgreSQL 15 binaries are not installed");
    }
    as_root_ = ::geteuid() == 0;
    const std::filesystem::path data = dir_.path() / "data";
    std::filesystem::create_directories(dir_.path() / "sock");
    if (as_root_) {
      struct passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr) return absl::FailedPreconditionError("no `postgres` OS user");
      std::filesystem::permissions(dir_.path(), std::filesystem::perms::owner_all |
                                                    std::filesystem::perms::group_exec |
                                                    std::filesystem::perms::others_exec);
      if (::chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0 ||
          ::chown((dir_.path() / "sock").c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        return absl::InternalError("cannot chown the PostgreSQL test directory");
      }
    }
    if (!Run("initdb -D '" + data.string() + "' -A trust -U postgres -E UTF8 >'" +
             (dir_.path() / "initdb.log").string() + "' 2>&1")) {
      return absl::InternalError("initdb failed; see " + (dir_.path() / "initdb.log").string());
    }
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = FreePort();
      const std::string options = "-p " + std::to_string(port_) +
                                  " -c listen_addresses=127.0.0.1 -k " +
                                  (dir_.path() / "sock").string() +
                                  " -c shared_preload_libraries=pg_stat_statements -c fsync=off";
      if (Run("pg_ctl -D '" + data.string() + "' -w -t 60 -l '" +
              (dir_.path() / "server.log").string() + "' -o '" + options + "' start >/dev/null")) {
        started_ = true;
        return absl::OkStatus();
      }
    }
    return absl::InternalError("postgres did not start; see " +
                               (dir_.path() / "server.log").string());
  }

  void Stop() {
    if (!started_) return;
    Run("pg_ctl -D '" + (dir_.path() / "data").string() + "' -m immediate stop >/dev/null 2>&1");
    started_ = false;
  }

  // Runs `sql` with psql on database `db` (ON_ERROR_STOP); true on success.
  bool Psql(const std::string& db, const std::string& sql) {
    const std::filesystem::path file = dir_.path() / "script.sql";
    {
      FILE* f = std::fopen(file.c_str(), "w");
      if (f == nullptr) return false;
      std::fputs(sql.c_str(), f);
      std::fclose(f);
    }
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::others_read);
    return std::system(("/usr/bin/psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p " +
                        std::to_string(port_) + " -U postgres -d " + db + " -f '" + file.string() +
                        "' >/dev/null")
                           .c_str()) == 0;
  }

  uint16_t port() const { return port_; }
  std::string ConnInfo(const std::string& db) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db;
  }

 private:
  bool Run(const std::string& command) {
    const std::string bin = std::string(kBinDir) + "/";
    const std::string full =
        as_root_ ? "runuser -u postgres -- sh -c \"" + bin + command + "\"" : bin + command;
    return std::system(full.c_str()) == 0;
  }

  static uint16_t FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  TempDir dir_;
  uint16_t port_ = 0;
  bool as_root_ = false;
  bool started_ = false;
};

}  // namespace tidemark::testing
