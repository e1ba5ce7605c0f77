"""The query page (`/`, YASGUI served offline) in a real browser against a real `tttt-kg serve`.

Debian's headless Chromium (tttt_kg.viz.browser: --no-sandbox, background networking off), driven by
playwright. The server reads a graph of the seed plus one organisation whose label is markup, so
that the results table has to show it as text. Every request the page makes goes through
``page.route``: one for another host than 127.0.0.1 is recorded and refused.
"""
from __future__ import annotations

import json
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from served import running_server
from tttt_kg.graph.namespaces import ID, ORG

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
from screenshot_query_page import shoot  # noqa: E402

XSS_ORG = ID["org/xss-probe"]
XSS_LABEL = "<img src=x onerror=\"window.__xss='img'\"><script>window.__xss='script'</script>"
CSP_PROBE = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture(scope="module")
def server(graph, tmp_path_factory):
    from tttt_kg.graph.export import serialise
    g = type(graph)()
    for t in graph:
        g.add(t)
    g.add((XSS_ORG, RDF.type, ORG.Organization))
    g.add((XSS_ORG, RDFS.label, Literal(XSS_LABEL, lang="vi")))
    path = tmp_path_factory.mktemp("qp") / "graph.nt"
    text = serialise(g, "ntriples")
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with running_server("--graph", str(path), "--workers", "2") as (base, _):
        yield base


