"""Load the graph into a remote triple store (SPARQL 1.1 Update or Graph Store Protocol).

Update: the triples go in batches of INSERT DATA into a hidden staging graph, which
replaces the target graph only when every batch has arrived (MOVE), so a failure half way
leaves the target graph as it was. Graph Store Protocol: one HTTP PUT of N-Triples,
which the server applies as a whole.
"""
from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Callable, Iterable

from tttt_kg.graph.stores.sparqlstore import check_url, make_opener, open_url
from tttt_kg.graph.stores.base import StoreError

DEFAULT_GRAPH_IRI = "https://w3id.org/tttt-kg/graph"
BATCH_TRIPLES = 500


def check_graph_iri(iri: str) -> str:
    parsed = urllib.parse.urlsplit(iri)
    if not parsed.scheme or any(c in iri for c in '<>" {}|\\^`'):
        raise StoreError(f"'{iri}' is not an absolute IRI; give a graph name such as {DEFAULT_GRAPH_IRI}")
    return iri


def batches(lines: list[bytes], size: int) -> Iterable[list[bytes]]:
    """Batches of N-Triples lines; triples with blank nodes all go in one batch to keep them joined."""
    plain = [ln for ln in lines if b"_:" not in ln]
    blank = [ln for ln in lines if b"_:" in ln]
    for i in range(0, len(plain), size):
        yield plain[i:i + size]
    if blank:
        yield blank


class Pusher:
    def __init__(self, endpoint: str, user: str | None = None, password: str | None = None, timeout: float = 600.0):
        self.endpoint = check_url(endpoint)
        self.user, self.password = user, password
        self.opener = make_opener(endpoint, user, password)
        self.timeout = timeout

    def probe(self) -> None:
        """Fail early, before any data moves, when the URL is not a SPARQL endpoint (ASK {} must answer)."""
        from tttt_kg.graph.stores.sparqlstore import SparqlStore
        store = SparqlStore(self.endpoint, timeout=60)
        store.opener = self.opener
        store.query("ASK {}")

    def update(self, text: str) -> None:
        body = urllib.parse.urlencode({"update": text}).encode("utf-8")
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        with open_url(request, self.timeout, f"SPARQL Update at {self.endpoint}", self.opener) as response:
            response.read()

    def push_update(self, ntriples: bytes, graph: str, progress: Callable[[int], None] | None = None) -> int:
        lines = [ln for ln in ntriples.splitlines() if ln.strip() and not ln.lstrip().startswith(b"#")]
        staging = f"{graph}-loading-{uuid.uuid4().hex[:12]}"
        try:
            for chunk in batches(lines, BATCH_TRIPLES):
                body = b"\n".join(chunk).decode("utf-8")
                if b"_:" in chunk[0]:   # blank nodes: not allowed in INSERT DATA by Virtuoso; fresh but shared here
                    self.update(f"INSERT {{ GRAPH <{staging}> {{\n{body}\n}} }} WHERE {{}}")
                else:
                    self.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{body}\n}} }}")
                if progress:
                    progress(len(chunk))
            self.update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph}>")
        except BaseException:
            try:
                self.update(f"DROP SILENT GRAPH <{staging}>")
            except StoreError:
                pass
            raise
        return len(lines)

    def _gsp_url(self, graph: str) -> str:
        sep = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"

    def gsp_preflight(self) -> None:
        """Authenticate with a small GET (of a graph that does not exist) before sending a large body:
        a server that refuses the credentials mid-upload only shows a broken connection."""
        request = urllib.request.Request(self._gsp_url(f"urn:uuid:{uuid.uuid4()}"), method="GET",
                                         headers={"Accept": "application/n-triples"})
        try:
            with open_url(request, self.timeout, f"Graph Store Protocol at {self.endpoint}", self.opener) as response:
                response.read()
        except StoreError as exc:
            if "HTTP 404" not in str(exc):
                raise

    def _authorise_upfront(self, request: urllib.request.Request) -> None:
        """Put the Authorization header on a large upload before sending it (answering a fresh challenge),
        because urllib authenticates only after a 401, which a server sends while the body is still going."""
        if not self.user:
            return
        probe = urllib.request.Request(self._gsp_url(f"urn:uuid:{uuid.uuid4()}"), method="GET")
        try:
            urllib.request.build_opener().open(probe, timeout=self.timeout).close()
            return
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        except OSError:
            return
        scheme, _, rest = challenge.partition(" ")
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, self.endpoint, self.user, self.password or "")
        if scheme.lower() == "digest":
            chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            auth = urllib.request.HTTPDigestAuthHandler(manager).get_authorization(request, chal)
            if auth:
                request.add_unredirected_header("Authorization", f"Digest {auth}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def push_gsp(self, ntriples: bytes, graph: str) -> int:
        self.gsp_preflight()
        url = self._gsp_url(graph)
        request = urllib.request.Request(url, data=ntriples, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        self._authorise_upfront(request)
        with open_url(request, self.timeout, f"Graph Store Protocol at {self.endpoint}", self.opener) as response:
            response.read()
        return sum(1 for ln in ntriples.splitlines() if ln.strip())
