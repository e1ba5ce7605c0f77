"""Candidate records as RDF, in the curated graph's provenance model, to load beside it.

The records are turned into the typed records of graph/records.py and given to the same
builder as the curated graph (graph/build.py: `_Builder`, whose `cite` writes each span as an
oa:SpecificResource of the source, named by its SHA-256, with an oa:TextPositionSelector and
tkg:evidence), so a candidate reads like a curated statement. What differs:

- IRIs are the curated ones under id:candidate/ (id:candidate/org/…, id:candidate/eli/…): a candidate never
  adds to a curated resource, and candidates of several inputs with the same id (ids carry
  their province) are one resource;
- every candidate carries tkg:confidence (xsd:decimal, 0–1) and its review note as
  skos:editorialNote; the property is declared in the output itself;
- a date the text gives to the month or year only is xsd:gYearMonth / xsd:gYear;
- ids the extractor could not resolve (TODO in the YAML) are left out, not invented;
- id:candidate/dataset/SOURCE (a void:Dataset, dct:source the text) names what one input gave;
  in N-Quads the candidates are in that named graph.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from tttt_kg.graph import records as R
from tttt_kg.graph.builder import IRIs, _Builder
from tttt_kg.graph.namespaces import FN, ID, TKG, VOID, new_graph

from .records_out import Candidates

FORMATS = ("turtle", "jsonld", "nquads")
EXTENSIONS = {"turtle": "ttl", "jsonld": "jsonld", "nquads": "nq"}
UNKNOWN = "TODO"
_CONFIDENCE = re.compile(r"confidence: ([\d.]+)")
_PLACEHOLDER_DAY = dt.date(1, 1, 1)         # given to the builder where it needs a day the text does not give


class CandidateIRIs:
    """The curated graph's IRI scheme (graph/build.py: IRIs), under id:candidate/."""

    def __init__(self, recs: R.Records):
        self._iris = IRIs(recs)

    def __getattr__(self, name: str):
        found = getattr(self._iris, name)
        if not callable(found):
            return found
        return lambda *args: URIRef(str(ID) + "candidate/" + str(found(*args))[len(str(ID)):])


def dataset_iri(source_id: str) -> URIRef:
    return ID[f"candidate/dataset/{source_id}"]


class _Names(dict):
    """A label map with only a Vietnamese name: the builder's English phrases ("Transfer of … from X")
    take the Vietnamese name, while the labels written are the Vietnamese one alone."""

    def __getitem__(self, lang):
        return super().__getitem__(lang if lang in self else "vi")


def _date(value):
    """(day for the builder, literal to add instead): a day is the builder's; "2010-01" / "2008" are not."""
    if value is None or isinstance(value, dt.date):
        return value, None
    text = str(value)
    return None, Literal(text, datatype=XSD.gYearMonth if "-" in text else XSD.gYear)


def _spans(rec: dict) -> list[tuple[int, int]]:
    span = rec.get("span") or []
    return [tuple(span)] if span and isinstance(span[0], int) else [tuple(s) for s in span]


def _records(c: Candidates) -> tuple[R.Records, list[tuple[str, str, dict, str]], dict]:
    """The candidates as typed records, and (kind, id, record, comment) of each to annotate."""
    recs, notes, partial = R.Records(), [], {}
    sid = c.source_id or ""

    def base(rec: dict, ident: str) -> dict:
        return dict(id=ident, file="", line=0, spans=_spans(rec), written=list(rec.get("written", [])), source=sid)

    for rec, _ in c.sections.get("sources", []):
        recs.sources.append(R.Source(**base(rec, rec["id"]), file_name=rec["file"], sha256=rec["sha256"],
                                     length=rec["length"], label=rec["label"]))
    recs.organisations.append(R.Organisation(id=UNKNOWN, file="", line=0, spans=[], type="organisation",
                                             label=_Names(vi="(chưa rõ)")))
    for rec, note in c.sections.get("organisations", []):
        recs.organisations.append(R.Organisation(
            **base(rec, rec["id"]), type=rec["type"], label=_Names(rec["label"]), alt=rec.get("alt", []),
            linked_to=rec.get("linked_to"), founded=rec.get("founded"), members=rec.get("members")))
        notes.append(("org", rec["id"], rec, note))
    for rec, note in c.sections.get("documents", []):
        label = rec.get("label") or {"vi": (rec.get("written") or [rec.get("number") or rec["id"]])[0]}
        recs.documents.append(R.Document(
            **base(rec, rec["id"]), type=rec["type"], number=rec.get("number"), date=rec.get("date"),
            issuer=rec.get("issuer"), label=label, title=rec.get("title", {}), regulates=rec.get("regulates"),
            replaces=rec.get("replaces", []), based_on=rec.get("based_on", []), stated_units=rec.get("stated_units")))
        notes.append(("doc", rec["id"], rec, note))
    seen = set()
    for rec, note in c.sections.get("assignments", []):
        what = (rec["decision"], rec["organisation"], tuple(i["wording"] for i in rec["items"]))
        if what in seen:                      # the same list found again (a long input repeats itself)
            continue
        seen.add(what)
        items = [R.Item(id=f"{rec['decision']}/{n}", file="", line=0, spans=_spans(i), source=sid,
                        written=[i["wording"]], wording=i["wording"], functions=i["functions"], match=i["match"],
                        number=n) for n, i in enumerate(rec["items"], 1)]
        recs.assignments.append(R.Assignment(**base(rec, rec["decision"]), decision=rec["decision"],
                                             organisation=rec["organisation"], items=items))
        notes += [("assignment", f"{rec['decision']}/{n}", rec, note) for n in range(1, len(items) + 1)]
    for rec, note in c.sections.get("units", []):
        recs.units.append(R.Unit(**base(rec, rec["id"]), type=rec["type"], label=rec["label"],
                                 unit_of=rec["unit_of"], listed_in=rec.get("listed_in", [])))
        notes.append(("org", rec["id"], rec, note))
    for rec, note in c.sections.get("change_events", []):
        day, partial[("event", rec["id"])] = _date(rec.get("date"))
        recs.change_events.append(R.ChangeEvent(
            **base(rec, rec["id"]), type=rec["type"], label=rec["label"], date=day, decision=rec.get("decision"),
            original=rec.get("original", []), resulting=rec.get("resulting", []), basis=rec.get("basis")))
        notes.append(("event", rec["id"], rec, note))
    for rec, note in c.sections.get("transfers", []):
        day, partial[("transfer", rec["id"])] = _date(rec.get("date"))
        recs.transfers.append(R.Transfer(
            **base(rec, rec["id"]), functions=rec["functions"], wording=rec["wording"], from_org=rec["from"],
            to_org=rec["to"], date=day or _PLACEHOLDER_DAY, decision=rec.get("decision")))
        notes.append(("transfer", rec["id"], rec, note))
    return recs, notes, partial


