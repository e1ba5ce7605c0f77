"""Tell what a killed process left behind from what a running one is still writing, and remove it.

A `kill -9` skips every `finally`: a half-written store folder or a `.NAME.*.tmp` file of a synth
output stays (a killed `synth` left 9.9 GB). PIDs in names would mislead (they are reused), so a
writer holds an advisory lock (flock) on what it writes for as long as it writes it: the kernel
drops the lock when the process dies, however it dies. A leftover whose lock can be taken has no
writer any more and is removed by the next run.
"""
from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
from pathlib import Path


def lock(path: Path | str, *, shared: bool = False, wait: bool = True) -> int | None:
    """An fd holding a flock on ``path`` (a file or a folder); None if ``wait`` is False and it is
    taken. The lock lasts until the fd is closed (``unlock``) or the process dies."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if os.path.isdir(path) else 0))
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB))
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            return None
        raise
    return fd


def try_lock(path: Path | str) -> int | None:
    """An exclusive lock on ``path`` if nobody holds one and it can be opened; else None."""
    try:
        return lock(path, wait=False)
    except OSError:
        return None


def unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _open_elsewhere(path: Path) -> bool:
    """Whether a process holds ``path`` open (Linux: its /proc/PID/fd). Writers that take no lock,
    such as graph/atomic.py's temporary files, are recognised this way; processes we may not look
    into are not seen, and without /proc the answer is False (the lock alone then decides)."""
    try:
        st = path.stat()
        procs = os.scandir("/proc")
    except OSError:
        return False
    me = str(os.getpid())
    with procs:
        for proc in procs:
            if not proc.name.isdigit() or proc.name == me:
                continue
            try:
                fds = os.scandir(f"/proc/{proc.name}/fd")
            except OSError:
                continue
            with fds:
                for fd in fds:
                    try:
                        other = os.stat(fd.path)
                    except OSError:
                        continue
                    if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                        return True
    return False


def clean_temp_files(target: Path | str) -> list[Path]:
    """Remove the `.NAME.*.tmp` files next to ``target`` that no live process writes (a writer
    holds a flock on its file, or has it open); the paths removed."""
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    pattern = re.compile(rf"\.{re.escape(target.name)}\.[^/]+\.tmp")
    removed = []
    try:
        entries = [p for p in parent.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return removed
    for p in entries:
        if p.is_symlink() or not p.is_file():
            continue
        fd = try_lock(p)
        if fd is None:
            continue
        try:
            if not _open_elsewhere(p):
                p.unlink()
                removed.append(p)
        except OSError:
            pass
        finally:
            unlock(fd)
    return removed


def remove_tree(folder: Path) -> None:
    """Remove a folder that may be half-removed already (a killed removal)."""
    shutil.rmtree(folder, ignore_errors=True)


def human_bytes(n: float) -> str:
    """1234567 → '1.2 MB' (decimal units, as df -H and disk makers count)."""
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} PB"
