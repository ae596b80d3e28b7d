// The client commands of the `tidemark` CLI: each talks to a running server over HTTP and prints
// JSON or a readable tree. They return a process exit code and print errors to stderr.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/http_types.h"

namespace tidemark::tools {

// One request to the server at `url`. Transport errors and HTTP errors (>= 400, with the server's
// JSON error body) are printed to stderr and yield nullopt.
std::optional<server::HttpResponse> CallServer(
    const std::string& url, const std::string& method, const std::string& target,
    const std::string& body = "", std::vector<std::pair<std::string, std::string>> headers = {});

int GetCommand(const std::string& server, const std::string& urn, const std::string& aspect);
int PutCommand(const std::string& server, const std::string& urn, const std::string& aspect,
               const std::string& file, const std::string& user, const std::string& source);
int BackupViaServer(const std::string& server, const std::string& to);
struct LineageArgs {
  std::string urn;
  std::string direction = "upstream";
  int depth = 3;
  bool columns = false;
};
int LineageCommand(const std::string& server, const LineageArgs& args);

}  // namespace tidemark::tools
