"""Every IRI of the graph dereferences (issue 19): `tttt-kg serve` answers /id/… and /ontology with a
page for browsers and RDF by Accept or suffix; `tttt-kg site` writes the same as files; the w3id
.htaccess sends each IRI to one of those files. All through a real server and the real CLI."""
from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import httpx
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from served import TTTT_KG, running_server

REPO = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/tttt-kg/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
DECISION = BASE + "id/eli/ubnd-hai-duong/qd/2008/53"
ORGANISATION = BASE + "id/org/so-tttt-hai-duong"
FUNCTION = BASE + "id/function/buu-chinh"
ASSIGNMENT = BASE + "id/assignment/qd-53-2008/3"
PAGE_FACT = BASE + "id/assignment/qd-ubnd-hai-duong-sau-2022/1"
QUERY = BASE + "id/query/lineage"
RESOURCES = [DECISION, ORGANISATION, FUNCTION, ASSIGNMENT, PAGE_FACT, QUERY]
SUFFIX_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


@pytest.fixture(scope="module")
def graph_file(seed_ntriples) -> Path:
    return seed_ntriples


@pytest.fixture(scope="module")
def graph(graph_file) -> Graph:
    g = Graph()
    g.parse(graph_file, format="nt")
    return _as_stored(g)


@pytest.fixture(scope="module")
def server(graph_file):
    with running_server("--graph", str(graph_file), "--workers", "2") as (base, _):
        yield base


