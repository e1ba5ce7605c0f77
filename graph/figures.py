"""The seed's figures as a W3C RDF Data Cube: read graph/records/figures.yaml, parse the numbers, build.

A figure record names what is measured (an indicator of ontology/figures.ttl), whose figure it
is (an organisation of organisations.yaml or a place of figures.yaml), when (how the source
dates it: a year or day it writes, the date of a decision, the founding, or "đến nay" and the
like, which are the outline's own date) and the figure **as written** ("gần 130", "2.952",
"60 - 65"). The number is parsed here, never typed twice: one function reads Vietnamese
numbers (``1.703`` is 1703, ``2,4`` is 2.4), one reads the figure's qualifier and range.

Each record becomes one ``qb:Observation`` — two for a range or an order of magnitude with
both ends (a lower and an upper bound, told apart by the ``tkg:bound`` dimension), never an
invented midpoint — citing its span like every other statement.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tttt_kg.graph.records import Record as _Record

# ---------------------------------------------------------------- Vietnamese numbers

# Multipliers written as words after a number ("3 triệu" tin nhắn) or after "hàng" ("hàng chục ngàn").
MAGNITUDES = {"chục": 10, "trăm": 100, "nghìn": 1000, "ngàn": 1000, "vạn": 10000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}

_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")    # 1.703   12.345.678   1.234,5
_PLAIN = re.compile(r"^\d+(?:,\d+)?$")                      # 1300    2,4   05


def parse_vn_number(written: str) -> int | Decimal:
    """A number written the Vietnamese way, as an int (no decimal part) or a Decimal.

    The dot groups thousands and the comma marks decimals: ``1.703`` → 1703, ``2,4`` →
    Decimal('2.4'), ``1.234,5`` → Decimal('1234.5'), ``1300`` → 1300, ``05`` → 5. A
    multiplier word may follow: ``3 triệu`` → 3000000, ``2,5 nghìn`` → 2500. Anything else
    (a dot not followed by groups of three digits, two commas, English ``1,703.5``) is
    refused with ValueError rather than guessed.
    """
    if not isinstance(written, str):
        raise ValueError(f"{written!r}: a figure as written is text")
    parts = written.strip().split()
    if not parts:
        raise ValueError("empty figure")
    factor = 1
    for word in parts[1:]:
        if word.casefold() not in MAGNITUDES:
            raise ValueError(f"{written!r}: '{word}' is not a multiplier ({', '.join(MAGNITUDES)})")
        factor *= MAGNITUDES[word.casefold()]
    digits = parts[0]
    if not (_GROUPED.match(digits) or _PLAIN.match(digits)):
        raise ValueError(f"{written!r} is not a Vietnamese number: thousands are grouped by '.' in threes, "
                         "decimals follow ','")
    whole, _, frac = digits.replace(".", "").partition(",")
    value = Decimal(f"{whole}.{frac}") if frac else Decimal(whole)
    value *= factor
    if value == value.to_integral_value() and (not frac or factor > 1):
        return int(value)
    return value


# ---------------------------------------------------------------- a figure as written

# words written before a figure that qualify it; the codes are the concepts of id/qualifier/
QUALIFIERS = {"gần": "gan", "hơn": "hon", "trên": "tren", "khoảng": "khoang", "ít nhất": "it-nhat",
              "chừng": "khoang", "xấp xỉ": "khoang"}
_NUMBER = r"\d[\d.,]*(?:\s+(?:" + "|".join(MAGNITUDES) + r"))*"
_RANGE_DASH = re.compile(rf"^({_NUMBER})\s*[-–]\s*({_NUMBER})\s*(%?)$")
_RANGE_WORDS = re.compile(rf"^từ\s+({_NUMBER})\s+(?:đến|tới)\s+({_NUMBER})\s*(%?)$", re.IGNORECASE)
_ORDER = re.compile(r"^hàng\s+((?:" + "|".join(MAGNITUDES) + r")(?:\s+(?:" + "|".join(MAGNITUDES) + r"))*)$",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """What a figure as written says: one value, or bounds; a qualifier code; a percent sign."""
    written: str
    value: int | Decimal | None = None
    lower: int | Decimal | None = None
    upper: int | Decimal | None = None
    qualifier: str | None = None
    percent: bool = False
    upper_exclusive: bool = False   # an order of magnitude ("hàng trăm": at least 100, fewer than 1000)

    @property
    def is_range(self) -> bool:
        return self.value is None


def parse_figure(written: str) -> Figure:
    """Read a figure as the source writes it.

    ``2.952`` → value 2952; ``gần 130`` → value 130, qualifier 'gan'; ``trên 1.000``,
    ``hơn 90``, ``khoảng 5``, ``ít nhất 1`` likewise; ``100%`` → value 100, percent;
    ``60 - 65%`` and ``từ 5 đến 8`` → lower and upper bound (no value: a range is not one
    number); ``hàng chục ngàn`` → lower bound 10000, upper 100000 exclusive, qualifier 'hang'.
    """
    text = " ".join(written.split())
    qualifier = None
    for word in sorted(QUALIFIERS, key=len, reverse=True):
        if text.casefold().startswith(word + " "):
            qualifier, text = QUALIFIERS[word], text[len(word) + 1:].strip()
            break
    m = _ORDER.match(text)
    if m:
        if qualifier:
            raise ValueError(f"{written!r}: an order of magnitude takes no other qualifier")
        low = 1
        for word in m.group(1).split():
            low *= MAGNITUDES[word.casefold()]
        return Figure(written, lower=low, upper=low * 10, qualifier="hang", upper_exclusive=True)
    for pattern in (_RANGE_DASH, _RANGE_WORDS):
        m = pattern.match(text)
        if m:
            low, high = parse_vn_number(m.group(1)), parse_vn_number(m.group(2))
            if not low < high:
                raise ValueError(f"{written!r}: a range runs from the smaller number to the larger")
            return Figure(written, lower=low, upper=high, qualifier=qualifier, percent=bool(m.group(3)))
    percent = text.endswith("%")
    return Figure(written, value=parse_vn_number(text.rstrip("%").strip()), qualifier=qualifier, percent=percent)


# ---------------------------------------------------------------- records

FIGURES_FILE = "figures.yaml"
# how a figure is dated (concepts of id/time-basis/); these four are dated on the outline's own date
OUTLINE_DATED = {"den-nay", "qua-15-nam", "hang-nam", "undated"}
TIME_BASES = OUTLINE_DATED | {"stated", "decision", "khi-thanh-lap"}


@dataclass
class Place(_Record):
    """A place a figure describes (the province): a record like the others, with its span."""
    label: dict = field(default_factory=dict)


@dataclass
class FigureRecord(_Record):
    """One figure of the source: a record like the others (id, spans, written), read and checked."""
    indicator: str = ""
    of: str = ""
    time: str = ""
    when: _dt.date | int | None = None      # a day, or a year (int)
    decision: str | None = None
    figure: Figure | None = None
    unit: str = ""


@dataclass
class FigureRecords:
    places: list[Place] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)


def vocabulary_codes():
    """The codes ontology/figures.ttl defines: {scheme local name: set of concept local names}."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from tttt_kg.ontology import HERE
    g = Graph().parse(HERE / "figures.ttl", format="turtle")
    codes: dict[str, set[str]] = {}
    for concept, scheme in g.subject_objects(SKOS.inScheme):
        kind = str(scheme).rsplit("/", 1)[-1]
        if kind == "indicators" and (concept, SKOS.topConceptOf, scheme) in g:
            continue            # a theme groups indicators; it measures nothing itself
        codes.setdefault(kind, set()).add(str(concept).rsplit("/", 1)[-1])
    return codes


