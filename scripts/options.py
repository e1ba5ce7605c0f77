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


# ---- one grammar for every command (docs/cli.md) -------------------------------------------------
# An option name means one kind of thing everywhere: -o/--output a FILE (stdout when absent),
# -O/--output-dir a FOLDER, --graph an RDF file to read, --store where the graph lives,
# -f/--format how to print. Old spellings stay, hidden, for one release, with a note on stderr.

lang_option = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                           help="Language of labels and text (each falls back to the other where it has none).")

output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write the answer to this file (atomically) instead of stdout.")


def deprecated_note(old: str, new: str) -> None:
    """The one line an old spelling prints on stderr."""
    click.echo(f"deprecated: {old} is now {new}; the old spelling still works in this release only", err=True)


def old_spelling(*decls: str, dest: str, new: str, **kwargs):
    """A hidden option kept for one release: given, it prints a note and its value goes to ``dest``
    (the parameter of the option that replaces it, spelt ``new``), unless that one is given too.
    The command's function must be wrapped in @takes_old_spellings."""
    old = "/".join(d for d in decls if d.startswith("-"))

    def remember(ctx, param, value):
        if ctx.get_parameter_source(param.name) in (click.core.ParameterSource.COMMANDLINE,
                                                    click.core.ParameterSource.ENVIRONMENT):
            deprecated_note(old, new)
            ctx.meta.setdefault("tttt-kg.old-spellings", {})[dest] = (value, new)
        return value

    name = "old_" + dest + "_" + decls[-1].lstrip("-").replace("-", "_")
    return click.option(*decls, name, hidden=True, expose_value=False, callback=remember, **kwargs)


def takes_old_spellings(f):
    """Give a command's function the values of its old spellings (see old_spelling)."""
    import functools

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        for dest, (value, new) in ctx.meta.get("tttt-kg.old-spellings", {}).items():
            if kwargs.get(dest) not in (None, ()) and \
                    ctx.get_parameter_source(dest) not in (None, click.core.ParameterSource.DEFAULT):
                raise click.UsageError(f"give {new} once, not with its old spelling too")
            kwargs[dest] = value
        return f(*args, **kwargs)
    return wrapper


def output_dir_option(default: Path | None, help: str):
    """-O/--output-dir FOLDER (-o/--output, its old spelling, kept for one release)."""
    def decorate(f):
        f = old_spelling("-o", "--output", dest="out_dir", new="-O/--output-dir",
                         type=click.Path(file_okay=False, path_type=Path), default=None)(f)
        return click.option("-O", "--output-dir", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                            default=default, show_default=default is not None, metavar="DIR", help=help)(f)
    return decorate


class FormatChoice(click.Choice):
    """A --format choice that also takes old names (not listed) with a note: old={"text": "table"}."""

    def __init__(self, choices, old: dict[str, str] | None = None):
        super().__init__(choices)
        self.old = old or {}

    def convert(self, value, param, ctx):
        if value in self.old:
            deprecated_note(f"--format {value}", f"--format {self.old[value]}")
            return self.old[value]
        return super().convert(value, param, ctx)


def table_or_json_option(f):
    """-f/--format table|json, for commands that print data of their own (not a SPARQL answer)."""
    return click.option("-f", "--format", "fmt", type=FormatChoice(["table", "json"]), default="table",
                        show_default=True, help="table (text to read) or json (one JSON document).")(f)


def emit_text(text: str, output: Path | None) -> None:
    """Print ``text`` on stdout, or write it to ``output`` atomically (-o FILE; '-' is stdout)."""
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
    else:
        from tttt_kg.graph.atomic import write_bytes_atomic
        write_bytes_atomic(output, text.encode("utf-8"))


def emit_json(data, output: Path | None) -> None:
    import json
    emit_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)


class HiddenArgument(click.Argument):
    """A positional argument kept for one release: accepted, but no longer shown in the usage line."""

    def get_usage_pieces(self, ctx):
        return []
