"""Benchmark: `tttt-kg extract` throughput, in megabytes of UTF-8 input per second.

Run from the repository root (in the venv):

    python bench/bench_extract.py                       # 1, 10 and 50 MB, one run each
    python bench/bench_extract.py --sizes 1,10 --runs 3
    python bench/bench_extract.py --before c476073 --pairs 3   # and the code of that commit, alternating

The corpus is the seed (../shared/seed/) and the test passages of tests/extract_passages.py,
repeated until it reaches the size asked for, as one file. Each run does what the command does
with it: decode the bytes, repair the text, extract block by block, and build and serialise the
candidate records. The figures (throughput, peak RSS) go to bench/results/extract.md. Targets
(issue 14): ≥ 2 MB/s at 50 MB, peak memory ≤ 400 MB, throughput at 1, 10 and 50 MB within 30 %.
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
TARGET_MB_PER_S = 2.0          # issue 14: at 50 MB, on this 2-CPU machine
TARGET_RSS_MB = 400
TARGET_SPREAD = 0.30           # the same throughput at 1, 10 and 50 MB within 30 %


def corpus(megabytes: float) -> bytes:
    sys.path.insert(0, str(REPO / "tests"))
    from extract_passages import CIRCULAR, DECISION, HISTORY_PAGE
    pieces = [HISTORY_PAGE, DECISION, CIRCULAR]
    if SEED.is_file():
        pieces.insert(0, SEED.read_text(encoding="utf-8"))
    block = "\n\n".join(pieces).encode("utf-8")
    copies = max(1, int(megabytes * 1_000_000 // len(block)) + 1)
    return b"\n\n".join([block] * copies)


def _waited() -> float:
    """Seconds this process has spent runnable but waiting for a CPU (Linux /proc/self/schedstat; 0 elsewhere).
    Wall time is CPU time plus this wait (the run does no I/O): it tells a slow run from a busy machine."""
    try:
        return int(Path("/proc/self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def run_once(data: bytes, package: str = "tttt_kg") -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds, seconds waiting for a CPU, characters, SHA-256 of the YAML) for one run of the
    whole extraction, as the command does it. CPU time is this process's own (process_time: the run starts no
    other process). ``package``: tttt_kg, or the copy of an earlier commit's graph/ that --before makes."""
    import hashlib
    import importlib
    extract = importlib.import_module(f"{package}.graph.extract")
    wall, cpu, waited = time.perf_counter(), time.process_time(), _waited()
    text = extract.decode(data, "corpus.txt")
    candidates = extract.extract_candidates(text, "corpus.txt")
    yaml_text = extract.to_yaml(candidates)
    times = time.perf_counter() - wall, time.process_time() - cpu, _waited() - waited
    return (*times, len(text), hashlib.sha256(yaml_text.encode("utf-8")).hexdigest())


def one_size(megabytes: float, runs: int, package: str = "tttt_kg") -> dict:
    """Run in a process of its own, so that its peak RSS is this size's alone."""
    import resource
    data = corpus(megabytes)
    run_once(data[:data.index(b"\n\n", 20000)], package)   # warm up: imports, the SKOS index
    walls, cpus, waits = [], [], []
    for _ in range(runs):
        wall, cpu, waited, chars, digest = run_once(data, package)
        walls.append(wall)
        cpus.append(cpu)
        waits.append(waited)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024      # KiB on Linux
    return {"mb": len(data) / 1e6, "chars": chars, "walls": walls, "cpus": cpus, "waits": waits, "peak_rss_mb": rss,
            "yaml_sha256": digest}


def earlier_code(ref: str) -> Path:
    """The graph/ folder of commit ``ref`` as a package of its own, tttt_kg_before (its imports of tttt_kg.graph
    renamed), in a temporary folder: the extraction as it was, to run beside this one."""
    import io
    import subprocess
    import tarfile
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    package = folder / "tttt_kg_before"
    package.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "graph"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(package, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (package / "__init__.py").write_text("", encoding="utf-8")
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("tttt_kg.graph", "tttt_kg_before.graph"), encoding="utf-8")
    return folder


