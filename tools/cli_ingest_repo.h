// `tidemark ingest repo PATH [--rev REV] [--platform trino --default-db D --default-schema S]`:
// reads the SQL pipelines of a git revision (ingest/repo), and sends them to a running server as
// one ingestion run (source "repo"), incrementally: the repository's cursor
// (GET/PUT /api/v1/ingest/cursors/repo:<url>) holds the last ingested commit and what each file
// produced, so the next run maps only the files changed since then and retracts the lineage of
// changed and deleted files. Re-running the same revision writes nothing.
#pragma once

#include <ostream>
#include <string>

#include "cli.h"

namespace tidemark::tools {

struct RepoIngestArgs {
  std::string path = ".";
  std::string rev = "HEAD";
  std::string platform = "trino";
  std::string default_db;
  std::string default_schema;
  std::string env = "PROD";
  bool full = false;  // ignore the cursor's file list: map every file (still retracts deletions)
};

// One run against `server_url`; the summary goes to `out`, problems to stderr. Exit code: 0 when
// the run finished (bad files are listed, not fatal), 1 when the server failed, 2 for bad input.
int IngestRepo(const RepoIngestArgs& args, const std::string& server_url, std::ostream& out);

void AddRepoIngestCommands(CommandTable& table);

}  // namespace tidemark::tools
