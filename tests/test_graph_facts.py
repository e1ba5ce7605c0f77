"""The seed's facts, asserted through SPARQL on the seed graph (conftest: `build --source seed`)."""
import pytest


def test_four_decisions_with_number_date_issuer(ask):
    rows = ask("""SELECT ?n ?d ?issuer WHERE { ?x a tkg:AdministrativeDecision ; eli:id_local ?n ;
                  eli:date_document ?d ; eli:passed_by/skos:prefLabel ?issuer . FILTER(lang(?issuer)='vi') } ORDER BY ?d""")
    assert rows == [
        ("3593/2004/QĐ-UBND", "2004-09-16", "Ủy ban nhân dân tỉnh Hải Dương"),
        ("22/2008/QĐ-UBND", "2008-03-17", "Ủy ban nhân dân tỉnh Hải Dương"),
        ("53/2008/QĐ-UBND", "2008-11-03", "Ủy ban nhân dân tỉnh Hải Dương"),
        ("03/2017/QĐ-UBND", "2017-03-07", "Ủy ban nhân dân tỉnh Hải Dương"),
    ]


def test_03_2017_replaces_53_2008_and_nothing_else_is_replaced(ask):
    assert ask("SELECT ?a ?b WHERE { ?x dct:replaces ?y . ?x eli:id_local ?a . ?y eli:id_local ?b }") == [
        ("03/2017/QĐ-UBND", "53/2008/QĐ-UBND")]


def test_22_2008_forms_the_sotttt_on_the_basis_of_the_so_bcvt(ask):
    rows = ask("""SELECT ?type ?from ?to WHERE { ?e a org:ChangeEvent ; m8g:hasFormalFramework/eli:id_local "22/2008/QĐ-UBND" ;
                  tkg:changeType ?type ; org:originalOrganization/dct:identifier ?from ;
                  org:resultingOrganization/dct:identifier ?to }""")
    assert rows == [(
        "https://w3id.org/tttt-kg/id/changetype/transformation", "so-bcvt-hai-duong", "so-tttt-hai-duong")]


def test_the_three_change_events_are_tied_to_their_decisions(ask):
    rows = ask("""SELECT ?type ?n WHERE { ?e tkg:changeType ?t ; m8g:hasFormalFramework/eli:id_local ?n .
                  FILTER(?t IN (changetype:establishment, changetype:transformation, changetype:restructuring))
                  BIND(STRAFTER(STR(?t), "changetype/") AS ?type) } ORDER BY ?n""")
    assert sorted(rows) == sorted([("restructuring", "03/2017/QĐ-UBND"), ("transformation", "22/2008/QĐ-UBND"),
                                   ("establishment", "3593/2004/QĐ-UBND")])


def test_founding_date(ask):
    assert ask("""SELECT ?d WHERE { ?e tkg:changeType changetype:establishment ; dct:date ?d ;
                  org:resultingOrganization/dct:identifier "so-bcvt-hai-duong" }""") == [("2004-10-01",)]
    assert ask('SELECT ?d WHERE { ?o dct:identifier "so-bcvt-hai-duong" ; schema:foundingDate ?d }') == [("2004-10-01",)]


@pytest.mark.parametrize("number,stated,listed", [("53/2008/QĐ-UBND", 7, 7), ("03/2017/QĐ-UBND", 6, 6)])
def test_divisions_per_decision_match_the_stated_count(ask, number, stated, listed):
    rows = ask(f"""SELECT (COUNT(?u) AS ?n) (SAMPLE(?s) AS ?stated) WHERE {{
                  ?d eli:id_local "{number}" ; tkg:statedUnitCount ?s .
                  ?u tkg:listedIn ?d ; org:classification orgtype:division }}""")
    assert rows == [(str(listed), str(stated))]


def test_one_public_service_unit_in_both_structures(ask):
    rows = ask("""SELECT ?label (COUNT(?d) AS ?n) WHERE { ?u org:classification orgtype:public-service-unit ;
                  tkg:listedIn ?d ; rdfs:label ?label . FILTER(lang(?label)='vi') } GROUP BY ?label""")
    assert rows == [("Trung tâm CNTT và Truyền thông", "2")]


