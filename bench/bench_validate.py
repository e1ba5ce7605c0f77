"""`validate` (pyshacl) before and after the prepared queries (issue 17 §5), measured in one run.

    python bench/bench_validate.py

pyshacl runs each sh:sparql constraint once per focus node and rdflib parses its text every time;
graph/validation.py now hands pyshacl the graph through a wrapper that prepares each text once.
On the seed graph as built, and on a copy broken so that core and SPARQL constraints fire, it runs
pyshacl as validate() did before (the text parsed per call, the data graph cloned) and validate()
as it is now, the "before" first, and asserts that both report the same violations
(focus, path, message). Writes bench/results/validate.md.
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
ID = "https://w3id.org/tttt-kg/id/"
TKG = "https://w3id.org/tttt-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"


def before(g: Graph) -> set:
    """validate() as it was: pyshacl on the graph itself (cloned by pyshacl), each query text parsed per call."""
    import pyshacl

    from tttt_kg.graph.namespaces import SH
    from tttt_kg.ontology import SHAPES
    shapes = Graph().parse(SHAPES, format="turtle")
    _, report, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        found.add((str(report.value(result, SH.focusNode)), path.n3(g.namespace_manager) if path is not None else None,
                   "; ".join(str(m) for m in report.objects(result, SH.resultMessage)) or "violates a shape"))
    return found


def after(g: Graph) -> set:
    from tttt_kg.graph.validation import validate
    return {(v.focus, v.path, v.message) for v in validate(g)}


def broken(g: Graph) -> Graph:
    """A copy with a core violation and four SPARQL-constraint violations."""
    from tttt_kg.graph.namespaces import new_graph
    copy = new_graph()
    for t in g:
        copy.add(t)
    copy.remove((URIRef(ID + "eli/ubnd-hai-duong/qd/2008/53"), URIRef("http://data.europa.eu/eli/ontology#id_local"), None))
    selector = next(copy.subjects(RDF.type, URIRef(OA + "TextPositionSelector")))
    copy.set((selector, URIRef(OA + "end"), Literal(0, datatype=XSD.nonNegativeInteger)))
    copy.set((URIRef(ID + "figure/switching-points"),
              URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue"), Literal("129")))
    copy.set((URIRef(ID + "name/so-bcvt-2004"), URIRef(TKG + "nameUntil"), Literal("2009-01-01", datatype=XSD.date)))
    copy.add((URIRef(ID + "unit/so-tttt/van-phong"), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
              URIRef(ID + "nothing-typed")))
    return copy


def main() -> None:
    from tttt_kg.graph.build import build_graph
    seed = build_graph(sources=("seed",))
    rows = []
    for name, g in (("seed graph", seed), ("seed graph, broken", broken(seed))):
        t = time.perf_counter()
        old = before(g)
        t_before = time.perf_counter() - t
        t = time.perf_counter()
        new = after(g)
        t_after = time.perf_counter() - t
        assert old == new, (name, old ^ new)
        rows.append((name, len(g), len(new), t_before, t_after))
        print(f"{name}: {len(new)} violations, before {t_before:.1f} s, after {t_after:.1f} s", flush=True)
    load = os.getloadavg()[0]
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# `validate` (pyshacl) before and after the prepared queries (issue 17 §5)", "",
             f"`python bench/bench_validate.py` on {platform.node()}: {os.cpu_count()} CPUs, Python "
             f"{platform.python_version()}, {when}, load average {load:.1f} at the end (the machine is shared). "
             "Before: pyshacl as validate() called it until then (each sh:sparql text parsed per focus node, the "
             "data graph cloned); after: validate() with the prepared queries. Same violations before and after "
             "(asserted).", "",
             "| graph | triples | violations | before | after | before / after |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {n} | {t:,} | {v} | {b:.1f} s | {a:.1f} s | {b / a:.1f} × |" for n, t, v, b, a in rows]
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "validate.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
