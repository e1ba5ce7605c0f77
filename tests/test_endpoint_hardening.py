"""`tttt-kg serve` attacked as issue 12 did: each test failed on the server before the hardening.

The server runs for real (a subprocess on a free loopback port); attackers are real sockets, some
bound to other loopback addresses (127.0.0.2, 127.0.0.3 …) to be other clients; the "internal
service" SERVICE would reach is a real HTTP server that counts what it is asked.
"""
from __future__ import annotations

import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest

from served import running_server, worker_pids

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ASK = "ASK { ?s ?p ?o }"


# -- helpers ---------------------------------------------------------------------------------------------
@contextmanager
def canary():
    """An HTTP server on loopback that records every request it gets; yields (port, requests)."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"SECRET"}}]}}')
        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def get(base: str, path: str, *, source: str = "127.0.0.1", headers: dict | None = None, method: str = "GET",
        timeout: float = 60) -> tuple[int, dict, bytes]:
    """One request from ``source`` (another loopback address is another client)."""
    conn = http.client.HTTPConnection("127.0.0.1", _port(base), timeout=timeout, source_address=(source, 0))
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def sparql_path(query: str, **params) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, **params})


def health(base: str) -> dict:
    return json.loads(get(base, "/health")[2])


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def wait_until(predicate, limit: float, what: str):
    """Poll ``predicate`` until true; fail with ``what`` after ``limit`` seconds (a liveness bound, not a speed test)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} (waited {limit:g} s)")


@pytest.fixture(scope="module")
def server(seed_ntriples):
    with running_server("--graph", str(seed_ntriples), "--timeout", "20") as (base, proc):
        yield base, proc


# -- SERVICE cannot reach the network --------------------------------------------------------------------
BYPASSES = [
    "SELECT * WHERE {{ #x\rSERVICE <http://127.0.0.1:{port}/internal> {{ ?a ?b ?c }} }}",
    "PREFIX ex: <http://x/> SELECT (ex:a\\#b AS ?q) ?a WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/plain> {{ ?a ?b ?c }} }}",
]


@pytest.mark.parametrize("template", BYPASSES, ids=["comment-ends-at-CR", "PN_LOCAL_ESC-hash", "plain"])
def test_service_never_reaches_an_internal_server(server, template):
    base, _ = server
    with canary() as (port, seen):
        status, _, body = get(base, sparql_path(template.format(port=port)))
    assert seen == [], f"the endpoint called the internal service: {seen}"
    assert status in (400, 403), (status, body)
    assert b"SECRET" not in body


def test_workers_run_under_a_seccomp_filter(server):
    """The second line of defence is really in place in the server's own workers."""
    base, proc = server
    pids = worker_pids(proc.pid)
    assert len(pids) == 2, pids
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        assert "\nSeccomp:\t2" in status and "\nNoNewPrivs:\t1" in status, status
    assert "seccomp" in health(base)["workerConfinement"]


CONFINED_SERVICE = """
import sys
from tttt_kg.graph.server.sandbox import confine
import os
confine(os.getppid())
import pyoxigraph as ox
try:
    list(ox.Store().query("SELECT * WHERE { SERVICE <http://127.0.0.1:%s/x> { ?a ?b ?c } }"))
except OSError as exc:
    print("refused:", exc)
    sys.exit(0)
print("answered")
sys.exit(1)
"""


def test_a_confined_process_cannot_call_a_service_even_if_the_guard_missed_it():
    """Oxigraph itself, with no guard in front, asked for SERVICE inside the sandbox: zero requests arrive."""
    with canary() as (port, seen):
        done = subprocess.run([sys.executable, "-c", CONFINED_SERVICE % port], capture_output=True, text=True,
                              timeout=60)
    assert seen == [], seen
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Operation not permitted" in done.stdout


# -- HTTP: Host, headers, HEAD ---------------------------------------------------------------------------
def test_a_foreign_host_header_is_refused(server):
    """DNS rebinding: a page on evil.example that resolves its name to 127.0.0.1 sends Host: evil.example."""
    base, _ = server
    status, _, _ = get(base, sparql_path(ASK), headers={"Host": "evil.example"})
    assert status == 400
    status, _, _ = get(base, sparql_path(ASK), headers={"Host": f"localhost:{_port(base)}"})
    assert status == 200


def test_allowed_hosts_are_configurable(seed_ntriples):
    with running_server("--graph", str(seed_ntriples), "--workers", "1", "--allowed-host", "kg.example.org",
                        "--allowed-host", "127.0.0.1") as (base, _):
        assert get(base, "/health", headers={"Host": "kg.example.org"})[0] == 200
        assert get(base, "/health", headers={"Host": "localhost"})[0] == 400   # allowed by default, not here


def test_answers_and_errors_say_nosniff(server):
    base, _ = server
    for path in (sparql_path(ASK), sparql_path("SELECT nonsense"), "/", "/nowhere"):
        _, headers, _ = get(base, path)
        assert headers.get("x-content-type-options") == "nosniff", path


