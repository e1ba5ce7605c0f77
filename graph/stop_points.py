"""Test-only stop points: a process stops itself (SIGSTOP) at a named step, so a test can kill -9 it there.

With ``TTTT_KG_TEST_STOP_AT=STEP`` in its environment, a process reaching ``stop_at(STEP)`` sends
itself SIGSTOP; the test waits for that (``os.waitpid(pid, os.WUNTRACED)``) and kills it at exactly
that step, with no sleep and no race. Unset (always, outside tests), ``stop_at`` does nothing.

Steps: a load's switch of store versions (graph/stores/oxistore.py: building, built, linked, moved-aside,
…; tests/test_store_lifecycle.py) and a file written atomically (graph/export.py ``serialising``,
graph/atomic.py ``temp-created``, ``temp-written``, ``replaced``; tests/test_reliability_files.py).
"""
from __future__ import annotations

import os
import signal

ENV = "TTTT_KG_TEST_STOP_AT"


def stop_at(step: str) -> None:
    if os.environ.get(ENV) == step:
        os.kill(os.getpid(), signal.SIGSTOP)
