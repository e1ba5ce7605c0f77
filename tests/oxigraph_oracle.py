"""Ask Oxigraph itself whether it parses a query and whether it calls SERVICE: the guard's oracle.

Why a child process: some inputs crash Oxigraph (a segfault, no exception); the child dies, the
parent says which query killed it and starts a new child, and pytest goes on. Why a canary: the
question is whether Oxigraph reaches the network, and SERVICE SILENT hides failed calls, so the
child runs a small HTTP server on 127.0.0.1 that answers every call with one empty solution (so
the query goes on) and counts the calls. The child's store holds three triples, so that patterns
written to match them reach what follows: <http://x/s> <http://x/p> <http://x/o>, <http://x/s>
<http://x/flag> true (for `true` glued to a keyword), <http://x/s> <http://x/port> <http://x:> (an
IRI that a prefixed name falls back to when prefix + local name is not an IRI).

Run as a script, this file is the child: one JSON line in (the query), one JSON line out.
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    outcome: str        # ran, syntax (Oxigraph did not parse it), error (parsed, failed while running),
                        # crashed (the process died: returncode in ``detail``), timeout
    hits: int           # requests the canary received while the query ran
    detail: str = ""

    @property
    def parsed(self) -> bool:
        return self.outcome in ("ran", "error")


class Oracle:
    """A child process running Oxigraph next to a canary HTTP server; ``port`` is the canary's."""

    def __init__(self, timeout: float = 60.0):
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self._start()

    def _start(self) -> None:
        env = dict(os.environ, PYTHONFAULTHANDLER="")
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     encoding="utf-8", errors="surrogatepass", bufsize=1, env=env)
        line = self._read(120.0)
        if line is None:
            raise RuntimeError(f"the Oxigraph oracle did not start (exit status {self.proc.poll()})")
        self.port = json.loads(line)["port"]

    def _read(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        return line or None

    def ask(self, query: str) -> Outcome:
        """Run ``query`` in the child; a crash or a hang restarts the child (with a new port)."""
        try:
            self.proc.stdin.write(json.dumps({"query": query}) + "\n")
            self.proc.stdin.flush()
            line = self._read(self.timeout)
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            status = self.proc.poll()
            self.stop()
            self._start()
            if status is None:
                return Outcome("timeout", 0, f"no answer within {self.timeout:g} s")
            return Outcome("crashed", 0, f"exit status {status}")
        answer = json.loads(line)
        return Outcome(answer["outcome"], answer["hits"], answer.get("detail", ""))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(10)
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass


def _child() -> None:
    import http.server
    import threading

    import pyoxigraph as ox

    hits = [0]
    body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'

    class Canary(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            hits[0] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = ox.Store()
    x = "http://x/"
    for s, p, o in [(x + "s", x + "p", ox.NamedNode(x + "o")), (x + "s", x + "flag", ox.Literal(True)),
                    (x + "s", x + "port", ox.NamedNode("http://x:"))]:
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o))
    out = sys.stdout
    out.write(json.dumps({"port": server.server_address[1]}) + "\n")
    out.flush()
    for line in sys.stdin:
        query = json.loads(line)["query"]
        hits[0] = 0
        detail = ""
        try:
            result = store.query(query)
            if not isinstance(result, ox.QueryBoolean):
                for _ in result:
                    pass
            outcome = "ran"
        except SyntaxError as exc:
            outcome, detail = "syntax", str(exc)
        except Exception as exc:   # parsed; failed while evaluating (a SERVICE answer it refused, …)
            outcome, detail = "error", f"{type(exc).__name__}: {exc}"
        out.write(json.dumps({"outcome": outcome, "hits": hits[0], "detail": detail[:300]}) + "\n")
        out.flush()


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8", errors="surrogatepass")
    sys.stdout.reconfigure(encoding="utf-8", errors="surrogatepass")
    _child()
