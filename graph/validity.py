"""The validity rule, derived once at build time and stored (issue 13 §4).

The sources give no entry-into-force dates. The rule the named queries used to re-derive in every
query is applied here once, and what it derives is stored on its own node, apart from the dates the
sources state:

    <X> tkg:validity <X#validity> .
    <X#validity> a tkg:ValidityInterval ; tkg:derivedBy "validity-rule" ;
        tkg:validFrom "…"^^xsd:date ;      # the first day it counts (absent: before the record begins)
        tkg:validUntil "…"^^xsd:date ;     # the first day it no longer counts (absent: still counts)
        prov:wasDerivedFrom <the resources whose dates give the bounds> .

- A document with an eli:date_document is in force from that date until the earliest eli:date_document
  of a document that dct:replaces it. A replacing document without a date ends nothing (as the queries
  always read it): the interval stays open and says tkg:notKnown tkg:validUntil, derived from that
  document, so no end date is invented.
- An organisation exists from the earliest date of the change events that result in it (an event's
  dct:date, else its formal framework's eli:date_document) or its schema:foundingDate, until the
  earliest date of an event it goes into and does not come out of. One whose beginning is recorded
  only by undated events gets no interval: the rule cannot place it in time, and no query counts it.
  Undated ending events end nothing (the interval says tkg:notKnown tkg:validUntil).
- A function assignment holds while its decision is in force and its assignee exists: the
  intersection of the two intervals (none when either has none).
- An organisation also holds functions it did not get by a list of its own (tkg:DerivedHolding, one
  node per interval): *inherited*, each item of a predecessor's list (an assignment of an organisation
  it was formed from by a change event), from the event's date while that list's decision is not
  replaced; *transferred*, each function transferred to it (tkg:FunctionTransfer), from the transfer's
  date. Either only while the organisation exists and no list of its own holds: the days an assignment
  of its own holds are cut out, so one source may give several holdings. The holding says what it holds
  (tkg:holds: the assignment or the transfer), by whom (tkg:holder), from whom (tkg:via) and how
  (tkg:basis), and is derived from the source and the event(s); its interval like the others.
  (As the named queries always read it: an inherited item counts from the event even if its decision
  is dated later, and only its replacement ends it.)
- An organisation's lineage (tkg:Lineage, <L#lineage>): the organisations whose change events lead to it
  (following org:changedBy then org:resultingOrganization, any number of times, L itself included), and
  the days L is the latest of them: from the last date of a change event that makes it out of another
  organisation, until the first date of one that turns it into another (every date an event has counts:
  its dct:date and its formal framework's). changes-between-dates compares an organisation with its
  lineage through it.

Each bound is derived from every resource that gives it that day (ties kept). Works on any graph
through ``pairs(predicate)`` (rdflib or Oxigraph, see the adapters at the end); ``derived_terms``
lists what it writes, so a narrowed graph can drop the old derivation and derive again.
"""
from __future__ import annotations

import datetime as _dt
from typing import Callable, Iterable

TKG = "https://w3id.org/tttt-kg/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
M8G = "http://data.europa.eu/m8g/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

VALIDITY, INTERVAL = TKG + "validity", TKG + "ValidityInterval"
HOLDING, HOLDER, HOLDS, VIA, BASIS = (TKG + "DerivedHolding", TKG + "holder", TKG + "holds", TKG + "via",
                                      TKG + "basis")
LINEAGE, LINEAGE_OF, LINEAGE_MEMBER = TKG + "Lineage", TKG + "lineageOf", TKG + "lineageMember"
# the classes of what the rule writes: a derivation is dropped (narrowing derives again) by these
derived_terms = (INTERVAL, HOLDING, LINEAGE)
VALID_FROM, VALID_UNTIL = TKG + "validFrom", TKG + "validUntil"
DERIVED_BY, NOT_KNOWN, WAS_DERIVED_FROM = TKG + "derivedBy", TKG + "notKnown", PROV + "wasDerivedFrom"
RULE = "validity-rule"

