"""Untrusted RDF files (issue 12): an entity bomb in RDF/XML is refused before a parser expands it,
and reading a file never makes a network request (a remote JSON-LD @context, an external DTD or
entity). Each case runs the real `tttt-kg` as a process under a 1 GB address-space limit, so a
blowup fails the test instead of taking the machine; a loopback "canary" server counts the
requests a command makes and must count none.
"""
from __future__ import annotations

import http.server
import json
import resource
import subprocess
import threading
from pathlib import Path

import pytest

from served import TTTT_KG

MEMORY_LIMIT = 1 << 30
HANG_GUARD = 300   # seconds; only so a regression that hangs ends the test (the old `validate` ran for minutes)
HEAD = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
ONE_TRIPLE = '<rdf:Description rdf:about="http://example.org/a"><ex:p>v</ex:p></rdf:Description>\n</rdf:RDF>\n'
FIX_DTD = "expand the entities in the file"


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([TTTT_KG, *map(str, args)], capture_output=True, text=True, timeout=HANG_GUARD,
                          preexec_fn=_limit_memory)


def billion_laughs() -> str:
    """The classic bomb: ten levels of ten references each, 3 GB from under 1 KB."""
    decls = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(decls) + "\n]>\n" + HEAD
            + '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n')


def quadratic_blowup() -> str:
    """One 50 KB entity, under any per-entity bound, referenced 2,000 times: 100 MB from 56 KB."""
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "' + "x" * 50_000 + '">\n]>\n' + HEAD
            + '<rdf:Description rdf:about="http://example.org/a">\n<ex:p>' + "&a;" * 2000
            + "</ex:p>\n</rdf:Description>\n</rdf:RDF>\n")


def namespace_entities(n: int) -> str:
    """The RDF/XML idiom of entities for namespaces (as Protégé writes), with n references: at
    n = 3,000 they expand to 213 KB in all (the file is 424 KB), more than a fixed 64 KiB total would allow."""
    body = "".join(f'<rdf:Description rdf:about="&ex;item{i}"><ex:n rdf:datatype="&xsd;integer">{i}</ex:n>'
                   f'<rdf:type rdf:resource="&ex;Thing"/></rdf:Description>\n' for i in range(n))
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
            '  <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#" >\n'
            '  <!ENTITY ex "http://example.org/" >\n]>\n' + HEAD + body + "</rdf:RDF>\n")


@pytest.fixture
def canary():
    """A loopback HTTP server that answers any GET with a valid JSON-LD context (so a command that
    fetches would succeed, not fail) and records every request path."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = json.dumps({"@context": {"ex": "http://example.org/"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_PUT = do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.requests = requests
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _commands(path: Path, out: Path, endpoint: str = "http://127.0.0.1:1/store") -> dict[str, list]:
    """Every way a user's file reaches a parser: rdflib (validate, export --graph) and pyoxigraph
    (load, push --input, query --graph)."""
    return {
        "validate": ["validate", path],
        "export": ["export", "--graph", path, "-o", out / "out.ttl"],
        "load": ["load", "--store", f"oxigraph:{out / 'store'}", path],
        "push": ["push", "--protocol", "gsp", "--endpoint", endpoint, "--input", path],
        "query": ["query", "--graph", path, "-e", "ASK { ?s ?p ?o }"],
    }


def _refused(result, path: Path, *words: str):
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    for w in (str(path), *words):
        assert w in result.stderr, (w, result.stderr[-2000:])


@pytest.mark.parametrize("command", ["validate", "export", "load", "push", "query"])
def test_billion_laughs_is_refused_at_its_declaration(command, tmp_path, canary):
    """The old `load` died asking for 2.4 GB and `validate` ran for minutes; now the declaration
    whose expansion passes 64 KiB is named, with its line, and nothing is written or sent."""
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(billion_laughs())
    result = run(*_commands(bomb, tmp_path, canary.url + "/store")[command])
    # &lol5; (line 8) is the first to pass the limit: 3 x 10^5 bytes
    _refused(result, bomb, "line 8", "&lol5;", "300,000 bytes", "over the limit", FIX_DTD)
    assert not (tmp_path / "out.ttl").exists() and not (tmp_path / "store").exists()
    assert canary.requests == []


@pytest.mark.parametrize("command", ["validate", "export", "load"])
def test_quadratic_blowup_is_refused_by_the_total_of_its_references(command, tmp_path):
    """Each entity is under the per-entity bound; the total of the references is not. The old
    `load` stored a 100 MB literal; the old `validate` failed on expat's own bound, with a
    message that blamed the syntax."""
    bomb = tmp_path / "quadratic.rdf"
    bomb.write_text(quadratic_blowup())
    result = run(*_commands(bomb, tmp_path)[command])
    _refused(result, bomb, "references to entities", "over the limit", "declared at line 3", FIX_DTD)
    assert not (tmp_path / "out.ttl").exists() and not (tmp_path / "store").exists()


@pytest.mark.parametrize("command", ["validate", "export", "load"])
def test_namespace_entities_still_load(command, tmp_path):
    """The bound must not refuse the common idiom, even over many references (this one passes on
    the old code too: it pins where the bound lies, not the fix)."""
    path = tmp_path / "entities.rdf"
    path.write_text(namespace_entities(3000))
    result = run(*_commands(path, tmp_path)[command])
    assert result.returncode == 0, result.stderr[-2000:]
    if command == "validate":
        assert "conforms: 6000 triples" in result.stdout
    elif command == "export":
        text = (tmp_path / "out.ttl").read_text(encoding="utf-8")
        assert "ex:item2999\n    a ex:Thing ;\n    ex:n 2999 ;" in text
    else:
        assert "stored 6000 triples" in result.stderr


@pytest.mark.parametrize("command", ["validate", "load"])
@pytest.mark.parametrize("case", ["external-dtd", "external-entity", "parameter-entity"])
def test_dtd_that_points_elsewhere_is_refused_and_nothing_is_fetched(case, command, tmp_path, canary):
    """External DTDs and entities are never fetched, so they could only change what the file says
    without the reader seeing it (the old `validate` dropped the entity's text silently)."""
    decl = {"external-dtd": f'<!DOCTYPE rdf:RDF SYSTEM "{canary.url}/x.dtd">',
            "external-entity": f'<!DOCTYPE rdf:RDF [\n<!ENTITY e SYSTEM "{canary.url}/e.txt">\n]>',
            "parameter-entity": f'<!DOCTYPE rdf:RDF [\n<!ENTITY % p SYSTEM "{canary.url}/p.dtd">\n%p;\n]>'}[case]
    path = tmp_path / f"{case}.rdf"
    path.write_text('<?xml version="1.0"?>\n' + decl + "\n" + HEAD + ONE_TRIPLE)
    result = run(*_commands(path, tmp_path)[command])
    words = {"external-dtd": ("line 2", "external DTD", f"{canary.url}/x.dtd", "remove its SYSTEM/PUBLIC part"),
             "external-entity": ("line 3", "&e;", f"{canary.url}/e.txt", "never fetched"),
             "parameter-entity": ("line 3", "parameter entity %p;", FIX_DTD)}[case]
    _refused(result, path, *words)
    assert canary.requests == []


def _remote_context(url: str) -> dict[str, dict]:
    """Where a JSON-LD document can name a context: at the top, in a list, scoped to a term, by @import."""
    return {
        "top": {"@context": url, "@id": "http://example.org/a", "ex:p": "v"},
        "list": {"@context": [{"ex": "http://example.org/"}, url], "@id": "http://example.org/a", "ex:p": "v"},
        "scoped": {"@context": {"p": {"@id": "http://example.org/p", "@context": url}},
                   "@id": "http://example.org/a", "p": {"@id": "http://example.org/b", "ex:q": "v"}},
        "import": {"@context": {"@import": url}, "@id": "http://example.org/a", "ex:p": "v"},
    }


@pytest.mark.parametrize("shape", ["top", "list", "scoped", "import"])
@pytest.mark.parametrize("command", ["validate", "export"])
def test_remote_jsonld_context_is_refused_without_a_request(command, shape, tmp_path, canary):
    """rdflib fetched the @context while parsing (the old code exited 0 after a request to the
    canary); now the file is refused with the URL and the way out, and the canary hears nothing."""
    url = f"{canary.url}/context.jsonld"
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(_remote_context(url)[shape]))
    result = run(*_commands(path, tmp_path)[command])
    key = "@import" if shape == "import" else "@context"
    _refused(result, path, f"{key} is the remote URL {url}", "never makes a network request", "inline the context")
    assert canary.requests == []
    assert not (tmp_path / "out.ttl").exists()


