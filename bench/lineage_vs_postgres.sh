#!/usr/bin/env bash
# bench/lineage_vs_postgres.sh [small|medium|large]: the lineage comparison, side by side in one run.
#
#  1. lineage_gen writes the graph (CSV, OpenLineage JSONL, tidemark batches) unless LINEAGE_DATA
#     names a directory that already holds it.
#  2. PostgreSQL 15: a throw-away cluster (initdb in a temp dir, 127.0.0.1 on a free port, unix
#     socket in the temp dir, run as the `postgres` user when we are root), the CSV loaded with
#     \copy into a Marquez-like schema with covering indexes both ways (timed), then
#     pg_lineage_client runs recursive-CTE lineage queries from the 200 start nodes.
#  3. lineage_bench: tidemark in process on RocksDB and the CSR floor.
#  4. tidemark serve: bulk ingest of tidemark_batches.jsonl over HTTP (timed), resident memory,
#     http_lineage_client from the 200 start nodes, wrk with 32 connections on depth-5 downstream,
#     then a restart on the same data dir to time start-up (graph rebuild). Lineage requests carry
#     LINEAGE_HTTP_EXTRA (default "&max_nodes=1000000", so no result is truncated).
#  5. One table: load time, start-up, memory, p50/p99 per query for every system.
# Everything lives in one temp dir removed by the exit trap (servers stopped first).
set -euo pipefail
SIZE=${1:-small}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/release
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/tidemark-lineage-vs-pg.XXXXXX)
PGDATA=$WORK/pgdata
SERVER_PID=""
log() { printf '\033[1m[lineage-bench]\033[0m %s\n' "$*" >&2; }

as_pg() {  # run a PostgreSQL server binary as a non-root user
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -f "$PGDATA/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$(now) - $1:.3f}')"; }

for b in lineage_gen lineage_bench pg_lineage_client; do
  [ -x "$BIN/bench/$b" ] || { echo "missing $BIN/bench/$b: build the release preset first" >&2; exit 1; }
done
RESULTS=$WORK/results.tsv
: >"$RESULTS"
metric() { printf 'metric\t%s\t%s\n' "$1" "$2" >>"$RESULTS"; }

# 1. The graph.
DATA=${LINEAGE_DATA:-$WORK/data}
if [ ! -f "$DATA/starts.csv" ]; then
  log "generating the $SIZE graph"
  "$BIN/bench/lineage_gen" --size "$SIZE" --out "$DATA"
fi

# 2. PostgreSQL.
log "PostgreSQL 15: initdb"
mkdir -p "$PGDATA" "$WORK/pgsock"
chmod 755 "$WORK"
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA" "$WORK/pgsock"
as_pg "$PGBIN/initdb" -D "$PGDATA" --auth=trust -U postgres -E UTF8 --no-locale >/dev/null
PGPORT=$(free_port)
cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$WORK/pgsock'
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
CONF
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/pgsock/server.log" -w start >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$WORK/pgsock" -p "$PGPORT" -U postgres)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE lineage"
log "PostgreSQL: loading the CSV with \\copy"
START=$(now)
"${PSQL[@]}" -d lineage <<SQL
CREATE TABLE datasets (id int PRIMARY KEY, urn text NOT NULL, layer text, platform text, domain int);
CREATE TABLE jobs (id int PRIMARY KEY, urn text NOT NULL, output_id int NOT NULL);
CREATE TABLE lineage_edges (src int NOT NULL, dst int NOT NULL, job int);
CREATE TABLE columns (id int PRIMARY KEY, dataset int NOT NULL, name text NOT NULL);
CREATE TABLE column_edges (src int NOT NULL, dst int NOT NULL);
\copy datasets FROM '$DATA/datasets.csv' WITH (FORMAT csv, HEADER true)
\copy jobs FROM '$DATA/jobs.csv' WITH (FORMAT csv, HEADER true)
\copy lineage_edges FROM '$DATA/dataset_edges.csv' WITH (FORMAT csv, HEADER true)
\copy columns FROM '$DATA/columns.csv' WITH (FORMAT csv, HEADER true)
\copy column_edges FROM '$DATA/column_edges.csv' WITH (FORMAT csv, HEADER true)
CREATE UNIQUE INDEX datasets_urn ON datasets (urn);
CREATE INDEX lineage_down ON lineage_edges (src, dst) INCLUDE (job);
CREATE INDEX lineage_up ON lineage_edges (dst, src) INCLUDE (job);
CREATE INDEX columns_by_dataset ON columns (dataset, name);
CREATE INDEX column_down ON column_edges (src, dst);
CREATE INDEX column_up ON column_edges (dst, src);
VACUUM ANALYZE;
SQL
metric pg_load_s "$(elapsed "$START")"
metric pg_db_mib "$("${PSQL[@]}" -d lineage -tAc "SELECT pg_database_size('lineage') / 1048576")"
log "PostgreSQL: recursive-CTE queries"
"$BIN/bench/pg_lineage_client" --conninfo "host=$WORK/pgsock port=$PGPORT user=postgres dbname=lineage" \
  --data "$DATA" --tsv "$WORK/pg.tsv"
cat "$WORK/pg.tsv" >>"$RESULTS"
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null

# 3. In process.
log "lineage_bench: tidemark in process and the CSR floor"
"$BIN/bench/lineage_bench" --data "$DATA" --tsv "$WORK/inproc.tsv"
cat "$WORK/inproc.tsv" >>"$RESULTS"

