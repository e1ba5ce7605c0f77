"""Load RDF files into an Oxigraph store in bounded memory, with errors that point at the input line.

One `Store.bulk_load` of a whole 1M-triple N-Triples file peaks at about 900 MB RSS on disk;
the same file in 16 MB pieces, each its own bulk load, peaks at about 180 MB and loads faster
(measured in bench/results/scale.md). Line-based formats (N-Triples, N-Quads) can be cut at any
line end. Oxigraph scopes blank-node labels to one load call, though, so cutting between two lines
that name the same `_:b` would split one node into two: every line that may hold a blank node is
held back and all of them are loaded together, in one call, at the end.
Other formats (Turtle, TriG, RDF/XML, JSON-LD) are loaded in one call.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .store import StoreError

CHUNK_BYTES = 16 << 20
LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)


class LoadError(StoreError):
    """An input file that is missing, unreadable, of an unknown format or not valid RDF."""


def format_of(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise LoadError(f"{path}: unknown RDF file extension '{path.suffix}'; use .nt, .nq, .ttl, .trig, .rdf or .jsonld")
    return fmt


def load_file(store: ox.Store, path: Path | str, progress: Callable[[int], None] | None = None) -> None:
    """Load ``path`` into ``store``; ``progress(n)`` is told of each n bytes read."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: no such file; give the path of an RDF file (.nt, .nq, .ttl …)")
    fmt = format_of(path)
    try:
        if fmt in LINE_FORMATS:
            _load_lines(store, path, fmt, progress or (lambda n: None))
        else:
            _load_whole(store, path, fmt)
            if progress:
                progress(path.stat().st_size)
    except OSError as exc:
        raise LoadError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _load_whole(store: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise _syntax_error(path, fmt, exc, lambda line: line) from None
    except ValueError as exc:
        raise LoadError(f"{path}: not valid {fmt.name}: {exc}") from None


def _load_lines(store: ox.Store, path: Path, fmt: ox.RdfFormat, progress: Callable[[int], None]) -> None:
    held: list[bytes] = []          # lines that may name a blank node, loaded together at the end
    held_at: list[int] = []         # their line numbers in the file, for error messages
    first_line = 1                  # line number of the first line of the current piece
    rest = b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(CHUNK_BYTES)
            progress(len(block))
            data = rest + block
            if block:
                cut = data.rfind(b"\n") + 1
                data, rest = data[:cut], data[cut:]
            if data:
                _load_piece(store, path, fmt, data, first_line, held, held_at)
                first_line += data.count(b"\n")
            if not block:
                break
    if held:
        _bulk(store, path, fmt, b"\n".join(held) + b"\n", lambda line: held_at[line - 1])


def _load_piece(store, path, fmt, data: bytes, first_line: int, held: list, held_at: list) -> None:
    if b"_:" in data:
        kept = []
        for number, line in enumerate(data.split(b"\n"), first_line):
            if b"_:" in line:
                held.append(line)
                held_at.append(number)
                kept.append(b"")   # keeps the line numbering of the piece
            else:
                kept.append(line)
        data = b"\n".join(kept)
    _bulk(store, path, fmt, data, lambda line: first_line + line - 1)


def _bulk(store, path: Path, fmt: ox.RdfFormat, data: bytes, file_line: Callable[[int], int]) -> None:
    try:
        store.bulk_load(data, format=fmt)
    except SyntaxError as exc:
        raise _syntax_error(path, fmt, exc, file_line) from None
    except ValueError as exc:
        raise LoadError(f"{path}: not valid {fmt.name}: {exc}") from None


def _syntax_error(path: Path, fmt: ox.RdfFormat, exc: SyntaxError, file_line: Callable[[int], int]) -> LoadError:
    """Oxigraph's message, re-anchored from the piece it saw to the line of the file."""
    message = str(exc.msg if exc.msg else exc)
    reason = message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
    if exc.lineno:
        where = f"{path}:{file_line(exc.lineno)}:{exc.offset or 1}"
    else:
        where = str(path)
    return LoadError(f"{where}: not valid {fmt.name}: {reason}; fix that line "
                     "(or regenerate the file) and load again")