def child(size: float, runs: int, package: str = "tttt_kg", path: Path | None = None) -> dict:
    """one_size in a process of its own."""
    import json
    import subprocess
    command = [sys.executable, __file__, "--one", str(size), "--runs", str(runs), "--package", package]
    if path is not None:
        command += ["--path", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(ref: str, sizes: list[float], pairs: int) -> list[str]:
    """Lines for the results: CPU time of commit ``ref``'s extraction and this one's, each run in a process of its
    own, alternating (so that both meet the same load), with the ratio of their medians and best runs."""
    import shutil
    folder = earlier_code(ref)
    rows, load0 = [], os.getloadavg()[0]
    try:
        for size in sizes:
            before, after, digests = [], [], set()
            for i in range(pairs):
                for which in (("before", "after") if i % 2 == 0 else ("after", "before")):
                    r = child(size, 1, "tttt_kg_before", folder) if which == "before" else child(size, 1)
                    (before if which == "before" else after).append(r["cpus"][0])
                    digests.add(r["yaml_sha256"])
            mb = r["mb"]
            rows.append(f"| {mb:.1f} MB | {statistics.median(before):.2f} s ({mb / statistics.median(before):.2f} MB/s) "
                        f"| {statistics.median(after):.2f} s ({mb / statistics.median(after):.2f} MB/s) "
                        f"| **{statistics.median(before) / statistics.median(after):.2f}×** "
                        f"| {min(before) / min(after):.2f}× | {'yes' if len(digests) == 1 else 'NO'} |")
            print(rows[-1], file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load1 = os.getloadavg()[0]
    return ["", f"Against the code of {ref}: `--before {ref} --pairs {pairs}`, each run in a process of its own, "
            f"the two alternating (load average {load0:.1f} before and {load1:.1f} after); CPU time, median of {pairs} "
            "runs each:", "",
            f"| input | {ref} | this code | ratio (medians) | ratio (best runs) | same YAML |", "|---|---|---|---|---|---|",
            *rows]


def main() -> None:
    import json
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50", help="corpus sizes in MB of UTF-8 (default 1,10,50)")
    parser.add_argument("--runs", type=int, default=1, help="runs per size (the median is kept)")
    parser.add_argument("--before", metavar="COMMIT", help="also run the extraction of this commit, alternating with "
                                                               "this one, and give the ratio of CPU times")
    parser.add_argument("--pairs", type=int, default=3, help="with --before: runs of each, per size (default 3)")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)     # the child process for one size
    parser.add_argument("--package", default="tttt_kg", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        if args.path:
            sys.path.insert(0, args.path)
        print(json.dumps(one_size(args.one, args.runs, args.package)))
        return
    load0 = os.getloadavg()[0]
    results = []
    sizes = [float(x) for x in args.sizes.split(",")]
    for size in sizes:
        r = child(size, args.runs)
        r["wall_rate"] = r["mb"] / statistics.median(r["walls"])
        r["cpu_rate"] = r["mb"] / statistics.median(r["cpus"])
        results.append(r)
        print(f"{r['mb']:.1f} MB: {r['cpu_rate']:.2f} MB/s CPU, {r['wall_rate']:.2f} MB/s wall, "
              f"peak RSS {r['peak_rss_mb']:.0f} MB", file=sys.stderr)
    load1 = os.getloadavg()[0]
    rates = [r["cpu_rate"] for r in results]
    spread = max(rates) / min(rates) - 1
    big = results[-1]
    verdicts = [
        f"≥ {TARGET_MB_PER_S:g} MB/s at {big['mb']:.0f} MB: {'meets' if big['cpu_rate'] >= TARGET_MB_PER_S else 'MISSES'}"
        f" ({big['cpu_rate']:.2f} MB/s on CPU time; {big['wall_rate']:.2f} MB/s on wall time, which adds "
        f"{statistics.median(big['waits']):.1f} s waiting for a CPU)",
        f"peak RSS ≤ {TARGET_RSS_MB} MB: {'meets' if max(r['peak_rss_mb'] for r in results) <= TARGET_RSS_MB else 'MISSES'}",
        f"throughput within {TARGET_SPREAD:.0%} across sizes: {'meets' if spread <= TARGET_SPREAD else 'MISSES'}"
        f" (fastest/slowest − 1 = {spread:.0%})",
    ]
    comparison = compare(args.before, sizes, args.pairs) if args.before else []
    before = f" --before {args.before} --pairs {args.pairs}" if args.before else ""
    lines = [
        "# tttt-kg extract: throughput and memory by input size",
        "",
        f"Command: `python bench/bench_extract.py --sizes {args.sizes} --runs {args.runs}{before}`",
        "",
        "| input | characters | CPU time | MB/s (CPU) | wall | MB/s (wall) | waiting for a CPU | peak RSS |",
        "|---|---|---|---|---|---|---|---|",
        *[f"| {r['mb']:.1f} MB | {r['chars']:,} | {statistics.median(r['cpus']):.1f} s | **{r['cpu_rate']:.2f}** "
          f"| {statistics.median(r['walls']):.1f} s | {r['wall_rate']:.2f} | {statistics.median(r['waits']):.1f} s "
          f"| {r['peak_rss_mb']:.0f} MB |" for r in results],
        "",
        *[f"- {v}" for v in verdicts],
        f"- machine: Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs shared with "
        f"other work, load average {load0:.1f} before and {load1:.1f} after: wall time is CPU time plus the wait for "
        "a CPU (the kernel's per-process count, /proc/self/schedstat), which grows with the load; CPU time is the "
        "run's own process_time, measured in the process that runs it",
        *comparison,
        "",
        "Each size runs in a process of its own (peak RSS is that size's): decode the bytes, extract block by block "
        "(graph/extract/stream.py), build and serialise the candidate records as YAML. The corpus is the seed and the "
        "test passages repeated, so it names the same bodies again and again: a real corpus has more distinct "
        "names, and more records to merge.",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    from tttt_kg.graph.atomic import write_text_atomic
    write_text_atomic(RESULTS, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
