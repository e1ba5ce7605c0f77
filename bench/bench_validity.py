"""The validity rewrite (issue 13 §4), measured before and after in one run.

    python bench/bench_validity.py                 # 1M triples (tttt-kg synth --size 1M --seed 1)
    python bench/bench_validity.py --size 100k
    python bench/bench_validity.py --previous c476073   # also the texts at another commit, timed in between

On one synthetic corpus (which carries the stored intervals, graph/stores/synth.py), loaded once in memory
(`--store memory`) and once on disk (Oxigraph on RocksDB, bulk-loaded and optimized as `tttt-kg load`
does, reopened read-only), each of mandate-at, units-at, documents-at and changes-between-dates runs
with its default parameters in its text before the rewrite (git show BEFORE:queries/X.rq, re-deriving
the rule) and after (the catalogue's, reading tkg:validity), best of up to 25 runs within
4 s each (as bench_scale.py times queries), the text before first. Both texts must give the same rows
(compared as sets of rows, concatenated columns as sets of parts) with the default parameters and on
three more days (or pairs of days), in memory. With --previous REV the texts at REV are timed too (between
before and after) and checked the same way, so a later rewrite is compared with an earlier one in the same
run. Writes bench/results/validity.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
BEFORE = "ec66ae4"
QUERIES = ["mandate-at", "units-at", "documents-at", "changes-between-dates"]
TARGET = {"memory": 1.0, "disk": 2.0}
# more parameter values whose rows are compared (not timed)
CHECKED = {"at": ["2005-06-01", "2012-07-01", "2019-12-31"],
           "pairs": [("2005-06-01", "2012-07-01"), ("2008-03-17", "2017-03-07"), ("2012-07-01", "2019-12-31")]}
CONCATENATED = {"functions": ", "}


def rowset(result):
    """The rows as a set of tuples (GROUP_CONCAT columns as sets of parts: SPARQL leaves their order open)."""
    def cell(row, v):
        if v not in row:
            return None
        return frozenset(row[v].value.split(CONCATENATED[v])) if v in CONCATENATED else str(row[v])
    return {tuple(cell(row, v) for v in result.variables) for row in result.rows}


def best(fn, budget: float = 4.0, runs: int = 25):
    times, start = [], time.perf_counter()
    while len(times) < runs and (not times or time.perf_counter() - start < budget):
        t = time.perf_counter()
        n = fn()
        times.append(time.perf_counter() - t)
    return min(times), len(times), n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1M")
    ap.add_argument("--queries", nargs="+", default=QUERIES, choices=QUERIES)
    ap.add_argument("--previous", metavar="REV", help="also time the texts at this commit (e.g. an earlier rewrite)")
    args = ap.parse_args()
    load_start = os.getloadavg()[0]
    import pyoxigraph as ox

    from tttt_kg.graph.stores.store import OxigraphStore
    from tttt_kg.queries.catalogue import get, parse_query, run
    work = Path(tempfile.mkdtemp(prefix="bench-validity-"))
    corpus = work / "c.nt"
    exe = str(Path(sys.executable).with_name("tttt-kg"))
    subprocess.run([exe, "synth", "--size", args.size, "--seed", "1", "-o", str(corpus)], check=True)
    data = corpus.read_bytes()
    triples = data.count(b"\n")
    mem = ox.Store()
    mem.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    disk = ox.Store(str(work / "kg"))
    disk.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    disk.optimize()
    del disk
    stores = {"memory": OxigraphStore(mem), "disk": OxigraphStore(ox.Store.read_only(str(work / "kg")), on_disk=True)}
    rows = []
    def text_at(rev, name):
        return parse_query(subprocess.run(["git", "show", f"{rev}:queries/{name}.rq"], cwd=REPO, check=True,
                                          capture_output=True, text=True).stdout, default_id=name)
    for name in args.queries:
        old, new = text_at(BEFORE, name), get(name)
        others = [old] + ([text_at(args.previous, name)] if args.previous else [])
        for where, store in stores.items():
            count = lambda q: len(run(store, q).rows)  # noqa: E731
            b = best(lambda: count(old))
            p = best(lambda: count(others[-1])) if args.previous else None
            a = best(lambda: count(new))
            assert a[2] == b[2] and (p is None or p[2] == a[2]), f"{name} on {where}: {b[2]} rows before, {a[2]} after"
            if where == "memory":
                days = CHECKED["pairs"] if name == "changes-between-dates" else CHECKED["at"]
                for params in [None] + [dict(zip(("from", "to"), d)) if isinstance(d, tuple) else {"at": d}
                                        for d in days]:
                    for other in others:
                        assert rowset(run(store, other, params)) == rowset(run(store, new, params)), (name, params)
            rows.append((name, where, b[0], a[0], a[2], p and p[0]))
            also = f"previous {p[0]*1000:8.0f} ms  " if p else ""
            print(f"{name:24} {where:6} before {b[0]*1000:8.0f} ms  {also}after {a[0]*1000:8.0f} ms  "
                  f"ratio {b[0]/a[0]:5.2f}  rows {a[2]}", flush=True)
    load = os.getloadavg()[0]
    lines = [
        "# Validity stored: the named queries before and after (issue 13 §4)", "",
        f"`python bench/bench_validity.py --size {args.size}` on {platform.node()}: {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
        f"{load_start:.1f} at the start and {load:.1f} at the end (the machine is shared). One synthetic corpus of {triples:,} triples (seed 1), in "
        "memory and on disk (bulk load + optimize, read-only); each query with its default parameters, its text "
        f"before the rewrite (commit {BEFORE}) and after, best of up to 25 runs within 4 s, before then after "
        "per query; same number of rows before and after (asserted), and the same rows in memory with the default "
        "parameters and three more days or pairs of days (asserted).", "",
        *([f"The texts at commit {args.previous} (`previous`) are timed too, between before and after, and give the "
           "same rows (asserted likewise).", ""] if args.previous else []),
        "| query | store | before | " + ("previous | " if args.previous else "") + "after | before / after | "
        + ("previous / after | " if args.previous else "") + "rows | target | met |",
        "|---|---|---:|" + ("---:|" if args.previous else "") + "---:|---:|" + ("---:|" if args.previous else "")
        + "---:|---:|---|"]
    for name, where, b, a, n, p in rows:
        lines.append(f"| {name} | {where} | {b*1000:.0f} ms | " + (f"{p*1000:.0f} ms | " if p else "")
                     + f"{a*1000:.0f} ms | {b/a:.2f} × | " + (f"{p/a:.2f} × | " if p else "")
                     + f"{n:,} | ≤ {TARGET[where]:g} s | {'yes' if a <= TARGET[where] else 'no'} |")
    out = RESULTS / ("validity.md" if args.queries == QUERIES else f"validity-{'-'.join(args.queries)}.md")
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
