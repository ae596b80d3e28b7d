// `tidemark ingest dbt` and `tidemark ingest postgres`: read locally, send to a running server
// (--server) as one ingestion run (POST /api/v1/ingest/runs, .../writes in batches, .../finish),
// with a progress line on a terminal and a summary at the end.
#pragma once

#include "cli.h"

namespace tidemark::tools {

void AddCodeIngestCommands(CommandTable& table);

}  // namespace tidemark::tools
