"""The growth page (issue 16, part 2): how many functions the Sở held each day, stacked by origin, and
the flow of functions from their origin through the decisions that held them; read through the named
queries, so the same from a store (tests/test_viz_store.py compares every page of the site); offline,
escaped, every band and line citing its source on hover."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS, SKOS

from tttt_kg.graph.build import build_graph
from tttt_kg.graph.namespaces import ID, TKG
from tttt_kg.viz import growth
from tttt_kg.viz.site import FILE_NAMES, write_site


@pytest.fixture(scope="module")
def full():
    return build_graph()


@pytest.fixture(scope="module")
def grown(full):
    return growth.read(growth.store_for(full))


def functions_of(g, number: str) -> set:
    d = ID[f"eli/ubnd-hai-duong/qd/{number.split('/')[1]}/{number.split('/')[0]}"]
    return {f for a in g.subjects(TKG.assignedBy, d) for f in g.objects(a, TKG.function)}


def held_on(grown, day: dt.date) -> dict:
    i = max(i for i, d in enumerate(grown.days) if d <= day)
    return grown.held[i]


def test_the_steps_follow_the_decisions_transfers_and_the_end(grown, full):
    assert held_on(grown, dt.date(2004, 9, 1)) == {}
    assert len(held_on(grown, dt.date(2005, 1, 1))) == len(functions_of(full, "3593/2004")) == 9
    # 2008: the Sở TTTT inherits the list and receives báo chí, xuất bản (Sở VH-TT) and phát thanh (Đài PT-TH)
    after_transfers = held_on(grown, dt.date(2008, 6, 1))
    assert len(after_transfers) == 12
    origins = {grown.origins[o] for o, _, _ in after_transfers.values()}
    assert any("Sở Văn hoá - Thông tin" in o for o in origins) and any("Đài Phát thanh" in o for o in origins)
    assert len(held_on(grown, dt.date(2010, 1, 1))) == len(functions_of(full, "53/2008")) == 16
    assert len(held_on(grown, dt.date(2018, 1, 1))) == len(functions_of(full, "03/2017")) == 16
    assert held_on(grown, dt.date(2025, 3, 1)) == {}          # the Sở TTTT ceased; its functions were split
    # stacked by first origin: five origins, 03/2017 added four, 53/2008 five (three of them kept after 2017)
    counts = dict(growth.steps(grown))
    assert [counts[dt.date(2017, 3, 7)][k] for k in grown.order] == [6, 1, 2, 3, 4]
    assert grown.decisions == ["3593/2004/QĐ-UBND", "53/2008/QĐ-UBND", "03/2017/QĐ-UBND"]


def test_every_band_and_line_cites_its_source_on_hover(grown):
    svg = growth.chart_svg(grown)
    bands = re.findall(r'<rect [^>]*class="band"[^>]*><title>(.*?)</title>', svg, re.S)
    assert len(bands) >= 10
    assert all("sha256" in b and "[" in b for b in bands)
    marks = re.findall(r'<g class="mark">.*?<title>(.*?)</title>', svg, re.S)
    assert len(marks) == len(grown.marks) >= 5
    assert all("Nguồn: " in m for m in marks)
    assert sum("sha256" in m for m in marks) >= 3      # the decisions' own spans
    flow = growth.flow_svg(grown)
    assert flow.count('class="strand"') >= 16 + 16 + 8 - 6   # origin → 3593, → 53/2008, → 03/2017
    for label in grown.decisions:
        assert f">{label}</text>" in flow


def test_the_page_is_offline_and_escapes_labels(full, tmp_path):
    from rdflib import Graph
    g = Graph()
    g += full
    payload = "<script>alert('x')</script>"
    donor = ID["org/so-vhtt-hai-duong"]
    for p in (RDFS.label, SKOS.prefLabel):
        g.remove((donor, p, None))
        g.add((donor, p, Literal(payload, lang="vi")))
    write_site(g, tmp_path, ["mandate"])
    text = (tmp_path / FILE_NAMES["growth"]).read_text(encoding="utf-8")
    assert payload not in text and "&lt;script&gt;alert(" in text
    assert "<script" not in text.split("</head>", 1)[1]
    assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', text)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="growth.html"' in index


# ---- the figures over time: small multiples --------------------------------------------------------

DATED_FIGURES = """PREFIX tkg: <https://w3id.org/tttt-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?id ?s ?when ?written WHERE {
  ?f tkg:indicator/skos:notation ?id ; tkg:refSubject ?s ; tkg:refPeriod ?when ; tkg:asWritten ?written ;
     tkg:timeBasis/skos:notation ?basis .
  VALUES ?basis { "stated" "decision" "khi-thanh-lap" "den-nay" } }"""


def multiples_of(text: str) -> dict:
    """indicator → [(as written, hover text)] of each figure drawn in the page's small multiples."""
    out: dict = {}
    for indicator, body in re.findall(r'<svg [^>]*class="multiple" data-indicator="([^"]+)"[^>]*>(.*?)</svg>', text, re.S):
        out[indicator] = [(html_unescape(w), html_unescape(t)) for w, t in
                          re.findall(r'<g class="figure" data-written="([^"]*)"><title>(.*?)</title>', body, re.S)]
    return out


def html_unescape(text: str) -> str:
    import html
    return html.unescape(text)


