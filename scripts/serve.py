"""`tttt-kg serve`: the read-only SPARQL endpoint (tttt_kg.graph.server.endpoint) on this machine."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import graph_option, old_spelling, records_option, store_option, takes_old_spellings

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WILDCARD = {"0.0.0.0", "::", ""}


@click.command(short_help="Serve the graph as a read-only SPARQL 1.1 endpoint.")
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
@click.option("--max-answer-mb", type=click.IntRange(1), default=32, show_default=True,
              help="Largest serialised answer, in MB (over it: 413).")
@click.option("--answer-memory-mb", type=click.IntRange(1), default=256, show_default=True,
              help="Answers the server may hold for clients that have not read them yet, in MB (over it: 503).")
@click.option("--per-client", type=click.IntRange(1), default=4, show_default=True,
              help="Queries one client (IP address) may have running or waiting (over it: 429 + Retry-After).")
@click.option("--max-waiting", type=click.IntRange(1), default=64, show_default=True,
              help="Queries waiting for a worker, all clients together (over it: 503 + Retry-After).")
@click.option("--max-connections", type=click.IntRange(1), default=256, show_default=True,
              help="Open connections (over it: 503 and closed).")
@click.option("--header-timeout", type=click.FloatRange(0.5, 600), default=10.0, show_default=True,
              help="Seconds a connection has to send a request's headers; then it is closed.")
@click.option("--body-timeout", type=click.FloatRange(0.5, 600), default=30.0, show_default=True,
              help="Seconds a client has to send a request body (over it: 408).")
@click.option("--send-timeout", type=click.FloatRange(0.5, 3600), default=30.0, show_default=True,
              help="Seconds a client may read nothing of its answer before it is dropped.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A name clients may use for this server in the Host header (repeat; '*' allows any). "
                   "Default: the loopback names, and --host with this machine's names when not on loopback.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN", default=("*",), show_default=True,
              help="A web origin whose pages may read answers (repeat); 'none' for no CORS headers.")
@click.option("--no-sandbox", is_flag=True,
              help="Run the workers unconfined (no seccomp network filter). Only where seccomp is unavailable.")
@click.option("--viz-dir", "viz_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/viz"),
              show_default=True, metavar="DIR", help="Folder of HTML views (from `tttt-kg viz`) served at /viz/.")
@old_spelling("--viz", dest="viz_dir", new="--viz-dir", type=click.Path(file_okay=False, path_type=Path))
@takes_old_spellings
def serve(host, port, store_spec, graph_file, records_dir, timeout, max_rows, max_query_chars, memory_mb,
          workers, max_answer_mb, answer_memory_mb, per_client, max_waiting, max_connections, header_timeout,
          body_timeout, send_timeout, allowed_hosts, cors_origins, no_sandbox, viz_dir):
    """Serve the graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    Also serves a query page (/), the named queries (/queries) and the views (/viz/).
    Updates and SERVICE are refused, the query workers cannot open network connections, and every
    query, answer, client and connection is bounded (see docs/security.md).
    """
    with user_errors():
        from tttt_kg.graph.server.endpoint import HttpLimits
        from tttt_kg.graph.server.endpoint import serve as run_server
        from tttt_kg.graph.server.endpoint_server import ConnectionLimits
        from tttt_kg.graph.server.query_workers import Limits, WorkerStartError
        if host not in LOOPBACK:
            click.echo(f"warning: listening on {host}: anyone who can reach this machine can query the graph; "
                       "put a reverse proxy with TLS in front of it for anything beyond a research group's network",
                       err=True)
        if no_sandbox:
            click.echo("warning: --no-sandbox: the query workers can open network connections; only the query "
                       "guard stands between a SERVICE clause and this machine's network", err=True)
        _check_port(host, port)
        limits = Limits(timeout=timeout, max_rows=max_rows, max_query_chars=max_query_chars,
                        memory_mb=memory_mb, workers=workers, max_answer_mb=max_answer_mb,
                        answer_memory_mb=answer_memory_mb, per_client=per_client, max_waiting=max_waiting,
                        sandbox=not no_sandbox)
        http = HttpLimits(body_seconds=body_timeout, send_timeout=send_timeout,
                          allowed_hosts=_host_names(host, allowed_hosts),
                          cors_origins=() if cors_origins == ("none",) else tuple(cors_origins))
        connections = ConnectionLimits(max_connections=max_connections, header_seconds=header_timeout)
        try:
            run_server(store_spec, graph_file, records_dir, host, port, limits, viz_dir,
                       announce=lambda line: click.echo(line, err=True), http=http, connections=connections)
        except WorkerStartError as exc:
            hint = ("; seccomp is needed to confine the workers (Linux with libseccomp2). Where it cannot be had, "
                    "--no-sandbox serves without it") if "confined" in str(exc) else ""
            raise UserError(f"{exc}{hint}") from None


def _host_names(host: str, given: tuple[str, ...]) -> tuple[str, ...]:
    """The Host header values to answer to: the user's list, or loopback plus what --host implies."""
    if given:
        return tuple(given)
    import socket
    names = ["127.0.0.1", "localhost", "::1", "[::1]"]
    if host not in LOOPBACK:
        if host not in WILDCARD:
            names.append(host)
        names += [socket.gethostname(), socket.getfqdn()]
    return tuple(dict.fromkeys(n.lower() for n in names if n))


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
