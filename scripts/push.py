"""`tttt-kg push`: load the graph into a remote triple store (Virtuoso, Fuseki, GraphDB, …)."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import deprecated_note, old_spelling, records_option, store_option, takes_old_spellings
from .progress import progress

DEFAULT_GRAPH_IRI = "https://w3id.org/tttt-kg/graph"


class GraphFileOrOldIri(click.Path):
    """--graph FILE; an IRI given there (the old meaning of push --graph: the target graph) is kept
    for one release: it goes to --graph-iri, with a note."""

    def convert(self, value, param, ctx):
        text = str(value)
        if "://" in text or text.startswith("urn:"):
            deprecated_note("push --graph IRI", "push --graph-iri IRI (--graph is the RDF file to read, as everywhere)")
            ctx.meta["tttt-kg.push.old-graph-iri"] = text
            return None
        return super().convert(value, param, ctx)


@click.command(short_help="Push the graph to a named graph at a SPARQL endpoint.")
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL 1.1 Update URL (e.g. http://127.0.0.1:8890/sparql), or the Graph Store URL with --protocol gsp.")
@click.option("--graph-iri", "graph_iri", default=DEFAULT_GRAPH_IRI, show_default=True, metavar="IRI",
              help="Named graph to replace with this graph.")
@click.option("--protocol", type=click.Choice(["update", "gsp"]), default="update", show_default=True,
              help="SPARQL 1.1 Update (INSERT DATA in batches, then MOVE) or Graph Store Protocol (one PUT).")
@click.option("--graph", "input_file", type=GraphFileOrOldIri(dir_okay=False, path_type=Path), default=None,
              help="RDF file to push (default: the graph in --store, built from the records for memory).")
@old_spelling("--input", dest="input_file", new="--graph", type=click.Path(dir_okay=False, path_type=Path))
@store_option
@records_option
@click.option("--user", default=None, help="User for HTTP Basic/Digest authentication.")
@click.option("--password", envvar="TTTT_KG_PASSWORD", default=None, show_envvar=True,
              help="Password for --user (better set in the environment than on the command line).")
@takes_old_spellings
def push(endpoint, graph_iri, protocol, input_file, store_spec, records_dir, user, password):
    """Replace the named graph IRI (--graph-iri) at a remote SPARQL endpoint with the graph.

    The graph is read from --graph FILE, or from --store (built from the records for memory).
    The target graph changes only once every triple has arrived; after a failure it is as before.
    Query it afterwards with --store 'sparql:URL?default-graph-uri=IRI'.
    """
    with user_errors():
        ctx = click.get_current_context()
        old_iri = ctx.meta.get("tttt-kg.push.old-graph-iri")
        if old_iri is not None:
            if ctx.get_parameter_source("graph_iri") != click.core.ParameterSource.DEFAULT:
                raise UserError("give the target graph once: --graph-iri IRI")
            graph_iri = old_iri
        from tttt_kg.graph.stores.push import Pusher, check_graph_iri
        from tttt_kg.graph.stores.store import open_store
        check_graph_iri(graph_iri)
        pusher = Pusher(endpoint, user=user, password=password)
        if store_spec.startswith("sparql:"):
            raise UserError("push copies a local graph: give --store memory or oxigraph:PATH (or --input FILE)")
        if protocol == "update":
            pusher.probe()
        data = open_store(store_spec, input_file, records_dir).dump()
        total = data.count(b"\n")
        if protocol == "gsp":
            n = pusher.push_gsp(data, graph_iri)
        else:
            with progress(total, "pushing triples") as update:
                n = pusher.push_update(data, graph_iri, update)
        click.echo(f"pushed {n} triples to <{graph_iri}> at {endpoint}", err=True)
