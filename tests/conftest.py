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
    """The seed-only graph (`build --source seed`): most tests assert the seed's facts and counts.
    The 2019–2025 page-sourced statements are tested on ``full_graph``."""
    from tttt_kg.graph.build import build_graph
    return build_graph(sources=("seed",))


@pytest.fixture(scope="session")
def full_graph():
    """The default build: the seed and the 2019–2025 fact sheet's page-sourced records."""
    from tttt_kg.graph.build import build_graph
    return build_graph()


@pytest.fixture(scope="session")
def seed_violations(graph):
    """pyshacl's verdict (`validate`) on the seed graph as built: seconds a run, so run once per test process
    and shared by the tests that read it."""
    from tttt_kg.graph.validation import validate
    return validate(graph)


@pytest.fixture(scope="session")
def full_violations(full_graph):
    """As ``seed_violations``, on the full graph."""
    from tttt_kg.graph.validation import validate
    return validate(full_graph)


@pytest.fixture(scope="session")
def sparql_shapes():
    """The shapes as SPARQL on Oxigraph (graph/shapecheck.py, what `build` and `check` run): a function
    ``(g, remove=(), add=())`` returning the failures of the graph ``g`` with the triples matching the
    ``remove`` patterns taken out and the ``add`` triples put in (``g`` itself is left as it is; the edit is
    made on its N-Triples, which is cheaper than copying an rdflib graph). About a second a graph, where
    pyshacl takes many: the tests of what the shapes catch run it per case, and pyshacl once per area on
    all the cases at once."""
    import pyoxigraph as ox
    from rdflib import Graph

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.shapecheck import check_store, compile_shapes
    from tttt_kg.graph.stores.store import OxigraphStore
    checks = compile_shapes()

    def lines(g) -> set[bytes]:
        return set(serialise(g, "ntriples").split(b"\n")) - {b""}

    def run(g, remove=(), add=()):
        gone, new = Graph(), Graph()
        for pattern in remove:
            for t in g.triples(pattern):
                gone.add(t)
        for t in add:
            new.add(t)
        data = (lines(g) - lines(gone)) | lines(new)
        store = ox.Store()
        store.load(b"\n".join(sorted(data)) + b"\n", format=ox.RdfFormat.N_TRIPLES)
        return check_store(OxigraphStore(store), checks)
    return run


def _asker(g):
    from tttt_kg.graph.namespaces import sparql_prologue

    def run(query: str):
        return [tuple(None if v is None else str(v) for v in row) for row in g.query(sparql_prologue() + query)]
    return run


@pytest.fixture(scope="session")
def ask(graph):
    """Run a SPARQL SELECT on the seed graph (rdflib) with the project's prefixes; rows as tuples of str."""
    return _asker(graph)


@pytest.fixture(scope="session")
def full_ask(full_graph):
    """As ``ask``, on the full graph."""
    return _asker(full_graph)


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


@pytest.fixture(autouse=True)
def no_query_left_running():
    """A test must not leave a timed-out query running in its process: Oxigraph cannot cancel one, so
    the thread would keep a CPU busy for the rest of the run (it once cost a full run 7 min of CPU)."""
    yield
    import threading
    left = [t for t in threading.enumerate() if t.name == "tttt-kg-query" and t.is_alive()]
    assert not left, ("a query that timed out still runs in the test process; run timed queries in a "
                      "subprocess (see test_queries.py::test_a_slow_query_is_stopped)")


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


# ---- hypothesis: the same examples on every run, unless exploring ------------------------------
# Loaded by default (so CI and `pytest` replay a fixed seed): derandomize, no example database.
# An exploratory run draws new examples and keeps the failing ones: --hypothesis-profile=explore.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("deterministic", derandomize=True, database=None)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile("deterministic")


# ---- the slow marker: `pytest -m "not slow"` is the quick loop ---------------------------------
# tests/slow_tests.txt names the slow tests (a module, or a test id prefix, one a line), measured
# with `pytest --durations=0` (how: its header). Marked here, so no test file has to carry it.
SLOW_LIST = Path(__file__).with_name("slow_tests.txt")


def _slow_prefixes() -> tuple[str, ...]:
    lines = SLOW_LIST.read_text(encoding="utf-8").splitlines() if SLOW_LIST.is_file() else []
    return tuple(line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip())


def pytest_collection_modifyitems(config, items):
    prefixes = _slow_prefixes()
    for item in items:
        nodeid = item.nodeid
        if any(nodeid == p or nodeid.startswith(p + "::") or nodeid.startswith(p + "[") for p in prefixes):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by playwright (tttt_kg.viz.browser): one per test module."""
    from tttt_kg.viz.browser import Chromium
    chromium = Chromium()
    try:
        yield chromium.start()
    finally:
        chromium.stop()


# ---- the project's bytecode, compiled once for the ~600 processes a run starts ------------------
# Where PYTHONDONTWRITEBYTECODE is set (it is on this machine), Python never writes __pycache__, and
# an editable install leaves the project's modules uncompiled: every `tttt-kg` process the tests start
# compiled them from source again (60 ms of a `build`; test_reliability's 142 processes took 9-24 %
# more CPU). The controller compiles them once; a stale .pyc is never used (its source's mtime is in it).
PACKAGE_DIRS = ("graph", "scripts", "queries", "viz", "ontology", "tttt_kg")


def pytest_configure(config):
    import os
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return                      # the controller did it before starting the workers
    import compileall
    for folder in PACKAGE_DIRS:
        compileall.compile_dir(REPO / folder, quiet=1)
