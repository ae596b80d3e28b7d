#!/usr/bin/env bash
# Builds the libFuzzer targets (the CMake preset `fuzz`: clang, -fsanitize=fuzzer,address,undefined)
# and runs them.
#   fuzz/run.sh [SECONDS=60] [sql|events|all] [extra libFuzzer flags...]
#     sql     the SQL lineage parser (fuzz/sql_parser_fuzzer.cc)
#     events  the OpenLineage and Trino event decoders, mapped into an in-memory catalog
#             (fuzz/event_decoder_fuzzer.cc)
#     all     both, splitting SECONDS between them (the default)
# Seeds (from $TIDEMARK_FIXTURES, default ../shared/fixtures): for sql the SQL of every case in
# sql-lineage/cases.jsonl; for events openlineage/events/*.json and the trino/ fixtures; plus
# fuzz/regressions/ (sql) and fuzz/regressions/events/ (inputs that once failed).
# The build and the work files go to build/fuzz/ (never into the source tree); FUZZ_JOBS sets the
# parallel compilations. Exit code: libFuzzer's (0 = clean; with `all`, the first failure's).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
shift || true
TARGET=all
if [[ $# -gt 0 && "$1" != -* ]]; then
  TARGET="$1"
  shift
fi
case "$TARGET" in
  sql | events | all) ;;
  *)
    echo "fuzz/run.sh: unknown target '$TARGET' (sql, events or all)" >&2
    exit 2
    ;;
esac
if ! command -v clang++-14 >/dev/null; then
  echo "fuzz/run.sh: clang++-14 not found (apt-get install clang-14)" >&2
  exit 2
fi
if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz/run.sh: libFuzzer runtime (libclang_rt.fuzzer) missing (apt-get install libclang-rt-14-dev)" >&2
  exit 2
fi
OUT=build/fuzz
FIXTURES="${TIDEMARK_FIXTURES:-../shared/fixtures}"
mkdir -p "$OUT/artifacts"

# Configures the fuzz preset and builds only the given fuzzer targets (and the libraries they link).
build() {
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz ${FUZZ_JOBS:+-j "$FUZZ_JOBS"} --target "$@"
}

seed_sql() {
  mkdir -p "$OUT/corpus"
  if [[ -f "$FIXTURES/sql-lineage/cases.jsonl" ]]; then
    python3 - "$FIXTURES/sql-lineage/cases.jsonl" "$OUT/corpus" <<'PY'
import hashlib, json, sys
names = ["trino", "postgres", "snowflake", "bigquery", "hive", "spark", "mysql", "redshift",
         "sqlite", "oracle", "teradata", "mssql"]
for line in open(sys.argv[1]):
    case = json.loads(line)
    d = names.index(case["dialect"]) if case["dialect"] in names else 0
    data = bytes([d]) + case["sql"].encode()
    open(f"{sys.argv[2]}/{hashlib.sha1(data).hexdigest()}", "wb").write(data)
PY
  fi
}

# Event seeds: byte 0 picks the decoder (0: OpenLineage, 1: Trino, 2: Starburst history), then the
# fixture's JSON.
seed_events() {
  mkdir -p "$OUT/corpus_events"
  python3 - "$FIXTURES" "$OUT/corpus_events" <<'PY'
import glob, hashlib, os, sys
fixtures, out = sys.argv[1], sys.argv[2]
starburst = glob.glob(os.path.join(fixtures, "trino/starburst-event-logger/*.json"))
sets = [(0, glob.glob(os.path.join(fixtures, "openlineage/events/*.json"))),
        (1, [p for p in glob.glob(os.path.join(fixtures, "trino/**/*.json"), recursive=True)
             if p not in starburst]),
        (2, starburst)]
for kind, paths in sets:
    for path in sorted(paths):
        data = bytes([kind]) + open(path, "rb").read()
        if len(data) > 65536:
            continue
        open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb").write(data)
PY
}

run_sql() {
  local seconds="$1"
  shift
  build sql_parser_fuzzer
  seed_sql
  local seeds=("$OUT/corpus")
  [[ -d fuzz/regressions ]] && seeds+=(fuzz/regressions)
  "$OUT/fuzz/sql_parser_fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$OUT/artifacts/" "$@" "${seeds[@]}"
}

run_events() {
  local seconds="$1"
  shift
  build event_decoder_fuzzer
  seed_events
  local seeds=("$OUT/corpus_events")
  [[ -d fuzz/regressions/events ]] && seeds+=(fuzz/regressions/events)
  "$OUT/fuzz/event_decoder_fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$OUT/artifacts/events-" "$@" "${seeds[@]}"
}

case "$TARGET" in
  sql) run_sql "$SECONDS_TO_RUN" "$@" ;;
  events) run_events "$SECONDS_TO_RUN" "$@" ;;
  all)
    HALF=$(( SECONDS_TO_RUN / 2 > 0 ? SECONDS_TO_RUN / 2 : 1 ))
    rc=0
    run_sql "$HALF" "$@" || rc=$?
    run_events "$(( SECONDS_TO_RUN - HALF > 0 ? SECONDS_TO_RUN - HALF : 1 ))" "$@" || {
      r=$?
      [[ $rc == 0 ]] && rc=$r
    }
    exit "$rc"
    ;;
esac
