"""How a query result is written for a person (an aligned table) or a program (SPARQL formats, RDF).

Every machine format is written by Oxigraph: a Result's terms print in N-Triples form, which
is exactly the SPARQL 1.1 TSV results format; Oxigraph parses that and writes the JSON and
CSV results formats from it, and writes the RDF formats for CONSTRUCT / DESCRIBE answers.
No rdflib here: these writers run on the fast `tttt-kg query` path.
"""
from __future__ import annotations

import json
import unicodedata

TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")
RDF_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "xml")


class FormatError(ValueError):
    """A format that does not suit the kind of result (a table format for triples, or the reverse)."""


def check_format(kind: str, fmt: str) -> None:
    """Fail early, with the formats that would do, when ``fmt`` cannot carry a ``kind`` result."""
    if kind == "graph" and fmt not in RDF_FORMATS and fmt != "table":
        raise FormatError(f"a CONSTRUCT or DESCRIBE query gives RDF triples; use --format one of {', '.join(RDF_FORMATS)}")
    if kind != "graph" and fmt not in TABLE_FORMATS:
        raise FormatError(f"a SELECT or ASK query gives a table; use --format one of {', '.join(TABLE_FORMATS)}")


def render(result, fmt: str = "table") -> bytes:
    """``result`` (a tttt_kg.graph.stores.store.Result) as bytes in ``fmt``."""
    check_format(result.kind, fmt)
    if result.kind == "graph":
        return _rdf(result.triples, "turtle" if fmt == "table" else fmt)
    if fmt == "table":
        return _table(result).encode("utf-8")
    if result.kind == "boolean":
        if fmt in ("csv", "tsv"):
            return ("true\n" if result.boolean else "false\n").encode()
        text = json.dumps({"head": {}, "boolean": bool(result.boolean)})
        if fmt == "json":
            return text.encode() + b"\n"
        parsed = _parse_results(text.encode(), "json")
    else:
        tsv = _tsv(result)
        if fmt == "tsv":
            return tsv
        parsed = _parse_results(tsv, "tsv")
    import pyoxigraph as ox
    out = parsed.serialize(format={"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                                   "xml": ox.QueryResultsFormat.XML}[fmt])
    return out if out.endswith(b"\n") else out + b"\n"


def _parse_results(data: bytes, fmt: str):
    import pyoxigraph as ox
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV if fmt == "tsv" else ox.QueryResultsFormat.JSON)


def _tsv(result) -> bytes:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(str(row[v]) if v in row else "" for v in result.variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rdf(triples, fmt: str) -> bytes:
    import pyoxigraph as ox

    from tttt_kg.graph.prefixes import PREFIX_IRIS
    ox_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
                 "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}[fmt]
    prefixes = dict(PREFIX_IRIS) if fmt in ("turtle", "trig", "xml") else None
    if fmt in ("nquads", "trig"):
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    out = ox.serialize(triples, format=ox_format, prefixes=prefixes) if prefixes else ox.serialize(triples, format=ox_format)
    return out if out.endswith(b"\n") else out + b"\n"


# ---- the table a person reads ------------------------------------------------------------

def cell(term) -> str:
    """A term as a person reads it: IRIs shortened to prefix:local, literals as their text."""
    if term is None:
        return ""
    import pyoxigraph as ox
    if isinstance(term, ox.NamedNode):
        from tttt_kg.graph.prefixes import shorten
        return shorten(term.value, paths=True)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return " ".join(str(term.value).split())


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(result) -> str:
    if result.kind == "boolean":
        return ("true" if result.boolean else "false") + "\n"
    cols = result.variables
    rows = [[cell(row.get(v)) for v in cols] for row in result.rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in rows]) for i, c in enumerate(cols)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(cols, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
    n = len(rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"
