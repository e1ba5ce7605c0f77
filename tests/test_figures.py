"""The seed's figures as a Data Cube (issue 13, part 1): number parsing, the records against the seed,
the observations, the shapes, the 21 integrity constraints and the named query."""
from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, Namespace

from tttt_kg.graph.figures import Figure, load_figures, parse_figure, parse_vn_number
from tttt_kg.graph.namespaces import ID, TKG

QB = Namespace("http://purl.org/linked-data/cube#")
MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


# ---- Vietnamese numbers: our own cases, then the seed's -------------------------------------

@pytest.mark.parametrize("written, value", [
    ("7", 7), ("05", 5), ("1300", 1300), ("1.000", 1000), ("12.345.678", 12345678),
    ("2,4", Decimal("2.4")), ("0,75", Decimal("0.75")), ("1.234,56", Decimal("1234.56")), ("2,0", Decimal("2.0")),
    ("3 triệu", 3_000_000), ("2,5 triệu", 2_500_000), ("15 nghìn", 15_000), ("15 ngàn", 15_000), ("1,2 tỷ", 1_200_000_000),
])
def test_vietnamese_numbers(written, value):
    got = parse_vn_number(written)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("written", ["1.70", "1.7034", "1,703.5", "1,234,5", "2.4.", "", "ba", "3 triệu đồng", "-5"])
def test_what_is_not_a_vietnamese_number_is_refused(written):
    with pytest.raises(ValueError):
        parse_vn_number(written)


@pytest.mark.parametrize("written, expected", [
    ("gần 130", Figure("gần 130", value=130, qualifier="gan")),
    ("hơn 2.000", Figure("hơn 2.000", value=2000, qualifier="hon")),
    ("trên 1.500", Figure("trên 1.500", value=1500, qualifier="tren")),
    ("khoảng 2,5 triệu", Figure("khoảng 2,5 triệu", value=2_500_000, qualifier="khoang")),
    ("xấp xỉ 40%", Figure("xấp xỉ 40%", value=40, qualifier="khoang", percent=True)),
    ("ít nhất 1", Figure("ít nhất 1", value=1, qualifier="it-nhat")),
    ("100%", Figure("100%", value=100, percent=True)),
    ("60 - 65%", Figure("60 - 65%", lower=60, upper=65, percent=True)),
    ("70–75%", Figure("70–75%", lower=70, upper=75, percent=True)),
    ("từ 5 đến 8", Figure("từ 5 đến 8", lower=5, upper=8)),
    ("khoảng 1.000 - 1.200", Figure("khoảng 1.000 - 1.200", lower=1000, upper=1200, qualifier="khoang")),
    ("hàng trăm", Figure("hàng trăm", lower=100, upper=1000, qualifier="hang", upper_exclusive=True)),
    ("hàng chục ngàn", Figure("hàng chục ngàn", lower=10_000, upper=100_000, qualifier="hang", upper_exclusive=True)),
])
def test_figures_as_written(written, expected):
    assert parse_figure(written) == expected


def test_a_range_has_no_single_value_and_must_rise():
    assert parse_figure("60 - 65%").is_range and parse_figure("60 - 65%").value is None
    with pytest.raises(ValueError):
        parse_figure("65 - 60%")


# ---- the records ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def figures():
    from tttt_kg.graph.records import load_records
    return load_figures(load_records())


def test_every_figure_record_is_read(figures):
    """The loader reads as many figures as the file lists (counted apart, by the YAML alone)."""
    import yaml

    from tttt_kg.graph.records import DEFAULT_RECORDS_DIR
    raw = yaml.safe_load((DEFAULT_RECORDS_DIR / "figures.yaml").read_text(encoding="utf-8"))
    assert len(figures.figures) == len(raw["figures"]) == 114
    assert len({f.id for f in figures.figures}) == 114


def test_each_record_is_one_observation_or_two_bounds(graph, figures):
    observations = set(graph.subjects(RDF.type, QB.Observation))
    ranges = [f for f in figures.figures if f.figure.is_range]
    assert sorted(f.id for f in ranges) == ["internet-users-share", "it-projects-appraised",
                                            "training-courses-per-year", "upu-contest-pupils-per-year"]
    assert len(observations) == len(figures.figures) + len(ranges) == 118
    assert len(set(graph.subjects(QB.dataSet, ID["figures"]))) == 118


