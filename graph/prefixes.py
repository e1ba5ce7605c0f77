"""The namespace IRIs as plain strings, for code that must not import rdflib.

`tttt-kg query` has to start fast, and importing rdflib alone costs about a third of a
second; the query path therefore takes its prefixes from here. `namespaces.py` holds the
same IRIs as rdflib Namespaces for the build; a test checks the two tables agree.
"""
from functools import lru_cache

BASE = "https://w3id.org/tttt-kg/"

PREFIX_IRIS = {
    "tkg": BASE + "ontology#",
    "id": BASE + "id/",
    "fn": BASE + "id/function/",
    "doctype": BASE + "id/doctype/",
    "orgtype": BASE + "id/orgtype/",
    "changetype": BASE + "id/changetype/",
    "certainty": BASE + "id/certainty/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "m8g": "http://data.europa.eu/m8g/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}


def expand(name: str) -> str | None:
    """'fn:bao-chi' → its full IRI; None when the prefix is unknown."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIX_IRIS:
        return PREFIX_IRIS[prefix] + local
    return None


@lru_cache(maxsize=8192)
def shorten(iri: str, paths: bool = False) -> str:
    """The full IRI as prefix:local when a known namespace covers it (longest match first).

    ``paths``: a local part may hold '/' (``id:org/so-tttt-hai-duong``), as the project writes its IRIs
    for people and as its commands read them back (-p node=id:org/…, cite id:org/…); SPARQL itself
    would need a backslash before each '/', so text meant for a query keeps the default."""
    best = None
    for prefix, ns in PREFIX_IRIS.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIX_IRIS[best])):
            best = prefix
    if best is None:
        return iri
    local = iri[len(PREFIX_IRIS[best]):]
    allowed = "-_./" if paths else "-_."
    if local and all(c.isalnum() or c in allowed for c in local) and not local.endswith((".", "/")) \
            and "//" not in local and not local.startswith("/"):
        return f"{best}:{local}"
    return iri
