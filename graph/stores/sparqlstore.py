"""A remote SPARQL 1.1 endpoint behind the same `query()` interface as the embedded store.

Queries go out over the SPARQL 1.1 Protocol (HTTP POST, stdlib urllib); results come back
as SPARQL XML/JSON or N-Triples and are parsed by pyoxigraph, so rows hold the same
pyoxigraph terms as an embedded query. Bindings are sent as a VALUES block at the top of
the WHERE clause, since a remote endpoint has no substitution API.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from tttt_kg.graph.stores.base import Result, StoreError, _prefixes, to_result

# One Accept per query form: Virtuoso answers 406 to a mixed list for CONSTRUCT.
ACCEPT_RESULTS = "application/sparql-results+xml, application/sparql-results+json;q=0.9"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
DEFAULT_TIMEOUT = 120.0
_DECLARED = re.compile(r"^\s*PREFIX\s+([\w.-]*):", re.IGNORECASE | re.MULTILINE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def check_url(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise StoreError(f"'{url}' is not an http(s) URL; write the store as sparql:http://HOST:PORT/sparql")
    return url


def make_opener(url: str, user: str | None = None, password: str | None = None):
    """A urllib opener that answers Basic or Digest challenges when a user is given."""
    if not user:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, user, password or "")
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager),
                                       urllib.request.HTTPBasicAuthHandler(manager))


def open_url(request: urllib.request.Request, timeout: float, what: str, opener=None):
    """urlopen with the failures a user can act on turned into StoreError."""
    try:
        return (opener or urllib.request.build_opener()).open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        body = exc.read(600).decode("utf-8", "replace").strip()
        hint = (" — is this the endpoint's SPARQL URL (often ending in /sparql)?" if exc.code in (404, 405)
                else " — check the credentials (--user, TTTT_KG_PASSWORD)" if exc.code in (401, 403) else "")
        first = " ".join(body.split())[:300]
        raise StoreError(f"{what}: HTTP {exc.code} {exc.reason}{hint}" + (f"\n  the server said: {first}" if first else "")) from None
    except (BrokenPipeError, ConnectionResetError) as exc:
        raise StoreError(f"{what}: the endpoint closed the connection ({exc.strerror or exc}); "
                         "check the URL and the credentials (--user, TTTT_KG_PASSWORD)") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (BrokenPipeError, ConnectionResetError)):
            raise StoreError(f"{what}: the endpoint closed the connection ({exc.reason.strerror}); "
                             "check the URL and the credentials (--user, TTTT_KG_PASSWORD)") from None
        raise StoreError(f"{what}: cannot reach the endpoint ({exc.reason}); check the URL and that the server is running") from None
    except (TimeoutError, OSError) as exc:
        raise StoreError(f"{what}: no answer from the endpoint ({exc}); check the URL and that the server is running") from None


def add_prologue(sparql: str) -> str:
    """Declare the project's prefixes the query uses but does not declare itself."""
    declared = {m.group(1) for m in _DECLARED.finditer(sparql)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in _prefixes().items() if p not in declared]
    return "\n".join(lines) + ("\n" if lines else "") + sparql


def term_to_sparql(term: Any) -> str:
    """A pyoxigraph term (or a plain Python value) written as SPARQL."""
    import pyoxigraph as ox

    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    if isinstance(term, bool):
        return "true" if term else "false"
    if isinstance(term, (int, float)):
        return repr(term)
    if isinstance(term, str):
        return str(ox.Literal(term))
    raise StoreError(f"cannot send a {type(term).__name__} as a query parameter to a SPARQL endpoint")


