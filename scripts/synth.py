"""`tttt-kg synth`: write a synthetic national-size corpus (N-Triples) for benchmarks and scale tests."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import records_option
from .progress import progress


class SizeType(click.ParamType):
    """A triple count: 10k, 100k, 1M or a plain number."""
    name = "size"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().lower().replace("_", "")
        factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
        digits = text[:-1] if factor > 1 else text
        try:
            n = int(float(digits) * factor)
        except ValueError:
            self.fail(f"'{value}' is not a size; write a triple count such as 10k, 100k, 1M or 250000", param, ctx)
        if n <= 0:
            self.fail(f"'{value}': the size must be positive", param, ctx)
        return n


@click.command()
@click.option("--size", type=SizeType(), default="10k", show_default=True, help="About how many triples (10k, 100k, 1M, …).")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same seed gives the same file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="N-Triples file to write (default: out/synth-SIZE-SEED.nt).")
@click.option("--store", "store_spec", default=None, metavar="oxigraph:PATH",
              help="Also load the corpus into a persistent Oxigraph store at PATH.")
@records_option
def synth(size, seed, output, store_spec, records_dir):
    """Write a synthetic corpus shaped like the seed graph: the seed itself plus made-up provinces,
    departments, decision chains, function assignments, units, mergers and transfers.

    The names are numbered placeholders (Tỉnh Mẫu 001, …) under id/…/synth/: it is test data,
    not facts. Deterministic for a given --seed.
    """
    with user_errors():
        from tttt_kg.graph.atomic import atomic_path
        from tttt_kg.graph.build import build_graph
        from tttt_kg.graph.export import serialise
        from tttt_kg.graph.synth import generate
        if store_spec:
            from tttt_kg.graph.oxistore import check_store_target
            check_store_target(store_spec)
        if output is None:
            output = Path("out") / f"synth-{size}-{seed}.nt"
            output.parent.mkdir(parents=True, exist_ok=True)
        if output.suffix != ".nt":
            raise UserError(f"{output}: the corpus is N-Triples; give a file name ending in .nt")
        from rdflib.compare import to_canonical_graph
        # canonical blank-node labels, so that the same seed number gives the same bytes
        seed_nt = serialise(to_canonical_graph(build_graph(records_dir)), "ntriples")
        with atomic_path(output) as tmp:
            with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as fh, progress(size, "generating") as update:
                count = generate(fh, size, seed, seed_nt, update)
        click.echo(f"wrote {output}: {count} triples (seed {seed})", err=True)
        if store_spec:
            from tttt_kg.graph.oxistore import create_store, parse_oxigraph_spec
            with progress(output.stat().st_size, "storing") as update:
                meta = create_store(parse_oxigraph_spec(store_spec), [output], source=f"tttt-kg synth --seed {seed}",
                                    progress=update)
            click.echo(f"stored {meta['triples']} triples in {store_spec}", err=True)
