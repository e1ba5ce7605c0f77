"""The seed's records as RDF: the IRIs the project mints, and the builder of every span-cited fact.

The build never reads the source text: provenance is the source's SHA-256 and the
character span of each passage, which `verify-sources` checks against the text later.
graph/pages.py extends the builder with the page-cited records; graph/build.py puts the graph together.
"""
from __future__ import annotations

import base64
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from tttt_kg.ontology import VOCABULARY_FILES

from tttt_kg.graph import records as R
from tttt_kg.graph.namespaces import CHANGETYPE, DOCTYPE, ELI, FN, ID, M8G, OA, ORG, ORGTYPE, PROV, SCHEMA, TKG, VOID, new_graph
from tttt_kg.graph.vietnamese import search_key


def source_iri(sha256_hex: str) -> URIRef:
    """RFC 6920 'ni' URI of a text: the name *is* its SHA-256."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).decode().rstrip("=")
    return URIRef(f"ni:///sha-256;{digest}")


class IRIs:
    """How record ids become IRIs. Decisions follow ELI: issuer, type, year, number."""

    def __init__(self, recs: R.Records):
        self.documents = {d.id: d for d in recs.documents}
        self.units = {u.id for u in recs.units}
        self.events = {e.id for e in recs.change_events}
        self.transfers = {t.id for t in recs.transfers}

    def org(self, rid: str) -> URIRef:
        return ID[f"unit/{rid}"] if rid in self.units else ID[f"org/{rid}"]

    def doc(self, rid: str) -> URIRef:
        d = self.documents[rid]
        if d.type == "quyet-dinh" and d.number and d.date and d.issuer:
            number = d.number.split("/")[0]
            return ID[f"eli/{d.issuer}/qd/{d.date.year}/{number}"]
        return ID[f"doc/{rid}"]

    @staticmethod
    def event(rid: str) -> URIRef:
        return ID[f"event/{rid}"]

    @staticmethod
    def transfer(rid: str) -> URIRef:
        return ID[f"transfer/{rid}"]

    @staticmethod
    def reading(rid: str) -> URIRef:
        return ID[f"reading/{rid}"]

    @staticmethod
    def assignment(decision: str, n: int) -> URIRef:
        return ID[f"assignment/{decision}/{n}"]

    @staticmethod
    def wording(decision: str, n: int | None = None) -> URIRef:
        return ID[f"wording/{decision}" + (f"/{n}" if n else "")]

    def any(self, rid: str) -> URIRef:
        """The IRI of whatever record has this id (records.py keeps ids unique across kinds)."""
        if rid in self.documents:
            return self.doc(rid)
        if rid in self.events:
            return self.event(rid)
        if rid in self.transfers:
            return self.transfer(rid)
        return self.org(rid)


def _labels(g: Graph, s: URIRef, label: dict[str, str], alt: list[str] = (), skos_too: bool = False) -> None:
    for lang, text in label.items():
        g.add((s, RDFS.label, Literal(text, lang=lang)))
        if skos_too:
            g.add((s, SKOS.prefLabel, Literal(text, lang=lang)))
    for a in alt:
        g.add((s, SKOS.altLabel, Literal(a, lang="vi")))
    keys = {search_key(t) for t in [*label.values(), *alt]}
    for k in sorted(keys):
        g.add((s, TKG.searchKey, Literal(k)))


def _date(d) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


class _Builder:
    vocabulary = VOCABULARY_FILES

    def __init__(self, recs: R.Records):
        self.recs, self.g, self.iri = recs, new_graph(), IRIs(recs)
        self.source_iris = {src.id: source_iri(src.sha256) for src in recs.sources}

    def cite(self, subject: URIRef, rec: R.Record) -> None:
        """Attach the record's spans to the subject: prov:wasDerivedFrom an oa:SpecificResource."""
        g = self.g
        for start, end in rec.spans:
            span = URIRef(f"{subject}#span-{start}-{end}")
            sel = URIRef(f"{span}-position")
            g.add((subject, PROV.wasDerivedFrom, span))
            g.add((span, RDF.type, OA.SpecificResource))
            g.add((span, OA.hasSource, self.source_iris[rec.source or self.recs.source.id]))
            g.add((span, OA.hasSelector, sel))
            g.add((sel, RDF.type, OA.TextPositionSelector))
            g.add((sel, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
            g.add((sel, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
            for w in rec.written:
                g.add((span, TKG.evidence, Literal(w)))

    def build(self) -> Graph:
        for path in self.vocabulary:
            self.g.parse(path, format="turtle")
        for concept in list(self.g.subjects(RDF.type, SKOS.Concept)):
            for label in list(self.g.objects(concept, SKOS.prefLabel)):
                self.g.add((concept, RDFS.label, label))
            keys = {search_key(str(lab)) for lab in self.g.objects(concept, SKOS.prefLabel)
                    if lab.language == "vi"} | {search_key(str(a)) for a in self.g.objects(concept, SKOS.altLabel)}
            for k in sorted(keys):
                self.g.add((concept, TKG.searchKey, Literal(k)))
        from tttt_kg.queries.catalogue import catalogue_graph
        self.g += catalogue_graph()   # the named queries travel with every export (sh:SPARQLExecutable)
        for src in self.recs.sources:
            self.source(src)
        for o in self.recs.organisations:
            self.organisation(o)
        for d in self.recs.documents:
            self.document(d)
        for a in self.recs.assignments:
            self.assignment(a)
        for u in self.recs.units:
            self.unit(u)
        for e in self.recs.change_events:
            self.change_event(e)
        for t in self.recs.transfers:
            self.transfer(t)
        for r in self.recs.readings:
            self.reading(r)
        from tttt_kg.graph.figures import add_figures
        add_figures(self)   # the figures (graph/records/figures.yaml) as a Data Cube
        from tttt_kg.graph.activities import add_activities
        add_activities(self)   # work, awards, names over time (graph/records/activities.yaml, names.yaml)
        self.source_catalogue()
        return self.g

    def source_catalogue(self):
        """Which sources went into this build (void:Dataset dct:source …), so a reader can tell."""
        g, s = self.g, ID["dataset"]
        g.add((s, RDF.type, VOID.Dataset))
        g.add((s, RDFS.label, Literal("tttt-kg", lang="en")))
        for src in sorted(set(self.source_iris.values()), key=str):
            g.add((s, DCTERMS.source, src))

    def source(self, rec: R.Source):
        s, g = self.source_iris[rec.id], self.g
        g.add((s, RDF.type, TKG.SourceDocument))
        _labels(g, s, rec.label)
        g.add((s, DCTERMS.title, Literal(rec.label["vi"], lang="vi")))
        g.add((s, TKG.sha256, Literal(rec.sha256)))
        g.add((s, TKG.fileName, Literal(rec.file_name)))
        g.add((s, TKG.textLength, Literal(rec.length, datatype=XSD.nonNegativeInteger)))
        g.add((s, DCTERMS.format, Literal("text/plain; charset=utf-8")))
        if rec.date:
            g.add((s, DCTERMS.date, _date(rec.date)))
        if rec.publisher:
            g.add((s, DCTERMS.publisher, self.iri.org(rec.publisher)))
        self.cite(s, rec)

    def organisation(self, o: R.Organisation):
        s, g = self.iri.org(o.id), self.g
        cls = TKG.PartyOrganisation if o.type in R.PARTY_TYPES else TKG.MassOrganisation if o.type in R.MASS_TYPES else ORG.FormalOrganization
        g.add((s, RDF.type, cls))
        g.add((s, RDF.type, ORG.Organization))
        g.add((s, ORG.classification, ORGTYPE[o.type]))
        g.add((s, DCTERMS.identifier, Literal(o.id)))
        _labels(g, s, o.label, o.alt, skos_too=True)
        if o.part_of:
            g.add((s, ORG.subOrganizationOf, self.iri.org(o.part_of)))
        if o.linked_to:
            g.add((s, ORG.linkedTo, self.iri.org(o.linked_to)))
        if o.founded:
            g.add((s, SCHEMA.foundingDate, _date(o.founded)))
        if o.members is not None:
            g.add((s, TKG.memberCount, Literal(o.members, datatype=XSD.nonNegativeInteger)))
        self.cite(s, o)

    def document(self, d: R.Document):
        s, g = self.iri.doc(d.id), self.g
        g.add((s, RDF.type, ELI.LegalResource))
        if d.type == "quyet-dinh":
            g.add((s, RDF.type, TKG.AdministrativeDecision))
        g.add((s, ELI.type_document, DOCTYPE[d.type]))
        g.add((s, DCTERMS.identifier, Literal(d.id)))
        label = dict(d.label) or {"vi": f"Quyết định {d.number}", "en": f"Decision {d.number}"}
        _labels(g, s, label, d.alt + ([d.number] if d.number else []))
        for lang, t in d.title.items():
            g.add((s, ELI.title, Literal(t, lang=lang)))
        if d.number:
            g.add((s, ELI.id_local, Literal(d.number)))
        if d.date:
            g.add((s, ELI.date_document, _date(d.date)))
        if d.issuer:
            g.add((s, ELI.passed_by, self.iri.org(d.issuer)))
        if d.regulates:
            g.add((s, TKG.regulates, self.iri.org(d.regulates)))
        for x in d.replaces:
            g.add((s, DCTERMS.replaces, self.iri.doc(x)))
            g.add((self.iri.doc(x), DCTERMS.isReplacedBy, s))
        for x in d.based_on:
            g.add((s, ELI.based_on, self.iri.doc(x)))
        if d.amends:
            g.add((s, ELI.amends, self.iri.doc(d.amends)))
        for f in d.subject:
            g.add((s, DCTERMS.subject, FN[f]))
        if d.stated_units is not None:
            g.add((s, TKG.statedUnitCount, Literal(d.stated_units, datatype=XSD.nonNegativeInteger)))
        if d.term:
            g.add((s, DCTERMS.temporal, Literal(d.term)))
        # the source document names (cites) every document it mentions
        g.add((self.source_iris[d.source or self.recs.source.id], DCTERMS.references, s))
        self.cite(s, d)

    def assignment(self, a: R.Assignment):
        g, decision, org = self.g, self.iri.doc(a.decision), self.iri.org(a.organisation)
        scheme = self.iri.wording(a.decision)
        dec = self.iri.documents[a.decision]
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(f"Các lĩnh vực theo {dec.number or a.decision}", lang="vi")))
        g.add((scheme, SKOS.prefLabel, Literal(f"Functions as worded in {dec.number or a.decision}", lang="en")))
        g.add((scheme, DCTERMS.source, decision))
        self.cite(scheme, a)
        match = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch, "narrow": SKOS.narrowMatch, "broad": SKOS.broadMatch}
        for item in a.items:
            s, w = self.iri.assignment(a.decision, item.number), self.iri.wording(a.decision, item.number)
            g.add((s, RDF.type, TKG.FunctionAssignment))
            g.add((s, TKG.assignedBy, decision))
            g.add((s, TKG.assignee, org))
            g.add((s, TKG.itemNumber, Literal(item.number, datatype=XSD.positiveInteger)))
            g.add((s, TKG.wording, Literal(item.wording, lang="vi")))
            g.add((s, TKG.wordedAs, w))
            for f in item.functions:
                g.add((s, TKG.function, FN[f]))
            g.add((s, RDFS.label, Literal(f"{dec.number} – mục {item.number}: {item.wording}", lang="vi")))
            g.add((s, RDFS.label, Literal(f"{dec.number} – item {item.number}: {item.wording}", lang="en")))
            self.cite(s, item)
            g.add((w, RDF.type, TKG.DecisionWording))
            g.add((w, RDF.type, SKOS.Concept))
            g.add((w, SKOS.inScheme, scheme))
            g.add((w, SKOS.prefLabel, Literal(item.wording, lang="vi")))
            g.add((w, RDFS.label, Literal(item.wording, lang="vi")))
            g.add((w, SKOS.notation, Literal(str(item.number))))
            g.add((w, TKG.searchKey, Literal(search_key(item.wording))))
            for f in item.functions:
                g.add((w, match[item.match], FN[f]))
            self.cite(w, item)

    def unit(self, u: R.Unit):
        s, g = self.iri.org(u.id), self.g
        g.add((s, RDF.type, ORG.OrganizationalUnit))
        g.add((s, ORG.classification, ORGTYPE[u.type]))
        g.add((s, DCTERMS.identifier, Literal(u.id)))
        _labels(g, s, u.label, u.alt, skos_too=True)
        parent = self.iri.org(u.unit_of)
        g.add((s, ORG.unitOf, parent))
        g.add((parent, ORG.hasUnit, s))
        for d in u.listed_in:
            g.add((s, TKG.listedIn, self.iri.doc(d)))
        self.cite(s, u)

    def change_event(self, e: R.ChangeEvent):
        s, g = self.iri.event(e.id), self.g
        g.add((s, RDF.type, ORG.ChangeEvent))
        g.add((s, TKG.changeType, CHANGETYPE[e.type]))
        _labels(g, s, e.label)
        if e.date:
            g.add((s, DCTERMS.date, _date(e.date)))
        if e.decision:
            g.add((s, M8G.hasFormalFramework, self.iri.doc(e.decision)))
        if e.part_of:
            g.add((s, DCTERMS.isPartOf, self.iri.event(e.part_of)))
        if e.basis:
            g.add((s, TKG.inferredBy, Literal(e.basis)))
        for o in e.original:
            g.add((s, ORG.originalOrganization, self.iri.org(o)))
            g.add((self.iri.org(o), ORG.changedBy, s))
        for o in e.resulting:
            g.add((s, ORG.resultingOrganization, self.iri.org(o)))
            g.add((self.iri.org(o), ORG.resultedFrom, s))
        self.cite(s, e)

    def transfer(self, t: R.Transfer):
        s, g = self.iri.transfer(t.id), self.g
        g.add((s, RDF.type, TKG.FunctionTransfer))
        for f in t.functions:
            g.add((s, TKG.function, FN[f]))
        g.add((s, TKG.wording, Literal(t.wording, lang="vi")))
        g.add((s, TKG.transferredFrom, self.iri.org(t.from_org)))
        g.add((s, TKG.transferredTo, self.iri.org(t.to_org)))
        g.add((s, DCTERMS.date, _date(t.date)))
        if t.decision:
            g.add((s, TKG.transferredBy, self.iri.doc(t.decision)))
        src = next(o for o in self.recs.organisations if o.id == t.from_org)
        g.add((s, RDFS.label, Literal(f"Chuyển giao {t.wording} từ {src.label['vi']}", lang="vi")))
        g.add((s, RDFS.label, Literal(f"Transfer of {t.wording} from {src.label['en']}", lang="en")))
        self.cite(s, t)

    def reading(self, r: R.Reading):
        s, g = self.iri.reading(r.id), self.g
        g.add((s, RDF.type, TKG.SourceReading))
        g.add((s, TKG.preferred, Literal(r.preferred)))
        for x in r.about:
            g.add((s, TKG.readingOf, self.iri.any(x)))
        for lang, text in r.comment.items():
            g.add((s, RDFS.comment, Literal(text, lang=lang)))
        g.add((s, RDFS.label, Literal(f"Reading {r.id}", lang="en")))
        if r.date:
            g.add((s, DCTERMS.date, _date(r.date)))
        self.cite(s, r)
