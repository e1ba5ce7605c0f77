"""`tttt-kg site`: the graph as a static web site, a page and RDF files per resource (issue 19)."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import user_errors
from .options import graph_option, old_spelling, output_dir_option, records_option, store_option, takes_old_spellings


@click.command(short_help="Write a static web site: a page per resource.")
@output_dir_option(Path("out") / "site", "Folder to write the site into (created if missing).")
@click.option("--views/--no-views", default=True, show_default=True,
              help="Also write the views of `tttt-kg viz` into DIR/viz/ (their side panel links to the pages).")
@click.option("--source-text", "sources", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A source text the spans point into, quoted on the pages (repeat; default: ../shared/seed/<file> if present).")
@old_spelling("--source", dest="sources", new="--source-text", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path))
@graph_option
@records_option
@store_option
@takes_old_spellings
def site(out_dir, views, sources, graph_file, records_dir, store_spec):
    """Write a page per resource (DIR/id/….html) with its RDF (.ttl, .jsonld, .nt, .rdf), the
    ontology (DIR/ontology.html, .ttl …) and DIR/index.html: the dataset for any static host.

    Links between pages are relative, so the folder works from any address or from disk;
    w3id/tttt-kg/.htaccess redirects the IRIs to it (docs/publishing.md).
    """
    with user_errors():
        from tttt_kg.graph.server.resource_pages import SourceTexts, default_finder
        from tttt_kg.graph.server.resource_site import export_site
        from tttt_kg.graph.stores.store import open_store
        if views:
            from tttt_kg.viz.site import write_site

            from .viz import load_graph
            write_site(load_graph(graph_file, records_dir, store_spec), out_dir / "viz", (), "vi")
        store = open_store(store_spec, graph_file, records_dir)
        written = export_site(store, out_dir, SourceTexts(tuple(sources), default_finder))
        click.echo(f"wrote {len(written)} files under {out_dir}", err=True)
        click.echo(str(out_dir / "index.html"))
