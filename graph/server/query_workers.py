"""Run the endpoint's queries in worker processes that can be stopped, fairly shared among clients.

Why processes: once Oxigraph is evaluating a query it cannot be interrupted from Python, and
a pathological query (a cross product, a huge result) would hold a thread and its CPU for
ever. A worker that overruns the per-query time limit is killed (by its PID) and replaced;
a worker that dies (out of its memory or CPU limit, a crash in the engine) is replaced too, and
so is a worker whose client hung up while it was still evaluating. The request gets a 503 with
a sentence saying why, and the next request is served as usual.

Each worker is confined (graph/server/sandbox.py: no network sockets, killed with its server, CPU time
bounded per query), opens the store once (`open_store`), answers one query at a time, checks it
first (read-only, no SERVICE, bounded nesting), applies the row and byte caps and writes the
answer in the negotiated format, so only bytes cross the pipe.

Fair share: a client (an IP address) may have `per_client` queries running or waiting (past it:
429 with Retry-After); a free worker goes to the waiting clients in turn, not to the oldest
request, so two clients looping heavy queries cannot starve a third.

One store at a time: for an on-disk store the pool watches which version the store path points
to (`oxistore.store_version`); when `tttt-kg load` swaps in a new one, a whole new set of workers
opens it, and only then do they replace the old set, together.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger("tttt_kg.endpoint")

POLL_SECONDS = 0.05      # how often a waiting request looks whether its client hung up


@dataclass(frozen=True)
class Limits:
    """What one query and one client may use; every field is a `tttt-kg serve` option."""
    timeout: float = 10.0          # seconds of evaluation before the worker is stopped
    max_rows: int = 10_000         # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer
    max_query_chars: int = 100_000
    memory_mb: int = 2048          # address-space limit of each worker process
    workers: int = 2               # queries evaluated at the same time
    queue_wait: float = 30.0       # how long a request waits for a free worker
    max_answer_mb: int = 32        # bytes of one serialised answer
    answer_memory_mb: int = 256    # answers held by the server, not yet read by their clients
    per_client: int = 4            # queries one client may have running or waiting
    max_waiting: int = 64          # queries waiting for a worker, all clients together
    sandbox: bool = True           # confine the workers (graph/server/sandbox.py); off only by --no-sandbox


@dataclass(frozen=True)
class Reply:
    """What the endpoint sends back: a status, a Content-Type, the body and extra headers."""
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def error(cls, status: int, message: str, retry_after: int | None = None) -> "Reply":
        headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), headers)


@dataclass(frozen=True)
class StoreOpener:
    """How a worker gets the graph: N-Triples made once by the server, or a store spec to open."""
    spec: str = "memory"
    ntriples: bytes | None = None

    def open(self):
        from tttt_kg.graph.stores.store import OxigraphStore, open_store
        if self.ntriples is not None:
            import pyoxigraph as ox
            store = ox.Store()
            store.load(self.ntriples, format=ox.RdfFormat.N_TRIPLES)
            return OxigraphStore(store)
        return open_store(self.spec)

    def current_version(self) -> str | None:
        """The version of the store the spec names now (None: it cannot change under the server)."""
        if self.ntriples is not None or not self.spec.startswith("oxigraph:"):
            return None
        try:
            from tttt_kg.graph.stores.oxistore import store_version
        except ImportError:
            return None
        try:
            return store_version(Path(self.spec.split(":", 1)[1]))
        except OSError:
            return None


def prepare_opener(spec: str | None, graph_file: Path | str | None, records_dir: Path | str | None) -> tuple[StoreOpener, int]:
    """Open the store once in the server (so a bad spec or file fails at start, with its message).

    Returns the opener the workers use and the number of triples.
    """
    from tttt_kg.graph.stores.store import open_store
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
    from tttt_kg.graph.server.result_formats import NegotiationError, result_size, serialise_result
    from tttt_kg.graph.guards.sparql_guard import ServiceRefused, UpdateRefused, check_query
    from tttt_kg.graph.stores.store import StoreError
    from tttt_kg.queries.catalogue import CatalogueError
    query = request.text or ""
    try:   # update, SERVICE, too deep, too long a chain: all read on the tokens Oxigraph reads
        check_query(query)
    except (UpdateRefused, ServiceRefused) as exc:
        return Reply.error(403, str(exc))
    except StoreError as exc:
        return Reply.error(400, str(exc))
    try:
        result = _run(store, request, limits.max_rows)
    except CatalogueError as exc:
        return Reply.error(400, str(exc))
    except StoreError as exc:
        return Reply.error(400, f"{exc}\n  fix: correct the query at the line:column given")
    except RecursionError:
        return Reply.error(400, "the query is too deeply nested to evaluate; flatten it")
    except OSError as exc:
        if "os error 1)" in str(exc):   # EPERM from the worker's seccomp filter: the engine tried the network
            log.error("a query reached for the network past the guard and was stopped by the sandbox")
            return Reply.error(403, "federated queries are refused: this endpoint does not call other endpoints "
                                    "(SERVICE); query each endpoint on its own")
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


def _capped(reply: Reply, limits: Limits) -> Reply:
    """The reply, or a 413 when its body is over the byte cap (rows are capped before, bytes here)."""
    cap = limits.max_answer_mb * 1024 * 1024
    if len(reply.body) <= cap:
        return reply
    return Reply.error(413, f"the answer is {len(reply.body) / 1048576:.1f} MB, over this endpoint's cap of "
                            f"{limits.max_answer_mb} MB per answer; add LIMIT (and OFFSET to page), select fewer "
                            "variables, or ask for a terser format (CSV/TSV)")


def _worker_main(conn, opener: StoreOpener, limits: Limits, parent_pid: int) -> None:
    """The loop of one worker process: confine itself, open the store, answer queries until the pipe closes."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C stops the server, which stops us
    from tttt_kg.graph.server.sandbox import SandboxError, confine, limit_cpu_for_next
    try:
        confinement = confine(parent_pid) if limits.sandbox else "none (--no-sandbox)"
    except SandboxError as exc:
        conn.send(("failed", f"the worker could not be confined: {exc}"))
        return
    _limit_memory(limits.memory_mb)
    from tttt_kg.graph.server.memory import return_large_buffers_to_os
    return_large_buffers_to_os()   # a freed answer's buffer must not count against the next query's memory
    try:
        store = opener.open()
    except Exception as exc:   # reported to the server, which says what failed
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    triples = len(store) if hasattr(store, "__len__") else -1
    conn.send(("ready", {"version": getattr(store, "version", None), "confinement": confinement,
                         "triples": triples}))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        limit_cpu_for_next(limits.timeout + 2)   # the kernel's own stop, should the server be gone
        try:
            reply = _capped(execute(store, request, limits), limits)
        except MemoryError:
            reply = Reply.error(503, f"the query needed more than this endpoint's {limits.memory_mb} MB; narrow it")
        except Exception as exc:   # an engine error we did not foresee must not kill the worker
            log.exception("query failed")
            reply = Reply.error(400, f"the query could not be answered: {type(exc).__name__}: {exc}")
        conn.send(reply)


