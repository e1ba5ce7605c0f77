"""What every store answers with, whatever the backend: Result, its rows, and StoreError.

Kept apart from store.py (which opens the backends) so that the backends and the guards can use
these without importing the module that imports them."""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from tttt_kg.graph.prefixes import PREFIX_IRIS   # plain strings: the query path must not import rdflib


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