# ---- against the seed ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_text(seed_path):
    from tttt_kg.graph.provenance import read_source
    return read_source(seed_path).text


def test_each_figure_as_written_is_in_its_first_span(seed_text, figures):
    for f in figures.figures:
        start, end = f.spans[0]
        assert f.figure.written in seed_text[start:end], f"{f.id}: '{f.figure.written}' not at [{start}, {end}]"


def test_each_observation_evidence_occurs_in_its_cited_passages(graph, seed_text):
    from tttt_kg.graph.provenance import spans_of
    from tttt_kg.graph.vietnamese import squash
    for obs in graph.subjects(RDF.type, QB.Observation):
        spans = spans_of(graph, obs)
        assert spans, obs
        passage = squash(" ".join(seed_text[s:e] for _, _, s, e in spans))
        evidence = {str(e) for span, *_ in spans for e in graph.objects(span, TKG.evidence)}
        written = str(graph.value(obs, TKG.asWritten))
        assert written in evidence
        for e in evidence:
            assert squash(e) in passage, f"{obs}: '{e}'"


def test_verify_sources_finds_nothing_wrong_with_the_figures(graph, seed_path):
    from tttt_kg.graph.provenance import read_source, verify
    _, problems = verify(graph, read_source(seed_path))
    assert [p for p in problems if "/figure/" in p.subject or "/place/" in p.subject] == []


# the words by which the source dates a figure, for each time basis
DATING = {"den-nay": ("đến nay", "hiện nay"), "qua-15-nam": ("15 năm qua", "từ khi thành lập đến nay"),
          "hang-nam": ("hàng năm", "mỗi năm"), "khi-thanh-lap": ("khi thành lập", "khi mới thành lập")}


def test_the_dating_words_are_in_the_cited_passages(seed_text, figures):
    for f in figures.figures:
        passage = " ".join(seed_text[s:e] for s, e in f.spans).casefold()
        if f.time in DATING:
            assert any(w in passage for w in DATING[f.time]), f"{f.id}: dated '{f.time}' but the passage does not say so"
        elif f.time == "stated":
            assert str(f.when)[:4] in passage
        elif f.time == "decision":
            assert f"{f.when.day:02d}/{f.when.month}/{f.when.year}" in passage or \
                   f"{f.when.day:02d}/{f.when.month:02d}/{f.when.year}" in passage, f.id


def test_qualifiers_come_from_the_words_written(seed_text, figures):
    words = {"gan": "gần", "hon": "hơn", "tren": "trên", "it-nhat": "ít nhất", "hang": "hàng"}
    qualified = {f.id: f.figure.qualifier for f in figures.figures if f.figure.qualifier}
    assert qualified == {
        "training-attendances-per-year": "tren", "reporters-trained": "gan", "officials-trained": "hon",
        "election-text-messages": "gan", "upu-contest-pupils-per-year": "hang", "legal-documents-drafted": "gan",
        "guidance-documents-issued": "tren", "licence-dossiers": "hon", "bts-approved": "gan",
        "frequency-licence-organisations": "hon", "frequency-licence-radio-stations": "hon",
        "it-projects-appraised": "hang", "fibre-routes": "tren", "staff-research-projects-per-year": "it-nhat",
        "inspections": "gan", "complaints-resolved": "hon"}
    for f in figures.figures:
        if f.figure.qualifier:
            start, end = f.spans[0]
            assert f"{words[f.figure.qualifier]} " in seed_text[start:end]


# ---- the observations ------------------------------------------------------------------------

def obs(graph, rid):
    return {p: o for p, o in graph.predicate_objects(ID[f"figure/{rid}"])}


def test_values_are_typed_and_parsed(graph):
    bts = obs(graph, "bts-stations")
    assert bts[MEASURE.obsValue] == Literal("2952", datatype=XSD.integer)
    assert bts[TKG.asWritten] == Literal("2.952")
    assert bts[TKG.refSubject] == ID["place/hai-duong"]
    assert obs(graph, "bts-sites")[MEASURE.obsValue] == Literal("1300", datatype=XSD.integer)
    fixed = obs(graph, "fixed-telephone-density")
    assert fixed[MEASURE.obsValue].datatype == XSD.decimal and fixed[MEASURE.obsValue].toPython() == Decimal("2.4")
    radius = obs(graph, "postal-service-radius")
    assert radius[MEASURE.obsValue].toPython() == Decimal("1.34") and radius[ATTRIBUTE.unitMeasure] == ID["measure-unit/km-per-point"]
    coverage = obs(graph, "mobile-coverage")
    assert coverage[MEASURE.obsValue].datatype == XSD.decimal and coverage[ATTRIBUTE.unitMeasure] == ID["measure-unit/percent"]
    messages = obs(graph, "election-text-messages")
    assert messages[MEASURE.obsValue].toPython() == 3_000_000 and messages[TKG.qualifier] == ID["qualifier/gan"]


