// Internal: the lineage module's names for common/strings.h. Kept so that files outside this
// change still compile; new code includes common/strings.h.
//
// Thread-safety: stateless functions.
#pragma once

#include "common/strings.h"

namespace tidemark::lineage {

using common::Cat;
using common::Join;

}  // namespace tidemark::lineage
