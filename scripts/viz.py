"""Commands over the views: `tttt-kg viz` (HTML pages) and `tttt-kg stats` (network analysis)."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import (FormatChoice, emit_json, emit_text, graph_option, lang_option, narrowing_options, old_spelling,
                      output_dir_option, output_option, records_option, store_option, takes_old_spellings)

VIEW_NAMES = ("mandate", "lineage", "decisions", "explorer")


def load_graph(graph_file, records_dir, store_spec):
    """The rdflib graph to draw: from --store, --graph, or the records.

    From a store, only the triples the views read are copied out, by CONSTRUCTs run on the
    store's engine (viz/fromstore.py); the explorer fetches the rest if it is drawn.
    """
    from tttt_kg.graph.narrowing import narrow_graph, narrow_store
    from .options import narrowing
    if store_spec and store_spec != "memory":   # a StoreError is the user's (scripts/errors.py)
        from tttt_kg.graph.stores.store import open_store
        from tttt_kg.viz.fromstore import view_graph
        return view_graph(narrow_store(open_store(store_spec, graph_file, records_dir), *narrowing()))
    from tttt_kg.graph.dataset import get_graph
    return narrow_graph(get_graph(graph_file, records_dir), *narrowing())


@click.command(short_help="Write interactive, offline HTML views of the graph.")
@output_dir_option(Path("out") / "viz", "Folder to write the pages into (created if missing).")
@click.option("--view", "view_names", multiple=True, metavar="NAME",
              help=f"Write only this view (repeatable): {', '.join(VIEW_NAMES)}. Default: all.")
@lang_option
@click.option("--explorer-limit", type=click.IntRange(min=0), default=None, metavar="N",
              help="Draw the explorer only up to N resources; past that its page says why and where to look "
                   "instead. 0: no limit. [default: 10000]")
@graph_option
@records_option
@store_option
@narrowing_options
@takes_old_spellings
def viz(out_dir, view_names, lang, explorer_limit, graph_file, records_dir, store_spec):
    """Write interactive, offline HTML views of the graph and an index page.

    Views: mandate (functions on a time axis), lineage (organisations and units),
    decisions (documents, issuers, subjects), explorer (everything, with search and a class
    filter, up to --explorer-limit resources), plus the ontology reference. Open DIR/index.html
    in a browser; no network needed.
    """
    with user_errors():
        from tttt_kg.viz.site import ViewError, check_views, write_site
        from tttt_kg.viz.views import EXPLORER_LIMIT
        limit = EXPLORER_LIMIT if explorer_limit is None else explorer_limit
        notes: list[str] = []
        try:
            check_views(view_names)                 # before the graph is built: fail fast
            g = load_graph(graph_file, records_dir, store_spec)
            written = write_site(g, out_dir, view_names, lang, explorer_limit=limit, notes=notes)
        except ViewError as exc:
            raise UserError(str(exc)) from None
        for path in written:
            click.echo(f"wrote {path}", err=True)
        for note in notes:
            click.echo(f"note: {note}", err=True)
        click.echo(str(out_dir / "index.html"))


@click.command(short_help="Network analysis: counts, central nodes, longest lineage.")
@click.option("-f", "--format", "fmt", type=FormatChoice(["table", "json"], old={"text": "table"}), default="table",
              show_default=True, help="table (text to read) or json (one JSON document).")
@output_option
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many central nodes to list.")
@click.option("--samples", "sources", type=click.IntRange(min=1), default=None, metavar="N",
              help="Estimate betweenness from N sampled source nodes (fixed seed). Default: exact up to "
                   "2,000 nodes, else sampled so that it takes seconds.")
@old_spelling("--sources", dest="sources", new="--samples", type=click.IntRange(min=1))
@lang_option
@graph_option
@records_option
@store_option
@narrowing_options
@takes_old_spellings
def stats(fmt, output, top, sources, lang, graph_file, records_dir, store_spec):
    """Network analysis: counts per class, most central nodes, functions by number of
    decisions, longest lineage chain."""
    with user_errors():
        from tttt_kg.viz.network import EmptyNetworkError
        from tttt_kg.viz.stats import as_text, summary
        try:
            if store_spec and store_spec != "memory":   # only what stats reads is copied out of a store
                from tttt_kg.graph.stores.store import open_store
                from tttt_kg.viz.fromstore import stats_summary
                from tttt_kg.graph.narrowing import narrow_store
                from .options import narrowing
                result = stats_summary(narrow_store(open_store(store_spec, graph_file, records_dir), *narrowing()),
                                       lang, top, sources)
            else:
                result = summary(load_graph(graph_file, records_dir, store_spec), lang, top, sources)
        except EmptyNetworkError as exc:
            raise UserError(str(exc)) from None
        if fmt == "json":
            emit_json(result, output)
        else:
            emit_text(as_text(result), output)


def export_network(g, fmt: str, output) -> None:
    """`tttt-kg export --format graphml|gexf`: the network for Gephi (called from core.export)."""
    from tttt_kg.viz.network import EmptyNetworkError, write_network
    try:
        write_network(g, fmt, output)
    except EmptyNetworkError as exc:
        raise UserError(str(exc)) from None
