"""A page per resource: what is served at, and exported for, every IRI of the graph under the base.

One IRI names one *document* here: ``https://w3id.org/tttt-kg/id/X`` and its fragment IRIs
(``…/X#span-…``, ``…/X#page-citation``) are described together, as a browser drops the fragment
before it asks. The ontology's terms (``…/ontology#Term``) belong to ``…/ontology``.

What a document holds (the RDF answered for it, and the statements its page shows):
  * every triple whose subject is the IRI or one of its fragment IRIs reached from it (two links
    deep: a passage and its selector), with the blank nodes they lead to (Oxigraph's DESCRIBE: the
    concise bounded description). For ``ontology``: the ontology and every class or property
    declared under ``ontology#``;
  * every triple pointing at the IRI, except ``rdf:type`` (a class's instances are not statements
    about the class), up to ``inbound_cap`` of them in IRI order; the page says when there are more.

Three (four when the cap is reached) SPARQL queries fetch it: the description, the links pointing at
it, and the labels of everything it names. They are plain SPARQL texts, so `tttt-kg serve` sends
them through its worker pool (guard, sandbox, limits, fair share) and `tttt-kg site` runs them with
the same `execute` on its own store: a page is the same whichever store it comes from.

Everything from the graph is escaped (html.escape for text, links only to pages of the base or
to http(s) addresses); a page has no script, and its Content-Security-Policy allows its one style
(by hash) and nothing else.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from tttt_kg.graph.namespaces import DCTERMS, OA, PROV, TKG
from tttt_kg.graph.prefixes import BASE, shorten

ONTOLOGY = BASE + "ontology"
# format name (graph/export.py's) → (media type, file suffix)
FORMATS = {
    "html": ("text/html", "html"),
    "turtle": ("text/turtle", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
    "ntriples": ("application/n-triples", "nt"),
    "xml": ("application/rdf+xml", "rdf"),
}
RDF_FORMATS = ("turtle", "jsonld", "ntriples", "xml")
SUFFIXES = {suffix: name for name, (_, suffix) in FORMATS.items()}
INBOUND_CAP = 1000
# characters a served path may hold: RFC 3986 path characters; none can end an IRI or a string in SPARQL
_PATH = re.compile(r"(?:id/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+|ontology)")
_SAFE_IRI = re.compile(r"[^\x00-\x20<>\"{}|^`\\]+")
DATE_TYPES = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.dateTime}
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel)
CONTEXT_PROPERTIES = (RDFS.label, SKOS.prefLabel, TKG.fileName, TKG.sha256)
_ONTOLOGY_KINDS = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                   RDF.Property)

STYLE = """body{font-family:system-ui,"Noto Sans",sans-serif;max-width:64rem;margin:1rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{color:#555;font-weight:normal;width:14rem}code{background:#f3f3f3;padding:0 .2rem;word-break:break-all}
blockquote{border-left:3px solid #4a7;margin:.4rem 0;padding:.2rem .8rem;background:#f6faf7}
.lang{color:#777;font-size:.8em}.muted{color:#777}nav a{margin-right:.8rem}pre{white-space:pre-wrap}
section.source{border-top:1px solid #ddd;padding:.3rem 0}"""
CSP = ("default-src 'none'; style-src 'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
       + "'; img-src 'none'; base-uri 'none'; form-action 'none'")
HEADER_CSP = CSP + "; frame-ancestors 'none'"   # only honoured in a header, not in a <meta>


# ------------------------------------------------------------------ IRIs, paths and files

def iri_of_path(path: str) -> tuple[str, str | None] | None:
    """(document IRI, format or None) for a request path without its leading '/', e.g.
    'id/org/x.ttl' → (BASE + 'id/org/x', 'turtle'); None when the path is not one a document can have."""
    fmt = None
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in SUFFIXES and "/" not in suffix:
        path, fmt = stem, SUFFIXES[suffix]
    if not _PATH.fullmatch(path) or "/../" in f"/{path}/" or "/./" in f"/{path}/" or "//" in path:
        return None
    return BASE + path, fmt


def document_path(iri: str) -> str | None:
    """'id/org/x' for any IRI of that document (fragment dropped); None if it is not one of the base's."""
    doc = str(iri).split("#", 1)[0]
    if not doc.startswith(BASE):
        return None
    path = doc[len(BASE):]
    return path if iri_of_path(path) == (doc, None) else None


def file_of(path: str, fmt: str) -> str:
    """The file (relative to a site's root) holding document ``path`` in ``fmt``: id/org/x.ttl."""
    return f"{path}.{FORMATS[fmt][1]}"


def fragment_anchor(iri: str) -> str | None:
    """The id a page gives a fragment IRI's part (the ontology page's own scheme for its terms)."""
    doc, sep, frag = str(iri).partition("#")
    if not frag:
        return None
    if doc == ONTOLOGY:
        from tttt_kg.viz.ontology_page import _anchor
        return _anchor(URIRef(iri))
    return frag


def href(iri, from_path: str) -> str | None:
    """A relative link from the page of ``from_path`` to the page of ``iri``; None if it has none."""
    return _href(str(iri), from_path)


@lru_cache(maxsize=4096)
def _href(iri: str, from_path: str) -> str | None:
    """(A page links the same few terms hundreds of times.)"""
    path = document_path(iri)
    if path is None:
        return None
    # both rooted at '/': relpath of relative paths asks the OS for the working directory each time
    target = posixpath.relpath("/" + file_of(path, "html"), "/" + posixpath.dirname(from_path))
    anchor = fragment_anchor(iri)
    return target + (f"#{anchor}" if anchor else "")


# ------------------------------------------------------------------ the queries

def _iri(iri: str) -> str:
    if not _SAFE_IRI.fullmatch(iri):
        raise ValueError(f"not an IRI that can be written in SPARQL: {iri!r}")
    return f"<{iri}>"


def describe_query(doc: str) -> str:
    """The document's own triples: its IRI's and its fragments' description (blank nodes followed).

    Its fragments are found from the IRI, not by a scan of every subject: those it points at, those
    pointing at it (a derived holding of an assignment, an organisation's lineage: `graph/validity.py`),
    and the fragments either of these points at (their validity intervals)."""
    ref = _iri(doc)
    if doc == ONTOLOGY:
        kinds = " ".join(_iri(str(k)) for k in _ONTOLOGY_KINDS)
        return (f"DESCRIBE ?x WHERE {{ {{ BIND({ref} AS ?x) }} UNION {{ VALUES ?kind {{ {kinds} }} ?x a ?kind "
                f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{doc}#")) }} }}')
    frag = f'isIRI(?{{v}}) && STRSTARTS(STR(?{{v}}), "{doc}#")'
    return (f"DESCRIBE ?x WHERE {{ {{ BIND({ref} AS ?x) }} "
            f"UNION {{ {ref} ?p ?x FILTER({frag.format(v='x')}) }} "
            f"UNION {{ ?x ?p {ref} FILTER({frag.format(v='x')}) }} "
            f"UNION {{ {ref} ?p ?y FILTER({frag.format(v='y')}) ?y ?q ?x FILTER({frag.format(v='x')}) }} "
            f"UNION {{ ?y ?p {ref} FILTER({frag.format(v='y')}) ?y ?q ?x FILTER({frag.format(v='x')}) }} }}")


def inbound_query(doc: str, cap: int) -> str:
    ref = _iri(doc)
    return (f"CONSTRUCT {{ ?s ?p {ref} }} WHERE {{ {{ SELECT ?s ?p WHERE {{ ?s ?p {ref} "
            f"FILTER(?p != {_iri(str(RDF.type))}) }} ORDER BY ?s ?p LIMIT {int(cap)} }} }}")


def inbound_count_query(doc: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p {_iri(doc)} FILTER(?p != {_iri(str(RDF.type))}) }}"


def context_query(nodes: list[str]) -> str:
    """Labels of everything a page names, and the file name and hash of the sources it cites."""
    values = " ".join(_iri(n) for n in nodes)
    props = ", ".join(_iri(str(p)) for p in CONTEXT_PROPERTIES)
    # FILTER IN, not a second VALUES: Oxigraph joins two VALUES blocks 15× slower (8 against 124 ms for
    # the Sở's page, which names ~200 resources)
    return f"CONSTRUCT {{ ?n ?p ?o }} WHERE {{ VALUES ?n {{ {values} }} ?n ?p ?o FILTER(?p IN ({props})) }}"


def suggestion_query(words: list[str], limit: int = 400) -> str:
    """Resources whose search key holds one of ``words`` (already search keys: letters, digits, &)."""
    tests = " || ".join(f'CONTAINS(?key, "{w}")' for w in words)
    return (f"SELECT ?node ?key ?label WHERE {{ ?node {_iri(str(TKG.searchKey))} ?key FILTER({tests}) "
            f"OPTIONAL {{ ?node {_iri(str(RDFS.label))} ?label FILTER(LANG(?label) = \"vi\") }} }} LIMIT {int(limit)}")


class FetchError(Exception):
    """The store's answer to one of a page's queries was a refusal (its status and message)."""

    def __init__(self, status: int, message: str, headers: tuple = ()):
        super().__init__(message)
        self.status, self.headers = status, headers


@dataclass
class Document:
    """What a page shows: the document's triples (``own``, as the store wrote them: ``own_ntriples``), and
    of everything it names, the labels (``context_labels``) and the other context triples (``context``:
    the cited sources' file names and hashes).

    RDF answers are written from ``own_ntriples`` by Oxigraph; ``own`` becomes an rdflib graph only for
    what needs one (an HTML page, JSON-LD)."""
    iri: str
    own_ntriples: bytes
    context: Graph = field(default_factory=lambda: Graph(bind_namespaces="none"))
    inbound_total: int = 0
    inbound_shown: int = 0
    context_labels: dict = field(default_factory=dict, repr=False)
    _own: Graph | None = field(default=None, repr=False, compare=False)
    _own_labels: dict | None = field(default=None, repr=False, compare=False)

    @property
    def own(self) -> Graph:
        if self._own is None:
            self._own = _graph(self.own_ntriples)
        return self._own

    @property
    def exists(self) -> bool:
        return bool(self.own_ntriples.strip())

    def labels(self) -> tuple[dict, dict]:
        """IRI → its labels, in ``own`` then in the context: made once per page, where a page looks labels
        up for every link it draws."""
        if self._own_labels is None:
            index: dict = {}
            for prop in LABEL_PROPERTIES:
                for node, label in self.own.subject_objects(prop):
                    if isinstance(label, Literal):
                        _add_label(index, str(node), str(label), label.language)
            self._own_labels = index
        return self._own_labels, self.context_labels


def _add_label(index: dict, node: str, value: str, language: str | None) -> None:
    """index[node] = (language → its smallest label, every (label, language)): the label a page shows in a
    language is the first of that language in sorted order."""
    by_language, every = index.setdefault(node, ({}, []))
    if language not in by_language or value < by_language[language]:
        by_language[language] = value
    every.append((value, language))


def _first_label(entry) -> str:
    """The first label in rdflib's order of the literals, whatever their language."""
    return str(min(Literal(value, lang=language) for value, language in entry[1]))


class _Both:
    """``own`` and ``context`` read as one graph, for the few lookups the citations make, without
    copying either (a union Graph costs more than the whole page)."""

    def __init__(self, *graphs: Graph):
        self.graphs = graphs

    def objects(self, subject, predicate):
        for g in self.graphs:
            yield from g.objects(subject, predicate)

    def value(self, subject, predicate):
        return next(self.objects(subject, predicate), None)


def _graph(ntriples: bytes, g: Graph | None = None) -> Graph:
    """N-Triples from a store as an rdflib graph (into ``g`` when given), parsed by Oxigraph: 1.3× less
    time than rdflib's own N-Triples parser on a page's triples."""
    import pyoxigraph as ox
    g = Graph(bind_namespaces="none") if g is None else g
    if ntriples.strip():
        g.addN((_term(t.subject), _term(t.predicate), _term(t.object), g)
               for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return g


_LABEL_IRIS = {str(p) for p in LABEL_PROPERTIES}


def _context(ntriples: bytes) -> tuple[Graph, dict]:
    """The context's labels as an index (most of its triples, never made into rdflib terms), and the rest
    as a graph."""
    import pyoxigraph as ox
    g, labels = Graph(bind_namespaces="none"), {}
    for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        if t.predicate.value in _LABEL_IRIS and isinstance(t.object, ox.Literal):
            if isinstance(t.subject, ox.NamedNode):
                _add_label(labels, t.subject.value, t.object.value, t.object.language)
        else:
            g.add((_term(t.subject), _term(t.predicate), _term(t.object)))
    return g, labels


_XSD_STRING = str(XSD.string)


def _term(t):
    """An Oxigraph term as the rdflib term rdflib's N-Triples parser makes of it."""
    import pyoxigraph as ox
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    datatype = t.datatype.value
    return Literal(t.value) if datatype == _XSD_STRING else Literal(t.value, datatype=URIRef(datatype))


def fetch(run: Callable[[str, str], bytes], doc: str, max_rows: int = 10_000, labels: bool = True) -> Document:
    """The document ``doc`` (an IRI without fragment) read through ``run(kind, sparql) → bytes``
    (kind 'graph': N-Triples back; 'rows': SPARQL results JSON). ``labels``: also fetch the labels of
    everything it names, which only its HTML page shows (the ontology's page draws its own)."""
    described = run("graph", describe_query(doc))
    cap = max(1, min(INBOUND_CAP, max_rows // 4))
    inbound = run("graph", inbound_query(doc, cap))
    shown = sum(1 for line in inbound.splitlines() if line.strip())   # Oxigraph writes a triple a line
    total = shown
    if shown >= cap:
        rows = json.loads(run("rows", inbound_count_query(doc)))["results"]["bindings"]
        total = int(rows[0]["n"]["value"]) if rows else shown
    document = Document(doc, described.rstrip(b"\n") + b"\n" + inbound, inbound_total=total, inbound_shown=shown)
    if labels and doc != ONTOLOGY and document.exists:
        names = {str(x) for t in document.own for x in t if isinstance(x, URIRef)}
        names = sorted(n for n in names if _SAFE_IRI.fullmatch(n))[: max(1, max_rows // 6)]
        if names:
            document.context, document.context_labels = _context(run("graph", context_query(names)))
    return document


# ------------------------------------------------------------------ the source texts

@dataclass
class SourceTexts:
    """The texts cited spans point into, found by file name and checked by SHA-256 (None: not here)."""
    paths: tuple[Path, ...] = ()
    finder: Callable[[str], Path | None] | None = None
    _cache: dict = field(default_factory=dict)

    def text(self, file_name: str, sha256: str) -> str | None:
        key = (file_name, sha256)
        if key not in self._cache:
            self._cache[key] = self._read(file_name, sha256)
        return self._cache[key]

    def _read(self, file_name: str, sha256: str) -> str | None:
        from tttt_kg.graph.provenance import SourceError, read_source
        candidates = [p for p in self.paths if Path(p).name == file_name] + list(self.paths)
        if self.finder is not None:
            found = self.finder(file_name)
            if found is not None:
                candidates.append(found)
        for path in candidates:
            try:
                return read_source(path, sha256).text
            except SourceError:
                continue
        return None


def default_finder(file_name: str) -> Path | None:
    from tttt_kg.cli.options import default_source_path
    return default_source_path(file_name)


# ------------------------------------------------------------------ RDF

def rdf_bytes(document: Document, fmt: str) -> bytes:
    """The document's own triples in ``fmt`` (turtle, jsonld, ntriples, xml), sorted, so the same graph
    gives the same bytes from every store and every run. Oxigraph writes Turtle, N-Triples and RDF/XML
    (a tenth of rdflib's time), blank nodes named by their content first (Oxigraph's canonicalisation);
    JSON-LD, compacted with the project's context, goes through rdflib as `export` writes it."""
    if fmt in _OXIGRAPH_WRITES:
        return _oxigraph_bytes(document.own_ntriples, fmt)
    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.namespaces import PREFIXES
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    own = document.own
    if any(isinstance(x, BNode) for t in own for x in t):
        from rdflib.compare import to_canonical_graph   # blank nodes named by their content: same bytes
        own = to_canonical_graph(own)                   # from every store and every run
    for triple in sorted(own):   # in order: JSON-LD and RDF/XML follow insertion, and stores differ in it
        g.add(triple)
    return serialise(g, fmt)


_OXIGRAPH_WRITES = ("turtle", "ntriples", "xml")


def _oxigraph_bytes(ntriples: bytes, fmt: str) -> bytes:
    import pyoxigraph as ox
    from tttt_kg.graph.prefixes import PREFIX_IRIS
    triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        named = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        named.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)   # same names for the same graph
        triples = [q.triple for q in named]
    triples = sorted(set(triples), key=str)
    if fmt == "ntriples":
        return "".join(f"{t} .\n" for t in triples).encode()
    if fmt == "turtle":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIX_IRIS))
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=dict(PREFIX_IRIS))


def alternates(path: str) -> list[tuple[str, str, str]]:
    """(file, format, media type) of every representation of document ``path``."""
    return [(file_of(path, name), name, media) for name, (media, _) in FORMATS.items()]


# ------------------------------------------------------------------ HTML

def _e(text) -> str:
    return html.escape(str(text), quote=True)


def label_of(doc: Document, node, lang: str = "vi") -> str:
    """The node's label in ``lang``, else in the other language, else any, else its short name."""
    for index in doc.labels():
        entry = index.get(str(node))
        if entry is None:
            continue
        for wanted in (lang, "en" if lang == "vi" else "vi"):
            if entry[0].get(wanted):
                return entry[0][wanted]
        first = _first_label(entry)
        if first:
            return first
    return short_name(str(node))


def short_name(iri: str) -> str:
    """prefix:local, id:org/x for the base's resources, #fragment for a part of a page."""
    short = shorten(iri)
    if short == iri and iri.startswith(BASE):
        return "id:" + iri[len(BASE) + 3:] if iri.startswith(BASE + "id/") else iri[len(BASE):]
    return short


def _link(doc: Document, node, from_path: str, lang: str = "vi") -> str:
    """A node as HTML: a link to its page (label shown), an outside address, or text."""
    if isinstance(node, Literal):
        return _literal(node)
    if isinstance(node, BNode):
        return _bnode(doc, node, from_path, set())
    target = href(node, from_path)
    name, short = label_of(doc, node, lang), short_name(str(node))
    if target is not None:
        return f'<a href="{_e(target)}">{_e(name)}</a>'
    if str(node).startswith(("http://", "https://")):
        return f'<a href="{_e(node)}" rel="nofollow noopener noreferrer">{_e(name)}</a>'
    return _e(name) + (f" <code>{_e(short)}</code>" if name != short else "")


def _literal(lit: Literal) -> str:
    text = str(lit)
    body = f"<pre>{_e(text)}</pre>" if "\n" in text else _e(text)
    if lit.language:
        return f'{body} <span class="lang">@{_e(lit.language)}</span>'
    if lit.datatype is not None and lit.datatype != XSD.string:
        return f'{body} <span class="lang">{_e(shorten(str(lit.datatype)))}</span>'
    return body


def _bnode(doc: Document, node, from_path: str, seen: set) -> str:
    if node in seen or len(seen) > 20:
        return "[…]"
    seen = seen | {node}
    members = doc.own.value(node, OWL.unionOf)
    if members is not None:
        from rdflib.collection import Collection
        return " ∪ ".join(_link(doc, m, from_path) for m in Collection(doc.own, members))
    rows = "; ".join(sorted(f"{_e(shorten(str(p)))} {_bnode(doc, o, from_path, seen) if isinstance(o, BNode) else _link(doc, o, from_path)}"
                            for p, o in doc.own.predicate_objects(node)))
    return f"[ {rows} ]"


def _rows(doc: Document, subject, from_path: str, skip=()) -> str:
    """A table row per statement, in order of property and value; a blank node by what it says (its id
    differs from one query to the next)."""
    rows = []
    for p, o in doc.own.predicate_objects(subject):
        if p in skip:
            continue
        cell = _link(doc, o, from_path)
        rows.append((shorten(str(p)), cell if isinstance(o, BNode) else str(o), cell, p))
    return "".join(f"<tr><th>{_link(doc, p, from_path)}</th><td>{cell}</td></tr>" for _, _, cell, p in sorted(rows))


def _citations(doc: Document, subject: URIRef, texts: SourceTexts | None, from_path: str) -> str:
    from tttt_kg.graph.provenance import spans_of
    g = _Both(doc.own, doc.context)
    parts = []
    for span in sorted(g.objects(subject, PROV.wasDerivedFrom), key=str):
        anchor = fragment_anchor(str(span))
        attrs = f' id="{_e(anchor)}"' if anchor and str(span).split("#")[0] == doc.iri else ""
        parts.append(f'<section class="source"{attrs}>')
        for _, src, start, end in [s for s in spans_of(g, subject) if s[0] == span]:
            name, sha = g.value(src, TKG.fileName), g.value(src, TKG.sha256)
            text = texts.text(str(name), str(sha)) if texts is not None and name and sha else None
            parts.append(f"<p>{_e(label_of(doc, src))} — <code>{_e(name or src)}</code>, SHA-256 "
                         f"<code>{_e(str(sha or '?')[:12])}…</code>, [{start}, {end})</p>")
            parts.append(f"<blockquote>{_e(text[start:end])}</blockquote>" if text is not None else
                         '<p class="muted">(the source text is not on this server: '
                         f'<code>tttt-kg cite {_e(shorten(str(subject)))}</code> prints it)</p>')
        for page in sorted(g.objects(span, DCTERMS.source), key=str):
            parts.append(f"<p>Trang · page: {_link(doc, page, from_path)}</p>")
        rows = ", ".join(f"<code>{_e(row)}</code>" for row in sorted(g.objects(span, TKG.factSheetRow)))
        for sheet in sorted(g.objects(span, DCTERMS.isPartOf), key=str):   # a passage may stand for several rows
            parts.append(f"<p>{_link(doc, sheet, from_path)}" + (f", dòng · row {rows}" if rows else "") + "</p>")
        evidence = sorted(str(e) for e in g.objects(span, TKG.evidence))
        if evidence:
            parts.append("<p>Bằng chứng · evidence: " + ", ".join(f"«{_e(e)}»" for e in evidence) + "</p>")
        parts.append("</section>")
    for certainty in g.objects(subject, TKG.certainty):
        parts.append(f"<p>Độ chắc chắn · certainty: {_link(doc, certainty, from_path)}</p>")
    return "".join(parts)


def shell(title: str, body: str, lang: str = "vi") -> str:
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{_e(lang)}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>", body, "</body>", "</html>", ""])


def _nav(path: str, index: str | None) -> str:
    """Links to the site's index, the ontology and the other representations of document ``path``."""
    links = []
    if index is not None:
        links.append(f'<a href="{_e(index)}">← tttt-kg</a>')
    links.append(f'<a href="{_e(posixpath.relpath("ontology.html", posixpath.dirname(path) or "."))}">ontology</a>')
    for file, name, media in alternates(path)[1:]:
        links.append(f'<a href="{_e(posixpath.basename(file))}" type="{_e(media)}">{_e(FORMATS[name][1])}</a>')
    return "<nav>" + "".join(links) + "</nav>"


def render_page(document: Document, texts: SourceTexts | None = None, index: str | None = None) -> str:
    """The HTML page of a document that exists."""
    doc, iri = document, URIRef(document.iri)
    path = document_path(document.iri)
    assert path is not None
    here = file_of(path, "html")
    vi, en = label_of(doc, iri, "vi"), label_of(doc, iri, "en")
    types = sorted(doc.own.objects(iri, RDF.type), key=str)
    out = [_nav(path, index), f"<h1>{_e(vi)}</h1>"]
    if en != vi:
        out.append(f'<p lang="en"><strong>{_e(en)}</strong></p>')
    out.append(f"<p><code>{_e(document.iri)}</code></p>")
    if types:
        out.append("<p>Loại · type: " + ", ".join(_link(doc, t, here) for t in types) + "</p>")
    dates = sorted((p, o) for p, o in doc.own.predicate_objects(iri)
                   if isinstance(o, Literal) and o.datatype in DATE_TYPES)
    if dates:
        out.append("<h2>Ngày · dates</h2><table>" + "".join(
            f"<tr><th>{_link(doc, p, here)}</th><td>{_literal(o)}</td></tr>" for p, o in dates) + "</table>")
    out.append("<h2>Phát biểu · statements</h2><table>" + _rows(doc, iri, here) + "</table>")
    inbound = sorted((s, p) for s, p in doc.own.subject_predicates(iri) if str(s).split("#")[0] != document.iri)
    if inbound:
        more = (f"<p class=\"muted\">{doc.inbound_shown} of {doc.inbound_total} shown (the first in IRI order); "
                "ask the SPARQL endpoint for the rest</p>" if doc.inbound_total > doc.inbound_shown else "")
        out.append(f"<h2>Trỏ đến đây · pointing here ({doc.inbound_total})</h2>{more}<table>" + "".join(
            f"<tr><td>{_link(doc, s, here)}</td><th>{_link(doc, p, here)}</th></tr>" for s, p in inbound)
            + "</table>")
    cited = _citations(doc, iri, texts, here)
    if cited:
        out.append("<h2>Nguồn · sources</h2>" + cited)
    shown = {iri} | set(doc.own.objects(iri, PROV.wasDerivedFrom))
    shown |= {doc.own.value(s, OA.hasSelector) for s in list(shown)}
    for part in sorted({s for s in doc.own.subjects() if isinstance(s, URIRef)
                        and str(s).startswith(document.iri + "#") and s not in shown}, key=str):
        out.append(f'<h3 id="{_e(fragment_anchor(str(part)))}"><code>#{_e(fragment_anchor(str(part)))}</code></h3>'
                   f"<table>{_rows(doc, part, here)}</table>")
    return shell(f"{vi} — tttt-kg", "\n".join(out))


def render_ontology_page(document: Document, index: str = "index.html") -> tuple[str, str]:
    """(HTML, CSP) of the ontology reference `tttt-kg viz` writes, made from the vocabulary files and
    the ontology as the store holds it (so terms loaded with other data are there too)."""
    from tttt_kg.viz.render import _csp
    text = _ontology_html(_oxigraph_bytes(document.own_ntriples, "ntriples"))   # blank nodes named by content
    if index != "index.html":
        text = text.replace('<a href="index.html">', f'<a href="{_e(index)}">', 1)
    return text, _csp([])


@lru_cache(maxsize=2)
def _ontology_html(ntriples: bytes) -> str:
    """The ontology's page for the ontology's triples (canonical N-Triples): the same triples give the same
    page, so a server draws it once per store rather than once per request (it merges the vocabulary files)."""
    from tttt_kg.viz.ontology_page import render_ontology
    return render_ontology("vi", _vocabulary() + _graph(ntriples))


@lru_cache(maxsize=1)
def _vocabulary() -> Graph:
    from tttt_kg.viz.ontology_page import load_vocabulary
    return load_vocabulary()


def key_words(path: str) -> list[str]:
    """Search-key words of a path, longest first (for suggestions): 'id/org/so-tttt' → ['thong', …]."""
    from tttt_kg.graph.vietnamese import search_key
    tail = path.rstrip("/").rsplit("/", 2)
    key = search_key(" ".join(t.replace("-", " ").replace("_", " ") for t in tail[1:] or tail))
    words = sorted({w for w in key.split() if len(w) >= 2 and re.fullmatch(r"[\w&]+", w)}, key=lambda w: (-len(w), w))
    return words[:6]


def rank_suggestions(path: str, rows: list[tuple[str, str, str]], limit: int = 8) -> list[tuple[str, str]]:
    """(IRI, label) of the resources nearest to ``path`` among rows of (IRI, search key, label)."""
    import difflib
    from tttt_kg.graph.vietnamese import search_key
    wanted = search_key(path.replace("-", " ").replace("/", " "))
    best: dict[str, tuple[float, str]] = {}
    for node, key, label in rows:
        if document_path(node) is None or "#" in node:
            continue
        tail = search_key(node[len(BASE):].replace("-", " ").replace("/", " "))
        score = max(difflib.SequenceMatcher(None, wanted, key).ratio(),
                    difflib.SequenceMatcher(None, wanted, tail).ratio())
        if score > best.get(node, (-1.0, ""))[0]:
            best[node] = (score, label or short_name(node))
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    return [(node, label) for node, (_, label) in ranked]


def render_not_found(path: str, suggestions: list[tuple[str, str]], index: str | None = None) -> str:
    here = path + ".html"   # links relative to the folder of the path asked for
    items = "".join(f'<li><a href="{_e(href(node, here))}">{_e(label)}</a> <code>{_e(short_name(node))}</code></li>'
                    for node, label in suggestions if href(node, here))
    body = [f'<nav><a href="{_e(index)}">← tttt-kg</a></nav>' if index else "",
            "<h1>Không có tài nguyên này · no such resource</h1>",
            f"<p>The graph holds nothing about <code>{_e(BASE + path)}</code>.</p>"]
    if items:
        body.append(f"<h2>Có phải bạn muốn tìm · did you mean</h2><ul>{items}</ul>")
    return shell("404 — tttt-kg", "\n".join(body))
