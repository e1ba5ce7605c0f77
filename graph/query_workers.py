"""Run the endpoint's queries in worker processes that can be stopped.

Why processes: once Oxigraph is evaluating a query it cannot be interrupted from Python, and
a pathological query (a cross product, a huge result) would hold a thread and its CPU for
ever. A worker that overruns the per-query time limit is killed (by its PID) and replaced;
a worker that dies (out of its memory limit, a crash in the engine) is replaced too. The
request gets a 503 with a sentence saying why, and the next request is served as usual.

Each worker opens the store once (`open_store`), answers one query at a time, checks it
first (read-only, no SERVICE, bounded nesting), applies the row cap and writes the answer
in the negotiated format, so only bytes cross the pipe.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("tttt_kg.endpoint")


@dataclass(frozen=True)
class Limits:
    """What one query may use; every field is a `tttt-kg serve` option."""
    timeout: float = 10.0          # seconds of evaluation before the worker is stopped
    max_rows: int = 10_000         # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer
    max_query_chars: int = 100_000
    memory_mb: int = 2048          # address-space limit of each worker process
    workers: int = 2               # queries evaluated at the same time
    queue_wait: float = 30.0       # how long a request waits for a free worker


@dataclass(frozen=True)
class Reply:
    """What the endpoint sends back: a status, a Content-Type and the body."""
    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> "Reply":
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


@dataclass(frozen=True)
class StoreOpener:
    """How a worker gets the graph: N-Triples made once by the server, or a store spec to open."""
    spec: str = "memory"
    ntriples: bytes | None = None

    def open(self):
        from .store import OxigraphStore, open_store
        if self.ntriples is not None:
            import pyoxigraph as ox
            store = ox.Store()
            store.load(self.ntriples, format=ox.RdfFormat.N_TRIPLES)
            return OxigraphStore(store)
        return open_store(self.spec)


def prepare_opener(spec: str | None, graph_file: Path | str | None, records_dir: Path | str | None) -> tuple[StoreOpener, int]:
    """Open the store once in the server (so a bad spec or file fails at start, with its message).

    Returns the opener the workers use and the number of triples.
    """
    from .store import open_store
    spec = spec or "memory"
    store = open_store(spec, graph_file, records_dir)
    size = len(store) if hasattr(store, "__len__") else -1
    if spec == "memory":
        return StoreOpener(spec, store.dump()), size
    return StoreOpener(spec), size


@dataclass(frozen=True)
class QueryRequest:
    """A SPARQL text, or the id of a named query and its parameters; and the formats to answer in."""
    choice: Any
    text: str | None = None
    name: str | None = None
    params: dict[str, str] = field(default_factory=dict)


def _run(store, request: QueryRequest, max_rows: int):
    """The answer, read only up to one row past the cap: an answer over it is refused anyway."""
    if request.name is not None:
        from tttt_kg.queries import catalogue
        return catalogue.run(store, catalogue.get(request.name), request.params, max_rows=max_rows)
    return store.query(request.text, max_rows=max_rows)


def execute(store, request: QueryRequest, limits: Limits) -> Reply:
    """Check, run and serialise one query (runs inside a worker)."""
    from .result_formats import NegotiationError, result_size, serialise_result
    from .sparql_guard import check_nesting, is_update, uses_service
    from .store import StoreError
    from tttt_kg.queries.catalogue import CatalogueError
    query = request.text or ""
    try:
        check_nesting(query)
    except StoreError as exc:
        return Reply.error(400, str(exc))
    if is_update(query):
        return Reply.error(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
                                "CREATE, ADD, MOVE, COPY) is refused; send a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if uses_service(query):
        return Reply.error(403, "federated queries are refused: this endpoint does not call other endpoints "
                                "(SERVICE); query each endpoint on its own")
    try:
        result = _run(store, request, limits.max_rows)
    except CatalogueError as exc:
        return Reply.error(400, str(exc))
    except StoreError as exc:
        return Reply.error(400, f"{exc}\n  fix: correct the query at the line:column given")
    except RecursionError:
        return Reply.error(400, "the query is too deeply nested to evaluate; flatten it")
    except OSError as exc:
        return Reply.error(503, f"the store could not answer ({exc}); try again")
    if result.truncated or result_size(result) > limits.max_rows:
        what = "triples" if result.kind == "graph" else "rows"
        return Reply.error(413, f"the answer has more {what} than this endpoint's cap of {limits.max_rows}; "
                                f"add LIMIT {limits.max_rows} (and OFFSET to page) or narrow the query")
    try:
        content_type, body = serialise_result(result, request.choice)
    except NegotiationError as exc:
        return Reply.error(exc.status, str(exc))
    if content_type.startswith("text/") or content_type.endswith("json"):
        content_type += "; charset=utf-8"
    return Reply(200, content_type, body)


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):   # not on this platform, or a lower hard limit
        pass


def _worker_main(conn, opener: StoreOpener, limits: Limits) -> None:
    """The loop of one worker process: open the store, then answer queries until the pipe closes."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C stops the server, which stops us
    _limit_memory(limits.memory_mb)
    try:
        store = opener.open()
    except Exception as exc:   # reported to the server, which says what failed
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            reply = execute(store, request, limits)
        except MemoryError:
            reply = Reply.error(503, f"the query needed more than this endpoint's {limits.memory_mb} MB; narrow it")
        except Exception as exc:   # an engine error we did not foresee must not kill the worker
            log.exception("query failed")
            reply = Reply.error(400, f"the query could not be answered: {type(exc).__name__}: {exc}")
        conn.send(reply)