def load_figures(recs, directory: Path | str | None = None) -> FigureRecords:
    """Read and check ``figures.yaml`` of a records directory against the loaded seed records.

    A directory without the file has no figures (an empty FigureRecords).
    """
    from tttt_kg.graph import records as R
    directory = Path(directory) if directory else R.DEFAULT_RECORDS_DIR
    path = directory / FIGURES_FILE
    out = FigureRecords()
    if not path.is_file():
        return out
    raw = R._read_yaml(path)
    codes = vocabulary_codes()
    lengths = {s.id: s.length for s in recs.sources}
    source = recs.source
    orgs = {o.id: o for o in recs.organisations}
    docs = {d.id: d for d in recs.documents}
    taken = {r.id for r in [*recs.organisations, *recs.units, *recs.documents, *recs.change_events,
                            *recs.transfers, *recs.readings]}
    for r in R._section(path, raw, "places"):
        rd = R._Reader(path, r, "place", {"id", "label", "written", "span"})
        place = Place(id=rd.slug("id", True), file=str(path), line=rd.line, spans=rd.spans(lengths[source.id]),
                      written=rd.strings("written"), source=source.id, label=rd.lang_map("label", True, ("vi", "en")))
        if place.id in taken:
            raise rd.error("id", f"'{place.id}' is already the id of another record", "give the place its own id")
        taken.add(place.id)
        out.places.append(place)
    places = {p.id for p in out.places}
    seen: dict[str, int] = {}
    for r in R._section(path, raw, "figures"):
        rd = R._Reader(path, r, "figure", {"id", "indicator", "of", "time", "when", "decision", "figure", "unit",
                                           "written", "span"})
        rec = FigureRecord(id=rd.slug("id", True), file=str(path), line=rd.line, spans=rd.spans(lengths[source.id]),
                           source=source.id, indicator=rd.choice("indicator", codes["indicators"]),
                           of=rd.slug("of", True), time=rd.choice("time", TIME_BASES),
                           unit=rd.choice("unit", codes["measure-units"]), decision=rd.slug("decision"))
        if rec.id in seen:
            raise rd.error("id", f"'{rec.id}' is already used at line {seen[rec.id]}", "give each figure its own id")
        seen[rec.id] = rd.line
        written = rd.text("figure", True)
        try:
            rec.figure = parse_figure(written)
        except ValueError as exc:
            raise rd.error("figure", str(exc), "write the figure exactly as the source does, e.g. \"gần 1.100\"") from None
        if rec.figure.percent != (rec.unit == "percent"):
            raise rd.error("unit", f"the figure '{written}' and the unit '{rec.unit}' disagree on being a percentage",
                           "a figure written with % has unit: percent, and only such a figure")
        rec.written = [written, *rd.strings("written")]
        if rec.of not in places and rec.of not in orgs:
            raise rd.error("of", f"unknown organisation or place '{rec.of}'",
                           "use an id of organisations.yaml or of the places above")
        when = rd.get("when")
        if rec.time == "stated":
            if isinstance(when, int) and not isinstance(when, bool) and 1000 <= when <= 9999:
                rec.when = when
            elif isinstance(when, _dt.date) and not isinstance(when, _dt.datetime):
                rec.when = when
            else:
                raise rd.error("when", f"{when!r} is neither a year nor a day", "write the year (2010) or the day (2010-05-01)")
        elif when is not None:
            raise rd.error("when", f"a figure dated '{rec.time}' takes its date from the records",
                           "drop 'when:', or use time: stated")
        if rec.time == "decision":
            if rec.decision not in docs or not docs[rec.decision].date:
                raise rd.error("decision", f"'{rec.decision}' is not a dated document of documents.yaml",
                               "name the decision that states the figure")
            rec.when = docs[rec.decision].date
        elif rec.decision:
            raise rd.error("decision", "only a figure dated by its decision names one", "use time: decision")
        if rec.time == "khi-thanh-lap":
            org = orgs.get(rec.of)
            founded = org and (org.founded or (org.linked_to and orgs[org.linked_to].founded))
            if not founded:
                raise rd.error("time", f"'{rec.of}' has no founding date in the records (nor the body it is linked to)",
                               "date the figure another way")
            rec.when = founded
        if rec.time in OUTLINE_DATED:
            rec.when = source.date
        out.figures.append(rec)
    return out


