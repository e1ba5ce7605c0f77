"""Loading RDF files in pieces (graph/stores/bulkload.py): the same graph as one load, errors at the file's line.

The pieces are made tiny here (a few hundred bytes), so that a small file is cut many times,
and blank nodes whose lines lie far apart in the file would be split if they were not held back.
"""
from __future__ import annotations

import os

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tttt_kg.graph.stores import bulkload
from tttt_kg.graph.stores.bulkload import LoadError, load_file


def _graph_of(store: ox.Store) -> Graph:
    g = Graph()
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode(), format="nt")
    return g


@pytest.fixture
def tiny_pieces(monkeypatch):
    monkeypatch.setattr(bulkload, "CHUNK_BYTES", 300)


def _scattered_blank_nodes(path, lines: int = 400) -> None:
    """Each of 5 blank nodes is named on lines spread over the whole file, as subject and as object."""
    out = []
    for i in range(lines):
        b = f"_:node{i % 5}"
        out.append(f"<https://example.org/s{i}> <https://example.org/p> {b} ." if i % 2
                   else f"{b} <https://example.org/q> \"giá trị {i}\"@vi .")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


@pytest.mark.parametrize("in_memory", [False, True], ids=["bulk_load", "load"])
def test_pieces_give_the_graph_one_load_gives(tiny_pieces, tmp_path, seed_ntriples, in_memory):
    for path in (seed_ntriples, tmp_path / "blank.nt"):
        if path.name == "blank.nt":
            _scattered_blank_nodes(path)
        assert path.stat().st_size > 20 * bulkload.CHUNK_BYTES
        pieces, whole = ox.Store(), ox.Store()
        read = []
        load_file(pieces, path, read.append, in_memory=in_memory)
        whole.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        assert sum(read) == path.stat().st_size and len(read) > 20
        assert len(pieces) == len(whole)
        assert isomorphic(_graph_of(pieces), _graph_of(whole)), path.name


def test_blank_nodes_stay_one_node_each(tiny_pieces, tmp_path):
    path = tmp_path / "blank.nt"
    _scattered_blank_nodes(path)
    store = ox.Store()
    load_file(store, path)
    count = store.query("SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { { ?b ?p ?o } UNION { ?s ?p ?b } FILTER isBlank(?b) }")
    assert int(next(iter(count))[0].value) == 5


def test_last_line_without_newline_is_loaded(tmp_path, tiny_pieces):
    path = tmp_path / "g.nt"
    path.write_text("".join(f"<https://example.org/s{i}> <https://example.org/p> \"{i}\" .\n" for i in range(50))
                    + "<https://example.org/last> <https://example.org/p> \"end\" .", encoding="utf-8")
    store = ox.Store()
    load_file(store, path)
    assert len(store) == 51


