"""Copy out of a store only the triples the views read, into an rdflib graph.

Most of a large graph is provenance: every assignment and every wording cites its span of
the source through an oa:SpecificResource and an oa:TextPositionSelector (about 40 % of
the triples), plus the wordings themselves, search keys and SKOS mappings. The mandate,
lineage and decisions views draw none of those: they read types, labels, dates, the links
between documents, organisations, functions and assignments, and, for the tooltips of the
nodes they draw, the citation (source file, SHA-256, [start, end) offsets). The CONSTRUCTs
below select exactly that on the store's own engine (about 27 % of the graph at 1M triples),
and their triples go straight into an rdflib graph.

The explorer draws every resource and every link: it counts them in the store, and when
it is to be drawn (up to ``views.EXPLORER_LIMIT`` resources) it asks for the whole graph.
"""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef

from tttt_kg.graph.prefixes import PREFIX_IRIS

from .describe import HIDDEN_TYPES

PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIX_IRIS.items())

# resources no view but the explorer draws, and what they cite their source with
PROVENANCE = "oa:SpecificResource oa:TextPositionSelector"
NOT_DRAWN = "tkg:FunctionAssignment tkg:DecisionWording " + PROVENANCE

# what describe.py (label, dates, decisions, search keys), timeline.py and views.py read of a node
FACTS = """skos:prefLabel eli:id_local skos:altLabel
  eli:date_document dct:date schema:foundingDate
  tkg:assignedBy m8g:hasFormalFramework tkg:transferredBy tkg:listedIn
  dct:replaces dct:isReplacedBy org:originalOrganization org:resultingOrganization tkg:changeType
  tkg:function tkg:transferredFrom tkg:transferredTo org:unitOf
  eli:passed_by tkg:regulates eli:amends eli:based_on dct:subject
  tkg:fileName tkg:sha256 tkg:certainty"""

_HIDDEN = " ".join(f"<{t}>" for t in sorted(HIDDEN_TYPES))   # what no view draws as a node


def _rdfs_labels(hidden: str | None) -> str:
    """rdfs:label of the resources of none of the ``hidden`` types (of all if None), read
    (describe.label) only where there is no skos:prefLabel."""
    skip = f"MINUS {{ ?s a ?hidden . VALUES ?hidden {{ {hidden} }} }}" if hidden else ""
    return f"""CONSTRUCT {{ ?s rdfs:label ?o }} WHERE {{
  ?s rdfs:label ?o . {skip}
  MINUS {{ ?s skos:prefLabel ?preferred FILTER(isLiteral(?preferred)) }}
}}"""


