// `tidemark ingest ...` commands of the query-engine sources (clients of a running server):
//   tidemark ingest query-log FILE.jsonl [--dialect D] [--default-catalog C] [--default-schema S]
//                             [--user U] [--batch N] [--server URL]
//       one query per line ({"sql", "user", "timestamp", "default_catalog", "default_schema",
//       "dialect", "query_id"}; the flags fill what a line leaves out) → POST
//       /api/v1/ingest/query-log in batches: lineage through the SQL parser plus usage. Progress on
//       a terminal, then a summary (parsed, failed, skipped) and the first failures with their line
//       numbers. A bad line never aborts the batch. Exit 0 when the file was processed (even with
//       failed lines), 1 when the server could not be reached or the file read, 2 on bad arguments.
//   tidemark ingest openlineage FILE... [--marquez-template] [--server URL]
//       POSTs each file (an event or an array of events) to /api/v1/lineage; with
//       --marquez-template, {{RUN_START_TIME}}-style placeholders are replaced by times from now.
//   tidemark ingest trino-events FILE... [--server URL]
//       POSTs each QueryCompletedEvent file to /api/v1/ingest/trino/query-completed.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli.h"

namespace tidemark::tools {

void AddQueryIngestCommands(CommandTable& table);

struct QueryLogArgs {
  std::string server = "http://127.0.0.1:8080";
  std::string file;
  std::string dialect;
  std::string default_catalog;
  std::string default_schema;
  std::string user;
  int batch = 500;
  bool progress = false;  // redraw a progress line on `err`
};

// Returns the exit code; the summary goes to `out`, progress and failures to `err`.
int QueryLogCommand(const QueryLogArgs& args, std::ostream& out, std::ostream& err);

}  // namespace tidemark::tools
