"""Persistent Oxigraph stores: built once by `tttt-kg build --store oxigraph:PATH`, reused read-only.

Layout: PATH is a symbolic link to a sibling version folder, `.NAME.v<UTC time>` (`kg ->
.kg.v20250612T101530123456Z`), which holds Oxigraph's files and `tttt-kg-store.json` (the store
format version). A load builds a new version folder, makes a link to it under a temporary name
(`.NAME.swap`) and renames that over PATH: one rename(2), so PATH is the old store or the new one
whenever the load is killed. A store made before versions (PATH a plain folder) is still read; the
first load moves it aside under a version name, which takes two renames: the next command that
opens or writes PATH finishes or undoes a switch a kill interrupted (`recover`).

Locks (flock: the kernel drops them when a process dies, however it dies):
- the folder holding PATH: exclusive while a writer switches versions or sorts out leftovers,
  shared while a reader resolves PATH, so nobody sees a switch half done;
- each version folder: exclusive while it is built, shared by every reader that opened it
  (`open_current`, hence `open_store`). A version PATH no longer points to is removed only when
  its lock can be taken: one still read stays for a later load or `cleanup(PATH)`, and the
  folder of a killed build (its lock free) goes at the next load.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Callable

from tttt_kg.graph.stores.leftovers import human_bytes, lock, remove_tree, try_lock, unlock
from tttt_kg.graph.stores.base import StoreError

META_NAME = "tttt-kg-store.json"
STORE_KIND = "tttt-kg/oxigraph"
FORMAT_VERSION = 1


class StoreFormatError(StoreError):
    """A directory that is not a usable tttt-kg Oxigraph store (foreign, other version, corrupted, locked)."""


def _rebuild_hint(path: Path) -> str:
    return f"rebuild it with `tttt-kg build --store oxigraph:{path}`"


def read_meta(path: Path) -> dict:
    """The store's metadata; raises StoreFormatError when absent, unreadable or of another version."""
    meta_file = path / META_NAME
    if not meta_file.is_file():
        raise StoreFormatError(
            f"{path}: not a tttt-kg store (no {META_NAME}); {_rebuild_hint(path)} or give another path")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        kind, version = meta["kind"], int(meta["version"])
    except (ValueError, KeyError, TypeError):
        raise StoreFormatError(f"{path}: {META_NAME} is damaged; {_rebuild_hint(path)}") from None
    if kind != STORE_KIND:
        raise StoreFormatError(f"{path}: a '{kind}' store, not a tttt-kg Oxigraph store; give another path")
    if version != FORMAT_VERSION:
        raise StoreFormatError(
            f"{path}: written by store format version {version}; this tttt-kg reads version {FORMAT_VERSION}; "
            f"{_rebuild_hint(path)} (into a new path if you want to keep the old one)")
    return meta


class VersionLock:
    """A reader's shared lock on the version folder it opened: while it is held, no load removes
    that folder. Released by ``release()``, when the object goes, or when the process dies."""

    def __init__(self, fd: int | None):
        self.fd = fd

    def release(self) -> None:
        fd, self.fd = self.fd, None
        unlock(fd)

    def __del__(self):
        try:
            self.release()
        except Exception:   # at interpreter exit os may be gone; the kernel releases the lock anyway
            pass


def open_current(path: Path | str):
    """Open the version PATH points to now, for queries; never writes to it.

    Returns (pyoxigraph Store, version name, VersionLock). The store is opened through the version
    folder's own path, not through PATH: Oxigraph opens its files as it needs them, and PATH may
    point to another version by then.
    """
    import pyoxigraph as ox

    path = Path(path)
    parent, link = _where(path)
    try:
        recover(path)
    except OSError:   # a reader that may not write here: the checks below say what is missing
        pass
    with _switch_lock(parent, shared=True):
        found = _resolve(link)
        if found is None or not found[0].exists():
            raise StoreFormatError(f"{path}: no Oxigraph store here; create it with "
                                   f"`tttt-kg build --store oxigraph:{path}`")
        folder, version = found
        if not folder.is_dir():
            raise StoreFormatError(f"{path}: is a file, not an Oxigraph store directory; give the store's folder")
        read_meta(path)   # PATH cannot change while the switch lock is held
        try:
            held = VersionLock(lock(folder, shared=True))
        except OSError:   # a folder we may not open: read it unprotected
            held = VersionLock(None)
    from tttt_kg.graph.server.memory import cap_malloc_arenas
    cap_malloc_arenas()   # before RocksDB's threads start (each would reserve a 64 MB arena)
    try:
        store = ox.Store.read_only(str(folder))
    except (OSError, RuntimeError) as exc:
        held.release()
        raise StoreFormatError(f"{path}: the Oxigraph files are corrupted or unreadable ({_first_line(exc)}); "
                               f"{_rebuild_hint(path)}") from None
    return store, version, held


