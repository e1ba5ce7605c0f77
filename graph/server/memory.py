"""glibc malloc settings: give large freed buffers back to the operating system at once (below), and
keep the arenas few (cap_malloc_arenas, for stores on disk).

Why: an answer crosses the server as a few ~20 MB buffers (the pickled reply, then its body). glibc's
malloc serves such a buffer with mmap, but after the first one is freed it raises its mmap threshold to
that size (up to 32 MB), so the next ones come from the per-thread heaps, which keep freed memory for
reuse. With answers arriving on many threads, the server's resident size grew by four times its answer
budget (233 MB for a 48 MB budget, `tests/test_endpoint_hardening.py`), memory that a client asking for
big answers and never reading them could pin. A fixed threshold keeps every large buffer on mmap, so it
goes back to the system when the answer is sent or refused (60 MB in the same test).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import platform

M_MMAP_THRESHOLD = -3          # <malloc.h>; setting it also turns off the dynamic adjustment
M_ARENA_MAX = -8               # <malloc.h>
LARGE_BUFFER_BYTES = 1 << 20   # buffers of 1 MiB and more are mapped on their own
ARENAS = 2


def return_large_buffers_to_os() -> bool:
    """Fix glibc's mmap threshold at 1 MiB; True if set (False on another C library, where nothing is done)."""
    return _mallopt(M_MMAP_THRESHOLD, LARGE_BUFFER_BYTES)


def cap_malloc_arenas() -> bool:
    """At most ARENAS glibc malloc arenas in this process. Each arena reserves 64 MB of address space, and
    glibc adds one whenever a thread finds the others busy: RocksDB's threads took a 43 MB `load` to
    712-778 MB of address space (VmPeak; 385 MB with two arenas), and past 1 GB on a busy machine, where
    a `ulimit -v` of 1 GB made it abort (a test's limit, tests/test_untrusted_files.py). Call it before
    the threads start (opening a store on disk)."""
    return _mallopt(M_ARENA_MAX, ARENAS)


def _mallopt(param: int, value: int) -> bool:
    """glibc's mallopt; True if set (False on another C library, where nothing is done)."""
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(param, value))
    except (OSError, AttributeError):
        return False
