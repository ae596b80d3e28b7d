#!/usr/bin/env bash
# Parses the whole SQL-lineage corpus with tidemark (bench/sql_bench) and with sqlglot (Debian
# python3-sqlglot) in the same run, and prints per-statement times and speed-ups, like for like:
#   parse                    tidemark: tokenize + syntax tree     sqlglot.parse()
#   parse + column lineage   tidemark: ParseSqlLineage            parse_one() then
#                            (names resolved, lineage of every    sqlglot.lineage.lineage() for
#                            output column)                       every output column of the query
# and, as a third line, tidemark's full parse + lineage against sqlglot's bare parse. Statements
# sqlglot cannot handle fail early, which only makes its side faster.
#   bench/sql_vs_sqlglot.sh [BUILD_DIR=build/release] [SECONDS=3]
# Build first: cmake --preset release && cmake --build --preset release --target sql_bench
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build/release}"
SECS="${2:-3}"
CASES="${TIDEMARK_FIXTURES:-../shared/fixtures}/sql-lineage/cases.jsonl"
BIN="$BUILD/bench/sql_bench"
if [[ ! -x "$BIN" ]]; then
  echo "sql_vs_sqlglot.sh: $BIN not built (cmake --build --preset release --target sql_bench)" >&2
  exit 2
fi
PY=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import sqlglot' 2>/dev/null; then PY="$candidate"; break; fi
done
if [[ -z "$PY" ]]; then
  echo "sql_vs_sqlglot.sh: sqlglot missing (apt-get install python3-sqlglot)" >&2
  exit 2
fi
# Release builds link tcmalloc (CMake option TIDEMARK_TCMALLOC); say which allocator was measured.
if ldd "$BIN" | grep -q tcmalloc; then ALLOCATOR=tcmalloc_minimal; else ALLOCATOR="glibc malloc"; fi
ours_parse=$("$BIN" "$CASES" --seconds "$SECS" --stage parse)
ours=$("$BIN" "$CASES" --seconds "$SECS" --stage lineage)
PYCODE=$(cat <<'PY'
import json, sys, time
import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage
dialects = {"mssql": "tsql"}
cases = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
with_lineage = sys.argv[3] == "lineage"
statements = errors = 0
start = time.perf_counter()
while True:
    for c in cases:
        d = dialects.get(c["dialect"], c["dialect"])
        try:
            if with_lineage:
                tree = sqlglot.parse_one(c["sql"], read=d)
                query = tree if isinstance(tree, exp.Subqueryable) else tree.find(exp.Subqueryable)
                if query is not None:
                    for name in query.named_selects:
                        lineage(name, query, dialect=d)
            else:
                sqlglot.parse(c["sql"], read=d)
        except Exception:
            errors += 1
        statements += 1
    if time.perf_counter() - start >= float(sys.argv[2]):
        break
elapsed = time.perf_counter() - start
print(f"sqlglot_{sqlglot.__version__}_{sys.argv[3]} statements={statements} seconds={elapsed:.3f} "
      f"us_per_statement={elapsed * 1e6 / statements:.2f} errors={errors}")
PY
)
theirs=$("$PY" -c "$PYCODE" "$CASES" "$SECS" parse)
lineage=$("$PY" -c "$PYCODE" "$CASES" "$SECS" lineage)
echo "$ours_parse"
echo "$ours"
echo "$theirs"
echo "$lineage"
us() { sed -n 's/.*us_per_statement=\([0-9.]*\).*/\1/p' <<<"$1"; }
awk -v p="$(us "$ours_parse")" -v a="$(us "$ours")" -v b="$(us "$theirs")" -v c="$(us "$lineage")" \
  -v build="$BUILD" -v allocator="$ALLOCATOR" 'BEGIN {
  printf "| work per statement (%s, %s) | tidemark us | sqlglot us | tidemark speed-up |\n", build, allocator
  printf "|---|---:|---:|---:|\n"
  printf "| parse | %.2f | %.1f | %.0fx |\n", p, b, b / p
  printf "| parse + column lineage | %.2f | %.1f | %.0fx |\n", a, c, c / a
  printf "| tidemark parse + lineage vs sqlglot parse only | %.2f | %.1f | %.0fx |\n", a, b, b / a }'
