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

import itertools
from collections.abc import Mapping
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
    rows: list[Mapping[str, Any]] = field(default_factory=list)   # var → pyoxigraph term (absent if unbound)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False   # more rows or triples than the caller's max_rows: the rest were not read


def _prefixes() -> dict[str, str]:
    return dict(PREFIX_IRIS)


class OxigraphStore:
    """An Oxigraph store, in memory or on disk (``on_disk``: some queries are written differently).

    ``version``: for oxigraph:PATH, the version folder it opened (graph/oxistore.store_version), whose
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
        return to_result(res, max_rows)

    def __len__(self) -> int:
        return len(self.store)

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
        return self.store.dump(format=fmt, from_graph=ox.DefaultGraph())


class Row(Mapping):
    """One solution as a read-only mapping var → term, unbound variables absent. Terms become Python
    objects only when read: making all of them up front cost about 10 s for the 1.24M rows x 9
    variables of changes-between-dates at 1M triples, for callers that read few of them."""
    __slots__ = ("_solution", "_names")

    def __init__(self, solution: ox.QuerySolution, names: tuple[str, ...]):
        self._solution, self._names = solution, names

    def __getitem__(self, name: str):
        term = self._solution[name] if name in self._names else None
        if term is None:
            raise KeyError(name)
        return term

    def __iter__(self):
        return (n for n in self._names if self._solution[n] is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return repr(dict(self))

    def project(self, names: tuple[str, ...]) -> "Row":
        """The same solution seen through fewer variables (a named query drops its bound parameters)."""
        return Row(self._solution, names)


def to_result(res, max_rows: int | None = None) -> Result:
    """A pyoxigraph answer as a Result; past ``max_rows`` rows (or triples) it stops reading, so a
    server refusing an answer over its cap never holds the rest (unless the engine must, to sort it)."""
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        names = tuple(variables)
        rows = []
        for sol in res:
            if max_rows is not None and len(rows) == max_rows:
                return Result("bindings", variables, rows, truncated=True)
            rows.append(Row(sol, names))
        return Result("bindings", variables, rows)
    if isinstance(res, ox.QueryBoolean):
        return Result("boolean", boolean=bool(res))
    triples = list(itertools.islice(res, max_rows + 1)) if max_rows is not None else list(res)
    if max_rows is not None and len(triples) > max_rows:
        return Result("graph", triples=triples[:max_rows], truncated=True)
    return Result("graph", triples=triples)


def open_store(spec: str | None = None, graph_file: Path | str | None = None,
               records_dir: Path | str | None = None) -> OxigraphStore:
    """Open the store named by ``spec``; for 'memory', load ``graph_file`` or build the records."""
    spec = spec or "memory"
    if spec == "memory":
        store = ox.Store()
        if graph_file:
            from .bulkload import format_of, load_file
            path = Path(graph_file)
            if not path.is_file():
                raise StoreError(f"{path}: no such file; build it with `tttt-kg build -o {path}`")
            load_file(store, path, fmt=format_of(path, default=ox.RdfFormat.TURTLE),   # as the rdflib path reads it
                      in_memory=True)
        else:
            from .build import build_graph
            from .export import serialise
            store.load(serialise(build_graph(records_dir), "ntriples"), format=ox.RdfFormat.N_TRIPLES)
        return OxigraphStore(store)
    if spec.startswith("oxigraph:"):
        from .oxistore import open_current   # checks the store's format version first
        store, version, lock = open_current(spec.split(":", 1)[1])
        return OxigraphStore(store, on_disk=True, version=version, lock=lock)
    if spec.startswith("sparql:"):
        from .sparqlstore import SparqlStore
        return SparqlStore(spec.split(":", 1)[1])
    raise StoreError(f"unknown store '{spec}'; use memory, oxigraph:PATH or sparql:URL")
