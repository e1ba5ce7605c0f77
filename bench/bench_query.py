"""Benchmark: a cold `tttt-kg query NAME` on the built seed graph, whole process, median of N runs.

Run from the repository root (in the venv):

    python bench/bench_query.py                 # mandate-at, 5 runs
    python bench/bench_query.py timeline --runs 9

It builds the seed graph into a temporary Turtle file first (as `tttt-kg build` writes
out/tttt-kg.ttl), then starts `tttt-kg query NAME --graph FILE` as a fresh process each time,
so every run pays the interpreter start, the imports and loading the graph. The figures go
to bench/results/query.md. Target (issue 3): median ≤ 0.5 s wall.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "query.md"
TARGET_SECONDS = 0.5


def tttt_kg_command() -> list[str]:
    exe = shutil.which("tttt-kg")
    return [exe] if exe else [sys.executable, "-c", "from tttt_kg.cli import main; main()"]


def timed_run(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", default="mandate-at", help="named query to run (default mandate-at)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "tttt-kg.ttl"
        subprocess.run(tttt_kg_command() + ["build", "--no-validate", "-o", str(graph)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cmd = tttt_kg_command() + ["query", args.name, "--graph", str(graph)]
        timed_run(cmd)   # warm the OS file cache once; each measured run is still a fresh process
        times = [timed_run(cmd) for _ in range(args.runs)]
        baseline = [timed_run([sys.executable, "-c", "pass"]) for _ in range(args.runs)]

    median = statistics.median(times)
    shown = f"tttt-kg query {args.name} --graph <built seed graph>"
    report = "\n".join([
        "# Benchmark: cold `tttt-kg query`",
        "",
        f"Command: `python bench/bench_query.py {args.name} --runs {args.runs}` (measures `{shown}`, one fresh process per run)",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        "| measure | seconds |",
        "|---|---|",
        f"| median of {args.runs} runs (wall) | {median:.3f} |",
        f"| fastest / slowest | {min(times):.3f} / {max(times):.3f} |",
        f"| bare `python -c pass`, median | {statistics.median(baseline):.3f} |",
        "",
        f"Target: ≤ {TARGET_SECONDS} s — {'met' if median <= TARGET_SECONDS else 'NOT met'}.",
        "",
    ])
    sys.path.insert(0, str(REPO))
    from tttt_kg.graph.atomic import write_text_atomic
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(RESULTS, report)
    print(report)


if __name__ == "__main__":
    main()