def test_a_range_is_two_bounds_never_a_midpoint(graph):
    lower, upper = obs(graph, "internet-users-share/lower"), obs(graph, "internet-users-share/upper")
    assert (lower[MEASURE.obsValue].toPython(), upper[MEASURE.obsValue].toPython()) == (60, 65)
    assert (lower[TKG.bound], upper[TKG.bound]) == (ID["bound/lower"], ID["bound/upper"])
    assert not obs(graph, "internet-users-share")
    values = {o.toPython() for o in graph.objects(None, MEASURE.obsValue)}
    assert Decimal("62.5") not in values
    pupils = obs(graph, "upu-contest-pupils-per-year/below")
    assert pupils[MEASURE.obsValue].toPython() == 100_000 and pupils[TKG.bound] == ID["bound/below"]


def test_whose_figure_and_when(graph):
    # the province's online services, not the Sở's own procedures
    assert obs(graph, "online-services-level-3")[TKG.refSubject] == ID["place/hai-duong"]
    assert obs(graph, "online-services-level-3")[MEASURE.obsValue].toPython() == 1703
    assert obs(graph, "procedures-level-4")[TKG.refSubject] == ID["org/so-tttt-hai-duong"]
    # at the founding: the Sở BCVT and its Party cell, on 2004-10-01
    for rid, who in (("staff-2004", "org/so-bcvt-hai-duong"), ("party-members-2004", "org/chi-bo-so-bcvt")):
        o = obs(graph, rid)
        assert o[TKG.refSubject] == ID[who] and o[TKG.refPeriod] == Literal("2004-10-01", datatype=XSD.date)
        assert o[TKG.timeBasis] == ID["time-basis/khi-thanh-lap"]
    # "đến nay": the outline's own date, and marked as such
    now = obs(graph, "staff-2019")
    assert now[TKG.refPeriod] == Literal("2019-09-11", datatype=XSD.date) and now[TKG.timeBasis] == ID["time-basis/den-nay"]
    # a year the source writes; a decision's date
    assert obs(graph, "survey-2010-villages")[TKG.refPeriod] == Literal("2010", datatype=XSD.gYear)
    assert obs(graph, "survey-2010-villages")[MEASURE.obsValue].toPython() == 1447
    assert obs(graph, "divisions-53-2008")[TKG.refPeriod] == Literal("2008-11-03", datatype=XSD.date)


def test_the_cube_passes_the_shapes(seed_violations):
    assert [str(v) for v in seed_violations if "/figure/" in v.focus or "/place/" in v.focus] == []


def test_the_shapes_catch_a_figure_without_value_time_or_span(graph):
    from tttt_kg.graph.namespaces import PROV
    from tttt_kg.graph.validation import validate
    g = graph.__class__(bind_namespaces="none")
    g += graph
    o = ID["figure/bts-stations"]
    g.remove((o, MEASURE.obsValue, None))
    g.remove((o, TKG.refPeriod, None))
    g.remove((ID["figure/fibre-length"], PROV.wasDerivedFrom, None))
    g.set((ID["figure/switching-points"], MEASURE.obsValue, Literal("129")))
    found = {(v.focus.rsplit("/", 1)[-1], v.message.split(" (")[0]) for v in validate(g) if "/figure/" in v.focus}
    assert ("bts-stations", "a figure needs exactly one value") in found
    assert ("bts-stations", "a figure needs exactly one time") in found
    assert any(f == "fibre-length" and "span" in m for f, m in found)
    assert ("switching-points", "the value of a figure is an xsd:integer or an xsd:decimal") in found


# ---- the Recommendation's well-formedness test --------------------------------------------

