#!/usr/bin/env bash
# Builds the SQL parser fuzzer with clang++ (-fsanitize=fuzzer,address,undefined) and runs it.
#   fuzz/run.sh [SECONDS=60] [extra libFuzzer flags...]
# Seeds: the SQL of every case in $TIDEMARK_FIXTURES/sql-lineage/cases.jsonl (default
# ../shared/fixtures), plus fuzz/regressions/ (inputs that once failed; kept as regression seeds).
# Work files go to build/fuzz/ (never into the source tree). Exit code: libFuzzer's (0 = clean).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
shift || true
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
mkdir -p "$OUT/obj" "$OUT/corpus" "$OUT/artifacts"
FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -Isrc -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers)
SRCS=(src/common/urn.cc src/ingest/sql/dialect.cc src/ingest/sql/tokenizer.cc
      src/ingest/sql/keywords.cc src/ingest/sql/parser.cc src/ingest/sql/parser_query.cc
      src/ingest/sql/parser_expr.cc src/ingest/sql/parser_func.cc
      src/ingest/sql/lineage_resolve.cc src/ingest/sql/lineage_builder.cc
      src/ingest/sql/lineage_statements.cc src/ingest/sql/sql_lineage.cc
      src/ingest/sql/fingerprint.cc fuzz/sql_parser_fuzzer.cc)
OBJS=()
for src in "${SRCS[@]}"; do
  obj="$OUT/obj/$(echo "$src" | tr '/' '_').o"
  if [[ ! -f "$obj" || "$src" -nt "$obj" || src/ingest/sql/ast.h -nt "$obj" ]]; then
    "$CXX" "${FLAGS[@]}" -c "$src" -o "$obj" &
  fi
  OBJS+=("$obj")
done
wait
ABSL_LIBS=$(ls /usr/lib/x86_64-linux-gnu/libabsl_*.so | sed 's|.*/lib\(absl_[a-z0-9_]*\)\.so|-l\1|' | tr '\n' ' ')
# shellcheck disable=SC2086
"$CXX" -fsanitize=fuzzer,address,undefined "${OBJS[@]}" -o "$OUT/sql_parser_fuzzer" \
  $ABSL_LIBS -lboost_json -lboost_container
FIXTURES="${TIDEMARK_FIXTURES:-../shared/fixtures}"
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
SEEDS=("$OUT/corpus")
[[ -d fuzz/regressions ]] && SEEDS+=(fuzz/regressions)
exec "$OUT/sql_parser_fuzzer" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix="$OUT/artifacts/" "$@" "${SEEDS[@]}"