@pytest.fixture
def opened(browser, server):
    """open(path, js=True) -> (page, record): record['outside'] lists requests to other hosts (refused),
    record['errors'] console errors and page errors."""
    contexts = []

    def open_(path="/?lang=en", js=True):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, java_script_enabled=js)
        contexts.append(context)
        context.add_init_script(CSP_PROBE)
        record = {"outside": [], "local": [], "errors": []}

        def route(r):
            host = urllib.parse.urlsplit(r.request.url).hostname
            if r.request.url.startswith(("data:", "about:", "blob:")):
                return r.continue_()
            if host != "127.0.0.1":
                record["outside"].append(r.request.url)
                return r.abort()
            record["local"].append(r.request.method + " " + urllib.parse.urlsplit(r.request.url).path)
            return r.continue_()
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: record["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: record["errors"].append(str(e)))
        page.goto(server + path)
        if js:
            page.wait_for_selector("html.yasgui-ready", timeout=30000)
        return page, record
    yield open_
    for context in contexts:
        context.close()


def sparql_json(base: str, query: str) -> dict:
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(base + "/sparql", data=data, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def run_in_editor(page, text: str | None = None) -> None:
    """Type ``text`` into the active tab's editor (if given) and run it with Ctrl+Enter."""
    tab = page.evaluate("tkgQueryPage.yasgui.getTab().getId()")
    page.click(f"[id='{tab}'] .CodeMirror")
    if text is not None:
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(text)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f"[id='{tab}'] .yasr table.dataTable tbody td, [id='{tab}'] .yasr .errorResult", timeout=30000)


def table(page) -> list[list[str]]:
    tab = page.evaluate("tkgQueryPage.yasgui.getTab().getId()")
    return page.eval_on_selector_all(f"[id='{tab}'] .yasr table.dataTable tbody tr",
                                     "rows => rows.map(r => [...r.querySelectorAll('td')].slice(1).map(c => c.textContent))")


def test_typed_query_runs_with_ctrl_enter_and_the_table_holds_the_answer(opened, server):
    page, record = opened()
    run_in_editor(page, "SELECT ?number ?date WHERE { ?d a tkg:AdministrativeDecision ; "
                        "eli:id_local ?number ; eli:date_document ?date } ORDER BY ?date")
    expected = sparql_json(server, "PREFIX tkg: <https://w3id.org/tttt-kg/ontology#> "
                                   "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                                   "SELECT ?number ?date WHERE { ?d a tkg:AdministrativeDecision ; "
                                   "eli:id_local ?number ; eli:date_document ?date } ORDER BY ?date")
    numbers = [b["number"]["value"] for b in expected["results"]["bindings"]]
    assert len(numbers) >= 3
    rows = table(page)
    assert [r[0].strip('"') for r in rows] == numbers
    assert all("xsd:date" in r[1] for r in rows)
    assert "POST /sparql" in record["local"]
    assert record["outside"] == [] and record["errors"] == [] and page.evaluate("window.__csp") == []


def test_nothing_leaves_127_0_0_1_while_the_page_is_used(opened):
    page, record = opened()
    names = page.eval_on_selector_all(".tabsList .tab a[aria-controls]", "as => as.map(a => a.getAttribute('aria-controls'))")
    assert "q-mandate-at" in names and "q-source-passage" in names and len(names) >= 20
    # every named-query tab opens; one runs as it is, parameters filled in
    for tab in names:
        page.click(f".tabsList a[aria-controls='{tab}']")
        assert page.evaluate("tkgQueryPage.yasgui.getTab().getId()") == tab
    page.click(".tabsList a[aria-controls='q-function-history']")
    run_in_editor(page)
    assert len(table(page)) > 3
    # a graph IRI in the table opens its DESCRIBE (or resource view) in a new tab, a citation its passage
    link = page.locator("a.tkg-describe:visible, a.tkg-resource:visible").first
    href = link.get_attribute("href")
    assert href.startswith("/sparql?format=turtle&query=DESCRIBE") or href.startswith("/id/")
    # the results views: the raw response
    page.click(".yasr_btn.select_response:visible")
    page.wait_for_selector(".CodeMirror:visible >> text=results", timeout=10000)
    page.click(".yasr_btn.select_table:visible")
    # autocompletion of classes and properties from the ontology, in a new tab
    page.click(".tabsList .addTab")
    tab = page.evaluate("tkgQueryPage.yasgui.getTab().getId()")
    page.click(f"[id='{tab}'] .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>\nSELECT * WHERE { ?x a tkg:Adm")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li", timeout=10000)
    assert "tkg:AdministrativeDecision" in page.eval_on_selector_all(".CodeMirror-hints li", "ls => ls.map(l => l.textContent)")
    page.keyboard.press("Enter")
    page.keyboard.type(" ; tkg:assig")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li", timeout=10000)
    assert "tkg:assignedBy" in page.eval_on_selector_all(".CodeMirror-hints li", "ls => ls.map(l => l.textContent)")
    page.keyboard.press("Escape")
    # a citation: the source-passage tab lists spans; clicking one opens its passage
    page.click(".tabsList a[aria-controls='q-source-passage']")
    run_in_editor(page, "PREFIX prov: <http://www.w3.org/ns/prov#>\nSELECT ?node ?span WHERE { ?node prov:wasDerivedFrom ?span } LIMIT 5")
    cite = page.locator("a.tkg-cite:visible").first
    assert "/queries/source-passage/run" in cite.get_attribute("href")
    cite.click()
    page.wait_for_function("tkgQueryPage.yasgui.getTab().getName().indexOf('cite') === 0")
    tab = page.evaluate("tkgQueryPage.yasgui.getTab().getId()")
    page.wait_for_selector(f"[id='{tab}'] .yasr table.dataTable tbody td", timeout=30000)
    assert any(r and r[2].strip('"').split('"')[0].isdigit() for r in table(page))   # ?start
    page.reload()
    page.wait_for_selector("html.yasgui-ready", timeout=30000)
    assert record["outside"] == [], f"requests left 127.0.0.1: {record['outside']}"
    assert record["errors"] == [] and page.evaluate("window.__csp") == []
    assert any(r.startswith("POST /sparql") for r in record["local"])


def test_a_label_with_markup_shows_as_text(opened):
    page, record = opened()
    run_in_editor(page, f"SELECT ?o ?label WHERE {{ BIND(<{XSS_ORG}> AS ?o) ?o rdfs:label ?label }}")
    rows = table(page)
    assert len(rows) == 1 and XSS_LABEL in rows[0][1]
    tab = page.evaluate("tkgQueryPage.yasgui.getTab().getId()")
    assert page.eval_on_selector_all(f"[id='{tab}'] .yasr table img, [id='{tab}'] .yasr table script", "els => els.length") == 0
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert record["outside"] == [] and record["errors"] == []


def test_iri_links_lead_to_describe_or_the_resource_view(opened, server):
    page, _ = opened()
    run_in_editor(page, "SELECT ?o WHERE { ?o dct:identifier \"so-tttt-hai-duong\" }")
    link = page.locator("a.tkg-describe:visible, a.tkg-resource:visible").first
    iri = link.get_attribute("data-iri")
    assert iri == str(ID["org/so-tttt-hai-duong"])
    with urllib.request.urlopen(server + link.get_attribute("href"), timeout=30) as r:
        assert r.status == 200 and iri.rsplit("/", 1)[1] in r.read().decode("utf-8")
    if "tkg-describe" in link.get_attribute("class"):   # in the page: a DESCRIBE tab, run
        link.click()
        page.wait_for_function("tkgQueryPage.yasgui.getTab().getName().indexOf('DESCRIBE') === 0")
        tab = page.evaluate("tkgQueryPage.yasgui.getTab().getId()")
        page.wait_for_selector(f"[id='{tab}'] .yasr table.dataTable tbody td", timeout=30000)


def test_csp_is_strict(server):
    with urllib.request.urlopen(server + "/", timeout=30) as r:
        csp = r.headers["Content-Security-Policy"]
        page = r.read().decode("utf-8")
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert "unsafe" not in csp and "http" not in csp and "*" not in csp
    assert "<script>" not in page and " style=" not in page   # no inline script or style attribute
    for src in ("/static/query-page/yasgui/yasgui.min.js", "/static/query-page/query-page.js"):
        assert f'<script src="{src}"' in page
        with urllib.request.urlopen(server + src, timeout=30) as r:
            assert r.status == 200 and "javascript" in r.headers["Content-Type"]


def test_the_plain_form_works_without_javascript(opened, server):
    page, record = opened("/?lang=vi", js=False)
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("textarea[name=query]", "SELECT ?n WHERE { VALUES ?n { 7 } }")
    page.select_option("select[name=format]", "csv")
    with page.expect_download() as download:   # the answer opens as a file, as the page says
        page.click("button[type=submit]")
    assert download.value.url.endswith("/sparql")
    assert Path(download.value.path()).read_text(encoding="utf-8").replace("\r\n", "\n") == "n\n7\n"
    assert record["outside"] == []


def test_screenshot_for_the_docs(browser, server, tmp_path):
    """docs/query-page.png is made by docs/screenshot_query_page.py; here its `shoot` runs for real."""
    out = shoot(browser, server, tmp_path / "query-page.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30000
    assert (Path(__file__).resolve().parents[1] / "docs" / "query-page.png").is_file()
