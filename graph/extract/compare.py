"""Compare candidate records with an existing graph: what is new, what matches, what conflicts.

The reference is a records folder (graph/records, YAML) or a built graph file (Turtle, …).
Both become the same small index of names, numbers, dates and function sets, so a researcher
adding another province's document sees at once which facts the graph already holds.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tttt_kg.graph.vietnamese import search_key

from .organisations import common_place, identity_key, place_of
from .records_out import Candidates


_SUCCESSION = {"renaming", "transformation"}   # the same change read two ways (see evaluate.py)


def event_key(kind: str, original, resulting) -> tuple:
    return ("succession" if kind in _SUCCESSION else kind, frozenset(original), frozenset(resulting))


@dataclass
class Reference:
    """What the comparison needs of a graph: keys to ids, dates, function sets."""
    documents: dict[str, str] = field(default_factory=dict)        # number/name key → id
    dates: dict[str, dt.date] = field(default_factory=dict)        # document id → date
    organisations: dict[str, str] = field(default_factory=dict)    # identity key (organisations.py) → id
    org_types: dict[str, str] = field(default_factory=dict)        # id → type slug
    org_facts: dict[str, dict] = field(default_factory=dict)       # id → {"members": n, "founded": date}
    units: dict[tuple[str, str], str] = field(default_factory=dict)  # (organisation id, name key) → id
    functions: dict[str, set[str]] = field(default_factory=dict)   # decision id → function slugs
    events: dict[tuple, str] = field(default_factory=dict)         # (kind, originals, resultings) → id
    transfers: dict[tuple, str] = field(default_factory=dict)      # (from, to, functions) → id

    @classmethod
    def from_records(cls, records_dir: Path | str | None = None) -> "Reference":
        from tttt_kg.graph.records import load_records
        recs = load_records(records_dir) if records_dir else load_records()
        ref = cls()
        for d in recs.documents:
            for name in [d.number or "", *d.label.values(), *d.alt, *d.written]:
                if name:
                    ref.documents.setdefault(search_key(name), d.id)
            if d.date:
                ref.dates[d.id] = d.date
        ref.add_organisations([(o.id, o.type, [o.label.get("vi", ""), *o.alt, *o.written]) for o in recs.organisations])
        for o in recs.organisations:
            ref.org_facts[o.id] = {k: v for k, v in (("members", o.members), ("founded", o.founded)) if v is not None}
        for u in recs.units:
            for name in [*u.label.values(), *u.alt, *u.written]:
                ref.units.setdefault((u.unit_of, search_key(name)), u.id)
        for a in recs.assignments:
            ref.functions.setdefault(a.decision, set()).update(f for it in a.items for f in it.functions)
        for e in recs.change_events:
            ref.events.setdefault(event_key(e.type, e.original, e.resulting), e.id)
        for t in recs.transfers:
            ref.transfers.setdefault((t.from_org, t.to_org, frozenset(t.functions)), t.id)
        return ref

    @classmethod
    def from_store(cls, spec: str) -> "Reference":
        """A store (oxigraph:PATH, sparql:URL): the triples the comparison reads, fetched by one CONSTRUCT."""
        import pyoxigraph as ox
        from rdflib import BNode, Graph, Literal, URIRef
        from rdflib.namespace import RDF

        from tttt_kg.graph.stores.store import open_store
        store = open_store(spec)
        try:
            result = store.query(_CONSTRUCT)
        finally:
            getattr(store, "close", lambda: None)()
        g = Graph()
        for t in result.triples:
            s, p, o = t.subject, t.predicate, t.object
            if isinstance(o, ox.Literal):
                obj = Literal(o.value, lang=o.language, datatype=None if o.language else URIRef(o.datatype.value))
            else:
                obj = URIRef(o.value) if isinstance(o, ox.NamedNode) else BNode(o.value)
            g.add((URIRef(s.value) if isinstance(s, ox.NamedNode) else BNode(s.value), URIRef(p.value), obj))
        if not len(g) or (None, RDF.type, None) not in g:
            raise ValueError(f"{spec}: the store holds no organisation or document to compare with")
        return cls.from_graph(g)

    @classmethod
    def from_graph(cls, path) -> "Reference":
        """A graph file (Turtle, N-Triples, …) or an rdflib Graph."""
        from rdflib import RDF, Graph
        from rdflib.namespace import DCTERMS, RDFS, SKOS

        from tttt_kg.graph.dataset import load_graph_file
        from tttt_kg.graph.namespaces import ELI, ORG, TKG
        g = path if isinstance(path, Graph) else load_graph_file(path)
        ref = cls()

        def ident(node) -> str:
            value = g.value(node, DCTERMS.identifier)
            return str(value) if value is not None else str(node).rstrip("/").rsplit("/", 1)[-1]

        def names(node):
            for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
                for o in g.objects(node, p):
                    if getattr(o, "language", None) in ("vi", None):
                        yield str(o)

        for d in set(g.subjects(RDF.type, ELI.LegalResource)):
            i = ident(d)
            for name in [*(str(n) for n in g.objects(d, ELI.id_local)), *names(d)]:
                ref.documents.setdefault(search_key(name), i)
            date = g.value(d, ELI.date_document)
            if date is not None and isinstance(date.toPython(), dt.date):
                ref.dates[i] = date.toPython()
        units = set(g.subjects(RDF.type, ORG.OrganizationalUnit))
        orgs = []
        for o in set(g.subjects(RDF.type, ORG.Organization)) - units:
            cls_ = g.value(o, ORG.classification)
            orgs.append((ident(o), str(cls_).rsplit("/", 1)[-1] if cls_ is not None else None, list(names(o))))
        ref.add_organisations(orgs)
        from tttt_kg.graph.namespaces import SCHEMA
        for o in set(g.subjects(RDF.type, ORG.Organization)) - units:
            facts = {}
            if (n := g.value(o, TKG.memberCount)) is not None:
                facts["members"] = int(n)
            if (d := g.value(o, SCHEMA.foundingDate)) is not None and isinstance(d.toPython(), dt.date):
                facts["founded"] = d.toPython()
            ref.org_facts[ident(o)] = facts
        for u in units:
            owner = g.value(u, ORG.unitOf)
            for name in names(u):
                ref.units.setdefault((ident(owner) if owner is not None else "", search_key(name)), ident(u))
        for e in g.subjects(RDF.type, ORG.ChangeEvent):
            kind = g.value(e, TKG.changeType)
            if kind is not None:
                ref.events.setdefault(event_key(str(kind).rsplit("/", 1)[-1],
                                                [ident(o) for o in g.objects(e, ORG.originalOrganization)],
                                                [ident(o) for o in g.objects(e, ORG.resultingOrganization)]), ident(e))
        for t in g.subjects(RDF.type, TKG.FunctionTransfer):
            frm, to = g.value(t, TKG.transferredFrom), g.value(t, TKG.transferredTo)
            if frm is not None and to is not None:
                fns = frozenset(str(f).rsplit("/", 1)[-1] for f in g.objects(t, TKG.function))
                ref.transfers.setdefault((ident(frm), ident(to), fns), ident(t))
        for a in g.subjects(RDF.type, TKG.FunctionAssignment):
            decision = g.value(a, TKG.assignedBy)
            if decision is not None:
                ref.functions.setdefault(ident(decision), set()).update(
                    str(f).rsplit("/", 1)[-1] for f in g.objects(a, TKG.function))
        return ref


    def add_organisations(self, orgs: list[tuple[str, str | None, list[str]]]) -> None:
        """(id, type, names) of each organisation; keys carry each one's province (see organisations.py)."""
        default = common_place([n for _, _, names in orgs for n in names])
        for ident, type_, names in orgs:
            if type_:
                self.org_types[ident] = type_
            place = next((p for p in map(place_of, names) if p), default)
            for name in names:
                self.organisations.setdefault(identity_key(name, type_, place), ident)


