"""Node positions, computed once in Python so the browser never runs physics.

Physics in the browser took 39 s for 300 nodes and never settled for 5,000 (see the
architecture notes); fixed positions draw at once. Timeline views put x at the date and
y at the node's row; the others use a seeded spring layout, or, for large graphs, a
grid grouped by class (the spring layout is quadratic in the number of nodes).
"""
from __future__ import annotations

import datetime as dt
import math
import textwrap

import networkx as nx

SEED = 20040916          # any fixed number: the same graph always gives the same picture
PX_PER_YEAR = 150
ROW_HEIGHT = 44
SPRING_LIMIT = 1500      # above this many nodes, group by class on a grid instead


def _years(iso: str, origin: int) -> float:
    d = dt.date.fromisoformat(iso[:10])
    start = dt.date(d.year, 1, 1)
    return d.year - origin + (d - start).days / 365.25


def _years_drawn(G: nx.DiGraph) -> tuple[int, int]:
    """The first year of the axis and the last (two years past the last date, so open bars show)."""
    dates = [G.nodes[n]["when"] for n in G]
    for n in G:
        for s, e in G.nodes[n].get("intervals", []):
            dates += [d for d in (s, e) if d]
    return min(int(d[:4]) for d in dates), max(int(d[:4]) for d in dates) + 2


def timeline(G: nx.DiGraph, px_per_year: int = PX_PER_YEAR, row_height: int = ROW_HEIGHT) -> dict:
    """x from each node's ``when`` date, y from its ``row``; returns the overlay the page draws.

    The overlay holds the year axis and, for nodes with ``intervals``, one bar per interval
    (from its start to its end, or to the end of the axis while it still holds).
    """
    first, last = _years_drawn(G)
    for n in G:
        node = G.nodes[n]
        node["x"] = round(_years(node["when"], first) * px_per_year, 1)
        node["y"] = round(node["row"] * row_height, 1)
    rows = [G.nodes[n]["row"] for n in G]
    top, bottom = (min(rows) - 1) * row_height, (max(rows) + 1) * row_height
    bars = []
    for n in G:
        node = G.nodes[n]
        for s, e in node.get("intervals", []):
            x1 = _years(e, first) * px_per_year if e else (last - first) * px_per_year
            bars.append({"from": n, "x0": round(_years(s, first) * px_per_year, 1), "x1": round(x1, 1),
                         "y": node["y"], "open": not e})
    bars.sort(key=lambda b: (str(b["from"]), b["x0"], b["x1"]))   # the same order however G was built
    return {"axis": {"first": first, "last": last, "pxPerYear": px_per_year, "top": top, "bottom": bottom},
            "bars": bars}


# What a label takes on the page (vis-network boxes, 14 px sans-serif), estimated on the high side so that
# labels packed on one row never touch; the browser tests check the drawn boxes.
FONT = 14
CHAR_PX = 0.62 * FONT
LINE_PX = 15
BOX_PAD_X, BOX_PAD_Y = 18, 23
WRAP = 44            # characters per line before a label wraps
GAP = 18             # px between two things on one row
ROW_GAP = 4          # px between two rows
PACKED_PX_PER_YEAR = 46
BAND_GAP = 26
TOP_BAND = ("decision", "donor", "organisation")


def wrap(text: str, width: int = WRAP) -> str:
    """A label broken into lines of at most ``width`` characters (its own line breaks kept)."""
    lines: list[str] = []
    for line in text.split("\n"):
        lines += textwrap.wrap(line, width, break_long_words=False) or [""]
    return "\n".join(lines)


def box_size(text: str) -> tuple[float, float]:
    lines = text.split("\n")
    return max(len(line) for line in lines) * CHAR_PX + BOX_PAD_X, len(lines) * LINE_PX + BOX_PAD_Y


def packed_timeline(G: nx.DiGraph, px_per_year: int = PACKED_PX_PER_YEAR) -> dict:
    """A time line that fits a screen: each node's box starts at its date (``anchor: left``; the page
    moves it by half its drawn width), its bar runs on from there, and nodes share a row when their box
    and bar leave room. Decisions, donors and organisations go in the upper band, functions and units
    in the lower one; each decision draws a line down through the lower band at its date.

    Labels (and the other language's, ``alt``) are wrapped, and the room a box takes is the larger
    of the two, so switching language in the page never makes two labels overlap."""
    first, last = _years_drawn(G)
    end_x = (last - first) * px_per_year

    def at(iso: str) -> float:
        return round(_years(iso, first) * px_per_year, 1)

    bands: dict[int, list] = {0: [], 1: []}
    size = {}
    for n in G:
        node = G.nodes[n]
        node["label"] = wrap(node["label"])
        sizes = [box_size(node["label"])]
        if "alt" in node:
            node["alt"]["label"] = wrap(node["alt"]["label"])
            sizes.append(box_size(node["alt"]["label"]))
        size[n] = (max(w for w, _ in sizes), max(h for _, h in sizes))
        bands[0 if node.get("role") in TOP_BAND else 1].append(n)
    y = 0.0
    for band in (0, 1):
        members = sorted(bands[band], key=lambda n: (G.nodes[n].get("row", 0), G.nodes[n]["when"], G.nodes[n]["label"], str(n)))
        if not members:
            continue
        ends: list[float] = []          # per row: where the last thing on it ends
        rows: list[list] = []
        for n in members:
            node = G.nodes[n]
            x = at(node["when"])
            right = x + size[n][0] + GAP            # a box keeps a gap; a bar may end where the next box starts
            for s, e in node.get("intervals", []):
                right = max(right, at(e) if e else end_x)
            row = next((i for i, end in enumerate(ends) if end <= x), len(ends))
            if row == len(ends):
                ends.append(right)
                rows.append([])
            ends[row] = right
            rows[row].append(n)
            node["x"], node["anchor"] = x, "left"
        for row in rows:                # each row as high as its highest box
            height = max(size[n][1] for n in row) + ROW_GAP
            for n in row:
                G.nodes[n]["y"] = round(y + height / 2, 1)
            y += height
        y += BAND_GAP
    bottom = round(y, 1)
    bars, marks = [], []
    for n in sorted(G, key=str):
        node = G.nodes[n]
        for s, e in node.get("intervals", []):
            bars.append({"from": n, "x0": at(s), "x1": at(e) if e else end_x, "y": node["y"], "open": not e})
        if node.get("role") == "decision":
            marks.append({"from": n, "x": node["x"], "y0": node["y"], "y1": bottom})
    bars.sort(key=lambda b: (str(b["from"]), b["x0"], b["x1"]))
    return {"axis": {"first": first, "last": last, "pxPerYear": px_per_year, "top": -30.0, "bottom": bottom},
            "bars": bars, "marks": marks}