QUERIES = {
    # the types of what the views draw and of the assignments (the time line reads those);
    # the explorer counts what it would draw in the store instead (ViewGraph.drawable_count)
    "types": f"""CONSTRUCT {{ ?s a ?t }} WHERE {{
  ?s a ?t .
  MINUS {{ ?s a ?hidden . VALUES ?hidden {{ tkg:DecisionWording {PROVENANCE} }} }}
}}""",
    # the facts of the resources the views draw
    "facts": f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  VALUES ?p {{ {FACTS} }}
  ?s ?p ?o .
  MINUS {{ ?s a ?hidden . VALUES ?hidden {{ {NOT_DRAWN} }} }}
}}""",
    "labels": _rdfs_labels(NOT_DRAWN),
    # of an assignment, only what the time line reads: who, by which decision, which function
    "assignments": """CONSTRUCT { ?a ?p ?o } WHERE {
  VALUES ?p { tkg:assignedBy tkg:assignee tkg:function tkg:certainty }
  ?a a tkg:FunctionAssignment ; ?p ?o .
}""",
    # the source citation in the tooltips: node → specific resource → source, selector → offsets
    "citations": f"""CONSTRUCT {{
  ?s prov:wasDerivedFrom ?sr . ?sr oa:hasSource ?source ; oa:hasSelector ?sel .
  ?sel oa:start ?start ; oa:end ?end .
}} WHERE {{
  ?s prov:wasDerivedFrom ?sr .
  MINUS {{ ?s a ?hidden . VALUES ?hidden {{ {NOT_DRAWN} }} }}
  OPTIONAL {{ ?sr oa:hasSource ?source }}
  OPTIONAL {{ ?sr oa:hasSelector ?sel . OPTIONAL {{ ?sel oa:start ?start }} OPTIONAL {{ ?sel oa:end ?end }} }}
}}""",
    # a page-sourced node's citation: the fact sheet's rows and the pages' addresses
    "page-citations": f"""CONSTRUCT {{ ?sr tkg:factSheetRow ?row . ?sr dct:source ?page }} WHERE {{
  ?s prov:wasDerivedFrom ?sr . ?sr tkg:factSheetRow ?row .
  MINUS {{ ?s a ?hidden . VALUES ?hidden {{ {NOT_DRAWN} }} }}
  OPTIONAL {{ ?sr dct:source ?page }}
}}""",
}

WHOLE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

# What `tttt-kg stats` reads of a node (viz/stats.py, through network.py and describe.py): its types,
# labels, dates and links to other nodes. Left in the store: the spans and selectors (hidden types),
# the wordings' text, search keys, SKOS notations, evidence strings. The triples and the counts per
# class, which cover the whole graph, are counted in the store instead (store_totals), and the
# links between nodes go into a list (STATS_LINKS). At 1M triples, 232,300 of 1,002,819 triples are
# copied and 191,091 links listed: `stats --store` takes 28 s and 585 MB peak RSS, where copying the
# whole graph took 52 s and 1.7 GB (the same output).
STATS_QUERIES = {
    # the types of the nodes, and all types of the assignments and change events stats follows
    # (if one also had a hidden type, it is still followed, as in the whole graph)
    "types": f"""CONSTRUCT {{ ?s a ?t }} WHERE {{
  {{ ?s a ?t . MINUS {{ ?s a ?hidden . VALUES ?hidden {{ {_HIDDEN} }} }} }}
  UNION
  {{ VALUES ?followed {{ tkg:FunctionAssignment org:ChangeEvent }} ?s a ?followed , ?t }}
}}""",
    # of every resource: spans and selectors have none of these, so no filter is needed
    "facts": """CONSTRUCT { ?s ?p ?o } WHERE {
  VALUES ?p { skos:prefLabel eli:id_local eli:date_document dct:date schema:foundingDate }
  ?s ?p ?o .
}""",
    "labels": _rdfs_labels(None),
    # what stats.functions_by_decisions and stats.longest_lineage follow
    "structure": """CONSTRUCT { ?s ?p ?o } WHERE {
  VALUES ?p { tkg:assignedBy tkg:function org:originalOrganization org:resultingOrganization }
  ?s ?p ?o .
}""",
}

# every link that can be an edge; those between two nodes are kept, as a list handed to
# network.to_networkx, not copied into the rdflib graph (at 1M about 50 MB for 191k links, where the
# 232k triples of the graph take about 320 MB)
STATS_LINKS = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(!isLiteral(?o) && ?p != rdf:type) }"

# DISTINCT: an endpoint whose default graph is the union of its graphs may hold a triple twice
CLASS_COUNTS = "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t"

# what views.drawable() finds in the whole graph: typed resources, none of a hidden type
COUNT_DRAWABLE = f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?t .
  MINUS {{ ?s a ?hidden . VALUES ?hidden {{ {_HIDDEN} }} }}
}}"""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term):
    """A pyoxigraph term as the rdflib term rdflib's N-Triples parser makes of it."""
    import pyoxigraph as ox
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def construct(store, sparql: str):
    """The CONSTRUCT's triples (pyoxigraph terms), streamed from Oxigraph or read from an endpoint."""
    from tttt_kg.graph.stores.store import OxigraphStore
    if isinstance(store, OxigraphStore):
        return store.store.query(sparql)      # an iterator: no list of a million triples
    return store.query(sparql).triples


