"""Every export format round-trips, and the Turtle reads in two independent parsers."""
import shutil
import subprocess

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from tttt_kg.graph.export import FORMATS, serialise


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_is_isomorphic(graph, fmt):
    data = serialise(graph, fmt)
    rdflib_format = {"turtle": "turtle"}.get(fmt, FORMATS[fmt][0])
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=data, format=rdflib_format)
        back = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            back.add((s, p, o))
    else:
        back = Graph().parse(data=data, format=rdflib_format)
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


def test_turtle_parses_in_pyoxigraph(graph):
    triples = list(ox.parse(serialise(graph, "turtle"), format=ox.RdfFormat.TURTLE))
    assert len(set(triples)) == len(graph)


def test_turtle_parses_in_rapper(graph, tmp_path):
    rapper = shutil.which("rapper")
    assert rapper, "rapper (raptor2-utils) is missing: run ./scripts/install-test-tools.sh"
    path = tmp_path / "g.ttl"
    path.write_bytes(serialise(graph, "turtle"))
    proc = subprocess.run([rapper, "-i", "turtle", "-o", "ntriples", str(path)], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = {line for line in proc.stdout.decode("utf-8").splitlines() if line.strip()}
    assert len(lines) == len(graph)
    # rapper's N-Triples read back into rdflib give the same graph
    assert isomorphic(Graph().parse(data="\n".join(lines), format="nt"), graph)


def test_turtle_output_is_stable_between_builds(full_graph):
    from tttt_kg.graph.build import build_graph
    assert serialise(full_graph, "turtle") == serialise(build_graph(), "turtle")   # the session's build, and a new one


def test_jsonld_uses_the_shipped_context(graph):
    import json
    doc = json.loads(serialise(graph, "jsonld"))
    assert doc["@context"]["tkg"] == "https://w3id.org/tttt-kg/ontology#"
    assert doc["@context"]["eli"] == "http://data.europa.eu/eli/ontology#"