def store_version(path: Path | str) -> str:
    """The version PATH points to now: the name of its version folder (`.kg.v20250612T101530123456Z`),
    or `legacy-<inode>` for a store made before versions (a plain folder, or a link to a folder
    elsewhere). Cheap (one readlink): poll it to learn that a load switched the store."""
    path = Path(path)
    parent, link = _where(path)
    try:
        recover(path)
    except OSError:
        pass
    with _switch_lock(parent, shared=True):
        found = _resolve(link)
    if found is None:
        raise StoreFormatError(f"{path}: no Oxigraph store here; create it with `tttt-kg build --store oxigraph:{path}`")
    return found[1]


def cleanup(path: Path | str) -> list[Path]:
    """Remove what PATH no longer uses: replaced versions no reader holds any more, folders of killed
    builds, and the leftovers of tttt-kg before versions. Returns the folders removed."""
    parent, link = _where(Path(path))
    if not parent.is_dir():
        return []
    with _switch_lock(parent, shared=False):
        _recover_locked(link)
        leftovers = _leftovers_locked(link)
    _remove(leftovers)
    return [p for p, _ in leftovers]


def recover(path: Path | str) -> bool:
    """Finish or undo a switch of versions that a killed load left half done; True if there was one.

    - `.NAME.swap` and PATH both there: killed before the switch; the link goes, PATH keeps the old
      store (the new version is then a leftover);
    - `.NAME.swap` there, PATH not: killed between moving a store made before versions aside and
      the switch; the switch is finished (the new version is complete: the link is made only then);
    - PATH missing and a `.NAME.*.old` folder there: tttt-kg before versions was killed between its
      two renames; the old store is put back.
    """
    parent, link = _where(Path(path))
    if not _recovery_needed(link):
        return False
    with _switch_lock(parent, shared=False):
        return _recover_locked(link)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _check_replaceable(path: Path) -> None:
    """An existing target must be our own store, of any version, and not held open by a writer."""
    if not path.exists():
        return
    if not path.is_dir():
        raise StoreFormatError(f"{path}: is a file; give a directory path for the store")
    if not any(path.iterdir()):
        return
    if not (path / META_NAME).is_file():
        raise StoreFormatError(f"{path}: exists and is not a tttt-kg store; refusing to replace it — give a new or empty path")
    if _is_locked(path / "LOCK"):
        raise StoreFormatError(f"{path}: locked by another process that has the store open for writing; "
                               "wait for it to finish or stop it, then retry")


def _is_locked(lock_file: Path) -> bool:
    """Whether a writer holds Oxigraph's (RocksDB's) lock, tested without opening the store."""
    import fcntl

    if not lock_file.is_file():
        return False
    with open(lock_file, "rb+") as fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(fh, fcntl.LOCK_UN)
    return False