def test_the_cube_is_well_formed(graph):
    from tttt_kg.graph import datacube
    from tttt_kg.graph.export import serialise
    store = datacube.normalised_store(serialise(graph, "ntriples"))
    assert len(datacube.constraints(store)) >= 20
    assert datacube.violated(store) == []


def test_the_integrity_constraints_find_what_they_are_for(graph):
    from tttt_kg.graph import datacube
    from tttt_kg.graph.export import serialise
    store = datacube.normalised_store(serialise(graph, "ntriples"))
    p = datacube.PROLOGUE
    store.update(p + "INSERT { <urn:copy> ?p ?o } WHERE { <https://w3id.org/tttt-kg/id/figure/bts-stations> ?p ?o }")
    store.update(p + "DELETE WHERE { <https://w3id.org/tttt-kg/id/figure/bts-sites> <https://w3id.org/tttt-kg/ontology#bound> ?b }")
    store.update(p + "DELETE WHERE { <https://w3id.org/tttt-kg/id/figure/fibre-length> <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v }")
    store.update(p + "INSERT DATA { <https://w3id.org/tttt-kg/id/figure/post-offices> <https://w3id.org/tttt-kg/ontology#bound> <urn:not-a-code> }")
    assert datacube.violated(store) == ["IC-11 All dimensions required", "IC-12 No duplicate observations",
                                        "IC-14 All measures present", "IC-19 Codes from code list (scheme)"]


# ---- the vocabulary ------------------------------------------------------------------------

def test_the_figures_vocabulary_documents_itself():
    from rdflib import Graph
    from rdflib.namespace import OWL, RDFS, SKOS

    from tttt_kg.ontology import HERE
    g = Graph().parse(HERE / "figures.ttl")
    terms = [s for s in set(g.subjects(RDF.type, None)) if str(s).startswith(str(TKG))]
    assert len(terms) == 8
    for t in terms:
        assert {lab.language for lab in g.objects(t, RDFS.label)} >= {"vi", "en"}, t
        assert g.value(t, RDFS.comment) is not None, t
        if (t, RDF.type, OWL.Class) not in g:
            assert g.value(t, RDFS.domain) is not None and g.value(t, RDFS.range) is not None, t
    indicators = [c for c in g.subjects(SKOS.inScheme, ID["indicators"]) if (c, SKOS.broader, None) in g]
    assert len(indicators) == 104
    for c in indicators:
        assert {lab.language for lab in g.objects(c, SKOS.prefLabel)} == {"vi", "en"}, c
        assert g.value(c, SKOS.definition) is not None, c


# ---- the records refuse what they cannot build -------------------------------------------------

@pytest.mark.parametrize("old, new, message", [
    ('figure: "2.952"', 'figure: "2,952.0"', "not a Vietnamese number"),
    ('figure: "2.952"', 'figure: "2.952%"', "disagree on being a percentage"),
    ("of: hai-duong\n    time: qua-15-nam\n    figure: \"2.952\"", "of: ha-noi\n    time: qua-15-nam\n    figure: \"2.952\"",
     "unknown organisation or place"),
    ("indicator: bts-stations", "indicator: bts", "not a known value"),
    ("time: stated\n    when: 2015", "time: stated\n    when: 15", "neither a year nor a day"),
])
def test_bad_figure_records_are_refused(records_copy, old, new, message):
    from tttt_kg.graph.records import RecordError, load_records
    path = records_copy / "figures.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RecordError, match=message):
        load_figures(load_records(records_copy), records_copy)


