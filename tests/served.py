"""Start `tttt-kg serve` on a free loopback port for a test, and stop it (by PID) afterwards."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

TTTT_KG = str(Path(sys.executable).with_name("tttt-kg"))
# the line serve writes once it listens; it names the port bound
ANNOUNCED = re.compile(r"serving \d+ triples at http://[^:/]+:(\d+)/sparql")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """PIDs of the server's worker processes (read from /proc, so they can be stopped too)."""
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids


def worker_pids(server_pid: int) -> list[int]:
    """The server's query workers (children running multiprocessing's spawn_main, not its resource tracker)."""
    pids = []
    for pid in _children(server_pid):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                pids.append(pid)
        except OSError:
            pass
    return pids


def _die_with_the_test() -> None:
    """In the server, before it starts: SIGTERM when the test process dies, even by SIGKILL, so that a
    killed test run leaves no server behind (its query workers die with it by their own PDEATHSIG)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM, 0, 0, 0)   # PR_SET_PDEATHSIG
    if os.getppid() == 1:                    # the test died before prctl: nobody is left to stop us
        os._exit(1)


@contextmanager
def running_server(*args: str, start_timeout: float = 120.0):
    """Yield (base_url, process) of a server started with ``args``; stop it and its workers after.

    The server's stderr goes to a file (``process.log_path``): a pipe nobody reads would block it."""
    log = open(os.devnull, "wb")
    # an empty working directory, so that an out/viz/ left in the repository does not change what is served
    workdir = tempfile.mkdtemp(prefix="tttt-kg-serve-")
    log_path = Path(workdir) / "stderr.log"
    err = open(log_path, "wb")
    # --port 0: the system picks a free port and the server announces it (no race for a port picked here)
    proc = subprocess.Popen([TTTT_KG, "serve", "--port", "0", *args], stdout=log, stderr=err,
                            stdin=subprocess.DEVNULL, cwd=workdir, preexec_fn=_die_with_the_test)
    proc.log_path = log_path
    try:
        deadline = time.monotonic() + start_timeout
        base = None
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"tttt-kg serve exited ({proc.returncode}): {log_path.read_text()}")
            if base is None:
                found = ANNOUNCED.search(log_path.read_text(encoding="utf-8", errors="replace"))
                base = f"http://127.0.0.1:{found.group(1)}" if found else None
            if base is not None:
                try:
                    with urllib.request.urlopen(base + "/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"tttt-kg serve did not answer within {start_timeout:.0f} s: {log_path.read_text()}")
            time.sleep(0.2)
        yield base, proc
    finally:
        workers = _children(proc.pid) if proc.poll() is None else []
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        for pid in workers:   # normally gone with the server; make sure
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
        err.close()
        shutil.rmtree(workdir, ignore_errors=True)
