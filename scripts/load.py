"""`tttt-kg load`: RDF files (a synthetic corpus, another province's graph) into a persistent store."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import user_errors
from .progress import progress


@click.command(short_help="Load RDF files into a new persistent Oxigraph store.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--store", "store_spec", required=True, metavar="oxigraph:PATH",
              help="The Oxigraph store to create (an existing tttt-kg store there is replaced when the load succeeds).")
def load(files, store_spec):
    """Load FILES (N-Triples, N-Quads, Turtle, TriG, RDF/XML, JSON-LD) into a new persistent store.

    Large N-Triples/N-Quads files are read in pieces, so memory stays flat whatever their size.
    Quads in named graphs (N-Quads, TriG) are merged into the store's graph.
    The store appears only when every file has loaded; on an error the old store is untouched.
    Check the result with `tttt-kg check --store oxigraph:PATH`.
    """
    with user_errors():
        from tttt_kg.graph.guards.safe_inputs import check_for_oxigraph
        from tttt_kg.graph.stores.bulkload import LoadError, format_of
        from tttt_kg.graph.stores.oxistore import check_store_target, create_store
        path = check_store_target(store_spec)
        # every file is checked before the first one loads (which may take minutes), and before a store
        # is opened: a file that is refused never costs a store (nor its cache's memory)
        for f in files:
            if not f.is_file():
                raise LoadError(f"{f}: no such file; give the path of an RDF file (.nt, .nq, .ttl …)")
            check_for_oxigraph(f, format_of(f), LoadError)
        with progress(sum(f.stat().st_size for f in files), "loading") as update:
            meta = create_store(path, list(files), source=" ".join(str(f) for f in files), progress=update)
        click.echo(f"stored {meta['triples']} triples in {store_spec}", err=True)