# what Reference.from_graph reads, for a store: types, names, numbers, dates, and the links it follows
_READ = ["rdf:type", "dct:identifier", "rdfs:label", "skos:prefLabel", "skos:altLabel", "eli:id_local",
         "eli:date_document", "org:classification", "tkg:memberCount", "schema:foundingDate", "org:unitOf",
         "tkg:changeType", "org:originalOrganization", "org:resultingOrganization", "tkg:transferredFrom",
         "tkg:transferredTo", "tkg:function", "tkg:assignedBy"]
_CONSTRUCT = ("CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?p { " + " ".join(_READ) + " } ?s ?p ?o "
              "FILTER(!STRSTARTS(STR(?s), 'https://w3id.org/tttt-kg/id/candidate/')) }")


@dataclass
class Finding:
    status: str          # "new", "match", "conflict"
    section: str
    candidate: str
    reference: str | None = None
    detail: str = ""


def load_reference(path: Path | str | None) -> Reference:
    """A records folder, a graph file, a store (oxigraph:PATH, sparql:URL) or (None) the packaged records."""
    if isinstance(path, str) and path.startswith(("oxigraph:", "sparql:")):
        return Reference.from_store(path)
    if path is not None and not Path(path).exists():
        raise FileNotFoundError(f"no such file or folder; give a graph file, a records folder or a store "
                                "(oxigraph:PATH, sparql:URL)")
    if path is None or Path(path).is_dir():
        return Reference.from_records(path)
    return Reference.from_graph(path)


