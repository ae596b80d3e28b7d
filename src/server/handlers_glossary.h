// Routes of the business glossary, assignments and classification:
//
//   POST   /api/v1/glossary:import           business_glossary.yml body → {"writes": N}
//   GET    /api/v1/glossary:export           the glossary as business_glossary.yml (text/yaml)
//   GET    /api/v1/glossary/tree             nodes and terms as a hierarchy
//   GET    /api/v1/glossary/resolve          ?q=PHRASE &limit=N → ranked terms with the datasets
//                                            and columns that carry them
//   POST   /api/v1/glossary/assignments      {"target": URN, "kind": "term|tag|class", "value"}
//   DELETE /api/v1/glossary/assignments      ?target=URN &kind=K &value=V
//   GET    /api/v1/glossary/assignments/{urn}  direct and propagated assignments of a dataset or
//                                            a column, apart
//   POST   /api/v1/classify                  {"dataset": URN, "columns": {"col": ["v", ...]}}
//   GET    /api/v1/glossary/review           ?state=pending_review|accepted &limit &cursor
//   POST   /api/v1/glossary/review           {"dataset", "field", "class", "decision":
//                                            "accept|reject"}
//   POST   /api/v1/glossary/propagation:run  catch up propagation now → stats
// Terms and nodes themselves are entities (urn:li:glossaryTerm:…, urn:li:glossaryNode:…): CRUD and
// history go through the generic entity API. Writes are attributed like every write (OriginOf).
// Assignment writes run propagation before answering (read-your-writes). Sample values sent to
// /classify are never stored or logged.
//
// The service is borrowed and must outlive the router. Handlers are thread-safe.
#pragma once

#include "glossary/glossary_service.h"
#include "server/router.h"

namespace tidemark::server {

void AddGlossaryRoutes(Router& router, glossary::GlossaryService& glossary);

}  // namespace tidemark::server
