#!/usr/bin/env python3
"""An adversarial soak of `tidemark serve` on loopback, as an unfriendly user would run it.

  tools/soak.py --binary build/release/tools/tidemark [--minutes M] [--quick]

Phases, each against a real server process on 127.0.0.1 with its own data directory:
  1. crash cycles: concurrent writers PUT aspects while the server is killed (SIGKILL and SIGTERM
     in turn) and restarted; every acknowledged write must be readable afterwards and the change
     log must have no gap;
  2. hostile inputs: malformed, lenient, oversized and invalid-UTF-8 requests must each get a 4xx
     whose body is valid JSON, and the server must stay up;
  3. slow clients: connections that dribble their headers while /healthz keeps answering;
  4. amplification probes: a re-sent 50k-upstream aspect and 50k-input OpenLineage event, a small
     write behind them, clients that pipeline big responses and never read, an all-paths query on
     a layered graph, a 10,000-way UNION ALL through the query-log route, and idle connections
     past the descriptor limit;
  5. a short mixed load: wrk reads while a writer PUTs.
It prints one table of figures. --quick shrinks every size so the whole run takes about a minute
(the test suite runs it that way). Exit status: 0 when no acknowledged write was lost, the change
log had no gap, every hostile input was refused cleanly and every bound held; 1 otherwise. Timing
figures are printed, never asserted.
"""
import argparse
import http.client
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid


def log(msg):
    print(f"[soak] {msg}", file=sys.stderr, flush=True)


def enc(urn):
    return urllib.parse.quote(urn, safe="")


def dataset(name, platform="trino"):
    return f"urn:li:dataset:(urn:li:dataPlatform:{platform},{name},PROD)"


class Server:
    """One `tidemark serve` child on an ephemeral loopback port."""

    def __init__(self, binary, data_dir, log_path, nofile=None, extra=()):
        self.log_path = log_path
        limits = None
        if nofile is not None:
            def limits():
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        start = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        with open(log_path, "ab") as out:
            self.proc = subprocess.Popen(
                [binary, "serve", "--data-dir", data_dir, "--listen", "127.0.0.1:0",
                 "--threads", "2", *extra],
                stdout=out, stderr=out, stdin=subprocess.DEVNULL, preexec_fn=limits)
        self.port = None
        deadline = time.time() + 120
        while time.time() < deadline and self.port is None:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited at start; see {log_path}")
            with open(log_path, "rb") as f:
                f.seek(start)  # only what this start printed: the log is shared by restarts
                m = re.findall(rb"on http://127\.0\.0\.1:(\d+)", f.read())
            if m:
                self.port = int(m[-1])
            else:
                time.sleep(0.05)
        if self.port is None:
            raise RuntimeError(f"server did not start; see {log_path}")

    def conn(self, timeout=120):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=120):
        c = self.conn(timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read()
        finally:
            c.close()

    def status_of(self, key):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def rss(self):
        return self.status_of("VmRSS")

    def peak_rss(self):
        return self.status_of("VmHWM")

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def alive(self):
        try:
            return self.request("GET", "/healthz", timeout=30)[0] == 200
        except OSError:
            return False

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Figures:
    def __init__(self):
        self.rows = []
        self.failures = []

    def add(self, name, value, bound=None, ok=True):
        self.rows.append((name, value, bound or ""))
        if not ok:
            self.failures.append(f"{name}: {value} (bound {bound})")

    def print(self):
        w = max(len(r[0]) for r in self.rows)
        v = max(len(str(r[1])) for r in self.rows)
        print(f"| {'figure'.ljust(w)} | {'value'.ljust(v)} | bound |")
        print(f"|{'-' * (w + 2)}|{'-' * (v + 2)}|-------|")
        for name, value, bound in self.rows:
            print(f"| {name.ljust(w)} | {str(value).ljust(v)} | {bound} |")


# ---------------------------------------------------------------------------------------------
# 1. Crash cycles


def writer_loop(server, writer, cycle, stop, acked, errors):
    c = None
    i = 0
    while not stop.is_set():
        urn = dataset(f"soak.c{cycle}.w{writer}_t{i % 40}")
        desc = f"c{cycle}-w{writer}-{i}"
        body = json.dumps({"description": desc})
        try:
            if c is None:
                c = server.conn(timeout=30)
            c.request("PUT", f"/api/v1/entities/{enc(urn)}/aspects/datasetProperties", body=body,
                      headers={"Content-Type": "application/json", "X-Tidemark-User": "soak"})
            r = c.getresponse()
            r.read()
            if r.status in (200, 201):
                acked.append((urn, desc))
            elif r.status != 503:
                errors.append(f"PUT answered {r.status}")
        except (OSError, http.client.HTTPException):
            c = None
            time.sleep(0.01)
        i += 1


def verify_cycle(server, acked, since):
    """Returns (lost, gap, new_since)."""
    seen = {}
    lost = 0
    for urn, desc in acked:
        if urn not in seen:
            status, body = server.request(
                "GET", f"/api/v1/entities/{enc(urn)}/aspects/datasetProperties/history?limit=1000")
            values = set()
            if status == 200:
                for v in json.loads(body)["versions"]:
                    values.add(v["value"].get("description"))
            seen[urn] = values
        if desc not in seen[urn]:
            lost += 1
    gap = False
    while True:
        status, body = server.request("GET", f"/api/v1/changes?limit=10000&since={since}")
        events = json.loads(body)["events"] if status == 200 else []
        if not events:
            break
        for e in events:
            if e["seq"] != since + 1:
                gap = True
            since = e["seq"]
    return lost, gap, since


def run_cycles(args, work, data, cycles, errors, live):
    """Runs the kill/restart cycles; live[0] is always the server that is running."""
    total_acked = lost = gaps = 0
    since = 0
    for cycle in range(cycles):
        server = live[0]
        stop = threading.Event()
        acked = []
        threads = [threading.Thread(target=writer_loop, args=(server, w, cycle, stop, acked, errors))
                   for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.5, 2.0) if args.quick else random.uniform(1.0, 4.0))
        server.stop(signal.SIGKILL if cycle % 2 == 0 else signal.SIGTERM)
        stop.set()
        for t in threads:
            t.join()
        server = live[0] = Server(args.binary, data, os.path.join(work, "crash.log"))
        cycle_lost, gap, since = verify_cycle(server, acked, since)
        total_acked += len(acked)
        lost += cycle_lost
        gaps += 1 if gap else 0
    return total_acked, lost, gaps


