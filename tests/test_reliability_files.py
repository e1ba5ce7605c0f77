"""Reliability of written files: an export killed mid-way leaves the previous file whole, and
every export format reads back as the same graph in two independent parsers.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
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
def reference() -> set[str]:
    from tttt_kg.graph.build import build_graph
    from tttt_kg.graph.export import serialise
    return canonical(ox.parse(serialise(build_graph(), "ntriples"), format=ox.RdfFormat.N_TRIPLES))


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


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory) -> Path:
    """A synthetic graph large enough that an export takes seconds (the seed graph takes less than one)."""
    path = tmp_path_factory.mktemp("big") / "synth.nt"
    done = subprocess.run([TTTT_KG, "synth", "--size", "40k", "-o", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


def _temp_files(folder: Path, target: Path) -> list[str]:
    return [n for n in os.listdir(folder) if n.startswith(f".{target.name}.") and n.endswith(".tmp")]


def test_sigkill_mid_export_leaves_the_previous_file_intact(big_graph, tmp_path):
    """Kill `tttt-kg export -o FILE` with SIGKILL while it works and while its temporary file
    is being written: FILE still holds the previous export, byte for byte."""
    target = tmp_path / "graph.ttl"
    previous = "# the previous export\n<http://example.org/a> <http://example.org/b> \"Sở TTTT\" .\n".encode()
    target.write_bytes(previous)
    args = [TTTT_KG, "export", "--graph", str(big_graph), "-f", "turtle", "-o", str(target)]
    # 1. killed while parsing / serialising
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        if proc.returncode == 0:   # finished before the kill: put the previous file back, try the next
            target.write_bytes(previous)
            continue
        assert proc.returncode == -signal.SIGKILL
        # atomic: the old file, or — if the kill came after the rename, before the process ended — the whole new one
        if target.read_bytes() != previous:
            assert len(list(ox.parse(path=str(target), format=ox.RdfFormat.TURTLE))) > 10_000
            target.write_bytes(previous)
    # 2. killed while the temporary file exists (between its creation and the rename)
    caught = 0
    for _ in range(6):
        for leftover in _temp_files(tmp_path, target):
            (tmp_path / leftover).unlink()
        target.write_bytes(previous)
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if _temp_files(tmp_path, target):
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(30)
        if proc.returncode == -signal.SIGKILL and _temp_files(tmp_path, target):
            caught += 1
            assert target.read_bytes() == previous, "the previous file was damaged by a killed export"
        else:   # the rename won the race: the file must then be the whole new export
            assert len(list(ox.parse(path=str(target), format=ox.RdfFormat.TURTLE))) > 10_000
        if caught >= 2:
            break
    assert caught >= 1, "never caught the export while its temporary file existed"
