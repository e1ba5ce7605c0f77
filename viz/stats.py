"""Network analysis of the graph: what there is, what is central, what lasted longest.

Counts per class come from rdf:type over the whole graph. Centrality is measured on the
network of ``network.to_networkx`` without the source document and the SKOS concept
schemes, which are linked to everything by construction and would otherwise top every
list. Lineage chains follow change events from original to resulting organisation.
"""
from __future__ import annotations

from collections import Counter

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF

from tttt_kg.graph.namespaces import ORG, TKG

from . import describe
from .describe import compact
from .network import EmptyNetworkError, to_networkx

HUB_CLASSES = ("source", "scheme")


def class_counts(g: Graph) -> dict[str, int]:
    return ranked(Counter(compact(t) for t in g.objects(None, RDF.type)))


def ranked(counts: Counter) -> dict[str, int]:
    """Counts per class, largest first, ties by name (a store's counts too: fromstore.store_totals)."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


EXACT_UP_TO = 2000     # nodes; exact betweenness is O(nodes x edges): 3 min at 100k triples (5,600 nodes)
SAMPLE_WORK = 5_000_000   # sources x edges of an estimate: about 5-10 s on this 2-CPU machine


def central_nodes(G: nx.MultiDiGraph, top: int = 10, sources: int | None = None) -> tuple[list[dict], dict]:
    """Betweenness (and degree) centrality on the undirected simple network, hubs left out.

    Exact up to EXACT_UP_TO nodes; above that (or with ``sources``) estimated from that many
    shortest-path sources drawn with a fixed seed (networkx's ``k``), so the same graph always gives
    the same ranking. Also returns how it was computed.
    """
    # sorted: networkx samples sources by the node order, and the order of a graph read from a file need not
    # be that of one copied out of a store; the same graph must give the same estimate
    keep = sorted(n for n, a in G.nodes(data=True) if a.get("cls") not in HUB_CLASSES)
    kept = set(keep)
    U = nx.Graph()   # built here, not as nx.Graph(G.subgraph(keep).to_undirected()): that copied every
    U.add_nodes_from(keep)   # edge's data into a MultiGraph first (+110 MB at 1M triples)
    U.add_edges_from((u, v) for u, v in G.edges() if u in kept and v in kept)
    n = U.number_of_nodes()
    if n == 0:
        return [], {"exact": True, "sources": 0}
    if sources is None and n > EXACT_UP_TO:
        sources = max(32, SAMPLE_WORK // max(1, U.number_of_edges()))
    if sources is not None and sources < n:
        between = nx.betweenness_centrality(U, k=sources, seed=0)
        method = {"exact": False, "sources": sources}
    else:
        between = nx.betweenness_centrality(U)
        method = {"exact": True, "sources": n}
    degree = nx.degree_centrality(U)
    ranked = sorted(U, key=lambda v: (-between[v], -degree[v], v))[:top]
    return [{"id": v, "label": G.nodes[v]["label"], "class": G.nodes[v]["cls"],
             "betweenness": round(between[v], 4), "degree": U.degree(v)} for v in ranked], method


def functions_by_decisions(g: Graph, lang: str) -> list[dict]:
    """Each function with the decisions that assign it, most-assigned first."""
    decisions: dict = {}
    for a in g.subjects(RDF.type, TKG.FunctionAssignment):
        d = g.value(a, TKG.assignedBy)
        for fn in g.objects(a, TKG.function):
            if d is not None:
                decisions.setdefault(fn, set()).add(d)
    rows = [{"id": compact(fn), "label": describe.label(g, fn, lang), "decisions": len(ds),
             "numbers": sorted(describe.short_label(g, d, lang) for d in ds)} for fn, ds in decisions.items()]
    return sorted(rows, key=lambda r: (-r["decisions"], r["label"]))


def longest_lineage(g: Graph, lang: str, limit: int = 20) -> list[list[dict]]:
    """The longest chains original → resulting organisation through change events (all ties, up to ``limit``)."""
    L = nx.DiGraph()
    for event in sorted(g.subjects(RDF.type, ORG.ChangeEvent), key=str):   # sorted: same answer every run
        for o in sorted(g.objects(event, ORG.originalOrganization), key=str):
            for r in sorted(g.objects(event, ORG.resultingOrganization), key=str):
                if o != r:
                    L.add_edge(o, r, event=event)
    if L.number_of_nodes() == 0:
        return []
    if not nx.is_directed_acyclic_graph(L):       # a cycle of renamings would make "longest" endless
        L = nx.DiGraph((u, v, d) for u, v, d in L.edges(data=True) if not nx.has_path(L, v, u))
    order = list(nx.lexicographical_topological_sort(L, key=str))
    depth = {}
    for n in order:
        depth[n] = 1 + max((depth[p] for p in L.predecessors(n)), default=0)
    best = max(depth.values())

    def back(n):
        if depth[n] == 1:
            yield [n]
            return
        for p in sorted(L.predecessors(n), key=str):
            if depth[p] == depth[n] - 1:
                for path in back(p):
                    yield path + [n]

    chains = []
    for end in (n for n in order if depth[n] == best):
        for path in back(end):
            chains.append(path)
            if len(chains) >= limit:
                break
    out = []
    for path in chains[:limit]:
        steps = []
        for i, node in enumerate(path):
            step = {"id": compact(node), "label": describe.label(g, node, lang)}
            if i > 0:
                step["by"] = describe.label(g, L.edges[path[i - 1], node]["event"], lang)
            steps.append(step)
        out.append(steps)
    return out


def summary(g: Graph, lang: str = "vi", top: int = 10, sources: int | None = None) -> dict:
    """Everything `tttt-kg stats` prints, as one JSON-ready dictionary (``sources``: see central_nodes).
    For a store, fromstore.stats_summary gives the same summary and copies out only what it needs."""
    if len(g) == 0:
        raise EmptyNetworkError("the graph is empty (no triples); build it with `tttt-kg build` or pass --graph FILE")
    return report(to_networkx(g, lang), top, sources, len(g), class_counts(g),
                  functions_by_decisions(g, lang), longest_lineage(g, lang))


def report(G: nx.MultiDiGraph, top: int, sources: int | None, triples: int, classes: dict[str, int],
           functions: list[dict], lineage: list[list[dict]]) -> dict:
    """The summary from its parts: the network's figures are computed here, from G alone."""
    central, method = central_nodes(G, top, sources)
    return {
        "triples": triples,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "classes": classes,
        "central": central,
        "betweenness": method,
        "functions_by_decisions": functions,
        "longest_lineage": lineage,
    }


def as_text(s: dict) -> str:
    """The summary for a terminal."""
    lines = [f"{s['triples']} triples; network of {s['nodes']} nodes and {s['edges']} edges", "", "classes:"]
    lines += [f"  {n:6d}  {c}" for c, n in s["classes"].items()]
    method = s["betweenness"]
    how = "exact" if method["exact"] else f"estimated from {method['sources']} sampled sources"
    lines += ["", f"most central (betweenness, {how}; without source document and concept schemes):"]
    lines += [f"  {r['betweenness']:.4f}  deg {r['degree']:3d}  {r['label']}  [{r['class']}]" for r in s["central"]]
    lines += ["", "functions by number of decisions:"]
    lines += [f"  {r['decisions']}  {r['label']}  ({', '.join(r['numbers'])})" for r in s["functions_by_decisions"]]
    chains = s["longest_lineage"]
    size = len(chains[0]) if chains else 0
    lines += ["", f"longest lineage chain: {size} organisations ({len(chains)} chain(s) of that length)"]
    for chain in chains:
        lines.append("  " + " → ".join(step["label"] for step in chain))
        lines += [f"      {step['by']}" for step in chain if "by" in step]
    return "\n".join(lines) + "\n"
