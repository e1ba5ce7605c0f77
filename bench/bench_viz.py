"""Benchmark: how fast the HTML views open and become interactive in headless Chromium.

Run from the repository root (in the venv, with Debian's chromium installed):

    python bench/bench_viz.py              # 3 runs per page
    python bench/bench_viz.py --runs 5 --nodes 5000

Two sets of pages are measured:
- the seed's views (the graph built from graph/records), target ≤ 2 s each;
- the explorer view of a synthetic graph with --nodes resources (default 5,000), target ≤ 10 s.
For each page: the time to write it in Python (layout + HTML), and in the browser the time
from navigation to the first drawn frame (``data-ready``) plus one search typed into the
page and answered ("interactive"). Results go to bench/results/viz.md.
"""
from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "viz.md"
SEED_TARGET, SYNTH_TARGET = 2.0, 10.0

WORDS = ["bưu chính", "viễn thông", "báo chí", "xuất bản", "công nghệ thông tin", "phát thanh", "truyền hình",
         "thông tin cơ sở", "tần số", "internet", "văn hoá", "quảng cáo", "điện tử", "hạ tầng", "thuỷ lợi"]


def synthetic_graph(nodes: int, seed: int = 7):
    """A deterministic graph shaped like the real one: decisions, organisations, units,
    functions, assignments and change events, ``nodes`` resources in all."""
    from rdflib import Literal
    from rdflib.namespace import RDF, RDFS, XSD

    from tttt_kg.graph.namespaces import ELI, ID, ORG, TKG, new_graph
    rnd = random.Random(seed)
    g = new_graph()
    share = {"decision": 0.06, "org": 0.08, "unit": 0.16, "function": 0.04, "event": 0.06}
    counts = {k: max(1, int(nodes * v)) for k, v in share.items()}
    counts["assignment"] = nodes - sum(counts.values())
    made: dict[str, list] = {}
    for kind, n in counts.items():
        made[kind] = [ID[f"synth/{kind}/{i}"] for i in range(n)]
    for i, d in enumerate(made["decision"]):
        g.add((d, RDF.type, ELI.LegalResource)); g.add((d, RDF.type, TKG.AdministrativeDecision))
        g.add((d, ELI.id_local, Literal(f"{i + 1}/{2004 + i % 16}/QĐ-UBND")))
        g.add((d, ELI.date_document, Literal(f"{2004 + i % 16}-{1 + i % 12:02d}-{1 + i % 28:02d}", datatype=XSD.date)))
        g.add((d, ELI.passed_by, rnd.choice(made["org"])))
    for i, o in enumerate(made["org"]):
        g.add((o, RDF.type, ORG.Organization))
        g.add((o, RDFS.label, Literal(f"Sở {rnd.choice(WORDS)} số {i}", lang="vi")))
    for i, u in enumerate(made["unit"]):
        g.add((u, RDF.type, ORG.OrganizationalUnit))
        g.add((u, RDFS.label, Literal(f"Phòng {rnd.choice(WORDS)} {i}", lang="vi")))
        g.add((u, ORG.unitOf, rnd.choice(made["org"])))
        g.add((u, TKG.listedIn, rnd.choice(made["decision"])))
    from rdflib.namespace import SKOS
    for i, f in enumerate(made["function"]):
        g.add((f, RDF.type, SKOS.Concept))
        g.add((f, SKOS.prefLabel, Literal(f"{rnd.choice(WORDS)} {i}", lang="vi")))
    for i, a in enumerate(made["assignment"]):
        g.add((a, RDF.type, TKG.FunctionAssignment))
        g.add((a, RDFS.label, Literal(f"giao chức năng {i}", lang="vi")))
        g.add((a, TKG.assignedBy, rnd.choice(made["decision"])))
        g.add((a, TKG.assignee, rnd.choice(made["org"])))
        g.add((a, TKG.function, rnd.choice(made["function"])))
    for i, e in enumerate(made["event"]):
        g.add((e, RDF.type, ORG.ChangeEvent))
        g.add((e, RDFS.label, Literal(f"sáp nhập {i}", lang="vi")))
        g.add((e, ORG.originalOrganization, rnd.choice(made["unit"])))
        g.add((e, ORG.resultingOrganization, rnd.choice(made["unit"])))
    return g


def write_pages(g, out: Path, views) -> float:
    from tttt_kg.viz.site import write_site
    start = time.perf_counter()
    write_site(g, out, views)
    return time.perf_counter() - start


def open_interactive(browser, path: Path, typed: str) -> tuple[float, float, int]:
    """(seconds to the first drawn frame, seconds until a typed search is answered, nodes)."""
    from tttt_kg.viz.browser import open_page, wait_ready
    start = time.perf_counter()
    page, record = open_page(browser, path.resolve().as_uri(), timeout_ms=120_000)
    wait_ready(page, timeout_s=120)
    ready = time.perf_counter() - start
    page.fill("#search", typed)
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    interactive = time.perf_counter() - start
    nodes = page.evaluate("window.tkgView.nodes.length")
    if record["errors"] or record["requests"]:
        raise SystemExit(f"{path.name}: console errors {record['errors']} or requests {record['requests']}")
    page.context.close()
    return ready, interactive, nodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a page misses its target (a gate for a quiet machine; on a shared one "
                             "the load decides, so by default the verdict is only written)")
    args = parser.parse_args()

    from tttt_kg.graph.build import build_graph
    from tttt_kg.viz.browser import Chromium
    from tttt_kg.viz.site import ALL_VIEWS, FILE_NAMES

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        seed_dir, synth_dir = Path(tmp) / "seed", Path(tmp) / "synth"
        seed_write = write_pages(build_graph(), seed_dir, ALL_VIEWS)
        synth = synthetic_graph(args.nodes)
        synth_write = write_pages(synth, synth_dir, ["explorer"])
        with Chromium() as browser:
            for view in ALL_VIEWS:
                runs = [open_interactive(browser, seed_dir / FILE_NAMES[view], "so tttt") for _ in range(args.runs)]
                rows.append(("seed", view, runs, SEED_TARGET))
            runs = [open_interactive(browser, synth_dir / "explorer.html", "buu chinh") for _ in range(args.runs)]
            rows.append(("synthetic", "explorer", runs, SYNTH_TARGET))
        synth_size = (synth_dir / "explorer.html").stat().st_size

    lines = [
        "# Views in headless Chromium",
        "",
        f"`python bench/bench_viz.py --runs {args.runs} --nodes {args.nodes}` on {platform.node()} "
        f"({platform.machine()}, Python {platform.python_version()}, Debian chromium, headless); "
        f"median of {args.runs} fresh page loads each.",
        "",
        f"Writing the pages (layout + HTML, in Python): seed, all four views + ontology + index: "
        f"{seed_write:.2f} s; synthetic explorer ({args.nodes:,} nodes, {synth_size / 1e6:.1f} MB): {synth_write:.2f} s.",
        "",
        "| graph | view | nodes | first frame (s) | interactive: search answered (s) | target (s) | ok |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    failed = False
    for graph, view, runs, target in rows:
        ready = statistics.median(r[0] for r in runs)
        interactive = statistics.median(r[1] for r in runs)
        ok = interactive <= target
        failed |= not ok
        lines.append(f"| {graph} | {view} | {runs[0][2]:,} | {ready:.2f} | {interactive:.2f} | {target:.0f} | {'yes' if ok else 'NO'} |")
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    from tttt_kg.graph.atomic import write_text_atomic
    write_text_atomic(RESULTS, text)
    sys.stdout.write(text)
    if failed and args.check:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
