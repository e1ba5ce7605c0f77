"""The SPARQL 1.1 Protocol endpoint (`tttt-kg serve`): a Starlette app over a pool of query workers.

Routes
  /sparql                  SPARQL 1.1 Protocol query operation: GET ?query=, POST form, POST sparql-query
  /queries                 the named-query catalogue (JSON, or HTML for a browser)
  /queries/{id}            one named query: header and text (JSON, or the .rq text)
  /queries/{id}/run        run it with ?param=value; same answer formats as /sparql
  /viz/…                   the HTML views written by `tttt-kg viz` (if that folder exists)
  /id/…, /ontology         every IRI of the graph: 303 to its page or RDF (graph/server/resource_routes.py)
  /                        a query page that needs no network
  /openapi.json            this API, described

The app parses and answers HTTP; every query goes to `QueryPool`, whose workers check it
(read-only, no SERVICE), run it on the store's own engine (Oxigraph) and enforce the limits.
What the server promises about its own resources (time, memory, connections, clients that hang
up or never read) is kept here and in `graph/server/endpoint_server.py`; see docs/security.md.
"""
from __future__ import annotations

import asyncio
import html
import logging
import threading
from pathlib import Path
from urllib.parse import parse_qsl

from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from tttt_kg.graph.server.query_workers import Limits, QueryPool, QueryRequest, Reply
from tttt_kg.graph.server.result_formats import NegotiationError, negotiate, preferred

PROTOCOL_PARAMS = {"query", "update", "default-graph-uri", "named-graph-uri", "format", "output"}
CHUNK_BYTES = 64 * 1024
log = logging.getLogger("tttt_kg.endpoint")


@dataclass(frozen=True)
class HttpLimits:
    """What one connection may cost the server; every field is a `tttt-kg serve` option."""
    body_seconds: float = 30.0      # to send a request body, once its headers are in
    send_timeout: float = 30.0      # a client that reads nothing of its answer for this long is dropped
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]")
    cors_origins: tuple[str, ...] = ("*",)


class BadRequest(Exception):
    """A request the endpoint cannot read: answered with its status and message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status)


class _HeldAnswers:
    """Bytes of answers the server holds until their clients have read them, against a budget."""

    def __init__(self, budget_bytes: int):
        self.budget, self.held = budget_bytes, 0

    def take(self, size: int) -> bool:
        if size and self.held + size > self.budget:
            return False
        self.held += size
        return True

    def give_back(self, size: int) -> None:
        self.held -= size


class _AnswerResponse(Response):
    """Sends an answer in chunks, each waiting at most ``send_timeout`` for the client to read, and gives
    its bytes back to the budget however the sending ends (done, client gone, client stalled)."""

    def __init__(self, reply: Reply, held: _HeldAnswers, send_timeout: float, head: bool):
        super().__init__(b"" if head else reply.body, status_code=reply.status, media_type=reply.content_type,
                         headers={"Vary": "Accept", **dict(reply.headers)})
        self.headers["content-length"] = str(len(reply.body))
        self.reply, self.held, self.send_timeout = reply, held, send_timeout

    async def __call__(self, scope, receive, send) -> None:
        body = memoryview(self.body)
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            for start in range(0, len(body), CHUNK_BYTES):
                chunk = bytes(body[start:start + CHUNK_BYTES])
                await asyncio.wait_for(send({"type": "http.response.body", "body": chunk, "more_body": True}),
                                       self.send_timeout)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except asyncio.TimeoutError:
            client = scope.get("client") or ("?", 0)
            log.warning("dropped %s: it read nothing of its %d-byte answer for %g s", client[0],
                        len(self.body), self.send_timeout)
        except OSError:   # the client went away while we sent (uvicorn's ClientDisconnected)
            pass
        finally:
            body.release()
            self.body = b""
            self.held.give_back(len(self.reply.body))


async def _client_gone(receive) -> None:
    """Return when the client disconnects (the request body has been read before, if there was one)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise BadRequest(400, f"'{name}' is given {len(values)} times; give it once")
    return values[0] if values else None


async def _body_text(request: Request, limit_bytes: int) -> str:
    body = bytearray()

    async def read():
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > limit_bytes:
                raise BadRequest(413, f"the request body is over {limit_bytes} bytes, this endpoint's limit; "
                                      "send a shorter query")
    try:
        await asyncio.wait_for(read(), request.app.state.http_limits.body_seconds)
    except asyncio.TimeoutError:
        raise BadRequest(408, f"the request body did not arrive within "
                              f"{request.app.state.http_limits.body_seconds:g} s; send it at once") from None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(400, f"the request body is not UTF-8 (byte {exc.start}); send the query as UTF-8") from None