# ---------------------------------------------------------------- RDF

QB = "http://purl.org/linked-data/cube#"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"


def _canonical_decimal(value: int | Decimal) -> str:
    """xsd:decimal's canonical form (a digit on each side of the point: 60 -> '60.0', 2.40 -> '2.4'), the
    form Turtle writers and readers (rapper) give back, so a graph survives a round trip unchanged."""
    text = format(Decimal(value).normalize(), "f")
    return text if "." in text else text + ".0"


def observations_of(rec: FigureRecord) -> list[tuple[str, int | Decimal]]:
    """(bound code, value) of each observation a record makes: one, or two for bounds."""
    f = rec.figure
    if not f.is_range:
        return [("value", f.value)]
    return [("lower", f.lower), ("below" if f.upper_exclusive else "upper", f.upper)]


def add_figures(builder, directory: Path | str | None = None) -> None:
    """Add the vocabulary of ontology/figures.ttl, the places and one qb:Observation per figure
    (two per range) to the builder's graph, each citing its span through ``builder.cite``."""
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

    from tttt_kg.ontology import HERE

    from tttt_kg.graph.namespaces import ID, TKG
    from tttt_kg.graph.vietnamese import search_key
    if directory is None:
        directory = Path(builder.recs.source.file).parent
    recs = load_figures(builder.recs, directory)
    if not recs.figures and not recs.places:
        return
    g = builder.g
    qb, measure, attribute = Namespace(QB), Namespace(SDMX_MEASURE), Namespace(SDMX_ATTRIBUTE)
    for prefix, ns in (("qb", QB), ("sdmx-measure", SDMX_MEASURE), ("sdmx-attribute", SDMX_ATTRIBUTE),
                       ("sdmx-dimension", SDMX_DIMENSION)):
        g.bind(prefix, Namespace(ns))
    vocab = type(g)(bind_namespaces="none").parse(HERE / "figures.ttl", format="turtle")
    g += vocab
    for concept in vocab.subjects(RDF.type, SKOS.Concept):
        for label in vocab.objects(concept, SKOS.prefLabel):
            g.add((concept, RDFS.label, label))
        keys = {search_key(str(lab)) for lab in vocab.objects(concept, SKOS.prefLabel) if lab.language == "vi"}
        for k in sorted(keys):
            g.add((concept, TKG.searchKey, Literal(k)))
    for scheme in vocab.subjects(RDF.type, SKOS.ConceptScheme):
        for label in vocab.objects(scheme, SKOS.prefLabel):
            g.add((scheme, RDFS.label, label))

    dataset = ID["figures"]
    g.add((dataset, RDF.type, qb.DataSet))
    g.add((dataset, qb.structure, ID["figures-structure"]))
    g.add((dataset, RDFS.label, Literal("Số liệu của đề cương kỷ niệm 15 năm", lang="vi")))
    g.add((dataset, RDFS.label, Literal("Figures of the 15th-anniversary outline", lang="en")))
    g.add((dataset, DCTERMS.source, builder.source_iris[builder.recs.source.id]))

    subjects = {}
    for p in recs.places:
        s = ID[f"place/{p.id}"]
        subjects[p.id] = s
        g.add((s, RDF.type, TKG.Place))
        g.add((s, DCTERMS.identifier, Literal(p.id)))
        for lang, text in p.label.items():
            g.add((s, RDFS.label, Literal(text, lang=lang)))
            g.add((s, SKOS.prefLabel, Literal(text, lang=lang)))
        g.add((s, TKG.searchKey, Literal(search_key(p.label["vi"]))))
        builder.cite(s, p)

    for rec in recs.figures:
        whose = subjects.get(rec.of) or builder.iri.org(rec.of)
        if isinstance(rec.when, int):
            when = Literal(f"{rec.when:04d}", datatype=XSD.gYear)
        else:
            when = Literal(rec.when.isoformat(), datatype=XSD.date)
        observations = observations_of(rec)
        for bound, value in observations:
            s = ID[f"figure/{rec.id}"] if len(observations) == 1 else ID[f"figure/{rec.id}/{bound}"]
            g.add((s, RDF.type, qb.Observation))
            g.add((s, qb.dataSet, dataset))
            g.add((s, TKG.indicator, ID[f"indicator/{rec.indicator}"]))
            g.add((s, TKG.refSubject, whose))
            g.add((s, TKG.refPeriod, when))
            g.add((s, TKG.bound, ID[f"bound/{bound}"]))
            if isinstance(value, int) and rec.unit != "percent":
                g.add((s, measure.obsValue, Literal(str(value), datatype=XSD.integer)))
            else:
                g.add((s, measure.obsValue, Literal(_canonical_decimal(value), datatype=XSD.decimal)))
            g.add((s, attribute.unitMeasure, ID[f"measure-unit/{rec.unit}"]))
            g.add((s, TKG.timeBasis, ID[f"time-basis/{rec.time}"]))
            g.add((s, TKG.asWritten, Literal(rec.figure.written)))
            if rec.figure.qualifier:
                g.add((s, TKG.qualifier, ID[f"qualifier/{rec.figure.qualifier}"]))
            if rec.decision:
                g.add((s, DCTERMS.source, builder.iri.doc(rec.decision)))
            g.add((s, DCTERMS.identifier, Literal(rec.id)))
            suffix = {"value": "", "lower": " (cận dưới)", "upper": " (cận trên)", "below": " (dưới mức)"}[bound]
            suffix_en = {"value": "", "lower": " (lower bound)", "upper": " (upper bound)", "below": " (below)"}[bound]
            for lang, extra in (("vi", suffix), ("en", suffix_en)):
                name = next(lab for lab in vocab.objects(ID[f"indicator/{rec.indicator}"], SKOS.prefLabel) if lab.language == lang)
                g.add((s, RDFS.label, Literal(f"{name}: {rec.figure.written}{extra}", lang=lang)))
            builder.cite(s, rec)
