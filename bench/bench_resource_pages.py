"""How long a resource page takes on the seed (issue 19: ≤ 50 ms): `tttt-kg serve` on the built graph,
each page fetched by a keep-alive client after one warm-up, median and p95 of 30 fetches, and the 303
hop from the IRI on its own. Writes bench/results/resource_pages.md.

    python bench/bench_resource_pages.py [--graph out/tttt-kg.ttl]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from served import running_server  # noqa: E402

PAGES = ["/id/eli/ubnd-hai-duong/qd/2008/53", "/id/org/so-tttt-hai-duong", "/id/function/buu-chinh",
         "/id/assignment/qd-53-2008/3", "/id/assignment/qd-ubnd-hai-duong-sau-2022/1", "/ontology"]


def timed(client: httpx.Client, url: str, runs: int, **kw) -> list[float]:
    client.get(url, **kw)
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        r = client.get(url, **kw)
        out.append((time.perf_counter() - start) * 1000)
        assert r.status_code in (200, 303), (url, r.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--graph", default=str(HERE.parent / "out" / "tttt-kg.ttl"))
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    rows = []
    load_before = os.getloadavg()[0]
    with running_server("--graph", args.graph) as (base, _), httpx.Client() as client:
        for page in PAGES:
            for suffix in (".html", ".ttl"):
                t = sorted(timed(client, base + page + suffix, args.runs))
                rows.append((page + suffix, statistics.median(t), t[int(len(t) * 0.95) - 1]))
            t = sorted(timed(client, base + page, args.runs, headers={"Accept": "text/html"}))
            rows.append((page + " (303 only)", statistics.median(t), t[int(len(t) * 0.95) - 1]))
    lines = ["# Resource pages on the seed", "", f"{args.runs} fetches each, keep-alive, after one warm-up; "
             "`tttt-kg serve --graph` with its default 2 workers; "
             f"{os.cpu_count()} CPUs, load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after "
             "(other work on the machine slows every figure).", "",
             "| request | median ms | p95 ms |", "|---|---:|---:|"]
    lines += [f"| `{name}` | {med:.1f} | {p95:.1f} |" for name, med, p95 in rows]
    worst = max(med for name, med, _ in rows)
    lines += ["", f"Slowest median: {worst:.1f} ms (target ≤ 50 ms): {'met' if worst <= 50 else 'NOT met'}.", ""]
    out = HERE / "results" / "resource_pages.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