# what the rule reads
READS = (ELI + "date_document", DCT + "replaces", DCT + "date", M8G + "hasFormalFramework",
         ORG + "originalOrganization", ORG + "resultingOrganization", SCHEMA + "foundingDate",
         TKG + "assignedBy", TKG + "assignee", TKG + "transferredTo", TKG + "transferredFrom", ORG + "changedBy", RDF_TYPE)
ID = "https://w3id.org/tttt-kg/id/"


class Lit(str):
    """A plain string literal (tkg:derivedBy's value); a bare str is an IRI, a datetime.date an xsd:date."""


Pairs = Callable[[str], Iterable[tuple[str, object]]]
Triple = tuple[str, str, object]


def _bound(candidates: list[tuple[_dt.date, str]], earliest: bool = True):
    """(day, [every resource giving that day]) for the earliest (or latest) day, or (None, [])."""
    if not candidates:
        return None, []
    day = min(c[0] for c in candidates) if earliest else max(c[0] for c in candidates)
    return day, sorted({src for d, src in candidates if d == day})


def derive(pairs: Pairs) -> list[Triple]:
    """The triples the validity rule derives from the graph ``pairs`` reads."""
    def dates(pred):
        out: dict[str, list[_dt.date]] = {}
        for s, o in pairs(pred):
            if isinstance(o, _dt.date):
                out.setdefault(s, []).append(o)
        return out

    def links(pred):
        out: dict[str, list[str]] = {}
        for s, o in pairs(pred):
            if isinstance(o, str) and not isinstance(o, Lit):
                out.setdefault(s, []).append(o)
        return out

    doc_date = {s: min(ds) for s, ds in dates(ELI + "date_document").items()}
    replaces = links(DCT + "replaces")
    event_own = {s: min(ds) for s, ds in dates(DCT + "date").items()}
    framework = links(M8G + "hasFormalFramework")
    original, resulting = links(ORG + "originalOrganization"), links(ORG + "resultingOrganization")
    founded = {s: min(ds) for s, ds in dates(SCHEMA + "foundingDate").items()}
    assigned_by, assignee = links(TKG + "assignedBy"), links(TKG + "assignee")
    types = links(RDF_TYPE)

    def event_date(e):
        if e in event_own:
            return event_own[e]
        fw = [doc_date[d] for d in framework.get(e, ()) if d in doc_date]
        return min(fw) if fw else None

    intervals: dict[str, tuple] = {}     # resource -> (from, from_srcs, until, until_srcs, undated_end_srcs)

    # documents
    replaced_by: dict[str, list[str]] = {}
    for newer, olds in replaces.items():
        for old in olds:
            replaced_by.setdefault(old, []).append(newer)
    for doc, day in doc_date.items():
        newer = replaced_by.get(doc, [])
        until, until_srcs = _bound([(doc_date[n], n) for n in newer if n in doc_date])
        undated = sorted(n for n in newer if n not in doc_date)
        intervals[doc] = (day, [doc], until, until_srcs, undated if until is None else [])

    # organisations (and whatever is assigned or transferred to, typed or not)
    starts: dict[str, list[str]] = {}
    ends: dict[str, list[str]] = {}
    for e, orgs in resulting.items():
        for o in orgs:
            starts.setdefault(o, []).append(e)
    for e, orgs in original.items():
        for o in orgs:
            if o not in resulting.get(e, ()):
                ends.setdefault(o, []).append(e)
    orgs = {s for s, ts in types.items() if ORG + "Organization" in ts}
    orgs |= {o for os in assignee.values() for o in os}
    orgs |= {o for _, o in pairs(TKG + "transferredTo") if isinstance(o, str)}
    for o in orgs:
        begun = [(event_date(e), e) for e in starts.get(o, ()) if event_date(e) is not None]
        if o in founded:
            begun.append((founded[o], o))
        if not begun and starts.get(o):
            continue                      # begun only by undated events: the rule cannot place it
        day, from_srcs = _bound(begun)
        until, until_srcs = _bound([(event_date(e), e) for e in ends.get(o, ()) if event_date(e) is not None])
        undated = sorted(e for e in ends.get(o, ()) if event_date(e) is None)
        intervals[o] = (day, from_srcs, until, until_srcs, undated if until is None else [])

    # function assignments: decision in force and assignee existing
    for a, decisions in assigned_by.items():
        if len(decisions) != 1 or len(assignee.get(a, ())) != 1:
            continue
        d, o = intervals.get(decisions[0]), intervals.get(assignee[a][0])
        if d is None or o is None:
            continue
        day, from_srcs = _bound([(x[0], s) for x in (d, o) if x[0] is not None for s in x[1]], earliest=False)
        until, until_srcs = _bound([(x[2], s) for x in (d, o) if x[2] is not None for s in x[3]])
        if day is not None and until is not None and until <= day:
            continue                      # never held: the decision ended before its assignee began, or after it ended
        undated = sorted(set(d[4]) | set(o[4])) if until is None else []
        intervals[a] = (day, from_srcs, until, until_srcs, undated)

    triples: list[Triple] = []
    for s in sorted(intervals):
        triples += interval_triples(s, *intervals[s])
    triples += _holdings(intervals, types, event_date, original, resulting, assigned_by, assignee,
                         {s: min(ds) for s, ds in dates(DCT + "date").items()}, links(TKG + "transferredTo"),
                         links(TKG + "transferredFrom"))
    every_day = lambda e: dates(DCT + "date").get(e, []) + [  # noqa: E731
        x for d in framework.get(e, ()) for x in doc_dates.get(d, ())]
    doc_dates = dates(ELI + "date_document")
    triples += _lineages(orgs, types, links(ORG + "changedBy"), original, resulting, every_day)
    return triples


