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
           "info": "Thông tin", "index": "← Mục lục", "hint": "Bấm vào một nút để xem chi tiết; rê chuột để xem chú thích."},
    "en": {"search": "Search (with or without diacritics)", "found": "{n} found", "legend": "Legend and filter",
           "info": "Details", "index": "← Index", "hint": "Click a node for details; hover for its tooltip."},
}


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


def _node_style(attrs: dict, view: str) -> dict:
    cls = CLASS_BY_KEY.get(attrs.get("cls"), CLASS_BY_KEY["other"])
    colour = cls.colour
    if view == "mandate" and attrs.get("role") == "function":
        colour = "#2ca02c" if attrs.get("status") == "held" else "#bdbdbd"
    shape = "box" if attrs.get("role") in ("function", "decision", "donor") or cls.key == "decision" else "dot"
    if view == "lineage":
        shape = "box"
    style = {"color": colour, "shape": shape}
    if shape == "box" and cls.key in ("decision", "organisation", "party", "unit"):
        style["font"] = {"color": "#ffffff", "size": 18 if cls.key == "decision" else 14}   # readable on dark boxes
    return style


def view_data(G: nx.DiGraph, overlay: dict, lang: str, title: str) -> dict:
    """The JSON the page script reads: nodes, edges, classes for the legend, overlay, strings."""
    view = G.graph.get("view", "")
    nodes = []
    counts: dict[str, int] = {}
    for n in sorted(G, key=str):
        a = G.nodes[n]
        counts[a["cls"]] = counts.get(a["cls"], 0) + 1
        nodes.append({"id": n, "label": a["label"], "title": a["title"], "x": a["x"], "y": a["y"],
                      "cls": a["cls"], "key": a["key"], "date": a.get("date", ""), **_node_style(a, view)})
    edges = []
    for i, (u, v, a) in enumerate(sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))):
        edge = {"id": f"e{i}", "from": u, "to": v, "title": a.get("title") or a.get("rel", "")}
        if a.get("label"):
            edge["label"] = a["label"]
        if a.get("dashes"):
            edge["dashes"] = True
        edges.append(edge)
    classes = [{"key": c.key, "label": c.name(lang), "colour": c.colour, "count": counts[c.key]}
               for c in CLASSES if c.key in counts]
    return {"view": view, "lang": lang, "title": title, "nodes": nodes, "edges": edges, "classes": classes,
            "overlay": overlay, "abbreviations": ABBREVIATIONS, "strings": STRINGS[lang]}


def render_view(G: nx.DiGraph, overlay: dict, lang: str, title: str, intro: str = "") -> str:
    """A complete HTML page for one laid-out view."""
    s = STRINGS[lang]
    data = view_data(G, overlay, lang, title)
    vis_js, vis_css = vis_network()
    body = f"""<body>
<header><a href="index.html">{html.escape(s['index'])}</a><h1>{html.escape(title)}</h1>
<p class="intro">{html.escape(intro)} {html.escape(s['hint'])}</p></header>
<main><div id="network"></div>
<aside>
<input id="search" type="search" placeholder="{html.escape(s['search'])}" autocomplete="off">
<div id="search-status"></div><ul id="results"></ul>
<h2>{html.escape(s['legend'])}</h2><div id="legend" class="legend"></div>
<h2>{html.escape(s['info'])}</h2><div id="info"></div>
</aside></main>
<script type="application/json" id="tkg-data">{script_json(data)}</script>
</body>"""
    return page(title, body, [vis_js, asset("searchkey.js"), asset("view.js")], [vis_css, asset("view.css")], lang)
