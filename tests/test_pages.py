"""The 2019–2025 facts: page-sourced statements, their certainty, what is not known, conflicting reports."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from tttt_kg.graph.namespaces import CERTAINTY, DCTERMS, ELI, ID, PROV, TKG

SHEET = Path(__file__).resolve().parent.parent.parent / "shared" / "sources" / "2019-2025-facts.md"


def test_every_statement_has_span_or_page_provenance(full_ask):
    missing = full_ask("""SELECT ?s WHERE { ?s a ?c . FILTER(?c IN (eli:LegalResource, org:Organization, org:OrganizationalUnit,
                     tkg:FunctionAssignment, tkg:FunctionTransfer, org:ChangeEvent, tkg:SourceReading, tkg:DecisionWording))
                     FILTER NOT EXISTS { ?s prov:wasDerivedFrom/oa:hasSelector/oa:start ?start }
                     FILTER NOT EXISTS { ?s prov:wasDerivedFrom [ a tkg:PageCitation ; dct:source ?page ;
                                                                  tkg:factSheetRow ?row ] ; tkg:certainty ?k } }""")
    assert missing == []


def test_seed_statements_keep_spans_and_carry_no_certainty(full_ask):
    # the seed's decisions keep their span provenance, unchanged, and no certainty is added to them
    assert full_ask("""SELECT ?s WHERE { ?s prov:wasDerivedFrom/oa:hasSource ?src ; tkg:certainty ?k }""") == []
    assert full_ask("""SELECT ?s WHERE { ?s prov:wasDerivedFrom/oa:hasSource ?src ; prov:wasDerivedFrom/a tkg:PageCitation }""") == []


def test_certainty_is_a_ranked_skos_scheme_of_the_sheets_codes(full_ask):
    rows = full_ask("""SELECT ?code ?rank WHERE { ?c skos:inScheme certainty:scheme ; skos:notation ?code ;
                  tkg:certaintyRank ?rank } ORDER BY DESC(?rank)""")
    assert rows == [("D", "5"), ("D-tr", "4"), ("I", "3"), ("N", "2"), ("O", "1")]
    from tttt_kg.graph.pages import CERTAINTY_CODES, CERTAINTY_RANKS
    by_slug = dict(full_ask("SELECT ?c ?rank WHERE { ?c skos:inScheme certainty:scheme ; tkg:certaintyRank ?rank }"))
    assert {str(CERTAINTY[s]): str(r) for s, r in CERTAINTY_RANKS.items()} == by_slug
    assert set(CERTAINTY_CODES) == {code for code, _ in rows}


def test_the_2025_merger_ends_the_so_tttt(full_ask):
    rows = full_ask("""SELECT ?date ?in ?out ?k WHERE { ?e a org:ChangeEvent ; dct:date ?date ;
                  org:originalOrganization/dct:identifier ?in ; org:resultingOrganization/dct:identifier ?out ;
                  tkg:certainty/skos:notation ?k . ?e org:originalOrganization/dct:identifier "so-tttt-hai-duong" }""")
    assert sorted(rows) == [("2025-03-01", "so-khcn-hai-duong", "so-khcn-hai-duong-2025", "D"),
                            ("2025-03-01", "so-tttt-hai-duong", "so-khcn-hai-duong-2025", "D")]


def test_unknown_numbers_stay_unknown(full_ask):
    """The HĐND resolution of 20/02/2025, the decision that replaced 03/2017 and the Hải Phòng merger
    document are resources with what is known, and an explicit 'number not known', never a number."""
    rows = full_ask("""SELECT ?id WHERE { ?d tkg:notKnown eli:id_local ; dct:identifier ?id
                  FILTER NOT EXISTS { ?d eli:id_local ?n } } ORDER BY ?id""")
    assert {"nq-hdnd-hai-duong-2025-02-20", "qd-ubnd-hai-duong-sau-2022", "vb-hop-nhat-so-khcn-hai-phong",
            "qd-ubnd-hai-duong-2025-so-khcn"} <= {r[0] for r in rows}
    assert full_ask("""SELECT ?date ?by WHERE { ?d dct:identifier "nq-hdnd-hai-duong-2025-02-20" ;
                  eli:date_document ?date ; eli:passed_by/dct:identifier ?by }""") == [("2025-02-20", "hdnd-hai-duong")]
    # the replacement of 03/2017: no date either, only the day it is known to be after
    assert full_ask("""SELECT ?after ?replaced WHERE { ?d dct:identifier "qd-ubnd-hai-duong-sau-2022" ; tkg:dateAfter ?after ;
                  tkg:notKnown eli:date_document ; dct:replaces/eli:id_local ?replaced
                  FILTER NOT EXISTS { ?d eli:date_document ?x } }""") == [("2022-09-15", "03/2017/QĐ-UBND")]


def test_the_not_found_list_has_no_values(full_ask):
    # the sheet's list of gaps: each is declared not known and has no value
    gaps = {("nq-hdnd-hai-duong-2025-02-20", "eli:id_local"), ("qd-ubnd-hai-duong-2025-so-khcn", "eli:id_local"),
            ("vb-hop-nhat-so-khcn-hai-phong", "eli:id_local"), ("qd-ubnd-hai-duong-sau-2022", "eli:id_local"),
            ("nd-45-2025", "eli:first_date_entry_in_force"), ("nd-150-2025", "dct:replaces"),
            ("after-2017-merge-buu-chinh-vien-thong-cntt", "dct:date")}
    declared = set(full_ask("""SELECT ?id ?p WHERE { ?d tkg:notKnown ?p0 . BIND(REPLACE(STR(?d), "^.*/id/(doc|event)/", "") AS ?id)
                          BIND(REPLACE(REPLACE(REPLACE(STR(?p0), "http://data.europa.eu/eli/ontology#", "eli:"),
                          "http://purl.org/dc/terms/", "dct:"), "https://w3id.org/tttt-kg/ontology#", "tkg:") AS ?p) }"""))
    assert gaps <= declared
    assert full_ask("SELECT ?d WHERE { ?d tkg:notKnown ?p . ?d ?p ?v }") == []


def test_conflicting_reports_are_both_kept(full_ask):
    rows = full_ask("""SELECT ?about ?k ?p WHERE { ?r a tkg:SourceReading ; tkg:readingOf/dct:identifier ?about ;
                  tkg:preferred ?p ; tkg:certainty/skos:notation ?k ; prov:wasDerivedFrom/tkg:factSheetRow ?row }""")
    seven_six = sorted((k, p) for a, k, p in rows if a == "so-khcn-hai-duong-2025")
    assert seven_six == [("D-tr", "true"), ("I", "false")]
    centre = sorted((k, p) for a, k, p in rows if a == "so-khcn-hai-duong-2025/trung-tam-cntt")
    assert centre == [("D-tr", "true"), ("I", "false")]
    counts = full_ask("""SELECT ?id ?n WHERE { ?d tkg:statedUnitCount ?n ; tkg:regulates/dct:identifier "so-khcn-hai-duong-2025" ;
                    dct:identifier ?id } ORDER BY ?n""")
    assert counts == [("qd-ubnd-hai-duong-2025-so-khcn", "6"), ("de-xuat-so-khcn-2025", "7")]


def test_functions_leave_the_so_tttt_each_with_its_certainty(full_ask):
    rows = full_ask("""SELECT ?fn ?to ?k WHERE { ?t a tkg:FunctionTransfer ; tkg:transferredFrom/dct:identifier "so-tttt-hai-duong" ;
                  tkg:function ?f ; tkg:transferredTo/dct:identifier ?to ; dct:date "2025-03-01"^^xsd:date ;
                  tkg:certainty/skos:notation ?k . BIND(STRAFTER(STR(?f), "/function/") AS ?fn) }""")
    by_fn = {fn: (to, k) for fn, to, k in rows}
    assert by_fn["bao-chi"] == ("so-vhttdl-hai-duong", "I")
    assert by_fn["phat-thanh-truyen-hinh"] == ("so-vhttdl-hai-duong", "N")
    assert by_fn["an-toan-thong-tin-mang"] == ("cong-an-hai-duong", "I")
    assert by_fn["buu-chinh"] == ("so-khcn-hai-duong-2025", "I")
    assert by_fn["chuyen-doi-so"] == ("so-khcn-hai-duong-2025", "N")
    # the sheet does not say where integrated advertising went: no transfer claims it
    assert "quang-cao-tich-hop" not in by_fn


def test_national_frame(full_ask):
    rows = dict(full_ask("""SELECT ?n ?by WHERE { ?d eli:id_local ?n ; eli:passed_by/dct:identifier ?by .
                       FILTER(?n IN ("176/2025/QH15", "43/2025/NĐ-CP", "45/2025/NĐ-CP", "55/2025/NĐ-CP", "202/2025/QH15")) }"""))
    assert rows == {"176/2025/QH15": "quoc-hoi", "43/2025/NĐ-CP": "chinh-phu", "45/2025/NĐ-CP": "chinh-phu",
                    "55/2025/NĐ-CP": "chinh-phu", "202/2025/QH15": "quoc-hoi"}
    end = full_ask("""SELECT ?date ?n WHERE { ?e org:originalOrganization/dct:identifier "bo-tttt" ; dct:date ?date ;
                 m8g:hasFormalFramework/eli:id_local ?n FILTER NOT EXISTS { ?e org:resultingOrganization/dct:identifier "bo-tttt" } }""")
    assert end == [("2025-03-01", "176/2025/QH15")]


def test_no_person_is_modelled(full_graph):
    text = " ".join(str(o) for o in full_graph.objects())
    for name in ("Nguyễn Cao Thắng", "Nguyễn Mạnh Hùng", "Lê Ngọc Châu", "Nguyễn Văn Nhật", "Phạm Văn Mạnh"):
        assert name not in text


def test_build_names_its_sources(full_graph, graph):
    from rdflib.namespace import RDF
    sources = set(full_graph.objects(ID["dataset"], DCTERMS.source))
    assert ID["source/facts-2019-2025"] in sources and any(str(s).startswith("ni:///sha-256;") for s in sources)
    seed_only = set(graph.objects(ID["dataset"], DCTERMS.source))
    assert seed_only == {s for s in sources if str(s).startswith("ni:")}
    assert (ID["source/facts-2019-2025"], RDF.type, TKG.FactSheet) in full_graph


def test_seed_only_build_is_the_graph_of_the_seed_records_apart_from_the_source_catalogue(tmp_path, graph,
                                                                                         full_graph):
    """`build --source seed` equals the graph of a records folder that holds only the seed's files (as
    the records were before the 2019–2025 sheet), triple for triple, once the source catalogue is set aside."""
    import shutil

    from rdflib import Graph
    from rdflib.compare import isomorphic
    from tttt_kg.graph.build import build_graph
    from tttt_kg.graph.records import DEFAULT_RECORDS_DIR
    seed_dir = tmp_path / "records"
    shutil.copytree(DEFAULT_RECORDS_DIR, seed_dir, ignore=shutil.ignore_patterns("2019-2025"))
    old = build_graph(seed_dir)
    old.remove((ID["dataset"], None, None))
    new = Graph()   # the session's `build --source seed` graph, without its source catalogue
    new.addN((s, p, o, new) for s, p, o in graph if s != ID["dataset"])
    assert isomorphic(old, new)
    assert len(full_graph) > len(new) + 1000   # and the pages really add to the full build


def _shacl_messages(g):
    from tttt_kg.graph.validation import validate
    return [str(v) for v in validate(g)]


@pytest.fixture
def copy(full_graph):
    from tttt_kg.graph.namespaces import new_graph
    g = new_graph()
    for t in full_graph:
        g.add(t)
    return g


def test_shapes_catch_a_page_statement_without_certainty_or_address_and_a_guessed_number(copy):
    event = ID["event/2025-so-tttt-so-khcn-merger"]
    resolution = ID["doc/nq-hdnd-hai-duong-2025-02-20"]
    copy.remove((event, TKG.certainty, None))
    copy.remove((URIRef(f"{event}#page-citation"), DCTERMS.source, None))
    copy.add((resolution, ELI.id_local, Literal("01/NQ-HĐND")))
    messages = _shacl_messages(copy)
    assert any(str(event) in m and "no certainty" in m for m in messages), messages
    assert any(str(event) in m and "address" in m for m in messages), messages
    assert any(str(resolution) in m and "not known" in m for m in messages), messages


def test_shapes_accept_the_full_graph(full_violations):
    assert [str(v) for v in full_violations] == []


def test_verify_sources_says_what_it_cannot_check(cli, seed_path):
    if not SHEET.is_file():
        pytest.skip(f"the fact sheet is not at {SHEET}: this test needs ../shared next to the repository")
    result = cli("verify-sources", seed_path, "--sheet", SHEET)
    assert result.exit_code == 0, result.output
    assert "rest on web pages" in result.output and "not checked offline" in result.output
    assert "page addresses found in their rows" in result.output


def test_verify_sources_catches_a_page_the_row_does_not_give(cli, seed_path, records_copy, tmp_path):
    if not SHEET.is_file():
        pytest.skip(f"the fact sheet is not at {SHEET}: this test needs ../shared next to the repository")
    sheet = tmp_path / "facts.md"
    # the sheet as it is, but row H4 loses one of its addresses
    text = SHEET.read_text(encoding="utf-8")
    sheet.write_text(text.replace("https://kinhtemoitruong.vn/to-chuc-bo-may-ubnd-tinh-hai-duong-tinh-gon-con-12-so-ban-nganh-96740.html ; ", ""),
                     encoding="utf-8")
    result = cli("verify-sources", seed_path, "--sheet", sheet)
    assert result.exit_code == 1
    assert "kinhtemoitruong.vn" in result.output and "is not given in row(s) H4" in result.output


def test_a_record_citing_a_row_the_sheet_lacks_is_refused(records_copy, cli):
    events = records_copy / "2019-2025" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("rows: [H4, H5, N8]", "rows: [H4, H99]"), encoding="utf-8")
    result = cli("build", "--records", records_copy, "-o", records_copy / "out.ttl")
    assert result.exit_code == 2
    assert "'H99' is not a row" in result.output and not (records_copy / "out.ttl").exists()


def test_a_record_without_certainty_or_with_a_guessed_number_is_refused(records_copy, cli):
    docs = records_copy / "2019-2025" / "documents.yaml"
    text = docs.read_text(encoding="utf-8")
    docs.write_text(text.replace("    date: 2025-02-20\n    issuer: hdnd-hai-duong\n",
                                 "    number: 01/NQ-HĐND\n    date: 2025-02-20\n    issuer: hdnd-hai-duong\n"), encoding="utf-8")
    result = cli("build", "--records", records_copy, "--no-validate", "-o", records_copy / "out.ttl")
    assert result.exit_code == 2 and "declared not known and also given" in result.output
    docs.write_text(text.replace("    rows: [P2]\n    certainty: stated\n", "    rows: [P2]\n"), encoding="utf-8")
    result = cli("build", "--records", records_copy, "--no-validate", "-o", records_copy / "out.ttl")
    assert result.exit_code == 2 and "'certainty'" in result.output and "is missing" in result.output
