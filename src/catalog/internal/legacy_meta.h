// Internal: the one-time move of meta keys written before the catalog owned the store. Modules used
// to write their own keys into the meta column family with three separator conventions:
//   removed \0 <urn> \0 <aspect> \0 <value>   glossary removal tombstones
//   glossary.propagation.cursor               glossary propagation cursor
//   usage/rankIndexVersion                    usage ranking index format
//   ingest/run/<id>, ingest/cursor/<key>      ingest runs and incremental-source cursors
// They now live in the meta spaces of their modules (`<module> \0 <key>`, see key_space.h):
//   glossary \0 removed \0 <urn> \0 <aspect> \0 <value>,  glossary \0 propagation \0 cursor,
//   usage \0 rankIndexVersion,  ingest \0 run \0 <id>,  ingest \0 cursor \0 <key>.
// MigrateLegacyMeta rewrites any old key in one atomic batch at open; a store without old keys
// costs five empty prefix scans. Values are kept byte for byte.
#pragma once

#include "absl/status/status.h"
#include "storage/kv_store.h"

namespace tidemark::catalog::internal {

absl::Status MigrateLegacyMeta(storage::KvStore& store);

}  // namespace tidemark::catalog::internal
