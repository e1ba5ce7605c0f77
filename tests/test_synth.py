"""The synthetic corpus (`tttt-kg synth`) and the SPARQL translation of the SHACL shapes.

At 25k triples (the seed graph, 13.6k, and as much again of made-up provinces) the corpus is
checked with pyshacl itself; the SPARQL checks (used at scale,
where pyshacl is too slow) must find exactly the focus nodes pyshacl finds, on a clean corpus
and on one broken on purpose in several ways.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def graph(full_graph):
    """synth starts from the default build (seed and 2019–2025 pages): compare with that."""
    return full_graph


def _synth_corpus(tmp_path_factory, size: str) -> Path:
    """`tttt-kg synth --size SIZE --seed 7`, written once into a fresh folder."""
    from click.testing import CliRunner

    from tttt_kg.cli import main
    path = tmp_path_factory.mktemp(f"synth{size}") / "c.nt"
    result = CliRunner().invoke(main, ["synth", "--size", size, "--seed", "7", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def corpus_25k(tmp_path_factory) -> Path:
    return _synth_corpus(tmp_path_factory, "25k")


@pytest.fixture(scope="module")
def corpus_10k(tmp_path_factory) -> Path:
    """A smaller corpus for what computes exact betweenness twice (9.6 s a run at 25k, 2.5 s here)."""
    return _synth_corpus(tmp_path_factory, "10k")


def _load(data: bytes):
    import pyoxigraph as ox

    from tttt_kg.graph.stores.store import OxigraphStore
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    return OxigraphStore(store)


def test_size_and_determinism(corpus_25k, cli, tmp_path):
    data = corpus_25k.read_bytes()
    n = len(_load(data))
    assert 25_000 <= n <= 27_500
    assert n == data.count(b"\n")              # no duplicate lines: every line is one distinct triple
    again, other = tmp_path / "again.nt", tmp_path / "other.nt"
    assert cli("synth", "--size", "25k", "--seed", "7", "-o", again).exit_code == 0
    assert cli("synth", "--size", "25k", "--seed", "8", "-o", other).exit_code == 0
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(data).digest()
    assert other.read_bytes() != data


def test_bigger_sizes_scale(cli, tmp_path):
    out = tmp_path / "c100k.nt"
    result = cli("synth", "--size", "100k", "-o", out)
    assert result.exit_code == 0
    n = out.read_bytes().count(b"\n")
    assert 100_000 <= n <= 102_500
    assert f"{n} triples" in result.stderr


def test_corpus_has_the_seed_shape(corpus_25k, graph):
    """The seed graph is included, and the synthetic part has every kind of statement the seed has."""
    store = _load(corpus_25k.read_bytes())
    counts = {r["c"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: int(r["n"].value) for r in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c . FILTER(CONTAINS(STR(?s), '/synth/')) } GROUP BY ?c").rows}
    for kind in ("AdministrativeDecision", "FunctionAssignment", "DecisionWording", "OrganizationalUnit",
                 "ChangeEvent", "FunctionTransfer", "FormalOrganization", "SpecificResource", "SourceDocument"):
        assert counts.get(kind, 0) > 0, kind
    chains = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?b dct:replaces ?a . ?a dct:replaces ?z }").rows
    assert int(chains[0]["n"].value) > 0      # replaces chains longer than one step
    seed_ids = {str(o) for o in graph.objects(None, __import__("rdflib").DCTERMS.identifier)}
    corpus_ids = {r["id"].value for r in store.query("SELECT ?id WHERE { ?s dct:identifier ?id }").rows}
    assert seed_ids <= corpus_ids


@pytest.fixture(scope="module")
def validated_corpus(corpus_25k):
    """`tttt-kg validate` (pyshacl) on the corpus, as JSON: run once, read by the two tests below."""
    from click.testing import CliRunner

    from tttt_kg.cli import main
    return CliRunner().invoke(main, ["validate", "--graph", str(corpus_25k), "-f", "json"], catch_exceptions=False)


def test_corpus_conforms_to_the_shapes_with_pyshacl(validated_corpus, corpus_25k):
    import json
    assert validated_corpus.exit_code == 0, validated_corpus.output[-2000:]
    answer = json.loads(validated_corpus.stdout)
    assert answer["conforms"] is True and answer["violations"] == []
    assert answer["triples"] == corpus_25k.read_bytes().count(b"\n")


def test_named_queries_find_the_synthetic_facts(corpus_25k):
    from tttt_kg.queries.catalogue import get, run
    store = _load(corpus_25k.read_bytes())
    orgs = run(store, get("organisations"))
    assert any("Tỉnh Mẫu 001" in str(row.get(v).value) for row in orgs.rows for v in row)
    mandate = run(store, get("mandate-at"), {"at": "2019-12-31"})
    assert len({row["org"].value for row in mandate.rows}) > 1



LINEAGE_DECISIONS = """
PREFIX dct: <http://purl.org/dc/terms/> PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#> PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>
SELECT DISTINCT ?org ?number WHERE {
  ?a tkg:assignedBy/eli:id_local ?number ; tkg:assignee ?o .
  ?o (org:changedBy/org:resultingOrganization)* ?line . ?line dct:identifier ?org }"""


def test_changes_between_dates_compares_each_lineage_with_itself(corpus_25k, graph):
    """Each organisation is compared with its own predecessors, never with another province's Sở."""
    from tttt_kg.graph.export import serialise
    from tttt_kg.queries.catalogue import get, run
    days = {"from": "2006-01-01", "to": "2018-01-01"}

    def answer(store, **params):
        got = run(store, get("changes-between-dates"), {**days, **params})
        return [{v: str(row[v].value) if row.get(v) is not None else "" for v in got.variables} for row in got.rows]

    store = _load(corpus_25k.read_bytes())
    everything = answer(store)
    own = {(r["org"].value, r["number"].value) for r in store.query(LINEAGE_DECISIONS).rows}
    assert len({row["org"] for row in everything}) > 3
    for row in everything:
        for number in (row["fromDecision"], row["toDecision"]):
            assert not number or (row["org"], number) in own, f"{number} compared under {row['org']}"
    # the Sở TTTT's comparison is the same with or without the synthetic provinces around it
    sotttt = [row for row in everything if row["org"] == "so-tttt-hai-duong"]
    assert sotttt and sotttt == answer(_load(serialise(graph, "ntriples")))
    assert [{k: v for k, v in row.items() if k != "org"} for row in sotttt] == answer(store, org="so-tttt-hai-duong")


