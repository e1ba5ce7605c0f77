"""The answer formats of the SPARQL endpoint: which one a client asked for, and its bytes.

Content negotiation lives here; the bytes are written by queries/formats.py, the writers the
`tttt-kg query` command uses too (all of them Oxigraph's).
"""
from __future__ import annotations

from dataclasses import dataclass


from tttt_kg.graph.stores.store import Result

# format name → media type, in order of preference when a client accepts anything
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# other media types clients send for the same formats
_RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                   "application/sparql-results+xml": "xml", "text/plain": "tsv"}
_GRAPH_ALIASES = {"application/x-turtle": "turtle", "text/plain": "ntriples", "application/json": "jsonld",
                  "application/xml": "rdfxml", "text/xml": "rdfxml"}
# values of the ?format= (or ?output=) parameter
FORMAT_NAMES = {
    "json": ("json", "jsonld"), "srj": ("json", None), "xml": ("xml", "rdfxml"), "srx": ("xml", None),
    "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "ntriples": (None, "ntriples"),
    "nt": (None, "ntriples"), "n-triples": (None, "ntriples"), "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"), "rdfxml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
    "rdf+xml": (None, "rdfxml"),
}


class NegotiationError(ValueError):
    """A format the endpoint cannot write (406) or a ?format= value it does not know (400)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Choice:
    """The format to answer in, for each kind of query (None: the client accepts none)."""
    results: str | None = "json"
    graph: str | None = "turtle"


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """q of the most specific range matching ``media`` (RFC 9110 §12.5.1), and its position."""
    kind = media.split("/")[0]
    best, specificity, position = 0.0, -1, len(ranges)
    for i, (rng, q) in enumerate(ranges):
        level = 2 if rng == media else 1 if rng == f"{kind}/*" else 0 if rng == "*/*" else -1
        if level > specificity:
            best, specificity, position = q, level, i
    return best, position


def _pick(ranges, names: dict[str, str], aliases: dict[str, str]) -> str | None:
    candidates = [(media, name) for name, media in names.items()] + list(aliases.items())
    scored = []
    for order, (media, name) in enumerate(candidates):
        q, position = _quality(media, ranges)
        if q > 0:
            scored.append((-q, position, order, name))
    return min(scored)[3] if scored else None


def preferred(accept: str | None, media_types: list[str]) -> str:
    """The one of ``media_types`` the Accept header ranks highest (the first one if it has no say)."""
    if not accept or not accept.strip():
        return media_types[0]
    ranges = _accept_ranges(accept)
    scored = [(-_quality(m, ranges)[0], _quality(m, ranges)[1], i, m) for i, m in enumerate(media_types)]
    best = min(scored)
    return best[3] if best[0] < 0 else media_types[0]


def negotiate(accept: str | None, format_param: str | None = None) -> Choice:
    """The formats to answer in, from ?format= if given, else from the Accept header."""
    if format_param:
        key = format_param.strip().lower()
        for name, media in {**RESULT_TYPES, **GRAPH_TYPES}.items():
            if key == media:
                key = name
        if key not in FORMAT_NAMES:
            raise NegotiationError(f"unknown format '{format_param}'; use one of {', '.join(FORMAT_NAMES)} "
                                   "or leave it out and send an Accept header", 400)
        results, graph = FORMAT_NAMES[key]
        return Choice(results or "json", graph or "turtle")
    if not accept or not accept.strip():
        return Choice()
    ranges = _accept_ranges(accept)
    return Choice(_pick(ranges, RESULT_TYPES, _RESULT_ALIASES), _pick(ranges, GRAPH_TYPES, _GRAPH_ALIASES))


def media_type(result: Result, choice: Choice) -> str:
    """The Content-Type of the answer to ``result``; NegotiationError(406) if none is acceptable."""
    if result.kind == "graph":
        if choice.graph is None:
            raise NegotiationError("a CONSTRUCT or DESCRIBE answer can be sent as "
                                   + ", ".join(GRAPH_TYPES.values()) + "; the Accept header allows none of them", 406)
        return GRAPH_TYPES[choice.graph]
    if choice.results is None:
        raise NegotiationError("a SELECT or ASK answer can be sent as " + ", ".join(RESULT_TYPES.values())
                               + "; the Accept header allows none of them", 406)
    return RESULT_TYPES[choice.results]


def serialise_result(result: Result, choice: Choice) -> tuple[str, bytes]:
    """(Content-Type, body) of ``result`` in the chosen format, written by the same code as `tttt-kg query`."""
    from tttt_kg.queries.formats import render

    content_type = media_type(result, choice)
    fmt = ({"rdfxml": "xml"}.get(choice.graph, choice.graph) if result.kind == "graph" else choice.results)
    return content_type, render(result, fmt)


def result_size(result: Result) -> int:
    """Rows of a SELECT, triples of a CONSTRUCT/DESCRIBE (what the row cap counts)."""
    return len(result.triples) if result.kind == "graph" else len(result.rows)
