"""One way to report a user's mistake: a sentence on stderr and exit code 2, no traceback."""
from __future__ import annotations

import sys
from contextlib import contextmanager

import click

EXIT_BAD_INPUT = 2


def _known_errors() -> tuple[type[BaseException], ...]:
    from tttt_kg.graph.atomic import OutputError
    from tttt_kg.graph.dataset import GraphFileError
    from tttt_kg.graph.provenance import SourceError
    from tttt_kg.graph.records import RecordError
    from tttt_kg.graph.stores.store import StoreError
    return RecordError, SourceError, GraphFileError, OutputError, StoreError


class UserError(Exception):
    """Raised by command code for bad input that is not one of the library's error types."""


@contextmanager
def user_errors():
    """Turn the library's input errors into a clear message and exit code 2."""
    try:
        yield
    except (UserError, *_known_errors()) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except PermissionError as exc:
        click.echo(f"error: {exc.filename}: permission denied; choose a path you can write", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except BrokenPipeError:   # `tttt-kg export | head`: the reader left; not the user's mistake to report
        raise
    except OSError as exc:    # a full disk, a device that refuses the write, …
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {where}{exc.strerror or exc}; free space or choose another output", err=True)
        sys.exit(EXIT_BAD_INPUT)
