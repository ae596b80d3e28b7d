// Validation of the tidemark request headers at the request boundary, before any handler sees
// them: X-Tidemark-User (the caller), X-Tidemark-Run-Id and X-Tidemark-Source. A client controls
// these bytes and they end up stored (version history, lineage provenance, run records) and echoed
// in JSON, so they are held to short ASCII identifiers here instead of in every handler.
//
// Stateless; thread-safe.
#pragma once

#include "absl/status/status.h"
#include "server/http_types.h"

namespace tidemark::server {

inline constexpr size_t kMaxCallerLength = 128;
inline constexpr size_t kMaxRunIdLength = 128;
inline constexpr size_t kMaxSourceLength = 32;

// Checks the three headers (when present) and sets request.caller (X-Tidemark-User, "anonymous"
// when absent). InvalidArgument naming the header when one is malformed:
//   X-Tidemark-User    [A-Za-z0-9._@-]{1,128}
//   X-Tidemark-Run-Id  [A-Za-z0-9._:-]{1,128}
//   X-Tidemark-Source  [A-Za-z_]{1,32} (the handlers then check it names a known source kind)
absl::Status ValidateTidemarkHeaders(HttpRequest& request);

}  // namespace tidemark::server