_TOKEN = re.compile(r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"[\s\S]*?\"\"\"|'\'\'[\s\S]*?'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\s]*>)
    |(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)
    |(?P<kw>\b(?:SELECT|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|OFFSET|VALUES)\b)
    |(?P<brace>[{}])
    |(?P<paren>[()])""", re.IGNORECASE | re.VERBOSE)
# Virtuoso 7.2 answers FILTER(?d <= "2018-01-01"^^xsd:date) with no rows (while `<` works): inside
# expressions a date is therefore written as the cast xsd:date("2018-01-01"), which every engine reads alike.
_CAST_IN_EXPRESSIONS = {"http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#dateTime"}


def substitute(sparql: str, bindings: dict[str, Any]) -> str:
    """Replace each bound variable by its value, as Oxigraph's substitutions do, in the query text.

    A remote endpoint has no substitution API, and a VALUES block is not equivalent on every
    server (Virtuoso fails on one whose variables a FILTER NOT EXISTS uses). In a projection the
    variable becomes ``(value AS ?var)``, so it still appears in the results (a subquery drops it
    from its projection, as the constant now stands in its body); in GROUP BY and
    ORDER BY it becomes ``(value)``; everywhere else (patterns, filters) the value itself.
    """
    if not bindings:
        return sparql
    import pyoxigraph as ox

    values = {k: term_to_sparql(v) for k, v in bindings.items()}
    casts = {k: f'<{v.datatype.value}>("{v.value}")' for k, v in bindings.items()
             if isinstance(v, ox.Literal) and v.datatype.value in _CAST_IN_EXPRESSIONS}
    out, pos, context, selects, depth = [], 0, "body", 0, 0
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind == "paren":
            depth = max(0, depth + (1 if m.group() == "(" else -1))
        elif kind == "kw":
            word = m.group().split()[0].upper()
            context = {"SELECT": "projection", "GROUP": "modifier", "ORDER": "modifier"}.get(word, "body")
            selects += word == "SELECT"
        elif kind == "brace":
            context = "body"
        elif kind == "var" and m.group()[1:] in values:
            value = values[m.group()[1:]]
            if context == "projection":   # the outer SELECT still returns it; a subquery need not
                text = f"({value} AS ?{m.group()[1:]})" if selects == 1 else ""
            elif context == "modifier":
                text = f"({value})"
            else:
                text = casts.get(m.group()[1:], value) if depth > 0 else value
            out.append(sparql[pos:m.start()] + text)
            pos = m.end()
    out.append(sparql[pos:])
    return "".join(out)


class SparqlStore:
    """Any SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, Oxigraph server, …)."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, user: str | None = None,
                 password: str | None = None):
        self.url = check_url(url)
        self.timeout = timeout
        self.opener = make_opener(url, user, password)

    def query(self, sparql: str, bindings: dict[str, Any] | None = None, max_rows: int | None = None) -> Result:
        """Run ``sparql`` on the endpoint; ``max_rows`` caps what is kept (the server sends it all)."""
        import pyoxigraph as ox

        text = add_prologue(substitute(sparql, bindings or {}))
        form = _FORM.search(sparql)
        accept = ACCEPT_GRAPH if form and form.group(1).upper() in ("CONSTRUCT", "DESCRIBE") else ACCEPT_RESULTS
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        with open_url(request, self.timeout, self.url, self.opener) as response:
            media = response.headers.get_content_type()
            data = response.read()
        not_sparql = StoreError(f"{self.url}: did not answer like a SPARQL endpoint (got {media}); "
                                "give the endpoint's SPARQL URL, often ending in /sparql")
        results_format = ox.QueryResultsFormat.from_media_type(media)
        if results_format is not None and results_format in (ox.QueryResultsFormat.XML, ox.QueryResultsFormat.JSON):
            try:
                return to_result(ox.parse_query_results(data, results_format), max_rows)
            except (SyntaxError, ValueError):
                raise not_sparql from None
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is not None and media != "text/html":
            self._check_untrusted(data, rdf_format)
            try:
                return to_result((q.triple for q in ox.parse(data, rdf_format)), max_rows)
            except (SyntaxError, ValueError):
                raise not_sparql from None
        raise not_sparql

    def _check_untrusted(self, data: bytes, rdf_format) -> None:
        """An endpoint's RDF/XML or JSON-LD is untrusted input like any file: entity bombs and remote
        contexts are refused before pyoxigraph reads it (graph/guards/safe_inputs.py)."""
        from tttt_kg.graph.guards.safe_inputs import JSONLD_NAMES, RDFXML_NAMES, check_for_oxigraph
        if rdf_format.media_type not in RDFXML_NAMES | JSONLD_NAMES:
            return
        import tempfile
        with tempfile.NamedTemporaryFile(suffix="." + rdf_format.file_extension) as fh:
            fh.write(data)
            fh.flush()
            check_for_oxigraph(fh.name, rdf_format,
                               error=lambda why: StoreError(f"{self.url}: refused its answer: {why}"))

    def __len__(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(res.rows[0]["n"].value)

    def dump(self, fmt=None) -> bytes:
        import pyoxigraph as ox

        res = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return ox.serialize(res.triples, format=fmt or ox.RdfFormat.N_TRIPLES)
