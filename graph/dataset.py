"""Where the commands that work on an rdflib graph get it from: the records, an RDF file, or a store."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph


class GraphFileError(ValueError):
    """An RDF file that cannot be read: missing, or not valid in its format."""


def load_graph_file(path: Path | str, fmt: str | None = None) -> Graph:
    """Parse a Turtle / N-Triples / JSON-LD / TriG / RDF-XML file into a Graph."""
    from tttt_kg.graph.export import FORMATS, guess_format
    from tttt_kg.graph.namespaces import new_graph

    path = Path(path)
    if not path.is_file():
        raise GraphFileError(f"{path}: no such file; build one with `tttt-kg build -o {path}`")
    name = fmt or guess_format(path) or "turtle"
    rdflib_format = {"turtle": "turtle", "trig": "trig", "nquads": "nquads"}.get(name, FORMATS.get(name, (name,))[0])
    from tttt_kg.graph.guards.safe_inputs import UnsafeInputError, check_for_rdflib, read_jsonld
    g = new_graph()
    try:
        check_for_rdflib(path, rdflib_format)
        if rdflib_format == "json-ld":   # contexts inlined from local files, none left for rdflib to fetch
            from rdflib.parser import PythonInputSource
            g.parse(PythonInputSource(read_jsonld(path)), format="json-ld", base=path.resolve().as_uri())
        elif name in ("trig", "nquads"):
            from rdflib import Dataset
            ds = Dataset()
            ds.parse(path, format=rdflib_format)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
        else:
            g.parse(path, format=rdflib_format)
    except UnsafeInputError as exc:
        raise GraphFileError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise GraphFileError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except Exception as exc:  # rdflib raises many parser-specific types
        message = str(exc).strip().splitlines()
        raise GraphFileError(f"{path}: not valid {name}: {message[0] if message else type(exc).__name__}"
                             + (f" ({message[-1].strip()})" if len(message) > 1 else "")
                             + "\n  fix: correct the syntax at the position given, or rebuild the file with `tttt-kg build`") from None
    return g


def get_graph(graph_file: Path | str | None = None, records_dir: Path | str | None = None,
              store_spec: str | None = None) -> Graph:
    """The graph held in ``store_spec`` (oxigraph:PATH, sparql:URL) if given, else from ``graph_file``,
    else built from the records."""
    if store_spec and store_spec != "memory":
        return graph_from_store(store_spec)
    if graph_file:
        return load_graph_file(graph_file)
    from tttt_kg.graph.build import build_graph
    return build_graph(records_dir)


def graph_from_store(spec: str) -> Graph:
    """A copy of a store's default graph in rdflib, read as N-Triples written by Oxigraph."""
    from tttt_kg.graph.namespaces import new_graph
    from tttt_kg.graph.stores.store import open_store
    from tttt_kg.graph.stores.storedump import dump_store
    g = new_graph()
    g.parse(data=dump_store(open_store(spec), "ntriples"), format="nt")
    return g
