#!/usr/bin/env bash
# bench/run.sh [small|medium|large]: every benchmark, one after the other, for one lineage graph size
# (default small). Expects the release preset built (tools/dev bench builds it first). Prints each
# benchmark's table; a benchmark whose binary is missing is skipped with a note.
set -euo pipefail
SIZE=${1:-small}
case "$SIZE" in small | medium | large) ;; *) echo "usage: bench/run.sh [small|medium|large]" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/release
section() { printf '\n\033[1m===== %s =====\033[0m\n\n' "$*"; }

section "aspect_bench (catalog in process)"
if [ -x "$BIN/bench/aspect_bench" ]; then "$BIN/bench/aspect_bench"; else echo "skipped: aspect_bench not built"; fi

section "http_bench.sh (aspect API over HTTP, wrk)"
if [ -x "$BIN/tools/tidemark" ]; then "$ROOT/bench/http_bench.sh"; else echo "skipped: tools/tidemark not built"; fi

section "lineage_vs_postgres.sh $SIZE"
"$ROOT/bench/lineage_vs_postgres.sh" "$SIZE"