def spring(G: nx.DiGraph, seed: int = SEED) -> dict:
    """Seeded spring layout (small graphs) or a class-grouped grid (large ones); no overlay.

    The largest connected part gets the spring layout; the small unconnected parts (a law
    no decision cites) are lined up beneath it instead of being flung to the edges.
    """
    n = G.number_of_nodes()
    if n <= SPRING_LIMIT:
        pos = _components(_sorted_undirected(G), seed)
    else:
        pos = _grouped_grid(G, spacing=60.0)
    for node, (x, y) in pos.items():
        G.nodes[node]["x"] = round(float(x), 1)
        G.nodes[node]["y"] = round(float(y), 1)
    return {}


def _sorted_undirected(G, nodes=None) -> nx.Graph:
    """G (or its part on ``nodes``) without directions, nodes and edges in sorted order: the spring
    layout depends on the order nodes were added, which must not depend on the order the triples
    came in (nor on the order of a set of strings, which changes from one run to the next)."""
    keep = set(G) if nodes is None else set(nodes)
    U = nx.Graph()
    U.add_nodes_from(sorted(keep, key=str))
    edges = G.edges() if nodes is None else G.subgraph(keep).edges()
    U.add_edges_from(sorted(tuple(sorted((u, v), key=str)) for u, v in edges))
    return U


def _spring(U, seed: int, scale: float) -> dict:
    if U.number_of_nodes() == 1:
        return {next(iter(U)): (0.0, 0.0)}
    k = 3.0 / math.sqrt(U.number_of_nodes())   # three times networkx's default spacing: room for labels
    if U.number_of_nodes() < 500:
        return nx.spring_layout(U, seed=seed, scale=scale, k=k, iterations=150)
    # networkx switches to its sparse solver at 500 nodes, which needs scipy (not a dependency): the
    # dense one is the same algorithm, and a 1,500-node matrix is 18 MB (the default build's explorer
    # has 688 nodes)
    import numpy as np
    from networkx.drawing.layout import _fruchterman_reingold, rescale_layout
    pos = _fruchterman_reingold(nx.to_numpy_array(U), k, None, None, 150, 1e-4, 2, np.random.RandomState(seed))
    return dict(zip(U, rescale_layout(pos, scale=scale)))


def _components(U, seed: int) -> dict:
    parts = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(map(str, c))))
    main_scale = max(250.0, 90.0 * math.sqrt(len(parts[0])))
    pos = dict(_spring(_sorted_undirected(U, parts[0]), seed, main_scale))
    x, y, row_height = -main_scale, main_scale + 160.0, 0.0
    for part in parts[1:]:
        scale = 70.0 * math.sqrt(len(part)) if len(part) > 1 else 0.0
        sub = _spring(_sorted_undirected(U, part), seed, scale)
        if x + 2 * scale > main_scale and x > -main_scale:
            x, y, row_height = -main_scale, y + row_height + 140.0, 0.0
        for node, (px, py) in sub.items():
            pos[node] = (x + scale + px, y + py)
        x += 2 * scale + 320.0
        row_height = max(row_height, 2 * scale)
    return pos


def _grouped_grid(G: nx.DiGraph, spacing: float) -> dict:
    """Each class in its own square block, blocks side by side: O(n), deterministic."""
    groups: dict[str, list] = {}
    for node in sorted(G, key=str):
        groups.setdefault(G.nodes[node].get("cls", ""), []).append(node)
    pos, x0 = {}, 0.0
    for cls in sorted(groups):
        members = groups[cls]
        side = max(1, math.ceil(math.sqrt(len(members))))
        for i, node in enumerate(members):
            pos[node] = (x0 + (i % side) * spacing, (i // side) * spacing)
        x0 += (side + 3) * spacing
    return pos


LAYOUTS = {"mandate": packed_timeline, "lineage": packed_timeline, "decisions": spring, "explorer": spring}
