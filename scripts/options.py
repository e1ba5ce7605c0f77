"""Options and parameter types shared by every command that reads the graph."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

DEFAULT_OUTPUT = Path("out") / "tttt-kg.ttl"


class DateType(click.ParamType):
    """A calendar date: YYYY-MM-DD, or dd/mm/yyyy as Vietnamese documents write it."""
    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                pass
        self.fail(f"'{value}' is not a date; write YYYY-MM-DD (e.g. 2010-01-01) or dd/mm/yyyy", param, ctx)


DATE = DateType()

graph_option = click.option(
    "--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Read the graph from this RDF file instead of building it from the records.")
records_option = click.option(
    "--records", "records_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder of YAML records (default: the packaged graph/records).")


def default_source_path(file_name: str, folder: str = "seed") -> Path | None:
    """Where the seed (or, folder="sources", the fact sheet) usually is: ../shared/<folder>/ from the
    working directory or the repository."""
    here = Path(__file__).resolve().parent.parent
    for base in (Path.cwd(), here, here.parent):
        candidate = base.parent / "shared" / folder / file_name
        if candidate.is_file():
            return candidate
    return None

store_option = click.option(
    "--store", "store_spec", default="memory", show_default=True, metavar="SPEC",
    help="Where the graph lives: memory, oxigraph:PATH (persistent, made by `build --store` or `load`), or sparql:URL.")


# ---- leaving statements out (graph/narrowing.py): kept in the click context, read by Session and export ----

def _remember(ctx, param, value):
    ctx.meta[f"tttt-kg.{param.name}"] = value
    return value


_CERTAINTIES = ("stated", "stated-in-translation", "inferred", "national-only", "other-province")


def narrowing_options(f):
    """--min-certainty and --source: read only part of the graph (see graph/narrowing.py)."""
    f = click.option("--source", "source_filter", type=click.Choice(["all", "seed"]), default="all",
                     show_default=True, expose_value=False, callback=_remember,
                     help="seed: leave out what rests on the 2019–2025 fact sheet's web pages.")(f)
    f = click.option("--min-certainty", type=click.Choice(_CERTAINTIES), default=None, expose_value=False,
                     callback=_remember,
                     help="Leave out statements less certain than this (strongest first: "
                          + ", ".join(_CERTAINTIES) + "); seed statements count as stated, or inferred when marked so.")(f)
    return f


def narrowing() -> tuple[str | None, bool]:
    """(min_certainty, seed_only) given to the running command."""
    meta = click.get_current_context().meta
    return meta.get("tttt-kg.min_certainty"), meta.get("tttt-kg.source_filter", "all") == "seed"