def _shared(terms: dict, t):
    """The one rdflib term for pyoxigraph term ``t`` (made on first sight, kept in ``terms``)."""
    known = terms.get(t)
    if known is None:
        known = terms[t] = _rdflib_term(t)
    return known


def copy_graph(store, queries, g: Graph, terms: dict | None = None) -> Graph:
    """Add the triples of each CONSTRUCT to ``g``. Each IRI or literal becomes one rdflib term,
    shared by every triple it is in (rdflib's parser makes a new one per occurrence): at 1M
    triples this is a third faster than going through N-Triples and takes 80 MB less."""
    terms = {} if terms is None else terms
    for sparql in queries:
        g.addN((_shared(terms, t.subject), _shared(terms, t.predicate), _shared(terms, t.object), g)
               for t in construct(store, sparql))
    return g


def _graph() -> Graph:
    return Graph(store="SimpleMemory", bind_namespaces="none")   # read-only here: no contexts to keep


class ViewGraph(Graph):
    """The part of a store's graph the mandate, lineage and decisions views read; ``whole()``
    copies everything, ``drawable_count()`` counts what the explorer would draw, in the store."""

    def __init__(self, source):
        super().__init__(store="SimpleMemory", bind_namespaces="none")
        self.source = source        # the store it was copied from (rdflib's Graph.store is its own)

    def whole(self) -> Graph:
        return copy_graph(self.source, [WHOLE], _graph())

    def drawable_count(self) -> int:
        rows = self.source.query(PROLOGUE + COUNT_DRAWABLE).rows
        return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0


def stats_summary(store, lang: str = "vi", top: int = 10, sources: int | None = None) -> dict:
    """`tttt-kg stats` of a store, as stats.summary gives it for the whole graph: from the part it
    reads (STATS_QUERIES), the network's links (STATS_LINKS) and the store's own counts. The copy is
    let go before the centrality is computed, which needs only the network: at 1M triples the copy
    takes about 320 MB, the links 50 MB, the network 140 MB."""
    from .network import EmptyNetworkError, drawn_nodes, to_networkx
    from .stats import functions_by_decisions, longest_lineage, report
    triples, classes = store_totals(store)
    if triples == 0:
        raise EmptyNetworkError("the store is empty (no triples); fill it with `tttt-kg build --store oxigraph:PATH` "
                                "or, for an endpoint, `tttt-kg push`")
    terms: dict = {}
    g = copy_graph(store, [PROLOGUE + q for q in STATS_QUERIES.values()], _graph(), terms)
    nodes = drawn_nodes(g)   # their terms are in ``terms`` already; an end not there is no node
    links = [(s, _shared(terms, x.predicate), o) for x in construct(store, PROLOGUE + STATS_LINKS)
             if (s := terms.get(x.subject)) in nodes and (o := terms.get(x.object)) in nodes]
    del terms, nodes
    functions, lineage = functions_by_decisions(g, lang), longest_lineage(g, lang)
    G = to_networkx(g, lang, links)
    del g, links
    return report(G, top, sources, triples, classes, functions, lineage)


def store_totals(store) -> tuple[int, dict[str, int]]:
    """The store's number of triples and its rdf:type triples per class, as stats.class_counts gives them."""
    from collections import Counter

    from .describe import compact
    from .stats import ranked
    counts: Counter = Counter()
    for row in store.query(PROLOGUE + CLASS_COUNTS).rows:
        counts[compact(row["t"].value)] += int(row["n"].value)
    return len(store), ranked(counts)


def view_graph(store) -> Graph:
    """The rdflib graph the views are drawn from: the triples they read (a ViewGraph)."""
    return copy_graph(store, [PROLOGUE + q for q in QUERIES.values()], ViewGraph(store))