def test_a_small_multiple_for_each_indicator_with_two_dated_figures(grown, full):
    dated: dict = {}
    for ident, subject, when, written in full.query(DATED_FIGURES):
        dated.setdefault(str(ident), set()).add((str(subject), str(when), str(written)))
    expected = {i for i, figs in dated.items() if len(figs) >= 2}
    assert {m.indicator for m in grown.multiples} == expected >= {"staff", "members", "divisions"}
    staff = next(m for m in grown.multiples if m.indicator == "staff")
    assert [(f.when, f.written) for f in staff.figures] == [("2004-10-01", "3"), ("2019-09-11", "48")]
    # an undated figure is not drawn at a time it does not have: the trade union's members are left out
    members = next(m for m in grown.multiples if m.indicator == "members")
    assert {f.written for f in members.figures} == {"5", "39"}


def test_every_point_is_the_figure_as_written_with_its_citation_and_no_other_number(grown, full):
    text = growth.render_growth(grown)
    drawn = multiples_of(text)
    assert set(drawn) == {m.indicator for m in grown.multiples}
    written = {str(w) for w in full.objects(None, TKG.asWritten)}
    for indicator, figures in drawn.items():
        assert len(figures) >= 2
        for as_written, tip in figures:
            assert as_written in written and f": {as_written} " in tip
            assert re.search(r"Nguồn: de-cuong-15-nam-so-tttt-hai-duong-2019\.txt \(sha256 [0-9a-f]{12}…\) \[\d+, \d+\)", tip)
            assert re.search(r"\n\d{4}(-\d\d-\d\d)? \(", tip)      # its date, and how the source dates it
    # every number written in a chart is a figure as written or the year of a dated figure; no axis scale
    section = text.split('id="figures"', 1)[1]
    years = {f.when[:4] for m in grown.multiples for f in m.figures}
    for number in re.findall(r'<text [^>]*>([^<]*\d[^<]*)</text>', section):
        assert number in written or number in years, number


def test_a_range_is_drawn_as_a_range_and_a_qualified_figure_hollow():
    from decimal import Decimal

    from tttt_kg.viz import multiples
    share = multiples.Figure("2019-09-11", "Tỉnh Hải Dương", "60 - 65%", "%", "", "đến nay",
                             {"lower": Decimal(60), "upper": Decimal(65)}, ["x.txt (sha256 0123456789ab…) [1, 2)"])
    near = multiples.Figure("2010", "Tỉnh Hải Dương", "gần 30", "%", "gần", "năm",
                            {"value": Decimal(30)}, ["x.txt (sha256 0123456789ab…) [3, 4)"])
    svg = multiples.svg(multiples.Multiple("internet-users-share", "Tỷ lệ", "%", [near, share]), (2004, 2020))
    groups = re.findall(r'<g class="figure".*?</g>', svg, re.S)
    assert len(groups) == 2
    bar = next(g for g in groups if "60 - 65%" in g)
    assert "<circle" not in bar and "cận dưới 60 – cận trên 65" in bar
    ys = sorted({float(y) for y in re.findall(r'y1="([\d.]+)" y2="\1"', bar)})
    assert len(ys) == 2 and ys[1] - ys[0] > 1            # its two ends, at two heights, no midpoint drawn
    hollow = next(g for g in groups if "gần 30" in g)
    assert 'fill="#ffffff"' in hollow and "từ chỉ mức độ: gần" in hollow
    assert ">62.5<" not in svg and "62,5" not in svg


def test_the_multiples_in_chromium_and_from_a_store(seed_ntriples, tmp_path, browser):
    import subprocess
    import sys
    from pathlib import Path

    from tttt_kg.graph.stores.oxistore import create_store
    store = tmp_path / "kg.oxigraph"
    create_store(store, [seed_ntriples])
    exe = str(Path(sys.executable).with_name("tttt-kg"))
    for folder, source in (("file", ["--graph", str(seed_ntriples)]), ("store", ["--store", f"oxigraph:{store}"])):
        done = subprocess.run([exe, "viz", "-o", str(tmp_path / folder), "--view", "mandate", *source],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    from_store = (tmp_path / "store" / FILE_NAMES["growth"]).read_text(encoding="utf-8")
    from_file = (tmp_path / "file" / FILE_NAMES["growth"]).read_text(encoding="utf-8")
    assert multiples_of(from_store) == multiples_of(from_file) and len(multiples_of(from_store)) >= 3
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto((tmp_path / "store" / FILE_NAMES["growth"]).resolve().as_uri())
        drawn = page.evaluate("""() => [...document.querySelectorAll('svg.multiple')].map(svg => {
            const box = svg.getBoundingClientRect();
            return [svg.dataset.indicator, box.width, box.right <= document.documentElement.clientWidth,
                    [...svg.querySelectorAll('g.figure')].map(g => { const b = g.getBoundingClientRect();
                        return [g.querySelector('title').textContent, b.width > 4 && b.height > 4,
                                b.left >= box.left && b.right <= box.right + 40]; })]; })""")
        assert [d[0] for d in drawn] == list(multiples_of(from_store))
        for _, width, inside, figures in drawn:
            assert width > 200 and inside and figures
            assert all(shown and within and "sha256" in tip for tip, shown, within in figures)
        # the step chart's legend (the origins' names, the longest wrapped) stays inside its chart
        keys = page.evaluate("""() => { const svg = document.querySelector('svg.chart').getBoundingClientRect();
            return [...document.querySelectorAll('svg.chart text.key')].map(t => {
                const b = t.getBoundingClientRect(); return [t.textContent, b.right <= svg.right + 0.5]; }); }""")
        assert len(keys) >= 3 and all(inside for _, inside in keys), keys
        assert errors == []
    finally:
        context.close()