def _focus_nodes_pyshacl(data: bytes) -> set[str]:
    from rdflib import Graph

    from tttt_kg.graph.validation import validate
    g = Graph(bind_namespaces="none")
    g.parse(data=data, format="nt")
    return {v.focus for v in validate(g)}


def _focus_nodes_sparql(data: bytes, scan_joins: bool) -> set[str]:
    from tttt_kg.graph.shapecheck import check_store
    return {f.focus for f in check_store(_load(data), scan_joins=scan_joins)}


# the checks join a focus node's values by lookups (in memory) or by scans (on disk): both must agree
JOINS = pytest.mark.parametrize("scan_joins", [False, True], ids=["lookups", "scans"])


@JOINS
def test_sparql_shapes_agree_with_pyshacl_on_a_clean_corpus(corpus_25k, validated_corpus, scan_joins):
    import json
    by_pyshacl = {v["focus"] for v in json.loads(validated_corpus.stdout)["violations"]}
    assert _focus_nodes_sparql(corpus_25k.read_bytes(), scan_joins) == set() == by_pyshacl


@pytest.fixture(scope="module")
def broken_corpus(corpus_25k) -> bytes:
    """The corpus broken in the ways the shapes guard against."""
    broken = corpus_25k.read_bytes().decode("utf-8").splitlines(keepends=True)

    def first(*needles):
        return next(i for i, ln in enumerate(broken) if all(n in ln for n in needles))

    # a decision without its number
    del broken[first("/synth/", "eli/ontology#id_local")]
    # an assignment with a second assignee
    i = first("/synth/", "ontology#assignee>")
    broken.append(broken[i].replace("> <https://w3id.org/tttt-kg/ontology#assignee> <", "> <https://w3id.org/tttt-kg/ontology#assignee> <x"))
    # a date that is a plain string
    i = first("/synth/", "purl.org/dc/terms/date>", "XMLSchema#date")
    broken[i] = broken[i].replace("^^<http://www.w3.org/2001/XMLSchema#date>", "")
    # a date that is typed xsd:date but is no date (month 13)
    plain = first("/synth/", "purl.org/dc/terms/date>")   # once: called per line, it took minutes
    i = next(j for j, ln in enumerate(broken) if j != plain
             and "/synth/" in ln and "purl.org/dc/terms/date>" in ln and "XMLSchema#date" in ln)
    broken[i] = broken[i].split('"')[0] + '"2008-13-45"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    # a span that ends before it starts
    i = first("/synth/", "ns/oa#end>")
    broken[i] = broken[i].split('"')[0] + '"0"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .\n'
    # a unit without the decision that lists it
    unit = first("/synth/", "ns/org#unitOf>")
    subject = broken[unit].split(" ")[0]
    broken = [ln for ln in broken if not (ln.startswith(subject + " ") and "ontology#listedIn>" in ln)]
    # a source id that is not a hex SHA-256
    i = first("ontology#sha256>", "/synth/")
    broken[i] = broken[i].rsplit('"', 2)[0] + '"not-a-hash" .\n'
    return "".join(broken).encode("utf-8")


