"""Every named query, run on the seed graph, with the answer it must give; plus the catalogue itself."""
from __future__ import annotations

import re

import pytest

from tttt_kg.queries import catalogue as C


@pytest.fixture(scope="session")
def store(graph):
    """The seed graph (built from the records) in an in-memory Oxigraph store."""
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore

    s = ox.Store()
    s.load(serialise(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphStore(s)


@pytest.fixture(scope="session")
def records():
    from tttt_kg.graph.records import load_records
    return load_records()


def rows(store, name, **params):
    """The answer of a named query as a list of dicts var → plain string."""
    result = C.run(store, C.get(name), {k: str(v) for k, v in params.items()})
    return [{k: v.value for k, v in row.items()} for row in result.rows]


def functions_of(row) -> set[str]:
    return set(row["functions"].split(", "))


# ---- the catalogue -------------------------------------------------------------------------

def test_catalogue_has_documented_queries():
    queries = C.load_catalogue()
    assert len(queries) >= 15
    for q in queries:
        assert q.path.stem == q.id, f"{q.path}: file name and id differ"
        assert q.title.get("vi") and q.title.get("en") and q.question, f"{q.id}: header incomplete"
        for p in q.params:
            assert p.type in C.PARAM_TYPES and p.doc


def test_select_queries_project_their_parameters():
    """Oxigraph binds only projected variables: every SELECT must name its parameters."""
    for q in C.load_catalogue():
        if q.form != "select":
            continue
        body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
        projection = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\bWHERE\b", body, re.S).group(1)
        for p in q.params:
            assert f"?{p.name} " in projection + " ", f"{q.id}: parameter ?{p.name} is not in the SELECT clause"


def test_every_query_runs_with_its_defaults(full_graph):
    """On the default build (seed and 2019–2025 pages): ceased-at and function-fate have nothing to say
    of the seed alone, which ends in 2019."""
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore
    s = ox.Store()
    s.load(serialise(full_graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    store = OxigraphStore(s)
    for q in C.load_catalogue():
        if any(p.required for p in q.params):
            continue
        result = C.run(store, q)
        assert result.rows or result.triples, f"{q.id} gives nothing with its defaults"


def test_catalogue_graph_publishes_each_query_as_a_shacl_executable():
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS

    from tttt_kg.graph.namespaces import SH
    g = C.catalogue_graph()
    executables = set(g.subjects(RDF.type, SH.SPARQLExecutable))
    assert len(executables) == len(C.load_catalogue())
    mandate = URIRef(C.QUERY_BASE + "mandate-at")
    assert g.value(mandate, SH.select) == Literal(C.get("mandate-at").text)
    assert {lit.language for lit in g.objects(mandate, RDFS.label)} == {"vi", "en"}
    assert "in force" in str(g.value(mandate, RDFS.comment))
    resource = URIRef(C.QUERY_BASE + "resource")
    assert (resource, RDF.type, SH.SPARQLConstructExecutable) in g and g.value(resource, SH.construct)


def test_the_built_graph_carries_the_catalogue(graph):
    from rdflib.namespace import RDF

    from tttt_kg.graph.namespaces import SH
    assert len(set(graph.subjects(RDF.type, SH.SPARQLExecutable))) == len(C.load_catalogue())


def test_prefix_table_matches_the_namespaces():
    from tttt_kg.graph.namespaces import PREFIXES
    from tttt_kg.graph.prefixes import PREFIX_IRIS
    assert PREFIX_IRIS == {p: str(ns) for p, ns in PREFIXES.items()}


# ---- binding parameters --------------------------------------------------------------------

def test_parameters_are_bound_as_typed_terms():
    terms = C.bind(C.get("mandate-at"), {"at": "16/9/2004", "org": "so-tttt-hai-duong"})
    assert terms["at"].value == "2004-09-16" and terms["at"].datatype.value.endswith("#date")
    assert terms["org"].value == "so-tttt-hai-duong"
    assert C.bind(C.get("source-passage"), {"node": "id:org/x"})["node"].value == "https://w3id.org/tttt-kg/id/org/x"
    assert C.bind(C.get("search"), {"text": "Văn hoá"})["text"].value == "van hoa"


@pytest.mark.parametrize("name, values, expected", [
    ("mandate-at", {"at": "2010-02-30"}, "'at' must be a date"),
    ("mandate-at", {"at": "yesterday"}, "'at' must be a date"),
    ("search", {}, "needs parameter 'text'"),
    ("search", {"text": "  -- "}, "'text' must be some words"),
    ("timeline", {"at": "2010-01-01"}, "has no parameter 'at'"),
    ("source-passage", {"node": "not an iri"}, "'node' must be an IRI"),
])
def test_bad_parameters_are_named(name, values, expected):
    with pytest.raises(C.CatalogueError, match=expected):
        C.bind(C.get(name), values)


def test_unknown_query_lists_nearest_names():
    with pytest.raises(C.CatalogueError, match="nearest: mandate-at"):
        C.get("mandate")


def test_a_parameter_is_not_pasted_into_the_text(store):
    """A value that would break the query if pasted in is just a string that matches nothing."""
    hostile = '53/2008/QĐ-UBND" } } SELECT * WHERE { ?s ?p ?o } #'
    assert rows(store, "decision-functions", number=hostile) == []


def test_ad_hoc_query_parameters_are_typed_by_their_form(store):
    text = "SELECT ?d ?at WHERE { ?d eli:date_document ?date FILTER(?date <= ?at) }"
    result = C.run(store, text, {"at": "2005-01-01"})
    assert [r["d"].value.rsplit("/", 2)[-2:] for r in result.rows] == [["2004", "3593"]]
    assert result.variables == ["d"]


SLOW_QUERY_RUN = """
import os, sys
import pyoxigraph as ox
from tttt_kg.graph.stores.store import OxigraphStore
from tttt_kg.queries import catalogue as C
s = ox.Store()
s.load(sys.stdin.buffer.read(), format=ox.RdfFormat.N_TRIPLES)
try:
    C.run(OxigraphStore(s), "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.2)
except C.QueryTimeout as exc:
    print(type(exc).__name__, exc, flush=True)
os._exit(0)   # the abandoned thread would run on: Oxigraph cannot cancel a query (see catalogue.run)
"""


def test_a_slow_query_is_stopped(graph):
    """In a process of its own: the abandoned query thread would otherwise burn a CPU for the rest of the
    session (up to 7 min of CPU in a full run)."""
    import subprocess
    import sys

    from tttt_kg.graph.export import serialise
    done = subprocess.run([sys.executable, "-c", SLOW_QUERY_RUN], input=serialise(graph, "ntriples"),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("QueryTimeout the query ran longer than 0.2 s and was stopped")


# ---- one test per named query --------------------------------------------------------------

def test_timeline(store):
    got = rows(store, "timeline")
    assert [r["number"] for r in got] == ["3593/2004/QĐ-UBND", "22/2008/QĐ-UBND", "53/2008/QĐ-UBND", "03/2017/QĐ-UBND"]
    assert [r["date"] for r in got] == sorted(r["date"] for r in got)
    by = {r["number"]: r for r in got}
    assert by["53/2008/QĐ-UBND"]["divisions"] == by["53/2008/QĐ-UBND"]["statedDivisions"] == "7"
    assert by["03/2017/QĐ-UBND"]["divisions"] == by["03/2017/QĐ-UBND"]["statedDivisions"] == "6"
    assert by["03/2017/QĐ-UBND"]["replaces"] == "53/2008/QĐ-UBND"
    assert by["3593/2004/QĐ-UBND"]["functionItems"] == "9"
    assert "Thành lập" in by["3593/2004/QĐ-UBND"]["events"]          # lang vi by default, events too
    assert all(r["issuer"] == "Ủy ban nhân dân tỉnh Hải Dương" for r in got)
    english = {r["number"]: r for r in rows(store, "timeline", lang="en")}
    assert "Establishment" in english["3593/2004/QĐ-UBND"]["events"]
    assert all(r["issuer"] == "Hải Dương Provincial People's Committee" for r in english.values())


def test_decision_functions(store, records):
    got = rows(store, "decision-functions", number="53/2008/QĐ-UBND")
    items = next(a for a in records.assignments if a.decision == "qd-53-2008").items
    assert len(got) == len(items) == 11
    third = next(r for r in got if r["item"] == "3")
    assert third["wording"] == "bưu chính và chuyển phát" and third["match"] == "narrow"
    assert functions_of(third) == {"buu-chinh", "chuyen-phat"}
    assert {r["number"] for r in rows(store, "decision-functions")} == {"3593/2004/QĐ-UBND", "53/2008/QĐ-UBND", "03/2017/QĐ-UBND"}


def test_mandate_at(store):
    in_2005 = rows(store, "mandate-at", at="2005-01-01")
    assert {r["decisionNumber"] for r in in_2005} == {"3593/2004/QĐ-UBND"}
    assert {r["basis"] for r in in_2005} == {"assigned"}
    assert {r["org"] for r in in_2005} == {"so-bcvt-hai-duong"} and len(in_2005) == 9
    in_2010 = rows(store, "mandate-at", at="2010-01-01")
    assert {r["decisionNumber"] for r in in_2010} == {"53/2008/QĐ-UBND"}
    assert {r["org"] for r in in_2010} == {"so-tttt-hai-duong"} and len(in_2010) == 11
    # 3593/2004 is never replaced, but its assignee ended in 2008: nothing of it holds in 2010
    in_2018 = rows(store, "mandate-at", at="2018-01-01", org="so-tttt-hai-duong")
    assert {r["decisionNumber"] for r in in_2018} == {"03/2017/QĐ-UBND"} and len(in_2018) == 13
    # between 22/2008 (Sở TTTT formed from the Sở BCVT) and 53/2008 (its own list): the Sở TTTT holds the
    # Sở BCVT's 3593/2004 list by inheritance, plus what was transferred to it on 01/4/2008
    between = rows(store, "mandate-at", at="2008-06-01")
    assert {r["org"] for r in between} == {"so-tttt-hai-duong"}
    inherited = [r for r in between if r["basis"] == "inherited"]
    assert len(inherited) == 9 and {r["decisionNumber"] for r in inherited} == {"3593/2004/QĐ-UBND"}
    assert {r["via"] for r in inherited} == {"so-bcvt-hai-duong"}
    transferred = {(r["via"], r.get("decisionNumber")): functions_of(r) for r in between if r["basis"] == "transferred"}
    assert transferred == {("so-vhtt-hai-duong", "22/2008/QĐ-UBND"): {"bao-chi", "xuat-ban"},
                           ("dai-ptth-hai-duong", None): {"phat-thanh-truyen-hinh"}}
    # before the transfers' date (01/4/2008) only the inherited list holds
    assert {r["basis"] for r in rows(store, "mandate-at", at="2008-03-20")} == {"inherited"}
    # once 53/2008 is in force it alone gives the mandate
    assert {r["basis"] for r in in_2010} == {"assigned"}
    assert rows(store, "mandate-at", at="2010-01-01", org="so-bcvt-hai-duong") == []


def test_units_at(store):
    divisions_2010 = {r["unitId"] for r in rows(store, "units-at", at="2010-01-01", kind="division")}
    assert len(divisions_2010) == 7 and {"so-tttt/buu-chinh", "so-tttt/vien-thong"} <= divisions_2010
    divisions_2018 = {r["unitId"] for r in rows(store, "units-at", at="2018-01-01", kind="division")}
    assert len(divisions_2018) == 6 and "so-tttt/buu-chinh-vien-thong" in divisions_2018
    assert "so-tttt/buu-chinh" not in divisions_2018
    everything = rows(store, "units-at", at="2018-01-01")
    assert {r["kind"] for r in everything} == {"division", "leadership", "public-service-unit"}
    assert rows(store, "units-at", at="2005-01-01") == []


EXPECTED_53_TO_03 = {
    "added": {"thong-tin-doi-ngoai", "ban-tin-thong-tan", "thong-tin-co-so", "quang-cao-tich-hop"},
    "dropped": {"chuyen-phat", "truyen-dan-phat-song", "internet", "dich-vu-cong"},
    "reworded": {"buu-chinh", "vien-thong", "cntt", "dien-tu", "ha-tang-thong-tin",
                 "quang-cao-bao-chi", "quang-cao-tren-mang", "quang-cao-xuat-ban-pham"},
    "unchanged": {"bao-chi", "xuat-ban", "tan-so-vo-tuyen-dien", "phat-thanh-truyen-hinh"},
}


def by_change(got):
    out: dict[str, set[str]] = {}
    for r in got:
        out.setdefault(r["change"], set()).add(r["functionId"])
    return out


def test_changes_between_dates(store):
    got = rows(store, "changes-between-dates", **{"from": "2010-01-01", "to": "2018-01-01"})
    assert by_change(got) == EXPECTED_53_TO_03
    postal = next(r for r in got if r["functionId"] == "buu-chinh")
    assert (postal["fromWording"], postal["toWording"]) == ("bưu chính và chuyển phát", "bưu chính")
    assert (postal["fromDecision"], postal["toDecision"]) == ("53/2008/QĐ-UBND", "03/2017/QĐ-UBND")
    # 2005 → 2010: the Sở BCVT's list against the Sở TTTT's; press and publishing arrive
    early = by_change(rows(store, "changes-between-dates", **{"from": "2005-01-01", "to": "2010-01-01"}))
    assert {"bao-chi", "xuat-ban", "phat-thanh-truyen-hinh"} <= early["added"]
    assert "truyen-dan-phat-song" in early["unchanged"]


def test_changes_between_decisions(store):
    got = rows(store, "changes-between-decisions", **{"from": "53/2008/QĐ-UBND", "to": "03/2017/QĐ-UBND"})
    assert by_change(got) == EXPECTED_53_TO_03
    earlier = by_change(rows(store, "changes-between-decisions", **{"from": "3593/2004/QĐ-UBND", "to": "53/2008/QĐ-UBND"}))
    assert "bao-chi" in earlier["added"] and "vien-thong" in earlier["reworded"]


def test_unit_changes(store):
    got = {r["unit"]: r for r in rows(store, "unit-changes", **{"from": "2010-01-01", "to": "2018-01-01"})}
    assert got["Bưu chính"]["change"] == got["Viễn thông"]["change"] == "merger into"
    assert got["Bưu chính"]["counterpart"] == "Bưu chính - Viễn thông"
    assert got["Bưu chính - Viễn thông"]["change"] == "merger from"
    assert set(got["Bưu chính - Viễn thông"]["counterpart"].split(" + ")) == {"Bưu chính", "Viễn thông"}
    assert got["Báo chí và Xuất bản"]["change"] == "renaming into"
    assert got["Thông tin - Báo chí - Xuất bản"]["counterpart"] == "Báo chí và Xuất bản"
    assert got["Văn phòng"]["change"] == "kept"
    assert got["Bưu chính"]["eventDecision"] == "03/2017/QĐ-UBND"


def test_transfers(store):
    got = {r["fromId"]: r for r in rows(store, "transfers", to="so-tttt-hai-duong")}
    assert set(got) == {"so-vhtt-hai-duong", "dai-ptth-hai-duong"}
    assert {r["date"] for r in got.values()} == {"2008-04-01"}
    assert functions_of(got["so-vhtt-hai-duong"]) == {"bao-chi", "xuat-ban"}
    assert got["so-vhtt-hai-duong"]["decision"] == "22/2008/QĐ-UBND"
    assert "decision" not in got["dai-ptth-hai-duong"]   # the source names no decision for it
    assert rows(store, "transfers", to="so-bcvt-hai-duong") == []


def test_lineage(store):
    tttt = {r["type"]: r for r in rows(store, "lineage", org="so-tttt-hai-duong")}
    assert tttt["establishment"]["role"] == "predecessor" and tttt["establishment"]["date"] == "2004-10-01"
    assert tttt["transformation"]["role"] == "created it"
    assert tttt["transformation"]["decision"] == "22/2008/QĐ-UBND" and tttt["transformation"]["date"] == "2008-03-17"
    assert tttt["restructuring"]["role"] == "changed it"
    bcvt = {r["type"]: r["role"] for r in rows(store, "lineage", org="so-bcvt-hai-duong")}
    assert bcvt == {"establishment": "created it", "transformation": "ended it", "restructuring": "successor"}
    # the two phòng merged in 2017, named in alphabetical order whatever the store's query plan
    merger = rows(store, "lineage", org="so-tttt/buu-chinh")
    assert [(r["role"], r["original"], r["resulting"]) for r in merger] == [
        ("ended it", "Bưu chính + Viễn thông", "Bưu chính - Viễn thông")]


def test_documents_at(store):
    in_2018 = {r["number"]: r for r in rows(store, "documents-at", at="2018-01-01") if "number" in r}
    assert in_2018["53/2008/QĐ-UBND"]["status"] == "replaced"
    assert (in_2018["53/2008/QĐ-UBND"]["replacedBy"], in_2018["53/2008/QĐ-UBND"]["replacedOn"]) == ("03/2017/QĐ-UBND", "2017-03-07")
    assert in_2018["03/2017/QĐ-UBND"]["status"] == "in force"
    assert in_2018["36-NQ/TW"]["status"] == "in force"
    in_2010 = {r["number"]: r["status"] for r in rows(store, "documents-at", at="2010-01-01")}
    assert in_2010["53/2008/QĐ-UBND"] == "in force" and "03/2017/QĐ-UBND" not in in_2010
    assert {r["number"] for r in rows(store, "documents-at", at="2005-01-01")} == {"3593/2004/QĐ-UBND"}


def test_decision_relations(store):
    got = {(r["direction"], r["relation"], r.get("otherNumber") or r["other"])
           for r in rows(store, "decision-relations", number="03/2017/QĐ-UBND")}
    assert ("out", "replaces", "53/2008/QĐ-UBND") in got
    assert ("out", "regulates", "Sở Thông tin và Truyền thông tỉnh Hải Dương") in got
    assert ("in", "framework of", "Hợp nhất phòng Bưu chính và phòng Viễn thông") in got
    assert sum(1 for d, rel, _ in got if rel == "assigns") == 13
    older = {(r["direction"], r["relation"], r.get("otherNumber")) for r in rows(store, "decision-relations", number="53/2008/QĐ-UBND")}
    assert ("out", "is replaced by", "03/2017/QĐ-UBND") in older and ("in", "replaces", "03/2017/QĐ-UBND") in older


def test_laws_and_party_documents(store, records):
    got = rows(store, "laws-and-party-documents")
    assert len(got) == sum(1 for d in records.documents if d.type != "quyet-dinh")
    laws = {r["document"]: r for r in rows(store, "laws-and-party-documents", type="luat")}
    assert len(laws) == sum(1 for d in records.documents if d.type == "luat")
    assert laws["Luật Báo chí sửa đổi"]["amends"] == "Luật Báo chí"
    assert laws["Luật Báo chí"]["amendedBy"] == "Luật Báo chí sửa đổi"
    assert laws["Luật Bưu chính"]["functions"] == "bưu chính"
    nq36 = next(r for r in got if r.get("number") == "36-NQ/TW")
    assert (nq36["date"], nq36["issuer"]) == ("2014-07-01", "Bộ Chính trị khóa XI")


def test_source_passage(store, seed_path):
    got = rows(store, "source-passage", node="id:org/so-tttt-hai-duong")
    assert got and {r["fileName"] for r in got} == {seed_path.name}
    text = seed_path.read_text(encoding="utf-8")
    for r in got:
        passage = text[int(r["start"]):int(r["end"])]
        assert "Thông tin và Truyền thông" in passage or "TTTT" in passage
    decision = rows(store, "source-passage", node="id:eli/ubnd-hai-duong/qd/2017/03")
    assert any("53/2008/QĐ-UBND" in text[int(r["start"]):int(r["end"])] for r in decision)


@pytest.mark.parametrize("typed, expected", [
    ("van hoa", "so-vhtt-hai-duong"), ("Văn hóa", "so-vhtt-hai-duong"), ("Văn hoá - Thông tin", "so-vhtt-hai-duong"),
    ("VĂN HOÁ, THỂ THAO", "so-vhttdl-hai-duong"),
    ("Sở TT&TT", "so-tttt-hai-duong"), ("so TTTT tinh Hai Duong", "so-tttt-hai-duong"),
    ("Sở BCVT", "so-bcvt-hai-duong"), ("UBND tỉnh", "ubnd-hai-duong"), ("HĐND", "hdnd-hai-duong"),
])
def test_search(store, typed, expected):
    found = {r["node"].rsplit("/", 1)[-1] for r in rows(store, "search", text=typed)}
    assert expected in found


def test_search_finds_decisions_by_abbreviated_number(store):
    found = {r["node"] for r in rows(store, "search", text="QĐ 53/2008")}
    assert "https://w3id.org/tttt-kg/id/eli/ubnd-hai-duong/qd/2008/53" in found


def test_organisations(store, records):
    got = {r["id"]: r for r in rows(store, "organisations")}
    assert set(got) == {o.id for o in records.organisations}
    assert got["so-tttt-hai-duong"]["units"] == "11"
    assert got["so-tttt-hai-duong"]["partOf"] == "Ủy ban nhân dân tỉnh Hải Dương"
    kind = got["so-tttt-hai-duong"]["kind"]
    filtered = {r["id"] for r in rows(store, "organisations", kind=kind)}
    assert "so-tttt-hai-duong" in filtered and filtered == {i for i, r in got.items() if r["kind"] == kind}


def test_function_history(store):
    got = rows(store, "function-history", function="fn:bao-chi")
    assert [(r["date"], r["how"], r["source"]) for r in got] == [
        ("2008-04-01", "transferred from", "Sở Văn hoá - Thông tin tỉnh Hải Dương"),
        ("2008-11-03", "assigned by", "53/2008/QĐ-UBND"),
        ("2017-03-07", "assigned by", "03/2017/QĐ-UBND")]
    courier = rows(store, "function-history", function="fn:chuyen-phat")
    assert [r["source"] for r in courier] == ["53/2008/QĐ-UBND"]


def test_readings(store, records):
    from tttt_kg.graph.activities import load_activities
    got = rows(store, "readings")
    assert len(got) == len(records.readings) + len(load_activities(records).readings)
    dated = {(r["date"], r["preferred"]) for r in got if "date" in r}
    # the 2008 change's day (decision or transfers), and the Sở TTTT's founding (one Sở since 2004, or 22/2008)
    assert dated == {("2008-03-17", "true"), ("2008-04-01", "false"), ("2004-10-01", "true"), ("2008-03-17", "false")}


def test_resource_is_a_construct_graph(store):
    result = C.run(store, C.get("resource"), {"node": "id:org/so-tttt-hai-duong"})
    assert result.kind == "graph"
    subjects = {t.subject.value for t in result.triples}
    assert "https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong" in subjects
    assert any(t.predicate.value.endswith("#start") for t in result.triples)   # the span's selector came too


def test_shapes_check_the_published_catalogue():
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from tttt_kg.graph.namespaces import SH
    from tttt_kg.graph.validation import validate
    g = C.catalogue_graph()
    assert validate(g) == []
    broken = URIRef(C.QUERY_BASE + "timeline")
    g.remove((broken, RDFS.label, None))
    g.add((broken, SH.construct, g.value(broken, SH.select)))   # two query texts
    problems = {(v.focus, v.message) for v in validate(g)}
    assert any(focus == str(broken) and "title in vi" in message for focus, message in problems)
    assert len({focus for focus, _ in problems}) == 1 and len(problems) >= 2   # the titles and the two texts


def test_each_query_text_is_self_contained(store):
    """The published sh:select text declares its own prefixes, so it runs on any SPARQL engine."""
    import pyoxigraph as ox
    for q in C.load_catalogue():
        terms = {ox.Variable(k): v for k, v in C.bind(q, {"text": "van hoa"} if q.id == "search" else {}).items()}
        try:
            store.store.query(q.text, substitutions=terms or None)   # no default prefixes given
        except SyntaxError as exc:
            pytest.fail(f"{q.id}: {exc}")


def test_named_queries_answer_in_the_same_row_order_whatever_order_the_triples_were_loaded_in(full_graph):
    """ORDER BY is total in every named query: rows come in one order from any load (function-history's
    did not: two transfers of one function on one day swapped places), and a GROUP_CONCAT's parts are
    sorted before they are joined, so every cell is compared exactly."""
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore
    from tttt_kg.queries.catalogue import load_catalogue, run
    lines = serialise(full_graph, "ntriples").decode().splitlines()
    stores = []
    for ordered in (lines, lines[::-1]):
        s = ox.Store()
        s.load("\n".join(ordered).encode() + b"\n", format=ox.RdfFormat.N_TRIPLES)
        stores.append(OxigraphStore(s))

    def cell(term, query_id):
        return "" if term is None else str(term.value)
    for query in load_catalogue():
        if query.form != "select" or "ORDER BY" not in query.text.upper():
            continue
        params = {"text": "báo chí"} if any(p.required for p in query.params) else {}
        answers = [[tuple(cell(r.get(v), query.id) for v in res.variables) for r in res.rows]
                   for res in (run(store, query, params) for store in stores)]
        assert answers[0] == answers[1], query.id