class WorkerStartError(RuntimeError):
    """A worker could not open the store."""


class _Worker:
    def __init__(self, ctx, opener: StoreOpener, limits: Limits, start_timeout: float = 120.0):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, opener, limits), daemon=True,
                                   name="tttt-kg-query-worker")
        self.process.start()
        child.close()
        if not self.conn.poll(start_timeout):
            self.stop()
            raise WorkerStartError(f"a query worker did not start within {start_timeout:.0f} s")
        try:
            status, message = self.conn.recv()
        except EOFError:
            status, message = "failed", "it exited while opening the store"
        if status != "ready":
            self.stop()
            raise WorkerStartError(f"a query worker could not open the store: {message}")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; `run` hands a query to an idle one and waits."""

    def __init__(self, opener: StoreOpener, limits: Limits):
        self.opener, self.limits = opener, limits
        self._ctx = mp.get_context("spawn")    # no fork of a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.stopped_queries = 0

    def start(self) -> None:
        for _ in range(self.limits.workers):
            self._add(_Worker(self._ctx, self.opener, self.limits))

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._workers.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Stop ``worker`` now and start its successor in the background."""
        with self._lock:
            self._workers.discard(worker)
            self.stopped_queries += 1
        worker.stop()

        def respawn():
            for attempt in range(3):
                try:
                    self._add(_Worker(self._ctx, self.opener, self.limits))
                    return
                except WorkerStartError as exc:
                    log.error("%s (attempt %d of 3)", exc, attempt + 1)
        threading.Thread(target=respawn, name="tttt-kg-respawn", daemon=True).start()

    def run(self, request: QueryRequest) -> Reply:
        """Answer ``request`` (blocking: call it from a thread)."""
        try:
            worker = self._idle.get(timeout=self.limits.queue_wait)
        except queue.Empty:
            return Reply.error(503, f"all {self.limits.workers} query workers are busy; retry in a moment")
        try:
            worker.conn.send(request)
            if worker.conn.poll(self.limits.timeout):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            self._replace(worker)
            return Reply.error(503, "the query stopped its worker (it needed more than the "
                                    f"{self.limits.memory_mb} MB memory limit, or crashed the engine); "
                                    "narrow it, and the next query will be served")
        self._replace(worker)
        return Reply.error(503, f"the query was stopped after {self.limits.timeout:g} s, this endpoint's time "
                                "limit per query; add LIMIT, narrow its patterns, or run it on your own copy "
                                "of the graph")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._workers)