def _lineages(orgs, types, changed_by, original, resulting, every_day) -> list[Triple]:
    """Each organisation's lineage and the days it ends it, as the module docstring says."""
    leads: dict[str, set[str]] = {}                 # organisation -> the organisations its events result in
    for o, events in changed_by.items():
        for e in events:
            leads.setdefault(o, set()).update(resulting.get(e, ()))
    members: dict[str, set[str]] = {}
    for o in sorted(orgs | set(changed_by) | {r for rs in resulting.values() for r in rs}):
        seen, todo = {o}, [o]
        while todo:
            for nxt in leads.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        for line in seen:
            members.setdefault(line, set()).add(o)
    made: dict[str, list] = {}                      # organisation -> (day, event) of events making it out of another
    for e, rs in resulting.items():
        for r in rs:
            if any(x != r for x in original.get(e, ())):
                made.setdefault(r, []).extend((d, e) for d in every_day(e))
    triples: list[Triple] = []
    for line in sorted(s for s, ts in types.items() if ORG + "Organization" in ts):
        day, from_srcs = _bound(made.get(line, []), earliest=False)
        until, until_srcs = _bound([(d, e) for e in changed_by.get(line, ())
                                    if any(r != line for r in resulting.get(e, ())) for d in every_day(e)])
        if day is not None and until is not None and until <= day:
            continue                                # never the latest of its lineage
        those = members.get(line, {line})
        triples += lineage_triples(line, those, {e for m in those for e in changed_by.get(m, ())
                                                 if those & set(resulting.get(e, ()))},
                                   day, from_srcs, until, until_srcs)
    return triples


def lineage_triples(line: str, members, events, day, from_srcs, until, until_srcs) -> list[Triple]:
    """The stored form of one lineage (also written by graph/stores/synth.py, which knows its bounds)."""
    n = line + "#lineage"
    triples = [(n, RDF_TYPE, LINEAGE), (n, DERIVED_BY, Lit(RULE)), (n, LINEAGE_OF, line)]
    triples += [(n, LINEAGE_MEMBER, m) for m in sorted(members)]
    triples += [(n, WAS_DERIVED_FROM, e) for e in sorted(events)]
    return triples + interval_triples(n, day, from_srcs, until, until_srcs, v=line + "#lineage-validity")