def crash_cycles(args, figs, work):
    data = os.path.join(work, "crash")
    cycles = 3 if args.quick else max(3, int(args.minutes * 60 * 0.5 / 4))
    errors = []
    live = [Server(args.binary, data, os.path.join(work, "crash.log"))]
    try:
        total_acked, lost, gaps = run_cycles(args, work, data, cycles, errors, live)
    finally:
        live[0].stop()  # the server of the last restart, also when a cycle raised
    figs.add("crash cycles (SIGKILL and SIGTERM in turn)", cycles)
    figs.add("acknowledged writes", total_acked)
    figs.add("acknowledged writes lost", lost, "0", lost == 0)
    figs.add("change-log gaps", gaps, "0", gaps == 0)
    figs.add("unexpected write answers", len(errors), "0", not errors)


# ---------------------------------------------------------------------------------------------
# 2. Hostile inputs


def hostile_inputs(server, work):
    u = enc(dataset("soak.hostile.t"))
    put = f"/api/v1/entities/{u}/aspects/datasetProperties"
    plain_file = os.path.join(work, "plain-file")
    with open(plain_file, "w") as f:
        f.write("x")
    cases = [
        ("GET", "/api/v1/column-lineage?nodeId=%ff", None, {}),
        ("GET", "/api/v1/lineage?nodeId=%ff%fe", None, {}),
        ("GET", "/api/v1/entities/%ff", None, {}),
        ("PUT", put, b'{"description":"\xff\xfe"}', {}),
        ("PUT", put, b"\xff\xfe", {}),
        ("POST", "/api/v1/glossary:import", b"\x00\xff: [[[[", {}),
        ("PUT", put, b"{'description':'x'}", {}),
        ("PUT", put, b'{"description":"x",}', {}),
        ("PUT", put, b'{"description":"a\tb"}', {}),
        ("PUT", put, b'{"description":"a\x00b"}', {}),
        ("PUT", put, b'{"description":"x"} trailing', {}),
        ("PUT", put, b"[" * 100000 + b"]" * 100000, {}),
        ("PUT", put, b'{"description":1e999999}', {}),
        ("POST", "/api/v1/aspects:batch", b"[" * 5000, {}),
        ("POST", "/api/v1/admin/backup", json.dumps({"to": plain_file + "/b"}).encode(), {}),
        ("POST", "/api/v1/admin/backup", b'{"to":"/proc/tidemark-soak"}', {}),
        ("POST", "/api/v1/admin/backup", b'{"to":"/tmp/a\\u0000b"}', {}),
        ("PUT", put, b'{"description":"x"}', {"X-Tidemark-Run-Id": "r" * 60000}),
        ("PUT", put, b'{"description":"x"}', {"X-Tidemark-Source": "s" * 5000}),
        ("PUT", put, b'{"description":"x"}', {"X-Tidemark-User": "\xff"}),
        ("POST", "/api/v1/lineage", json.dumps({
            "eventType": "COMPLETE", "eventTime": "2026-01-01T00:00:00Z",
            "run": {"runId": "not-a-uuid"}, "job": {"namespace": "n", "name": "j"},
            "producer": "soak", "inputs": [], "outputs": []}).encode(), {}),
        ("GET", "/api/v1/lineage/path?from=" + u + "&to=" + u + "&all=true&depth=1000000", None, {}),
        ("GET", "/api/v1/entities/urn:li:dataset:(broken", None, {}),
        ("POST", "/api/v1/ingest/query-log", b'{"queries": "x"', {}),
    ]
    tried = failed = 0
    details = []
    for method, path, body, headers in cases:
        tried += 1
        try:
            status, text = server.request(method, path, body=body, headers=headers, timeout=60)
        except (OSError, http.client.HTTPException) as e:
            failed += 1
            details.append(f"{method} {path[:60]}: {e}")
            continue
        good = 400 <= status < 500
        try:
            doc = json.loads(text.decode("utf-8"))
            good = good and "error" in doc
        except (UnicodeDecodeError, ValueError):
            good = False
        if not good:
            failed += 1
            details.append(f"{method} {path[:60]}: {status} {text[:120]!r}")
    # HEAD on a GET route answers like GET without a body.
    tried += 1
    c = server.conn()
    c.request("HEAD", "/healthz")
    r = c.getresponse()
    if r.status != 200 or r.read() != b"":
        failed += 1
        details.append(f"HEAD /healthz: {r.status}")
    c.close()
    return tried, failed, details


