"""Reliability of written files: an export killed mid-way leaves the previous file whole, and
every export format reads back as the same graph in two independent parsers.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from served import TTTT_KG

# export format → (pyoxigraph format, rapper input syntax or None)
FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "ntriples"),
    "nquads": (ox.RdfFormat.N_QUADS, "nquads"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "xml": (ox.RdfFormat.RDF_XML, "rdfxml"),
    "jsonld": (ox.RdfFormat.JSON_LD, None),   # raptor2 has no JSON-LD parser: rdflib's is the second one
}


def canonical(quads_or_triples) -> set[str]:
    """The graph's triples (graph names dropped) with blank nodes canonically renamed."""
    ds = ox.Dataset()
    for q in quads_or_triples:
        ds.add(ox.Quad(q.subject, q.predicate, q.object))
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in ds}


@pytest.fixture(scope="module")
def reference(full_graph) -> set[str]:
    from tttt_kg.graph.export import serialise
    return canonical(ox.parse(serialise(full_graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_round_trips_through_two_parsers(fmt, reference, tmp_path):
    target = tmp_path / f"graph.{fmt}"
    done = subprocess.run([TTTT_KG, "export", "-f", fmt, "-o", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ox_format, rapper_syntax = FORMATS[fmt]
    assert canonical(ox.parse(path=str(target), format=ox_format)) == reference
    if rapper_syntax is None:
        from rdflib import Graph
        g = Graph()
        g.parse(target, format="json-ld")
        second = canonical(ox.parse(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))
    else:
        rapper = shutil.which("rapper")
        assert rapper, "rapper (raptor2-utils) is missing: run ./scripts/install-test-tools.sh"
        out_syntax = "nquads" if rapper_syntax in ("nquads", "trig") else "ntriples"
        parsed = subprocess.run([rapper, "-q", "-i", rapper_syntax, "-o", out_syntax, str(target)],
                                capture_output=True)
        assert parsed.returncode == 0, parsed.stderr.decode()
        second = canonical(ox.parse(parsed.stdout, format=ox.RdfFormat.N_QUADS))
    assert second == reference


def _temp_files(folder: Path, target: Path) -> list[str]:
    return [n for n in os.listdir(folder) if n.startswith(f".{target.name}.") and n.endswith(".tmp")]


# (step the export stops itself at, the target after kill -9 there, a temporary file left?)
KILL_STEPS = [("serialising", "previous", False), ("temp-created", "previous", True),
              ("temp-written", "previous", True), ("replaced", "new", False)]


# export --store streams from the store: it has no serialising step before the file, so that pair is not made
KILL_CASES = [(where, *case) for where in ("--graph", "--store") for case in KILL_STEPS
              if not (where == "--store" and case[0] == "serialising")]


@pytest.mark.parametrize("where,step,holds,temp_left", KILL_CASES, ids=[f"{w}-{s}" for w, s, _, _ in KILL_CASES])
def test_sigkill_at_each_step_of_an_export_leaves_a_whole_file(seed_ntriples, tmp_path, step, holds, temp_left, where):
    """Kill `tttt-kg export -o FILE` with SIGKILL at each step of writing it — the export stops itself
    there (TTTT_KG_TEST_STOP_AT, graph/stop_points.py), so the kill lands exactly, on any machine:
    before the rename FILE still holds the previous export byte for byte, after it the whole new one."""
    if where == "--store":
        store = tmp_path / "store"
        loaded = subprocess.run([TTTT_KG, "load", str(seed_ntriples), "--store", f"oxigraph:{store}"],
                                capture_output=True, text=True)
        assert loaded.returncode == 0, loaded.stderr
        source = ["--store", f"oxigraph:{store}"]
    else:
        source = ["--graph", str(seed_ntriples)]
    target = tmp_path / "graph.ttl"
    previous = "# the previous export\n<http://example.org/a> <http://example.org/b> \"Sở TTTT\" .\n".encode()
    target.write_bytes(previous)
    proc = subprocess.Popen([TTTT_KG, "export", *source, "-f", "turtle", "-o", str(target)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "TTTT_KG_TEST_STOP_AT": step})
    _, status = os.waitpid(proc.pid, os.WUNTRACED)
    if not os.WIFSTOPPED(status):
        pytest.fail(f"the export did not stop at '{step}' (it ended with {os.waitstatus_to_exitcode(status)}): "
                    f"{proc.stderr.read().decode()}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert bool(_temp_files(tmp_path, target)) == temp_left
    if holds == "previous":
        assert target.read_bytes() == previous, f"the previous file was damaged by an export killed at '{step}'"
    else:   # the whole new export: as many triples as it says it has, and as the graph it was made from
        triples = list(ox.parse(path=str(target), format=ox.RdfFormat.TURTLE))
        stated = [t.object.value for t in triples if t.predicate.value == "http://rdfs.org/ns/void#triples"]
        assert stated and int(stated[0]) == len(triples) == len(seed_ntriples.read_text(encoding="utf-8").splitlines())
