"""Which graph a reading command (query, mandate, diff, timeline) reads, and how it says so.

The rule, in order:
  1. ``--store oxigraph:PATH`` or ``sparql:URL``: that store;
  2. ``--graph FILE``: that RDF file, loaded by Oxigraph (fast);
  3. ``--records DIR``: built from those records (slow: rdflib and the build);
  4. otherwise ``out/tttt-kg.ttl`` in the current folder when it exists (fast) — with a warning
     when any packaged record, vocabulary or query file is newer than it, since it then
     no longer shows what the records say (run `tttt-kg build` to refresh it);
  5. otherwise the packaged records, built in memory, with a hint to run `tttt-kg build`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

DEFAULT_GRAPH = Path("out") / "tttt-kg.ttl"


def _source_files() -> list[Path]:
    """The files a built graph is made from: records, vocabulary, query catalogue."""
    import tttt_kg.graph as graph_pkg
    import tttt_kg.ontology as ontology_pkg
    here = Path(__file__).parent
    files = list((Path(graph_pkg.__file__).parent / "records").rglob("*.yaml"))   # 2019-2025/ too
    files += list(Path(ontology_pkg.__file__).parent.glob("*.ttl"))
    files += list(here.glob("*.rq"))
    return files


def newer_sources(built: Path) -> list[Path]:
    """The source files changed after ``built`` was written (empty when it is up to date)."""
    stamp = built.stat().st_mtime
    return sorted(p for p in _source_files() if p.stat().st_mtime > stamp)


def open_reading_store(spec: str | None = "memory", graph_file: Path | None = None,
                       records_dir: Path | None = None, note: Callable[[str], None] = lambda s: None):
    """Open the store the rule above picks; ``note`` receives warnings and hints for stderr."""
    from tttt_kg.graph.stores.store import open_store

    spec = spec or "memory"
    if spec != "memory" or graph_file is not None or records_dir is not None:
        return open_store(spec, graph_file, records_dir)
    if DEFAULT_GRAPH.is_file():
        stale = newer_sources(DEFAULT_GRAPH)
        if stale:
            note(f"warning: {DEFAULT_GRAPH} is older than {stale[0].name}"
                 + (f" and {len(stale) - 1} other source file(s)" if len(stale) > 1 else "")
                 + "; answers come from the old graph. Run `tttt-kg build` to refresh it.")
        return open_store("memory", DEFAULT_GRAPH)
    note(f"note: no {DEFAULT_GRAPH} here, so the graph is built from the records (slow); "
         "run `tttt-kg build` once to make queries start fast.")
    return open_store("memory", None, None)
