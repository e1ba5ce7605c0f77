"""What each document was used for, the awards, and the Sở's names over time (issue 13 §2, §3):
the roles as short SPARQL, the named query, the spans, the shapes, the readings, the records refused."""
from __future__ import annotations

import pytest

from tttt_kg.graph.namespaces import ID, PROV, TKG

PREFIXES = """PREFIX id: <https://w3id.org/tttt-kg/id/> PREFIX role: <https://w3id.org/tttt-kg/id/document-role/>
PREFIX doctype: <https://w3id.org/tttt-kg/id/doctype/> PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/>
"""


def ids(graph, sparql):
    return {str(row[0]) for row in graph.query(PREFIXES + sparql)}


# ---- §2: what each document was used for --------------------------------------------------------

def documents_in_role(graph, role, doctype=None):
    type_filter = f"; eli:type_document doctype:{doctype}" if doctype else ""
    return ids(graph, f"""SELECT DISTINCT ?id WHERE {{
        ?work prov:wasAssociatedWith <https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong> ;
              prov:qualifiedUsage [ prov:entity ?d ; prov:hadRole role:{role} ] .
        ?d dct:identifier ?id {type_filter} }}""")


def test_which_laws_did_the_so_disseminate_is_a_short_question(graph):
    assert documents_in_role(graph, "tuyen-truyen-pho-bien", "luat") == {
        "luat-bao-chi", "luat-xuat-ban", "luat-cntt", "luat-vien-thong", "luat-tan-so", "luat-buu-chinh",
        "luat-giao-dich-dien-tu", "luat-dat-dai", "luat-bao-chi-sua-doi"}
    # the Party documents it had the press disseminate are the two congress resolutions, not the ones it evaluated
    assert documents_in_role(graph, "tuyen-truyen-pho-bien", "nghi-quyet") == {"nq-dai-hoi-xii", "nq-dai-hoi-xvi-dang-bo-tinh"}
    assert documents_in_role(graph, "danh-gia-thuc-hien") == {
        "chien-luoc-thong-tin-2005-2010", "nq-tw5-khoa-viii", "ct-58-tw", "luat-bao-chi", "ct-42-tw",
        "nq-36-tw-2014", "nq-13-tw-2012"}
    assert documents_in_role(graph, "can-cu") == {
        "luat-bao-chi", "luat-xuat-ban", "luat-cntt", "luat-vien-thong", "luat-tan-so", "luat-buu-chinh",
        "luat-giao-dich-dien-tu"}
    assert documents_in_role(graph, "xay-dung", "ke-hoach") >= {"kh-thuc-hien-qh-bao-chi", "kh-cntt-2016-2020"}
    assert documents_in_role(graph, "ra-soat-dieu-chinh") == {
        "qh-bao-chi-2020", "qh-cntt-2020", "qh-ha-tang-vien-thong-2020", "qh-buu-chinh-2020"}
    assert documents_in_role(graph, "ban-hanh") == {"kh-thanh-tra-kiem-tra", "kh-phong-chong-tham-nhung", "kh-phong-chong-in-lau"}
    # every document the source names is used in some role; the decisions about the Sở itself are not work of the Sở
    named = ids(graph, "SELECT ?id WHERE { ?d a eli:LegalResource ; dct:identifier ?id FILTER NOT EXISTS { ?d a tkg:AdministrativeDecision } }")
    used = ids(graph, "SELECT ?id WHERE { [] prov:entity ?d . ?d dct:identifier ?id }")
    assert named == used


def test_every_usage_has_one_role_of_the_scheme_its_document_and_its_own_span(graph):
    from rdflib.namespace import RDF, SKOS
    usages = set(graph.subjects(RDF.type, PROV.Usage))
    assert len(usages) == 64
    scheme = ID["document-role/scheme"]
    for u in usages:
        roles = list(graph.objects(u, PROV.hadRole))
        assert len(roles) == 1 and (roles[0], SKOS.inScheme, scheme) in graph, u
        assert len(list(graph.objects(u, PROV.entity))) == 1, u
        assert list(graph.objects(u, PROV.wasDerivedFrom)), u
        work = graph.value(predicate=PROV.qualifiedUsage, object=u)
        assert (work, PROV.used, graph.value(u, PROV.entity)) in graph
    # the roles are the ones the seed uses, each labelled vi and en
    roles = set(graph.subjects(SKOS.inScheme, scheme))
    assert {str(r).rsplit("/", 1)[-1] for r in roles} == {
        "can-cu", "tuyen-truyen-pho-bien", "danh-gia-thuc-hien", "thuc-hien", "xay-dung", "ban-hanh", "ra-soat-dieu-chinh"}
    for r in roles:
        assert {lab.language for lab in graph.objects(r, SKOS.prefLabel)} == {"vi", "en"}


