"""The graph as a plain networkx network, for analysis and for Gephi (GraphML, GEXF).

Nodes are the resources the explorer draws (every typed resource except provenance
selectors and ontology terms), with scalar attributes only (label, class, date, IRI),
because GraphML and GEXF carry nothing else; edges are the links between them, keyed by
predicate, so two resources joined by two properties keep both.
"""
from __future__ import annotations

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF

from . import describe
from .describe import compact

NETWORK_FORMATS = {"graphml": "graphml", "gexf": "gexf"}


class EmptyNetworkError(ValueError):
    """Nothing to analyse or export."""


def to_networkx(g: Graph, lang: str = "vi", links=None) -> nx.MultiDiGraph:
    """Resources → nodes (label, cls, date, iri), resource-to-resource triples → edges (predicate).
    ``links``: the triples to take edges from, if not all of ``g``'s (a store's: fromstore.STATS_LINKS)."""
    G = nx.MultiDiGraph()
    nodes = drawn_nodes(g)
    for n in sorted(nodes, key=str):
        G.add_node(compact(n), label=describe.label(g, n, lang), cls=describe.node_class(g, n),
                   date=describe.node_date(g, n) or "", iri=str(n))
    for s, p, o in sorted(g if links is None else links, key=lambda t: tuple(map(str, t))):
        if s in nodes and o in nodes and p != RDF.type and s != o:
            G.add_edge(compact(s), compact(o), key=compact(p), predicate=compact(p))
    return G


def drawn_nodes(g: Graph) -> set:
    """The resources that become nodes: typed, and of a class the views draw (describe.node_class)."""
    return {s for s in g.subjects(RDF.type, None) if describe.node_class(g, s) is not None}


def serialise_network(g: Graph, fmt: str, lang: str = "vi") -> bytes:
    """GraphML or GEXF bytes (UTF-8), for Gephi, Cytoscape or networkx itself."""
    if fmt not in NETWORK_FORMATS:
        raise ValueError(f"unknown network format '{fmt}'; choose one of {', '.join(NETWORK_FORMATS)}")
    G = to_networkx(g, lang)
    if G.number_of_nodes() == 0:
        raise EmptyNetworkError("the graph has no typed resource to export; build it with `tttt-kg build`")
    lines = nx.generate_graphml(G) if fmt == "graphml" else nx.generate_gexf(G)
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_network(g: Graph, fmt: str, output, lang: str = "vi") -> None:
    """Write to ``output`` atomically, or to stdout when it is None or '-'."""
    import sys

    from tttt_kg.graph.atomic import write_bytes_atomic
    data = serialise_network(g, fmt, lang)
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_bytes_atomic(output, data)
