#!/usr/bin/env bash
# bench/http_bench.sh [ENTITIES]: HTTP throughput of the aspect API with wrk. Starts
# build/release/tools/tidemark serve on 127.0.0.1 (free port, scratch data dir, --no-fsync unless
# FSYNC=1), loads ENTITIES datasets (default 10000) through POST /api/v1/aspects:batch, then runs
# wrk (keep-alive, 2 threads, 32 connections, 10 s each) for
#   GET /api/v1/entities/{urn}/aspects/datasetProperties   random URNs
#   PUT /api/v1/entities/{urn}/aspects/datasetProperties   random URNs, a new description each time
# and prints requests/s and latency percentiles. The server and the data dir go away on exit.
set -euo pipefail
ENTITIES=${1:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/release
WORK=$(mktemp -d /tmp/tidemark-http-bench.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '\033[1m[http-bench]\033[0m %s\n' "$*" >&2; }

[ -x "$BIN/tools/tidemark" ] || { echo "missing $BIN/tools/tidemark: build the release preset" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
FSYNC_FLAG=--no-fsync
[ "${FSYNC:-0}" = 1 ] && FSYNC_FLAG=""
"$BIN/tools/tidemark" serve --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" $FSYNC_FLAG \
  --threads 2 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 600); do
  curl -sf "$URL/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.05
done

# Batch files (1000 writes each) and the percent-encoded paths wrk picks from.
python3 - "$ENTITIES" "$WORK" <<'PY'
import json, sys, urllib.parse
n, work = int(sys.argv[1]), sys.argv[2]
urns = [f"urn:li:dataset:(urn:li:dataPlatform:trino,warehouse.schema_{i % 100}.table_{i},PROD)" for i in range(n)]
for b in range(0, n, 1000):
    writes = [{"urn": u, "aspect": "datasetProperties",
               "value": {"name": u.split(",")[1], "description": f"Table {i}: one row per event.",
                         "customProperties": {"owner_team": f"team_{i % 17}"}}}
              for i, u in enumerate(urns[b:b + 1000], start=b)]
    with open(f"{work}/batch_{b // 1000:05d}.json", "w") as f:
        json.dump({"writes": writes}, f)
with open(f"{work}/paths.txt", "w") as f:
    for u in urns:
        f.write(f"/api/v1/entities/{urllib.parse.quote(u, safe='')}/aspects/datasetProperties\n")
PY
log "loading $ENTITIES entities through /api/v1/aspects:batch"
START=$(date +%s.%N)
for f in "$WORK"/batch_*.json; do
  code=$(curl -s -o "$WORK/batch.out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary "@$f" "$URL/api/v1/aspects:batch")
  [ "$code" = 200 ] || { echo "batch load failed: HTTP $code $(head -c 300 "$WORK/batch.out")" >&2; exit 1; }
done
LOAD_S=$(python3 -c "import time; print(f'{time.time() - $START:.2f}')")

cat >"$WORK/get.lua" <<'LUA'
-- GET the datasetProperties aspect of a random loaded entity.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
done = function(summary, latency, requests)
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
LUA
cat >"$WORK/put.lua" <<'LUA'
-- PUT a new datasetProperties value (a fresh description each time) on a random loaded entity.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
local counter = 0
local headers = {["Content-Type"] = "application/json", ["X-Tidemark-User"] = "wrk"}
request = function()
  counter = counter + 1
  local body = string.format('{"description":"revision %d-%d: one row per event"}',
                             counter, math.random(1000000000))
  return wrk.format("PUT", paths[math.random(#paths)], headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
LUA

declare -A RPS P50 P90 P99 ERR
for op in get put; do
  log "wrk $op: 2 threads, 32 connections, 10 s"
  PATHS_FILE=$WORK/paths.txt wrk -t2 -c32 -d10s --latency -s "$WORK/$op.lua" "$URL" >"$WORK/$op.txt"
  RPS[$op]=$(awk '/Requests\/sec/ {print $2}' "$WORK/$op.txt")
  P50[$op]=$(awk '$1 == "50%" {print $2}' "$WORK/$op.txt")
  P90[$op]=$(awk '$1 == "90%" {print $2}' "$WORK/$op.txt")
  P99[$op]=$(awk '$1 == "99%" {print $2}' "$WORK/$op.txt")
  ERR[$op]=$(awk -F= '/^non2xx=/ {print $2}' "$WORK/$op.txt")
done
RSS=$(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.0f", $1/1024}')

echo
echo "=== tidemark HTTP aspect API: $ENTITIES entities, server --threads 2 ${FSYNC_FLAG:-(fsync on)}, wrk -t2 -c32 -d10s ==="
echo "batch load: $ENTITIES aspects in ${LOAD_S} s; server RSS after the run: ${RSS} MiB"
printf '%-34s %12s %10s %10s %10s %8s\n' operation "requests/s" p50 p90 p99 non-2xx
printf '%-34s %12s %10s %10s %10s %8s\n' "GET aspect (random URN)" "${RPS[get]}" "${P50[get]}" "${P90[get]}" "${P99[get]}" "${ERR[get]:-0}"
printf '%-34s %12s %10s %10s %10s %8s\n' "PUT aspect (random URN, new value)" "${RPS[put]}" "${P50[put]}" "${P90[put]}" "${P99[put]}" "${ERR[put]:-0}"
