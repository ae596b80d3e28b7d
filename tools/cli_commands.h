// The client commands of the `tidemark` CLI: each talks to a running server over HTTP and prints
// JSON or a readable tree. They return a process exit code and print errors to stderr.
#pragma once

#include <string>

namespace tidemark::tools {

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