# ---------------------------------------------------------------------------------------------
# 3. Slow clients


def slow_clients(server, count, seconds):
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    latencies = []
    end = time.time() + seconds
    while time.time() < end:
        for s in socks:
            try:
                s.sendall(b"X")
            except OSError:
                pass
        t = time.perf_counter()
        ok = server.alive()
        latencies.append((time.perf_counter() - t) if ok else float("inf"))
        time.sleep(0.2)
    for s in socks:
        s.close()
    latencies.sort()
    return latencies[int(len(latencies) * 0.99) - 1 if len(latencies) > 1 else 0]


# ---------------------------------------------------------------------------------------------
# 4. Amplification probes


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def upstream_probe(server, n):
    body = json.dumps({"upstreams": [
        {"dataset": dataset(f"fan.u{i}"), "type": "TRANSFORMED"} for i in range(n)]})
    path = f"/api/v1/entities/{enc(dataset('fan.target'))}/aspects/upstreamLineage"
    first, (s1, _) = timed(lambda: server.request("PUT", path, body))
    small = {}

    def small_put():
        time.sleep(first / 2)  # while the re-sent one is being parsed or written
        small["t"], small["r"] = timed(lambda: server.request(
            "PUT", f"/api/v1/entities/{enc(dataset('fan.small'))}/aspects/datasetProperties",
            b'{"description":"small"}'))

    t = threading.Thread(target=small_put)
    t.start()
    second, (s2, _) = timed(lambda: server.request("PUT", path, body))
    t.join()
    ok = s1 in (200, 201) and s2 in (200, 201) and small["r"][0] in (200, 201)
    return first, second, small["t"], ok


def openlineage_probe(server, n):
    event = {
        "eventType": "COMPLETE", "eventTime": "2026-01-01T00:00:00Z",
        "run": {"runId": str(uuid.UUID(int=7))},
        "job": {"namespace": "soak", "name": "fan_in"}, "producer": "soak",
        "inputs": [{"namespace": "trino://soak:8080", "name": f"lake.fan.in{i}"} for i in range(n)],
        "outputs": [{"namespace": "trino://soak:8080", "name": "lake.fan.out"}]}
    body = json.dumps(event)
    first, (s1, _) = timed(lambda: server.request("POST", "/api/v1/lineage", body))
    second, (s2, _) = timed(lambda: server.request("POST", "/api/v1/lineage", body))
    return first, second, s1 in (200, 201) and s2 in (200, 201)