class _CandidateBuilder(_Builder):
    def __init__(self, recs: R.Records):
        super().__init__(recs)
        self.iri = CandidateIRIs(recs)

    def build_candidates(self, c: Candidates, notes, partial) -> Graph:
        g = self.g
        for kind, name in (("sources", self.source), ("organisations", self.organisation),
                           ("documents", self.document), ("assignments", self.assignment), ("units", self.unit),
                           ("change_events", self.change_event), ("transfers", self.transfer)):
            for rec in getattr(self.recs, kind):
                if rec.id != UNKNOWN:
                    name(rec)
        subject = {"org": self.iri.org, "doc": self.iri.doc, "event": self.iri.event, "transfer": self.iri.transfer,
                   "assignment": lambda i: self.iri.assignment(*i.rsplit("/", 1))}
        for kind, ident, rec, note in notes:
            s = subject[kind](ident)
            m = _CONFIDENCE.search(note)
            if m:
                g.add((s, TKG.confidence, Literal(Decimal(m.group(1)).quantize(Decimal("0.01")))))
            g.add((s, SKOS.editorialNote, Literal(note, lang="en")))
        for (kind, ident), literal in partial.items():
            s = subject[kind](ident)
            g.remove((s, DCTERMS.date, Literal(_PLACEHOLDER_DAY.isoformat(), datatype=XSD.date)))
            if literal is not None:
                g.add((s, DCTERMS.date, literal))
        unknown = self.iri.org(UNKNOWN)
        for t in [*g.triples((None, None, unknown)), *g.triples((unknown, None, None))]:
            g.remove(t)
        for slug, wording in c.new_functions.items():
            g.add((FN[slug], RDF.type, SKOS.Concept))
            g.add((FN[slug], SKOS.inScheme, FN.scheme))
            g.add((FN[slug], SKOS.prefLabel, Literal(wording, lang="vi")))
            g.add((FN[slug], SKOS.editorialNote, Literal("candidate concept: not in ontology/functions.ttl", lang="en")))
        ds = dataset_iri(c.source_id or "")
        g.add((ds, RDF.type, VOID.Dataset))
        g.add((ds, RDFS.label, Literal(f"Candidate records extracted from {c.source_id}", lang="en")))
        for src in self.source_iris.values():
            g.add((ds, DCTERMS.source, src))
        return g


def _declare(g: Graph) -> None:
    """tkg:confidence, which the curated graph does not use, described where it is used."""
    p = TKG.confidence
    g.add((p, RDF.type, OWL.DatatypeProperty))
    g.add((p, RDFS.label, Literal("độ tin cậy", lang="vi")))
    g.add((p, RDFS.label, Literal("confidence", lang="en")))
    g.add((p, RDFS.comment, Literal("How sure `tttt-kg extract` is of a candidate statement, from 0 to 1; "
                                    "candidates are to be reviewed before they join the curated records.", lang="en")))
    g.add((p, RDFS.range, XSD.decimal))


def candidate_graph(c: Candidates) -> Graph:
    """The candidates of one input as an rdflib Graph (see the module's docstring)."""
    recs, notes, partial = _records(c)
    g = _CandidateBuilder(recs).build_candidates(c, notes, partial)
    _declare(g)
    return g


def serialise_candidates(results: list[Candidates], fmt: str) -> bytes:
    """Every input's candidates in one document: Turtle, JSON-LD or N-Quads (one named graph per input)."""
    from tttt_kg.graph.export import serialise
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    graphs = [(c, candidate_graph(c)) for c in results]
    if fmt == "nquads":
        ds = Dataset()
        for c, g in graphs:
            named = ds.graph(dataset_iri(c.source_id or ""))
            for t in g:
                named.add(t)
        lines = sorted(set(ds.serialize(format="nquads", encoding="utf-8").splitlines()) - {b""})
        return b"\n".join(lines) + b"\n"
    union = new_graph()
    for _, g in graphs:
        union += g
    return serialise(union, fmt)