def _holdings(intervals, types, event_date, original, resulting, assigned_by, assignee, own_date,
              transferred_to, transferred_from) -> list[Triple]:
    """The inherited and transferred holdings (tkg:DerivedHolding), as the module docstring says."""
    is_a = lambda s, cls: cls in types.get(s, ())  # noqa: E731
    lists: dict[str, list[str]] = {}                # organisation -> its assignments
    for a, orgs in assignee.items():
        for o in orgs:
            lists.setdefault(o, []).append(a)
    wanted: dict[tuple, list] = {}                  # (source, holder, via, basis) -> [(day, resource)], the start
    for e, olds in original.items():
        day = event_date(e)
        if day is None or not is_a(e, ORG + "ChangeEvent"):
            continue
        for f in olds:
            for o in resulting.get(e, ()):
                if o == f:
                    continue
                for a in lists.get(f, ()):
                    if is_a(a, TKG + "FunctionAssignment") and len(assigned_by.get(a, ())) == 1:
                        wanted.setdefault((a, o, f, "inherited"), []).append((day, e))
    for tr, tos in transferred_to.items():
        if not is_a(tr, TKG + "FunctionTransfer") or tr not in own_date:
            continue
        for o in tos:
            for f in transferred_from.get(tr, ()):
                wanted.setdefault((tr, o, f, "transferred"), []).append((own_date[tr], tr))
    triples: list[Triple] = []
    for (src, o, f, basis), begun in sorted(wanted.items()):
        org = intervals.get(o)
        if org is None:
            continue                                # the holder cannot be placed in time
        bounds = [(org[2], org[3])]
        undated = set(org[4])
        if basis == "inherited":
            decision = intervals.get(assigned_by[src][0])
            if decision is None:
                continue                            # an undated decision: nothing to inherit
            bounds.append((decision[2], decision[3]))
            undated |= set(decision[4])
        day, from_srcs = _bound(begun)
        if org[0] is not None and org[0] >= day:
            day, from_srcs = _bound([(day, s) for s in from_srcs] + [(org[0], s) for s in org[1]], earliest=False)
        until, until_srcs = _bound([(u, s) for u, srcs in bounds if u is not None for s in srcs])
        own = [(intervals[a][0], [a], intervals[a][2], [a]) for a in lists.get(o, ())
               if a in intervals and intervals[a][0] is not None]   # its own list: the days it holds are cut out
        for start, start_srcs, end, end_srcs in _cut(day, from_srcs, until, until_srcs, own):
            h = holding_iri(src, o, start)
            triples += [(h, RDF_TYPE, HOLDING), (h, DERIVED_BY, Lit(RULE)), (h, HOLDER, o), (h, HOLDS, src),
                        (h, VIA, f), (h, BASIS, Lit(basis))]
            triples += [(h, WAS_DERIVED_FROM, s) for s in sorted({src} | {r for _, r in begun})]
            triples += interval_triples(h, start, start_srcs, end, end_srcs,
                                        sorted(undated) if end is None else (), v=h + "-validity")
    return triples


def _cut(day, from_srcs, until, until_srcs, owns):
    """[day, until) less the days the intervals ``owns`` ((from, srcs, until, srcs); until None: open)
    cover: the pieces left, each (from, its sources, until, its sources)."""
    hi = lambda d: _dt.date.max if d is None else d  # noqa: E731
    if hi(until) <= day:
        return []
    merged: list[list] = []
    for f, fs, u, us in sorted(owns, key=lambda x: x[0]):
        if merged and f <= hi(merged[-1][2]):
            last = merged[-1]
            if f == last[0]:
                last[1] = sorted(set(last[1]) | set(fs))
            if hi(u) > hi(last[2]):
                last[2], last[3] = u, list(us)
            elif hi(u) == hi(last[2]):
                last[3] = sorted(set(last[3]) | set(us))
        else:
            merged.append([f, list(fs), u, list(us)])
    pieces, cursor, cursor_srcs = [], day, list(from_srcs)
    for f, fs, u, us in merged:
        if cursor is None or hi(u) <= cursor:
            continue
        if f > cursor:
            end, end_srcs = _bound([(until, s) for s in until_srcs] + [(f, s) for s in fs]) if until is not None \
                else (f, sorted(fs))
            if end > cursor:
                pieces.append((cursor, cursor_srcs, end, end_srcs))
        cursor, cursor_srcs = u, sorted(us)
        if cursor is not None and until is not None and cursor >= until:
            cursor = None
    if cursor is not None and (until is None or cursor < until):
        pieces.append((cursor, cursor_srcs, until, list(until_srcs)))
    return pieces


