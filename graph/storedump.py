"""Serialise a whole store with Oxigraph's writers: seconds for a million triples, where rdflib takes a minute."""
from __future__ import annotations

FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML"}


def dump_store(store, fmt: str = "turtle") -> bytes:
    """The store's default graph in ``fmt`` (turtle, ntriples, nquads, trig, xml), with the project's prefixes."""
    import pyoxigraph as ox

    from .store import OxigraphStore, StoreError, _prefixes
    if fmt not in FORMATS:
        raise StoreError(f"cannot write a store as '{fmt}'; choose one of {', '.join(FORMATS)}")
    rdf_format = getattr(ox.RdfFormat, FORMATS[fmt])
    prefixes = _prefixes() if fmt in ("turtle", "trig") else None
    if isinstance(store, OxigraphStore):
        if fmt in ("nquads", "trig"):
            return store.store.dump(format=rdf_format, prefixes=prefixes) if prefixes else store.store.dump(format=rdf_format)
        kwargs = {"prefixes": prefixes} if prefixes else {}
        return store.store.dump(format=rdf_format, from_graph=ox.DefaultGraph(), **kwargs)
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples
    kwargs = {"prefixes": prefixes} if prefixes and fmt == "turtle" else {}
    if fmt in ("nquads", "trig"):
        return ox.serialize([ox.Quad(t.subject, t.predicate, t.object) for t in triples], format=rdf_format)
    return ox.serialize(triples, format=rdf_format, **kwargs)


def write_store(spec: str, fmt: str, output) -> None:
    """`tttt-kg export --store SPEC`: the store in ``fmt``, to a file (atomically) or stdout."""
    import sys

    from .atomic import write_bytes_atomic
    from .store import StoreError, open_store
    if fmt not in FORMATS:
        raise StoreError(f"export --store writes {', '.join(FORMATS)}; '{fmt}' needs the rdflib path (--graph FILE)")
    data = dump_store(open_store(spec), fmt)
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_bytes_atomic(output, data)
