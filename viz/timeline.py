"""When things hold, by the validity rule docs/data-model.md documents.

A decision is in force from its date until the date of the decision that replaces it; an
organisation exists from its founding (or the change event that results in it) until an
event of which it is an original and not a resulting organisation; an assignment holds
while both its decision is in force and its assignee exists. An organisation formed from
another holds its predecessor's list, and one that received a transfer holds the transferred
function, until a list of its own is in force — the same rule as queries/mandate-at.rq, which
a test holds this module to. The mandate view draws these intervals.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from tttt_kg.graph.namespaces import ELI, M8G, ORG, SCHEMA, TKG

Interval = tuple[dt.date, "dt.date | None"]   # end None: still holds


def _date(value) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def decision_date(g: Graph, decision) -> dt.date | None:
    return _date(g.value(decision, ELI.date_document))


def in_force(g: Graph, decision) -> Interval | None:
    """[date, date of the first replacing decision) or None if the decision has no date."""
    start = decision_date(g, decision)
    if start is None:
        return None
    replacers = set(g.subjects(DCTERMS.replaces, decision)) | set(g.objects(decision, DCTERMS.isReplacedBy))
    ends = sorted(d for d in (decision_date(g, r) for r in replacers) if d is not None)
    return start, (ends[0] if ends else None)


def event_date(g: Graph, event) -> dt.date | None:
    """The event's own date, else the date of the decision behind it."""
    own = _date(g.value(event, DCTERMS.date))
    if own is not None:
        return own
    framework = g.value(event, M8G.hasFormalFramework)
    return decision_date(g, framework) if framework is not None else None


def existence(g: Graph, org) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) of an organisation; None where the graph does not say."""
    starts = [_date(g.value(org, SCHEMA.foundingDate))]
    ends = []
    # only the change events that name ``org`` (an index look-up, not a scan of every event)
    named = set(g.subjects(ORG.resultingOrganization, org)) | set(g.subjects(ORG.originalOrganization, org))
    for event in named:
        if (event, RDF.type, ORG.ChangeEvent) not in g:
            continue
        originals = set(g.objects(event, ORG.originalOrganization))
        results = set(g.objects(event, ORG.resultingOrganization))
        if org in results and org not in originals:
            starts.append(event_date(g, event))
        if org in originals and org not in results:
            ends.append(event_date(g, event))
    starts = [d for d in starts if d is not None]
    ends = [d for d in ends if d is not None]
    return (min(starts) if starts else None), (min(ends) if ends else None)


def successions(g: Graph, org) -> list[tuple[dt.date, object]]:
    """(date, successor) for each change event that turned ``org`` into another organisation."""
    out = []
    for event in g.subjects(ORG.originalOrganization, org):
        date = event_date(g, event)
        for successor in g.objects(event, ORG.resultingOrganization):
            if successor != org and date is not None:
                out.append((date, successor))
    return out


def own_list_from(g: Graph, org) -> dt.date | None:
    """The first day a decision assigning functions to ``org`` is in force."""
    dates = [decision_date(g, g.value(a, TKG.assignedBy)) for a in g.subjects(TKG.assignee, org)]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None


def _intersect(a: Interval, org_span) -> Interval | None:
    start, end = a
    org_start, org_end = org_span
    if org_start is not None and org_start > start:
        start = org_start
    if org_end is not None and (end is None or org_end < end):
        end = org_end
    if end is not None and end <= start:
        return None
    return start, end


def union(intervals: list[Interval]) -> list[Interval]:
    """Overlapping or touching intervals merged, in date order."""
    merged: list[list] = []
    for start, end in sorted(intervals, key=lambda i: i[0]):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            if merged[-1][1] is not None and (end is None or end > merged[-1][1]):
                merged[-1][1] = end
            continue
        merged.append([start, end])
    return [(s, e) for s, e in merged]


@dataclass
class FunctionSpan:
    """When a function was part of the mandate, and how it came in."""
    function: object
    intervals: list[Interval]
    decisions: list = field(default_factory=list)       # assigning decisions, by date
    donors: list = field(default_factory=list)          # (transfer, from-organisation, date)

    @property
    def entered(self) -> dt.date:
        return self.intervals[0][0]

    @property
    def left(self) -> dt.date | None:
        return self.intervals[-1][1]


def function_spans(g: Graph) -> dict:
    """function concept → FunctionSpan, from every assignment and transfer in the graph."""
    raw: dict = {}
    decisions: dict = {}
    donors: dict = {}
    # each decision, organisation and successor is looked up once, however many assignments name it
    force_of = _memo(lambda d: in_force(g, d) if d is not None else None)
    exists = _memo(lambda o: existence(g, o))
    own_from = _memo(lambda o: own_list_from(g, o))
    date_of = _memo(lambda d: decision_date(g, d))
    assignments = list(g.subjects(RDF.type, TKG.FunctionAssignment))
    for assignment in assignments:
        decision = g.value(assignment, TKG.assignedBy)
        assignee = g.value(assignment, TKG.assignee)
        force = force_of(decision)
        if force is None:
            continue
        span = _intersect(force, exists(assignee)) if assignee is not None else force
        for fn in g.objects(assignment, TKG.function):
            decisions.setdefault(fn, set()).add(decision)
            if span is not None:
                raw.setdefault(fn, []).append(span)
    for assignment in assignments:
        # an organisation formed from the assignee (Sở BCVT → Sở TTTT) holds its list until its own is in force
        for start, successor in successions(g, g.value(assignment, TKG.assignee)):
            force = force_of(g.value(assignment, TKG.assignedBy))
            if force is None or (force[1] is not None and force[1] <= start):
                continue
            own = own_from(successor)
            end = min(d for d in (force[1], own) if d is not None) if (force[1] or own) else None
            span = _intersect((start, end), exists(successor)) if end is None or end > start else None
            for fn in g.objects(assignment, TKG.function):
                if span is not None:
                    raw.setdefault(fn, []).append(span)
    for transfer in g.subjects(RDF.type, TKG.FunctionTransfer):
        date = _date(g.value(transfer, DCTERMS.date))
        recipient = g.value(transfer, TKG.transferredTo)
        if date is None:
            continue
        span = _intersect((date, None), exists(recipient)) if recipient is not None else (date, None)
        for fn in g.objects(transfer, TKG.function):
            donors.setdefault(fn, []).append((transfer, g.value(transfer, TKG.transferredFrom), date))
            if span is not None:
                # the transfer brings the function in; it stays while a later assignment keeps it
                later = sorted(s for s, _ in raw.get(fn, []) if s >= date)
                end = later[0] if later else span[1]
                raw.setdefault(fn, []).append((date, end))
    spans = {}
    for fn, intervals in raw.items():
        spans[fn] = FunctionSpan(
            fn, union(intervals),
            sorted(decisions.get(fn, ()), key=lambda d: (date_of(d) or dt.date.min, str(d))),
            sorted(donors.get(fn, []), key=lambda t: (t[2], str(t[0]))))
    return spans


def _memo(fn):
    """fn with its answers kept for the length of one computation (the graph does not change meanwhile)."""
    cache: dict = {}

    def get(key):
        if key not in cache:
            cache[key] = fn(key)
        return cache[key]
    return get