@pytest.fixture(scope="module")
def pyshacl_on_broken_corpus(broken_corpus) -> set[str]:
    """pyshacl's focus nodes on the broken corpus: once for both ways of joining the SPARQL checks."""
    return _focus_nodes_pyshacl(broken_corpus)


@JOINS
def test_sparql_shapes_agree_with_pyshacl_on_broken_data(broken_corpus, pyshacl_on_broken_corpus, scan_joins):
    """Break the corpus in the ways the shapes guard against; both validators must name the same nodes."""
    by_pyshacl, by_sparql = pyshacl_on_broken_corpus, _focus_nodes_sparql(broken_corpus, scan_joins)
    assert len(by_pyshacl) >= 7
    assert by_sparql == by_pyshacl


def test_every_shape_constraint_is_translated():
    """Adding a SHACL feature the translation does not know must fail loudly, not be skipped."""
    from tttt_kg.graph.shapecheck import ShapeCompileError, compile_shapes
    checks = compile_shapes()
    kinds = {c.kind for c in checks}
    assert {"minCount", "maxCount", "datatype", "class", "pattern", "or", "xone", "not", "sparql",
            "languageIn", "uniqueLang"} <= kinds
    with pytest.raises(ShapeCompileError, match="is not translated to SPARQL"):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".ttl", delete=False) as fh:
            fh.write("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .\n"
                     "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ] .\n")
        compile_shapes(fh.name)


def test_synth_into_a_store(cli, tmp_path):
    from tttt_kg.graph.stores.store import open_store
    result = cli("synth", "--size", "10k", "-o", tmp_path / "c.nt", "--store", f"oxigraph:{tmp_path / 'kg'}")
    assert result.exit_code == 0, result.output
    store = open_store(f"oxigraph:{tmp_path / 'kg'}")
    assert len(store) == (tmp_path / "c.nt").read_bytes().count(b"\n")
    assert store.on_disk and not open_store("memory").on_disk   # `check` joins by scans on disk only


@pytest.mark.parametrize("size", ["lots", "-5", "0", "1.5.3k"])
def test_bad_size(cli, size, tmp_path):
    result = cli("synth", "--size", size, "-o", tmp_path / "c.nt")
    assert result.exit_code == 2 and "size" in result.output
    assert not (tmp_path / "c.nt").exists()


