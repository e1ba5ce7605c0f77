"""The query page's server side (graph/server/query_page.py): the named queries as editor tabs give the answers
the catalogue gives, the vocabulary offered for autocompletion is the ontology's, the bundle is listed
with its version and licence and goes into the installed package. The page in a browser:
tests/test_query_page_browser.py."""
from __future__ import annotations

import configparser
import hashlib
import re
from pathlib import Path

import pytest

from tttt_kg.graph.server import query_page as qp
from tttt_kg.queries import catalogue as C

ROOT = Path(__file__).resolve().parents[1]
YASGUI = ROOT / "graph" / "server" / "static" / "yasgui"


@pytest.fixture(scope="module")
def store(graph):
    import pyoxigraph as ox

    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.stores.store import OxigraphStore
    s = ox.Store()
    s.load(serialise(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphStore(s)


def _answer(result, variables=None):
    if result.kind == "graph":
        return sorted(str(t) for t in result.triples)
    if result.kind == "boolean":
        return result.boolean
    names = variables or result.variables
    return sorted(tuple(str(row.get(v)) if row.get(v) is not None else "" for v in names) for row in result.rows)


@pytest.mark.parametrize("query", C.load_catalogue(), ids=lambda q: q.id)
def test_a_tab_gives_the_catalogue_answer(query, store):
    """The tab's text, run as it is (parameters written in), answers as the catalogue run with the same
    values bound; the filled-in parameters show in the tab's comment."""
    values = {p.name: qp._value_for(p) for p in query.params if qp._value_for(p) is not None}
    text = qp.tab_text(query, "en")
    expected = C.run(store, query, values)
    got = store.query(text)
    assert got.kind == expected.kind
    assert _answer(got, expected.variables if got.kind == "bindings" else None) == _answer(expected)
    for name in values:
        assert re.search(rf"^#\s+\?{name} = ", text, re.M), f"?{name} is not named in the tab's comment"
        # the variable is gone from the query body: it is written in as a term (or projected AS ?name)
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert not re.search(rf"\?{name}\b(?!\))", body.replace(f"AS ?{name})", "")), body
    if expected.kind == "bindings":
        assert len(expected.rows) > 0 or query.id in ("ceased-at",), "a default that answers nothing tests little"


def test_tabs_carry_the_title_in_the_page_language_and_the_question():
    for lang in ("vi", "en"):
        cfg = qp.page_config(lang)
        by_id = {t["id"]: t for t in cfg["tabs"]}
        assert len(by_id) == len(C.load_catalogue())
        mandate = by_id["q-mandate-at"]
        assert mandate["name"] == C.get("mandate-at").title[lang]
        assert "# question: On a given day" in mandate["query"]
        assert '("2010-01-01"^^xsd:date AS ?at)' in mandate["query"]


def test_autocompletion_offers_the_ontology_terms():
    terms = qp.ontology_terms()
    tkg = "https://w3id.org/tttt-kg/ontology#"
    assert tkg + "AdministrativeDecision" in terms["classes"]
    assert "http://data.europa.eu/eli/ontology#LegalResource" in terms["classes"]
    assert tkg + "assignedBy" in terms["properties"]
    assert "http://data.europa.eu/eli/ontology#id_local" in terms["properties"]
    assert not set(terms["classes"]) & set(terms["properties"])


def test_the_project_prefixes_are_offered():
    from tttt_kg.graph.namespaces import PREFIXES
    cfg = qp.page_config("vi")
    assert cfg["prefixes"] == {p: str(ns) for p, ns in PREFIXES.items()}
    for p in ("eli", "org", "tkg", "fn", "id"):
        assert f"PREFIX {p}: <" in cfg["defaultQuery"]


def test_the_bundle_is_listed_with_version_hashes_and_licences():
    versions = (YASGUI / "VERSIONS").read_text()
    assert re.search(r"^package @zazuko/yasgui \d+\.\d+\.\d+ MIT$", versions, re.M)
    for name in ("yasgui.min.js", "yasgui.min.css"):
        digest = hashlib.sha256((YASGUI / name).read_bytes()).hexdigest()
        assert f"file {name} sha256 {digest}" in versions, f"{name} changed since scripts/refresh-yasgui.sh"
    assert "MIT License" in (YASGUI / "LICENSE").read_text()
    third = (YASGUI / "THIRD-PARTY-LICENSES.txt").read_text()
    for dep in ("codemirror", "dompurify", "datatables.net", "jquery"):
        assert f"==== {dep} " in third
    assert "sourceMappingURL" not in (YASGUI / "yasgui.min.js").read_text(encoding="utf-8")[-300:]


def test_the_bundle_goes_into_the_installed_package():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    data = cfg["options.package_data"]["tttt_kg.graph.server"]
    patterns = [p.strip() for p in data.split(",")]
    server = ROOT / "graph" / "server"
    shipped = {f.relative_to(server).as_posix() for f in (server / "static").rglob("*") if f.is_file()}
    import fnmatch
    missing = [f for f in shipped if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert not missing, f"not in setup.cfg package_data: {missing}"
