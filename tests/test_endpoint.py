"""`tttt-kg serve` through real clients (SPARQLWrapper, rdflib's SPARQLStore, curl) on loopback.

The server runs as a subprocess on a free port, reading a graph file the test builds; the
embedded answers come from the same file through `open_store`, so both sides hold the same
triples and every answer can be compared exactly (blank nodes aside).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from served import TTTT_KG, running_server

TIMEOUT = 3
MAX_ROWS = 20000   # above the whole graph: resource, unbound, is every triple
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DECISIONS = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>
SELECT ?d ?number ?date WHERE { ?d a tkg:AdministrativeDecision ; eli:id_local ?number ; eli:date_document ?date }
ORDER BY ?date ?number"""
SO_TTTT = "https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong"
# parameters for catalogue queries that need one (a value, not an answer)
REQUIRED_PARAMS = {"search": {"text": "văn hoá"}}


@pytest.fixture(scope="module")
def graph_file(seed_ntriples) -> Path:
    return seed_ntriples


@pytest.fixture(scope="module")
def server(graph_file):
    with running_server("--graph", str(graph_file), "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS)) as (base, _):
        yield base


@pytest.fixture(scope="module")
def embedded(graph_file):
    """The store as each server worker opens it."""
    from tttt_kg.graph.server.query_workers import prepare_opener
    opener, _ = prepare_opener("memory", graph_file, None)
    return opener.open()


def _key(term) -> str:
    """A term's N-Triples form; blank nodes (labels differ between loads) compare equal."""
    text = str(term)
    return "_:b" if text.startswith("_:") else text


def rows_of(result) -> list[tuple]:
    return [tuple(_key(row[v]) if v in row else None for v in result.variables) for row in result.rows]


def parsed_rows(body: bytes, fmt: ox.QueryResultsFormat) -> tuple[list[str], list[tuple]]:
    sols = ox.parse_query_results(body, format=fmt)
    variables = [v.value for v in sols.variables]
    return variables, [tuple(_key(s[v]) if s[v] is not None else None for v in variables) for s in sols]


def same_answer(expected, got, ordered: bool) -> bool:
    return expected == got if ordered else sorted(expected, key=repr) == sorted(got, key=repr)


def canonical(triples) -> set:
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in ds}


# ---- SPARQLWrapper ----------------------------------------------------------------------

def test_sparqlwrapper_select_json_and_xml_match_embedded(server, embedded):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper
    expected = rows_of(embedded.query(DECISIONS))
    assert len(expected) >= 4
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(DECISIONS)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    got = [tuple(_json_key(b.get(v)) for v in data["head"]["vars"]) for b in data["results"]["bindings"]]
    assert got == expected
    client.setReturnFormat(XML)
    client.setMethod("POST")
    doc = client.query().convert()    # an xml.dom document
    assert len(doc.getElementsByTagName("result")) == len(expected)


def _json_key(binding) -> str | None:
    if binding is None:
        return None
    if binding["type"] == "uri":
        return f"<{binding['value']}>"
    if binding["type"] == "bnode":
        return "_:b"
    lit = ox.Literal(binding["value"], language=binding["xml:lang"]) if "xml:lang" in binding else \
        ox.Literal(binding["value"], datatype=ox.NamedNode(binding["datatype"])) if "datatype" in binding else \
        ox.Literal(binding["value"])
    return str(lit)


