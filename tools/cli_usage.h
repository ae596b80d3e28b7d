// `tidemark usage ...` commands (clients of a running server):
//   tidemark usage top [--limit N] [--platform P] [--order queries|users|recent] [--cursor C]
//                      [--json] [--server URL]
//       GET /api/v1/usage/top: datasets ranked by usage (queries in their 30-day window, distinct
//       users, or last query), one line per dataset with its top users, and the command line for
//       the next page. --json prints the server's answer unchanged (for scripts and agents).
//       Exit 0 on an answer (even an empty one), 1 when the server could not be reached or
//       failed, 2 on bad arguments (checked here or refused by the server with 400).
#pragma once

#include <ostream>
#include <string>

#include "cli.h"

namespace tidemark::tools {

struct UsageTopArgs {
  std::string server = "http://127.0.0.1:8080";
  int limit = 20;
  std::string platform;
  std::string order = "queries";
  std::string cursor;
  bool json = false;
};

// Returns the exit code; the ranking goes to `out`, problems to `err`.
int UsageTopCommand(const UsageTopArgs& args, std::ostream& out, std::ostream& err);

void AddUsageCommands(CommandTable& table);

}  // namespace tidemark::tools
