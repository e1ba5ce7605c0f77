"""--min-certainty and --source seed: what a reading command leaves out (graph/narrowing.py)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, VOID

from tttt_kg.cli import main
from tttt_kg.graph.namespaces import PROV, TKG
from tttt_kg.graph.narrowing import RANKS, narrow_graph


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _rank(g, resource) -> int:
    """A resource's certainty rank as the ontology defines it: its code's, else inferred if marked so, else stated."""
    code = g.value(resource, TKG.certainty)
    if code is not None:
        return int(g.value(code, TKG.certaintyRank))
    return RANKS["inferred"] if g.value(resource, TKG.inferredBy) is not None else RANKS["stated"]


@pytest.mark.parametrize("level", ["stated", "inferred", "national-only"])
def test_min_certainty_leaves_out_exactly_the_resources_below_it(full_graph, level):
    kept = narrow_graph(full_graph, level)
    certain = set(full_graph.subjects(TKG.certainty, None)) | set(full_graph.subjects(TKG.inferredBy, None))
    below = {r for r in certain if _rank(full_graph, r) < RANKS[level]}
    assert below, "the graph has statements below this level"
    subjects = set(kept.subjects())
    assert not below & subjects and not below & set(kept.objects())
    # everything else is kept, triple for triple (the dataset's triple count is of the graph each is)
    expected = {(s, p, o) for s, p, o in full_graph if s not in below and o not in below and p != VOID.triples}
    # ... but what the validity rule derives is derived again from what is kept (graph/validity.py)
    from tttt_kg.graph.validity import add_to_graph
    rederived = Graph()
    for t in expected:
        rederived.add(t)
    add_to_graph(rederived)
    assert {t for t in kept if t[1] != VOID.triples} == set(rederived)


def test_source_seed_leaves_out_every_page_sourced_statement_and_keeps_the_seed(full_graph, graph):
    kept = narrow_graph(full_graph, seed_only=True)
    assert not list(kept.subjects(RDF.type, TKG.PageCitation))
    for s, o in kept.subject_objects(PROV.wasDerivedFrom):
        assert (o, RDF.type, TKG.PageCitation) not in full_graph, s
    # every triple of the seed-only build is there; what is more is the pages' vocabulary, no fact
    from rdflib.compare import graph_diff, to_isomorphic
    seed = Graph()
    for t in graph:
        if t[1] != VOID.triples:   # the dataset's own count: of the graph each is (checked with the description)
            seed.add(t)
    _, only_kept, only_seed = graph_diff(to_isomorphic(kept), to_isomorphic(seed))
    only_kept = {t for t in only_kept if t[1] != VOID.triples}
    assert len(only_seed) == 0
    import tttt_kg.ontology as ontology
    described = set(Graph().parse(Path(ontology.__file__).parent / "pages.ttl", format="turtle").subjects())
    assert {s for s, _, _ in only_kept} <= described


def _rows(result):
    assert result.exit_code == 0, result.output
    table = result.stdout.split("\n\n", 1)[0]
    return list(csv.DictReader(io.StringIO(table)))


def test_mandate_in_2026_with_and_without_a_certainty_floor():
    everything = run("mandate", "--at", "2026-01-01", "-f", "csv")
    stated = run("mandate", "--at", "2026-01-01", "-f", "csv", "--min-certainty", "stated")
    assert _rows(everything) != _rows(stated)
    fate = run("query", "function-fate", "-f", "csv", "--min-certainty", "stated")
    rows = _rows(fate)
    assert rows and all(r["certainty"] in ("stated", "") for r in rows), {r["certainty"] for r in rows}
    loose = _rows(run("query", "function-fate", "-f", "csv"))
    assert {r["certainty"] for r in loose} - {"stated", ""}, "the fact sheet has less certain transfers"


def test_export_source_seed_has_no_page_citation(tmp_path):
    out = tmp_path / "seed.nt"
    assert run("export", "-f", "ntriples", "--source", "seed", "-o", out).exit_code == 0
    g = Graph().parse(out, format="nt")
    assert len(g) > 3000 and not list(g.subjects(RDF.type, TKG.PageCitation))
    assert not list(g.subjects(RDF.type, TKG.FactSheet))


def test_an_unknown_certainty_is_refused_with_the_choices():
    result = run("mandate", "--at", "2026-01-01", "--min-certainty", "sure")
    assert result.exit_code == 2 and "stated" in result.output and "other-province" in result.output


def test_the_docs_examples_run_as_written(tmp_path, monkeypatch):
    import shlex
    readme = (Path(__file__).resolve().parent.parent / "docs" / "guide" / "building.md").read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0].strip() for line in readme.splitlines()
             if line.startswith("tttt-kg ") and ("--min-certainty" in line or "--source seed -o" in line)]
    assert len(lines) == 2, lines
    monkeypatch.chdir(tmp_path)   # export writes seed.ttl here
    for line in lines:
        result = run(*shlex.split(line)[1:])
        assert result.exit_code == 0, (line, result.output)
    assert (tmp_path / "seed.ttl").stat().st_size > 100_000


def test_viz_and_stats_read_the_narrowed_graph_too(tmp_path, full_graph):
    """Every reading command takes the filters: the views and the statistics as well as the queries."""
    import json

    from tttt_kg.graph.narrowing import narrow_graph
    for args in ((), ("--source", "seed"), ("--min-certainty", "stated")):
        result = run("stats", "-f", "json", "--samples", "20", *args)   # the triples are what is checked here
        assert result.exit_code == 0, result.output
        expected = narrow_graph(full_graph, "stated" if "stated" in args else None, "seed" in args)
        assert json.loads(result.stdout)["triples"] == len(expected), args
    pages = {}
    for name, args in (("all", ()), ("seed", ("--source", "seed"))):
        assert run("viz", "-O", tmp_path / name, "--view", "lineage", *args).exit_code == 0
        pages[name] = (tmp_path / name / "lineage.html").read_text(encoding="utf-8")
    assert "so-khcn-hai-duong-2025" in pages["all"] and "so-khcn-hai-duong-2025" not in pages["seed"]