def test_sparqlwrapper_ask_and_construct(server, embedded):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(f"ASK {{ <{SO_TTTT}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    construct = f"CONSTRUCT {{ <{SO_TTTT}> ?p ?o }} WHERE {{ <{SO_TTTT}> ?p ?o }}"
    client.setQuery(construct)
    client.setReturnFormat(TURTLE)
    body = client.query().convert()
    assert canonical(ox.parse(body, format=ox.RdfFormat.TURTLE)) == canonical(embedded.query(construct).triples)


# ---- every named query: through the endpoint = embedded ---------------------------------

def _catalogue():
    from tttt_kg.queries.catalogue import load_catalogue
    return load_catalogue()


@pytest.mark.parametrize("query", _catalogue(), ids=lambda q: q.id)
def test_named_query_same_through_endpoint_as_embedded(server, embedded, query):
    """/queries/ID/run (defaults bound) and /sparql (the text as it is) answer as embedded does."""
    import httpx

    from tttt_kg.queries.catalogue import run
    params = REQUIRED_PARAMS.get(query.id, {})
    ordered = "ORDER BY" in query.text.upper()
    bound = run(embedded, query, params)
    raw = embedded.query(query.text)
    with httpx.Client(base_url=server, timeout=60) as client:
        if query.form in ("construct", "describe"):
            r = client.get(f"/queries/{query.id}/run", params={**params, "format": "ntriples"})
            assert r.status_code == 200, r.text
            assert canonical(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)) == canonical(bound.triples)
            r = client.post("/sparql", content=query.text.encode(), headers={
                "Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
            assert r.status_code == 200, r.text
            assert canonical(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)) == canonical(raw.triples)
            return
        r = client.get(f"/queries/{query.id}/run", params={**params, "format": "tsv"})
        assert r.status_code == 200, r.text
        variables, got = parsed_rows(r.content, ox.QueryResultsFormat.TSV)
        assert variables == bound.variables
        assert same_answer(rows_of(bound), got, ordered)
        r = client.post("/sparql", data={"query": query.text}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        variables, got = parsed_rows(r.content, ox.QueryResultsFormat.JSON)
        assert variables == raw.variables
        assert same_answer(rows_of(raw), got, ordered)


def test_sparqlstore_runs_every_select_named_query(server, embedded):
    """rdflib's SPARQLStore (XML results by default) gets the rows the embedded store gives."""
    from rdflib import BNode, Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    g = Graph(store=SPARQLStore(server + "/sparql", returnFormat="xml"))
    checked = 0
    for query in _catalogue():
        if query.form != "select":
            continue
        expected = rows_of(embedded.query(query.text))
        got = [tuple(None if t is None else "_:b" if isinstance(t, BNode) else t.n3() for t in row)
               for row in g.query(query.text)]
        assert same_answer(expected, got, "ORDER BY" in query.text.upper()), query.id
        checked += 1
    assert checked >= 10


def test_sparqlstore_construct_is_isomorphic(server, embedded):
    from rdflib import Graph
    from rdflib.compare import isomorphic
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    construct = f"CONSTRUCT {{ <{SO_TTTT}> ?p ?o . ?o ?q ?r }} WHERE {{ <{SO_TTTT}> ?p ?o OPTIONAL {{ ?o ?q ?r }} }}"
    remote = Graph(store=SPARQLStore(server + "/sparql")).query(construct).graph   # asks for RDF/XML
    local = Graph()
    local.parse(data=ox.serialize(embedded.query(construct).triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert len(local) > 20 and isomorphic(remote, local)


# ---- curl -------------------------------------------------------------------------------

def curl(*args: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of a curl call."""
    assert shutil.which("curl"), "curl is needed (Debian package curl)"
    done = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code} %{content_type}", *args],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    body, _, tail = done.stdout.rpartition(b"\n")
    status, _, ctype = tail.decode().partition(" ")
    return int(status), ctype, body


def test_curl_get_post_form_and_post_direct_agree(server, embedded):
    expected = rows_of(embedded.query(DECISIONS))
    for args in (["-G", "--data-urlencode", f"query={DECISIONS}"],
                 ["--data-urlencode", f"query={DECISIONS}"],
                 ["-H", "Content-Type: application/sparql-query", "--data-binary", DECISIONS]):
        status, ctype, body = curl(*args, "-H", "Accept: application/sparql-results+xml", server + "/sparql")
        assert status == 200 and ctype.startswith("application/sparql-results+xml")
        assert parsed_rows(body, ox.QueryResultsFormat.XML)[1] == expected


@pytest.mark.parametrize("accept,fmt", [("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                                        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                                        ("text/tab-separated-values", ox.QueryResultsFormat.TSV)])
def test_curl_results_formats_parse(server, embedded, accept, fmt):
    status, ctype, body = curl("-G", "--data-urlencode", f"query={DECISIONS}", "-H", f"Accept: {accept}",
                               server + "/sparql")
    assert status == 200 and ctype.startswith(accept)
    assert parsed_rows(body, fmt)[1] == rows_of(embedded.query(DECISIONS))


def test_curl_csv(server, embedded):
    status, ctype, body = curl("-G", "--data-urlencode", f"query={DECISIONS}", "-H", "Accept: text/csv",
                               server + "/sparql")
    assert status == 200 and ctype.startswith("text/csv")
    import csv
    import io
    lines = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert lines[0] == ["d", "number", "date"]
    numbers = [str(row["number"].value) for row in embedded.query(DECISIONS).rows]
    assert [line[1] for line in lines[1:]] == numbers


@pytest.mark.parametrize("accept,fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD),
                                        ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_curl_describe_in_every_graph_format(server, embedded, accept, fmt):
    describe = f"DESCRIBE <{SO_TTTT}>"
    status, ctype, body = curl("-G", "--data-urlencode", f"query={describe}", "-H", f"Accept: {accept}",
                               server + "/sparql")
    assert status == 200 and ctype.startswith(accept)
    expected = canonical(embedded.query(describe).triples)
    assert len(expected) > 10 and canonical(ox.parse(body, format=fmt)) == expected


def test_format_parameter_overrides_accept(server):
    status, ctype, body = curl("-G", "--data-urlencode", "query=ASK {}", "--data-urlencode", "format=xml",
                               "-H", "Accept: application/sparql-results+json", server + "/sparql")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    assert bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)) is True


# ---- read-only, limits, bad requests -----------------------------------------------------

@pytest.mark.parametrize("args", [
    ["--data-urlencode", "query=INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }"],
    ["--data-urlencode", "query=PREFIX ex: <http://ex/>\nDELETE WHERE { ?s ?p ?o }"],
    ["--data-urlencode", "query=LOAD <http://127.0.0.1:1/data.ttl>"],
    ["--data-urlencode", "query=CLEAR DEFAULT"],
    ["--data-urlencode", "query=drop all"],
    ["--data-urlencode", "update=DROP ALL"],
    ["-H", "Content-Type: application/sparql-update", "--data-binary", "CLEAR ALL"],
    ["--data-urlencode", "query=SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"],
    ["--data-urlencode", "query=select * { service silent <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"],
])
def test_updates_and_service_are_refused(server, embedded, args):
    status, ctype, body = curl(*args, server + "/sparql")
    assert status == 403 and ctype.startswith("text/plain")
    assert b"read-only" in body or b"SERVICE" in body
    n = embedded.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0]["n"].value
    status, _, body = curl("-G", "--data-urlencode", "query=SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "-H",
                           "Accept: text/csv", server + "/sparql")
    assert status == 200 and body.decode().split()[1] == n   # nothing was changed


def test_service_word_in_iri_string_or_variable_is_not_refused(server):
    q = ('PREFIX service: <http://ex/service/> SELECT ?service WHERE { BIND("SERVICE" AS ?service) '
         'FILTER(?service != "x" || STR(service:a) = "http://ex/service/a") }')
    status, _, body = curl("--data-urlencode", f"query={q}", "-H", "Accept: text/csv", server + "/sparql")
    assert status == 200 and body.decode().split() == ["service", "SERVICE"]


def test_timeout_stops_the_query_and_the_next_one_is_served(server):
    status, _, body = curl("--data-urlencode", f"query={CROSS_PRODUCT}", server + "/sparql")
    assert status == 503 and b"stopped after" in body
    for _ in range(3):   # the stopped worker is replaced; the others answer meanwhile
        status, _, body = curl("-G", "--data-urlencode", "query=ASK { ?s ?p ?o }", server + "/sparql")
        assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize("args,status,words", [
    (["-G"], 400, b"no query"),
    (["-G", "--data-urlencode", "query=SELEC * WHERE {}"], 400, b"syntax error"),
    (["-G", "--data-urlencode", "query=SELECT * WHERE { ?s ?p ?o"], 400, b"syntax error"),
    (["-G", "--data-urlencode", "query=ASK {}", "--data-urlencode", "query=ASK {}"], 400, b"once"),
    (["-G", "--data-urlencode", "query=ASK {}", "--data-urlencode", "format=png"], 400, b"unknown format"),
    (["-G", "--data-urlencode", "query=ASK {}", "-H", "Accept: image/png"], 406, b"Accept"),
    (["-G", "--data-urlencode", "query=ASK {}", "--data-urlencode", "default-graph-uri=http://ex/g"], 400,
     b"default-graph-uri"),
    (["-H", "Content-Type: text/plain", "--data-binary", "ASK {}"], 415, b"Content-Type"),
    (["-H", "Content-Type: application/sparql-query", "--data-binary", b"ASK { \xff }"], 400,
     b"UTF-8"),
    (["-G", "--data-urlencode", "query=SELECT * WHERE " + "{" * 300 + "?s ?p ?o" + "}" * 300], 400, b"levels deep"),
    (["-G", "--data-urlencode", "query=SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"], 400,
     b"levels deep"),
    (["-X", "DELETE"], 405, b"not allowed"),
])
def test_malformed_requests_get_4xx_and_a_message(server, args, status, words):
    got, ctype, body = curl(*args, server + "/sparql")
    assert got == status, body
    assert ctype.startswith("text/plain") and words in body


def test_query_over_length_limit(server):
    long_query = "ASK {} #" + "x" * 100_001
    got, _, body = curl("-H", "Content-Type: application/sparql-query", "--data-binary", long_query,
                        server + "/sparql")
    assert got == 413 and b"limit" in body


def test_catalogue_json_html_and_query_text(server):
    import httpx
    from tttt_kg.queries.catalogue import load_catalogue
    ids = [q.id for q in load_catalogue()]
    with httpx.Client(base_url=server, timeout=30) as client:
        data = client.get("/queries").json()
        assert [q["id"] for q in data["queries"]] == ids
        page = client.get("/queries", headers={"Accept": "text/html"})
        assert page.headers["content-type"].startswith("text/html") and all(i in page.text for i in ids)
        text = client.get(f"/queries/{ids[0]}?format=rq")
        assert text.text == load_catalogue()[0].text
        assert client.get("/queries/no-such-query").status_code == 404
        bad = client.get("/queries/mandate-at/run", params={"at": "31/02/2010"})
        assert bad.status_code == 400 and "date" in bad.text
        bad = client.get("/queries/mandate-at/run", params={"nonsense": "1"})
        assert bad.status_code == 400 and "no parameter" in bad.text


def test_query_page_and_openapi_need_no_network(server):
    import re

    import httpx
    with httpx.Client(base_url=server, timeout=30) as client:
        page = client.get("/")
        assert page.status_code == 200 and "<form" in page.text and "/sparql" in page.text
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page.text), "the page links outside"
        spec = client.get("/openapi.json").json()
        assert spec["openapi"].startswith("3.") and {"get", "post"} <= set(spec["paths"]["/sparql"])
        assert spec["paths"]["/sparql"]["get"]["parameters"][0]["name"] == "query"


def test_binds_loopback_by_default(server):
    """The listening socket is 127.0.0.1:PORT (read from /proc/net/tcp, no traffic sent anywhere)."""
    port = int(server.rsplit(":", 1)[1])
    listening = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, local_port = local.split(":")
        if int(local_port, 16) == port and state == "0A":
            listening.append(address)
    assert listening == ["0100007F"]


def test_serves_views_folder_when_given(tmp_path, graph_file):
    views = tmp_path / "viz"
    views.mkdir()
    (views / "index.html").write_text("<!doctype html><title>views</title><p>Sở TTTT</p>", encoding="utf-8")
    with running_server("--graph", str(graph_file), "--workers", "1", "--viz", str(views)) as (base, _):
        import httpx
        page = httpx.get(base + "/viz/", timeout=30)
        assert page.status_code == 200 and "Sở TTTT" in page.text
        assert httpx.get(base + "/viz/missing.html", timeout=30).status_code == 404


def test_without_views_folder_says_how_to_make_one(server):
    import httpx
    r = httpx.get(server + "/viz/", timeout=30)
    assert r.status_code == 404 and "tttt-kg viz" in r.text


def test_row_cap_and_next_request(tmp_path, graph_file):
    import httpx
    with running_server("--graph", str(graph_file), "--workers", "1", "--max-rows", "10") as (base, _):
        r = httpx.get(base + "/sparql", params={"query": "SELECT * { ?s ?p ?o }"}, timeout=30)
        assert r.status_code == 413 and "cap of 10" in r.text
        r = httpx.get(base + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 10"}, timeout=30)
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 10


def test_serves_a_persistent_oxigraph_store(tmp_path, graph_file, embedded):
    """--store oxigraph:PATH: each worker opens the same store read-only."""
    import httpx
    store = tmp_path / "store"
    done = subprocess.run([TTTT_KG, "build", "--no-validate", "-o", str(tmp_path / "g.ttl"), "--store",
                           f"oxigraph:{store}"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with running_server("--store", f"oxigraph:{store}", "--workers", "2") as (base, _):
        r = httpx.get(base + "/sparql", params={"query": DECISIONS, "format": "tsv"}, timeout=30)
        assert r.status_code == 200
        assert parsed_rows(r.content, ox.QueryResultsFormat.TSV)[1] == rows_of(embedded.query(DECISIONS))
