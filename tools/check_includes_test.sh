#!/usr/bin/env bash
# Tests tools/check_includes.py on small fixture trees: a clean tree passes, and each planted
# violation (an upward include, a same-layer include, a third-party header outside its module, an
# ingest sub-library, a module that does not exist yet) fails with a message naming the file.
set -euo pipefail
CHECKER="$(cd "$(dirname "$0")" && pwd)/check_includes.py"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

# tree NAME: a fresh fixture tree that follows the order.
tree() {
  local dir="$WORK/$1"
  mkdir -p "$dir/src/common" "$dir/src/storage" "$dir/src/catalog" "$dir/src/lineage" \
           "$dir/src/ingest/sql" "$dir/src/server" "$dir/tools" "$dir/tests"
  printf '#include <string>\n#include "absl/status/status.h"\n' >"$dir/src/common/urn.h"
  printf '#include "common/urn.h"\n#include "rocksdb/db.h"\n' >"$dir/src/storage/rocksdb_store.cc"
  printf '#include "storage/kv_store.h"\n#include "tidemark/v1/catalog.pb.h"\n' \
    >"$dir/src/catalog/catalog_service.cc"
  printf '#include "catalog/catalog_service.h"\n#include <boost/graph/adjacency_list.hpp>\n' \
    >"$dir/src/lineage/graph.cc"
  printf '#include "lineage/graph.h"\n#include "ingest/runs/run_store.h"\n' \
    >"$dir/src/ingest/sql/parser.cc"
  printf '#include "ingest/sql/parser.h"\n#include <boost/beast/http.hpp>\n' >"$dir/src/server/app.cc"
  printf '#include "server/app.h"\n#include "tests/testing/status_matchers.h"\n' >"$dir/tools/main.cc"
  printf '#include "server/app.h"\n#include "tools/cli.h"\n' >"$dir/tests/http_test.cc"
  echo "$dir"
}

# expect_pass NAME DIR / expect_fail NAME DIR PATTERN: runs the checker on DIR.
expect_pass() {
  if ! out=$(python3 "$CHECKER" --root "$2" 2>&1); then
    echo "FAIL $1: the checker rejected a clean tree:"
    echo "$out"
    failures=$((failures + 1))
  else
    echo "ok   $1"
  fi
}
expect_fail() {
  local rc=0
  out=$(python3 "$CHECKER" --root "$2" 2>&1) || rc=$?
  if [[ $rc -ne 1 ]]; then
    echo "FAIL $1: exit code $rc, want 1; output:"
    echo "$out"
    failures=$((failures + 1))
  elif ! grep -qE -- "$3" <<<"$out"; then
    echo "FAIL $1: no line matching '$3' in:"
    echo "$out"
    failures=$((failures + 1))
  else
    echo "ok   $1"
  fi
}

expect_pass clean_tree "$(tree clean)"

# planted NAME FILE INCLUDE PATTERN: a clean tree with INCLUDE appended to FILE (created if new)
# must fail with a line matching PATTERN.
planted() {
  local d
  d=$(tree "$1")
  mkdir -p "$(dirname "$d/$2")"
  printf '%s\n' "$3" >>"$d/$2"
  expect_fail "$1" "$d" "$4"
}

planted catalog_includes_lineage src/catalog/catalog_service.cc '#include "lineage/graph.h"' \
  'src/catalog/catalog_service.cc:3: #include "lineage/graph.h": catalog may not include lineage'
planted common_includes_server src/common/status.cc '#include "server/app.h"' \
  'src/common/status.cc:1: .*common may not include server'
planted glossary_includes_lineage src/glossary/propagation.cc '#include "lineage/graph.h"' \
  'src/glossary/propagation.cc:1: .*glossary and lineage are on the same layer'
planted ingest_sublibrary_includes_query src/ingest/dbt/internal/mapper.h \
  '#include "query/entity_listing.h"' \
  'src/ingest/dbt/internal/mapper.h:1: .*ingest and query are on the same layer'
planted sql_includes_catalog src/sql/parser.cc '#include "catalog/catalog_service.h"' \
  'src/sql/parser.cc:1: .*sql may not include catalog'
planted policy_includes_search src/policy/engine.cc '#include "search/index.h"' \
  'src/policy/engine.cc:1: .*policy may not include search'
planted server_includes_tools src/server/app.cc '#include "tools/cli.h"' \
  'src/server/app.cc:3: .*server may not include tools'
planted rocksdb_outside_storage src/catalog/catalog_service.cc '#include <rocksdb/db.h>' \
  'src/catalog/catalog_service.cc:3: #include <rocksdb/db.h>: RocksDB may only be included in src/storage/'
planted rocksdb_in_tests tests/http_test.cc '#include "rocksdb/db.h"' \
  'tests/http_test.cc:3: .*RocksDB may only be included in src/storage/'
planted asio_outside_server tools/main.cc '#include <boost/asio/io_context.hpp>' \
  'tools/main.cc:3: .*Beast/Asio may only be included in src/server/'
planted boost_graph_outside_lineage src/catalog/catalog_service.cc \
  '#include <boost/graph/breadth_first_search.hpp>' \
  'src/catalog/catalog_service.cc:3: .*Boost.Graph may only be included in src/lineage/'
planted unknown_module src/billing/invoice.cc '#include "common/urn.h"' \
  'src/billing/.* is not in the module table'

if [[ $failures -gt 0 ]]; then
  echo "$failures check_includes case(s) failed"
  exit 1
fi
echo "all check_includes cases passed"
