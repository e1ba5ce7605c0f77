"""The test harness's servers die with the test process, even when it is killed with SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = """
import sys, time
sys.path.insert(0, {tests!r})
from served import running_server
with running_server("--graph", {graph!r}, "--workers", "1") as (base, proc):
    print(proc.pid, flush=True)
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_test_run_leaves_no_server_behind(seed_ntriples):
    test = subprocess.Popen([sys.executable, "-c", SCRIPT.format(tests=str(HERE), graph=str(seed_ntriples))],
                            stdout=subprocess.PIPE, text=True)
    server = int(test.stdout.readline())
    assert _alive(server)
    os.kill(test.pid, signal.SIGKILL)
    test.wait()
    deadline = time.monotonic() + 30
    while _alive(server) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(server)