def test_which_units_became_which_in_2017(ask):
    rows = ask("""SELECT ?type ?from ?to WHERE { ?e dct:isPartOf/tkg:changeType changetype:restructuring ;
                  tkg:changeType ?t ; org:originalOrganization/rdfs:label ?from ; org:resultingOrganization/rdfs:label ?to .
                  FILTER(lang(?from)='vi' && lang(?to)='vi') BIND(STRAFTER(STR(?t), "changetype/") AS ?type) }""")
    assert sorted(rows) == [("merger", "Bưu chính", "Bưu chính - Viễn thông"),
                            ("merger", "Viễn thông", "Bưu chính - Viễn thông"),
                            ("renaming", "Báo chí và Xuất bản", "Thông tin - Báo chí - Xuất bản")]


def test_transfers_of_2008(ask):
    rows = ask("""SELECT ?fn ?from ?date ?by WHERE { ?t a tkg:FunctionTransfer ; tkg:function ?f ; dct:date ?date ;
                  tkg:transferredFrom/dct:identifier ?from ; tkg:transferredTo/dct:identifier "so-tttt-hai-duong" .
                  OPTIONAL { ?t tkg:transferredBy/eli:id_local ?by } BIND(STRAFTER(STR(?f), "function/") AS ?fn) }""")
    assert sorted(rows, key=str) == sorted([
        ("bao-chi", "so-vhtt-hai-duong", "2008-04-01", "22/2008/QĐ-UBND"),
        ("xuat-ban", "so-vhtt-hai-duong", "2008-04-01", "22/2008/QĐ-UBND"),
        ("phat-thanh-truyen-hinh", "dai-ptth-hai-duong", "2008-04-01", None),
    ], key=str)


@pytest.mark.parametrize("number,items", [("3593/2004/QĐ-UBND", 9), ("53/2008/QĐ-UBND", 11), ("03/2017/QĐ-UBND", 13)])
def test_function_lists_item_by_item(ask, number, items):
    rows = ask(f"""SELECT ?i ?w WHERE {{ ?a tkg:assignedBy/eli:id_local "{number}" ; tkg:itemNumber ?i ; tkg:wording ?w }}
                  ORDER BY ?i""")
    assert [int(i) for i, _ in rows] == list(range(1, items + 1))


def test_wordings_are_aligned_through_skos_mappings(ask):
    # 53/2008 "bưu chính và chuyển phát" and 03/2017 "bưu chính" reach the same canonical concept
    rows = ask("""SELECT ?w2008 ?w2017 WHERE {
        ?a8 tkg:assignedBy/eli:id_local "53/2008/QĐ-UBND" ; tkg:wordedAs ?c8 ; tkg:wording ?w2008 .
        ?a7 tkg:assignedBy/eli:id_local "03/2017/QĐ-UBND" ; tkg:wordedAs ?c7 ; tkg:wording ?w2017 .
        ?c8 skos:exactMatch|skos:closeMatch|skos:narrowMatch fn:buu-chinh .
        ?c7 skos:exactMatch|skos:closeMatch|skos:narrowMatch fn:buu-chinh . }""")
    assert rows == [("bưu chính và chuyển phát", "bưu chính")]
    quang_cao = ask("""SELECT DISTINCT ?n WHERE { ?a tkg:function/skos:broader fn:quang-cao ; tkg:assignedBy/eli:id_local ?n }
                       ORDER BY ?n""")
    assert quang_cao == [("03/2017/QĐ-UBND",), ("53/2008/QĐ-UBND",)]


def test_culture_department_is_now_culture_sports_tourism(ask):
    rows = ask("""SELECT ?to WHERE { ?e org:originalOrganization/dct:identifier "so-vhtt-hai-duong" ;
                  org:resultingOrganization/skos:prefLabel ?to FILTER(lang(?to)='vi') }""")
    assert rows == [("Sở Văn hoá, Thể thao và Du lịch tỉnh Hải Dương",)]


