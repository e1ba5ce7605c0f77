"""Shared fixtures: the seed text (from ../shared, as in CI), the built graph, a CLI runner."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_DIR = REPO.parent / "shared" / "seed"
SEED = SEED_DIR / "de-cuong-15-nam-so-tttt-hai-duong-2019.txt"
RECORDS = REPO / "graph" / "records"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(f"the seed text is not at {SEED}: these tests need ../shared next to the repository (CI has it)")
    return SEED


@pytest.fixture(scope="session")
def graph():
    from tttt_kg.graph.build import build_graph
    return build_graph()


@pytest.fixture(scope="session")
def ask(graph):
    """Run a SPARQL SELECT on the built graph (rdflib) with the project's prefixes; rows as tuples of str."""
    from tttt_kg.graph.namespaces import sparql_prologue

    def run(query: str):
        return [tuple(None if v is None else str(v) for v in row) for row in graph.query(sparql_prologue() + query)]
    return run


@pytest.fixture(scope="session")
def seed_ntriples(tmp_path_factory) -> Path:
    """The seed graph built once by the real `tttt-kg build`, as N-Triples; read-only for the tests."""
    import subprocess
    import sys
    path = tmp_path_factory.mktemp("kg") / "tttt-kg.nt"
    done = subprocess.run([str(Path(sys.executable).with_name("tttt-kg")), "build", "--no-validate", "-f", "ntriples",
                           "-o", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def records_copy(tmp_path) -> Path:
    """A writable copy of the records, to break on purpose."""
    target = tmp_path / "records"
    shutil.copytree(RECORDS, target)
    return target


@pytest.fixture
def cli():
    """Invoke `tttt-kg` in-process; returns click's Result (exit_code, output, stderr)."""
    from click.testing import CliRunner

    from tttt_kg.cli import main

    def run(*args, **kwargs):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)
    return run
