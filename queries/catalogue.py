"""The catalogue of named queries: read the *.rq files, bind typed parameters, run them.

Each query is one file whose leading comment is its header::

    # id: mandate-at
    # title@vi: Nhiệm vụ được giao vào một ngày
    # title@en: The mandate on a given day
    # question: Which decisions were in force on the day, and which functions did they give?
    # param: at xsd:date 2010-01-01 — the day
    # param: org xsd:string any — dct:identifier of an organisation; any = every organisation

A parameter line is ``name type default — doc``. ``default`` is a value, ``any`` (left
unbound, so the query matches every value) or ``required``. Types: xsd:date, xsd:string,
xsd:integer, iri (full IRI or prefix:local) and searchkey (a text reduced to the graph's
tolerant search key by `tttt_kg.graph.vietnamese.search_key`).

Parameters are bound as typed RDF terms through Oxigraph's substitutions, never pasted into
the query text. Oxigraph binds only variables a SELECT projects, so every parameter of a
SELECT query is named in its SELECT clause; `run` drops the bound (constant) columns again.
This module must stay free of rdflib on its import path: `tttt-kg query` starts cold.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
QUERY_BASE = "https://w3id.org/tttt-kg/id/query/"
PARAM_TYPES = ("xsd:date", "xsd:string", "xsd:integer", "iri", "searchkey")
XSD = "http://www.w3.org/2001/XMLSchema#"


class CatalogueError(ValueError):
    """A bad query name, a bad header, or a parameter that is missing or of the wrong type."""


class QueryTimeout(RuntimeError):
    """A query that ran past its time limit (it is abandoned, not finished)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    doc: str
    required: bool = False

    def describe(self) -> str:
        default = "required" if self.required else ("any" if self.default is None else self.default)
        return f"{self.name} ({self.type}, default {default}): {self.doc}"


@dataclass(frozen=True)
class NamedQuery:
    id: str
    title: dict[str, str]
    question: str
    params: list[Param]
    text: str
    path: Path | None = None
    form: str = field(default="select")   # select | construct | ask | describe

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_HEADER_LINE = re.compile(r"^#\s*([\w@-]+)\s*:\s*(.*)$")
_PARAM_LINE = re.compile(r'^([A-Za-z_]\w*)\s+(\S+)\s+("[^"]*"|\S+)\s+(?:—|--|-)\s+(.+)$')
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)


