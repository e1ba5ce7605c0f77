"""The HTML views as files: what they contain, that they are offline, escaped, deterministic,
faithful to the graph, and that bad input writes nothing. (The browser tests are in
test_viz_browser.py.)"""
from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from collections import Counter

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from tttt_kg.cli import main
from tttt_kg.graph.namespaces import ELI, FN, ID, OA, ORG, PROV, TKG
from tttt_kg.viz import describe, layout, views
from tttt_kg.viz.render import script_json
from tttt_kg.viz.site import ALL_VIEWS, FILE_NAMES, write_site

HIDDEN = " ".join(f"<{t}>" for t in (OA.SpecificResource, OA.TextPositionSelector, OWL.Class, OWL.ObjectProperty,
                                     OWL.DatatypeProperty, OWL.FunctionalProperty, OWL.Ontology, RDF.Property))


@pytest.fixture(scope="module")
def site(graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("viz")
    write_site(graph, out)
    return out


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="tkg-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_script_json_cannot_end_the_script_element():
    payload = {"label": "</script><script>alert(1)</script> & <!-- \u2028\u2029 -->"}
    text = script_json(payload)
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    assert json.loads(text) == payload


def test_every_page_is_written_utf8_and_loads_nothing_from_the_network(site):
    for name in FILE_NAMES.values():
        html = (site / name).read_bytes().decode("utf-8")
        assert '<meta charset="utf-8">' in html
        assert "Content-Security-Policy" in html and "default-src 'none'" in unescape(html)
        # no external script, style, font or image: no src/href/url()/@import pointing at http(s)
        assert not re.search(r'\b(?:src|href)\s*=\s*["\']?\s*(?:https?:)?//', html, re.I), name
        assert not re.search(r'url\(\s*["\']?\s*(?:https?:)?//', html, re.I), name
        assert not re.search(r'@import', html), name
        assert not re.search(r'<link\b', html, re.I), name
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in [*ALL_VIEWS, "ontology"]:
        assert f'href="{FILE_NAMES[name]}"' in index


def test_explorer_holds_every_resource_of_the_data(graph, site):
    rows = graph.query(f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        ?s a ?t . FILTER NOT EXISTS {{ ?s a ?hidden . VALUES ?hidden {{ {HIDDEN} }} }} }}""")
    expected = int(next(iter(rows))[0])
    data = page_data((site / "explorer.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == expected
    ids = {n["id"] for n in data["nodes"]}
    assert describe.compact(ID["org/so-tttt-hai-duong"]) in ids
    # every edge joins two drawn nodes and stands for a triple of the graph
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    # the legend counts add up to the nodes
    assert sum(c["count"] for c in data["classes"]) == expected


def test_mandate_shows_each_function_from_the_date_it_entered(graph):
    G = views.mandate(graph, "vi")
    functions = {n for n in G if G.nodes[n].get("role") == "function"}
    expected = {describe.compact(f) for f in graph.objects(None, TKG.function)}   # assigned or transferred
    assert functions == expected
    # a transferred function is drawn from the donor agency, at the transfer's date at the latest
    for transfer in graph.subjects(RDF.type, TKG.FunctionTransfer):
        donor = describe.compact(graph.value(transfer, TKG.transferredFrom))
        date = str(graph.value(transfer, DCTERMS.date))
        for fn in graph.objects(transfer, TKG.function):
            key = describe.compact(fn)
            assert G.has_edge(donor, key)
            assert G.nodes[key]["when"] <= date
            assert describe.label(graph, graph.value(transfer, TKG.transferredFrom), "vi") in G.nodes[key]["title"]
    # a function the replacing decision no longer assigns has left the mandate on that decision's date
    newest = max(graph.subjects(RDF.type, TKG.AdministrativeDecision), key=lambda d: str(graph.value(d, ELI.date_document)))
    newest_fns = {f for a in graph.subjects(TKG.assignedBy, newest) for f in graph.objects(a, TKG.function)}
    for n in functions:
        node = G.nodes[n]
        fn = next(f for f in graph.objects(None, TKG.function) if describe.compact(f) == n)
        if fn in newest_fns:
            assert node["status"] == "held" and node["intervals"][-1][1] == ""
        else:
            assert node["status"] == "left"
            assert node["intervals"][-1][1] <= str(graph.value(newest, ELI.date_document))
    # x follows the date
    layout.timeline(G)
    dated = sorted((G.nodes[n]["when"], G.nodes[n]["x"]) for n in G)
    assert all(a[1] <= b[1] for a, b in zip(dated, dated[1:]))
    assert len({x for _, x in dated}) == len({w for w, _ in dated})


def test_lineage_joins_predecessors_successors_and_donors(graph):
    G = views.lineage(graph, "vi")
    for event in graph.subjects(RDF.type, ORG.ChangeEvent):
        for o in graph.objects(event, ORG.originalOrganization):
            for r in graph.objects(event, ORG.resultingOrganization):
                if o != r:
                    assert G.has_edge(describe.compact(o), describe.compact(r))
    for t in graph.subjects(RDF.type, TKG.FunctionTransfer):
        assert G.has_edge(describe.compact(graph.value(t, TKG.transferredFrom)),
                          describe.compact(graph.value(t, TKG.transferredTo)))
    units = set(graph.subjects(RDF.type, ORG.OrganizationalUnit))
    assert {describe.compact(u) for u in units} <= set(G)
    # a unit's bar runs while a decision listing it is in force: it ends when every listing decision is replaced
    for u in units:
        listing = set(graph.objects(u, TKG.listedIn))
        replaced = {d: [r for r in graph.subjects(DCTERMS.replaces, d)] for d in listing}
        end = G.nodes[describe.compact(u)]["intervals"][-1][1]
        if all(replaced.values()):
            assert end == min(str(graph.value(r, ELI.date_document)) for rs in replaced.values() for r in rs)
        else:
            assert end == ""


def test_transfers_between_the_same_two_bodies_are_one_edge_with_all_their_functions(full_graph):
    """In 2025 the Sở TTTT handed functions to one recipient by more than one transfer: the edge
    carries every function of every transfer (it used to show whichever transfer was read last)."""
    G = views.lineage(full_graph, "vi")
    pairs = {}
    for t in full_graph.subjects(RDF.type, TKG.FunctionTransfer):
        pair = (describe.compact(full_graph.value(t, TKG.transferredFrom)),
                describe.compact(full_graph.value(t, TKG.transferredTo)))
        pairs.setdefault(pair, set()).update(describe.label(full_graph, f, "vi")
                                             for f in full_graph.objects(t, TKG.function))
    assert any(len([t for t in full_graph.subjects(RDF.type, TKG.FunctionTransfer)
                    if (describe.compact(full_graph.value(t, TKG.transferredFrom)),
                        describe.compact(full_graph.value(t, TKG.transferredTo))) == pair]) > 1 for pair in pairs)
    for (donor, recipient), functions in pairs.items():
        label = G.edges[donor, recipient]["label"]
        assert set(label.split(": ", 1)[1].split(", ")) == functions, (donor, recipient)


def test_decision_network_holds_documents_and_their_issuers(graph):
    G = views.decision_network(graph, "vi")
    for d in graph.subjects(RDF.type, ELI.LegalResource):
        assert describe.compact(d) in G
        for issuer in graph.objects(d, ELI.passed_by):
            assert G.has_edge(describe.compact(d), describe.compact(issuer))


def test_tooltips_give_type_date_decision_and_citation(graph):
    decision = next(d for d in graph.subjects(RDF.type, TKG.AdministrativeDecision)
                    if str(graph.value(d, ELI.id_local)).startswith("53/2008"))
    G = views.explorer(graph, "vi")
    title = G.nodes[describe.compact(decision)]["title"]
    assert "Quyết định" in title and str(graph.value(decision, ELI.date_document)) in title
    source = next(graph.subjects(RDF.type, TKG.SourceDocument))
    assert str(graph.value(source, TKG.fileName)) in title and str(graph.value(source, TKG.sha256))[:12] in title
    for sr in graph.objects(decision, PROV.wasDerivedFrom):
        sel = graph.value(sr, OA.hasSelector)
        assert f"[{graph.value(sel, OA.start)}, {graph.value(sel, OA.end)})" in title
    assignment = next(graph.subjects(TKG.assignedBy, decision))
    assert str(graph.value(decision, ELI.id_local)) in G.nodes[describe.compact(assignment)]["title"]


def test_cited_span_in_a_tooltip_holds_the_decision_number(graph, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    title = views.explorer(graph, "vi").nodes[describe.compact(ID["eli/ubnd-hai-duong/qd/2008/53"])]["title"]
    spans = re.findall(r"\[(\d+), (\d+)\)", title)
    assert spans
    assert any("53/2008" in text[int(a):int(b)] for a, b in spans)


def test_english_pages_use_english_labels(graph, tmp_path):
    write_site(graph, tmp_path, ["explorer"], "en")
    html = (tmp_path / "explorer.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    data = page_data(html)
    so = next(n for n in data["nodes"] if n["id"] == describe.compact(ID["org/so-tttt-hai-duong"]))
    english = {str(o) for o in graph.objects(ID["org/so-tttt-hai-duong"], SKOS.prefLabel) if o.language == "en"}
    assert so["name"] in english and "Type:" in so["title"]
    assert so["label"].replace("\n", " ").rstrip("…") in so["name"]     # drawn cut to two lines, the whole name kept


def test_pages_are_the_same_every_time(graph, tmp_path):
    write_site(graph, tmp_path / "a")
    write_site(graph, tmp_path / "b")
    for name in FILE_NAMES.values():
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_ontology_page_documents_every_class_and_property(site):
    from tttt_kg.ontology import VOCABULARY_FILES
    vocab = Graph()
    for f in VOCABULARY_FILES:
        vocab.parse(f)
    html = (site / "ontology.html").read_text(encoding="utf-8")
    terms = set(vocab.subjects(RDF.type, OWL.Class)) | set(vocab.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(vocab.subjects(RDF.type, OWL.DatatypeProperty)) | set(vocab.subjects(RDF.type, SKOS.ConceptScheme))
    terms = {t for t in terms if isinstance(t, URIRef)}      # blank nodes are class expressions (unions)
    assert len(terms) > 20
    for term in terms:
        assert f"<code>{describe.compact(term)}</code>" in html, term
        for label in vocab.objects(term, RDFS.label):
            assert str(label).replace("&", "&amp;").replace("'", "&#x27;") in html


def test_labels_with_markup_are_escaped_everywhere(graph, tmp_path):
    g = Graph()
    g += graph
    so = ID["org/so-tttt-hai-duong"]
    payload = '<img src=x onerror="window.__xss=1"></script><script>window.__xss=2</script>'
    for p in (SKOS.prefLabel, RDFS.label):
        g.remove((so, p, None))
        g.add((so, p, Literal(payload, lang="vi")))
    write_site(g, tmp_path)
    for name in FILE_NAMES.values():
        html = (tmp_path / name).read_text(encoding="utf-8")
        assert "<img" not in html and "window.__xss=2</script>" not in html, name
    data = page_data((tmp_path / "explorer.html").read_text(encoding="utf-8"))
    assert any(n.get("name") == payload for n in data["nodes"])      # shown as text, intact


# --- the command line: bad input is refused before anything is written --------------------

def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_writes_the_site(tmp_path):
    result = run("viz", "-o", str(tmp_path / "site"), "--view", "mandate")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["growth.html", "index.html", "mandate.html", "ontology.html"]


def test_unknown_view_is_refused(tmp_path):
    result = run("viz", "-o", str(tmp_path / "site"), "--view", "timelines")
    assert result.exit_code == 2
    assert "unknown view 'timelines'" in result.output and "mandate" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_output_that_cannot_be_a_folder_is_refused(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    for target in (blocker, blocker / "site"):
        result = run("viz", "-O", str(target))
        assert result.exit_code == 2, result.output
        assert "error:" in result.output.lower() and str(blocker) in result.output and "Traceback" not in result.output
        assert "permission denied" not in result.output   # a file in the way is said as such
    assert blocker.read_text() == "x"


def test_empty_graph_is_refused_and_old_pages_stay(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    result = run("viz", "--graph", str(empty), "-o", str(out))
    assert result.exit_code == 2
    assert "empty" in result.output
    assert [p.name for p in out.iterdir()] == ["index.html"] and (out / "index.html").read_text() == "old"


def test_graph_without_assignments_cannot_draw_the_mandate(graph, tmp_path):
    g = Graph()
    g += graph
    for a in list(g.subjects(RDF.type, TKG.FunctionAssignment)):
        g.remove((a, None, None))
    for t in list(g.subjects(RDF.type, TKG.FunctionTransfer)):
        g.remove((t, None, None))
    path = tmp_path / "g.ttl"
    g.serialize(path, format="turtle")
    result = run("viz", "--graph", str(path), "-o", str(tmp_path / "site"))
    assert result.exit_code == 2 and "view 'mandate'" in result.output
    assert not (tmp_path / "site").exists()


def test_class_counts_in_legend_match_rdf_types(site, graph):
    data = page_data((site / "explorer.html").read_text(encoding="utf-8"))
    by_class = Counter(n["cls"] for n in data["nodes"])
    assert by_class["decision"] == len(set(graph.subjects(RDF.type, TKG.AdministrativeDecision)))
    assert by_class["function"] == len({c for c in graph.subjects(RDF.type, SKOS.Concept) if str(c).startswith(str(FN))})


def test_mandate_view_agrees_with_the_mandate_query(graph):
    """The page's function bars and the mandate-at query apply the same validity rule."""
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore
    from tttt_kg.queries import catalogue
    from tttt_kg.viz import timeline

    store = ox.Store()
    store.load(serialise(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    spans = timeline.function_spans(graph)
    query = catalogue.get("mandate-at")
    for day in ("2005-01-01", "2008-03-20", "2008-06-01", "2010-01-01", "2017-03-06", "2018-01-01"):
        at = dt.date.fromisoformat(day)
        result = catalogue.run(OxigraphStore(store), query, {"at": day})
        from_query = {f for row in result.rows for f in row["functions"].value.split(", ")}
        from_view = {str(fn).rsplit("/", 1)[-1] for fn, span in spans.items()
                     if any(s <= at and (e is None or at < e) for s, e in span.intervals)}
        assert from_view == from_query, day