def test_party_and_union_bodies_are_not_administrative_units(ask):
    rows = ask("""SELECT ?id ?cls WHERE { ?o org:linkedTo ?agency ; dct:identifier ?id ; a ?cls .
                  FILTER(?cls IN (tkg:PartyOrganisation, tkg:MassOrganisation, org:OrganizationalUnit)) }""")
    kinds = {i: c.rsplit("#", 1)[-1] for i, c in rows}
    assert kinds == {"chi-bo-so-bcvt": "PartyOrganisation", "dang-bo-so-tttt": "PartyOrganisation",
                     "cong-doan-so-tttt": "MassOrganisation", "doan-thanh-nien-so-tttt": "MassOrganisation",
                     "hoi-ccb-so-tttt": "MassOrganisation", "chi-hoi-nha-bao-so-tttt": "MassOrganisation"}


def test_organisations_the_issue_names_are_present(ask):
    ids = {r[0] for r in ask("SELECT ?id WHERE { ?o a org:Organization ; dct:identifier ?id }")}
    assert {"so-bcvt-hai-duong", "so-tttt-hai-duong", "so-vhtt-hai-duong", "so-vhttdl-hai-duong", "dai-ptth-hai-duong",
            "ubnd-hai-duong", "tinh-uy-hai-duong", "hdnd-hai-duong", "bo-tttt"} <= ids
    units = {r[0] for r in ask("SELECT ?id WHERE { ?o a org:OrganizationalUnit ; dct:identifier ?id }")}
    assert "so-tttt/trung-tam-cntt-tt" in units


def test_party_documents_with_number_and_date(ask):
    rows = ask("""SELECT ?n ?d ?by WHERE { ?x eli:type_document doctype:nghi-quyet ; eli:id_local ?n ; eli:date_document ?d ;
                  eli:passed_by/dct:identifier ?by } ORDER BY ?d""")
    assert rows == [("13-NQ/TW", "2012-01-16", "bch-tw-khoa-xi"), ("36-NQ/TW", "2014-07-01", "bo-chinh-tri-khoa-xi")]
    laws = {r[0] for r in ask("SELECT ?l WHERE { ?x eli:type_document doctype:luat ; rdfs:label ?l FILTER(lang(?l)='vi') }")}
    assert {"Luật Báo chí", "Luật Xuất bản", "Luật CNTT", "Luật Viễn thông", "Luật Tần số vô tuyến điện",
            "Luật Bưu chính"} <= laws


def test_both_readings_of_each_ambiguity_are_kept(ask):
    rows = ask("""SELECT ?about (COUNT(?r) AS ?n) (SUM(IF(?p, 1, 0)) AS ?preferred) WHERE {
                  ?r a tkg:SourceReading ; tkg:readingOf ?about ; tkg:preferred ?p } GROUP BY ?about""")
    by_about = {a.rsplit("/", 1)[-1]: (int(n), int(p)) for a, n, p in rows}
    assert by_about["2008-transformation"] == (2, 1)
    assert by_about["buu-chinh"] == (2, 1) and by_about["vien-thong"] == (2, 1)


def test_every_statement_has_provenance(ask):
    missing = ask("""SELECT ?s WHERE { ?s a ?c . FILTER(?c IN (eli:LegalResource, org:Organization, org:OrganizationalUnit,
                     tkg:FunctionAssignment, tkg:FunctionTransfer, org:ChangeEvent, tkg:SourceReading, tkg:DecisionWording))
                     FILTER NOT EXISTS { ?s prov:wasDerivedFrom/oa:hasSelector/oa:start ?start } }""")
    assert missing == []


def test_source_is_identified_by_its_sha256(ask, seed_path):
    import hashlib
    sha = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    assert ask("SELECT ?s WHERE { ?s a tkg:SourceDocument ; tkg:sha256 ?h }") == [
        (ask(f'SELECT ?s WHERE {{ ?s tkg:sha256 "{sha}" }}')[0][0],)]