# 4. Over HTTP.
if [ -x "$BIN/tools/tidemark" ] && [ -x "$BIN/bench/http_lineage_client" ]; then
  PORT=$(free_port)
  URL=http://127.0.0.1:$PORT
  serve() {
    "$BIN/tools/tidemark" serve --data-dir "$WORK/tidemark" --listen "127.0.0.1:$PORT" --no-fsync \
      --threads 2 --body-limit-mib 256 2>>"$WORK/server.log" &
    SERVER_PID=$!
  }
  stop_server() { kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }
  log "tidemark serve: bulk ingest over HTTP"
  serve
  "$BIN/bench/http_lineage_client" --wait "$URL" >/dev/null
  "$BIN/bench/http_lineage_client" --url "$URL" --ingest "$DATA/tidemark_batches.jsonl" --tsv "$RESULTS"
  metric server_rss_after_ingest_mib "$(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.0f", $1/1024}')"
  stop_server
  log "tidemark serve: restart (graph rebuild from RocksDB)"
  serve
  metric server_startup_s "$("$BIN/bench/http_lineage_client" --wait "$URL" --timeout 600)"
  metric server_rss_after_restart_mib "$(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.0f", $1/1024}')"
  "$BIN/bench/http_lineage_client" --url "$URL" --data "$DATA" --tsv "$RESULTS" \
    --extra "${LINEAGE_HTTP_EXTRA-&max_nodes=1000000}"
  if command -v wrk >/dev/null; then
    python3 - "$DATA/starts.csv" "$WORK/paths.txt" "${LINEAGE_HTTP_EXTRA-&max_nodes=1000000}" <<'PY'
import csv, sys, urllib.parse
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for row in csv.DictReader(f):
        out.write("/api/v1/lineage/%s?direction=downstream&depth=5&level=dataset%s\n"
                  % (urllib.parse.quote(row["urn"], safe=""), sys.argv[3]))
PY
    cat >"$WORK/paths.lua" <<'LUA'
-- GET a random start node's depth-5 downstream lineage (paths from PATHS_FILE).
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
LUA
    log "wrk: 2 threads, 32 connections, 10 s, depth-5 downstream"
    PATHS_FILE=$WORK/paths.txt wrk -t2 -c32 -d10s --latency -s "$WORK/paths.lua" "$URL" | tee "$WORK/wrk.txt"
    metric wrk_depth5_rps "$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")"
    metric wrk_depth5_p50_ms "$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")"
    metric wrk_depth5_p99_ms "$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")"
  fi
  stop_server
else
  log "skipping HTTP: build/release/tools/tidemark or bench/http_lineage_client is not built"
fi

# 5. Side by side.
python3 - "$RESULTS" "$SIZE" <<'PY'
import sys
rows, metrics = {}, {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "metric":
        metrics[f[1]] = f[2]
    elif len(f) == 5:
        rows.setdefault(f[1], {})[f[0]] = (float(f[2]), float(f[3]), float(f[4]))

def t(us):
    if us < 1000: return f"{us:.0f}us"
    if us < 1e6: return f"{us / 1000:.1f}ms"
    return f"{us / 1e6:.2f}s"

def m(name, unit=""):
    v = metrics.get(name)
    return "-" if v is None or v == "" else f"{float(v):.2f}{unit}" if "." in v else v + unit

print(f"\n=== lineage, {sys.argv[2]} graph: PostgreSQL 15 vs tidemark vs CSR floor ===\n")
print(f"{'':34}{'postgres':>14}{'tidemark in-proc':>18}{'CSR floor':>12}{'tidemark HTTP':>15}")
print(f"{'load (s)':34}{m('pg_load_s'):>14}{m('tidemark_load_s'):>18}{m('csr_build_s'):>12}{m('http_ingest_s'):>15}")
print(f"{'start-up / rebuild (s)':34}{'-':>14}{m('tidemark_startup_s'):>18}{'-':>12}{m('server_startup_s'):>15}")
print(f"{'memory (MiB)':34}{'512 shbuf':>14}{m('tidemark_load_rss_delta_mib'):>18}"
      f"{m('csr_mib'):>12}{m('server_rss_after_restart_mib'):>15}")
print(f"{'on disk (MiB)':34}{m('pg_db_mib'):>14}")
print()
systems = ["postgres", "tidemark in-process", "CSR floor", "tidemark HTTP"]
print(f"{'query (p50 / p99)':18}{'nodes':>8}" + "".join(f"{s:>22}" for s in systems))
order = [f"{d} {x}" for d in ("up", "down") for x in ("d1", "d3", "d5", "d10", "all")] + ["column down all"]
for q in order:
    if q not in rows: continue
    r = rows[q]
    nodes = r.get("CSR floor", r.get("postgres", (0, 0, 0)))[2]
    cells = []
    for s in systems:
        cells.append(f"{t(r[s][0])} / {t(r[s][1])}" if s in r else "-")
    print(f"{q:18}{nodes:>8.0f}" + "".join(f"{c:>22}" for c in cells))
if "wrk_depth5_rps" in metrics:
    print(f"\nwrk, 32 connections, depth-5 downstream over HTTP: {metrics['wrk_depth5_rps']} req/s, "
          f"p50 {metrics.get('wrk_depth5_p50_ms')}, p99 {metrics.get('wrk_depth5_p99_ms')}")
if metrics.get("mismatches", "0") != "0":
    print(f"\nWARNING: {metrics['mismatches']} node-count mismatches between tidemark and the CSR")
print("\nnodes: mean nodes reached per start (CSR); postgres and tidemark return URN + distance of each;"
      "\nHTTP includes building and reading the whole JSON body. memory: postgres = its configured"
      "\nshared_buffers (the database fits in it), tidemark in-proc = RSS growth during load, server = ps rss.")
PY