async def _protocol_params(request: Request, limits: Limits) -> list[tuple[str, str]]:
    """The request's parameters as (name, value) pairs, the query included, per SPARQL 1.1 Protocol §2.1."""
    params = list(request.query_params.multi_items())
    if request.method in ("GET", "HEAD"):
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _body_text(request, limits.max_query_chars * 4)
    if content_type == "application/x-www-form-urlencoded":
        try:
            return params + parse_qsl(body, keep_blank_values=True, strict_parsing=False,
                                      max_num_fields=100)
        except ValueError as exc:
            raise BadRequest(400, f"the form body cannot be read ({exc})") from None
    if content_type == "application/sparql-query":
        if _single(params, "query") is not None:
            raise BadRequest(400, "a POST with Content-Type application/sparql-query carries the query in its "
                                  "body; do not also pass ?query=")
        return params + [("query", body)]
    if content_type == "application/sparql-update":
        raise BadRequest(403, "this endpoint is read-only: SPARQL Update is refused")
    raise BadRequest(415, f"Content-Type '{content_type or '(none)'}' is not a SPARQL query; POST either "
                          "application/x-www-form-urlencoded (query=…) or application/sparql-query")


def _choice(request: Request, params: list[tuple[str, str]]):
    fmt = _single(params, "format") or _single(params, "output")
    try:
        return negotiate(request.headers.get("accept"), fmt)
    except NegotiationError as exc:
        raise BadRequest(exc.status, str(exc)) from None


def _wants_html(request: Request) -> bool:
    return preferred(request.headers.get("accept"), ["application/json", "text/html"]) == "text/html"


