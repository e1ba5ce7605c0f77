"""Every IRI the project mints or reuses, in one place.

The base IRI is the single switch for republishing the graph under another domain.
"""
from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/tttt-kg/"

TKG = Namespace(BASE + "ontology#")          # the project's own terms
ID = Namespace(BASE + "id/")                 # every resource of the data
FN = Namespace(BASE + "id/function/")        # canonical functions (SKOS concepts)
CHANGETYPE = Namespace(BASE + "id/changetype/")  # kinds of change events (SKOS concepts)
DOCTYPE = Namespace(BASE + "id/doctype/")    # kinds of documents (SKOS concepts)
ORGTYPE = Namespace(BASE + "id/orgtype/")    # kinds of organisations and units (SKOS concepts)
CERTAINTY = Namespace(BASE + "id/certainty/")  # certainty codes of page-sourced statements (SKOS concepts)

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
M8G = Namespace("http://data.europa.eu/m8g/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES = {
    "tkg": TKG, "id": ID, "fn": FN, "doctype": DOCTYPE, "orgtype": ORGTYPE, "changetype": CHANGETYPE,
    "certainty": CERTAINTY,
    "eli": ELI, "org": ORG, "prov": PROV, "oa": OA, "m8g": M8G, "sh": SH,
    "skos": SKOS, "dct": DCTERMS, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
    "schema": SCHEMA, "void": VOID, "dcat": DCAT,
}


def sparql_prologue() -> str:
    """PREFIX lines for every namespace above (oxrdflib ignores bound prefixes)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def new_graph():
    """An empty rdflib Graph with only the project's prefixes bound.

    rdflib's default bindings take ``org:`` and ``prov:`` for other IRIs, which would
    turn ours into ``org1:``; hence ``bind_namespaces="none"``.
    """
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g
