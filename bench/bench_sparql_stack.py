"""Where Oxigraph's parser and evaluator overflow the stack: the figures behind graph/guards/sparql_guard.py.

For each shape of query (a chain of n operators, n nested brackets, n pattern elements in a row, …)
this bisects the smallest n that kills a fresh Python process running it with pyoxigraph, and prints
that n and the guard's weighted depth of the query at that n (sparql_guard.chain_length), whose
smallest value over all shapes is what MAX_CHAIN must stay well below.

    python bench/bench_sparql_stack.py                   # every shape, main thread, empty store
    python bench/bench_sparql_stack.py --mode thread     # in a threading.Thread (the CLI's query thread)
    python bench/bench_sparql_stack.py --mode spawn      # in a multiprocessing spawn worker (the endpoint's)
    python bench/bench_sparql_stack.py --mode data plus minus-seq   # a store whose triple every pattern matches

Each probe is a subprocess (a crash is exit status -11, SIGSEGV); a probe that runs longer than
--timeout seconds counts as surviving. The bisection stops within 2 %.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import threading


def _rep(s: str, n: int, sep: str = "") -> str:
    return sep.join([s] * n)


SHAPES = {
    "plus": lambda n: "SELECT (" + _rep("1", n, "+") + " AS ?x) WHERE {}",
    "and": lambda n: "SELECT * WHERE { ?a ?b ?c FILTER(" + _rep("true", n, " && ") + ") }",
    "or": lambda n: "SELECT * WHERE { FILTER(" + _rep("false", n, " || ") + " || true) }",
    "not": lambda n: "SELECT (" + "!" * n + "true AS ?x) WHERE {}",
    "parens": lambda n: "SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) WHERE {}",
    "calls": lambda n: "SELECT (" + "STR(" * n + "1" + ")" * n + " AS ?x) WHERE {}",
    "custom-calls": lambda n: "SELECT (" + "<http://x/f>(" * n + "1" + ")" * n + " AS ?x) WHERE {}",
    "braces": lambda n: "SELECT * WHERE " + "{ ?a ?b ?c " * n + "}" * n,
    "optional-nest": lambda n: "SELECT * WHERE { " + "OPTIONAL { " * n + "}" * n + " }",
    "exists-nest": lambda n: "SELECT * WHERE { ?a ?b ?c " + "FILTER EXISTS { ?a ?b ?c " * n + "}" * n + " }",
    "subqueries": lambda n: "SELECT * WHERE { ?a ?b ?c " + "{ SELECT * WHERE { ?a ?b ?c " * n + "} }" * n + " }",
    "bnode-nest": lambda n: "SELECT * WHERE { ?s ?p " + "[ ?p " * n + "1" + " ]" * n + " }",
    "collection-nest": lambda n: "SELECT * WHERE { ?s ?p " + "( " * n + "1" + " )" * n + " }",
    "triples": lambda n: "SELECT * WHERE { " + " ".join(f"?s{i} <http://x/p> ?o{i} ." for i in range(n)) + " }",
    "optional-seq": lambda n: "SELECT * WHERE { ?a ?b ?c " + _rep("OPTIONAL { ?a ?b ?c }", n, " ") + " }",
    "minus-seq": lambda n: "SELECT * WHERE { ?a ?b ?c " + _rep("MINUS { ?a ?b ?c }", n, " ") + " }",
    "bind-seq": lambda n: "SELECT * WHERE { ?a ?b ?c " + " ".join(f"BIND(1 AS ?x{i})" for i in range(n)) + " }",
    "filter-seq": lambda n: "SELECT * WHERE { ?a ?b ?c " + _rep("FILTER(true)", n, " ") + " }",
    "union": lambda n: "SELECT * WHERE { " + _rep("{ ?a ?b ?c }", n, " UNION ") + " }",
    "path-seq": lambda n: "SELECT * WHERE { ?s " + _rep("<http://x/p>", n, "/") + " ?o }",
    "path-alt": lambda n: "SELECT * WHERE { ?s " + _rep("<http://x/p>", n, "|") + " ?o }",
    "in-list": lambda n: "SELECT * WHERE { FILTER(1 IN (" + _rep("1", n, ",") + ")) }",
    "values": lambda n: "SELECT * WHERE { VALUES ?x { " + _rep("1", n, " ") + " } }",
}


def _run(query: str, data: bool) -> None:
    import pyoxigraph as ox
    store = ox.Store()
    if data:
        x = "http://x/"
        store.add(ox.Quad(ox.NamedNode(x + "s"), ox.NamedNode(x + "p"), ox.NamedNode(x + "o")))
        store.add(ox.Quad(ox.NamedNode(x + "o"), ox.NamedNode(x + "p"), ox.NamedNode(x + "o")))
    try:
        result = store.query(query)
        if not isinstance(result, ox.QueryBoolean):
            for _ in result:
                pass
    except Exception:   # a Python exception is survival; only the process dying counts
        pass


def probe(shape: str, n: int, mode: str) -> None:
    """The child: run one query the way ``mode`` says; exit 0 when the process survives."""
    query = SHAPES[shape](n)
    if mode in ("main", "data"):
        _run(query, mode == "data")
    elif mode == "thread":
        t = threading.Thread(target=_run, args=(query, False))
        t.start()
        t.join()
    elif mode == "spawn":
        import multiprocessing as mp
        p = mp.get_context("spawn").Process(target=_run, args=(query, False))
        p.start()
        p.join()
        sys.exit(0 if p.exitcode == 0 else 100 + abs(p.exitcode or 0))


def dies(shape: str, n: int, mode: str, timeout: float) -> bool:
    try:
        done = subprocess.run([sys.executable, __file__, "--probe", shape, str(n), mode], capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode != 0


def smallest_death(shape: str, mode: str, hi: int, timeout: float) -> int | None:
    if not dies(shape, hi, mode, timeout):
        return None
    lo = 1
    while hi - lo > max(1, lo // 50):
        mid = (lo + hi) // 2
        if dies(shape, mid, mode, timeout):
            hi = mid
        else:
            lo = mid
    return hi


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--probe":
        probe(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("shapes", nargs="*", help=f"some of: {', '.join(SHAPES)} (default: all)")
    ap.add_argument("--mode", choices=["main", "thread", "spawn", "data"], default="main")
    ap.add_argument("--max", type=int, default=20_000, help="the largest n tried")
    ap.add_argument("--timeout", type=float, default=40.0, help="seconds one probe may run")
    args = ap.parse_args()
    from tttt_kg.graph.guards import sparql_guard
    print(f"{'shape':16} {'mode':7} {'dies from n':>12} {'weighted depth there':>21}")
    for shape in args.shapes or SHAPES:
        n = smallest_death(shape, args.mode, args.max, args.timeout)
        weight = f"{sparql_guard.chain_length(SHAPES[shape](n)):,}" if n else "-"
        print(f"{shape:16} {args.mode:7} {(f'{n:,}' if n else f'> {args.max:,}'):>12} {weight:>21}", flush=True)


if __name__ == "__main__":
    main()
