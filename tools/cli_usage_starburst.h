// `tidemark ingest starburst-history FILE.json [--batch N] [--server URL]`: a Starburst
// event-logger query-history export (a JSON array of rows, or {"rows":[...]}) → usage, as one
// ingest run (source trino, target "starburst-history FILE"): the rows go to
// POST /api/v1/ingest/starburst/query-history in batches that carry the run id and their offset in
// the file, so rows the server skips (no time) or cannot read are listed on the run with their
// index. Progress on a terminal, then the run summary and a line of row counts. Exit 0 when the
// file was processed (even with skipped or failed rows), 1 when the file cannot be read or is not
// such an export (nothing is sent) or the server could not be reached or refused a batch, 2 on bad
// arguments.
#pragma once

#include <ostream>
#include <string>

#include "cli.h"

namespace tidemark::tools {

struct StarburstHistoryArgs {
  std::string server = "http://127.0.0.1:8080";
  std::string file;
  int batch = 500;
  bool progress = false;  // redraw a progress line on `err`
};

// Returns the exit code; the summary goes to `out`, progress and problems to `err`.
int StarburstHistoryCommand(const StarburstHistoryArgs& args, std::ostream& out, std::ostream& err);

void AddStarburstIngestCommands(CommandTable& table);

}  // namespace tidemark::tools
