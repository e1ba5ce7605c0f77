"""What the Sở did with the documents it names, its awards, and its names over time (issue 13 §2, §3).

Reads ``activities.yaml`` and ``names.yaml`` of a records directory (both optional) against the
loaded seed records, and adds to a builder's graph:

- each piece of work as ``tkg:Work`` (a ``prov:Activity``) ``prov:wasAssociatedWith`` the Sở, with one
  ``prov:qualifiedUsage`` per document it uses: a ``prov:Usage`` whose ``prov:entity`` is the document
  and ``prov:hadRole`` a role of ``id:document-role/scheme`` (also the plain ``prov:used``);
- each award as ``tkg:Award``: what, by whom, to whom, when, on what occasion, and the figures that
  count it;
- the Sở's names over time (``tkg:OrganisationName``) and its founding date under the preferred
  reading (``tkg:foundingDate``), with the ``tkg:SourceReading`` nodes these rest on.

Every node cites its span through ``builder.cite``, like every other statement.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from tttt_kg.graph.records import Reading, Record

ACTIVITIES_FILE = "activities.yaml"
NAMES_FILE = "names.yaml"


@dataclass
class Usage(Record):
    document: str = ""
    role: str = ""


@dataclass
class Work(Record):
    agent: str = ""
    label: dict = field(default_factory=dict)
    uses: list[Usage] = field(default_factory=list)


@dataclass
class Award(Record):
    award: dict = field(default_factory=dict)
    by: str | None = None
    to: str = ""
    recipients: str = ""
    when: _dt.date | int | None = None       # a day, or a year (int)
    occasion: dict = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)


@dataclass
class Name(Record):
    of: list[str] = field(default_factory=list)
    name: dict = field(default_factory=dict)
    start: _dt.date | None = None
    until: _dt.date | None = None
    decision: str = ""
    readings: list[str] = field(default_factory=list)


@dataclass
class Founding:
    of: str
    date: _dt.date
    readings: list[str]


@dataclass
class ActivityRecords:
    works: list[Work] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)
    foundings: list[Founding] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)


def vocabulary_codes() -> dict[str, set[str]]:
    """The codes ontology/activities.ttl defines: {scheme path segment: concept local names}."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from tttt_kg.ontology import HERE
    g = Graph().parse(HERE / "activities.ttl", format="turtle")
    codes: dict[str, set[str]] = {}
    for concept, scheme in g.subject_objects(SKOS.inScheme):
        kind = str(scheme).rsplit("/", 2)[-2]
        codes.setdefault(kind, set()).add(str(concept).rsplit("/", 1)[-1])
    return codes


