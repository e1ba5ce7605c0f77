"""Serialise the graph in the RDF formats researchers load into their own stores."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from rdflib import Dataset, Graph

from tttt_kg.ontology import CONTEXT

from tttt_kg.graph.atomic import write_bytes_atomic
from tttt_kg.graph.stop_points import stop_at

# name → (rdflib format, file extension, media type)
FORMATS = {
    "turtle": ("longturtle", "ttl", "text/turtle"),
    "ntriples": ("nt", "nt", "application/n-triples"),
    "nquads": ("nquads", "nq", "application/n-quads"),
    "jsonld": ("json-ld", "jsonld", "application/ld+json"),
    "trig": ("trig", "trig", "application/trig"),
    "xml": ("xml", "rdf", "application/rdf+xml"),
}
DEFAULT_GRAPH_IRI = "https://w3id.org/tttt-kg/graph"


def jsonld_context() -> dict:
    return json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]


def serialise(g: Graph, fmt: str) -> bytes:
    """The graph as bytes in ``fmt`` (a key of FORMATS). Line-based formats come out sorted."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    rdflib_format = FORMATS[fmt][0]
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        for prefix, ns in g.namespaces():
            ds.bind(prefix, ns, replace=True, override=True)
        named = ds.graph(DEFAULT_GRAPH_IRI)
        for t in g:
            named.add(t)
        data = ds.serialize(format=rdflib_format, encoding="utf-8")
    elif fmt == "jsonld":
        data = g.serialize(format="json-ld", context=jsonld_context(), encoding="utf-8")
    else:
        data = g.serialize(format=rdflib_format, encoding="utf-8")
    if fmt in ("ntriples", "nquads"):
        lines = sorted(set(line for line in data.splitlines() if line.strip()))
        data = b"\n".join(lines) + b"\n"
    return data


def write(g: Graph, fmt: str, output: Path | str | None) -> None:
    """Write to ``output`` atomically, or to stdout when it is None or '-'."""
    stop_at("serialising")   # test-only (graph/stop_points.py)
    data = serialise(g, fmt)
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_bytes_atomic(output, data)


def guess_format(path: Path | str) -> str | None:
    """The format name for a file extension (.ttl → turtle), or None."""
    ext = Path(path).suffix.lstrip(".").lower()
    for name, (_, e, _) in FORMATS.items():
        if e == ext:
            return name
    return {"turtle": "turtle", "json": "jsonld", "owl": "xml", "xml": "xml"}.get(ext)
