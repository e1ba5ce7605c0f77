"""Confine a query worker process: no network, no life after its server, a CPU-time bound per query.

Why: the guard in `sparql_guard` decides on the query's text whether it may run; if it is ever wrong
(a lexical rule it misses, a parser change upstream), Oxigraph would evaluate `SERVICE <http://…>` and
reach whatever the server's machine can reach. A worker that cannot open an Internet socket turns
such a gap into an error message instead of a request. The kernel enforces all three limits here, so
they hold while the worker is deep inside Oxigraph's native code, where Python cannot interrupt it.

- **No network**: a seccomp filter (libseccomp, through pyseccomp) makes `socket()` fail with EPERM
  for every address family but AF_UNIX, and refuses io_uring (which could open sockets without the
  `socket` system call). The worker talks to its server over the pipe it inherited, made before.
- **Dies with its server**: `PR_SET_PDEATHSIG` sends SIGKILL when the thread that started the worker
  ends; the pool starts every worker from one thread that lives as long as the pool (see
  `query_workers.QueryPool`). A parent that died before the call is caught by comparing `getppid`.
- **CPU time**: before each query the soft RLIMIT_CPU is set to the CPU time used so far plus the
  query's allowance; past it the kernel sends SIGXCPU, which ends the process.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import math
import os
import signal
import socket
import sys

PR_SET_PDEATHSIG = 1


class SandboxError(RuntimeError):
    """The worker could not be confined; the server refuses to serve rather than serve unconfined."""


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent goes; exit now if it has gone already."""
    if not sys.platform.startswith("linux"):
        raise SandboxError("stopping workers with their server needs Linux (prctl PR_SET_PDEATHSIG)")
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(ctypes.get_errno())}")
    if os.getppid() != parent_pid:   # the server died between our start and the prctl call
        os._exit(1)


def block_network() -> None:
    """Install the seccomp filter: Internet (and netlink, packet …) sockets and io_uring are refused."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:   # OSError: libseccomp.so.2 missing
        raise SandboxError(f"cannot load libseccomp ({exc}); install the Debian package libseccomp2") from None
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EPERM), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            rules.add_rule(seccomp.ERRNO(errno.ENOSYS), call)
        rules.load()   # sets no_new_privs too, so the filter needs no privilege
    except (OSError, RuntimeError, ValueError) as exc:
        raise SandboxError(f"the seccomp filter could not be installed ({exc})") from None


def limit_cpu_for_next(seconds: float) -> None:
    """Let this process use at most ``seconds`` more CPU time (soft RLIMIT_CPU; the hard limit is kept,
    so the next query can raise it again)."""
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def confine(parent_pid: int) -> str:
    """Apply both lasting confinements to this process; returns what was applied, for `/health`."""
    die_with_parent(parent_pid)
    block_network()
    return "seccomp: no network sockets; killed with the server; CPU time bounded per query"
