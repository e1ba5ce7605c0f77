"""Issue 14, output: `extract -f turtle|jsonld|nquads` writes the candidates as RDF in the curated graph's
provenance model, to load into a store beside the curated graph and query both; `--against` a store."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from extract_unseen import DATED_EVENTS, DECISION_HEADER
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from tttt_kg.graph.namespaces import ID, OA, TKG
from tttt_kg.queries.catalogue import get as load_query, run

RECORDS = Path(__file__).resolve().parent.parent / "graph" / "records"
from tttt_kg.graph.stores.store import OxigraphStore

CANDIDATE = "https://w3id.org/tttt-kg/id/candidate/"


@pytest.fixture(scope="module")
def passage(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rdf") / "bac-son-2016.txt"
    path.write_text(DECISION_HEADER, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def turtle(passage) -> bytes:
    from click.testing import CliRunner

    from tttt_kg.cli import main
    result = CliRunner().invoke(main, ["extract", str(passage), "-f", "turtle"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def test_turtle_parses_and_every_span_holds_its_evidence(turtle, passage):
    from tttt_kg.graph.provenance import read_source, verify
    g = Graph().parse(data=turtle, format="turtle")
    selectors = list(g.subjects(RDF.type, OA.TextPositionSelector))
    assert len(selectors) > 10
    checked, problems = verify(g, read_source(passage))     # the curated graph's own check: hash, spans, evidence
    assert checked >= len(selectors) - 1 and not problems
    source = next(g.subjects(RDF.type, TKG.SourceDocument))
    import hashlib
    assert str(source).startswith("ni:///sha-256;")
    assert str(g.value(source, TKG.sha256)) == hashlib.sha256(passage.read_bytes()).hexdigest()


def test_candidates_carry_a_confidence_a_note_and_their_own_iris(turtle):
    g = Graph().parse(data=turtle, format="turtle")
    own = next(g.subjects(DCTERMS.identifier, Literal("qd-25-2016")))
    assert str(own).startswith(CANDIDATE + "eli/")                          # the curated scheme, under candidate/
    old = next(g.subjects(DCTERMS.identifier, Literal("qd-09-2009")))
    assert g.value(own, TKG.confidence).datatype == XSD.decimal and 0 < g.value(own, TKG.confidence).toPython() <= 1
    assert (own, DCTERMS.replaces, old) in g
    subjects = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    assert subjects and all(str(s).startswith(CANDIDATE) for s in subjects)    # never a curated resource
    assert not [t for t in g if "TODO" in " ".join(map(str, t))]
    assert (TKG.confidence, RDF.type, None) in g                                # declared where it is used


def test_loaded_beside_the_curated_graph_one_named_query_answers_both(turtle, graph):
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    store.load(turtle, format=ox.RdfFormat.TURTLE)
    st = OxigraphStore(store)
    ids = {str(r["id"].value) for r in run(st, load_query("organisations")).rows}
    assert "so-tttt-hai-duong" in ids                                     # curated
    assert "so-thong-tin-va-truyen-thong-bac-son" in ids                  # candidate
    rows = run(st, load_query("source-passage"),
               {"node": CANDIDATE + "org/so-thong-tin-va-truyen-thong-bac-son"}).rows
    assert rows and {str(r["fileName"].value) for r in rows} == {"bac-son-2016.txt"}
    start, end = int(rows[0]["start"].value), int(rows[0]["end"].value)
    evidence = str(rows[0]["evidence"].value).split(" | ")   # a record's names, each span holding one of them
    assert " ".join(DECISION_HEADER[start:end].split()) in evidence
    curated = run(st, load_query("source-passage"), {"node": str(ID["org/so-tttt-hai-duong"])}).rows
    assert curated and {str(r["fileName"].value) for r in curated} == {"de-cuong-15-nam-so-tttt-hai-duong-2019.txt"}


def test_month_and_year_dates_are_typed_as_such(tmp_path, cli):
    path = tmp_path / "events.txt"
    path.write_text(DATED_EVENTS, encoding="utf-8")
    result = cli("extract", path, "-f", "turtle")
    assert result.exit_code == 0, result.stderr
    g = Graph().parse(data=result.stdout_bytes, format="turtle")
    [transfer] = g.subjects(RDF.type, TKG.FunctionTransfer)
    assert list(g.objects(transfer, DCTERMS.date)) == [Literal("2011-03", datatype=XSD.gYearMonth)]
    assert Literal("2003", datatype=XSD.gYear) in set(g.objects(None, DCTERMS.date))


def test_jsonld_and_nquads_say_the_same_and_nquads_names_a_graph_per_input(passage, turtle, cli):
    jsonld = cli("extract", passage, "-f", "jsonld")
    assert jsonld.exit_code == 0, jsonld.stderr
    assert isomorphic(Graph().parse(data=jsonld.stdout_bytes, format="json-ld"), Graph().parse(data=turtle, format="turtle"))
    nquads = cli("extract", passage, "-f", "nquads")
    store = ox.Store()
    store.load(nquads.stdout_bytes, format=ox.RdfFormat.N_QUADS)
    assert [g.value for g in store.named_graphs()] == [CANDIDATE + "dataset/bac-son-2016"]
    assert len(store) == len(Graph().parse(data=turtle, format="turtle"))


def test_rdf_into_the_output_folder(passage, cli, tmp_path):
    result = cli("extract", passage, "-f", "turtle", "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert len(Graph().parse(tmp_path / "candidates.ttl", format="turtle")) > 100


def test_against_a_store_finds_what_against_the_graph_file_finds(cli, graph, tmp_path, passage):
    from tttt_kg.graph.stores.oxistore import create_store
    nt = tmp_path / "g.nt"
    graph.serialize(nt, format="nt", encoding="utf-8")
    create_store(tmp_path / "store", [nt])
    by_file = cli("extract", passage, "--against", nt)
    by_store = cli("extract", passage, "--against", f"oxigraph:{tmp_path / 'store'}")
    assert by_store.exit_code == 0, by_store.stderr
    assert by_store.stdout == by_file.stdout and "matching" in by_file.stdout
    assert "match    organisations  bo-thong-tin-va-truyen-thong = bo-tttt" in by_store.stdout
    missing = cli("extract", passage, "--against", tmp_path / "nothing.ttl")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


# ---- -f json: the records, the warnings and the reports, for programs ---------------------------

def test_extract_as_json_holds_the_yaml_records_and_the_reports(cli, tmp_path):
    import json

    import yaml
    text = tmp_path / "hoa-lam.txt"
    text.write_text("UBND TỈNH HOÀ LÂM\nCăn cứ Quyết định số 12/2015/QĐ-UBND ngày 03/5/2015 của UBND tỉnh Hoà Lâm;\n"
                    "Căn cứ Quyết định số 7/2016/QĐ-UBND ngày 10/02/2016 của UBND tỉnh Hoà Lâm.\n", encoding="utf-8")
    as_yaml = cli("extract", text)
    as_json = cli("extract", text, "-f", "json")
    assert as_yaml.exit_code == as_json.exit_code == 0, as_json.stderr
    report = json.loads(as_json.stdout)["files"][0]
    records = yaml.safe_load(as_yaml.stdout)
    assert set(report["records"]) == set(records)
    for section, entries in records.items():
        assert [json.loads(json.dumps(r, default=str)) for r in entries] == [e["record"] for e in report["records"][section]]
    assert {"12/2015/QĐ-UBND", "7/2016/QĐ-UBND"} <= {d.get("number") for d in records["documents"]}
    against = cli("extract", text, "-f", "json", "--against", RECORDS)
    comparison = json.loads(against.stdout)["files"][0]["comparison"]
    assert comparison and {f["status"] for f in comparison} <= {"new", "match", "conflict"}
    assert all(set(f) == {"status", "section", "candidate", "reference", "detail"} for f in comparison)
    out = tmp_path / "out"
    out.mkdir()
    written = cli("extract", text, "-f", "json", "-O", out)
    assert written.exit_code == 0 and written.stdout == ""
    assert json.loads((out / "candidates.json").read_text(encoding="utf-8")) == json.loads(as_json.stdout)


def test_evaluate_as_json_gives_the_scores_the_table_prints(cli, seed_path):
    import json
    table = cli("extract", "--evaluate", seed_path)
    as_json = cli("extract", "--evaluate", seed_path, "-f", "json")
    assert table.exit_code == as_json.exit_code
    scores = json.loads(as_json.stdout)["files"][0]["evaluation"]
    for kind, s in scores.items():
        line = next(x for x in table.stdout.splitlines() if x.startswith(kind + " "))
        assert f"({s['found']}/{s['gold']})" in line and f"({s['correct']}/{s['predicted']})" in line
