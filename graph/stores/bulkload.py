"""Load RDF files into an Oxigraph store in bounded memory, with errors that point at the input line.

One `Store.bulk_load` of a whole 1M-triple N-Triples file peaks at about 900 MB RSS on disk;
the same file in 16 MB pieces, each its own bulk load, peaks at about 220 MB (bench/results/scale.md).
Line-based formats (N-Triples, N-Quads) can be cut at any line end, with two cares:
- Oxigraph's loader scopes blank-node labels to one load call, so the lines of a piece that name a
  blank node are parsed here instead (labels kept, prefixed with one random tag per file) and added
  with `bulk_extend`: `_:b` stays one node across pieces, and two files' `_:b` stay two.
- The store's graph is its default graph (what queries and exports read), so quads of named
  graphs (N-Quads, TriG — `tttt-kg export -f nquads` writes one) are merged into it, as the
  rdflib path does.
Other formats (Turtle, RDF/XML, JSON-LD) are loaded in one call.

Into an in-memory store each piece is added with `Store.load` (one transaction), not `bulk_load`:
at 1M triples, six alternated runs of the load alone took a median 3.4 s against 4.5 s with bulk_load
and 3.1 s for raw pyoxigraph's one bulk_load of the whole file; peak RSS 413 MB against 639 MB (the
benchmark, whose process holds more, records 418 and 637 MB).
On disk bulk_load stays: there its pieces take 0.7-0.8 x the raw whole-file load (bench/results/scale.md).
"""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from tttt_kg.graph.stores.base import StoreError

CHUNK_BYTES = 16 << 20
LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
DATASET_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


class LoadError(StoreError):
    """An input file that is missing, unreadable, of an unknown format or not valid RDF."""


class StoreWriteError(StoreError):
    """The store being written failed (a full disk, a file size limit): its message names the
    store, not the input file, which was read without fault. ``reason``: the system's words."""

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message


def format_of(path: Path, default: ox.RdfFormat | None = None) -> ox.RdfFormat:
    """The RDF format of ``path`` from its extension; ``default`` (or an error) when it has none known."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        if default is not None:
            return default
        raise LoadError(f"{path}: unknown RDF file extension '{path.suffix}'; rename it to .nt, .nq, .ttl, "
                        ".trig, .rdf or .jsonld after its format")
    return fmt


def load_file(store: ox.Store, path: Path | str, progress: Callable[[int], None] | None = None,
              fmt: ox.RdfFormat | None = None, in_memory: bool = False) -> None:
    """Load ``path`` (in ``fmt``, else as its extension says) into the default graph of ``store``;
    ``progress(n)`` is told of each n bytes read. ``in_memory``: ``store`` is not on disk (see above)."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: no such file; give the path of an RDF file (.nt, .nq, .ttl …)")
    fmt = fmt or format_of(path)
    from tttt_kg.graph.guards.safe_inputs import check_for_oxigraph
    check_for_oxigraph(path, fmt, LoadError)   # entity bombs in RDF/XML, context references in JSON-LD
    loader = _Loader(store, path, fmt, in_memory)
    try:
        if fmt in LINE_FORMATS:
            loader.lines(progress or (lambda n: None))
        else:
            loader.whole()
            if progress:
                progress(path.stat().st_size)
    except OSError as exc:
        raise LoadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        loader.store = None   # a failure's traceback keeps the loader: it must not keep the store open


class _Loader:
    def __init__(self, store: ox.Store, path: Path, fmt: ox.RdfFormat, in_memory: bool = False):
        self.store, self.path, self.fmt, self.in_memory = store, path, fmt, in_memory
        self.tag = f"f{secrets.token_hex(6)}x"   # this file's scope for blank-node labels

    def whole(self) -> None:
        if self.fmt in DATASET_FORMATS:
            self._guarded(lambda: self._extend(ox.parse(path=str(self.path), format=self.fmt)), lambda n: n)
        else:
            self._guarded(lambda: self.store.bulk_load(path=str(self.path), format=self.fmt), lambda n: n)

    def lines(self, progress: Callable[[int], None]) -> None:
        first_line = 1   # line number, in the file, of the first line of the current piece
        rest = b""
        with open(self.path, "rb") as fh:
            while True:
                block = fh.read(CHUNK_BYTES)
                progress(len(block))
                data = rest + block
                if block:
                    cut = data.rfind(b"\n") + 1
                    data, rest = data[:cut], data[cut:]
                if data:
                    self._piece(data, first_line)
                    first_line += data.count(b"\n")
                if not block:
                    break

    def _piece(self, data: bytes, first_line: int) -> None:
        if self.fmt != ox.RdfFormat.N_TRIPLES:   # N-Quads: every quad goes to the default graph
            self._guarded(lambda: self._extend(ox.parse(data, format=self.fmt)), lambda n: first_line + n - 1)
            return
        if b"_:" in data:   # lines naming a blank node go the slower way, the rest stay in the bulk load
            lines = data.split(b"\n")
            held = [i for i, line in enumerate(lines) if b"_:" in line]
            named = b"\n".join(lines[i] for i in held)
            self._guarded(lambda: self._extend(ox.parse(named, format=self.fmt)), lambda n: first_line + held[n - 1])
            for i in held:
                lines[i] = b""   # keeps the line numbers of the rest
            data = b"\n".join(lines)
        self._guarded(lambda: self._add(data), lambda n: first_line + n - 1)

    def _add(self, data: bytes) -> None:
        """One piece into the store (no reference to the store may outlive the call: see load_file)."""
        if self.in_memory:
            self.store.load(data, format=self.fmt)
        else:
            self.store.bulk_load(data, format=self.fmt)

    def _extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add parsed quads to the default graph, blank-node labels scoped to this file."""
        tag = self.tag

        def term(t):
            return ox.BlankNode(tag + t.value) if isinstance(t, ox.BlankNode) else t
        self.store.bulk_extend(ox.Quad(term(q.subject), q.predicate, term(q.object)) for q in quads)

    def _guarded(self, work: Callable[[], None], file_line: Callable[[int], int]) -> None:
        """Run ``work``; a syntax error at line n of what it parsed is reported at ``file_line(n)``."""
        try:
            work()
        except SyntaxError as exc:
            raise _syntax_error(self.path, self.fmt, exc, file_line) from None
        except ValueError as exc:
            raise LoadError(f"{self.path}: not valid {self.fmt.name}: {exc}") from None
        except OSError as exc:
            # Only a whole-file load reads the input inside Oxigraph; its read errors carry the OS's
            # words ("… (os error 5)"), the store's own start "IO error:" (RocksDB's status).
            if self.fmt in LINE_FORMATS or str(exc).startswith("IO error"):
                raise StoreWriteError(f"cannot write the store ({exc})", str(exc)) from None
            raise


def _syntax_error(path: Path, fmt: ox.RdfFormat, exc: SyntaxError, file_line: Callable[[int], int]) -> LoadError:
    """Oxigraph's message, re-anchored from the piece it saw to the line of the file."""
    message = str(exc.msg if exc.msg else exc)
    reason = message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
    where = str(path)
    if exc.lineno:
        try:
            where = f"{path}:{file_line(exc.lineno)}:{exc.offset or 1}"
        except IndexError:   # noticed past the last held line (a truncated file): the last one is to blame
            where = f"{path}:{file_line(exc.lineno - 1)}"
    return LoadError(f"{where}: not valid {fmt.name}: {reason}; the error is at or just before that "
                     "position: fix it (or regenerate the file) and load again")
