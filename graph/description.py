"""The dataset's own description, in VoID and DCAT, carried by the graph and so by every export.

The build already names its sources on ``id:dataset`` (``dct:source``, see build.py); this module
adds, on the same resource: titles and descriptions in vi and en, the data licence (CC BY 4.0, see
docs/licence.md), the version, languages, URI space, vocabularies, an example resource, the
formats ``tttt-kg export`` writes (dcat:Distribution, no download URL: they are made on demand),
and ``void:triples``. It also states a catalogue, ``id:catalogue``, that lists the dataset and the
named queries (queries/*.rq, each already an sh:SPARQLExecutable in the graph) as dcat:resource.

What ``void:triples`` counts: every triple of the graph it is in, this description and the
``void:triples`` triple itself included. It is written last by the build (``describe``), and
written again (``recount``) by whatever hands out a different set of triples from a built graph
(--min-certainty / --source seed narrowing, synth), so a count read from any export is true of
that export. A store holds what was loaded into it, so its count is that of the file loaded.

The SPARQL endpoint is not in the build (a graph does not know where it will be served): ``serve``
answers ``/.well-known/void`` with this description plus ``void:sparqlEndpoint`` and a
dcat:DataService (``served_description``).
"""
from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from tttt_kg.graph.namespaces import ID, PREFIXES, VOID

DCAT = Namespace("http://www.w3.org/ns/dcat#")   # DCAT 3 (rdflib's DCAT lacks dcat:version, dcat:resource)

DATASET = ID["dataset"]
CATALOGUE = ID["catalogue"]
DATA_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CODE_LICENCE = URIRef("https://spdx.org/licenses/MIT.html")
LANGUAGES = (URIRef("http://publications.europa.eu/resource/authority/language/VIE"),
             URIRef("http://publications.europa.eu/resource/authority/language/ENG"))
EXAMPLE = ID["org/so-tttt-hai-duong"]
TITLE = {
    "vi": "Đồ thị tri thức về các quyết định hành chính của Sở Thông tin và Truyền thông tỉnh Hải Dương",
    "en": "Knowledge graph of the administrative decisions on the Hải Dương Department of Information and Communications",
}
DESCRIPTION = {
    "vi": "Các cơ quan, quyết định, chức năng, nhiệm vụ, đơn vị, sự kiện thay đổi và số liệu của Sở TTTT Hải Dương "
          "(2004–2019, theo đề cương 15 năm của Sở; 2019–2025 theo bảng tư liệu có địa chỉ trang). Mỗi phát biểu "
          "dẫn đoạn văn bản nguồn (vị trí ký tự và SHA-256) hoặc trang web mà nó dựa vào; đồ thị không sao chép văn bản.",
    "en": "The bodies, decisions, functions, units, changes and figures of the Hải Dương Department of Information "
          "and Communications (2004–2019 from the department's 15th-anniversary outline; 2019–2025 from a fact sheet "
          "of web pages). Every statement cites the span of the source text (character offsets and SHA-256) or the "
          "page it rests on; the graph states facts, it does not copy the text.",
}
CATALOGUE_TITLE = {"vi": "Danh mục tttt-kg: bộ dữ liệu và các truy vấn có tên",
                   "en": "tttt-kg catalogue: the dataset and its named queries"}
# what `tttt-kg export -f NAME` writes: name -> media type (graph/export.py FORMATS, read lazily)
IANA = "https://www.iana.org/assignments/media-types/"


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("tttt-kg")
    except Exception:   # run from a tree that is not installed
        return "0.1.0"


def _vocabularies(g: Graph) -> list[URIRef]:
    """The namespaces (of the project's prefixes) whose terms the graph uses as a predicate or a class."""
    used = {str(p) for p in g.predicates()} | {str(c) for c in g.objects(None, RDF.type)}
    skip = {"id", "fn", "doctype", "orgtype", "changetype", "certainty", "rdf", "xsd"}
    return [URIRef(str(ns)) for prefix, ns in PREFIXES.items()
            if prefix not in skip and any(u.startswith(str(ns)) for u in used)]


def _add_description(g: Graph) -> None:
    from tttt_kg.queries.catalogue import QUERY_BASE

    from tttt_kg.graph.export import FORMATS
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    for lang in ("vi", "en"):
        g.add((d, DCTERMS.title, Literal(TITLE[lang], lang=lang)))
        g.add((d, DCTERMS.description, Literal(DESCRIPTION[lang], lang=lang)))
    g.add((d, DCTERMS.license, DATA_LICENCE))
    g.add((d, DCAT.version, Literal(_version())))
    for lang in LANGUAGES:
        g.add((d, DCTERMS.language, lang))
    g.add((d, VOID.uriSpace, Literal(str(ID))))
    for vocab in _vocabularies(g):
        g.add((d, VOID.vocabulary, vocab))
    if (EXAMPLE, None, None) in g:
        g.add((d, VOID.exampleResource, EXAMPLE))
    for name, (_, ext, media) in FORMATS.items():
        dist = ID[f"dataset/{ext}"]
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.mediaType, URIRef(IANA + media)))
        g.add((dist, DCTERMS.license, DATA_LICENCE))
        g.add((dist, DCTERMS.title, Literal(f"tttt-kg export -f {name}", lang="en")))
    c = CATALOGUE
    g.add((c, RDF.type, DCAT.Catalog))
    for lang in ("vi", "en"):
        g.add((c, DCTERMS.title, Literal(CATALOGUE_TITLE[lang], lang=lang)))
    g.add((c, DCTERMS.license, DATA_LICENCE))
    g.add((c, DCAT.dataset, d))
    for q in sorted(g.subjects(RDF.type, URIRef(str(PREFIXES["sh"]) + "SPARQLExecutable"))):
        if str(q).startswith(QUERY_BASE):
            g.add((c, DCAT.resource, q))
            g.add((q, DCTERMS.license, CODE_LICENCE))   # queries are code (MIT); they read the dataset
            g.add((q, DCTERMS.relation, d))


def recount(g: Graph) -> Graph:
    """Set ``id:dataset void:triples`` to the number of triples of ``g``, this one included; returns ``g``.
    A graph with no description is left as it is."""
    if (DATASET, RDF.type, VOID.Dataset) not in g:
        return g
    g.remove((DATASET, VOID.triples, None))
    g.add((DATASET, VOID.triples, Literal(len(g) + 1, datatype=XSD.integer)))
    return g


def describe(g: Graph) -> Graph:
    """Add the description to a built graph (after its last fact), counted; returns ``g``."""
    _add_description(g)
    return recount(g)


def served_description(g: Graph, endpoint_url: str) -> Graph:
    """What ``/.well-known/void`` answers: the graph's description (id:dataset, id:catalogue and the
    distributions, as in the graph) plus the endpoint, as void:sparqlEndpoint and a dcat:DataService."""
    out = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    subjects = {DATASET, CATALOGUE, *g.objects(DATASET, DCAT.distribution)}
    for s in subjects:
        for p, o in g.predicate_objects(s):
            out.add((s, p, o))
    endpoint = URIRef(endpoint_url)
    service = ID["dataset/sparql-service"]
    out.add((DATASET, VOID.sparqlEndpoint, endpoint))
    out.add((service, RDF.type, DCAT.DataService))
    out.add((service, DCAT.endpointURL, endpoint))
    out.add((service, DCAT.servesDataset, DATASET))
    out.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    out.add((service, RDFS.label, Literal("tttt-kg SPARQL endpoint", lang="en")))
    out.add((CATALOGUE, DCAT.service, service))
    return out
