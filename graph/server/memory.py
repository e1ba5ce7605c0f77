"""Give large freed buffers back to the operating system at once.

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
LARGE_BUFFER_BYTES = 1 << 20   # buffers of 1 MiB and more are mapped on their own


def return_large_buffers_to_os() -> bool:
    """Fix glibc's mmap threshold at 1 MiB; True if set (False on another C library, where nothing is done)."""
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(M_MMAP_THRESHOLD, LARGE_BUFFER_BYTES))
    except (OSError, AttributeError):
        return False