def load_activities(recs, directory: Path | str | None = None) -> ActivityRecords:
    """Read and check ``activities.yaml`` and ``names.yaml`` of a records directory against the seed records."""
    from tttt_kg.graph import records as R
    from tttt_kg.graph.figures import FIGURES_FILE
    directory = Path(directory) if directory else R.DEFAULT_RECORDS_DIR
    out = ActivityRecords()
    codes = vocabulary_codes()
    length = {s.id: s.length for s in recs.sources}[recs.source.id]
    source = recs.source.id
    orgs = {o.id for o in recs.organisations}
    docs = {d.id: d for d in recs.documents}
    taken = {r.id for r in [*recs.organisations, *recs.units, *recs.documents, *recs.change_events,
                            *recs.transfers, *recs.readings]}

    def own_id(rd, seen):
        rid = rd.slug("id", True)
        if rid in seen:
            raise rd.error("id", f"'{rid}' is already used", "give each record its own id")
        seen.add(rid)
        return rid

    path = directory / ACTIVITIES_FILE
    if path.is_file():
        raw = R._read_yaml(path)
        places = set()
        figures_path = directory / FIGURES_FILE
        figure_ids = set()
        if figures_path.is_file():
            fraw = R._read_yaml(figures_path)
            places = {p.get("id") for p in R._section(figures_path, fraw, "places") if isinstance(p, dict)}
            figure_ids = {f.get("id") for f in R._section(figures_path, fraw, "figures") if isinstance(f, dict)}
        seen: set[str] = set()
        for r in R._section(path, raw, "activities"):
            rd = R._Reader(path, r, "activity", {"id", "agent", "label", "uses", "written", "span"})
            work = Work(id=own_id(rd, seen), file=str(path), line=rd.line, spans=rd.spans(length),
                        written=rd.strings("written"), source=source, agent=rd.slug("agent", True),
                        label=rd.lang_map("label", True, ("vi", "en")))
            if work.agent not in orgs:
                raise rd.error("agent", f"unknown organisation '{work.agent}'", "use an id of organisations.yaml")
            uses = rd.get("uses", True)
            if not isinstance(uses, list) or not uses:
                raise rd.error("uses", "must be a non-empty list", "list the documents the work uses, one '- document: …' each")
            for n, u in enumerate(uses, 1):
                ru = R._Reader(path, u, f"usage {n} of activity '{work.id}'", {"document", "role", "written", "span"})
                usage = Usage(id=f"{work.id}/usage/{n}", file=str(path), line=ru.line, spans=ru.spans(length),
                              written=ru.strings("written"), source=source, document=ru.slug("document", True),
                              role=ru.choice("role", codes["document-role"]))
                if usage.document not in docs:
                    raise ru.error("document", f"unknown document '{usage.document}'", "use an id of documents.yaml")
                if not usage.written:
                    raise ru.error("written", "is missing", "give the words that state the role and name the document")
                work.uses.append(usage)
            out.works.append(work)
        for r in R._section(path, raw, "awards"):
            rd = R._Reader(path, r, "award", {"id", "award", "by", "to", "recipients", "date", "year", "occasion",
                                              "figures", "written", "span"})
            award = Award(id=own_id(rd, seen), file=str(path), line=rd.line, spans=rd.spans(length),
                          written=rd.strings("written"), source=source, award=rd.lang_map("award", True, ("vi", "en")),
                          by=rd.slug("by"), to=rd.slug("to", True),
                          recipients=rd.choice("recipients", codes["recipient-kind"]),
                          occasion=rd.lang_map("occasion", False, ("vi", "en")), figures=rd.slugs("figures"))
            if award.by is not None and award.by not in orgs:
                raise rd.error("by", f"unknown organisation '{award.by}'", "use an id of organisations.yaml, or leave it out")
            if award.to not in orgs and award.to not in places:
                raise rd.error("to", f"unknown organisation or place '{award.to}'", "use an id of organisations.yaml or a place of figures.yaml")
            for f in award.figures:
                if f not in figure_ids:
                    raise rd.error("figures", f"unknown figure '{f}'", "use an id of figures.yaml")
            day, year = rd.date("date"), rd.integer("year", minimum=1000)
            if day and year:
                raise rd.error("year", "an award has a date or a year, not both", "keep the one the source gives")
            award.when = day or year
            out.awards.append(award)
        taken |= seen

    path = directory / NAMES_FILE
    if path.is_file():
        raw = R._read_yaml(path)
        seen = set()
        for r in R._section(path, raw, "names"):
            rd = R._Reader(path, r, "name", {"id", "of", "name", "from", "until", "decision", "readings", "written", "span"})
            name = Name(id=own_id(rd, seen), file=str(path), line=rd.line, spans=rd.spans(length),
                        written=rd.strings("written"), source=source, of=rd.slugs("of", True),
                        name=rd.lang_map("name", True, ("vi", "en")), start=rd.date("from", True),
                        until=rd.date("until"), decision=rd.slug("decision", True), readings=rd.slugs("readings"))
            for o in name.of:
                if o not in orgs:
                    raise rd.error("of", f"unknown organisation '{o}'", "use an id of organisations.yaml")
            if name.decision not in docs:
                raise rd.error("decision", f"unknown document '{name.decision}'", "use an id of documents.yaml")
            if name.until is not None and name.until <= name.start:
                raise rd.error("until", "ends on or before it begins", "the first day it was no longer borne comes after 'from'")
            out.names.append(name)
        names = {n.id for n in out.names}
        for r in R._section(path, raw, "founding"):
            rd = R._Reader(path, r, "founding", {"of", "date", "readings"})
            f = Founding(of=rd.slug("of", True), date=rd.date("date", True), readings=rd.slugs("readings", True))
            if f.of not in orgs:
                raise rd.error("of", f"unknown organisation '{f.of}'", "use an id of organisations.yaml")
            out.foundings.append(f)
        items = {item.id for a in recs.assignments for item in a.items}
        known = taken | names | items | {a.id for a in out.awards}
        for r in R._section(path, raw, "readings"):
            rd = R._Reader(path, r, "reading", {"id", "about", "preferred", "date", "comment", "written", "span"})
            rid = rd.slug("id", True)
            if rid in known or rid in seen:
                raise rd.error("id", f"'{rid}' is already the id of another record", "give the reading its own id")
            seen.add(rid)
            reading = Reading(id=rid, file=str(path), line=rd.line, spans=rd.spans(length), written=rd.strings("written"),
                              source=source, about=rd.slugs("about", True), preferred=rd.boolean("preferred"),
                              date=rd.date("date"), comment=rd.lang_map("comment", True, ("en",)))
            for x in reading.about:
                if x not in known:
                    raise rd.error("about", f"unknown record '{x}'", "name a record, a name above, an award, or an item as decision/number")
            out.readings.append(reading)
        all_readings = {r.id for r in out.readings} | {r.id for r in recs.readings}
        for rec in [*out.names, *out.foundings]:
            for x in rec.readings:
                if x not in all_readings:
                    raise R.RecordError(path, getattr(rec, "line", None), f"unknown reading '{x}'",
                                        "name a reading of events.yaml or of this file")
    return out


