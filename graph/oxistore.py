"""Persistent Oxigraph stores: built once by `tttt-kg build --store oxigraph:PATH`, reused read-only.

A store is a directory holding Oxigraph's files plus `tttt-kg-store.json`, which says which
store format version wrote it. A new store is loaded into a hidden sibling directory and
renamed into place only when it is complete, so a reader (or a failed build) never sees
half a store, and an existing store is only replaced by a complete new one.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .store import StoreError

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


def open_read_only(path: Path | str):
    """Open an existing store for queries; never writes to it."""
    import pyoxigraph as ox

    path = Path(path)
    if not path.exists():
        raise StoreFormatError(f"{path}: no Oxigraph store here; create it with `tttt-kg build --store oxigraph:{path}`")
    if not path.is_dir():
        raise StoreFormatError(f"{path}: is a file, not an Oxigraph store directory; give the store's folder")
    read_meta(path)
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:
        raise StoreFormatError(f"{path}: the Oxigraph files are corrupted or unreadable ({_first_line(exc)}); "
                               f"{_rebuild_hint(path)}") from None


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
    """Load RDF files (N-Triples, N-Quads, Turtle …) into a new store at ``path``, replacing a
    previous tttt-kg store; ``progress(n)`` hears of each n bytes read.

    Returns the metadata written. On any failure the previous store (if any) is untouched.
    """
    path = Path(path)
    _check_replaceable(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise StoreFormatError(f"{path}: folder {parent} does not exist; create it first (mkdir -p {parent})")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".building", dir=parent))
    except OSError as exc:
        raise StoreFormatError(f"{path}: cannot write in {parent} ({exc.strerror}); choose a writable folder") from None
    try:
        count = _fill(tmp, rdf_files, progress)
        meta = {"kind": STORE_KIND, "version": FORMAT_VERSION, "triples": count,
                "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "source": source}
        (tmp / META_NAME).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        _swap_into_place(tmp, path)
        return meta
    except BaseException as exc:
        _release_frames(exc)   # so that the store closes before its files go
        shutil.rmtree(tmp, ignore_errors=True)
        raise


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

    from .bulkload import load_file

    store = ox.Store(str(folder))
    for f in rdf_files:
        load_file(store, Path(f), progress)
    store.optimize()   # compaction: queries on an uncompacted store took twice as long at 1M triples
    store.flush()
    return len(store)


def _swap_into_place(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target``; an old store is moved aside first and removed only afterwards."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
