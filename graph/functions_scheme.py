"""The canonical functions of ontology/functions.ttl, as the records refer to them."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def canonical_function_ids() -> frozenset[str]:
    """The slugs of every skos:Concept in the functions scheme (e.g. 'bao-chi'), the post-2019 ones of
    ontology/pages.ttl included (seed records never name those, so a seed-only build is unchanged)."""
    from rdflib import Graph
    from rdflib.namespace import RDF, SKOS

    from tttt_kg.ontology import FUNCTIONS, PAGES
    from tttt_kg.graph.namespaces import FN

    g = Graph()
    g.parse(FUNCTIONS, format="turtle")
    g.parse(PAGES, format="turtle")
    return frozenset(str(c)[len(str(FN)):] for c in g.subjects(RDF.type, SKOS.Concept) if str(c).startswith(str(FN)))
