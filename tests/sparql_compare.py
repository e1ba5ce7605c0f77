"""Compare query answers from two SPARQL engines, up to the differences SPARQL allows or Virtuoso is known for.

Normalised, each for a stated reason:
- GROUP_CONCAT: SPARQL leaves the order of the parts open, so parts are compared as a sorted list;
  over an empty group Virtuoso gives "" where Oxigraph leaves the variable unbound, so both count as "".
- Language tags: Virtuoso drops the tag of a literal that passes through SAMPLE, COALESCE, IF or an
  aggregate ("viễn thông" instead of "viễn thông"@vi), so string literals compare by their text.
- Integer subtypes: Oxigraph stores xsd:positiveInteger etc. as xsd:integer, so all compare as xsd:integer.
Nothing else is normalised: IRIs, dates, numbers, booleans and row counts must match exactly.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
STRINGS = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
INTEGERS = {XSD + t for t in ("integer", "positiveInteger", "nonNegativeInteger", "negativeInteger",
                              "nonPositiveInteger", "long", "int", "short", "byte")}
_CONCAT = re.compile(r'GROUP_CONCAT\s*\(((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)\s*AS\s*\?(\w+)',
                     re.IGNORECASE | re.DOTALL)
_SEPARATOR = re.compile(r';\s*separator\s*=\s*"([^"]*)"\s*$', re.IGNORECASE)


def concat_columns(sparql: str) -> dict[str, str]:
    """GROUP_CONCAT output variables of a query and their separators (a space by default)."""
    out = {}
    for m in _CONCAT.finditer(sparql):
        sep = _SEPARATOR.search(m.group(1))
        out[m.group(2)] = sep.group(1) if sep else " "
    return out


def _term(term, separator: str | None):
    if separator is not None:
        text = "" if term is None else term.value
        return ("concat", tuple(sorted(p for p in text.split(separator) if p)))
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in STRINGS:
            return ("string", term.value)
        if dt in INTEGERS:
            return ("integer", int(term.value))
        return ("literal", term.value, dt)
    return (type(term).__name__, term.value)


def normalise(result, sparql: str):
    if result.kind == "boolean":
        return result.boolean
    if result.kind == "graph":
        return sorted(repr(tuple(_term(t, None) for t in (tr.subject, tr.predicate, tr.object))) for tr in result.triples)
    concat = concat_columns(sparql)
    return sorted(repr(tuple(_term(row.get(v), concat.get(v)) for v in result.variables)) for row in result.rows)
