"""The graph → one networkx graph per view: which resources and links each page shows.

Nodes are keyed by compact IRI (id:org/…) and carry the attributes of
``describe.node_attributes``; timeline views add ``when`` (ISO date, the x axis) and
``row`` (the y order), the other views are laid out by ``layout``. Edges carry ``label``
(drawn) and ``rel`` (the predicate, in the tooltip).
"""
from __future__ import annotations

import datetime as dt

import networkx as nx
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from tttt_kg.graph.namespaces import ELI, M8G, ORG, TKG

from . import describe, timeline
from .describe import WORDS, compact

VIEW_TITLES = {
    "mandate": ("Nhiệm vụ của Sở qua các quyết định", "How the mandate grew, decision by decision"),
    "lineage": ("Phả hệ cơ quan và phòng chuyên môn", "Organisation and unit lineage"),
    "decisions": ("Mạng lưới văn bản", "Decision network"),
    "explorer": ("Khám phá toàn bộ đồ thị", "Explorer: the whole graph"),
}


# The explorer draws every resource; past this many a browser gets a page it cannot use (vis-network
# draws 5,000 nodes in about 2 s, 10,000 in about 5 s, a national graph has hundreds of thousands).
EXPLORER_LIMIT = 10_000


class EmptyGraphError(ValueError):
    """The graph holds nothing a view can draw."""


class TooLargeError(ValueError):
    """More resources than a view will draw."""

    def __init__(self, count: int, limit: int):
        super().__init__(f"{count} resources, more than the limit of {limit}")
        self.count, self.limit = count, limit


def title(view: str, lang: str) -> str:
    vi, en = VIEW_TITLES[view]
    return vi if lang == "vi" else en


def _add(G: nx.DiGraph, g: Graph, node, lang: str, **extra) -> str:
    key = compact(node)
    if "label" not in G.nodes.get(key, {}):
        lines = extra.pop("lines", None)
        G.add_node(key, **describe.node_attributes(g, node, lang, lines), **extra)
    else:
        extra.pop("lines", None)
        G.nodes[key].update(extra)
    return key


def _edge(G: nx.DiGraph, a: str, b: str, rel: str, label: str = "", **extra) -> None:
    if a != b:
        G.add_edge(a, b, rel=rel, label=label, **extra)