@pytest.fixture(scope="module")
def store(graph):
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore
    s = ox.Store()
    s.load(serialise(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphStore(s)


def rows(store, name, **params):
    from tttt_kg.queries import catalogue as C
    result = C.run(store, C.get(name), {k: str(v) for k, v in params.items()})
    return [{k: v.value for k, v in row.items()} for row in result.rows]


def test_the_named_query_answers_which_laws_the_so_disseminated(store, seed_path):
    from tttt_kg.graph.provenance import read_source
    got = rows(store, "document-roles", role="tuyen-truyen-pho-bien", type="luat", org="so-tttt-hai-duong")
    assert {r["documentId"] for r in got} == documents_in_role_ids_disseminated()
    assert {r["roleLabel"] for r in got} == {"tuyên truyền, phổ biến"} and {r["orgId"] for r in got} == {"so-tttt-hai-duong"}
    text = read_source(seed_path).text
    for r in got:   # the stretch each row points at names the law and says it was disseminated
        passage = " ".join(text[int(r["start"]):int(r["end"])].split()).casefold()
        assert r["document"].casefold() in passage and ("phổ biến" in passage or "tuyên truyền" in passage)
    everything = rows(store, "document-roles")
    assert len(everything) == 64
    assert {r["roleId"] for r in rows(store, "document-roles", type="chi-thi")} == {"danh-gia-thuc-hien"}


def documents_in_role_ids_disseminated():
    return {"luat-bao-chi", "luat-xuat-ban", "luat-cntt", "luat-vien-thong", "luat-tan-so", "luat-buu-chinh",
            "luat-giao-dich-dien-tu", "luat-dat-dai", "luat-bao-chi-sua-doi"}


# ---- §2: awards -----------------------------------------------------------------------------

def test_awards_say_what_from_whom_when_and_how_many(graph):
    got = {r[0]: r[1:] for r in graph.query(PREFIXES + """
        SELECT ?id ?by ?when ?year (SUM(?n) AS ?count) WHERE {
          ?a a tkg:Award ; dct:identifier ?id .
          OPTIONAL { ?a tkg:conferredBy/dct:identifier ?by } OPTIONAL { ?a dct:date ?when } OPTIONAL { ?a tkg:awardYear ?year }
          OPTIONAL { ?a tkg:countedIn/<http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?n }
        } GROUP BY ?id ?by ?when ?year""")}
    got = {str(k): tuple(None if x is None else str(x) for x in v) for k, v in got.items()}
    assert len(got) == 19
    assert got["huan-chuong-lao-dong-hang-ba"] == ("chu-tich-nuoc", None, None, "0")   # one award, no figure counts it
    assert got["co-thi-dua-thu-tuong"] == ("thu-tuong-chinh-phu", None, None, "2")
    assert got["co-thi-dua-bo-tttt"] == ("bo-tttt", None, None, "9")
    assert got["ky-niem-chuong-vi-su-nghiep-tttt"] == ("bo-tttt", None, None, str(7 + 299))
    assert got["buc-trung-tinh-uy-2016"] == ("tinh-uy-hai-duong", "2016-08-28", None, "0")
    # the contests' prizes: the source says no one conferred them, so the graph names no one
    assert got["hoi-thi-sang-tao-2015-giai-nhat"] == (None, None, "2015", "0")
    assert {k for k, v in got.items() if k.startswith("upu-")} == {
        "upu-2016-giai-nhat-quoc-gia", "upu-2016-giai-nhat-quoc-te", "upu-2018-giai-nhat-quoc-gia",
        "upu-2018-giai-ba-quoc-te", "upu-2019-giai-nhat-quoc-gia"}
    # the Labour Order (second class): one award under the preferred reading, the other reading kept
    readings = {(str(p), str(c)) for p, c in graph.query(PREFIXES + """SELECT ?p ?c WHERE {
        ?r tkg:readingOf <https://w3id.org/tttt-kg/id/award/huan-chuong-lao-dong-hang-nhi> ; tkg:preferred ?p ; rdfs:comment ?c FILTER(LANG(?c) = "en") }""")}
    assert sorted(p for p, _ in readings) == ["false", "true"]


def test_no_person_is_named(graph, seed_path):
    from rdflib import Literal
    text = " ".join(str(o) for o in graph.objects() if isinstance(o, Literal))
    for person in ("Nguyễn Thị Thu Trang", "Nguyễn Thị Bạch Dương", "Nguyễn Thị Mai", "Nguyễn"):
        assert person not in text


# ---- §3: the 2004 public services, the names over time, the founding -------------------------

def test_the_diff_of_2004_and_2008_finds_public_services_reworded_not_added(store):
    got = {}
    for r in rows(store, "changes-between-decisions", **{"from": "3593/2004/QĐ-UBND", "to": "53/2008/QĐ-UBND"}):
        got.setdefault(r["change"], set()).add(r["functionId"])
    assert "dich-vu-cong" in got["reworded"] and "dich-vu-cong" not in got.get("added", set())
    item = ID["assignment/qd-3593-2004/9"]
    readings = rows(store, "readings")
    about = [r for r in readings if "quản lý dịch vụ công" in r["about"]]
    assert sorted(r["preferred"] for r in about) == ["false", "true"]
    assert item   # the reading is about the item: see the next assertion on the graph


def test_the_public_services_item_of_2004_cites_its_words(graph, seed_path):
    from tttt_kg.graph.provenance import passages, read_source
    item = ID["assignment/qd-3593-2004/9"]
    assert str(graph.value(item, TKG.wording)) == "quản lý dịch vụ công"
    (_, start, end, text), = passages(graph, item, [read_source(seed_path)])
    assert text == "quản lý dịch vụ công"
    assert len(list(graph.subjects(TKG.readingOf, item))) == 2


NAME_ON = """SELECT ?name WHERE {{ ?n tkg:nameOf <https://w3id.org/tttt-kg/id/org/{org}> ; tkg:orgName ?name ; tkg:nameFrom ?f
    OPTIONAL {{ ?n tkg:nameUntil ?u }} FILTER(LANG(?name) = "vi" && ?f <= "{day}"^^xsd:date && (!BOUND(?u) || "{day}"^^xsd:date < ?u)) }}"""


@pytest.mark.parametrize("day, name", [
    ("2004-09-30", None), ("2004-10-01", "Sở Bưu chính, Viễn thông"), ("2006-01-01", "Sở Bưu chính, Viễn thông"),
    ("2008-03-16", "Sở Bưu chính, Viễn thông"), ("2008-03-17", "Sở Thông tin và Truyền thông"),
    ("2019-09-11", "Sở Thông tin và Truyền thông"),
])
def test_the_sos_name_on_a_day_is_one_query(graph, day, name):
    got = ids(graph, NAME_ON.format(org="so-tttt-hai-duong", day=day))
    assert got == ({name} if name else set())
    # the Sở BCVT resource bore only its own name
    assert ids(graph, NAME_ON.format(org="so-bcvt-hai-duong", day=day)) <= {"Sở Bưu chính, Viễn thông"}


def test_each_name_gives_the_decision_behind_it_and_its_other_reading(graph):
    got = {(str(n), str(d)) for n, d in graph.query(PREFIXES + """SELECT ?name ?number WHERE {
        ?n tkg:nameOf <https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong> ; tkg:orgName ?name ; tkg:namedBy/eli:id_local ?number FILTER(LANG(?name) = "vi") }""")}
    assert got == {("Sở Bưu chính, Viễn thông", "3593/2004/QĐ-UBND"), ("Sở Thông tin và Truyền thông", "22/2008/QĐ-UBND")}
    # the date of the new name is read two ways (17/3/2008, the decision; 01/4/2008, after the transfers): both kept
    dates = {(str(p), str(d)) for p, d in graph.query(PREFIXES + """SELECT ?p ?d WHERE {
        ?r tkg:readingOf <https://w3id.org/tttt-kg/id/name/so-tttt-2008> ; tkg:preferred ?p ; dct:date ?d }""")}
    assert dates == {("true", "2008-03-17"), ("false", "2008-04-01")}


def test_the_so_ttt_founding_date_is_one_query_and_the_other_reading_stays(graph):
    assert ids(graph, "SELECT ?d WHERE { <https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong> tkg:foundingDate ?d }") == {"2004-10-01"}
    readings = {(str(p), str(d)) for p, d in graph.query(PREFIXES + """SELECT ?p ?d WHERE {
        ?r tkg:readingOf <https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong> ; tkg:preferred ?p ; dct:date ?d }""")}
    assert readings == {("true", "2004-10-01"), ("false", "2008-03-17")}
    # the two-resource model stays: the Sở TTTT resource still begins with the 2008 change event
    assert ids(graph, "SELECT ?d WHERE { <https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong> schema:foundingDate ?d }") == set()
    assert ids(graph, "SELECT ?d WHERE { <https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong> tkg:validity/tkg:validFrom ?d }") == {"2008-03-17"}


# ---- provenance and shapes ---------------------------------------------------------------------

def test_verify_sources_checks_every_new_span(graph, seed_path):
    from rdflib import Literal
    from rdflib.namespace import RDF

    from tttt_kg.graph.provenance import read_source, spans_of, verify
    source = read_source(seed_path)
    new = [s for cls in (TKG.Work, PROV.Usage, TKG.Award, TKG.OrganisationName) for s in graph.subjects(RDF.type, cls)]
    new += [ID[f"reading/{r}"] for r in ("so-tttt-founded-2004", "so-tttt-founded-2008", "2004-public-services-managed",
                                         "2004-public-services-a-kind-of-management", "huan-chuong-hang-nhi-one-award",
                                         "huan-chuong-hang-nhi-two-awards")]
    assert len(new) == 15 + 64 + 19 + 2 + 6
    for s in new:
        assert spans_of(graph, s) and any(graph.objects(span, TKG.evidence) for span, *_ in spans_of(graph, s)) \
            or s.startswith(str(ID["reading/"])), s
    checked, problems = verify(graph, source)
    assert problems == []
    # a wrong word in a usage's evidence is caught
    g = graph.__class__(bind_namespaces="none")
    g += graph
    usage = ID["activity/bao-cao-thi-hanh-luat-bao-chi/usage/1"]
    span, *_ = spans_of(g, usage)[0]
    g.add((span, TKG.evidence, Literal("Luật Xuất bản")))
    _, problems = verify(g, source)
    assert [p.subject for p in problems] == [str(usage)]


def test_the_shapes_catch_a_usage_without_role_an_award_without_title_and_overlapping_names(graph, seed_violations):
    from rdflib import Literal
    from rdflib.namespace import XSD

    from tttt_kg.graph.validation import validate
    assert [str(v) for v in seed_violations if any(k in v.focus for k in ("/activity/", "/award/", "/name/"))] == []
    g = graph.__class__(bind_namespaces="none")
    g += graph
    usage = ID["activity/danh-gia-ct-58-tw/usage/1"]
    g.remove((usage, PROV.hadRole, None))
    g.remove((ID["award/bang-khen-bo-tttt"], TKG.awardTitle, None))
    g.set((ID["name/so-bcvt-2004"], TKG.nameUntil, Literal("2009-01-01", datatype=XSD.date)))
    found = {(v.focus.rsplit("/", 1)[-1] if "/usage/" not in v.focus else "usage", v.message) for v in validate(g)
             if any(k in v.focus for k in ("/activity/", "/award/", "/name/"))}
    assert any(f == "usage" and "role" in m for f, m in found)
    assert any(f == "bang-khen-bo-tttt" and "tkg:awardTitle" in m for f, m in found)
    assert any(f in ("so-bcvt-2004", "so-tttt-2008") and "overlap" in m for f, m in found)


@pytest.mark.parametrize("file, old, new, message", [
    ("activities.yaml", "role: danh-gia-thuc-hien", "role: danh-gia", "not a known value"),
    ("activities.yaml", "document: ct-58-tw", "document: ct-59-tw", "unknown document"),
    ("activities.yaml", "by: thu-tuong-chinh-phu", "by: thu-tuong", "unknown organisation"),
    ("names.yaml", "until: 2008-03-17", "until: 2004-01-01", "ends on or before it begins"),
    ("names.yaml", "about: [huan-chuong-lao-dong-hang-nhi]", "about: [huan-chuong-hang-tu]", "unknown record"),
])
def test_bad_records_are_refused(records_copy, file, old, new, message):
    from tttt_kg.graph.activities import load_activities
    from tttt_kg.graph.records import RecordError, load_records
    path = records_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RecordError, match=message):
        load_activities(load_records(records_copy), records_copy)


def test_the_vocabulary_documents_its_terms():
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS

    from tttt_kg.ontology import HERE
    g = Graph().parse(HERE / "activities.ttl")
    terms = [s for s in set(g.subjects(RDF.type, None)) if str(s).startswith(str(TKG))]
    assert len(terms) >= 14
    for t in terms:
        assert {lab.language for lab in g.objects(t, RDFS.label)} >= {"vi", "en"}, t
        assert g.value(t, RDFS.comment) is not None, t
        if (t, RDF.type, OWL.Class) not in g:
            assert g.value(t, RDFS.domain) is not None and g.value(t, RDFS.range) is not None, t
