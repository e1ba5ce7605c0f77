"""`tttt-kg figure VIEW -o FILE.svg|pdf|png`: static figures for papers (viz/figure.py)."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import graph_option, lang_option, old_spelling, records_option, store_option, takes_old_spellings
from .viz import load_graph


@click.command(short_help="Write a publication-ready figure as SVG, PDF or PNG.")
@click.argument("view", type=click.Choice(["growth", "flow", "mandate", "lineage"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write: .svg, .pdf or .png.")
@click.option("--width", "size", type=click.Choice(["column", "page"]), default="page", show_default=True,
              help="A journal column (89 mm wide) or a full page width (183 mm).")
@old_spelling("--size", dest="size", new="--width", type=click.Choice(["column", "page"]))
@lang_option
@graph_option
@records_option
@store_option
@takes_old_spellings
def figure(view, output, size, lang, graph_file, records_dir, store_spec):
    """Write a publication-ready figure: the growth chart, the flow of functions, the mandate time line
    or the lineage, in an embedded font with Vietnamese diacritics; the same graph gives the same bytes."""
    with user_errors():
        from tttt_kg.graph.atomic import write_bytes_atomic
        from tttt_kg.viz.figure import FigureError, figure_bytes, format_of
        try:
            data = figure_bytes(load_graph(graph_file, records_dir, store_spec), view, format_of(output), size, lang)
        except FigureError as exc:
            raise UserError(str(exc)) from None
        write_bytes_atomic(output, data)
        click.echo(str(output))