def add_activities(builder, directory: Path | str | None = None) -> None:
    """Add ontology/activities.ttl, the work, the awards, the names and the readings to the builder's graph."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

    from tttt_kg.ontology import HERE

    from tttt_kg.graph.namespaces import ID, PROV, TKG
    from tttt_kg.graph.vietnamese import search_key
    if directory is None:
        directory = Path(builder.recs.source.file).parent
    recs = load_activities(builder.recs, directory)
    if not (recs.works or recs.awards or recs.names or recs.foundings or recs.readings):
        return
    g = builder.g
    vocab = type(g)(bind_namespaces="none").parse(HERE / "activities.ttl", format="turtle")
    g += vocab
    for concept in vocab.subjects(RDF.type, SKOS.Concept):
        for label in vocab.objects(concept, SKOS.prefLabel):
            g.add((concept, RDFS.label, label))
        keys = {search_key(str(x)) for p in (SKOS.prefLabel, SKOS.altLabel)
                for x in vocab.objects(concept, p) if x.language == "vi"}
        for k in sorted(keys):
            g.add((concept, TKG.searchKey, Literal(k)))
    for scheme in vocab.subjects(RDF.type, SKOS.ConceptScheme):
        for label in vocab.objects(scheme, SKOS.prefLabel):
            g.add((scheme, RDFS.label, label))

    def labels(s, label):
        for lang, text in label.items():
            g.add((s, RDFS.label, Literal(text, lang=lang)))
        if "vi" in label:
            g.add((s, TKG.searchKey, Literal(search_key(label["vi"]))))

    for w in recs.works:
        s = ID[f"activity/{w.id}"]
        g.add((s, RDF.type, TKG.Work))
        g.add((s, DCTERMS.identifier, Literal(w.id)))
        labels(s, w.label)
        g.add((s, PROV.wasAssociatedWith, builder.iri.org(w.agent)))
        builder.cite(s, w)
        for n, u in enumerate(w.uses, 1):
            q, doc = ID[f"activity/{w.id}/usage/{n}"], builder.iri.doc(u.document)
            g.add((s, PROV.used, doc))
            g.add((s, PROV.qualifiedUsage, q))
            g.add((q, RDF.type, PROV.Usage))
            g.add((q, PROV.entity, doc))
            g.add((q, PROV.hadRole, ID[f"document-role/{u.role}"]))
            d = builder.iri.documents[u.document]
            name = d.label.get("vi") or f"Quyết định {d.number}"
            g.add((q, RDFS.label, Literal(f"{w.label['vi']}: {name} ({u.role})", lang="vi")))
            builder.cite(q, u)

    for a in recs.awards:
        s = ID[f"award/{a.id}"]
        g.add((s, RDF.type, TKG.Award))
        g.add((s, DCTERMS.identifier, Literal(a.id)))
        for lang, text in a.award.items():
            g.add((s, TKG.awardTitle, Literal(text, lang=lang)))
        labels(s, a.award)
        if a.by:
            g.add((s, TKG.conferredBy, builder.iri.org(a.by)))
        recipient = builder.iri.org(a.to) if a.to in {o.id for o in builder.recs.organisations} else ID[f"place/{a.to}"]
        g.add((s, TKG.awardedTo, recipient))
        g.add((s, TKG.recipientKind, ID[f"recipient-kind/{a.recipients}"]))
        if isinstance(a.when, _dt.date):
            g.add((s, DCTERMS.date, Literal(a.when.isoformat(), datatype=XSD.date)))
        elif a.when is not None:
            g.add((s, TKG.awardYear, Literal(f"{a.when:04d}", datatype=XSD.gYear)))
        for lang, text in a.occasion.items():
            g.add((s, TKG.occasion, Literal(text, lang=lang)))
        for f in a.figures:
            g.add((s, TKG.countedIn, ID[f"figure/{f}"]))
        builder.cite(s, a)

    name_iris = {n.id: ID[f"name/{n.id}"] for n in recs.names}
    for n in recs.names:
        s = name_iris[n.id]
        g.add((s, RDF.type, TKG.OrganisationName))
        g.add((s, DCTERMS.identifier, Literal(n.id)))
        for o in n.of:
            g.add((s, TKG.nameOf, builder.iri.org(o)))
        for lang, text in n.name.items():
            g.add((s, TKG.orgName, Literal(text, lang=lang)))
        span = f"{n.start.isoformat()} – {n.until.isoformat() if n.until else '…'}"
        labels(s, {lang: f"{text} ({span})" for lang, text in n.name.items()})
        g.add((s, TKG.nameFrom, Literal(n.start.isoformat(), datatype=XSD.date)))
        if n.until:
            g.add((s, TKG.nameUntil, Literal(n.until.isoformat(), datatype=XSD.date)))
        g.add((s, TKG.namedBy, builder.iri.doc(n.decision)))
        builder.cite(s, n)

    def about(x: str) -> URIRef:
        if x in name_iris:
            return name_iris[x]
        if x in {a.id for a in recs.awards}:
            return ID[f"award/{x}"]
        items = {item.id: item for asg in builder.recs.assignments for item in asg.items}
        if x in items:
            decision, _, number = x.rpartition("/")
            return builder.iri.assignment(decision, int(number))
        return builder.iri.any(x)

    for r in recs.readings:
        builder.reading(Reading(id=r.id, file=r.file, line=r.line, spans=r.spans, written=r.written, source=r.source,
                                about=[], preferred=r.preferred, date=r.date, comment=r.comment))
        for x in r.about:
            g.add((builder.iri.reading(r.id), TKG.readingOf, about(x)))
    for n in recs.names:
        for x in n.readings:
            g.add((builder.iri.reading(x), TKG.readingOf, name_iris[n.id]))
    for f in recs.foundings:
        org = builder.iri.org(f.of)
        g.add((org, TKG.foundingDate, Literal(f.date.isoformat(), datatype=XSD.date)))
        for x in f.readings:
            g.add((builder.iri.reading(x), TKG.readingOf, org))