def _fmt(d: dt.date | None, lang: str) -> str:
    if d is None:
        return WORDS[lang]["still"]
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def mandate(g: Graph, lang: str = "vi") -> nx.DiGraph:
    """Decisions on a time axis, each function at the date it entered, donors of transfers."""
    words = WORDS[lang]
    G = nx.DiGraph(view="mandate")
    spans = timeline.function_spans(g)
    decisions = set()
    for span in spans.values():
        decisions.update(span.decisions)
    for transfer in g.subjects(RDF.type, TKG.FunctionTransfer):
        by = g.value(transfer, TKG.transferredBy)
        if by is not None:
            decisions.add(by)
    dated = sorted((timeline.decision_date(g, d), str(d), d) for d in decisions if timeline.decision_date(g, d))
    for i, (_, _, d) in enumerate(dated):
        # alternate two rows so decisions a few months apart (22/2008, 53/2008) do not overlap
        _add(G, g, d, lang, when=timeline.decision_date(g, d).isoformat(), row=-3 - (i % 2) * 1.2, role="decision")
    # the count on each decision is what shows the growth at a glance: 8 → 14 → 13 functions
    per_decision: dict = {}
    for span in spans.values():
        for d in span.decisions:
            per_decision.setdefault(compact(d), set()).add(span.function)
    # counted apart: the items the decision lists, and the canonical functions they map to (an item may
    # name several: 53/2008 lists 11 items covering 16 functions)
    for key, fns in per_decision.items():
        items = {a for a in g.subjects(TKG.assignedBy, _resolve(g, key)) if (a, RDF.type, TKG.FunctionAssignment) in g}
        G.nodes[key]["label"] += f"\n{len(items)} {words['items']} · {len(fns)} {words['functions']}"
        G.nodes[key]["title"] += "\n" + (
            f"{len(items)} mục trong quyết định, ứng với {len(fns)} lĩnh vực chuẩn (một mục có thể gồm nhiều lĩnh vực)"
            if lang == "vi" else
            f"{len(items)} items in the decision, covering {len(fns)} canonical functions (an item may cover several)")
    for a, b in ((x, y) for x in decisions for y in g.objects(x, DCTERMS.replaces) if y in decisions):
        _edge(G, compact(a), compact(b), "dct:replaces", words["replaces"])
    order = sorted(spans.values(), key=lambda s: (s.entered, describe.label(g, s.function, lang)))
    donors_seen: dict = {}
    for row, span in enumerate(order):
        left = span.left
        gaps = "; ".join(f"{_fmt(s, lang)} → {_fmt(e, lang)}" for s, e in span.intervals)
        lines = [f"{words['entered']}: {_fmt(span.entered, lang)}"]
        if left is not None:
            lines.append(f"{words['left']}: {_fmt(left, lang)}")
        lines.append(gaps)
        lines.append(f"{words['decisions']}: " + ", ".join(describe.short_label(g, d, lang) for d in span.decisions))
        for transfer, donor, date in span.donors:
            lines.append(f"{words['from']}: {describe.label(g, donor, lang)} ({_fmt(date, lang)})")
        name = describe.label(g, span.function, lang)
        mark = f"{span.entered.year}–" + (f"{left.year}" if left is not None else "")
        key = _add(G, g, span.function, lang, lines=lines, when=span.entered.isoformat(), row=row,
                   role="function", status="left" if left is not None else "held",
                   intervals=[[s.isoformat(), e.isoformat() if e else ""] for s, e in span.intervals])
        G.nodes[key]["label"] = f"{name} · {mark}"     # one line: one row per function
        for d in span.decisions:   # drawn when either end is selected: the decisions' lines mark the dates
            _edge(G, compact(d), key, "tkg:assignedBy", "", quiet=True)
        for transfer, donor, date in span.donors:
            if donor is None:
                continue
            donor_row = donors_seen.setdefault(donor, len(donors_seen))   # rows in order of first appearance
            dkey = _add(G, g, donor, lang, when=date.isoformat(), row=-5.5 - donor_row * 1.2,
                        role="donor")
            _edge(G, dkey, key, "tkg:transferredFrom", f"{words['transferred']} {_fmt(date, lang)}", quiet=True,
                  **transfer_style(g, {describe.certainty(g, transfer)}))
    if not any(G.nodes[n].get("role") == "function" for n in G):
        raise EmptyGraphError("the graph assigns no function (no tkg:FunctionAssignment with a dated "
                              "decision); build it from the records or pass a graph that has them")
    return G


