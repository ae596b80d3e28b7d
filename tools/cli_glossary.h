// `tidemark glossary ...`: client commands of the business glossary, over HTTP to a running server.
//   tidemark glossary import FILE.yml [--user U] [--source S]   DataHub business_glossary.yml
//   tidemark glossary export [--out FILE]                         business_glossary.yml to
//   stdout/file tidemark glossary resolve PHRASE... [--limit N]               terms and the columns
//   carrying them tidemark glossary pending                                     datasets awaiting
//   classification review
#pragma once

#include "cli.h"

namespace tidemark::tools {

void AddGlossaryCommands(CommandTable& table);

}  // namespace tidemark::tools