def create_store(path: Path | str, rdf_files: list[Path], *, source: str = "",
                 progress: Callable[[int], None] | None = None) -> dict:
    """Load RDF files (N-Triples, N-Quads, Turtle …) into a new version of the store at ``path``
    and switch PATH to it, replacing a previous tttt-kg store; ``progress(n)`` hears of each n
    bytes read. Leftovers of killed loads, and old versions nobody reads, are removed.

    Returns the metadata written. On any failure the previous store (if any) is untouched.
    """
    from tttt_kg.graph.server.memory import cap_malloc_arenas
    from tttt_kg.graph.stores.bulkload import StoreWriteError

    cap_malloc_arenas()   # before RocksDB's threads start (each would reserve a 64 MB arena)
    path = Path(path)
    _check_replaceable(path)
    parent, link = _where(path)
    shown_parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise StoreFormatError(f"{path}: folder {shown_parent} does not exist; create it first (mkdir -p {shown_parent})")
    with _switch_lock(parent, shared=False):
        _recover_locked(link)
        leftovers = _leftovers_locked(link)
        try:
            new = _new_version(link)
        except OSError as exc:
            _remove(leftovers, keep=True)
            raise StoreFormatError(f"{path}: cannot write in {shown_parent} ({exc.strerror}); "
                                   "choose a writable folder") from None
        held = lock(new)   # taken before the switch lock is released: nobody sees this folder unlocked
    _remove(leftovers)
    switched = False
    try:
        _test_point("building")
        try:
            count = _fill(new, rdf_files, progress)
            meta = {"kind": STORE_KIND, "version": FORMAT_VERSION, "triples": count,
                    "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "source": source}
            with open(new / META_NAME, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(meta, indent=2) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            _test_point("built")
            with _switch_lock(parent, shared=False):
                _check_replaceable(path)
                _switch_locked(link, new)
                switched = True
                unlock(held)
                held = None
                leftovers = _leftovers_locked(link)
        except (StoreWriteError, OSError) as exc:
            reason = exc.reason if isinstance(exc, StoreWriteError) else _first_line(exc)
            if not switched:   # first, so that the free space said is what the user has to work with
                _release_frames(exc)
                remove_tree(new)
            raise _write_failed(path, parent, reason) from None
        _test_point("removing")
        _remove(leftovers)
        return meta
    except BaseException as exc:
        _release_frames(exc)   # so that the store closes before its files go
        if not switched:
            remove_tree(new)
        raise
    finally:
        unlock(held)


def _write_failed(path: Path, parent: Path, reason: str) -> StoreError:
    """Writing the store failed (a full disk, a file size limit …): say so about the store, not the input."""
    from tttt_kg.graph.stores.bulkload import StoreWriteError
    try:
        free = f"{human_bytes(shutil.disk_usage(parent).free)} free there"
    except OSError:
        free = "free space unknown"
    return StoreWriteError(f"{path}: cannot write the store ({reason}); {free}. The previous store, if any, "
                           "is unchanged: free space on that disk or give another path", reason)


# ---- versions, links and locks -------------------------------------------------------------------

def _where(path: Path) -> tuple[Path, Path]:
    """(the folder PATH sits in, PATH itself), absolute: the switch lock is taken on that folder."""
    link = Path(os.path.abspath(path))
    return link.parent, link


def _patterns(link: Path) -> tuple[re.Pattern, re.Pattern]:
    """Names of PATH's version folders, and of the leftovers of tttt-kg before versions
    (tempfile.mkdtemp names: `.NAME.` + 8 characters + `.building` or `.old`)."""
    name = re.escape(link.name)
    return (re.compile(rf"\.{name}\.v\d{{8}}T\d{{12}}Z(?:-\d+)?"),
            re.compile(rf"\.{name}\.[a-z0-9_]{{8}}\.(?:building|old)"))


def _pending(link: Path) -> Path:
    return link.with_name(f".{link.name}.swap")


@contextmanager
def _switch_lock(parent: Path, shared: bool):
    """The lock on the folder holding PATH (see the module docstring)."""
    try:
        fd = lock(parent, shared=shared)
    except OSError:   # a folder we may not read: go on without; nothing can be coordinated there
        fd = None
    try:
        yield
    finally:
        unlock(fd)


def _resolve(link: Path) -> tuple[Path, str] | None:
    """The folder PATH stands for now, and its version name; None when nothing is at PATH."""
    try:
        target = os.readlink(link)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno != errno.EINVAL:   # EINVAL: not a link, a plain folder (or file) made before versions
            raise
        return link, f"legacy-{os.stat(link).st_ino}"
    versions, _ = _patterns(link)
    if os.sep not in target and versions.fullmatch(target):
        return link.parent / target, target
    folder = Path(os.path.realpath(link))   # a link someone made to a folder elsewhere
    try:
        return folder, f"legacy-{os.stat(folder).st_ino}"
    except OSError:
        return folder, "missing"


def _new_version(link: Path) -> Path:
    """Create the folder of a new version (called with the switch lock held, so names cannot clash)."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    for n in count():
        folder = link.with_name(f".{link.name}.v{stamp}" + (f"-{n}" if n else ""))
        if not os.path.lexists(folder):
            folder.mkdir()
            return folder
    raise AssertionError("unreachable")


def _switch_locked(link: Path, new: Path) -> None:
    """Point PATH to ``new`` by renaming a link over it (atomic); a plain folder at PATH (a store
    made before versions) is first moved aside under a version name. Switch lock held."""
    pending = _pending(link)
    if os.path.lexists(pending):
        os.unlink(pending)
    os.symlink(new.name, pending)   # relative: the store's folder can be moved as a whole
    _test_point("linked")
    if os.path.isdir(link) and not os.path.islink(link):
        aside = _new_version(link)
        os.rmdir(aside)
        os.rename(link, aside)   # from here to the next rename PATH is missing: recover() finishes it
        _test_point("moved-aside")
        try:
            os.rename(pending, link)
        except BaseException:
            os.rename(aside, link)
            raise
    else:
        os.rename(pending, link)
    _test_point("switched")
    _sync(link.parent)


def _recovery_needed(link: Path) -> bool:
    if os.path.lexists(_pending(link)):
        return True
    if os.path.lexists(link):
        return False
    _, before_versions = _patterns(link)
    try:
        return any(before_versions.fullmatch(n) and n.endswith(".old") for n in os.listdir(link.parent))
    except OSError:
        return False


def _recover_locked(link: Path) -> bool:
    """recover(), with the switch lock held."""
    done = False
    pending = _pending(link)
    if os.path.lexists(pending):
        if not os.path.lexists(link) and (pending / META_NAME).is_file():
            os.rename(pending, link)
        else:
            os.unlink(pending)
        done = True
    if not os.path.lexists(link):
        _, before_versions = _patterns(link)
        olds = [p for p in link.parent.iterdir() if before_versions.fullmatch(p.name)
                and p.name.endswith(".old") and (p / META_NAME).is_file()]
        if olds:
            os.rename(max(olds, key=lambda p: p.stat().st_mtime), link)
            done = True
    if done:
        _sync(link.parent)
    return done


def _leftovers_locked(link: Path) -> list[tuple[Path, int]]:
    """Folders next to PATH that are no longer used, each with its lock taken: versions PATH does not
    point to (replaced, or of a killed build) and `.building`/`.old` folders of tttt-kg before
    versions. A folder someone holds (a build, a reader, Oxigraph opened for writing) stays."""
    versions, before_versions = _patterns(link)
    current = _resolve(link)
    current_name = current[1] if current else None
    found = []
    for p in link.parent.iterdir():
        if not (versions.fullmatch(p.name) or before_versions.fullmatch(p.name)) or p.name == current_name:
            continue
        if p.is_symlink() or not p.is_dir():
            continue
        fd = try_lock(p)
        if fd is None:
            continue
        if _is_locked(p / "LOCK"):
            unlock(fd)
            continue
        found.append((p, fd))
    return found


def _remove(leftovers: list[tuple[Path, int]], keep: bool = False) -> None:
    """Remove the folders (their locks are held, so no reader can have opened them since) and let the locks go."""
    for folder, fd in leftovers:
        try:
            if not keep:
                remove_tree(folder)
        finally:
            unlock(fd)


def _sync(folder: Path) -> None:
    """Make renames in ``folder`` durable (a power cut right after a switch keeps it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _test_point(step: str) -> None:
    """Test-only: with TTTT_KG_TEST_STOP_AT=step the process stops itself (SIGSTOP) at that step of
    a load, so that tests/test_store_lifecycle.py can kill -9 it exactly there (graph/stop_points.py)."""
    from tttt_kg.graph.stop_points import stop_at
    stop_at(step)


def _release_frames(exc: BaseException) -> None:
    """Drop the local variables of the frames an exception (and the ones it was raised from) passed
    through: they hold the open store, which would keep writing into the folder being removed. The
    traceback's lines stay."""
    import traceback

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__


def _fill(folder: Path, rdf_files: list[Path], progress: Callable[[int], None] | None) -> int:
    """Load the files into a new Oxigraph store in ``folder``, compact it, close it; the triple count."""
    import pyoxigraph as ox

    from tttt_kg.graph.stores.bulkload import load_file

    store = ox.Store(str(folder))
    for f in rdf_files:
        load_file(store, Path(f), progress)
    store.optimize()   # compaction: queries on an uncompacted store took twice as long at 1M triples
    store.flush()
    return len(store)


def parse_oxigraph_spec(spec: str) -> Path:
    """'oxigraph:PATH' → PATH; anything else is refused with the alternatives."""
    if not spec.startswith("oxigraph:") or not spec.split(":", 1)[1]:
        raise StoreError(f"cannot write to store '{spec}': build, synth and load write only to oxigraph:PATH "
                         "(to load a SPARQL endpoint use `tttt-kg push --endpoint URL`)")
    return Path(spec.split(":", 1)[1])


def check_store_target(spec: str) -> Path:
    """Refuse, before any work, a target that `build --store` could not replace."""
    path = parse_oxigraph_spec(spec)
    _check_replaceable(path)
    return path


def load_graph_into_store(g, spec: str) -> dict:
    """Write an rdflib graph into the persistent store named by ``spec`` (oxigraph:PATH)."""
    path = parse_oxigraph_spec(spec)
    _check_replaceable(path)
    with tempfile.TemporaryDirectory(prefix="tttt-kg-") as tmp:
        nt = Path(tmp) / "graph.nt"
        g.serialize(destination=str(nt), format="nt", encoding="utf-8")
        return create_store(path, [nt], source="tttt-kg build")
