"""The HTTP server under the endpoint: uvicorn, with the connection limits uvicorn lacks.

Why: uvicorn bounds nothing before a request's headers are complete. A client that opens many
connections and trickles its headers a byte at a time (slowloris) held them for ever, and at the
process's file-descriptor limit every new client was locked out while asyncio logged a traceback
per refused accept (255 MB of log a minute). Here each connection must deliver complete headers
within ``header_seconds`` (the first request, and each one after a keep-alive pause), at most
``max_connections`` are open at once (the next is answered 503 and closed), and a refused accept
or a refused connection is one line of log, not a traceback. Request bodies have their own
deadline in the app (`HttpLimits.body_seconds`); answers their own send timeout.
"""
from __future__ import annotations

import asyncio
import errno
import logging
import resource
import time
from dataclasses import dataclass
from typing import Callable

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("tttt_kg.endpoint")
FD_RESERVE = 64          # descriptors kept free for worker pipes, store files and the log


@dataclass(frozen=True)
class ConnectionLimits:
    """What clients may hold open; every field is a `tttt-kg serve` option."""
    max_connections: int = 256
    header_seconds: float = 10.0
    keep_alive: int = 5


class _OneLinePerSecond:
    """Logs a repeated refusal once a second with how many there were, so a flood cannot fill the disk."""

    def __init__(self):
        self.last, self.count = 0.0, 0

    def note(self, message: str) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.last >= 1.0:
            log.warning("%s (%d such in the last second)", message, self.count)
            self.last, self.count = now, 0


def _guarded_protocol(limits: ConnectionLimits):
    refusals = _OneLinePerSecond()
    busy = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 2\r\n"
            b"Connection: close\r\nContent-Length: 62\r\n\r\n"
            b"the server has as many connections as it takes; retry later.\n")

    class GuardedH11Protocol(H11Protocol):
        """uvicorn's HTTP/1.1 protocol with a connection cap and a deadline for each request's headers."""

        _refused = False
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:
            if len(self.connections) >= limits.max_connections:
                self._refused = True
                self.transport = transport
                refusals.note(f"refused a connection: {limits.max_connections} are open (--max-connections)")
                transport.write(busy)
                transport.close()
                return
            super().connection_made(transport)
            self._arm_header_deadline()

        def connection_lost(self, exc) -> None:
            self._disarm()
            if not self._refused:
                super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if not self._refused:
                super().data_received(data)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm_header_deadline()   # the next request's headers have the same time

        def _arm_header_deadline(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(limits.header_seconds, self._headers_overdue)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_overdue(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                client = self.client[0] if self.client else "?"
                refusals.note(f"closed a connection from {client}: no complete request headers within "
                              f"{limits.header_seconds:g} s (--header-timeout)")
                self.transport.close()

    return GuardedH11Protocol


def _exception_handler(loop, context) -> None:
    """One line for an accept refused at the descriptor limit (asyncio retries it by itself)."""
    exc = context.get("exception")
    if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
        _accept_refusals.note(f"cannot accept a connection: {exc.strerror}")
        return
    loop.default_exception_handler(context)


_accept_refusals = _OneLinePerSecond()


def _descriptor_budget(wanted: int) -> int:
    """Raise the soft descriptor limit to the hard one and return how many connections fit under it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return max(1, min(wanted, soft - FD_RESERVE))


def run_server(app, host: str, port: int, limits: ConnectionLimits, extra_threads: int = 40,
               ready: Callable[[int], None] = lambda port: None) -> None:
    """Serve ``app`` until SIGINT/SIGTERM; ``ready(port)`` hears the port bound (the one the system
    chose for --port 0) before the first request is taken."""
    import anyio.to_thread
    import uvicorn

    fitted = _descriptor_budget(limits.max_connections)
    if fitted < limits.max_connections:
        log.warning("--max-connections lowered from %d to %d to stay under the descriptor limit",
                    limits.max_connections, fitted)
        limits = ConnectionLimits(fitted, limits.header_seconds, limits.keep_alive)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            http=_guarded_protocol(limits), timeout_keep_alive=limits.keep_alive)
    server = uvicorn.Server(config)
    sock = config.bind_socket()
    ready(sock.getsockname()[1])

    async def main():
        asyncio.get_running_loop().set_exception_handler(_exception_handler)
        # every waiting query holds a thread of this pool while it waits for a worker
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, extra_threads + 8)
        await server.serve(sockets=[sock])

    asyncio.run(main())