@pytest.mark.parametrize("in_memory", [False, True], ids=["bulk_load", "load"])
@pytest.mark.parametrize("bad_line", [7, 180, 333])
def test_a_syntax_error_names_the_line_of_the_file(tiny_pieces, tmp_path, bad_line, in_memory):
    path = tmp_path / "broken.nt"
    _scattered_blank_nodes(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[bad_line - 1] = lines[bad_line - 1].replace(" .", " ")   # a statement without its final dot
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_file(ox.Store(), path, in_memory=in_memory)
    message = str(caught.value)
    assert message.startswith(f"{path}:{bad_line}:") or message.startswith(f"{path}:{bad_line + 1}:"), message
    assert "not valid N-Triples" in message and "at or just before" in message


def test_turtle_is_loaded_whole_and_its_errors_located(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\nex:a ex:p [ ex:q 1 ] .\nex:b ex:p ex:c ;\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"g\.ttl:[34]:\d+: not valid Turtle"):
        load_file(ox.Store(), path)


@pytest.mark.parametrize("name, message", [("missing.nt", "no such file"), ("data.csv", "unknown RDF file extension")])
def test_a_file_that_cannot_be_loaded_is_named(tmp_path, name, message):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(LoadError, match=message):
        load_file(ox.Store(), path)


def test_load_command_makes_a_store_the_queries_read(cli, seed_ntriples, tmp_path):
    store = tmp_path / "kg"
    result = cli("load", str(seed_ntriples), "--store", f"oxigraph:{store}")
    assert result.exit_code == 0, result.output
    triples = sum(1 for line in seed_ntriples.read_text(encoding="utf-8").splitlines() if line.strip())
    assert f"stored {triples} triples" in result.output
    from_store = cli("query", "organisations", "--store", f"oxigraph:{store}", "--format", "csv")
    from_file = cli("query", "organisations", "--graph", str(seed_ntriples), "--format", "csv")
    assert from_store.exit_code == 0 and from_store.stdout == from_file.stdout and from_store.stdout.count("\n") > 3


def test_load_of_a_bad_file_leaves_the_old_store_as_it_was(cli, seed_ntriples, tmp_path):
    from test_stores import snapshot
    store = tmp_path / "kg"
    assert cli("load", str(seed_ntriples), "--store", f"oxigraph:{store}").exit_code == 0
    before = snapshot(store)
    broken = tmp_path / "broken.nt"
    lines = seed_ntriples.read_text(encoding="utf-8").splitlines()
    lines[99] = lines[99][:-1]
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("load", str(seed_ntriples), str(broken), "--store", f"oxigraph:{store}")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert (f"{broken}:100:" in result.output or f"{broken}:101:" in result.output) and "not valid N-Triples" in result.output
    assert snapshot(store) == before
    # beside PATH only the version folder it points to: the failed load's folder is gone
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kg.")] == [os.readlink(store)]


def test_a_truncated_last_line_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "cut.nt"
    path.write_text("<urn:a> <urn:p> <urn:o> .\n_:b <urn:p> <urn:o> .\n_:b <urn:p>", encoding="utf-8")
    with pytest.raises(LoadError, match=r"cut\.nt:[34]:\d+: not valid N-Triples"):
        load_file(ox.Store(), path)


def test_two_files_keep_their_blank_nodes_apart(tmp_path):
    for name in ("a.nt", "b.nt"):
        (tmp_path / name).write_text(f'_:b <https://example.org/p> "{name}" .\n', encoding="utf-8")
    store = ox.Store()
    load_file(store, tmp_path / "a.nt")
    load_file(store, tmp_path / "b.nt")
    assert len({q.subject for q in store}) == 2


def test_named_graphs_are_merged_into_the_store_graph(monkeypatch, tmp_path, cli, seed_ntriples):
    """`export -f nquads` puts the graph in a named graph; loaded back, the queries must see it.

    The store on disk is loaded in pieces of 64 KB (about 40 of the 2.7 MB file; each piece is a bulk load
    into RocksDB: in pieces of 300 bytes it took 820 s), the in-memory comparison in pieces of 300 bytes."""
    nq = tmp_path / "kg.nq"
    assert cli("export", "-f", "nquads", "--graph", seed_ntriples, "-o", nq).exit_code == 0
    assert "<https://w3id.org/tttt-kg/graph>" in nq.read_text(encoding="utf-8")
    monkeypatch.setattr(bulkload, "CHUNK_BYTES", 64 << 10)
    assert nq.stat().st_size > 20 * bulkload.CHUNK_BYTES
    result = cli("load", nq, "--store", f"oxigraph:{tmp_path / 'kg'}")
    triples = sum(1 for line in seed_ntriples.read_text(encoding="utf-8").splitlines() if line.strip())
    assert result.exit_code == 0 and f"stored {triples} triples" in result.output
    from_store = cli("query", "organisations", "--store", f"oxigraph:{tmp_path / 'kg'}", "--format", "csv")
    from_file = cli("query", "organisations", "--graph", seed_ntriples, "--format", "csv")
    assert from_store.stdout == from_file.stdout
    pieces, whole = ox.Store(), ox.Store()
    monkeypatch.setattr(bulkload, "CHUNK_BYTES", 300)
    load_file(pieces, nq)
    whole.load(path=str(seed_ntriples), format=ox.RdfFormat.N_TRIPLES)
    assert isomorphic(_graph_of(pieces), _graph_of(whole))


def test_every_file_is_checked_before_any_loads(cli, seed_ntriples, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = cli("load", seed_ntriples, tmp_path / "notes.csv", "--store", f"oxigraph:{tmp_path / 'kg'}")
    assert result.exit_code == 2 and "unknown RDF file extension" in result.output
    assert not (tmp_path / "kg").exists() and not list(tmp_path.glob(".kg.*"))


def test_a_graph_file_without_a_known_extension_is_read_as_turtle(cli, tmp_path):
    ttl = tmp_path / "kg.ttl"
    assert cli("export", "-o", ttl).exit_code == 0
    bare = tmp_path / "kg"
    bare.write_bytes(ttl.read_bytes())
    assert cli("query", "organisations", "--graph", bare, "-f", "csv").stdout == \
        cli("query", "organisations", "--graph", ttl, "-f", "csv").stdout


def test_a_failed_build_after_a_good_file_leaves_no_folder(seed_ntriples, tmp_path):
    """The store must be closed before its folder is removed: it was kept open by the failure's
    traceback (through the loader) about every other time, and wrote its files back after removal."""
    from tttt_kg.graph.stores.bulkload import LoadError
    from tttt_kg.graph.stores.oxistore import create_store
    broken = tmp_path / "broken.nt"
    lines = seed_ntriples.read_text(encoding="utf-8").splitlines()
    lines[99] = lines[99][:-1]
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _ in range(10):
        with pytest.raises(LoadError):
            create_store(tmp_path / "kg", [seed_ntriples, broken])
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kg.")] == []
