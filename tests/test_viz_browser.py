"""The views in a real browser: Debian's chromium, headless, driven by playwright over CDP.

Each page must load from file:// with no console error and no request leaving file://,
hold the expected nodes in its own data set, draw something, search tolerantly, filter by
class, and show planted HTML/JavaScript in labels as text without running it.
The browser is started and stopped by PID (tttt_kg.viz.browser).
"""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from tttt_kg.graph.namespaces import ELI, ID, OA, TKG
from tttt_kg.graph.vietnamese import search_key
from tttt_kg.viz import describe, views
from tttt_kg.viz.browser import open_page, wait_ready
from tttt_kg.viz.site import ALL_VIEWS, FILE_NAMES, write_site

HIDDEN = " ".join(f"<{t}>" for t in (OA.SpecificResource, OA.TextPositionSelector, OWL.Class, OWL.ObjectProperty,
                                     OWL.DatatypeProperty, OWL.FunctionalProperty, OWL.Ontology, RDF.Property))
PAYLOADS = {
    "script": "<script>window.__xss='script'</script>",
    "img": "<img src=x onerror=\"window.__xss='img'\">",
    "link": "javascript:window.__xss='link'",
}


@pytest.fixture(scope="module")
def site(graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    write_site(graph, out)
    return out


@pytest.fixture
def opened(browser):
    pages = []

    def go(path):
        page, record = open_page(browser, path.resolve().as_uri())
        pages.append(page)
        return page, record
    yield go
    for page in pages:
        page.context.close()


def expected_nodes(graph, view: str) -> int:
    """The number of nodes a view must hold, counted from the graph itself."""
    if view == "explorer":
        q = f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
                ?s a ?t . FILTER NOT EXISTS {{ ?s a ?hidden . VALUES ?hidden {{ {HIDDEN} }} }} }}"""
    elif view == "mandate":
        q = """PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>
               SELECT (COUNT(DISTINCT ?n) AS ?n) WHERE {
                 { ?x tkg:function ?n } UNION { ?a tkg:assignedBy ?n } UNION { ?t tkg:transferredBy ?n }
                 UNION { ?t tkg:transferredFrom ?n } }"""
    else:   # lineage, decisions: counted by SPARQL, not by the view code under test
        q = VIEW_NODES[view]
    return int(next(iter(graph.query(q)))[0])


# What the lineage and decisions views draw, as the README and viz/views.py's docstrings say, in SPARQL
VIEW_NODES = {
    # the bodies a change event or a transfer joins, every unit and the body it is a unit of
    "lineage": """PREFIX org: <http://www.w3.org/ns/org#> PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>
        SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {
          { ?e a org:ChangeEvent . ?e org:originalOrganization|org:resultingOrganization ?n }
          UNION { ?t a tkg:FunctionTransfer ; tkg:transferredFrom ?n ; tkg:transferredTo ?x }
          UNION { ?t a tkg:FunctionTransfer ; tkg:transferredTo ?n ; tkg:transferredFrom ?x }
          UNION { ?n a org:OrganizationalUnit } UNION { ?u a org:OrganizationalUnit ; org:unitOf ?n } }""",
    # every document, who passed it, what it regulates, its subjects; the bodies its transfers and
    # the changes it frames lead to
    "decisions": """PREFIX org: <http://www.w3.org/ns/org#> PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX m8g: <http://data.europa.eu/m8g/>
        SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {
          { ?n a eli:LegalResource }
          UNION { ?d a eli:LegalResource . ?d eli:passed_by|tkg:regulates|dct:subject ?n }
          UNION { ?d a eli:LegalResource . ?t a tkg:FunctionTransfer ; tkg:transferredBy ?d .
                  ?t tkg:transferredFrom|tkg:transferredTo ?n }
          UNION { ?d a eli:LegalResource . ?e a org:ChangeEvent ; m8g:hasFormalFramework ?d ;
                  org:resultingOrganization ?n } }""",
}


@pytest.mark.parametrize("view", ["lineage", "decisions"])
def test_the_view_code_draws_the_nodes_sparql_counts(graph, view):
    """The view modules themselves against the independent count (no browser needed)."""
    assert views.VIEWS[view](graph, "vi").number_of_nodes() == expected_nodes(graph, view)


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_loads_offline_holds_its_nodes_and_draws(view, site, graph, opened):
    page, record = opened(site / FILE_NAMES[view])
    wait_ready(page)
    count = page.evaluate("window.tkgView.nodes.length")
    assert count == expected_nodes(graph, view)
    drawn = page.evaluate("window.tkgView.nodes.get({filter: n => !n.hidden}).length")
    assert page.evaluate("window.tkgView.network.body.nodeIndices.length") == drawn
    # every node, but the explorer's first frame (whole classes, test_viz_layout_browser.py)
    assert drawn == count if view != "explorer" else 20 < drawn < count
    # the canvas is not blank: many non-white pixels in several colours
    ink = page.evaluate("""() => {
        const c = document.querySelector('#network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; const colours = new Set();
        for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) { ink++; colours.add(d[i] << 16 | d[i + 1] << 8 | d[i + 2]); }
        }
        return [ink / (c.width * c.height), colours.size];
    }""")
    assert ink[0] > 0.005 and ink[1] > 5, ink
    shot = page.screenshot()
    assert len(shot) > 20_000          # a blank 1400×900 PNG is a few kB
    assert record == {"errors": [], "requests": [], "dialogs": []}


@pytest.mark.parametrize("name", ["index", "ontology", "growth"])
def test_static_pages_load_offline(name, site, opened):
    page, record = opened(site / FILE_NAMES[name])
    page.wait_for_load_state("load")
    assert page.locator("h1").count() == 1
    if name == "index":
        hrefs = page.eval_on_selector_all("a", "els => els.map(a => a.getAttribute('href'))")
        assert sorted(hrefs) == sorted(FILE_NAMES[v] for v in [*ALL_VIEWS, "ontology", "growth"])
    assert record == {"errors": [], "requests": [], "dialogs": []}


def test_search_key_in_the_page_matches_python(site, graph, opened):
    page, _ = opened(site / FILE_NAMES["explorer"])
    wait_ready(page)
    texts = sorted({str(o) for o in graph.objects(None, RDFS.label)} | {str(o) for o in graph.objects(None, SKOS.altLabel)})
    texts += ["Văn hoá", "Văn hóa", "VĂN HOÁ", "van hoa", "Sở TT&TT", "Sở TTTT", "thuỷ lợi", "khoẻ", "quý",
              "UBND tỉnh", "Quyết định số 03/2017/QĐ-UBND", "  nhiều   khoảng  trắng ", "Đài PT-TH"]
    in_page = page.evaluate("ts => ts.map(t => tkgSearchKey(t, window.tkgView.data.abbreviations))", texts)
    assert in_page == [search_key(t) for t in texts]


@pytest.mark.parametrize("typed", ["so van hoa thong tin", "Sở Văn hóa - Thông tin", "SỞ VĂN HOÁ"])
def test_search_tolerates_spelling_variants(typed, site, graph, opened):
    page, record = opened(site / FILE_NAMES["explorer"])
    wait_ready(page)
    page.fill("#search", typed)
    labels = page.eval_on_selector_all("#results li", "els => els.map(e => e.textContent)")
    official = describe.label(graph, ID["org/so-vhtt-hai-duong"], "vi")
    assert official in labels
    assert page.evaluate("window.tkgView.network.getSelectedNodes()")
    page.click(f"#results li[data-id='{describe.compact(ID['org/so-vhtt-hai-duong'])}']")
    assert page.text_content("#info").startswith(official)
    assert page.evaluate("window.tkgView.network.getSelectedNodes()") == [describe.compact(ID["org/so-vhtt-hai-duong"])]
    assert record["errors"] == []


def test_abbreviations_find_the_full_name(site, graph, opened):
    page, _ = opened(site / FILE_NAMES["explorer"])
    wait_ready(page)
    page.fill("#search", "Sở TT&TT")
    labels = page.eval_on_selector_all("#results li", "els => els.map(e => e.textContent)")
    assert describe.label(graph, ID["org/so-tttt-hai-duong"], "vi") in labels


def test_class_filter_hides_and_shows_nodes(site, graph, opened):
    page, _ = opened(site / FILE_NAMES["explorer"])
    wait_ready(page)
    decisions = len(set(graph.subjects(RDF.type, TKG.AdministrativeDecision)))
    hidden = "window.tkgView.nodes.get({filter: n => n.hidden === true}).length"
    at_first = page.evaluate(hidden)     # the classes past the explorer's first frame (test_viz_layout_browser.py)
    page.click("#legend input[value='decision']")
    assert page.evaluate(hidden) == at_first + decisions
    page.click("#legend input[value='decision']")
    assert page.evaluate(hidden) == at_first


def _planted_graph(graph) -> tuple[Graph, dict]:
    """A copy of the graph with an XSS payload as the label of an organisation, a decision and a function."""
    g = Graph()
    g += graph
    targets = {"script": ID["org/so-tttt-hai-duong"], "img": ID["eli/ubnd-hai-duong/qd/2008/53"],
               "link": next(iter(g.objects(None, TKG.function)))}
    for kind, node in targets.items():
        for p in (SKOS.prefLabel, RDFS.label):
            g.remove((node, p, None))
            g.add((node, p, Literal(PAYLOADS[kind], lang="vi")))
        if (node, ELI.id_local, None) in g:
            g.set((node, ELI.id_local, Literal(PAYLOADS[kind])))
    return g, {k: describe.compact(v) for k, v in targets.items()}


def test_planted_markup_is_shown_as_text_and_never_runs(graph, tmp_path, opened):
    g, ids = _planted_graph(graph)
    write_site(g, tmp_path)
    for view in ALL_VIEWS:
        page, record = opened(tmp_path / FILE_NAMES[view])
        wait_ready(page)
        present = [i for i in ids.values() if page.evaluate("id => window.tkgView.nodes.get(id) !== null", i)]
        assert present, view
        for kind, node_id in ids.items():
            if node_id not in present:
                continue
            # Only the planted node stays visible, so the pointer cannot land on a neighbour or an
            # edge drawn over it (that race failed one CI run); the wait below is for this node's
            # payload, so a tooltip left from the previous node does not count.
            page.evaluate("""id => window.tkgView.nodes.update(window.tkgView.nodes.get()
                .map(n => ({id: n.id, hidden: n.id !== id})))""", node_id)
            # hover the node so vis-network shows its tooltip, then click it for the info panel
            page.evaluate("id => window.tkgView.network.focus(id, {scale: 1.0, animation: false})", node_id)
            box = page.evaluate("""id => { const v = window.tkgView.network;
                const p = v.canvasToDOM(v.getPosition(id)); const r = document.getElementById('network').getBoundingClientRect();
                return [r.left + p.x, r.top + p.y]; }""", node_id)
            page.mouse.move(box[0], box[1])
            page.wait_for_function("""payload => { const t = document.querySelector('div.vis-tooltip');
                return t && t.style.visibility !== 'hidden' && t.innerText.includes(payload); }""",
                                   arg=PAYLOADS[kind], timeout=5000)
            # vis-network sets the title with innerText: line breaks become <br>, nothing else is markup
            tooltip = page.eval_on_selector(
                "div.vis-tooltip", "e => [e.innerText, Array.from(e.querySelectorAll('*')).map(c => c.tagName)]")
            assert set(tooltip[1]) <= {"BR"} and PAYLOADS[kind] in tooltip[0]
            page.mouse.click(box[0], box[1])
            assert PAYLOADS[kind] in page.text_content("#info")
        page.evaluate("window.tkgView.nodes.update(window.tkgView.nodes.get().map(n => ({id: n.id, hidden: false})))")
        for payload in PAYLOADS.values():
            page.fill("#search", payload)
        assert page.evaluate("window.__xss") is None
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.evaluate("document.querySelectorAll('a[href^=\"javascript\" i]').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 4   # vis, search key, view, data
        assert record == {"errors": [], "requests": [], "dialogs": []}, view
    for name in ("index", "ontology", "growth"):
        page, record = opened(tmp_path / FILE_NAMES[name])
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None and record["dialogs"] == []


def test_explorer_past_its_limit_shows_its_message_offline(graph, tmp_path, opened):
    write_site(graph, tmp_path, ["explorer"], "vi", explorer_limit=10)
    page, record = opened(tmp_path / FILE_NAMES["explorer"])
    page.wait_for_load_state("load")
    text = page.inner_text("#too-large")
    assert "quá giới hạn 10 của trang khám phá" in text and "--explorer-limit 0" in text
    assert page.evaluate("typeof window.tkgView") == "undefined"      # nothing drawn
    assert record["errors"] == [] and record["requests"] == []
    page.click("text=← Mục lục")
    page.wait_for_load_state("load")
    assert page.url.endswith("/index.html") and "quá nhiều để vẽ" in page.inner_text("body")