def expected(g: Graph, doc: str) -> Graph:
    """What the graph holds about a document, computed here independently: every triple whose subject is
    the IRI or any IRI of it with a fragment, the blank nodes they reach, and every non-rdf:type triple
    pointing at the IRI."""
    out = Graph()
    todo = [s for s in set(g.subjects()) if isinstance(s, URIRef) and (str(s) == doc or str(s).startswith(doc + "#"))]
    seen = set()
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        for p, o in g.predicate_objects(s):
            out.add((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    for s, p in g.subject_predicates(URIRef(doc)):
        if p != RDF.type:
            out.add((s, p, URIRef(doc)))
    return out


INTEGER_SUBTYPES = {XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
                    XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort,
                    XSD.unsignedByte}


def _as_stored(g: Graph) -> Graph:
    """The graph as Oxigraph holds it: integer subtypes become xsd:integer (README, `check`)."""
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype in INTEGER_SUBTYPES:
            o = Literal(str(o), datatype=XSD.integer)
        out.add((s, p, o))
    return out


def path_of(iri: str) -> str:
    return "/" + iri[len(BASE):]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if a.get("id"):
            self.ids.add(a["id"])


def links(text: str) -> Links:
    parser = Links()
    parser.feed(text)
    return parser


@pytest.mark.parametrize("iri", RESOURCES)
def test_an_iri_answers_303_to_its_page_or_its_turtle(server, graph, iri):
    for accept, suffix in ((BROWSER, ".html"), ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"),
                           ("application/n-triples", ".nt"), ("application/rdf+xml", ".rdf"), (None, ".html")):
        r = httpx.get(server + path_of(iri), headers={"Accept": accept} if accept else {})
        assert r.status_code == 303, (iri, accept, r.text)
        assert r.headers["location"] == path_of(iri) + suffix
        assert "Accept" in r.headers["vary"]
        assert 'rel="alternate"; type="text/turtle"' in r.headers["link"]
    turtle = httpx.get(server + path_of(iri), headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    got = Graph().parse(data=turtle.content, format="turtle")
    assert isomorphic(got, expected(graph, iri)), iri
    assert len(got) > 3
    for suffix, fmt in SUFFIX_FORMATS.items():
        r = httpx.get(server + path_of(iri) + "." + suffix)
        assert r.status_code == 200, (suffix, r.text)
        assert isomorphic(Graph().parse(data=r.content, format=fmt), got), suffix
        assert f'<{path_of(iri)}.html>; rel="alternate"; type="text/html"' in r.headers["link"]


@pytest.mark.parametrize("iri", RESOURCES)
def test_the_page_shows_labels_statements_and_links_that_resolve(server, graph, iri):
    r = httpx.get(server + path_of(iri), headers={"Accept": BROWSER}, follow_redirects=True)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    page = r.text
    for lang in ("vi", "en"):
        labels = [str(o) for o in graph.objects(URIRef(iri), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
                  if o.language == lang]
        for label in labels:
            assert _escaped(label) in page, (lang, label)
    found = links(page)
    # every resource it names (out and in) is linked to its page
    for o in graph.objects(URIRef(iri)):
        if isinstance(o, URIRef) and str(o).startswith(BASE + "id/") and "#" not in str(o):
            assert any(urljoin(str(r.url), h).endswith(path_of(str(o)) + ".html") for h in found.hrefs), o
    internal = {urljoin(str(r.url), h) for h in found.hrefs if not urlparse(h).scheme}
    for url in sorted(internal):
        target = httpx.get(url.split("#")[0])
        assert target.status_code == 200, url
        anchor = urlparse(url).fragment
        if anchor:
            assert anchor in links(target.text).ids, url


def test_every_fragment_is_on_its_documents_page(graph_file):
    """A page finds its document's fragments from the IRI (describe_query), not by a scan: every fragment
    subject of the graph must be in its document's answer, or its statements would be on no page (the
    derived holdings and lineages, fragments that point at their source, were missing until this held)."""
    import pyoxigraph as ox

    from tttt_kg.graph.server.resource_pages import describe_query
    store = ox.Store()
    store.bulk_load(path=str(graph_file), format=ox.RdfFormat.N_TRIPLES)
    fragments: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, None, None):
        s = quad.subject
        if isinstance(s, ox.NamedNode) and s.value.startswith(BASE + "id/") and "#" in s.value:
            fragments.setdefault(s.value.split("#")[0], set()).add(s.value)
    assert len(fragments) > 100
    missed = {}
    for doc, wanted in fragments.items():
        found = {t.subject.value for t in store.query(describe_query(doc)) if isinstance(t.subject, ox.NamedNode)}
        if wanted - found:
            missed[doc] = sorted(wanted - found)
    assert not missed, list(missed.items())[:5]


def _escaped(text: str) -> str:
    import html
    return html.escape(text, quote=True)


def test_a_decision_page_quotes_its_passage_from_the_seed(server, seed_path):
    page = httpx.get(server + path_of(DECISION) + ".html").text
    assert "[1381, 2278)" in page and "de-cuong-15-nam-so-tttt-hai-duong-2019.txt" in page
    assert "<blockquote>Ngày 03/11/2008, UBND tỉnh có Quyết định số 53/2008/QĐ-UBND" in page
    assert 'id="span-1381-2278"' in page and "03/11/2008" in page      # the date (eli:date_document) too
    assert "2008-11-03" in page


def test_a_page_sourced_fact_shows_its_page_address_row_and_certainty(server):
    page = httpx.get(server + path_of(PAGE_FACT) + ".html").text
    assert ('<a href="https://sotttt.haiduong.gov.vn:443/vi-vn/gioi-thieu/Trang/Chuc-nang-nhiem-vu.aspx" '
            'rel="nofollow noopener noreferrer">') in page
    assert "<code>M5</code>" in page and 'href="../../source/facts-2019-2025.html"' in page
    assert 'Độ chắc chắn · certainty: <a href="../../certainty/inferred.html">' in page


def test_the_ontology_answers_with_its_reference_page_and_its_turtle(server, graph):
    r = httpx.get(server + "/ontology", headers={"Accept": BROWSER}, follow_redirects=True)
    assert r.status_code == 200 and str(r.url).endswith("/ontology.html")
    assert 'id="t-tkg-FunctionAssignment"' in r.text and "script-src" in r.headers["content-security-policy"]
    r = httpx.get(server + "/ontology", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert str(r.url).endswith("/ontology.ttl")
    assert isomorphic(Graph().parse(data=r.content, format="turtle"), expected(graph, BASE + "ontology"))
    # a term's link on a resource page lands on its anchor in the reference
    page = httpx.get(server + path_of(ASSIGNMENT) + ".html").text
    assert 'href="../../../ontology.html#t-tkg-assignedBy"' in page


def test_unknown_iris_get_a_404_with_the_nearest_labels(server):
    r = httpx.get(server + "/id/org/so-tttt-hai-duongg", headers={"Accept": BROWSER})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert '<a href="so-tttt-hai-duong.html">Sở Thông tin và Truyền thông tỉnh Hải Dương</a>' in r.text
    r = httpx.get(server + "/id/org/van-hoa-thong-tinn.ttl")
    assert r.status_code == 404 and "id/org/so-vhtt-hai-duong" in r.text
    assert httpx.get(server + "/id/nothing/at/all.html").status_code == 404
    assert httpx.get(server + "/id/org/%3Cscript%3E").status_code == 404
    assert httpx.get(server + path_of(DECISION), headers={"Accept": "image/png"}).status_code == 406


def test_the_endpoint_hardening_holds_for_pages(server):
    r = httpx.get(server + path_of(DECISION) + ".html", headers={"Host": "evil.example"})
    assert r.status_code == 400
    r = httpx.get(server + path_of(DECISION) + ".ttl")
    assert r.headers["x-content-type-options"] == "nosniff"


def test_labels_with_markup_show_as_text(tmp_path, graph_file):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\' &amp;'
    nt = tmp_path / "evil.nt"
    nt.write_bytes(graph_file.read_bytes() + (
        f'<{ORGANISATION}> <http://www.w3.org/2000/01/rdf-schema#label> {Literal(evil, lang="vi").n3()} .\n'
        f'<{ORGANISATION}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(3)> .\n'
        f'<{BASE}id/org/evil> <http://www.w3.org/2000/01/rdf-schema#label> {Literal(evil, lang="en").n3()} .\n'
        f'<{BASE}id/org/evil> <http://www.w3.org/ns/org#linkedTo> <{ORGANISATION}> .\n').encode())
    with running_server("--graph", str(nt), "--workers", "1") as (base, _):
        for path in (path_of(ORGANISATION), "/id/org/evil"):
            r = httpx.get(base + path + ".html")
            assert r.status_code == 200
            assert "<script" not in r.text and "<img" not in r.text and 'href="javascript:' not in r.text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in r.text
    out = tmp_path / "site"
    done = subprocess.run([TTTT_KG, "site", "--no-views", "-o", str(out), "--graph", str(nt)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for page in (out / "id/org/evil.html", out / "id/org/so-tttt-hai-duong.html", out / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text and 'href="javascript:' not in text


def test_a_page_from_a_store_is_the_page_from_the_file(server, tmp_path):
    store = tmp_path / "store"
    done = subprocess.run([TTTT_KG, "build", "--no-validate", "-o", str(tmp_path / "g.ttl"), "--store",
                           f"oxigraph:{store}"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with running_server("--store", f"oxigraph:{store}", "--workers", "1") as (base, _):
        # the cube's structure is described with blank nodes, which each store names differently
        for iri in RESOURCES + [BASE + "ontology", BASE + "id/figures-structure"]:
            for suffix in (".html", ".ttl", ".nt", ".rdf"):
                a, b = httpx.get(server + path_of(iri) + suffix), httpx.get(base + path_of(iri) + suffix)
                assert a.status_code == b.status_code == 200
                assert a.content == b.content, (iri, suffix)


@pytest.fixture(scope="module")
def site(tmp_path_factory, graph_file):
    """The README's example: tttt-kg site -o DIR (with the views)."""
    out = tmp_path_factory.mktemp("site") / "site"
    done = subprocess.run([TTTT_KG, "site", "-o", str(out), "--graph", str(graph_file)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


def test_the_exported_site_links_all_resolve(site, graph):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 300
    parsed = {p: links(p.read_text(encoding="utf-8")) for p in pages}
    ids = {p: found.ids for p, found in parsed.items()}
    checked = 0
    for page in pages:
        for h in parsed[page].hrefs:
            url = urlparse(h)
            if url.scheme or h.startswith("/"):
                assert url.scheme in ("http", "https"), (page, h)    # no server-absolute links in a static site
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            assert target.is_file(), (page, h)
            if url.fragment and target.suffix == ".html":
                if target not in ids:   # a page outside id/ (the views); parsed once
                    ids[target] = links(target.read_text(encoding="utf-8")).ids
                assert url.fragment in ids[target], (page, h)
            checked += 1
    assert checked > 3000
    # one page and four RDF files for every IRI of the graph under the base
    docs = {str(x).split("#")[0] for t in graph for x in t if isinstance(x, URIRef) and str(x).startswith(BASE)}
    for doc in docs:
        for suffix in ("html", "ttl", "jsonld", "nt", "rdf"):
            assert (site / f"{doc[len(BASE):]}.{suffix}").is_file(), (doc, suffix)
    # the views' side panel links to the pages: ../id/….html from DIR/viz/
    script = (site / "viz" / "lineage.html").read_text(encoding="utf-8")
    assert 'var PAGES = { "id:": "id/"' in script and '"id":"id:org/so-tttt-hai-duong"' in script


def test_the_site_holds_what_the_server_answers(site, server, graph):
    for iri in RESOURCES + [BASE + "ontology"]:
        for suffix, fmt in SUFFIX_FORMATS.items():
            written, served = (site / f"{iri[len(BASE):]}.{suffix}").read_bytes(), httpx.get(f"{server}{path_of(iri)}.{suffix}").content
            if suffix in ("ttl", "nt"):     # stable bytes (rdflib's JSON-LD and RDF/XML order varies by process)
                assert written == served, (iri, suffix)
            assert isomorphic(Graph().parse(data=written, format=fmt), Graph().parse(data=served, format=fmt))
    served = httpx.get(server + path_of(DECISION) + ".html").text
    written = (site / "id/eli/ubnd-hai-duong/qd/2008/53.html").read_text(encoding="utf-8")
    assert written.replace('href="../../../../../index.html"', 'href="/"') == served


def _rewrite(rules: list[tuple[list[str], str, str]], path: str, accept: str) -> str | None:
    """What w3id's Apache makes of GET /tttt-kg/PATH with this Accept: the rules read from the file, in order."""
    for conds, pattern, target in rules:
        if all(re.search(c, accept) for c in conds):
            m = re.match(pattern, path)
            if m:
                return re.sub(r"\$(\d)", lambda d: m.group(int(d.group(1))), target)
    return None


def test_the_w3id_htaccess_sends_every_iri_to_a_file_of_the_site(site):
    rules, conds = [], []
    for line in (REPO / "w3id" / "tttt-kg" / ".htaccess").read_text().splitlines():
        words = line.split()
        if line.startswith("RewriteCond"):
            assert words[1] == "%{HTTP_ACCEPT}"
            conds.append(words[2])
        elif line.startswith("RewriteRule"):
            assert words[3].startswith("[R=30")
            rules.append((conds, words[1], words[2]))
            conds = []
    host = "https://tttt-kg.example.org/"
    cases = [(BROWSER, "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld"),
             ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"), ("*/*", "html")]
    for iri in RESOURCES + [BASE + "ontology"]:
        for accept, suffix in cases:
            target = _rewrite(rules, iri[len(BASE):], accept)
            assert target == f"{host}{iri[len(BASE):]}.{suffix}", (iri, accept, target)
            assert (site / target[len(host):]).is_file()
        assert _rewrite(rules, iri[len(BASE):] + ".nt", BROWSER) == f"{host}{iri[len(BASE):]}.nt"
    assert (site / _rewrite(rules, "", BROWSER)[len(host):]).is_file()
