"""The query page of `tttt-kg serve` (`/`): YASGUI, bundled with the package and served offline.

YASGUI (@zazuko/yasgui, in ``static/yasgui/`` with its licence and ``VERSIONS``; refreshed from npm by
``scripts/refresh-yasgui.sh``) is loaded from the server's own path, and configured by
``static/query-page/query-page.js`` with what this module serves as ``/query-page/config.json``:

* the endpoint (this server's ``/sparql``) and the project's prefixes (``graph/namespaces.PREFIXES``)
  in place of the ones YASGUI would look up;
* one tab per named query of the catalogue: its title in the page's language, its header (question,
  parameters) as the comment it already is, and its parameters filled in with their defaults
  (``tab_text``);
* the classes and properties of the graph's own vocabulary, read from ``ontology/*.ttl`` (declared
  there, or named by the SHACL shapes), for autocompletion in place of YASGUI's remote LOV look-ups.

Nothing on the page calls out: the Content-Security-Policy sent with it (``CSP``) lets scripts,
styles and requests come from this server only, and the page keeps the plain form of the previous
page, which posts to ``/sparql`` and works without JavaScript.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

STATIC = Path(__file__).parent / "static"
LANGS = ("vi", "en")
XSD = "http://www.w3.org/2001/XMLSchema#"

# Scripts and styles from this server only, requests to this server only; no 'unsafe-eval', no
# 'unsafe-inline'. The one inline style YASGUI needs is allowed by its hash: the fixed <style> element
# its table's column resizer (column-resizer 1.4.0, inside yasgui.min.js) adds at run time. Style
# attributes stay refused; YASGUI sets its element styles through the DOM (el.style.x = …), which a
# CSP does not govern. tests/test_query_page_browser.py fails on any violation the page reports.
COLUMN_RESIZER_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
CSP = (f"default-src 'none'; script-src 'self'; style-src 'self' {COLUMN_RESIZER_STYLE}; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

STRINGS = {
    "vi": {"title": "tttt-kg · SPARQL", "h1": "SPARQL · Sở TTTT Hải Dương 2004–2019",
           "intro": "Trang này không cần mạng: mọi truy vấn gửi tới /sparql của máy chủ này. Mỗi truy vấn có tên "
                    "là một thẻ; Ctrl+Enter để chạy.",
           "plain": "Biểu mẫu đơn giản (không cần JavaScript; kết quả mở ra như một tệp)",
           "format": "Định dạng kết quả", "run": "Chạy", "other": "English",
           "filled": "tham số điền sẵn giá trị mặc định", "required": "bắt buộc: thay {var} bằng một giá trị",
           "queries": "Truy vấn có tên", "newTab": "Truy vấn"},
    "en": {"title": "tttt-kg · SPARQL", "h1": "SPARQL · Sở TTTT Hải Dương 2004–2019",
           "intro": "This page needs no network: every query goes to /sparql on this server. Each named query "
                    "is a tab; Ctrl+Enter runs the query.",
           "plain": "Plain form (works without JavaScript; the answer opens as a file)",
           "format": "Answer format", "run": "Run", "other": "Tiếng Việt",
           "filled": "parameters filled in with their defaults", "required": "required: replace {var} with a value",
           "queries": "Named queries", "newTab": "Query"},
}

DEFAULT_QUERY = """SELECT ?number ?date ?title WHERE {
  ?d a tkg:AdministrativeDecision ; eli:id_local ?number ; eli:date_document ?date .
  OPTIONAL { ?d eli:title ?title }
} ORDER BY ?date
"""


# ---- the named queries as editor tabs ------------------------------------------------------------

def _term_text(param, value: str) -> str:
    """``value`` as SPARQL text of the term the catalogue would bind (typed as the parameter says)."""
    from tttt_kg.queries.catalogue import to_term
    term = to_term(param, value)
    text = str(term)   # N-Triples form: "…"^^<…>, <…>, "…"
    for local in ("date", "integer", "string"):
        text = text.replace(f"^^<{XSD}{local}>", f"^^xsd:{local}")
    return text.replace("^^xsd:string", "")


_EXAMPLE = re.compile(r'e\.g\.\s+("([^"]+)"|(\S+?))[,;)]?(?:\s|$)')


def _value_for(param) -> str | None:
    """The default of a parameter, or for a required one the example its description gives."""
    if param.default is not None:
        return param.default
    if param.required:
        m = _EXAMPLE.search(param.doc)
        if m:
            return m.group(2) or m.group(3)
    return None


def _substitute(text: str, values: dict[str, str]) -> str:
    """``text`` with each variable of ``values`` replaced by its term, as Oxigraph's substitution binds
    it: everywhere in the query; in the outermost SELECT a projected ``?v`` becomes ``(TERM AS ?v)``,
    a subquery stops projecting it (nothing it joins on holds it any more), and a bare ``?v`` of
    GROUP BY / ORDER BY becomes ``(TERM)``, so the text stays valid SPARQL with the same answers."""
    from tttt_kg.graph.guards.sparql_guard import _Lexer   # the SPARQL 1.1 terminals, as the endpoint's guard reads them
    toks = _Lexer(text).run().tokens
    out, last, region, depth, braces, outer = [], 0, None, 0, 0, False
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else None
        if word == "SELECT":
            region, depth, outer = "select", 0, braces == 0
        elif word == "BY" and i and toks[i - 1].text.upper() in ("GROUP", "ORDER"):
            region, depth = "modifier", 0
        elif word in ("WHERE", "HAVING", "LIMIT", "OFFSET", "VALUES"):
            region = None
        elif tok.kind == "open" and tok.text == "(":
            depth += 1
        elif tok.kind == "close" and tok.text == ")":
            depth -= 1
        elif tok.kind == "open" and tok.text == "{":
            braces, region = braces + 1, None
        elif tok.kind == "close" and tok.text == "}":
            braces, region = braces - 1, None
        if tok.kind != "var" or tok.text[1:] not in values:
            continue
        term = values[tok.text[1:]]
        if region == "select" and depth == 0:
            new = f"({term} AS {tok.text})" if outer else ""
        elif region == "modifier" and depth == 0:
            new = f"({term})"
        else:
            new = term
        out.append(text[last:tok.start])
        out.append(new)
        last = tok.start + len(tok.text)
        if not new and text[last:last + 1] == " ":
            last += 1
    out.append(text[last:])
    return "".join(out)


def tab_text(query, lang: str = "vi", values: dict[str, str] | None = None) -> str:
    """The text a named query's tab opens with: the .rq file with its parameters filled in (their
    defaults, or ``values``), and a comment saying which; a parameter left at ``any`` stays a variable."""
    s = STRINGS[lang]
    filled: dict[str, str] = {}
    notes = []
    for p in query.params:
        value = (values or {}).get(p.name, _value_for(p))
        if value is None:
            continue
        filled[p.name] = _term_text(p, value)
        notes.append(f"#   ?{p.name} = {filled[p.name]}  ({p.doc})")
    for p in query.params:
        if p.required and p.name not in filled:
            notes.append(f"#   ?{p.name}: {s['required'].format(var='?' + p.name)}")
    text = _substitute(query.text, filled) if filled else query.text
    if filled and "xsd:" in "".join(filled.values()) and not re.search(r"(?im)^\s*PREFIX\s+xsd:", text):
        text = _after_header(text, f"PREFIX xsd: <{XSD}>\n")
    if notes:
        text = _after_header(text, f"# {s['filled']}:\n" + "\n".join(notes) + "\n")
    return text


def _after_header(text: str, insert: str) -> str:
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith("#"):
        n += 1
    return "".join(lines[:n]) + insert + "".join(lines[n:])


# ---- the vocabulary for autocompletion ------------------------------------------------------------

@lru_cache(maxsize=None)
def ontology_terms() -> dict[str, list[str]]:
    """The classes and properties of the graph's own vocabulary (ontology/*.ttl): those declared
    there, and those the SHACL shapes name (sh:targetClass, sh:class, sh:path)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL, RDF, RDFS, SH

    from tttt_kg.ontology import HERE as ONTOLOGY_DIR
    g = Graph()
    for path in sorted(Path(ONTOLOGY_DIR).glob("*.ttl")):
        g.parse(path, format="turtle")
    qb = "http://purl.org/linked-data/cube#"
    classes = {s for t in (OWL.Class, RDFS.Class) for s in g.subjects(RDF.type, t)}
    classes |= set(g.objects(None, SH.targetClass)) | set(g.objects(None, SH["class"]))
    prop_types = [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
                  URIRef(qb + "DimensionProperty"), URIRef(qb + "AttributeProperty"), URIRef(qb + "MeasureProperty")]
    properties = {s for t in prop_types for s in g.subjects(RDF.type, t)} | set(g.objects(None, SH.path))
    keep = lambda terms: sorted(str(t) for t in terms if isinstance(t, URIRef))  # noqa: E731
    return {"classes": keep(classes), "properties": keep(properties)}


