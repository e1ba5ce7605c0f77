"""The dataset describes itself (issue 17, §4): VoID and DCAT in the graph and so in every export,
a true triple count, the sources with their SHA-256, the named queries in a catalogue; the
licence and citation files; /.well-known/void when served."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from tttt_kg.cli import main
from tttt_kg.graph.description import CATALOGUE, DATA_LICENCE, DATASET, DCAT, recount
from tttt_kg.graph.namespaces import SH, TKG, VOID

REPO = Path(__file__).resolve().parent.parent
SHEET = REPO.parent / "shared" / "sources" / "2019-2025-facts.md"
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "jsonld": "json-ld",
                  "trig": "trig", "xml": "xml"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def parsed(data: bytes, fmt: str) -> Graph:
    """The triples of an export, whatever graph of a dataset format they sit in."""
    if fmt in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(data=data, format=RDFLIB_FORMATS[fmt])
        g = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])


def assert_described(g: Graph, where: str) -> None:
    assert (DATASET, RDF.type, VOID.Dataset) in g and (DATASET, RDF.type, DCAT.Dataset) in g, where
    titles = {t.language: str(t) for t in g.objects(DATASET, DCTERMS.title)}
    assert set(titles) == {"vi", "en"} and all(titles.values()), where
    assert list(g.objects(DATASET, DCTERMS.license)) == [DATA_LICENCE], where
    sources = list(g.objects(DATASET, DCTERMS.source))
    assert sources and all(len(str(g.value(s, TKG.sha256))) == 64 for s in sources), where
    counts = list(g.objects(DATASET, VOID.triples))
    assert len(counts) == 1, where
    assert int(counts[0]) == len(g), f"{where}: void:triples {counts[0]} but {len(g)} triples"


# ---- the built graph --------------------------------------------------------------------

@pytest.mark.parametrize("which", ["graph", "full_graph"])
def test_the_build_describes_itself_with_a_true_count(which, request):
    g = request.getfixturevalue(which)
    assert_described(g, which)
    # the count is of everything, this description included: take it out and the rest is one less each
    described = set(g.predicate_objects(DATASET))
    assert len(described) > 15 and int(g.value(DATASET, VOID.triples)) == len(g)


def test_the_sources_hashes_are_those_of_the_files(full_graph, seed_path):
    hashes = {str(full_graph.value(s, TKG.fileName)): str(full_graph.value(s, TKG.sha256))
              for s in full_graph.objects(DATASET, DCTERMS.source)}
    assert hashes[seed_path.name] == hashlib.sha256(seed_path.read_bytes()).hexdigest()
    assert set(hashes) == {seed_path.name, SHEET.name}
    if SHEET.is_file():
        assert hashes[SHEET.name] == hashlib.sha256(SHEET.read_bytes()).hexdigest()


def test_every_named_query_is_in_the_catalogue(graph):
    from tttt_kg.queries.catalogue import QUERY_BASE, load_catalogue
    listed = set(graph.objects(CATALOGUE, DCAT.resource))
    assert listed == {URIRef(QUERY_BASE + q.id) for q in load_catalogue()}
    assert all((q, RDF.type, SH.SPARQLExecutable) in graph for q in listed)
    assert (CATALOGUE, DCAT.dataset, DATASET) in graph


def test_each_export_format_is_a_distribution_with_its_media_type(graph):
    from tttt_kg.graph.export import FORMATS
    from tttt_kg.graph.description import IANA
    media = {str(graph.value(d, DCAT.mediaType)).removeprefix(IANA) for d in graph.objects(DATASET, DCAT.distribution)}
    assert media == {m for _, _, m in FORMATS.values()}


# ---- every export carries it ------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(RDFLIB_FORMATS))
def test_every_export_format_carries_the_description_and_a_true_count(fmt, tmp_path):
    out = tmp_path / f"kg.{fmt}"
    result = run("export", "-f", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    assert_described(parsed(out.read_bytes(), fmt), f"export -f {fmt}")


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "kg"
    result = run("build", "--no-validate", "--store", f"oxigraph:{path}")
    assert result.exit_code == 0, result.output
    return f"oxigraph:{path}"


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "xml"])
def test_every_store_export_carries_the_description_and_a_true_count(built_store, fmt, tmp_path):
    out = tmp_path / f"kg.{fmt}"
    result = run("export", "--store", built_store, "-f", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    assert_described(parsed(out.read_bytes(), fmt), f"export --store -f {fmt}")


@pytest.mark.parametrize("narrowing", [["--source", "seed"], ["--min-certainty", "stated"]])
def test_a_narrowed_export_counts_what_it_holds(narrowing, tmp_path):
    out = tmp_path / "kg.nt"
    result = run("export", "-f", "ntriples", *narrowing, "-o", out)
    assert result.exit_code == 0, result.output
    g = parsed(out.read_bytes(), "ntriples")
    assert int(g.value(DATASET, VOID.triples)) == len(g)


def test_a_narrowed_store_counts_what_it_holds(built_store):
    from tttt_kg.graph.narrowing import narrow_store
    from tttt_kg.graph.stores.store import open_store
    kept = narrow_store(open_store(built_store), min_certainty="stated")
    n = kept.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]
    stated = kept.query("SELECT ?n WHERE { <https://w3id.org/tttt-kg/id/dataset> "
                        "<http://rdfs.org/ns/void#triples> ?n }").rows
    assert len(stated) == 1 and int(stated[0]["n"].value) == int(n.value)


def test_a_synthetic_corpus_counts_its_own_triples(seed_ntriples):
    import io

    from tttt_kg.graph.stores.synth import generate
    out = io.StringIO()
    n = generate(out, 12_000, 7, seed_ntriples.read_bytes())
    g = Graph().parse(data=out.getvalue(), format="nt")
    assert n == len(g) == int(g.value(DATASET, VOID.triples))


def test_recount_leaves_a_graph_without_a_description_alone():
    g = Graph()
    g.add((URIRef("urn:x"), RDF.type, URIRef("urn:y")))
    assert len(recount(g)) == 1


# ---- the shapes check it ----------------------------------------------------------------

def _broken(graph, edit) -> Graph:
    g = Graph(bind_namespaces="none")
    for t in graph:
        g.add(t)
    edit(g)
    return g


BREAKS = {
    "a wrong count": lambda g: g.set((DATASET, VOID.triples, Literal(len(g) + 5, datatype=XSD.integer))),
    "no licence": lambda g: (g.remove((DATASET, DCTERMS.license, None)), recount(g)),
    "a source without its hash": lambda g: (g.remove((g.value(DATASET, DCTERMS.source), TKG.sha256, None)), recount(g)),
    "a query left out of the catalogue": lambda g: (g.remove((CATALOGUE, DCAT.resource, g.value(CATALOGUE, DCAT.resource))),
                                                    recount(g)),
}


DESCRIPTION_SHAPES = ("Dataset", "Catalogue", "Distribution")


@pytest.fixture(scope="module")
def description_shapes(tmp_path_factory) -> Path:
    """The shapes of ontology/shapes.ttl that check the description, alone (pyshacl on all of them takes
    half a minute a run): each node shape with everything reachable from it (property shapes, lists)."""
    from tttt_kg.ontology import SHAPES
    every = Graph().parse(SHAPES, format="turtle")
    shapes = Graph()
    todo = [URIRef("https://w3id.org/tttt-kg/shapes#" + name) for name in DESCRIPTION_SHAPES]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in every.predicate_objects(node):
            shapes.add((node, p, o))
            if not isinstance(o, Literal):
                todo.append(o)
    path = tmp_path_factory.mktemp("shapes") / "description.ttl"
    shapes.serialize(path, format="turtle")
    return path


@pytest.mark.parametrize("what", list(BREAKS))
def test_the_shapes_catch_a_broken_description_in_pyshacl_and_sparql(graph, description_shapes, what):
    import pyshacl

    from tttt_kg.graph.shapecheck import check_store, compile_shapes
    assert not {f.focus for f in check_store(_store(graph), compile_shapes(description_shapes))}
    g = _broken(graph, BREAKS[what])
    shapes = Graph().parse(description_shapes, format="turtle")
    _, report, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    by_pyshacl = {str(f) for f in report.objects(None, SH.focusNode)}
    by_sparql = {f.focus for f in check_store(_store(g), compile_shapes(description_shapes))}
    assert by_pyshacl == by_sparql and by_pyshacl & {str(DATASET), str(CATALOGUE)}, (by_pyshacl, by_sparql)


def _store(g):
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore
    store = ox.Store()
    store.load(serialise(g, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphStore(store)


# ---- served -----------------------------------------------------------------------------

def test_serve_answers_well_known_void_with_its_sparql_endpoint(seed_ntriples):
    sys.path.insert(0, str(Path(__file__).parent))
    from served import running_server
    with running_server("--graph", str(seed_ntriples)) as (base, _):
        with urllib.request.urlopen(base + "/.well-known/void", timeout=30) as r:
            assert r.headers["Content-Type"].startswith("text/turtle")
            g = Graph().parse(data=r.read(), format="turtle")
        req = urllib.request.Request(base + "/.well-known/void", headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert len(Graph().parse(data=r.read(), format="nt")) == len(g)
    assert g.value(DATASET, VOID.sparqlEndpoint) == URIRef(base + "/sparql")
    service = g.value(None, DCAT.servesDataset, DATASET)
    assert g.value(service, DCAT.endpointURL) == URIRef(base + "/sparql")
    whole = Graph().parse(seed_ntriples, format="nt")
    assert g.value(DATASET, VOID.triples) == whole.value(DATASET, VOID.triples)
    assert set(g.objects(CATALOGUE, DCAT.resource)) == set(whole.objects(CATALOGUE, DCAT.resource))


# ---- licence and citation ---------------------------------------------------------------

def test_licence_files_agree_with_setup_cfg_and_the_graph(graph):
    import configparser
    cfg = configparser.ConfigParser()
    cfg.read(REPO / "setup.cfg")
    assert cfg["metadata"]["license"] == "MIT"
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "CC BY 4.0" in (REPO / "LICENSE").read_text(encoding="utf-8")
    note = (REPO / "docs" / "licence.md").read_text(encoding="utf-8")
    assert str(DATA_LICENCE) in note and "no rights" in note
    assert graph.value(DATASET, DCTERMS.license) == DATA_LICENCE


# what CFF 1.2.0's schema requires at the top level and of each author and identifier
CFF_REQUIRED = {"cff-version", "message", "title", "authors"}


def test_citation_cff_is_valid_cff_1_2_0(seed_path):
    path = REPO / "CITATION.cff"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert CFF_REQUIRED <= set(data) and data["cff-version"] == "1.2.0"
    assert data["authors"] and all(("name" in a) or ("family-names" in a) for a in data["authors"])
    assert set(data["license"]) == {"MIT", "CC-BY-4.0"}
    assert hashlib.sha256(seed_path.read_bytes()).hexdigest() in data["references"][0]["notes"]
    cffconvert = Path(sys.executable).with_name("cffconvert")
    assert cffconvert.exists(), "cffconvert is missing: pip install -e '.[test]' installs it"
    done = subprocess.run([str(cffconvert), "--validate", "-i", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