def compare(c: Candidates, ref: Reference) -> list[Finding]:
    out: list[Finding] = []
    doc_ids: dict[str, str] = {}
    for rec in c.records("documents"):
        names = [rec.get("number") or "", *rec.get("label", {}).values(), *rec.get("written", [])]
        hit = next((ref.documents[search_key(n)] for n in names if n and search_key(n) in ref.documents), None)
        what = rec.get("number") or rec.get("label", {}).get("vi", "")
        if hit is None:
            out.append(Finding("new", "documents", rec["id"], detail=what))
            continue
        doc_ids[rec["id"]] = hit
        date, known = rec.get("date"), ref.dates.get(hit)
        if date and known and date != known:
            out.append(Finding("conflict", "documents", rec["id"], hit,
                               f"{what}: dated {date} in the text, {known} in the graph"))
        else:
            out.append(Finding("match", "documents", rec["id"], hit, what))
    place = common_place([n for rec in c.records("organisations")
                          for n in [*rec["label"].values(), *rec.get("alt", []), *rec.get("written", [])]])
    org_ids: dict[str, str] = {}
    for rec in c.records("organisations"):
        names = [*rec["label"].values(), *rec.get("alt", []), *rec.get("written", [])]
        own = next((p for p in map(place_of, names) if p), place)
        keys = [identity_key(n, rec["type"], own) for n in names]
        hit = next((ref.organisations[k] for k in keys if k in ref.organisations), None)
        if hit:
            org_ids[rec["id"]] = hit
        if hit is None:
            out.append(Finding("new", "organisations", rec["id"], detail=rec["label"]["vi"]))
        elif ref.org_types.get(hit) and rec["type"] != ref.org_types[hit]:
            out.append(Finding("conflict", "organisations", rec["id"], hit,
                               f"{rec['label']['vi']}: type {rec['type']} here, {ref.org_types[hit]} in the graph"))
        elif (differ := [f"{k} {rec[k]} here, {v} in the graph" for k, v in ref.org_facts.get(hit, {}).items()
                         if k in rec and rec[k] != v]):
            out.append(Finding("conflict", "organisations", rec["id"], hit, f"{rec['label']['vi']}: {'; '.join(differ)}"))
        else:
            out.append(Finding("match", "organisations", rec["id"], hit, rec["label"]["vi"]))
    unit_ids: dict[str, str] = {}
    for rec in c.records("units"):
        hit = ref.units.get((org_ids.get(rec["unit_of"], "?"), search_key(rec["label"]["vi"])))
        if hit:
            unit_ids[rec["id"]] = hit
        out.append(Finding("match" if hit else "new", "units", rec["id"], hit, rec["label"]["vi"]))
    members = {**org_ids, **unit_ids}
    for rec in c.records("change_events"):
        key = event_key(rec["type"], [members.get(i, f"?{i}") for i in rec.get("original", [])],
                        [members.get(i, f"?{i}") for i in rec.get("resulting", [])])
        hit = ref.events.get(key)
        out.append(Finding("match" if hit else "new", "change events", rec["id"], hit, rec["label"]["vi"]))
    for rec in c.records("transfers"):
        key = (org_ids.get(rec["from"], "?"), org_ids.get(rec["to"], "?"), frozenset(rec["functions"]))
        hit = ref.transfers.get(key)
        if hit is None:
            same_pair = [v for k, v in ref.transfers.items() if k[:2] == key[:2]]
            if same_pair:
                out.append(Finding("conflict", "transfers", rec["id"], same_pair[0],
                                   f"{', '.join(rec['functions'])} here; other functions in the graph"))
                continue
        out.append(Finding("match" if hit else "new", "transfers", rec["id"], hit, ", ".join(rec["functions"])))
    for rec in c.records("assignments"):
        decision = doc_ids.get(rec["decision"])
        found = {f for it in rec["items"] for f in it["functions"]}
        known = ref.functions.get(decision) if decision else None
        if known is None:
            out.append(Finding("new", "assignments", rec["decision"], detail=f"{len(found)} functions"))
        elif known == found:
            out.append(Finding("match", "assignments", rec["decision"], decision, f"{len(found)} functions"))
        else:
            diff = []
            if found - known:
                diff.append("only here: " + ", ".join(sorted(found - known)))
            if known - found:
                diff.append("only in the graph: " + ", ".join(sorted(known - found)))
            out.append(Finding("conflict", "assignments", rec["decision"], decision, "; ".join(diff)))
    return out


def format_findings(findings: list[Finding]) -> str:
    lines = []
    for status in ("conflict", "new", "match"):
        for f in findings:
            if f.status == status:
                ref = f" = {f.reference}" if f.reference else ""
                lines.append(f"{f.status:<9}{f.section:<15}{f.candidate}{ref}  {f.detail}".rstrip())
    counts = {s: sum(1 for f in findings if f.status == s) for s in ("new", "match", "conflict")}
    lines.append(f"{counts['new']} new, {counts['match']} matching, {counts['conflict']} conflicting")
    return "\n".join(lines)
