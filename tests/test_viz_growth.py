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
