"""Views drawn from a triple store: only the triples the views read are copied out, the pages
are the same as from the graph file, and the explorer refuses, with a message, to draw more
resources than --explorer-limit.
"""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDF

from tttt_kg.graph.namespaces import OA, PROV, TKG
from tttt_kg.viz import views
from tttt_kg.viz.fromstore import ViewGraph, view_graph
from tttt_kg.viz.site import FILE_NAMES, write_site

TIMELINES = ["mandate", "lineage", "decisions"]


@pytest.fixture(scope="module")
def store_dir(seed_ntriples, tmp_path_factory) -> Path:
    from tttt_kg.graph.stores.oxistore import create_store
    path = tmp_path_factory.mktemp("store") / "kg.oxigraph"
    create_store(path, [seed_ntriples])
    return path


@pytest.fixture(scope="module")
def store(store_dir):
    from tttt_kg.graph.stores.store import open_store
    return open_store(f"oxigraph:{store_dir}")


def page_data(text: str) -> dict:
    match = re.search(r'<script type="application/json" id="tkg-data">(.*?)</script>', text, re.S)
    assert match, "no data block in the page"
    return json.loads(match.group(1))


def viz(*args) -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).with_name("tttt-kg"))
    return subprocess.run([exe, "viz", *map(str, args)], capture_output=True, text=True)


def test_the_view_graph_holds_what_the_views_read_and_no_assignment_provenance(store, seed_ntriples):
    whole = Graph().parse(seed_ntriples, format="nt")
    part = view_graph(store)
    assert isinstance(part, ViewGraph) and 0 < len(part) < len(whole) / 2
    # nothing made up on the way (literals by lexical form: Oxigraph keeps xsd:nonNegativeInteger as
    # xsd:integer; blank nodes, of the ontology's class unions only, get new names)
    def named(g):
        return {(s, p, str(o)) for s, p, o in g if not isinstance(s, BNode) and not isinstance(o, BNode)}
    assert named(part) <= named(whole)
    # the provenance no view draws stays in the store: selectors' types, wordings, the assignments' spans
    assert not list(part.subjects(RDF.type, OA.TextPositionSelector))
    assert not list(part.subjects(RDF.type, TKG.DecisionWording))
    assignments = set(whole.subjects(RDF.type, TKG.FunctionAssignment))
    assert assignments and assignments == set(part.subjects(RDF.type, TKG.FunctionAssignment))
    assert not [sr for a in assignments for sr in part.objects(a, PROV.wasDerivedFrom)]
    # what a drawn node's tooltip cites is there: its spans, their source and offsets
    cited = {s for s in whole.subjects(PROV.wasDerivedFrom, None) if s not in assignments
             and (s, RDF.type, TKG.DecisionWording) not in whole}
    assert cited
    for s in cited:
        for sr in whole.objects(s, PROV.wasDerivedFrom):
            selector = whole.value(sr, OA.hasSelector)
            assert (s, PROV.wasDerivedFrom, sr) in part
            assert str(part.value(selector, OA.start)) == str(whole.value(selector, OA.start))
            assert str(part.value(selector, OA.end)) == str(whole.value(selector, OA.end))
    # the explorer counts in the store what it would draw from the whole graph
    assert part.drawable_count() == len(views.drawable(whole))
    assert len(part.whole()) == len(whole)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pages_from_a_store_are_the_pages_from_the_graph_file(store_dir, seed_ntriples, tmp_path, lang):
    for folder, source in (("file", ["--graph", seed_ntriples]), ("store", ["--store", f"oxigraph:{store_dir}"])):
        done = viz("-o", tmp_path / folder, "--lang", lang, *source, *[a for v in TIMELINES for a in ("--view", v)])
        assert done.returncode == 0, done.stderr
    for view in TIMELINES:
        from_file = (tmp_path / "file" / FILE_NAMES[view]).read_text(encoding="utf-8")
        from_store = (tmp_path / "store" / FILE_NAMES[view]).read_text(encoding="utf-8")
        assert page_data(from_file)["nodes"], view
        assert from_store == from_file, view


def test_the_whole_site_from_a_store_is_the_site_from_the_graph_file(store_dir, seed_ntriples, tmp_path):
    # all views, so the explorer too: it is under the limit, so it fetches the whole graph and draws it
    assert viz("-o", tmp_path / "file", "--graph", seed_ntriples).returncode == 0
    done = viz("-o", tmp_path / "store", "--store", f"oxigraph:{store_dir}")
    assert done.returncode == 0 and "note:" not in done.stderr, done.stderr
    for name in FILE_NAMES.values():
        assert (tmp_path / "store" / name).read_bytes() == (tmp_path / "file" / name).read_bytes(), name


def test_pages_do_not_depend_on_the_hash_seed(seed_ntriples, tmp_path):
    # the spring layout and the explorer's edge names once followed the order of Python sets of strings,
    # which changes with PYTHONHASHSEED from one run to the next
    for seed in ("1", "2"):
        exe = str(Path(sys.executable).with_name("tttt-kg"))
        done = subprocess.run([exe, "viz", "-o", str(tmp_path / seed), "--graph", str(seed_ntriples),
                               "--view", "decisions", "--view", "explorer"], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
    for name in ("decisions.html", "explorer.html"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_the_explorer_past_its_limit_explains_instead_of_drawing(graph, tmp_path):
    count = len(views.drawable(graph))
    notes: list[str] = []
    write_site(graph, tmp_path, ["mandate", "explorer"], "en", explorer_limit=count - 1, notes=notes)
    page = html.unescape((tmp_path / "explorer.html").read_text(encoding="utf-8"))
    assert 'id="tkg-data"' not in page and "<script" not in page          # no network drawn, no script at all
    assert f'data-count="{count}" data-limit="{count - 1}"' in page
    assert f"The graph has {count:,} resources, more than the explorer's limit of {count - 1:,}" in page
    assert "--explorer-limit 0" in page and "graphml" in page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"({count} nodes, too many to draw)" in index
    assert len(notes) == 1 and f"{count} resources" in notes[0]
    assert page_data((tmp_path / "mandate.html").read_text(encoding="utf-8"))["nodes"]   # the others are drawn
    # at the limit, or with no limit, it is drawn
    for limit in (count, 0):
        write_site(graph, tmp_path / str(limit), ["explorer"], "vi", explorer_limit=limit)
        data = page_data((tmp_path / str(limit) / "explorer.html").read_text(encoding="utf-8"))
        assert len(data["nodes"]) == count


def test_explorer_limit_from_the_command_line(store_dir, tmp_path):
    done = viz("-o", tmp_path / "a", "--store", f"oxigraph:{store_dir}", "--view", "explorer", "--explorer-limit", 10)
    assert done.returncode == 0, done.stderr
    assert "note: explorer.html:" in done.stderr and "more than the explorer's limit of 10" in done.stderr
    page = (tmp_path / "a" / "explorer.html").read_text(encoding="utf-8")
    assert 'data-limit="10"' in page and "quá giới hạn 10 của trang khám phá" in page
    bad = viz("-o", tmp_path / "b", "--store", f"oxigraph:{store_dir}", "--explorer-limit", "-1")
    assert bad.returncode == 2 and "--explorer-limit" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "b").exists()