def holding_iri(src: str, holder: str, day) -> str:
    """A holding is described with its source: <src#held-by-ORG-from-DAY> (ORG: the holder's IRI after id/org/)."""
    org = holder[len(ID + "org/"):] if holder.startswith(ID + "org/") else holder.rsplit("/", 1)[-1]
    return f"{src}#held-by-{org.replace('/', '-')}-from-{day.isoformat()}"


def interval_triples(s: str, day, from_srcs, until=None, until_srcs=(), undated=(), v=None) -> list[Triple]:
    """The stored form of one interval (also written by graph/stores/synth.py, which knows its bounds)."""
    v = v or s + "#validity"
    triples = [(s, VALIDITY, v), (v, RDF_TYPE, INTERVAL), (v, DERIVED_BY, Lit(RULE))]
    if day is not None:
        triples.append((v, VALID_FROM, day))
    if until is not None:
        triples.append((v, VALID_UNTIL, until))
    elif undated:
        triples.append((v, NOT_KNOWN, VALID_UNTIL))
    for src in sorted(set(from_srcs) | set(until_srcs) | set(undated)):
        triples.append((v, WAS_DERIVED_FROM, src))
    return triples


# ---- adapters ------------------------------------------------------------------------------------

def _py(term):
    """An rdflib or pyoxigraph term as derive() reads it: IRI -> str, xsd:date -> date, else None."""
    dtype = getattr(term, "datatype", None)
    if dtype is not None:
        if str(getattr(dtype, "value", dtype)) != XSD_DATE:
            return None
        try:
            return _dt.date.fromisoformat(str(getattr(term, "value", term)))
        except ValueError:
            return None
    if type(term).__name__ in ("URIRef", "NamedNode"):
        return str(getattr(term, "value", term))
    return None


def add_to_graph(g) -> None:
    """Derive on an rdflib Graph and add what the rule derives (after dropping an earlier derivation)."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD
    remove_from_graph(g)

    def pairs(pred):
        for s, o in g.subject_objects(URIRef(pred)):
            s2, o2 = _py(s), _py(o)
            if s2 is not None and o2 is not None:
                yield s2, o2

    def term(x):
        if isinstance(x, Lit):
            return Literal(str(x))
        if isinstance(x, _dt.date):
            return Literal(x.isoformat(), datatype=XSD.date)
        return URIRef(x)
    for s, p, o in derive(pairs):
        g.add((URIRef(s), URIRef(p), term(o)))


def remove_from_graph(g) -> None:
    """Drop an earlier derivation: every node of the classes in ``derived_terms``, and what points at it."""
    from rdflib import URIRef
    for cls in derived_terms:
        for v in list(g.subjects(URIRef(RDF_TYPE), URIRef(cls))):
            g.remove((v, None, None))
            g.remove((None, None, v))


def add_to_store(store) -> None:
    """As add_to_graph, for a pyoxigraph Store."""
    import pyoxigraph as ox
    for cls in derived_terms:
        for q in list(store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls))):
            v = q.subject
            for gone in list(store.quads_for_pattern(v, None, None)) + list(store.quads_for_pattern(None, None, v)):
                store.remove(gone)

    def pairs(pred):
        for q in store.quads_for_pattern(None, ox.NamedNode(pred), None):
            s2, o2 = _py(q.subject), _py(q.object)
            if s2 is not None and o2 is not None:
                yield s2, o2

    def term(x):
        if isinstance(x, Lit):
            return ox.Literal(str(x))
        if isinstance(x, _dt.date):
            return ox.Literal(x.isoformat(), datatype=ox.NamedNode(XSD_DATE))
        return ox.NamedNode(x)
    store.extend([ox.Quad(ox.NamedNode(s), ox.NamedNode(p), term(o)) for s, p, o in derive(pairs)])
