"""`tttt-kg serve` answers at every IRI of the graph: /id/… and /ontology (issue 19).

An IRI names a thing (an organisation, a decision), not a page, so the IRI itself answers
**303 See Other** to the document describing it, chosen by the Accept header: ``/id/X`` →
``/id/X.html`` for a browser, ``/id/X.ttl`` for ``Accept: text/turtle``, ``.jsonld``, ``.nt``,
``.rdf``. The documents answer 200 at those addresses, each naming the others in its ``Link``
header. Why 303 and not a 200 at the IRI itself: (1) a static host can only hold files, and w3id.org
redirects anyway, so the same shape — IRI, then one redirect to a file with a suffix — holds for
this server, for `tttt-kg site` on any static host and for `w3id/tttt-kg/.htaccess`; (2) each
representation has an address of its own, which a citation, a cache or a crawler can keep; (3)
the thing and the page about it stay apart (httpRange-14). The cost is one round trip.

Every page is made from SPARQL sent through the endpoint's own worker pool, so the endpoint's
guarantees hold for pages too: the queries run confined, under the same time, row and byte limits
and per-client share; pages carry the server's nosniff and Host check, and a CSP of their own.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from tttt_kg.graph.server.query_workers import QueryRequest
from tttt_kg.graph.server.resource_pages import (FORMATS, HEADER_CSP, ONTOLOGY, FetchError, SourceTexts, default_finder,
                             document_path, fetch, file_of, iri_of_path, key_words, rank_suggestions,
                             rdf_bytes, render_not_found, render_ontology_page, render_page,
                             suggestion_query)
from tttt_kg.graph.server.result_formats import _GRAPH_ALIASES, _accept_ranges, _pick, Choice

# what Accept may ask for: the page, or the RDF formats under the names the endpoint already reads
_NAMES = {"html": "text/html", "turtle": "text/turtle", "jsonld": "application/ld+json",
          "ntriples": "application/n-triples", "xml": "application/rdf+xml"}
_ALIASES = {"application/xhtml+xml": "html",
            **{media: {"rdfxml": "xml"}.get(name, name) for media, name in _GRAPH_ALIASES.items()}}
_CHOICE = Choice(results="json", graph="ntriples")
SOURCES = SourceTexts(finder=default_finder)


def wanted_format(accept: str | None) -> str | None:
    """The representation an Accept header asks for (html when it has no say); None: none of ours."""
    if not accept or not accept.strip():
        return "html"
    return _pick(_accept_ranges(accept), _NAMES, _ALIASES)


def _link_header(path: str) -> str:
    return ", ".join(f'</{file_of(path, name)}>; rel="alternate"; type="{media}"'
                     for name, (media, _) in FORMATS.items())


def _media(fmt: str) -> str:
    media = FORMATS[fmt][0]
    return media + "; charset=utf-8" if media.startswith("text/") else media


class ResourceRoutes:
    def __init__(self, endpoint):
        self.endpoint = endpoint

    def _run(self, client: str, cancelled):
        def run(kind: str, sparql: str) -> bytes:
            reply = self.endpoint.pool.run(QueryRequest(choice=_CHOICE, text=sparql), client, cancelled)
            if reply.status != 200:
                raise FetchError(reply.status, reply.body.decode("utf-8", "replace"), reply.headers)
            return reply.body
        return run

    def _document(self, doc: str, labels: bool, client: str, cancelled):
        """The document; ``labels``: with the labels of what it names (only its HTML page shows them)."""
        return fetch(self._run(client, cancelled), doc, self.endpoint.limits.max_rows, labels=labels)

    def _suggest(self, path: str, client: str, cancelled):
        words = key_words(path)
        if not words:
            return []
        import json
        body = self._run(client, cancelled)("rows", suggestion_query(words))
        rows = [(r["node"]["value"], r["key"]["value"], r.get("label", {}).get("value", ""))
                for r in json.loads(body)["results"]["bindings"]]
        return rank_suggestions(path, rows)

    async def _not_found(self, request: Request, path: str, fmt: str | None) -> Response:
        near, stop = await self._call(request, self._suggest, path)
        if stop is not None and stop.status_code == 499:
            return stop
        near = near or []        # suggestions refused (busy, over a limit): the 404 without them
        headers = {"Vary": "Accept"}
        if (fmt or wanted_format(request.headers.get("accept"))) == "html":
            return HTMLResponse(render_not_found(path, near, index="/"), status_code=404,
                                headers={**headers, "Content-Security-Policy": HEADER_CSP})
        lines = "".join(f"  {node}  {label}\n" for node, label in near)
        return PlainTextResponse(f"the graph holds nothing about <https://w3id.org/tttt-kg/{path}>"
                                 + (f"; nearest:\n{lines}" if lines else "\n"), status_code=404, headers=headers)

    async def _call(self, request: Request, work, *args):
        """(``work(*args, client, cancelled)``, None), or (None, the answer) when the store refused or
        the client hung up (its queries are then withdrawn or stopped)."""
        try:
            result, hung_up = await self.endpoint.until_gone(request, work, *args)
        except FetchError as exc:
            return None, _refused(exc)
        return result, (Response(status_code=499) if hung_up else None)

    async def answer(self, request: Request, path: str) -> Response:
        parsed = iri_of_path(path)
        if parsed is None:
            return await self._not_found(request, path.split(".")[0] if "." in path else path, None)
        doc, fmt = parsed
        base_path = document_path(doc)
        if fmt is None:   # the IRI itself: 303 to the document the client asked for
            fmt = wanted_format(request.headers.get("accept"))
            headers = {"Vary": "Accept", "Link": _link_header(base_path)}
            if fmt is None:
                return PlainTextResponse(f"{doc} can be had as " + ", ".join(m for m, _ in FORMATS.values())
                                         + "; the Accept header allows none of them\n", status_code=406,
                                         headers=headers)
            if doc != ONTOLOGY:
                exists, stop = await self._call(request, self._exists, doc)
                if stop is not None:
                    return stop
                if not exists:
                    return await self._not_found(request, base_path, None)
            return RedirectResponse("/" + file_of(base_path, fmt), status_code=303, headers=headers)
        headers = {"Link": _link_header(base_path)}
        document, stop = await self._call(request, self._document, doc, fmt == "html")
        if stop is not None:
            return stop
        if not document.exists:
            return await self._not_found(request, base_path, fmt)
        if fmt == "html" and doc == ONTOLOGY:
            page, csp = render_ontology_page(document, index="/")
            return HTMLResponse(page, headers={**headers, "Content-Security-Policy": csp + "; frame-ancestors 'none'"})
        if fmt == "html":
            return HTMLResponse(render_page(document, SOURCES, index="/"),
                                headers={**headers, "Content-Security-Policy": HEADER_CSP})
        return Response(rdf_bytes(document, fmt), media_type=_media(fmt), headers=headers)

    def _exists(self, doc: str, client: str, cancelled) -> bool:
        import json
        from tttt_kg.graph.server.resource_pages import _iri
        body = self._run(client, cancelled)("rows", f"ASK {{ {{ {_iri(doc)} ?p ?o }} UNION {{ ?s ?q {_iri(doc)} }} }}")
        return bool(json.loads(body)["boolean"])

    async def id_path(self, request: Request) -> Response:
        return await self.answer(request, "id/" + request.path_params["rest"])

    async def ontology(self, request: Request) -> Response:
        return await self.answer(request, request.url.path.lstrip("/"))


def _refused(exc: FetchError) -> Response:
    return PlainTextResponse(str(exc).rstrip() + "\n", status_code=exc.status, headers=dict(exc.headers))


def resource_routes(endpoint) -> list[Route]:
    routes = ResourceRoutes(endpoint)
    return [Route("/id/{rest:path}", routes.id_path, methods=["GET"]),
            Route("/ontology", routes.ontology, methods=["GET"]),
            Route("/ontology.{suffix}", routes.ontology, methods=["GET"])]
