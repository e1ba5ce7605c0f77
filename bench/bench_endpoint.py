"""Load test of `tttt-kg serve` on loopback: N concurrent clients × M queries each.

Starts the server on a free 127.0.0.1 port (the seed graph, built from the records), runs the
clients (each a thread with its own keep-alive connection, cycling through a mix of SPARQL
queries and named-query runs), counts errors, reports p50/p95/p99 latency and throughput,
stops the server by its PID, and writes the figures to bench/results/endpoint.md.

Bounded in count (clients × queries) and in time (--max-seconds): it stops by itself.

    python bench/bench_endpoint.py                      # 20 clients × 500 queries
    python bench/bench_endpoint.py --clients 5 --queries 100 --workers 4
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "endpoint.md"
TTTT_KG = str(Path(sys.executable).with_name("tttt-kg"))

PREFIXES = ("PREFIX eli: <http://data.europa.eu/eli/ontology#>\nPREFIX tkg: <https://w3id.org/tttt-kg/ontology#>\n"
            "PREFIX org: <http://www.w3.org/ns/org#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
# (label, path and query string, Accept)
MIX = [
    ("count triples", "/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
     "application/sparql-results+json"),
    ("decisions by date", "/sparql?" + urllib.parse.urlencode({"query": PREFIXES + (
        "SELECT ?d ?number ?date WHERE { ?d a tkg:AdministrativeDecision ; eli:id_local ?number ; "
        "eli:date_document ?date } ORDER BY ?date")}), "application/sparql-results+xml"),
    ("units and labels", "/sparql?" + urllib.parse.urlencode({"query": PREFIXES + (
        "SELECT ?u ?label ?org WHERE { ?u a org:OrganizationalUnit ; rdfs:label ?label ; org:unitOf ?org "
        "FILTER(LANG(?label) = 'vi') }")}), "text/csv"),
    ("describe the Sở", "/sparql?" + urllib.parse.urlencode(
        {"query": "DESCRIBE <https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong>"}), "text/turtle"),
    ("named: mandate-at", "/queries/mandate-at/run?at=2012-06-01", "application/sparql-results+json"),
    ("named: timeline", "/queries/timeline/run", "application/sparql-results+json"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen([TTTT_KG, "serve", "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read().decode()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 120 s")


def client(port: int, n: int, offset: int, stop_at: float) -> tuple[list[float], list[str]]:
    """One client: ``n`` requests over one keep-alive connection; latencies (s) and errors."""
    latencies, errors = [], []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in range(n):
        if time.monotonic() > stop_at:
            errors.append("not sent: the time bound was reached")
            continue
        label, path, accept = MIX[(offset + i) % len(MIX)]
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept": accept})
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200 or not body:
                errors.append(f"{label}: HTTP {response.status} {body[:200]!r}")
            latencies.append(elapsed)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{label}: {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()
    return latencies, errors


def percentile(sorted_values: list[float], p: float) -> float:
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--queries", type=int, default=500, help="queries per client")
    parser.add_argument("--workers", type=int, default=2, help="server query workers (serve --workers)")
    parser.add_argument("--max-seconds", type=float, default=600, help="stop sending after this long")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    port = free_port()
    server = start_server(port, args.workers)
    try:
        stop_at = time.monotonic() + args.max_seconds
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            outcomes = list(pool.map(lambda c: client(port, args.queries, c, stop_at), range(args.clients)))
        wall = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    latencies = sorted(x for lat, _ in outcomes for x in lat)
    errors = [e for _, errs in outcomes for e in errs]
    total = args.clients * args.queries
    ms = lambda s: f"{s * 1000:.1f} ms"   # noqa: E731
    report = "\n".join([
        "# Endpoint load benchmark",
        "",
        f"`python bench/bench_endpoint.py --clients {args.clients} --queries {args.queries} --workers {args.workers}`"
        f" — {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, loopback, seed graph (built from the records).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| requests | {total} ({args.clients} concurrent clients × {args.queries}) |",
        f"| errors | {len(errors)} |",
        f"| wall time | {wall:.1f} s |",
        f"| throughput | {len(latencies) / wall:.0f} requests/s |",
        f"| latency p50 | {ms(statistics.median(latencies)) if latencies else '–'} |",
        f"| latency p95 | {ms(percentile(latencies, 95)) if latencies else '–'} |",
        f"| latency p99 | {ms(percentile(latencies, 99)) if latencies else '–'} |",
        f"| latency max | {ms(latencies[-1]) if latencies else '–'} |",
        "",
        "Query mix (each client cycles through it): " + "; ".join(label for label, _, _ in MIX) + ".",
        "Latency is measured by the client, request sent to body read, queueing for a worker included.",
        "",
    ] + ([f"First errors: {errors[:5]}", ""] if errors else []))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(f".{args.output.name}.tmp")
    tmp.write_text(report, encoding="utf-8")
    os.replace(tmp, args.output)
    print(report)
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    main()
