"""Write outputs so that a reader sees the old file or the new one, never half of one.

A regular file (also one reached through a symbolic link, which stays a link) is replaced by
renaming a finished temporary file over it. Anything else that exists is written in place and never
replaced: a character or block device (/dev/null, /dev/full, a terminal), a FIFO, /proc/self/fd/N
onto a pipe. A directory, a socket and a dangling symbolic link are refused with a sentence.

A new file gets 0666 less the umask (0644 under umask 022), as any Unix tool makes it; a replaced
file keeps its permission bits (and its owner and group when the process may set them).
"""
from __future__ import annotations

import errno
import os
import re
import stat
import secrets
from contextlib import contextmanager
from pathlib import Path

from tttt_kg.graph.stop_points import stop_at


class OutputError(OSError):
    """An output path that cannot be written (missing parent, no permission, a directory, a full disk)."""


_NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _new_temp(parent: Path, name: str, mode: int) -> str:
    """Create an empty temporary file for ``name`` in ``parent`` with ``mode`` (less the umask); its path.

    A new output is created 0666 so that the kernel applies the umask, as for any new file
    (tempfile.mkstemp makes 0600, and reading the umask back took a /proc read per file: 1 ms each in a
    large process, a tenth of `tttt-kg site`). A replacement starts 0600 and gets the old file's bits
    when written, so a private file's new content is never readable by others on the way."""
    for _ in range(100):
        tmp = os.path.join(parent, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(parent))


def _errno(exc: OSError) -> int | None:
    """The error number, also when a Rust library (pyoxigraph) only puts it in the text: '(os error 28)'."""
    if exc.errno is not None:
        return exc.errno
    found = re.search(r"os error (\d+)", str(exc))
    return int(found.group(1)) if found else None


def _write_failed(target: Path, exc: OSError, kept: str) -> OutputError:
    """A full disk (or quota, or file size limit) as a sentence naming the output, not the temp file."""
    reason = os.strerror(_errno(exc)).lower()
    return OutputError(f"{target}: could not be written ({reason}); {kept}; free space or choose another output")


def _where(target: Path) -> tuple[Path, os.stat_result | None, bool]:
    """Where to write for ``target``: (path, its status or None for a new file, in place?).

    The path is the resolved regular file when ``target`` is one or links to one, else ``target``
    itself (a device or FIFO, written in place). Refuses a directory, a socket, a dangling link."""
    try:
        st = os.stat(target)                         # follows links, as writing through them would
    except FileNotFoundError:
        if os.path.islink(target):
            raise OutputError(f"{target}: is a symbolic link to {os.readlink(target)}, which does not exist; "
                              f"give that path itself (-o {os.path.realpath(target)})") from None
        return target, None, False
    except OSError as exc:                           # a link loop, a path through a file, no permission
        raise OutputError(f"{target}: cannot be written ({exc.strerror}); choose another output") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{target}: is a directory; give a file name such as {target / 'tttt-kg.ttl'}")
    if stat.S_ISSOCK(st.st_mode):
        raise OutputError(f"{target}: is a socket, which cannot be written as a file; "
                          "give a file name, or '-' for stdout")
    if not stat.S_ISREG(st.st_mode):
        return target, st, True                      # device or FIFO: written in place
    real = Path(os.path.realpath(target))
    try:
        same = os.path.samestat(os.stat(real), st)
    except OSError:
        same = False
    if not same:                                     # /proc/self/fd/N onto a deleted file: only reachable in place
        return target, st, True
    if real != Path(os.path.abspath(target)):        # through a link: may this process follow it and write there?
        try:                                         # (the kernel applies protected_symlinks; no O_TRUNC)
            os.close(os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK))
        except OSError as exc:
            raise OutputError(f"{target}: cannot write through the link to {real} ({exc.strerror}); "
                              "choose another output") from None
    return real, st, False


@contextmanager
def _output(target: Path, durable: bool = True):
    """Yield (path to write, written in place?) for ``target``; see :func:`atomic_path`. ``durable``:
    flush the file to the disk before it replaces the old one (see :func:`write_bytes_atomic`)."""
    dest, st, in_place = _where(target)
    if in_place:
        try:
            yield target, True
        except BrokenPipeError:
            raise OutputError(f"{target}: its reader closed it before everything was written") from None
        except OutputError:
            raise
        except OSError as exc:
            if _errno(exc) not in _NO_SPACE:
                raise
            raise _write_failed(target, exc, "what reached it is incomplete") from None
        return
    parent = dest.parent if str(dest.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{target}: folder {parent} does not exist; create it first (mkdir -p {parent})")
    try:
        tmp = _new_temp(parent, dest.name, 0o666 if st is None else 0o600)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {parent} ({exc.strerror}); choose a writable folder") from None
    kept = f"the previous {target} is unchanged" if st is not None else "nothing was written"
    try:
        try:
            stop_at("temp-created")   # test-only (graph/stop_points.py): kill -9 at each step
            yield Path(tmp), False
            stop_at("temp-written")
            if st is not None:
                if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                    try:                             # root replacing a user's file leaves it theirs
                        os.chown(tmp, st.st_uid, st.st_gid)
                    except PermissionError:
                        pass
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if durable:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
            os.replace(tmp, dest)
            stop_at("replaced")
        except OutputError:
            raise
        except OSError as exc:
            if _errno(exc) not in _NO_SPACE:
                raise
            raise _write_failed(target, exc, kept) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def atomic_path(target: Path | str):
    """Yield the path to write ``target``'s content to.

    For a regular file (new, existing, or behind a symbolic link) it is a temporary file next to
    the resolved file, renamed over it on success; on any exception it is removed and the file is
    left as it was. For a device or FIFO it is ``target`` itself, written in place (opening it with
    O_TRUNC is harmless there: the kernel truncates only regular files)."""
    with _output(Path(target)) as (path, _):
        yield path


def _write_all(target: Path, data: bytes) -> None:
    """Stream ``data`` into an existing device or FIFO (no O_CREAT; O_TRUNC acts on a regular file only)."""
    fd = os.open(target, os.O_WRONLY | os.O_TRUNC | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def write_bytes_atomic(target: Path | str, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``target``: atomically for a regular file, in place for a device or FIFO.

    ``durable=False`` leaves out the flush to disk before the rename: a reader still sees the old file or
    the new one, and a killed process leaves no half file, but after a power cut the file may be empty.
    For writers of many files (`tttt-kg site`: 3,800) that flush once at the end (:func:`flush_all`)."""
    with _output(Path(target), durable) as (path, in_place):
        if in_place:
            _write_all(path, data)
        else:
            path.write_bytes(data)


def write_text_atomic(target: Path | str, text: str, durable: bool = True) -> None:
    write_bytes_atomic(target, text.encode("utf-8"), durable)


def flush_all() -> None:
    """Flush every written file to disk at once (one sync instead of a flush per file)."""
    os.sync()
