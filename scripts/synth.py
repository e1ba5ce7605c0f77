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
        except (ValueError, OverflowError):   # OverflowError: 'inf'
            self.fail(f"'{value}' is not a size; write a triple count such as 10k, 100k, 1M or 250000", param, ctx)
        if n <= 0:
            self.fail(f"'{value}': the size must be positive", param, ctx)
        from tttt_kg.graph.stores.leftovers import human_bytes
        from tttt_kg.graph.stores.synth import MAX_TRIPLES, estimated_bytes
        if n > MAX_TRIPLES:
            self.fail(f"'{value}' is {n:,} triples, which would need about {human_bytes(estimated_bytes(n))} of disk; "
                      f"the largest corpus synth writes is {MAX_TRIPLES:,} triples (100M, about "
                      f"{human_bytes(estimated_bytes(MAX_TRIPLES))}), some 60 times the whole country", param, ctx)
        return n


def size_name(n: int) -> str:
    """A triple count as --size takes it: 10000 -> '10k', 1000000 -> '1M', 12345 -> '12345'."""
    for factor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= factor and n % factor == 0:
            return f"{n // factor}{suffix}"
    return str(n)


def _existing(folder: Path) -> Path:
    """The nearest folder that exists at or above ``folder`` (where the free space is measured)."""
    folder = folder.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check_disk_space(size: int, output: Path, store: Path | None) -> None:
    """Refuse, before writing anything, a corpus (and store) the disk cannot hold."""
    import shutil

    from tttt_kg.graph.stores.leftovers import human_bytes
    from tttt_kg.graph.stores.synth import FILE_BYTES_PER_TRIPLE, STORE_BYTES_PER_TRIPLE, estimated_bytes
    places = [(_existing(output.parent), estimated_bytes(size), f"the file ({FILE_BYTES_PER_TRIPLE} bytes a triple)")]
    if store is not None:
        place = _existing(store.parent)
        need = estimated_bytes(size, store=True) - estimated_bytes(size)
        what = f"the store ({STORE_BYTES_PER_TRIPLE} bytes a triple)"
        if place.stat().st_dev == places[0][0].stat().st_dev:   # one disk holds both
            places[0] = (places[0][0], places[0][1] + need, places[0][2] + " and " + what)
        else:
            places.append((place, need, what))
    for place, need, what in places:
        free = shutil.disk_usage(place).free
        if need > free:
            raise UserError(f"--size {size:,} needs about {human_bytes(need)} for {what}, and {place} has "
                            f"{human_bytes(free)} free; choose a smaller --size or free space there")


@click.command(short_help="Write a synthetic corpus shaped like the seed graph.")
@click.option("--size", type=SizeType(), default="10k", show_default=True,
              help="About how many triples (10k, 100k, 1M, …; at most 100M, refused if the disk cannot hold it).")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same seed gives the same file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="N-Triples file to write (default: out/synth-SIZE-SEED.nt, e.g. out/synth-10k-1.nt).")
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
        from tttt_kg.graph.stores.leftovers import clean_temp_files, lock, unlock
        from tttt_kg.graph.stores.synth import generate
        store_path = None
        if store_spec:
            from tttt_kg.graph.stores.oxistore import check_store_target
            store_path = check_store_target(store_spec)
        default_output = output is None
        if default_output:
            output = Path("out") / f"synth-{size_name(size)}-{seed}.nt"
        if output.suffix != ".nt":
            raise UserError(f"{output}: the corpus is N-Triples; give a file name ending in .nt")
        clean_temp_files(output)   # a killed synth's partial file is the first thing to give back
        check_disk_space(size, output, store_path)
        if default_output:
            output.parent.mkdir(parents=True, exist_ok=True)
        from rdflib.compare import to_canonical_graph
        # canonical blank-node labels, so that the same seed number gives the same bytes
        seed_nt = serialise(to_canonical_graph(build_graph(records_dir)), "ntriples")
        held = None
        try:
            with atomic_path(output) as tmp:
                held = lock(tmp)   # held until the rename: the next synth can tell our file from a dead one's
                with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as fh, \
                        progress(size, "generating") as update:
                    count = generate(fh, size, seed, seed_nt, update)
        finally:
            unlock(held)
        click.echo(f"wrote {output}: {count} triples (seed {seed})", err=True)
        if store_spec:
            from tttt_kg.graph.stores.oxistore import create_store, parse_oxigraph_spec
            with progress(output.stat().st_size, "storing") as update:
                meta = create_store(parse_oxigraph_spec(store_spec), [output], source=f"tttt-kg synth --seed {seed}",
                                    progress=update)
            click.echo(f"stored {meta['triples']} triples in {store_spec}", err=True)