def fill_change_log(server, events):
    """Writes `events` small aspects so that a changes page of 10,000 events is megabytes."""
    for start in range(0, events, 1000):
        writes = [{"urn": dataset(f"soak.fill.t{i}"), "aspect": "datasetProperties",
                   "value": {"description": f"fill {i} " + "x" * 100}}
                  for i in range(start, min(events, start + 1000))]
        status, body = server.request("POST", "/api/v1/aspects:batch", json.dumps(writes))
        if status not in (200, 201):
            raise RuntimeError(f"filling the change log: {status} {body[:200]!r}")


def pipelining_probe(server, clients, per_client):
    status, body = server.request("GET", "/api/v1/changes?since=0&limit=10000")
    page = len(body)
    before = server.rss()
    request = b"GET /api/v1/changes?since=0&limit=10000 HTTP/1.1\r\nHost: x\r\n\r\n"
    socks = []
    for _ in range(clients):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setblocking(False)
        try:
            s.sendall(request * per_client)
        except (BlockingIOError, OSError):
            pass
        socks.append(s)
    time.sleep(3)
    during = server.rss()
    for s in socks:
        s.close()
    time.sleep(1)
    return before, during, server.rss(), page


def layered_graph(server, layers, width):
    writes = []
    for i in range(layers):
        for j in range(width):
            ups = [dataset("paths.src")] if i == 0 else [
                dataset(f"paths.l{i - 1}_{k}") for k in range(width)]
            writes.append({"urn": dataset(f"paths.l{i}_{j}"), "aspect": "upstreamLineage",
                           "value": {"upstreams": [{"dataset": u, "type": "TRANSFORMED"}
                                                   for u in ups]}})
    writes.append({"urn": dataset("paths.dst"), "aspect": "upstreamLineage",
                   "value": {"upstreams": [{"dataset": dataset(f"paths.l{layers - 1}_{k}"),
                                            "type": "TRANSFORMED"} for k in range(width)]}})
    status, body = server.request("POST", "/api/v1/aspects:batch", json.dumps(writes))
    if status != 200:
        raise RuntimeError(f"batch for the layered graph: {status} {body[:200]!r}")
    path = (f"/api/v1/lineage/path?from={enc(dataset('paths.src'))}"
            f"&to={enc(dataset('paths.dst'))}&all=true&max_paths=10000")
    seconds, (status, body) = timed(lambda: server.request("GET", path))
    complete = json.loads(body).get("complete") if status == 200 else None
    return seconds, len(body), complete


def union_probe(server, n):
    sql = "INSERT INTO lake.soak.u " + " UNION ALL ".join(
        f"SELECT a, b FROM lake.soak.s{i}" for i in range(n))
    body = json.dumps({"queries": [{"sql": sql, "user": "soak", "dialect": "trino",
                                    "timestamp": "2026-01-01T00:00:00Z"}]})
    first, (s1, t1) = timed(lambda: server.request("POST", "/api/v1/ingest/query-log", body))
    again, (s2, _) = timed(lambda: server.request("POST", "/api/v1/ingest/query-log", body))
    parsed = s1 in (200, 201) and json.loads(t1).get("parsed") == 1
    return first, again, parsed and s2 in (200, 201), t1


def fd_limit_probe(args, work, nofile, idle):
    server = Server(args.binary, os.path.join(work, "fd"), os.path.join(work, "fd.log"),
                    nofile=nofile)
    socks = []
    try:
        for _ in range(idle):
            try:
                s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                socks.append(s)
            except OSError:
                break
        time.sleep(1)
        cpu0 = server.cpu_seconds()
        time.sleep(3)
        busy = (server.cpu_seconds() - cpu0) / 3
        for s in socks:
            s.close()
        socks = []
        time.sleep(0.5)
        alive = server.alive()
    finally:
        for s in socks:
            s.close()
        server.stop()
    return busy, alive


# ---------------------------------------------------------------------------------------------
# 5. Mixed load


