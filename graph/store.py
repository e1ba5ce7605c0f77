"""The one query interface every reader of the graph goes through: `open_store(spec)`.

Queries run on Oxigraph's own SPARQL engine (pyoxigraph), never on rdflib's, which is
30–50× slower at scale. Results use pyoxigraph's term classes whatever the backend, so
code above this module does not care where the triples live.

Store specs (the `--store` option):
  memory             the seed graph in memory (loaded from a built file, or built from records)
  oxigraph:PATH      a persistent Oxigraph directory, made by `tttt-kg build --store oxigraph:PATH`
  sparql:URL         any SPARQL 1.1 endpoint (graph/sparqlstore.py)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .prefixes import PREFIX_IRIS   # plain strings: the query path must not import rdflib


class StoreError(ValueError):
    """A store spec that cannot be opened or a query the store refuses."""


@dataclass
class Result:
    """A query result: 'bindings' (vars + rows), 'boolean' (ask), or 'graph' (triples)."""
    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)   # var → pyoxigraph term (absent if unbound)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


def _prefixes() -> dict[str, str]:
    return dict(PREFIX_IRIS)


class OxigraphStore:
    """An Oxigraph store, in memory or on disk."""

    def __init__(self, store: ox.Store):
        self.store = store

    def query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Result:
        from .sparql_guard import check_nesting   # Oxigraph's parser segfaults on ~3,000 nested braces
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
        return to_result(res)

    def __len__(self) -> int:
        return len(self.store)

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
        return self.store.dump(format=fmt, from_graph=ox.DefaultGraph())


def to_result(res) -> Result:
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = []
        for sol in res:
            row = {}
            for v in variables:
                term = sol[v]
                if term is not None:
                    row[v] = term
            rows.append(row)
        return Result("bindings", variables, rows)
    if isinstance(res, ox.QueryBoolean):
        return Result("boolean", boolean=bool(res))
    return Result("graph", triples=list(res))


def open_store(spec: str | None = None, graph_file: Path | str | None = None,
               records_dir: Path | str | None = None) -> OxigraphStore:
    """Open the store named by ``spec``; for 'memory', load ``graph_file`` or build the records."""
    spec = spec or "memory"
    if spec == "memory":
        store = ox.Store()
        if graph_file:
            from .bulkload import load_file
            path = Path(graph_file)
            if not path.is_file():
                raise StoreError(f"{path}: no such file; build it with `tttt-kg build -o {path}`")
            load_file(store, path)
        else:
            from .build import build_graph
            from .export import serialise
            store.load(serialise(build_graph(records_dir), "ntriples"), format=ox.RdfFormat.N_TRIPLES)
        return OxigraphStore(store)
    if spec.startswith("oxigraph:"):
        from .oxistore import open_read_only   # checks the store's format version first
        return OxigraphStore(open_read_only(spec.split(":", 1)[1]))
    if spec.startswith("sparql:"):
        from .sparqlstore import SparqlStore
        return SparqlStore(spec.split(":", 1)[1])
    raise StoreError(f"unknown store '{spec}'; use memory, oxigraph:PATH or sparql:URL")
