"""Load the graph into a remote triple store (SPARQL 1.1 Update or Graph Store Protocol).

Update: the triples go in batches of INSERT DATA into a hidden staging graph, which
replaces the target graph only when every batch has arrived (MOVE), so a failure half way
leaves the target graph as it was. Graph Store Protocol: one HTTP PUT of N-Triples,
which the server applies as a whole.
"""
from __future__ import annotations

import urllib.parse
import urllib.request
import uuid
from typing import Callable, Iterable

from .sparqlstore import check_url, make_opener, open_url
from .store import StoreError

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
        self.opener = make_opener(endpoint, user, password)
        self.timeout = timeout

    def probe(self) -> None:
        """Fail early, before any data moves, when the URL is not a SPARQL endpoint (ASK {} must answer)."""
        from .sparqlstore import SparqlStore
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
                self.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n" + b"\n".join(chunk).decode("utf-8") + "\n} }")
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

    def push_gsp(self, ntriples: bytes, graph: str) -> int:
        sep = "&" if "?" in self.endpoint else "?"
        url = f"{self.endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(url, data=ntriples, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        with open_url(request, self.timeout, f"Graph Store Protocol at {self.endpoint}", self.opener) as response:
            response.read()
        return sum(1 for ln in ntriples.splitlines() if ln.strip())