# ---- the page and its configuration ---------------------------------------------------------------

def page_language(request: Request) -> str:
    """?lang=vi|en, else the first of vi, en the browser's Accept-Language prefers, else vi."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    ranked = []
    for n, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((-weight, n, tag.split("-")[0].lower()))
    return next((tag for _, _, tag in sorted(ranked) if tag in LANGS), "vi")


@lru_cache(maxsize=None)
def page_config(lang: str, resource_view: bool = False) -> dict:
    from tttt_kg.queries.catalogue import CatalogueError, get, load_catalogue

    from tttt_kg.graph.namespaces import BASE, PREFIXES, sparql_prologue
    tabs = [{"id": "q-" + q.id, "name": q.title.get(lang) or q.title.get("en") or q.id, "query": tab_text(q, lang),
             "question": q.question} for q in load_catalogue()]
    try:
        cite = tab_text(get("source-passage"), lang, {"node": "http://cite.invalid/node"})
    except CatalogueError:   # a catalogue without it: citations link like other IRIs
        cite = None
    config = {
        "lang": lang, "endpoint": "/sparql", "base": BASE,
        "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
        "defaultQuery": sparql_prologue() + "\n" + DEFAULT_QUERY,
        "newTabName": STRINGS[lang]["newTab"],
        "tabs": tabs, "terms": ontology_terms(),
        "cite": cite, "citePlaceholder": "<http://cite.invalid/node>",
        "resourceView": resource_view,
    }
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode("utf-8")).hexdigest()[:12]
    config["version"] = digest
    return config


def _has_resource_view(request: Request) -> bool:
    """Whether this server also shows resources at /id/… (then graph IRIs link there, else to DESCRIBE)."""
    for route in getattr(request.app, "routes", []):
        path = getattr(route, "path", "")
        if path.startswith("/id/") or path == "/id":
            return True
    return False


def page_html(lang: str) -> str:
    from tttt_kg.graph.namespaces import sparql_prologue
    s = STRINGS[lang]
    other = "en" if lang == "vi" else "vi"
    e = html.escape
    default = sparql_prologue() + "\n" + DEFAULT_QUERY
    formats = [("json", "SPARQL JSON"), ("xml", "XML"), ("csv", "CSV"), ("tsv", "TSV"),
               ("turtle", "Turtle (CONSTRUCT/DESCRIBE)"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD")]
    options = "".join(f'<option value="{v}">{e(t)}</option>' for v, t in formats)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{e(s['title'])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/query-page/yasgui/yasgui.min.css">
<link rel="stylesheet" href="/static/query-page/query-page.css">
<script src="/static/query-page/yasgui/yasgui.min.js" defer></script>
<script src="/static/query-page/query-page.js" defer></script>
</head>
<body>
<header>
<h1>{e(s['h1'])}</h1>
<p>{e(s['intro'])}
 <a href="/queries">{e(s['queries'])}</a> · <a href="/openapi.json">API</a> · <a href="/viz/">/viz/</a> ·
 <a href="/?lang={other}" hreflang="{other}" lang="{other}">{e(s['other'])}</a></p>
</header>
<div id="yasgui" data-config="/query-page/config.json?lang={lang}"></div>
<p id="page-status" role="status"></p>
<section id="plain">
<h2>{e(s['plain'])}</h2>
<form id="plain-form" method="post" action="/sparql">
<textarea id="query" name="query" spellcheck="false" rows="14">{e(default)}</textarea>
<p><label>{e(s['format'])}: <select id="format" name="format">{options}</select></label>
<button type="submit">{e(s['run'])}</button></p>
</form>
</section>
</body>
</html>
"""


async def page(request: Request) -> Response:
    return HTMLResponse(page_html(page_language(request)), headers={"Content-Security-Policy": CSP,
                                                                    "Vary": "Accept-Language"})


async def config(request: Request) -> Response:
    lang = request.query_params.get("lang")
    lang = lang if lang in LANGS else page_language(request)
    return JSONResponse(page_config(lang, _has_resource_view(request)))


def routes() -> list:
    """The page's routes, for graph/server/endpoint.py's route list."""
    from starlette.staticfiles import StaticFiles
    return [Route("/", page, methods=["GET"]),
            Route("/query-page/config.json", config, methods=["GET"]),
            Mount("/static/query-page", app=StaticFiles(directory=str(STATIC)), name="query-page-static")]