def lineage(g: Graph, lang: str = "vi") -> nx.DiGraph:
    """Organisations and units joined by change events, transfers and unit membership."""
    words = WORDS[lang]
    G = nx.DiGraph(view="lineage")
    orgs: dict = {}

    def when_of(org):
        start, _ = timeline.existence(g, org)
        listed = [timeline.decision_date(g, d) for d in g.objects(org, TKG.listedIn)]
        listed = [d for d in listed if d is not None]
        return start or (min(listed) if listed else None)

    for event in g.subjects(RDF.type, ORG.ChangeEvent):
        originals = list(g.objects(event, ORG.originalOrganization))
        results = list(g.objects(event, ORG.resultingOrganization))
        date = timeline.event_date(g, event)
        change = g.value(event, TKG.changeType)
        change_label = describe.label(g, change, lang) if change is not None else ""
        for o in originals + results:
            orgs[o] = None
        for o in originals:
            for r in results:
                if o != r:
                    text = change_label + (f" {_fmt(date, lang)}" if date else "")
                    G.add_edge(compact(o), compact(r), rel="org:ChangeEvent", label=text,
                               title=describe.label(g, event, lang))
    # several transfers between the same two bodies (2025: two decisions, one donor, one recipient)
    # are one edge, with all their functions: an edge per pair, or the last transfer read would win
    # (drawn by the certainty of the least certain of them: solid only when every one is stated)
    between: dict[tuple, tuple[set, set, set]] = {}
    for transfer in g.subjects(RDF.type, TKG.FunctionTransfer):
        donor, recipient = g.value(transfer, TKG.transferredFrom), g.value(transfer, TKG.transferredTo)
        if donor is None or recipient is None:
            continue
        orgs[donor] = orgs[recipient] = None
        fns, titles, sure = between.setdefault((compact(donor), compact(recipient)), (set(), set(), set()))
        fns.update(describe.label(g, f, lang) for f in g.objects(transfer, TKG.function))
        line = describe.certainty_line(g, transfer, lang)
        titles.add(describe.label(g, transfer, lang) + (f" ({line})" if line else ""))
        sure.add(describe.certainty(g, transfer))
    for (donor, recipient), (fns, titles, sure) in sorted(between.items()):
        G.add_edge(donor, recipient, rel="tkg:FunctionTransfer", label=f"{words['transferred']}: {', '.join(sorted(fns))}",
                   title="\n".join(sorted(titles)), **transfer_style(g, sure))
    for unit in g.subjects(RDF.type, ORG.OrganizationalUnit):
        orgs[unit] = None
        parent = g.value(unit, ORG.unitOf)
        if parent is not None:
            orgs[parent] = None
            G.add_edge(compact(unit), compact(parent), rel="org:unitOf", label="", dashes=[2, 4], quiet=True)
    if not orgs:
        raise EmptyGraphError("the graph has no change event, transfer or unit to draw a lineage from")
    linked: dict = {}     # organisation → dates of the transfers and change events it takes part in
    for transfer in g.subjects(RDF.type, TKG.FunctionTransfer):
        date = timeline._date(g.value(transfer, DCTERMS.date))
        for o in (g.value(transfer, TKG.transferredFrom), g.value(transfer, TKG.transferredTo)):
            if date and o is not None:
                linked.setdefault(o, []).append(date)
    for event in g.subjects(RDF.type, ORG.ChangeEvent):
        date = timeline.event_date(g, event)
        for o in (*g.objects(event, ORG.originalOrganization), *g.objects(event, ORG.resultingOrganization)):
            if date:
                linked.setdefault(o, []).append(date)
    # x: the date the organisation begins (or is first listed); organisations without one sit
    # just before the earliest thing they lead to.
    known = {o: when_of(o) for o in orgs}
    for o in orgs:
        _add(G, g, o, lang, role="unit" if (o, RDF.type, ORG.OrganizationalUnit) in g else "organisation")
    # (position only: the tooltip shows no date the graph does not state)
    fallback = min((d for d in known.values() if d), default=dt.date(2004, 1, 1))
    year = dt.timedelta(days=365)
    # a date spreads along the links, one pass at a time, until a pass dates nothing new
    undated = sorted((o for o, d in known.items() if d is None), key=str)
    changed = True
    while undated and changed:
        changed = False
        for o in undated:
            if known[o] is not None:
                continue
            parent = g.value(o, ORG.unitOf)
            if parent is not None and known.get(parent):    # a unit begins with its organisation at the earliest
                known[o] = known[parent]
                changed = True
                continue
            before = [known.get(_resolve(g, n)) for n in G.successors(compact(o))]
            after = [known.get(_resolve(g, n)) for n in G.predecessors(compact(o))]
            before, after = [x for x in before if x], [x for x in after if x]
            if not before and not after:    # between undated bodies: the date of the transfer or event itself
                before = linked.get(o, [])
            if before or after:
                known[o] = min(before) - year if before else max(after) + year
                changed = True
        undated = [o for o in undated if known[o] is None]
    for o, d in known.items():
        G.nodes[compact(o)]["when"] = (d or fallback).isoformat()
        spans = _lifespans(g, o)
        if spans:   # drawn as bars: how long each organisation or unit existed (open: still exists)
            G.nodes[compact(o)]["intervals"] = [[a.isoformat(), b.isoformat() if b else ""] for a, b in spans]
    rows = sorted(G.nodes, key=lambda n: (G.nodes[n]["role"] == "unit", G.nodes[n]["when"], G.nodes[n]["label"]))
    for i, n in enumerate(rows):
        G.nodes[n]["row"] = i
    return G


def transfer_style(g: Graph, certainties: set) -> dict:
    """A transfer edge's certainty: the least certain of ``certainties`` (codes; 'stated' for the seed's),
    with its name in both languages for the legend (render.py draws it solid only when stated)."""
    from rdflib import URIRef

    from tttt_kg.graph.pages import CERTAINTY_RANKS
    key = min(certainties, key=lambda c: (CERTAINTY_RANKS.get(c, 0), c))
    concept = URIRef(describe.CERTAINTY_BASE + key)
    names = {lang: describe.label(g, concept, lang) for lang in describe.LANGS}
    if any(name == compact(concept) for name in names.values()):     # the scheme is not in the graph
        names = {"vi": key, "en": key}
    return {"certainty": key, "certainty_rank": CERTAINTY_RANKS.get(key, 0), "certainty_names": names}