# ---- the named query ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(graph):
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore
    s = ox.Store()
    s.load(serialise(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphStore(s)


def figure_rows(store, **params):
    from tttt_kg.queries import catalogue as C
    result = C.run(store, C.get("figures"), {k: str(v) for k, v in params.items()})
    return [{k: v.value for k, v in row.items()} for row in result.rows]


def test_the_figures_query_lists_every_observation_with_unit_and_qualifier(store):
    rows = figure_rows(store)
    assert len(rows) == 118 and len({r["figure"] for r in rows}) == 118
    bts = next(r for r in rows if r["id"] == "bts-stations-approved")
    assert (bts["value"], bts["qualifier"], bts["unit"], bts["asWritten"], bts["of"]) == \
           ("1100", "gần", "trạm", "gần 1.100", "so-tttt-hai-duong")


def test_the_figures_query_by_indicator_theme_subject_and_year(store):
    assert [(r["of"], r["value"]) for r in figure_rows(store, indicator="staff")] == \
           [("so-bcvt-hai-duong", "3"), ("so-tttt-hai-duong", "48")]
    internet = figure_rows(store, indicator="internet-users-share")
    assert [(r["bound"], r["value"], r["unit"]) for r in internet] == [("lower", "60", "%"), ("upper", "65", "%")]
    assert len(figure_rows(store, indicator="survey-2010")) == 14
    assert {r["id"] for r in figure_rows(store, year="2010")} == {r["id"] for r in figure_rows(store, indicator="survey-2010")}
    members = figure_rows(store, indicator="members")
    assert {r["of"]: r["value"] for r in members} == {
        "chi-bo-so-bcvt": "5", "dang-bo-so-tttt": "39", "cong-doan-so-tttt": "48", "doan-thanh-nien-so-tttt": "17",
        "hoi-ccb-so-tttt": "5", "chi-hoi-nha-bao-so-tttt": "17"}
    province = figure_rows(store, of="hai-duong", indicator="e-government")
    assert {r["id"]: r["value"] for r in province}["online-public-services-level-3"] == "1703"
    assert figure_rows(store, of="so-tttt-hai-duong", year="2017") and \
           {r["id"] for r in figure_rows(store, of="so-tttt-hai-duong", year="2017")} == {"divisions", "public-service-units"}


# ---- the command ------------------------------------------------------------------------------

def test_the_figures_command_filters_as_the_query_and_writes_numbers_a_spreadsheet_reads(cli, store, tmp_path):
    import csv
    import io
    import json
    graph_file = tmp_path / "g.nt"
    graph_file.write_bytes(store.dump())
    done = cli("figures", "--graph", graph_file, "--indicator", "posts-telecoms", "--of", "hai-duong", "-f", "json")
    assert done.exit_code == 0, done.stderr
    rows = json.loads(done.stdout)["results"]["bindings"]
    expected = figure_rows(store, indicator="posts-telecoms", of="hai-duong")
    assert len(rows) == len(expected) > 3
    assert {r["figure"]["value"] for r in rows} == {r["figure"] for r in expected}
    done = cli("figures", "--graph", graph_file, "--year", "2010", "-f", "csv")
    assert done.exit_code == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {r["id"] for r in table} == {r["id"] for r in figure_rows(store, year="2010")}
    for r in table:                      # "1.703" as written, 1703 as a number; "2,4" → 2.4
        float(r["value"])
        assert "," not in r["value"] and r["value"].count(".") <= 1


def test_the_figures_command_names_the_nearest_indicator_for_a_misspelt_one(cli, store, tmp_path):
    graph_file = tmp_path / "g.nt"
    graph_file.write_bytes(store.dump())
    done = cli("figures", "--graph", graph_file, "--indicator", "bts-station")
    assert done.exit_code == 2
    assert "--indicator bts-station: the graph has no figure of that name; nearest:" in done.stderr
    assert "bts-stations" in done.stderr and "Traceback" not in done.stderr
    done = cli("figures", "--graph", graph_file, "--of", "hai-duongg")
    assert done.exit_code == 2 and "nearest: hai-duong" in done.stderr
    done = cli("figures", "--graph", graph_file, "--indicator", "staff", "--year", "1999")   # known names, no figure
    assert done.exit_code == 0 and "(0 rows)" in done.stdout


def test_the_figures_command_speaks_one_language(cli, store, tmp_path):
    import json
    graph_file = tmp_path / "g.nt"
    graph_file.write_bytes(store.dump())
    answers = {}
    for lang in ("vi", "en"):
        done = cli("figures", "--graph", graph_file, "--indicator", "staff", "--lang", lang, "-f", "json")
        assert done.exit_code == 0, done.stderr
        answers[lang] = json.loads(done.stdout)
        assert not {"labelEn", "subjectEn", "unitEn", "indicator", "year"} & set(answers[lang]["head"]["vars"])
    vi, en = ([b["label"] for b in answers[lang]["results"]["bindings"]] for lang in ("vi", "en"))
    assert {x["xml:lang"] for x in vi} == {"vi"} and {x["xml:lang"] for x in en} == {"en"}
    assert [b["value"]["value"] for b in answers["vi"]["results"]["bindings"]] == \
           [b["value"]["value"] for b in answers["en"]["results"]["bindings"]]