class WorkerStartError(RuntimeError):
    """A worker could not open the store (or could not be confined)."""


class _Worker:
    def __init__(self, ctx, opener: StoreOpener, limits: Limits, generation: int, start_timeout: float = 120.0):
        self.generation = generation
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, opener, limits, os.getpid()), daemon=True,
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
            raise WorkerStartError(f"a query worker could not start: {message}")
        self.version = message["version"]
        self.confinement = message["confinement"]
        self.triples = message["triples"]

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class _Ticket:
    """A request waiting for a worker."""
    __slots__ = ("client", "worker", "assigned")

    def __init__(self, client: str):
        self.client = client
        self.worker: _Worker | None = None
        self.assigned = threading.Event()


class QueryPool:
    """Worker processes shared fairly among clients; `run` waits for a worker, hands it the query, waits."""

    def __init__(self, opener: StoreOpener, limits: Limits, reload_interval: float = 1.0):
        self.opener, self.limits = opener, limits
        self.reload_interval = reload_interval
        self._ctx = mp.get_context("spawn")    # no fork of a threaded server
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._waiting: OrderedDict[str, deque[_Ticket]] = OrderedDict()   # client → tickets, in turn order
        self._in_flight: Counter[str] = Counter()
        self._closed = False
        self.generation = 0
        self.version: str | None = None
        self.triples = -1
        self.confinement = ""
        self.stopped_queries = 0
        self.swaps = 0
        # Every worker is started from this one thread: a worker's parent-death signal fires when the
        # thread that started it ends, so a short-lived thread would take its workers with it.
        self._spawn_jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._spawner = threading.Thread(target=self._spawn_loop, name="tttt-kg-spawner", daemon=True)
        self._watcher: threading.Thread | None = None

    # -- starting and stopping workers -------------------------------------------------------
    def _spawn_loop(self) -> None:
        while (job := self._spawn_jobs.get()) is not None:
            job()

    def _on_spawner(self, job: Callable[[], Any]) -> Any:
        """Run ``job`` on the spawner thread and return its result (or raise its exception)."""
        done = threading.Event()
        outcome: dict[str, Any] = {}

        def wrapped():
            try:
                outcome["value"] = job()
            except BaseException as exc:   # handed back to the caller
                outcome["error"] = exc
            done.set()
        self._spawn_jobs.put(wrapped)
        done.wait()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def _start_set(self, generation: int) -> list[_Worker]:
        """Start ``limits.workers`` workers (on the spawner thread); all or none."""
        started: list[_Worker] = []
        try:
            for _ in range(self.limits.workers):
                started.append(self._on_spawner(lambda: _Worker(self._ctx, self.opener, self.limits, generation)))
        except BaseException:
            for worker in started:
                worker.stop()
            raise
        return started

    def start(self) -> None:
        self._spawner.start()
        self.version = self.opener.current_version()
        workers = self._start_set(self.generation)
        with self._cond:
            self._workers.update(workers)
            self._idle.extend(workers)
            self.confinement = workers[0].confinement
            self.version = workers[0].version or self.version
            self.triples = workers[0].triples
        if self.opener.current_version() is not None:
            self._watcher = threading.Thread(target=self._watch_store, name="tttt-kg-store-watch", daemon=True)
            self._watcher.start()

    def _release(self, worker: _Worker) -> None:
        """A worker is free again: to the next waiting client, to the idle list, or stopped if outdated."""
        with self._cond:
            if self._closed or worker.generation != self.generation:
                self._workers.discard(worker)
                stale = True
            else:
                self._idle.append(worker)
                self._dispatch()
                stale = False
        if stale:
            worker.stop()

    def _replace(self, worker: _Worker) -> None:
        """Stop ``worker`` now and start its successor in the background."""
        with self._cond:
            self._workers.discard(worker)
            self.stopped_queries += 1
            generation = self.generation
        worker.stop()

        def respawn():
            for attempt in range(3):
                with self._cond:
                    if self._closed or generation != self.generation:
                        return
                try:
                    new = _Worker(self._ctx, self.opener, self.limits, generation)
                except WorkerStartError as exc:
                    log.error("%s (attempt %d of 3)", exc, attempt + 1)
                    continue
                with self._cond:
                    self._workers.add(new)
                self._release(new)
                return
        self._spawn_jobs.put(respawn)

    def _watch_store(self) -> None:
        """Swap in a new set of workers when the store path points to a new version."""
        while True:
            time.sleep(self.reload_interval)
            with self._cond:
                if self._closed:
                    return
            current = self.opener.current_version()
            if current is None or current == self.version:
                continue
            try:
                fresh = self._start_set(self.generation + 1)
            except WorkerStartError as exc:
                log.error("the store at %s changed, but new workers could not open it: %s; still serving "
                          "version %s", self.opener.spec, exc, self.version)
                continue
            if {w.version for w in fresh} != {current}:   # it changed again while they opened: next round
                for worker in fresh:
                    worker.stop()
                continue
            with self._cond:
                if self._closed:
                    outdated = fresh
                else:
                    self.generation += 1
                    outdated = list(self._idle)
                    self._workers.difference_update(outdated)
                    self._workers.update(fresh)
                    self._idle = list(fresh)
                    self.version = current
                    self.triples = fresh[0].triples
                    self.swaps += 1
                    self._dispatch()
            for worker in outdated:
                worker.stop()
            log.warning("serving store version %s (%s)", current, self.opener.spec)

    # -- fair dispatch -------------------------------------------------------------------------
    def _dispatch(self) -> None:
        """Hand idle workers to waiting tickets, one client at a time in turn (call with the lock held)."""
        while self._idle and self._waiting:
            client, tickets = self._waiting.popitem(last=False)
            ticket = tickets.popleft()
            if tickets:
                self._waiting[client] = tickets     # back of the line for its next query
            ticket.worker = self._idle.pop()
            ticket.assigned.set()

    def _withdraw(self, ticket: _Ticket) -> bool:
        """Take a waiting ticket out of the line; False when a worker was assigned to it meanwhile."""
        with self._cond:
            if ticket.worker is not None:
                return False
            tickets = self._waiting.get(ticket.client)
            if tickets is not None:
                tickets.remove(ticket)
                if not tickets:
                    del self._waiting[ticket.client]
            return True

    def run(self, request: QueryRequest, client: str = "", cancelled: threading.Event | None = None) -> Reply:
        """Answer ``request`` for ``client`` (blocking: call it from a thread). Setting ``cancelled`` (the
        client hung up) withdraws a waiting request, or stops the worker evaluating it."""
        cancelled = cancelled or threading.Event()
        with self._cond:
            if self._in_flight[client] >= self.limits.per_client:
                return Reply.error(429, f"you already have {self.limits.per_client} queries running or waiting "
                                        "here, this endpoint's limit per client; wait for an answer before "
                                        "sending more", retry_after=1)
            if sum(len(t) for t in self._waiting.values()) >= self.limits.max_waiting:
                return Reply.error(503, f"{self.limits.max_waiting} queries are already waiting for a worker; "
                                        "retry in a moment", retry_after=2)
            self._in_flight[client] += 1
            ticket = _Ticket(client)
            self._waiting.setdefault(client, deque()).append(ticket)
            self._dispatch()
        try:
            return self._run_ticket(ticket, request, cancelled)
        finally:
            with self._cond:
                self._in_flight[client] -= 1
                if self._in_flight[client] <= 0:
                    del self._in_flight[client]

    def _run_ticket(self, ticket: _Ticket, request: QueryRequest, cancelled: threading.Event) -> Reply:
        deadline = time.monotonic() + self.limits.queue_wait
        while not ticket.assigned.wait(POLL_SECONDS):
            if (cancelled.is_set() or time.monotonic() > deadline) and self._withdraw(ticket):
                if cancelled.is_set():
                    return Reply.error(499, "the client closed the connection before a worker was free")
                return Reply.error(503, f"all {self.limits.workers} query workers stayed busy for "
                                        f"{self.limits.queue_wait:g} s; retry in a moment", retry_after=5)
        worker = ticket.worker
        assert worker is not None
        try:
            worker.conn.send(request)
            deadline = time.monotonic() + self.limits.timeout
            while not worker.conn.poll(POLL_SECONDS):
                if cancelled.is_set():
                    self._replace(worker)
                    return Reply.error(499, "the client closed the connection; its query was stopped")
                if time.monotonic() > deadline:
                    self._replace(worker)
                    return Reply.error(503, f"the query was stopped after {self.limits.timeout:g} s, this "
                                            "endpoint's time limit per query; add LIMIT, narrow its patterns, "
                                            "or run it on your own copy of the graph")
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            return Reply.error(503, "the query stopped its worker (it needed more than the "
                                    f"{self.limits.memory_mb} MB memory limit, or crashed the engine); "
                                    "narrow it, and the next query will be served")
        self._release(worker)
        return reply

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
            self._idle.clear()
        for worker in workers:
            worker.stop()
        self._spawn_jobs.put(None)

    @property
    def size(self) -> int:
        with self._cond:
            return len(self._workers)

    @property
    def busy(self) -> int:
        with self._cond:
            return len(self._workers) - len(self._idle)

    def worker_pids(self) -> list[int]:
        with self._cond:
            return sorted(w.process.pid for w in self._workers if w.process.pid is not None)