class Endpoint:
    """The application state: limits, the worker pool, the views folder."""

    def __init__(self, pool: QueryPool, limits: Limits, viz_dir: Path | None = None, triples: int = -1,
                 http: HttpLimits = HttpLimits()):
        self.pool, self.limits, self.viz_dir, self.triples, self.http = pool, limits, viz_dir, triples, http
        self.held = _HeldAnswers(limits.answer_memory_mb * 1024 * 1024)

    async def until_gone(self, request: Request, work, *args):
        """``work(*args, client, cancelled)`` in a thread; ``cancelled`` is set if the client hangs up first.
        Returns (its result, whether the client hung up)."""
        from starlette.concurrency import run_in_threadpool
        client = request.client.host if request.client else ""
        cancelled = threading.Event()
        answer = asyncio.ensure_future(run_in_threadpool(work, *args, client, cancelled))
        gone = asyncio.ensure_future(_client_gone(request.receive))
        try:
            await asyncio.wait({answer, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not answer.done():
                cancelled.set()
            gone.cancel()
        return await answer, cancelled.is_set()

    async def _answer(self, request: Request, query: QueryRequest) -> Response:
        """Run ``query`` for this client; stop it if the client hangs up first; send the answer in chunks."""
        reply, hung_up = await self.until_gone(request, self.pool.run, query)
        if hung_up:
            return Response(status_code=499)   # nobody is there to read it
        if not self.held.take(len(reply.body)):
            return PlainTextResponse(f"the server holds {self.held.held / 1048576:.0f} MB of answers that their "
                                     "clients have not read yet, its limit; retry in a moment\n",
                                     status_code=503, headers={"Retry-After": "2"})
        return _AnswerResponse(reply, self.held, self.http.send_timeout, head=request.method == "HEAD")

    async def sparql(self, request: Request) -> Response:
        try:
            params = await _protocol_params(request, self.limits)
            if _single(params, "update") is not None:
                raise BadRequest(403, "this endpoint is read-only: SPARQL Update (update=…) is refused")
            for name in ("default-graph-uri", "named-graph-uri"):
                if _single(params, name) is not None:
                    raise BadRequest(400, f"'{name}' is not supported: this endpoint serves one graph, "
                                          "its default graph; leave the parameter out")
            query = _single(params, "query")
            if query is None or not query.strip():
                raise BadRequest(400, "no query: pass ?query=SELECT… (GET or form POST), or POST the query "
                                      "with Content-Type application/sparql-query")
            if len(query) > self.limits.max_query_chars:
                raise BadRequest(413, f"the query is {len(query)} characters long, over this endpoint's limit "
                                      f"of {self.limits.max_query_chars}")
            if "\x00" in query:
                raise BadRequest(400, "the query contains a NUL character; send plain SPARQL text")
            choice = _choice(request, params)
        except BadRequest as exc:
            return _error(exc.status, str(exc))
        return await self._answer(request, QueryRequest(choice=choice, text=query))

    async def catalogue(self, request: Request) -> Response:
        from tttt_kg.queries.catalogue import load_catalogue
        base = str(request.base_url).rstrip("/")
        items = [_describe(q, base) for q in load_catalogue()]
        if _wants_html(request):
            return HTMLResponse(_catalogue_html(items))
        return JSONResponse({"queries": items})

    async def named_query(self, request: Request) -> Response:
        from tttt_kg.queries.catalogue import CatalogueError, get
        try:
            query = get(request.path_params["name"])
        except CatalogueError as exc:
            return _error(404, str(exc))
        accept = request.headers.get("accept", "")
        if "application/sparql-query" in accept or request.query_params.get("format") == "rq":
            return Response(query.text, media_type="application/sparql-query; charset=utf-8")
        return JSONResponse({**_describe(query, str(request.base_url).rstrip("/")), "text": query.text})

    async def run_named(self, request: Request) -> Response:
        from tttt_kg.queries.catalogue import CatalogueError, get
        name = request.path_params["name"]
        try:
            get(name)
            params = list(request.query_params.multi_items())
            choice = _choice(request, params)
            values = {}
            for key, value in params:
                if key in ("format", "output"):
                    continue
                if key in values:
                    raise BadRequest(400, f"parameter '{key}' is given twice; give it once")
                values[key] = value
        except CatalogueError as exc:
            return _error(404, str(exc))
        except BadRequest as exc:
            return _error(exc.status, str(exc))
        return await self._answer(request, QueryRequest(choice=choice, name=name, params=values))

    async def openapi(self, request: Request) -> Response:
        from tttt_kg.graph.server.endpoint_openapi import openapi_document
        return JSONResponse(openapi_document(self.limits))

    async def no_views(self, request: Request) -> Response:
        return _error(404, "no HTML views are served: write them with `tttt-kg viz` (into out/viz/) and restart "
                           "`tttt-kg serve`, or pass --viz DIR")

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "workers": self.pool.size, "busyWorkers": self.pool.busy,
                             "triples": self.pool.triples if self.pool.triples >= 0 else self.triples,
                             "storeVersion": self.pool.version, "storeSwaps": self.pool.swaps,
                             "workerConfinement": self.pool.confinement,
                             "stoppedQueries": self.pool.stopped_queries,
                             "answerBytesHeld": self.held.held})


def _describe(query, base: str) -> dict:
    return {"id": query.id, "title": query.title, "question": query.question, "form": query.form,
            "params": [{"name": p.name, "type": p.type, "default": p.default, "required": p.required, "doc": p.doc}
                       for p in query.params],
            "text": f"{base}/queries/{query.id}?format=rq", "run": f"{base}/queries/{query.id}/run"}


def _catalogue_html(items: list[dict]) -> str:
    rows = []
    for q in items:
        title = html.escape(q["title"].get("vi", "") + (" / " if q["title"] else "") + q["title"].get("en", ""))
        params = ", ".join(html.escape(f"{p['name']} ({p['type']})") for p in q["params"]) or "—"
        rows.append(f"<tr><td><a href=\"{html.escape(q['run'])}?format=json\">{html.escape(q['id'])}</a></td>"
                    f"<td>{title}</td><td>{html.escape(q['question'])}</td><td>{params}</td>"
                    f"<td><a href=\"{html.escape(q['text'])}\">.rq</a></td></tr>")
    return ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>tttt-kg: named queries</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{border-bottom:1px solid #ccc;padding:.3em;"
            "vertical-align:top;text-align:left}</style></head><body><h1>Named queries</h1>"
            "<p><a href=\"/\">query page</a> · run one with <code>/queries/ID/run?param=value</code></p>"
            "<table><tr><th>id</th><th>title</th><th>question</th><th>parameters</th><th>text</th></tr>"
            + "".join(rows) + "</table></body></html>")


