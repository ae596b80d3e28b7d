#!/usr/bin/env bash
# Builds the libFuzzer targets with clang++ (-fsanitize=fuzzer,address,undefined) and runs them.
#   fuzz/run.sh [SECONDS=60] [sql|events|all] [extra libFuzzer flags...]
#     sql     the SQL lineage parser (fuzz/sql_parser_fuzzer.cc)
#     events  the OpenLineage and Trino event decoders, mapped into an in-memory catalog
#             (fuzz/event_decoder_fuzzer.cc)
#     all     both, splitting SECONDS between them (the default)
# Seeds (from $TIDEMARK_FIXTURES, default ../shared/fixtures): for sql the SQL of every case in
# sql-lineage/cases.jsonl; for events openlineage/events/*.json and the trino/ fixtures; plus
# fuzz/regressions/ (sql) and fuzz/regressions/events/ (inputs that once failed).
# Work files go to build/fuzz/ (never into the source tree). Exit code: libFuzzer's (0 = clean;
# with `all`, the first failure's).
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
CXX="${CXX_FUZZ:-$(command -v clang++-14 || command -v clang++ || true)}"
if [[ -z "$CXX" ]]; then
  echo "fuzz/run.sh: clang++ not found (apt-get install clang-14)" >&2
  exit 2
fi
if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz/run.sh: libFuzzer runtime (libclang_rt.fuzzer) missing (apt-get install libclang-rt-14-dev)" >&2
  exit 2
fi
OUT=build/fuzz
JOBS="${FUZZ_JOBS:-$(nproc)}"  # parallel compilations
FIXTURES="${TIDEMARK_FIXTURES:-../shared/fixtures}"
mkdir -p "$OUT/obj" "$OUT/artifacts"
FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -Isrc -I"$OUT/gen" -Wall -Wextra -Werror -Wno-unused-parameter
       -Wno-missing-field-initializers)
ABSL_LIBS=$(ls /usr/lib/x86_64-linux-gnu/libabsl_*.so | sed 's|.*/lib\(absl_[a-z0-9_]*\)\.so|-l\1|' | tr '\n' ' ')

SQL_SRCS=(src/common/urn.cc src/ingest/sql/dialect.cc src/ingest/sql/tokenizer.cc
          src/ingest/sql/keywords.cc src/ingest/sql/parser.cc src/ingest/sql/parser_query.cc
          src/ingest/sql/parser_expr.cc src/ingest/sql/parser_func.cc
          src/ingest/sql/lineage_resolve.cc src/ingest/sql/lineage_builder.cc
          src/ingest/sql/lineage_statements.cc src/ingest/sql/lineage_writes.cc
          src/ingest/sql/sql_lineage.cc
          src/ingest/sql/fingerprint.cc)
PROTOS=(audit catalog ingest ingest_runs lineage store)

# Compiles the given sources (in parallel, only what changed) and sets OBJS to their objects.
compile() {
  OBJS=()
  local src obj extra newest_header
  # An object older than the newest header is rebuilt (headers are shared widely).
  newest_header=$(find src "$OUT/gen" -name '*.h' -printf '%T@ %p\n' 2>/dev/null | sort -n |
                  tail -1 | cut -d' ' -f2-)
  for src in "$@"; do
    obj="$OUT/obj/$(echo "$src" | tr '/' '_').o"
    extra=()
    [[ "$src" == *.pb.cc ]] && extra=(-Wno-error)  # generated code
    if [[ ! -f "$obj" || "$src" -nt "$obj" || ( -n "$newest_header" && "$newest_header" -nt "$obj" ) ]]; then
      while (( $(jobs -rp | wc -l) >= JOBS )); do wait -n; done
      "$CXX" "${FLAGS[@]}" "${extra[@]}" -c "$src" -o "$obj" &
    fi
    OBJS+=("$obj")
  done
  wait
}

build_sql() {
  compile "${SQL_SRCS[@]}" fuzz/sql_parser_fuzzer.cc
  # shellcheck disable=SC2086
  "$CXX" -fsanitize=fuzzer,address,undefined "${OBJS[@]}" -o "$OUT/sql_parser_fuzzer" \
    $ABSL_LIBS -lboost_json -lboost_container
}

build_events() {
  mkdir -p "$OUT/gen"
  local p protos=() protos_changed=0
  for p in "${PROTOS[@]}"; do
    protos+=("schemas/tidemark/v1/$p.proto")
    [[ "schemas/tidemark/v1/$p.proto" -nt "$OUT/gen/tidemark/v1/$p.pb.cc" ]] && protos_changed=1
  done
  if [[ $protos_changed == 1 ]]; then
    protoc -Ischemas --cpp_out="$OUT/gen" "${protos[@]}"
  fi
  local srcs=("${SQL_SRCS[@]}")
  for p in "${PROTOS[@]}"; do srcs+=("$OUT/gen/tidemark/v1/$p.pb.cc"); done
  srcs+=(src/storage/key_codec.cc src/storage/memory_store.cc
         src/catalog/aspect_registry.cc src/catalog/catalog_aspects.cc
         src/catalog/catalog_service.cc src/catalog/internal/secondary_index.cc)
  srcs+=($(ls src/lineage/*.cc src/lineage/internal/*.cc | grep -v '_test\.cc$'))
  srcs+=($(ls src/ingest/runs/*.cc src/ingest/openlineage/*.cc src/ingest/usage/*.cc \
              src/ingest/trino/*.cc | grep -v '_test\.cc$'))
  srcs+=(fuzz/event_decoder_fuzzer.cc)
  compile "${srcs[@]}"
  # shellcheck disable=SC2086
  "$CXX" -fsanitize=fuzzer,address,undefined "${OBJS[@]}" -o "$OUT/event_decoder_fuzzer" \
    $ABSL_LIBS -lprotobuf -lboost_json -lboost_container -lpthread
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
  build_sql
  seed_sql
  local seeds=("$OUT/corpus")
  [[ -d fuzz/regressions ]] && seeds+=(fuzz/regressions)
  "$OUT/sql_parser_fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$OUT/artifacts/" "$@" "${seeds[@]}"
}

run_events() {
  local seconds="$1"
  shift
  build_events
  seed_events
  local seeds=("$OUT/corpus_events")
  [[ -d fuzz/regressions/events ]] && seeds+=(fuzz/regressions/events)
  "$OUT/event_decoder_fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
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
