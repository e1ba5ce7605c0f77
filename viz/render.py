"""A laid-out networkx view → one self-contained, offline HTML page.

pyvis's own templates link bootstrap and vis-network from CDNs and write in the
platform's encoding, so the page is assembled here: vis-network (as bundled with pyvis)
and the project's script and style are inlined, the data goes in a JSON block escaped
for <script>, and a Content-Security-Policy allows only these inline scripts (by hash),
so no injected markup could run or load anything even if it reached the DOM.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import lru_cache
from importlib import resources

import networkx as nx

from tttt_kg.graph.vietnamese import ABBREVIATIONS

from .describe import CLASS_BY_KEY, CLASSES

VIS_VERSION = "vis-9.1.2"

STRINGS = {
    "vi": {"search": "Tìm (có dấu hay không dấu)", "found": "{n} kết quả", "legend": "Chú giải và lọc",
           "info": "Thông tin", "index": "← Mục lục", "hint": "Bấm vào một nút để xem chi tiết; rê chuột để xem chú thích.",
           "switch": "English", "panel": "Tìm, chú giải, thông tin",
           "keys": "Bàn phím: Tab vào hình, mũi tên chọn nút, Enter xem chi tiết.",
           "unsure": "Nét đứt, nhạt: dữ kiện suy ra hoặc chưa được trang nguồn nêu trực tiếp (độ chắc chắn trong chú thích)",
           "network": "Hình vẽ: mũi tên để chọn nút, Enter để xem chi tiết",
           "capped": "Khung đầu vẽ {n} trong {m} tài nguyên: đánh dấu một lớp trong chú giải để vẽ thêm; ô tìm kiếm tìm cả những tài nguyên chưa vẽ.",
           "transfers": "Chuyển giao chức năng, theo độ chắc chắn (nét liền: trang nguồn nêu trực tiếp; nét càng thưa, càng kém chắc chắn):"},
    "en": {"search": "Search (with or without diacritics)", "found": "{n} found", "legend": "Legend and filter",
           "info": "Details", "index": "← Index", "hint": "Click a node for details; hover for its tooltip.",
           "switch": "Tiếng Việt", "panel": "Search, legend, details",
           "keys": "Keyboard: Tab into the drawing, arrows pick a node, Enter shows its details.",
           "unsure": "Dashed, lighter: inferred, or not stated directly by the cited pages (certainty in the tooltip)",
           "network": "Drawing: arrow keys pick a node, Enter shows its details",
           "capped": "The first frame draws {n} of {m} resources: tick a class in the legend to draw more; the search finds the others too.",
           "transfers": "Function transfers, by certainty (solid: stated by the cited page; the sparser the dashes, the less certain):"},
}
OTHER = {"vi": "en", "en": "vi"}


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    return (resources.files("tttt_kg.viz") / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def vis_network() -> tuple[str, str]:
    """vis-network's script and style as shipped inside the pyvis package."""
    lib = resources.files("pyvis") / "templates" / "lib" / VIS_VERSION
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def script_json(value) -> str:
    """JSON that is safe inside <script>: no '<', '>', '&' or line separators can end or break it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _inline_safe(code: str) -> str:
    # a library's text must not close the element it is inlined in
    return code.replace("</script", "<\\/script").replace("</style", "<\\/style")


def _csp(scripts: list[str]) -> str:
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
                      for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")


def page(head_title: str, body: str, scripts: list[str], styles: list[str], lang: str) -> str:
    """The HTML shell every written page uses (views, index, ontology reference)."""
    scripts = [_inline_safe(s) for s in scripts]
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(_csp(scripts))}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(head_title)}</title>",
        *[f"<style>{_inline_safe(s)}</style>" for s in styles],
        "</head>",
        body,
        *[f"<script>{s}</script>" for s in scripts],
        "</html>",
        "",
    ])


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def text_colour(fill: str) -> str:
    """Black or white, whichever stands out more against ``fill`` (WCAG contrast)."""
    lum = _luminance(fill)
    return "#ffffff" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else "#111111"


def lighter(colour: str, share: float = 0.55) -> str:
    """``colour`` mixed with white: how a statement the pages do not state directly is drawn."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in (r, g, b))


