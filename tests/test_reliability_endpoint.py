"""The endpoint under a fuzzer: hypothesis-generated requests (methods, paths, parameters,
headers, bodies, SPARQL-shaped token soup) and malformed HTTP. It never answers 500, every
error carries a message, and it keeps serving afterwards. The requests come from a fixed seed (the
"deterministic" hypothesis profile of tests/conftest.py), the same in CI on every run;
`pytest --hypothesis-profile=explore tests/test_reliability_endpoint.py` draws new ones.
"""
from __future__ import annotations

import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from served import running_server

ASCII = st.characters(min_codepoint=32, max_codepoint=126)
PATHS = ["/sparql", "/", "/queries", "/queries/timeline", "/queries/timeline/run", "/queries/mandate-at/run",
         "/queries/search/run", "/openapi.json", "/health", "/viz/", "/viz/../../etc/passwd"]
TOKENS = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "(", ")", "FILTER", "OPTIONAL", "UNION", "LIMIT", "1",
          "-5", '"x"', '"Sở"@vi', "<http://e/a>", "<", ">", ".", ";", ",", "ASK", "CONSTRUCT", "DESCRIBE", "SERVICE",
          "INSERT", "DELETE", "DATA", "LOAD", "CLEAR", "DROP", "PREFIX", "ex:", "eli:id_local", "a", "GROUP BY",
          "ORDER BY", "COUNT", "BIND", "AS", "VALUES", "#", "\n", "'", "\\", "^^", "xsd:date", "REGEX", "SILENT",
          "GRAPH", "FROM", "NAMED", "MINUS", "EXISTS", "NOT", "&&", "||", "=", "!=", "/", "|", "+", "?", "_:b"]
sparqlish = st.lists(st.sampled_from(TOKENS), min_size=0, max_size=40).map(" ".join)
values = st.one_of(sparqlish, st.text(max_size=200), st.sampled_from(["json", "xml", "csv", "tsv", "turtle", "png",
                                                                      "2010-01-01", "31/02/2010", ""]))
keys = st.one_of(st.sampled_from(["query", "format", "output", "update", "default-graph-uri", "named-graph-uri",
                                  "at", "org", "text", "from", "to"]), st.text(min_size=1, max_size=20))
ACCEPTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/turtle",
           "application/ld+json", "*/*", "text/html", "image/png", "application/json;q=0", "text/*;q=0.5, */*;q=0.1"]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
                 "text/plain", "multipart/form-data; boundary=x", "application/json"]


@st.composite
def requests(draw):
    method = draw(st.sampled_from(["GET", "GET", "POST", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"]))
    path = draw(st.one_of(st.sampled_from(PATHS), st.text(alphabet=ASCII, max_size=60).map(
        lambda p: "/" + p.replace("?", "").replace("#", ""))))
    params = draw(st.lists(st.tuples(keys, values), max_size=4))
    headers = {}
    if draw(st.booleans()):
        headers["Accept"] = draw(st.one_of(st.sampled_from(ACCEPTS), st.text(alphabet=ASCII, max_size=80).map(str.strip)))
    if method in ("POST", "PUT", "PATCH"):
        headers["Content-Type"] = draw(st.one_of(st.sampled_from(CONTENT_TYPES),
                                                st.text(alphabet=ASCII, max_size=60).map(str.strip)))
    body = draw(st.one_of(st.binary(max_size=2000), sparqlish.map(str.encode),
                          st.lists(st.tuples(keys, values), max_size=3).map(
                              lambda kv: "&".join(f"{k}={v}" for k, v in kv).encode("utf-8"))))
    return method, path, params, headers, body


@pytest.fixture(scope="module")
def server(seed_ntriples):
    with running_server("--graph", str(seed_ntriples), "--timeout", "2", "--max-rows", "2000") as (base, proc):
        yield base, proc


@pytest.fixture(scope="module")
def client(server):
    import httpx
    with httpx.Client(base_url=server[0], timeout=60) as c:
        yield c


def _still_serving(client) -> None:
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and r.json()["boolean"] is True


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(request=requests())
def test_fuzzed_requests_never_get_500(client, request):
    method, path, params, headers, body = request
    r = client.request(method, path, params=params, headers=headers,
                       content=body if method in ("POST", "PUT", "PATCH") else None)
    assert r.status_code < 500 or r.status_code == 503, (r.status_code, r.text[:500])
    if r.status_code >= 400 and method != "HEAD":
        assert r.text.strip(), "an error without a message"
        assert "Traceback" not in r.text


def test_still_serving_after_the_fuzzer(server, client):
    _, proc = server
    assert proc.poll() is None
    _still_serving(client)
    assert client.get("/health").json()["workers"] >= 1


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/9.9\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nquery=ASK",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /sparql HTTP/1.1\r\nHost: x\r\n" + b"X-Long: " + b"b" * 70000 + b"\r\n\r\n",
    b"\x00\xff\xfe" * 100,
])
def test_malformed_http_is_refused_and_the_server_keeps_serving(server, client, raw):
    host, port = server[0].removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        try:
            sock.sendall(raw)
            sock.shutdown(socket.SHUT_WR)
            answer = sock.recv(4096)
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            answer = b""
    assert not answer.startswith(b"HTTP/1.1 500")
    _still_serving(client)