def _lifespans(g: Graph, org) -> list:
    """A unit exists while a decision listing it is in force and its organisation exists; an organisation
    from its start to its end."""
    if (org, RDF.type, ORG.OrganizationalUnit) in g:
        spans = timeline.union([s for s in (timeline.in_force(g, d) for d in g.objects(org, TKG.listedIn)) if s])
        parent = g.value(org, ORG.unitOf)       # and its organisation has not ceased (as queries/units-at.rq)
        if parent is not None:
            spans = [s for s in (timeline._intersect(s, timeline.existence(g, parent)) for s in spans) if s]
        return spans
    start, end = timeline.existence(g, org)
    return [(start, end)] if start is not None else []


def _resolve(g: Graph, key: str):
    from rdflib import URIRef
    from tttt_kg.graph.namespaces import PREFIXES
    prefix, local = key.split(":", 1)
    return URIRef(str(PREFIXES[prefix]) + local) if prefix in PREFIXES else URIRef(key)


def decision_network(g: Graph, lang: str = "vi") -> nx.DiGraph:
    """Decisions, laws and Party documents, their issuers and regulated bodies, their subjects."""
    words = WORDS[lang]
    G = nx.DiGraph(view="decisions")
    docs = set(g.subjects(RDF.type, ELI.LegalResource))
    if not docs:
        raise EmptyGraphError("the graph has no document (eli:LegalResource) to draw")
    for d in docs:
        _add(G, g, d, lang)
    links = ((ELI.passed_by, "eli:passed_by", False), (TKG.regulates, "tkg:regulates", False),
             (DCTERMS.replaces, "dct:replaces", True), (ELI.amends, "eli:amends", True),
             (ELI.based_on, "eli:based_on", True), (DCTERMS.subject, "dct:subject", False))
    for d in docs:
        for prop, rel, doc_only in links:
            for o in g.objects(d, prop):
                if doc_only and o not in docs:
                    continue
                _edge(G, compact(d), _add(G, g, o, lang), rel, words["replaces"] if rel == "dct:replaces" else "")
    subjects = {o for d in docs for o in g.objects(d, DCTERMS.subject)}
    for a in g.subjects(RDF.type, TKG.FunctionAssignment):
        decision = g.value(a, TKG.assignedBy)
        for fn in g.objects(a, TKG.function):
            if fn in subjects and decision in docs:
                _edge(G, compact(decision), compact(fn), "tkg:assignedBy", words["assigns"])
    for t in g.subjects(RDF.type, TKG.FunctionTransfer):
        by = g.value(t, TKG.transferredBy)
        for prop in (TKG.transferredFrom, TKG.transferredTo):
            o = g.value(t, prop)
            if by in docs and o is not None:
                _edge(G, compact(by), _add(G, g, o, lang), "tkg:FunctionTransfer", words["transferred"],
                      **transfer_style(g, {describe.certainty(g, t)}))
    for e in g.subjects(RDF.type, ORG.ChangeEvent):
        by = g.value(e, M8G.hasFormalFramework)
        if by in docs:
            for o in g.objects(e, ORG.resultingOrganization):
                _edge(G, compact(by), _add(G, g, o, lang), "m8g:hasFormalFramework", "")
    return G


def drawable(g: Graph) -> set:
    """The resources the explorer draws: typed, and neither provenance selectors nor ontology terms."""
    return {s for s in g.subjects(RDF.type, None) if describe.node_class(g, s) is not None}


def explorer(g: Graph, lang: str = "vi", limit: int | None = EXPLORER_LIMIT) -> nx.DiGraph:
    """Every resource of the data (not provenance selectors, not ontology terms), every link between them.

    Raises TooLargeError past ``limit`` resources (None or 0: no limit)."""
    G = nx.DiGraph(view="explorer")
    nodes = drawable(g)
    if not nodes:
        raise EmptyGraphError("the graph is empty: no typed resource to draw; build it with `tttt-kg build`")
    if limit and len(nodes) > limit:
        raise TooLargeError(len(nodes), limit)
    for n in sorted(nodes, key=str):
        _add(G, g, n, lang)
    # one edge per pair of resources: of several predicates joining them, the first in sorted order
    # names it (not the order the triples happen to come in)
    links = sorted((compact(s), compact(o), compact(p)) for s, p, o in g
                   if s in nodes and o in nodes and p != RDF.type and s != o)
    for s, o, p in links:
        if not G.has_edge(s, o):
            G.add_edge(s, o, rel=p, label="")
    return G


VIEWS = {"mandate": mandate, "lineage": lineage, "decisions": decision_network, "explorer": explorer}