def test_remote_context_refusal_names_a_fix_that_works(tmp_path, canary):
    """The advice in the refusal — save the context and refer to it by a local path — reads the
    same triples, still without a request."""
    url = f"{canary.url}/context.jsonld"
    path = tmp_path / "doc.jsonld"
    doc = {"@context": url, "@id": "http://example.org/a", "ex:p": "v"}
    path.write_text(json.dumps(doc))
    _refused(run("export", "--graph", path, "-f", "ntriples"), path, "save it and refer to it by a local path")
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "context.jsonld").write_text(json.dumps({"@context": {"ex": "http://example.org/"}}))
    path.write_text(json.dumps({**doc, "@context": "ctx/context.jsonld"}))
    result = run("export", "--graph", path, "-f", "ntriples")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '<http://example.org/a> <http://example.org/p> "v" .'
    assert canary.requests == []


def test_load_refuses_a_remote_context_with_the_same_sentence(tmp_path, canary):
    """pyoxigraph cannot fetch (no loader is set) but said only "No LoadDocumentCallback has been
    set"; `load` now says what the file asks and how to fix it, and still sends nothing."""
    url = f"{canary.url}/context.jsonld"
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(_remote_context(url)["top"]))
    result = run(*_commands(path, tmp_path)["load"])
    _refused(result, path, f"@context is the remote URL {url}", "inline the context")
    assert canary.requests == [] and not (tmp_path / "store").exists()


def _endpoint_answering(body: bytes, media: str):
    """A one-answer HTTP server standing for a remote SPARQL endpoint; returns (url, server)."""
    import http.server
    import threading

    class Answer(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            self.send_response(200)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/sparql", server


def test_an_endpoints_rdfxml_answer_is_checked_like_a_file():
    """A remote endpoint is untrusted too: its RDF/XML bomb is refused before pyoxigraph expands it."""
    from tttt_kg.graph.stores.sparqlstore import SparqlStore
    from tttt_kg.graph.stores.store import StoreError
    url, server = _endpoint_answering(billion_laughs().encode(), "application/rdf+xml")
    try:
        with pytest.raises(StoreError, match="refused its answer.*&lol5;"):
            SparqlStore(url).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    finally:
        server.shutdown()
    plain = ('<?xml version="1.0"?>\n' + HEAD
             + '<rdf:Description rdf:about="http://example.org/a"><ex:p>b</ex:p></rdf:Description>\n</rdf:RDF>\n')
    url, server = _endpoint_answering(plain.encode(), "application/rdf+xml")
    try:
        result = SparqlStore(url).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert [t.object.value for t in result.triples] == ["b"]
    finally:
        server.shutdown()
