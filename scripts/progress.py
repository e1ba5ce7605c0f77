"""Progress bars for long work, shown only when stderr is a terminal (quiet in pipes, logs and CI)."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

import click


@contextmanager
def progress(length: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield ``update(n)``; draws a bar on a terminal, does nothing otherwise."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update
