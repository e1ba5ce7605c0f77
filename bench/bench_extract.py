"""Benchmark: `tttt-kg extract` throughput, in megabytes of UTF-8 input per second.

Run from the repository root (in the venv):

    python bench/bench_extract.py               # ≥ 2 MB corpus, 3 runs, median
    python bench/bench_extract.py --mb 8 --runs 5

The corpus is the seed (../shared/seed/) and the test passages of tests/extract_passages.py,
repeated until it reaches the size asked for, as one file. Each run does what the command does
with it: decode the bytes, repair the text, extract, and build and serialise the candidate
records. The figures go to bench/results/extract.md. Target (issue 5): ≥ 1 MB of text per second.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "de-cuong-15-nam-so-tttt-hai-duong-2019.txt"
RESULTS = REPO / "bench" / "results" / "extract.md"
TARGET_MB_PER_S = 1.0


def corpus(megabytes: float) -> bytes:
    sys.path.insert(0, str(REPO / "tests"))
    from extract_passages import CIRCULAR, DECISION, HISTORY_PAGE
    pieces = [HISTORY_PAGE, DECISION, CIRCULAR]
    if SEED.is_file():
        pieces.insert(0, SEED.read_text(encoding="utf-8"))
    block = "\n\n".join(pieces).encode("utf-8")
    copies = max(1, int(megabytes * 1_000_000 // len(block)) + 1)
    return b"\n\n".join([block] * copies)


def run_once(data: bytes) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, characters) for one run of the whole extraction."""
    from tttt_kg.graph.extract import build_candidates, decode, extract, to_yaml
    wall, cpu = time.perf_counter(), time.process_time()
    text = decode(data, "corpus.txt")
    candidates = build_candidates(extract(text), "corpus.txt")
    to_yaml(candidates)
    return time.perf_counter() - wall, time.process_time() - cpu, len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="corpus size in MB of UTF-8 (default 2)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = corpus(args.mb)
    run_once(data[:data.index(b"\n\n", 20000)])   # warm up: imports, the SKOS index
    walls, cpus = [], []
    for _ in range(args.runs):
        wall, cpu, chars = run_once(data)
        walls.append(wall)
        cpus.append(cpu)
    mb = len(data) / 1_000_000
    wall_rate, cpu_rate = mb / statistics.median(walls), mb / statistics.median(cpus)
    verdict = "meets" if cpu_rate >= TARGET_MB_PER_S else "MISSES"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# tttt-kg extract: throughput",
        "",
        f"Command: `python bench/bench_extract.py --mb {args.mb:g} --runs {args.runs}`",
        "",
        f"- corpus: {mb:.2f} MB of UTF-8, {chars:,} characters ({'seed + ' if SEED.is_file() else ''}test passages, repeated)",
        f"- runs (wall): {', '.join(f'{t:.2f} s' for t in walls)}; median {statistics.median(walls):.2f} s → **{wall_rate:.2f} MB/s**",
        f"- runs (CPU time of the process): {', '.join(f'{t:.2f} s' for t in cpus)}; median {statistics.median(cpus):.2f} s"
        f" → **{cpu_rate:.2f} MB/s** ({chars / statistics.median(cpus) / 1e6:.2f} million characters/s)",
        f"- target ≥ {TARGET_MB_PER_S:g} MB/s of text: {verdict} (judged on CPU time; wall time depends on what else runs)",
        f"- machine: Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load:.1f} during the runs",
        "",
        "Each run decodes the bytes, repairs the text, extracts, and builds and serialises the candidate records.",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    from tttt_kg.graph.atomic import write_text_atomic
    write_text_atomic(RESULTS, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