def query_form(text: str) -> str:
    """select / construct / ask / describe: the first query keyword outside comments and IRIs."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"<[^>\s]*>", "<>", body)
    m = _FORM.search(body)
    return m.group(1).lower() if m else "select"


def parse_query(text: str, path: Path | None = None, default_id: str | None = None) -> NamedQuery:
    """Read a query and its header comment. A text without a header gets an empty one."""
    where = str(path) if path else "query"
    fields: dict[str, str] = {}
    params: list[Param] = []
    last = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        m = _HEADER_LINE.match(line)
        if m and m.group(1) in ("id", "title@vi", "title@en", "question", "param"):
            key, value = m.group(1), m.group(2).strip()
            if key == "param":
                params.append(_parse_param(value, f"{where}:{n}"))
            else:
                fields[key] = value
            last = key
        elif last in ("question", "title@vi", "title@en") and line[1:].strip():
            fields[last] += " " + line[1:].strip()   # a wrapped header line
    title = {lang: fields[f"title@{lang}"] for lang in ("vi", "en") if f"title@{lang}" in fields}
    return NamedQuery(id=fields.get("id", default_id or (path.stem if path else "inline")), title=title,
                      question=fields.get("question", ""), params=params, text=text, path=path,
                      form=query_form(text))


def _parse_param(value: str, where: str) -> Param:
    m = _PARAM_LINE.match(value)
    if not m:
        raise CatalogueError(f"{where}: cannot read the parameter line '{value}'; "
                             "write it as `# param: NAME TYPE DEFAULT — what it is`")
    name, type_, default, doc = m.groups()
    if type_ not in PARAM_TYPES:
        raise CatalogueError(f"{where}: parameter '{name}' has unknown type '{type_}'; "
                             f"use one of {', '.join(PARAM_TYPES)}")
    default = default.strip('"')
    if default in ("any", "required"):
        return Param(name, type_, None, doc.strip(), required=default == "required")
    return Param(name, type_, default, doc.strip())


_CACHE: list[NamedQuery] | None = None


def load_catalogue(folder: Path | str | None = None) -> list[NamedQuery]:
    """Every named query of ``folder`` (default: this package), sorted by id."""
    global _CACHE
    if folder is None and _CACHE is not None:
        return _CACHE
    base = Path(folder) if folder else HERE
    queries = [parse_query(p.read_text(encoding="utf-8"), p) for p in sorted(base.glob("*.rq"))]
    seen: dict[str, Path | None] = {}
    for q in queries:
        if q.id in seen:
            raise CatalogueError(f"{q.path}: id '{q.id}' is also used by {seen[q.id]}; give each query its own id")
        seen[q.id] = q.path
    queries.sort(key=lambda q: q.id)
    if folder is None:
        _CACHE = queries
    return queries


def get(name: str) -> NamedQuery:
    """The named query ``name``; an unknown name is an error that lists the nearest names."""
    queries = {q.id: q for q in load_catalogue()}
    if name in queries:
        return queries[name]
    near = difflib.get_close_matches(name, queries, n=3, cutoff=0.4)
    hint = f"nearest: {', '.join(near)}" if near else f"known queries: {', '.join(queries)}"
    raise CatalogueError(f"no query named '{name}' ({hint}); `tttt-kg queries` lists them all")


# ---- parameters -------------------------------------------------------------------------

def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD, or dd/mm/yyyy and dd.mm.yyyy as Vietnamese documents write dates."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    return None


def to_term(param: Param, value: str):
    """``value`` as the RDF term ``param`` declares, or a CatalogueError saying what it should be."""
    import pyoxigraph as ox

    def bad(what: str) -> CatalogueError:
        return CatalogueError(f"parameter '{param.name}' must be {what}, not '{value}'")

    text = str(value)
    if param.type == "xsd:date":
        d = parse_date(text)
        if d is None:
            raise bad("a date (YYYY-MM-DD, e.g. 2010-01-01, or dd/mm/yyyy)")
        return ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if param.type == "xsd:integer":
        if not re.fullmatch(r"[+-]?\d+", text.strip()):
            raise bad("a whole number (e.g. 7)")
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    if param.type == "iri":
        iri = _iri(text)
        if iri is None:
            raise bad("an IRI: <https://…>, https://… or prefix:local such as id:org/so-tttt-hai-duong")
        return ox.NamedNode(iri)
    if param.type == "searchkey":
        from tttt_kg.graph.vietnamese import search_key
        key = search_key(text)
        if not key:
            raise bad("some words to search for (e.g. 'van hoa')")
        return ox.Literal(key)
    return ox.Literal(text)


def _iri(text: str) -> str | None:
    from tttt_kg.graph.prefixes import expand
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    iri = text if re.match(r"^[A-Za-z][\w+.-]*:/", text) or text.startswith("ni:") else expand(text)
    if not iri or re.search(r"[\s<>\"{}|\\^`]", iri):
        return None
    return iri


def _guess_param(name: str, value: str) -> Param:
    """The type of a parameter a query does not declare, read off how the value is written."""
    text = value.strip()
    if text.startswith("<") or (":" in text and _iri(text) and not parse_date(text)):
        return Param(name, "iri", None, "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Param(name, "xsd:date", None, "")
    return Param(name, "xsd:string", None, "")


def bind(query: NamedQuery, values: dict[str, str] | None = None) -> dict[str, Any]:
    """The query's parameters as typed pyoxigraph terms: given values, else defaults.

    A parameter the query does not declare is an error for a catalogue query; for an ad hoc
    query without a header its type is read off the value (<iri> or prefix:local, a date
    YYYY-MM-DD, else a string). Parameters left at ``any`` stay unbound.
    """
    values = dict(values or {})
    declared = {p.name: p for p in query.params}
    unknown = [k for k in values if k not in declared]
    if unknown and (query.params or query.path is not None and query.path.parent == HERE):
        names = ", ".join(p.name for p in query.params) or "none"
        raise CatalogueError(f"query '{query.id}' has no parameter '{unknown[0]}' (its parameters: {names})")
    terms: dict[str, Any] = {}
    for p in query.params:
        if p.name in values:
            terms[p.name] = to_term(p, values[p.name])
        elif p.required:
            raise CatalogueError(f"query '{query.id}' needs parameter '{p.name}': {p.doc} "
                                 f"({p.type}); give it as --param {p.name}=VALUE")
        elif p.default is not None:
            terms[p.name] = to_term(p, p.default)
    for name in unknown:
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise CatalogueError(f"'{name}' is not a SPARQL variable name; use letters, digits and _")
        terms[name] = to_term(_guess_param(name, values[name]), values[name])
    return terms


# ---- running ----------------------------------------------------------------------------

def run(store, query_or_text: NamedQuery | str, params: dict[str, str] | None = None,
        timeout: float | None = None, max_rows: int | None = None):
    """Run a named query (or SPARQL text) on ``store`` with typed parameters.

    Bound parameters are constant columns; they are dropped from the result. With
    ``timeout`` (seconds) the query runs in a worker thread that is abandoned when the time
    is up, and QueryTimeout is raised. Oxigraph cannot cancel a query, so the thread runs on, a CPU
    busy, until the query ends: a caller that must get the CPU back ends its process (the CLI exits,
    the server kills its query worker). With ``max_rows`` at most that many rows are read
    (``result.truncated`` says whether there were more).
    """
    query = query_or_text if isinstance(query_or_text, NamedQuery) else parse_query(query_or_text)
    terms = bind(query, params)
    result = _call(lambda: store.query(query.text, terms, max_rows=max_rows), timeout)
    if result.kind == "bindings" and terms:
        result.variables = [v for v in result.variables if v not in terms]
        kept = tuple(result.variables)
        result.rows = [row.project(kept) for row in result.rows]
    return result


def _call(work, timeout: float | None):
    if timeout is None:
        return work()
    outcome: dict[str, Any] = {}

    def worker():
        try:
            outcome["value"] = work()
        except BaseException as exc:   # handed back to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=worker, name="tttt-kg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; "
                           "narrow it (FILTER, LIMIT) or raise --timeout")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# ---- the catalogue as RDF ---------------------------------------------------------------

def catalogue_graph():
    """The catalogue as SHACL executables (as sib-swiss/sparql-examples publishes queries).

    Each query becomes an ``sh:SPARQLExecutable`` (and ``sh:SPARQLSelectExecutable`` etc.)
    with its text in ``sh:select`` / ``sh:construct`` / ``sh:ask`` / ``sh:describe``, its
    question as ``rdfs:comment`` and its titles as ``rdfs:label``, so the questions travel
    with every export of the graph.
    """
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, RDFS

    from tttt_kg.graph.namespaces import SH, TKG, new_graph
    from tttt_kg.graph.vietnamese import search_key

    g = new_graph()
    kinds = {"select": (SH.SPARQLSelectExecutable, SH.select), "construct": (SH.SPARQLConstructExecutable, SH.construct),
             "ask": (SH.SPARQLAskExecutable, SH.ask), "describe": (SH.SPARQLDescribeExecutable, SH.describe)}
    for q in load_catalogue():
        s = URIRef(QUERY_BASE + q.id)
        cls, prop = kinds[q.form]
        g.add((s, RDF.type, SH.SPARQLExecutable))
        g.add((s, RDF.type, cls))
        g.add((s, DCTERMS.identifier, Literal(q.id)))
        for lang, title in q.title.items():
            g.add((s, RDFS.label, Literal(title, lang=lang)))
        comment = q.question + "".join(f"\nParameter {p.describe()}" for p in q.params)
        g.add((s, RDFS.comment, Literal(comment, lang="en")))
        g.add((s, prop, Literal(q.text)))
        for key in sorted({search_key(t) for t in q.title.values()}):
            g.add((s, TKG.searchKey, Literal(key)))
    return g
