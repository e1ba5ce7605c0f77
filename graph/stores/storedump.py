"""Serialise a whole store with Oxigraph's writers: seconds for a million triples, where rdflib takes a minute.

An Oxigraph store (on disk or in memory) is written straight to the output file by Oxigraph, so
the export never holds the serialisation in memory and costs what a raw `Store.dump` costs.
"""
from __future__ import annotations

from typing import IO

FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML"}


def dump_store(store, fmt: str = "turtle", output: str | IO[bytes] | None = None) -> bytes | None:
    """The store's default graph in ``fmt`` (turtle, ntriples, nquads, trig, xml), with the project's
    prefixes: written to ``output`` (a path or a binary file), or returned as bytes when it is None."""
    import pyoxigraph as ox

    from tttt_kg.graph.stores.base import StoreError, _prefixes
    from tttt_kg.graph.stores.store import OxigraphStore
    if fmt not in FORMATS:
        raise StoreError(f"cannot write a store as '{fmt}'; choose one of {', '.join(FORMATS)}")
    rdf_format = getattr(ox.RdfFormat, FORMATS[fmt])
    kwargs = {"prefixes": _prefixes()} if fmt in ("turtle", "trig") else {}
    if isinstance(store, OxigraphStore):
        if fmt not in ("nquads", "trig"):
            kwargs["from_graph"] = ox.DefaultGraph()
        return store.store.dump(output, format=rdf_format, **kwargs)
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples
    if fmt in ("nquads", "trig"):
        return ox.serialize([ox.Quad(t.subject, t.predicate, t.object) for t in triples], output,
                            format=rdf_format, **kwargs)
    return ox.serialize(triples, output, format=rdf_format, **kwargs)


def write_store(spec: str, fmt: str, output) -> None:
    """`tttt-kg export --store SPEC`: the store in ``fmt``, to a file (atomically) or stdout."""
    import sys

    from tttt_kg.graph.atomic import atomic_path
    from tttt_kg.graph.stores.store import StoreError, open_store
    if fmt not in FORMATS:
        raise StoreError(f"export --store writes {', '.join(FORMATS)}; '{fmt}' needs the rdflib path (--graph FILE)")
    store = open_store(spec)
    if output is None or str(output) == "-":
        dump_store(store, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        # a file object, not the path: Oxigraph would fsync a path it opened, which a FIFO or device refuses
        with atomic_path(output) as tmp, open(tmp, "wb", buffering=1 << 20) as fh:
            dump_store(store, fmt, fh)