def test_head_answers_like_get(server):
    base, _ = server
    g_status, g_headers, g_body = get(base, sparql_path(ASK))
    h_status, h_headers, h_body = get(base, sparql_path(ASK), method="HEAD")
    assert (h_status, h_headers["content-type"]) == (g_status, g_headers["content-type"]) == (200, g_headers["content-type"])
    assert h_headers["content-length"] == str(len(g_body)) and h_body == b""


# -- workers do not outlive their server -----------------------------------------------------------------
def test_workers_die_with_a_killed_server(seed_ntriples):
    with running_server("--graph", str(seed_ntriples), "--timeout", "120") as (base, proc):
        pids = worker_pids(proc.pid)
        busy = [threading.Thread(target=lambda: _ignore(get, base, sparql_path(HEAVY), timeout=5), daemon=True)
                for _ in pids]
        for t in busy:
            t.start()
        wait_until(lambda: all(_cpu_ticks(p) > 50 for p in pids), 60, "the workers never got busy")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        wait_until(lambda: not any(_alive(p) for p in pids), 10, f"workers {pids} outlived their killed server")


def test_each_query_has_a_kernel_cpu_limit(server):
    base, proc = server
    assert get(base, sparql_path(ASK))[0] == 200
    limits = [Path(f"/proc/{pid}/limits").read_text() for pid in worker_pids(proc.pid)]
    cpu = [line.split()[3] for text in limits for line in text.splitlines() if line.startswith("Max cpu time")]
    assert cpu and any(value != "unlimited" for value in cpu), cpu


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _ignore(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except (OSError, http.client.HTTPException):
        pass


# -- clients that hang up, hog, or never read ------------------------------------------------------------
def _fire_and_forget(base: str, query: str, n: int) -> None:
    """Send ``n`` requests and close each connection without reading an answer."""
    for _ in range(n):
        with socket.create_connection(("127.0.0.1", _port(base))) as s:
            s.sendall(f"GET {sparql_path(query)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())


def test_abandoned_queries_are_stopped(seed_ntriples):
    with running_server("--graph", str(seed_ntriples), "--timeout", "60", "--per-client", "100",
                        "--max-waiting", "200") as (base, _):
        _fire_and_forget(base, HEAVY, 60)
        time.sleep(1)
        status, _, body = get(base, sparql_path(ASK), source="127.0.0.9", timeout=30)
        assert status == 200, body
        stopped = health(base)["stoppedQueries"]
        assert 1 <= stopped <= 4, stopped    # the running ones were stopped; the waiting ones never started


def test_a_client_over_its_share_gets_429(seed_ntriples):
    with running_server("--graph", str(seed_ntriples), "--timeout", "30", "--per-client", "2") as (base, _):
        held = [socket.create_connection(("127.0.0.1", _port(base))) for _ in range(2)]
        try:
            for s in held:
                s.sendall(f"GET {sparql_path(HEAVY)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            wait_until(lambda: health(base)["busyWorkers"] == 2, 30, "the heavy queries did not start")
            status, headers, body = get(base, sparql_path(ASK))
            assert status == 429 and headers.get("retry-after") == "1", (status, body)
            assert b"limit per client" in body
        finally:
            for s in held:
                s.close()


def test_two_hogs_do_not_starve_a_third_client(seed_ntriples):
    """Two clients keep every worker busy with queries stopped at the time limit (ROUND s); a third still gets
    its turn at the next free worker. (The hogs keep both workers busy throughout: CPU time ~ 2 x the test's.)"""
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    ROUND = 1
    with running_server("--graph", str(seed_ntriples), "--timeout", str(ROUND), "--workers", "2",
                        "--per-client", "4") as (base, _):
        stop = threading.Event()

        def hog(source):
            while not stop.is_set():
                _ignore(get, base, sparql_path(slow), source=source, timeout=60)
        hogs = [threading.Thread(target=hog, args=(ip,), daemon=True) for ip in ("127.0.0.2", "127.0.0.3")
                for _ in range(4)]
        for t in hogs:
            t.start()
        time.sleep(1.5 * ROUND)
        try:
            waits = []
            for _ in range(3):
                started = time.monotonic()
                assert get(base, sparql_path(ASK), source="127.0.0.4", timeout=120)[0] == 200
                waits.append(time.monotonic() - started)
        finally:
            stop.set()
        # With a FIFO line the third client waited behind all 8 hog queries (4 rounds); in turn, one round.
        assert max(waits) < 4 * ROUND, waits


def test_unread_answers_do_not_grow_the_server(seed_ntriples):
    """16 clients ask for a ~20 MB answer and never read it: the server holds at most its answer budget."""
    cartesian = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT "
    with running_server("--graph", str(seed_ntriples), "--timeout", "60", "--max-rows", "200000",
                        "--max-answer-mb", "40", "--answer-memory-mb", "48", "--per-client", "16",
                        "--send-timeout", "3", "--max-waiting", "64") as (base, proc):
        # rows of ~20 MB whatever the graph holds (its first triples' terms set the row size)
        status, _, sample = get(base, sparql_path(cartesian + "5000"))
        assert status == 200
        big = cartesian + str(int(5000 * 20e6 / len(sample)))
        status, _, answer = get(base, sparql_path(big))
        assert status == 200 and 18e6 < len(answer) < 22e6, len(answer)
        before = rss_kb(proc.pid)
        sockets = []
        for _ in range(16):
            s = socket.create_connection(("127.0.0.1", _port(base)))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(f"GET {sparql_path(big)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            sockets.append(s)
        peak, idle_since = before, None
        started = time.monotonic()
        # watch until every request is done: no worker busy and no answer held for 3 s (at most 60 s)
        while time.monotonic() < started + 60:
            peak = max(peak, rss_kb(proc.pid))
            state = health(base)
            if state["busyWorkers"] or state["answerBytesHeld"] or time.monotonic() < started + 2:
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= 3:
                break
            time.sleep(0.2)
        growth_mb = (peak - before) / 1024
        # the budget (48 MB) plus one answer in transit per worker (2 x 20 MB, pickled once more on arrival)
        assert growth_mb < 48 + 2 * 2 * 20 + 40, f"server grew {growth_mb:.0f} MB"
        assert health(base)["answerBytesHeld"] == 0     # the stalled clients were dropped after --send-timeout
        for s in sockets:
            s.close()


# -- slowloris -------------------------------------------------------------------------------------------
def test_slow_headers_are_cut_and_the_connection_cap_holds(seed_ntriples):
    with running_server("--graph", str(seed_ntriples), "--workers", "1", "--max-connections", "20",
                        "--header-timeout", "1") as (base, proc):
        slow = []
        for _ in range(40):
            s = socket.create_connection(("127.0.0.1", _port(base)))
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: ")
            slow.append(s)
        # over the cap: answered 503 and closed at once
        s = socket.create_connection(("127.0.0.1", _port(base)))
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        s.settimeout(10)
        assert s.recv(100).startswith(b"HTTP/1.1 503"), "a connection over the cap was not refused"
        s.close()
        # after the header deadline the slow ones are closed, and a normal client is served
        time.sleep(2.5)
        assert get(base, "/health", timeout=10)[0] == 200
        refused = 0
        for s in slow:
            s.settimeout(5)
            received = b""
            try:
                while chunk := s.recv(4096):   # socket.timeout here: still open past the header deadline
                    received += chunk
            except ConnectionResetError:
                pass
            s.close()
            assert received == b"" or received.startswith(b"HTTP/1.1 503"), received[:200]
            refused += received.startswith(b"HTTP/1.1 503")
        assert refused == 20, refused      # the 20 over --max-connections; the other 20 cut at the deadline
        log = proc.log_path.read_text()
        assert "Traceback" not in log, log[:2000]
        assert log.count("\n") < 20, log[:2000]


# -- one store at a time ---------------------------------------------------------------------------------
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_a_store_swapped_under_the_server_is_served_whole(tmp_path, seed_ntriples):
    """`load` replaces the store while clients query: answers go from the old store to the new once, never
    back and forth, and /health names the version the workers read."""
    from served import TTTT_KG
    small = tmp_path / "small.nt"
    small.write_bytes(b"".join(seed_ntriples.read_bytes().splitlines(keepends=True)[:1000]))
    store = tmp_path / "store"
    assert subprocess.run([TTTT_KG, "load", "--store", f"oxigraph:{store}", str(small)],
                          capture_output=True).returncode == 0
    with running_server("--store", f"oxigraph:{store}", "--workers", "2") as (base, _):
        first = health(base)
        answers: list[tuple[float, float, int]] = []    # (sent, answered, count)
        stop = threading.Event()

        def ask(source):
            while not stop.is_set():
                sent = time.monotonic()
                status, _, body = get(base, sparql_path(COUNT), source=source)
                if status == 200:
                    answers.append((sent, time.monotonic(), int(json.loads(body)["results"]["bindings"][0]["n"]["value"])))
        askers = [threading.Thread(target=ask, args=(f"127.0.0.{i}",), daemon=True) for i in (2, 3, 4)]
        for t in askers:
            t.start()
        done = subprocess.run([TTTT_KG, "load", "--store", f"oxigraph:{store}", str(seed_ntriples)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        after = wait_until(lambda: (h := health(base))["storeVersion"] != first["storeVersion"] and h, 30,
                           "the server never picked up the new store")
        time.sleep(1)
        stop.set()
        for t in askers:
            t.join(30)
    old, new = 1000, sum(1 for _ in seed_ntriples.open("rb"))
    assert {n for _, _, n in answers} == {old, new}, {n for _, _, n in answers}
    first_new = min(answered for _, answered, n in answers if n == new)
    late_old = [(sent, n) for sent, _, n in answers if sent > first_new and n != new]
    assert not late_old, f"{len(late_old)} queries sent after the new store answered got the old one"
    assert after["triples"] == new and after["storeSwaps"] == 1