async def _not_found(request: Request, exc) -> Response:
    status = getattr(exc, "status_code", 404)
    detail = getattr(exc, "detail", "") or ""
    if status == 404:
        detail = (f"nothing at {request.url.path}; the endpoint is /sparql, the query page /, "
                  "the named queries /queries, the API description /openapi.json")
    elif status == 405:
        detail = f"{request.method} is not allowed on {request.url.path}; use GET (or POST on /sparql)"
    return _error(status, detail or "request refused")


async def _internal_error(request: Request, exc: Exception) -> Response:
    import logging
    logging.getLogger("tttt_kg.endpoint").exception("unexpected error on %s", request.url.path)
    return _error(500, f"internal error ({type(exc).__name__}); the server keeps serving, please report this")


class _SecurityHeaders:
    """Adds headers every answer carries: no MIME sniffing of answers (a CSV or JSON answer holding
    markup must never be run as a page), no Referer leaking a query into other sites' logs."""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)
        await self.app(scope, receive, send_with_headers)


def create_app(pool: QueryPool, limits: Limits, viz_dir: Path | None = None, triples: int = -1,
               http: HttpLimits = HttpLimits()) -> Starlette:
    """The Starlette application; the caller owns ``pool`` (starts it before, closes it after)."""
    from starlette.exceptions import HTTPException
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.staticfiles import StaticFiles

    from tttt_kg.graph.server import query_page
    endpoint = Endpoint(pool, limits, viz_dir, triples, http)
    routes = [
        *query_page.routes(),   # / : YASGUI, served offline (graph/server/query_page.py)
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/queries", endpoint.catalogue, methods=["GET"]),
        Route("/queries/{name}", endpoint.named_query, methods=["GET"]),
        Route("/queries/{name}/run", endpoint.run_named, methods=["GET"]),
        Route("/openapi.json", endpoint.openapi, methods=["GET"]),
        Route("/health", endpoint.health, methods=["GET"]),
    ]
    if viz_dir is not None and Path(viz_dir).is_dir():
        routes.append(Mount("/viz", app=StaticFiles(directory=str(viz_dir), html=True), name="viz"))
    else:
        routes.append(Route("/viz{rest:path}", endpoint.no_views, methods=["GET"]))
    from tttt_kg.graph.server.resource_routes import resource_routes
    routes += resource_routes(endpoint)   # /id/…, /ontology: a page and RDF per IRI (issue 19)
    from tttt_kg.graph.server.void_route import void_routes
    routes += void_routes(endpoint)   # /.well-known/void: the dataset's VoID/DCAT and this endpoint
    # Outermost first: headers on every answer, then the Host check (a page that rebinds its own name
    # to 127.0.0.1 still sends its own name as Host, and is refused), then CORS for the allowed origins.
    middleware = [Middleware(_SecurityHeaders),
                  Middleware(TrustedHostMiddleware, allowed_hosts=list(http.allowed_hosts), www_redirect=False)]
    if http.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(http.cors_origins),
                                     allow_methods=["GET", "POST", "HEAD"], allow_headers=["Accept", "Content-Type"]))
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: _not_found, Exception: _internal_error})
    app.state.http_limits = http
    return app


def serve(spec: str | None, graph_file, records_dir, host: str, port: int, limits: Limits,
          viz_dir: Path | None = None, announce=print, http: HttpLimits = HttpLimits(),
          connections: "ConnectionLimits | None" = None) -> None:
    """Open the store, start the workers, and serve until interrupted; the workers stop with it."""
    from tttt_kg.graph.server.endpoint_server import ConnectionLimits, run_server
    from tttt_kg.graph.server.memory import return_large_buffers_to_os
    from tttt_kg.graph.server.query_workers import prepare_opener
    return_large_buffers_to_os()   # answers held for slow clients must not pin the heap after they go
    opener, triples = prepare_opener(spec, graph_file, records_dir)
    pool = QueryPool(opener, limits)
    pool.start()
    try:
        app = create_app(pool, limits, viz_dir, triples, http)
        shown = f"[{host}]" if ":" in host else host

        def ready(bound: int) -> None:   # the port bound: the system's choice for --port 0
            announce(f"serving {triples} triples at http://{shown}:{bound}/sparql "
                     f"(query page http://{shown}:{bound}/; {limits.workers} workers, "
                     f"{limits.timeout:g} s and {limits.max_rows} rows per query; workers confined: "
                     f"{pool.confinement}); Ctrl-C stops")
        run_server(app, host, port, connections or ConnectionLimits(), extra_threads=limits.max_waiting + limits.workers,
                   ready=ready)
    finally:
        pool.close()
