"""The one query interface every reader of the graph goes through: `open_store(spec)`.

Queries run on Oxigraph's own SPARQL engine (pyoxigraph), never on rdflib's, which is
30–50× slower at scale. Results use pyoxigraph's term classes whatever the backend, so
code above this module does not care where the triples live.

Store specs (the `--store` option):
  memory             the seed graph in memory (loaded from a built file, or built from records)
  oxigraph:PATH      a persistent Oxigraph directory, made by `tttt-kg build --store oxigraph:PATH`
  sparql:URL         any SPARQL 1.1 endpoint (graph/stores/sparqlstore.py)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tttt_kg.graph.stores.base import Result, Row, StoreError, _prefixes, to_result  # noqa: F401  (re-exported)


class OxigraphStore:
    """An Oxigraph store, in memory or on disk (``on_disk``: some queries are written differently).

    ``version``: for oxigraph:PATH, the version folder it opened (graph/stores/oxistore.store_version), whose
    lock it holds until ``close()`` so that a load does not remove it; None in memory.
    """

    def __init__(self, store: ox.Store, on_disk: bool = False, version: str | None = None, lock=None):
        self.store = store
        self.on_disk = on_disk
        self.version = version
        self._lock = lock

    def close(self) -> None:
        """Let go of the store and of its version lock (a load may then remove that version)."""
        self.store = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def query(self, sparql: str, bindings: dict[str, Any] | None = None, max_rows: int | None = None) -> Result:
        """Run ``sparql``; with ``max_rows``, read at most that many rows (or triples) of the answer."""
        from tttt_kg.graph.guards.sparql_guard import check_nesting   # Oxigraph's parser segfaults on ~3,000 nested braces
        check_nesting(sparql)
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            res = self.store.query(sparql, prefixes=_prefixes(), substitutions=subs or None)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from None
        except RuntimeError as exc:   # Oxigraph binds only variables a SELECT projects
            if "projection" not in str(exc):
                raise
            raise StoreError(f"{exc}; a parameter must be a variable the SELECT names "
                             "(add it to the SELECT clause)") from None
        return to_result(res, max_rows)

    def __len__(self) -> int:
        return len(self.store)

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
        return self.store.dump(format=fmt, from_graph=ox.DefaultGraph())


def open_store(spec: str | None = None, graph_file: Path | str | None = None,
               records_dir: Path | str | None = None) -> OxigraphStore:
    """Open the store named by ``spec``; for 'memory', load ``graph_file`` or build the records."""
    spec = spec or "memory"
    if spec == "memory":
        store = ox.Store()
        if graph_file:
            from tttt_kg.graph.stores.bulkload import format_of, load_file
            path = Path(graph_file)
            if not path.is_file():
                raise StoreError(f"{path}: no such file; build it with `tttt-kg build -o {path}`")
            load_file(store, path, fmt=format_of(path, default=ox.RdfFormat.TURTLE),   # as the rdflib path reads it
                      in_memory=True)
        else:
            from tttt_kg.graph.build import build_graph
            from tttt_kg.graph.export import serialise
            store.load(serialise(build_graph(records_dir), "ntriples"), format=ox.RdfFormat.N_TRIPLES)
        return OxigraphStore(store)
    if spec.startswith("oxigraph:"):
        from tttt_kg.graph.stores.oxistore import open_current   # checks the store's format version first
        store, version, lock = open_current(spec.split(":", 1)[1])
        return OxigraphStore(store, on_disk=True, version=version, lock=lock)
    if spec.startswith("sparql:"):
        from tttt_kg.graph.stores.sparqlstore import SparqlStore
        return SparqlStore(spec.split(":", 1)[1])
    raise StoreError(f"unknown store '{spec}'; use memory, oxigraph:PATH or sparql:URL")
