"""Leave statements out of what a command reads: below a certainty, or not from the seed.

Why: the graph holds two kinds of source (the seed, cited by spans, and the 2019–2025 fact sheet,
cited by page addresses with a certainty code each). A researcher who trusts only what a page states
outright, or only the Sở's own outline, reads with `--min-certainty stated` or `--source seed`
instead of rewriting every query. A resource is left out whole (the triples it is the subject or the
object of), since a certainty belongs to a record, not to one of its triples:

- below ``min_certainty``: its tkg:certainty ranks lower (tkg:certaintyRank, ontology/pages.ttl);
  a seed statement marked tkg:inferredBy counts as inferred, every other seed statement as stated;
- ``seed_only``: it is derived from a page citation (prov:wasDerivedFrom a tkg:PageCitation), or is
  one, or is the fact sheet. The vocabulary the pages brought (ontology/pages.ttl) stays: it states no fact.

Works on any store the commands read (memory, oxigraph:PATH, sparql:URL): the store is copied, less
what is left out, into an in-memory Oxigraph store (about as long as loading the graph: fine for the
seed, seconds per million triples).
"""
from __future__ import annotations

from tttt_kg.graph.prefixes import PREFIX_IRIS

# the fact sheet's codes, strongest first, as named in the certainty scheme (ontology/pages.ttl)
LEVELS = ("stated", "stated-in-translation", "inferred", "national-only", "other-province")
RANKS = {name: len(LEVELS) - i for i, name in enumerate(LEVELS)}
INFERRED_RANK = RANKS["inferred"]


def excluded_query(min_certainty: str | None, seed_only: bool) -> str | None:
    """The SPARQL SELECT of the resources to leave out (?x), or None when nothing is."""
    branches = []
    if min_certainty is not None:
        rank = RANKS[min_certainty]
        branches.append(f"{{ ?x tkg:certainty ?c . ?c tkg:certaintyRank ?rank . FILTER(?rank < {rank}) }}")
        if rank > INFERRED_RANK:
            branches.append("{ ?x tkg:inferredBy ?by }")
    if seed_only:
        branches.append("{ ?x prov:wasDerivedFrom ?cited . ?cited a tkg:PageCitation }")
        branches.append("{ ?x a tkg:PageCitation }")
        branches.append("{ ?x a tkg:FactSheet }")
    if not branches:
        return None
    return (f"PREFIX tkg: <{PREFIX_IRIS['tkg']}>\nPREFIX prov: <{PREFIX_IRIS['prov']}>\n"
            "SELECT DISTINCT ?x WHERE { " + " UNION ".join(branches) + " }")


def narrow_store(store, min_certainty: str | None = None, seed_only: bool = False):
    """``store`` itself when nothing is left out, else an in-memory OxigraphStore without those resources."""
    import pyoxigraph as ox

    from tttt_kg.graph.stores.store import OxigraphStore
    query = excluded_query(min_certainty, seed_only)
    if query is None:
        return store
    gone = {row["x"] for row in store.query(query).rows}
    everything = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples
    kept = ox.Store()
    kept.extend(ox.Quad(t.subject, t.predicate, t.object) for t in everything
                if t.subject not in gone and t.object not in gone)
    from tttt_kg.graph.validity import add_to_store
    add_to_store(kept)   # what the validity rule derives, from what is kept (an end from a page left out goes)
    _recount_store(kept)
    return OxigraphStore(kept)


def _recount_store(store) -> None:
    """id:dataset void:triples: the count of what is kept, itself included (graph/description.py)."""
    import pyoxigraph as ox
    void, xsd = "http://rdfs.org/ns/void#", "http://www.w3.org/2001/XMLSchema#"
    dataset, count = ox.NamedNode("https://w3id.org/tttt-kg/id/dataset"), ox.NamedNode(void + "triples")
    for quad in list(store.quads_for_pattern(dataset, count, None)):
        store.remove(quad)
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    if any(True for _ in store.quads_for_pattern(dataset, a, ox.NamedNode(void + "Dataset"))):
        store.add(ox.Quad(dataset, count, ox.Literal(str(len(store) + 1), datatype=ox.NamedNode(xsd + "integer"))))


def narrow_graph(g, min_certainty: str | None = None, seed_only: bool = False):
    """As narrow_store, for an rdflib Graph (the commands that read through rdflib)."""
    from rdflib import Graph
    query = excluded_query(min_certainty, seed_only)
    if query is None:
        return g
    gone = {row[0] for row in g.query(query)}
    kept = Graph()
    for prefix, ns in g.namespaces():
        kept.bind(prefix, ns, override=True)
    for s, p, o in g:
        if s not in gone and o not in gone:
            kept.add((s, p, o))
    from tttt_kg.graph.validity import add_to_graph
    add_to_graph(kept)   # derived again from what is kept, as narrow_store does
    from tttt_kg.graph.description import recount
    return recount(kept)   # id:dataset void:triples counts what is kept