def mixed_load(server, seconds):
    urn = dataset("soak.load.t")
    server.request("PUT", f"/api/v1/entities/{enc(urn)}/aspects/datasetProperties",
                   b'{"description":"load"}')
    stop = threading.Event()
    acked, errors = [], []
    writer = threading.Thread(target=writer_loop, args=(server, 99, 99, stop, acked, errors))
    writer.start()
    try:
        out = subprocess.run(
            ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency",
             f"http://127.0.0.1:{server.port}/api/v1/entities/{enc(urn)}"],
            capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        stop.set()
        writer.join()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return (float(rps.group(1)) if rps else 0.0), (p99.group(1) if p99 else "?"), len(acked)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="build/release/tools/tidemark")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    figs = Figures()
    with tempfile.TemporaryDirectory(prefix="tidemark-soak-") as work:
        started = time.time()
        log("crash cycles")
        crash_cycles(args, figs, work)

        server = Server(args.binary, os.path.join(work, "probe"), os.path.join(work, "probe.log"),
                        extra=["--no-fsync"])
        try:
            log("hostile inputs")
            tried, failed, details = hostile_inputs(server, work)
            for d in details:
                log(f"  not refused cleanly: {d}")
            figs.add("bad inputs tried", tried)
            figs.add("bad inputs not refused cleanly (4xx + JSON)", failed, "0", failed == 0)

            log("slow clients")
            p99 = slow_clients(server, 20 if args.quick else 200, 3 if args.quick else 10)
            figs.add("healthz p99 beside slow clients", f"{p99 * 1000:.1f} ms")

            n = 5000 if args.quick else 50000
            log(f"upstreamLineage with {n} upstreams, twice")
            first, second, small, ok = upstream_probe(server, n)
            figs.add(f"PUT {n} upstreams: first / re-sent", f"{first:.2f} s / {second:.2f} s")
            figs.add("small PUT behind the re-sent one", f"{small:.2f} s")
            figs.add("big PUTs answered 2xx", ok, "True", ok)

            log(f"OpenLineage event with {n} inputs, twice")
            first, second, ok = openlineage_probe(server, n)
            figs.add(f"OpenLineage {n} inputs: first / re-sent", f"{first:.2f} s / {second:.2f} s")
            figs.add("OpenLineage probes accepted", ok, "True", ok)

            log("clients that pipeline big responses and never read")
            fill_change_log(server, 2000 if args.quick else 10000)
            before, during, after, page = pipelining_probe(server, 20, 20)
            figs.add("one pipelined response (changes, limit=10000)", f"{page / 2**20:.1f} MiB")
            growth = (during - before) / 2**20
            figs.add("RSS before / during / after non-reading pipeliners",
                     f"{before / 2**20:.0f} / {during / 2**20:.0f} / {after / 2**20:.0f} MiB")
            figs.add("RSS growth from non-reading pipeliners", f"{growth:.0f} MiB", "< 256 MiB",
                     growth < 256)

            log("all paths on a layered graph")
            # The graph: 92 nodes in 15 layers of 6 (6^15 paths of 16 edges) at full size.
            layers, width = (9, 3) if args.quick else (15, 6)
            seconds, size, complete = layered_graph(server, layers, width)
            figs.add("all-paths response (max_paths=10000)",
                     f"{size / 2**20:.1f} MiB in {seconds:.2f} s, complete={complete}",
                     "< 32 MiB", size < 32 * 2**20)

            u = 1000 if args.quick else 10000
            log(f"{u}-way UNION ALL through the query-log route")
            first, again, ok, body = union_probe(server, u)
            figs.add(f"query-log {u}-way UNION ALL: first / re-sent", f"{first:.2f} s / {again:.2f} s")
            figs.add("query-log probe accepted", ok, "True", ok)
            if not ok:
                log(f"  query-log answered: {body[:300]!r}")

            if subprocess.run(["which", "wrk"], capture_output=True).returncode == 0:
                log("mixed load (wrk reads + a writer)")
                rps, p99, writes = mixed_load(server, 3 if args.quick else 15)
                figs.add("mixed load: GET req/s, p99", f"{rps:.0f}/s, {p99}")
                figs.add("mixed load: writes acknowledged", writes)
            figs.add("server peak RSS (probe server)", f"{server.peak_rss() / 2**20:.0f} MiB")
            alive = server.alive()
            figs.add("server alive after the probes", alive, "True", alive)
        finally:
            server.stop()

        log("idle connections past the descriptor limit")
        nofile, idle = (256, 300) if args.quick else (1024, 1100)
        busy, alive = fd_limit_probe(args, work, nofile, idle)
        figs.add(f"server CPU with {idle} idle connections, ulimit -n {nofile}",
                 f"{busy * 100:.0f}%", "< 50%", busy < 0.5)
        figs.add("server answers once they leave", alive, "True", alive)
        figs.add("soak wall time", f"{time.time() - started:.0f} s")
    figs.print()
    if figs.failures:
        for f in figs.failures:
            log(f"FAILED {f}")
        return 1
    log("all bounds held")
    return 0


if __name__ == "__main__":
    sys.exit(main())
