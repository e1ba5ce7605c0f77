"""What the pages say and how they colour it (issue 16): counts that name what they count, both
languages in every page, a palette that stays apart in colour-blind vision, and page-sourced
statements that are not stated directly drawn dashed and lighter, with their certainty and their
fact-sheet citation in the tooltip."""
from __future__ import annotations

import json
import re

import pytest
from rdflib.namespace import RDF

from tttt_kg.graph.build import build_graph
from tttt_kg.graph.namespaces import ID, TKG
from tttt_kg.viz import describe, views
from tttt_kg.viz.site import ALL_VIEWS, FILE_NAMES, write_site


@pytest.fixture(scope="module")
def full():
    return build_graph()


@pytest.fixture(scope="module")
def site(full, tmp_path_factory):
    out = tmp_path_factory.mktemp("readable")
    write_site(full, out)
    return out


def page_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="tkg-data">(.*?)</script>', text, re.S).group(1))


def test_decision_counts_say_items_and_functions(full):
    G = views.mandate(full, "vi")
    label = G.nodes[describe.compact(ID["eli/ubnd-hai-duong/qd/2008/53"])]["label"]
    assert label.endswith("11 mục · 16 lĩnh vực"), label
    G = views.mandate(full, "en")
    node = G.nodes[describe.compact(ID["eli/ubnd-hai-duong/qd/2017/03"])]
    assert node["label"].endswith("13 items · 16 functions") and "an item may cover several" in node["title"]


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_every_page_holds_both_languages(view, site, full):
    data = page_data(site / FILE_NAMES[view])
    assert data["lang"] == "vi" and data["other"]["lang"] == "en"
    assert data["other"]["title"] == views.title(view, "en") and data["other"]["strings"]["switch"] == "Tiếng Việt"
    assert all("alt" in n for n in data["nodes"])
    so = describe.compact(ID["org/so-tttt-hai-duong"])
    node = next((n for n in data["nodes"] if n["id"] == so), None)
    if node is not None:
        # the whole name (the network views draw it cut to two lines: layout.short)
        assert "Department of Information and Communications" in node["alt"].get("name", node["alt"]["label"]).replace("\n", " ")
        assert "Type: Organisation" in node["alt"]["title"]
    assert all(c["alt"] for c in data["classes"])


# Viénot, Brettel & Mollon (1999) dichromat simulation in linear RGB
CVD = {
    "protan": ((0.11238, 0.88762, 0.0), (0.11238, 0.88762, 0.0), (0.00401, -0.00401, 1.0)),
    "deutan": ((0.29275, 0.70725, 0.0), (0.29275, 0.70725, 0.0), (-0.02234, 0.02234, 1.0)),
    "tritan": ((1.0, 0.14461, -0.14461), (0.0, 0.85924, 0.14076), (0.0, 0.85924, 0.14076)),
}


def _linear(c):
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb):
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(colour: str, kind: str | None):
    rgb = [_linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5)]
    if kind:
        m = CVD[kind]
        rgb = [max(0.0, min(1.0, sum(m[i][j] * rgb[j] for j in range(3)))) for i in range(3)]
    return _lab(rgb)


def distance(a, b) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5


@pytest.mark.parametrize("view", ["mandate", "lineage", "decisions"])
def test_legend_colours_stay_apart_in_colour_blind_vision(view, site):
    colours = [c["colour"] for c in page_data(site / FILE_NAMES[view])["classes"]]
    if view == "mandate":
        from tttt_kg.viz.render import HELD, LEFT
        colours += [HELD, LEFT]         # the function boxes and bars: held, left
    colours = sorted(set(colours))
    assert len(colours) >= 3
    for kind in (None, *CVD):
        for i, a in enumerate(colours):
            for b in colours[i + 1:]:
                assert distance(seen(a, kind), seen(b, kind)) >= 10, (view, kind, a, b)   # ΔE*ab 10: patches plainly apart


def test_labels_on_boxes_are_legible_on_their_fill(site):
    from tttt_kg.viz.render import text_colour
    for view in ALL_VIEWS:
        for n in page_data(site / FILE_NAMES[view])["nodes"]:
            if n["shape"] == "box":
                assert n["font"]["color"] == text_colour(n["color"]["background"])


def test_statements_not_stated_directly_are_dashed_lighter_and_say_their_certainty(site, full):
    unsure = {describe.compact(s) for s, c in full.subject_objects(TKG.certainty)
              if not str(c).endswith("/stated")}
    seen_any = 0
    for view in ("lineage", "mandate", "explorer"):
        data = page_data(site / FILE_NAMES[view])
        for n in data["nodes"]:
            if n["id"] in unsure:
                seen_any += 1
                assert n["shapeProperties"]["borderDashes"] and n["color"]["background"] != n["color"]["border"]
                assert "Độ chắc chắn: " in n["title"] and "Certainty: " in n["alt"]["title"]
            else:
                assert "shapeProperties" not in n and "\nĐộ chắc chắn: " not in n["title"]
        bars = [b for b in data["overlay"].get("bars", []) if b["from"] in unsure]
        assert all(b.get("unsure") for b in bars)
    assert seen_any > 10


def test_page_sourced_nodes_cite_the_fact_sheet_row_and_pages(full):
    G = views.lineage(full, "vi")
    khcn = [n for n in G if "bảng dữ kiện 2019–2025, hàng" in G.nodes[n]["title"]]
    assert khcn
    for n in khcn:
        assert "None [None" not in G.nodes[n]["title"] and "https://" in G.nodes[n]["title"]
    transfers = list(full.subjects(RDF.type, TKG.FunctionTransfer))
    assert transfers