HELD, LEFT = CLASS_BY_KEY["function"].colour, "#BBBBBB"   # function boxes and bars: still held / over
# function transfers: the functions' colour; by tkg:certaintyRank (graph/pages.py), solid when stated (5), then
# ever sparser dashes (4: stated in translation … 1: seen in another province)
TRANSFER = "#009E73"
# a box's padding around its label (vis-network's default is 5 all round): thin above and below, so that
# the time lines' rows are as close as the labels allow (layout.box_size counts on it)
BOX_MARGIN = {"top": 2, "bottom": 2, "left": 5, "right": 5}
BOXES_UP_TO = 1500      # the network views' nodes are boxes up to layout.SPRING_LIMIT; dots on the grid past it
TRANSFER_DASHES = {5: False, 4: [12, 4], 3: [8, 6], 2: [3, 5], 1: [1, 6]}


def _node_style(attrs: dict, view: str, boxes: bool = False) -> dict:
    cls = CLASS_BY_KEY.get(attrs.get("cls"), CLASS_BY_KEY["other"])
    colour = cls.colour
    if view == "mandate" and attrs.get("role") == "function":
        colour = HELD if attrs.get("status") == "held" else LEFT
    shape = "box" if attrs.get("role") in ("function", "decision", "donor") or cls.key == "decision" else "dot"
    if view in ("lineage", "mandate") or boxes:
        shape = "box"
    style: dict = {"shape": shape}
    unsure = attrs.get("certainty", "stated") != "stated"
    fill = lighter(colour) if unsure else colour
    style["color"] = {"background": fill, "border": colour,
                      "highlight": {"background": fill, "border": "#000000"},
                      "hover": {"background": fill, "border": "#000000"}}
    if unsure:
        style["shapeProperties"] = {"borderDashes": [6, 4]}
        style["borderWidth"] = 2
    if shape == "box":
        style["font"] = {"color": text_colour(fill), "size": 14}
        style["margin"] = BOX_MARGIN
    return style


def with_other_language(G: nx.DiGraph, other: nx.DiGraph) -> nx.DiGraph:
    """Give each node and edge of ``G`` its label and title in the other language (from ``other``, the
    same view drawn in that language), so that the page can switch language with one click."""
    for n in G:
        if n in other:
            G.nodes[n]["alt"] = {"label": other.nodes[n]["label"], "title": other.nodes[n]["title"]}
    for u, v, a in G.edges(data=True):
        if other.has_edge(u, v):
            b = other.edges[u, v]
            a["alt"] = {"label": b.get("label", ""), "title": b.get("title") or b.get("rel", "")}
    return G


def _edge_text(a: dict, timeline: bool) -> tuple[str, str]:
    """(label drawn on the edge, tooltip): the time lines draw no edge labels (they crossed and
    overlapped); their words go first in the tooltip."""
    label, title = a.get("label", ""), a.get("title") or a.get("rel", "")
    if timeline and label:
        return "", f"{label}\n{title}" if title and title != label else label
    return label, title


