// The ingest sources' names for common/strings.h. Kept so that files outside this change still
// compile; new code includes common/strings.h.
//
// Thread-safety: stateless functions.
#pragma once

#include "common/strings.h"

namespace tidemark::ingest {

using common::Cat;
using common::Lower;
using common::Trim;

}  // namespace tidemark::ingest