def test_output_must_be_ntriples(cli, tmp_path):
    result = cli("synth", "-o", tmp_path / "c.ttl")
    assert result.exit_code == 2 and ".nt" in result.stderr


def test_check_command_on_a_store_and_on_broken_data(cli, corpus_25k, tmp_path):
    store = tmp_path / "kg"
    assert cli("synth", "--size", "10k", "--seed", "7", "-o", tmp_path / "c.nt", "--store", f"oxigraph:{store}").exit_code == 0
    ok = cli("check", "--store", f"oxigraph:{store}")
    assert ok.exit_code == 0 and "conforms" in ok.stdout
    bad = tmp_path / "bad.nt"
    text = corpus_25k.read_text(encoding="utf-8")
    bad.write_text(text.replace('"^^<http://www.w3.org/2001/XMLSchema#date>', '"', 1), encoding="utf-8")
    result = cli("check", "--graph", bad)
    assert result.exit_code == 1
    assert ("xsd:date" in result.stderr or "XMLSchema#date" in result.stderr) and "1 violation(s)" in result.stderr


def test_progress_bar_only_on_a_terminal(tmp_path):
    """On a terminal synth draws a progress bar on stderr; in a pipe it prints only its summary."""
    import os
    import pty
    import subprocess
    import sys
    exe = str(Path(sys.executable).with_name("tttt-kg"))
    master, slave = pty.openpty()
    proc = subprocess.Popen([exe, "synth", "--size", "30k", "-o", str(tmp_path / "a.nt")],
                            stdout=subprocess.DEVNULL, stderr=slave, close_fds=True)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(master)
    assert proc.returncode == 0
    assert b"generating" in seen and b"%" in seen
    piped = subprocess.run([exe, "synth", "--size", "30k", "-o", str(tmp_path / "b.nt")],
                           capture_output=True, timeout=120)
    assert piped.returncode == 0
    assert b"generating" not in piped.stderr and piped.stderr.startswith(b"wrote ")


def test_two_property_shapes_on_one_path_are_checked_apart(tmp_path):
    """Value constraints run grouped per property shape; two shapes on one path must not share a query."""
    from tttt_kg.graph.shapecheck import check_store, compile_shapes
    shapes = tmp_path / "s.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:string ] .
ex:B a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:date ; sh:maxCount 1 ] .
""", encoding="utf-8")
    x, p = "<https://example.org/x>", "<https://example.org/p>"
    data = (f'{x} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/C> .\n'
            f'{x} {p} "5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            f'{x} {p} "2008-01-01" .\n').encode()
    failures = check_store(_load(data), compile_shapes(shapes))
    assert {(f.check.shape.rsplit("/", 1)[-1], f.check.kind) for f in failures} == \
        {("A", "datatype"), ("B", "datatype"), ("B", "maxCount")}


def test_stats_of_a_store_read_only_part_of_it_and_equal_the_file_s(corpus_10k, cli, tmp_path):
    """`stats --store` copies types, labels, dates and the links it follows (fromstore.STATS_QUERIES),
    lists the network's links apart, and counts the rest in the store: the answer must be the whole
    graph's, to the last centrality figure."""
    import json

    import rdflib

    from tttt_kg.graph.stores.store import open_store
    from tttt_kg.viz.fromstore import PROLOGUE, STATS_QUERIES, copy_graph
    store = f"oxigraph:{tmp_path / 'kg'}"
    assert cli("load", corpus_10k, "--store", store).exit_code == 0
    from_store = cli("stats", "-f", "json", "--top", "25", "--store", store)
    from_file = cli("stats", "-f", "json", "--top", "25", "--graph", corpus_10k)
    assert from_store.exit_code == 0, from_store.output
    assert json.loads(from_store.stdout) == json.loads(from_file.stdout)
    assert json.loads(from_file.stdout)["edges"] > 1000
    triples = corpus_10k.read_bytes().count(b"\n")
    copied = copy_graph(open_store(store), [PROLOGUE + q for q in STATS_QUERIES.values()], rdflib.Graph())
    assert len(copied) < 0.4 * triples
