"""`tttt-kg check`: the SHACL shapes, as SPARQL, on any store — validation that scales to millions of triples."""
from __future__ import annotations

import click

from .errors import user_errors
from .options import graph_option, records_option, store_option


@click.command()
@store_option
@graph_option
@records_option
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Print at most this many violations.")
def check(store_spec, graph_file, records_dir, limit):
    """Check the graph in --store against ontology/shapes.ttl, with each constraint run as a SPARQL query.

    Same shapes as `tttt-kg validate` (pyshacl), but on Oxigraph's engine: seconds at a million
    triples, and it works on a remote endpoint too. Exit 1 if anything breaks a shape.
    """
    with user_errors():
        from tttt_kg.graph.shapecheck import check_store, compile_shapes
        from tttt_kg.graph.store import open_store
        store = open_store(store_spec, graph_file, records_dir)
        checks = compile_shapes()
        failures = check_store(store, checks)
        for f in failures[:limit]:
            click.echo(str(f), err=True)
        if failures:
            more = f" (first {limit} shown)" if len(failures) > limit else ""
            click.echo(f"{len(failures)} violation(s){more}", err=True)
            raise SystemExit(1)
        click.echo(f"conforms: {len(checks)} checks from ontology/shapes.ttl, {len(store)} triples")
