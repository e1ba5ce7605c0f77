"""`tttt-kg serve`: the read-only SPARQL endpoint (tttt_kg.graph.endpoint) on this machine."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import graph_option, records_option, store_option

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback makes the endpoint reachable from the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@store_option
@graph_option
@records_option
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (answer: 503).")
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True,
              help="Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) one answer may have (over it: 413).")
@click.option("--max-query-chars", type=click.IntRange(16), default=100_000, show_default=True,
              help="Longest query text accepted (over it: 413).")
@click.option("--memory-mb", type=click.IntRange(256), default=2048, show_default=True,
              help="Memory limit of each query worker process (over it: 503).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries evaluated at the same time, each in its own process.")
@click.option("--viz", "viz_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/viz"),
              show_default=True, help="Folder of HTML views (from `tttt-kg viz`) served at /viz/.")
def serve(host, port, store_spec, graph_file, records_dir, timeout, max_rows, max_query_chars, memory_mb,
          workers, viz_dir):
    """Serve the graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    Also serves a query page (/), the named queries (/queries) and the views (/viz/).
    Updates and SERVICE are refused; every query is bounded in time, rows and memory.
    """
    with user_errors():
        from tttt_kg.graph.endpoint import serve as run_server
        from tttt_kg.graph.query_workers import Limits, WorkerStartError
        if host not in LOOPBACK:
            click.echo(f"warning: listening on {host}: anyone who can reach this machine can query the graph",
                       err=True)
        _check_port(host, port)
        limits = Limits(timeout=timeout, max_rows=max_rows, max_query_chars=max_query_chars,
                        memory_mb=memory_mb, workers=workers)
        try:
            run_server(store_spec, graph_file, records_dir, host, port, limits, viz_dir,
                       announce=lambda line: click.echo(line, err=True))
        except WorkerStartError as exc:
            raise UserError(str(exc)) from None


def _check_port(host: str, port: int) -> None:
    """Fail before loading anything when the address is taken or cannot be bound."""
    import socket
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UserError(f"--host {host}: not an address of this machine ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise UserError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port "
                            "or stop the program using it") from None