def view_data(G: nx.DiGraph, overlay: dict, lang: str, title: str, texts: dict | None = None) -> dict:
    """The JSON the page script reads: nodes, edges, classes for the legend, overlay, strings, and the
    other language's labels, titles and strings (``texts``: {lang: {"title", "intro"}})."""
    view = G.graph.get("view", "")
    timeline = True             # no view draws words on its edges (they crossed labels): they are in the tooltips
    boxes = G.number_of_nodes() <= BOXES_UP_TO      # the label inside a box of the class's colour
    hidden_classes = set(G.graph.get("hidden_classes", ()))
    nodes = []
    counts: dict[str, int] = {}
    unsure = set()
    for n in sorted(G, key=str):
        a = G.nodes[n]
        counts[a["cls"]] = counts.get(a["cls"], 0) + 1
        node = {"id": n, "label": a["label"], "title": a["title"], "x": a["x"], "y": a["y"],
                "cls": a["cls"], "key": a["key"], "date": a.get("date", ""), **_node_style(a, view, boxes)}
        if a.get("name") and a["name"] != a["label"]:
            node["name"] = a["name"]
        if a.get("hidden"):
            node["hidden"] = True
        if a.get("anchor"):
            node["anchor"] = a["anchor"]
        if a.get("certainty", "stated") != "stated":
            node["certainty"] = a["certainty"]
            unsure.add(n)
        if "alt" in a:
            node["alt"] = a["alt"]
        nodes.append(node)
    edges = []
    kinds: dict = {}
    for i, (u, v, a) in enumerate(sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))):
        label, tip = _edge_text(a, timeline)
        edge = {"id": f"e{i}", "from": u, "to": v, "title": tip}
        if label:
            edge["label"] = label
        if a.get("dashes"):
            edge["dashes"] = a["dashes"]
        if a.get("certainty"):      # a transfer: its colour, solid when stated, sparser dashes the less certain
            edge.update(certainty=a["certainty"], color={"color": TRANSFER, "highlight": "#000000", "hover": "#000000"},
                        width=2, dashes=TRANSFER_DASHES.get(a.get("certainty_rank", 0), [1, 6]))
            kinds.setdefault(a["certainty"], (a.get("certainty_rank", 0), a["certainty_names"]))
        if a.get("quiet"):
            edge["hidden"] = edge["quiet"] = True
        if "alt" in a:
            alt_label, alt_tip = _edge_text(a["alt"], timeline)
            edge["alt"] = {"label": alt_label, "title": alt_tip}
        edges.append(edge)
    if overlay.get("bars"):
        overlay = dict(overlay, bars=[dict(b, unsure=True) if b["from"] in unsure else b for b in overlay["bars"]])
    classes = [{"key": c.key, "label": c.name(lang), "alt": c.name(OTHER[lang]), "colour": c.colour, "count": counts[c.key],
                **({"hidden": True} if c.key in hidden_classes else {})}
               for c in CLASSES if c.key in counts]
    other = OTHER[lang]
    texts = texts or {}
    transfers = [{"certainty": key, "dashes": TRANSFER_DASHES.get(rank, [1, 6]), "colour": TRANSFER,
                  "label": names[lang], "alt": names[other]}
                 for key, (rank, names) in sorted(kinds.items(), key=lambda k: (-k[1][0], k[0]))]
    return {"view": view, "transfers": transfers, "lang": lang, "title": title, "nodes": nodes, "edges": edges, "classes": classes,
            "overlay": overlay, "abbreviations": ABBREVIATIONS, "strings": STRINGS[lang], "unsure": bool(unsure),
            "other": {"lang": other, "strings": STRINGS[other], **texts.get(other, {})},
            "own": texts.get(lang, {})}


def render_view(G: nx.DiGraph, overlay: dict, lang: str, title: str, intro: str = "",
                texts: dict | None = None) -> str:
    """A complete HTML page for one laid-out view. ``texts``: {lang: {"title", "intro"}} for both
    languages, for the page's language switch."""
    s = STRINGS[lang]
    texts = texts or {lang: {"title": title, "intro": intro}}
    data = view_data(G, overlay, lang, title, texts)
    vis_js, vis_css = vis_network()
    body = f"""<body>
<header><a href="index.html" id="index-link">{html.escape(s['index'])}</a><h1 id="page-title">{html.escape(title)}</h1>
<button type="button" id="lang-switch" lang="{OTHER[lang]}">{html.escape(s['switch'])}</button>
<p class="intro"><span id="intro">{html.escape(intro)}</span> <span id="hint">{html.escape(s['hint'])}</span></p></header>
<main><div id="network" tabindex="0" role="application" aria-label="{html.escape(s['network'])}"></div>
<aside id="panel"><button type="button" id="panel-toggle" aria-expanded="false">{html.escape(s['panel'])}</button>
<div id="panel-body">
<input id="search" type="search" placeholder="{html.escape(s['search'])}" autocomplete="off">
<div id="search-status"></div><ul id="results"></ul>
<h2 id="legend-title">{html.escape(s['legend'])}</h2><div id="legend" class="legend"></div>
<div id="transfer-legend" class="note"{'' if data['transfers'] else ' hidden'}><span id="transfer-title">{html.escape(s['transfers'])}</span></div>
<p id="capped-note" class="note" hidden></p>
<p id="unsure-note" class="note"{'' if data['unsure'] else ' hidden'}><span class="swatch dashed"></span> <span>{html.escape(s['unsure'])}</span></p>
<p id="keys-note" class="note">{html.escape(s['keys'])}</p>
<h2 id="info-title">{html.escape(s['info'])}</h2><div id="info" aria-live="polite"></div>
</div>
</aside></main>
<script type="application/json" id="tkg-data">{script_json(data)}</script>
</body>"""
    return page(title, body, [vis_js, asset("searchkey.js"), asset("view.js")], [vis_css, asset("view.css")], lang)
