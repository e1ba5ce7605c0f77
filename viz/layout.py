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
CHAR_PX = 0.6 * FONT
LINE_PX = 14.5
BOX_PAD_X, BOX_PAD_Y = 24, 17
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


def text_width(line: str) -> float:
    """A line's width in px at 14 px (DejaVu Sans / Noto Sans, as Chromium draws them), on the high side:
    capitals and digits are wider than small letters, spaces and stops narrower."""
    width = 0.0
    for ch in line:
        if ch.isupper():
            width += 0.76 * FONT
        elif ch.isdigit() or ch in "/&%@–—":
            width += 0.66 * FONT
        elif ch in " .,:;'|!()-·":
            width += 0.36 * FONT
        else:
            width += CHAR_PX
    return width


def box_size(text: str) -> tuple[float, float]:
    lines = text.split("\n")
    return max(text_width(line) for line in lines) + BOX_PAD_X, len(lines) * LINE_PX + BOX_PAD_Y


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


# The network views (decisions, explorer) draw boxes on a grid of cells, each cell as large as the largest
# label: no two labels can overlap, and the grid is as compact as the labels allow. A label is cut to two
# lines (the full name is the tooltip's first line and the search results'); the explorer's first frame
# draws whole classes, in this order, up to FIRST_FRAME resources, and the legend shows the rest on demand.
NET_WRAP = 20
NET_LINES = 2
CELL_GAP_X, CELL_GAP_Y = 14, 10
ASPECT = 1.5                    # width : height of the grid, about a laptop's canvas
FIRST_FRAME = 150
FIRST_CLASSES = ("decision", "organisation", "unit", "party", "mass", "function", "event", "transfer", "document",
                 "assignment", "wording", "reading", "source", "scheme", "concept", "other")


def short(text: str, width: int = NET_WRAP, lines: int = NET_LINES) -> str:
    """``text`` wrapped at ``width``, cut at a word to at most ``lines`` lines, ending in '…' when cut."""
    words = text.split()
    out = wrap(" ".join(words), width)
    while out.count("\n") >= lines and len(words) > 1:
        words = words[:-1]
        out = wrap(" ".join(words[:-1] + [words[-1].rstrip(",;:–-") + "…"]), width)
    return out


def first_frame(G: nx.DiGraph, cap: int = FIRST_FRAME) -> set:
    """The classes the explorer draws at first: whole classes in FIRST_CLASSES order while they add up to at
    most ``cap`` resources (the first class present always)."""
    counts: dict[str, int] = {}
    for n in G:
        counts[G.nodes[n]["cls"]] = counts.get(G.nodes[n]["cls"], 0) + 1
    order = [c for c in FIRST_CLASSES if c in counts] + sorted(c for c in counts if c not in FIRST_CLASSES)
    shown, total = set(), 0
    for cls in order:
        if shown and total + counts[cls] > cap:
            break
        shown.add(cls)
        total += counts[cls]
    return shown


def _cells(sizes: dict) -> tuple[float, float]:
    return (max((w for w, _ in sizes.values()), default=0) + CELL_GAP_X,
            max((h for _, h in sizes.values()), default=0) + CELL_GAP_Y)


def snap(nodes: list, pos: dict, degree: dict, cell: tuple[float, float], top: float = 0.0) -> dict:
    """Spring positions → the nearest free cell of a grid about ASPECT times as wide as high, with a
    third more cells than nodes; the best-connected nodes choose first. Deterministic, O(n · cells)."""
    if not nodes:
        return {}
    cw, ch = cell
    cells = math.ceil(len(nodes) * 1.35) + 1
    cols = max(1, round(math.sqrt(cells * ASPECT * ch / cw)))
    rows = math.ceil(cells / cols)
    xs, ys = [pos[n][0] for n in nodes], [pos[n][1] for n in nodes]
    x0, y0 = min(xs), min(ys)
    sx = (cols - 1) / ((max(xs) - x0) or 1)
    sy = (rows - 1) / ((max(ys) - y0) or 1)
    free = {(c, r) for c in range(cols) for r in range(rows)}
    out = {}
    for n in sorted(nodes, key=lambda n: (-degree.get(n, 0), str(n))):
        tx, ty = (pos[n][0] - x0) * sx, (pos[n][1] - y0) * sy
        best = min(free, key=lambda c: ((c[0] - tx) ** 2 + (c[1] - ty) ** 2, c[1], c[0]))
        free.discard(best)
        out[n] = (best[0] * cw, top + best[1] * ch)
    return out


def network(G: nx.DiGraph, seed: int = SEED) -> dict:
    """The decisions and explorer views: labels cut to two lines, a seeded spring layout snapped to a grid of
    label-sized cells (no two labels overlap); in the explorer, the classes past its first frame are hidden
    and lined up beneath, class by class, for when the legend shows them. Large graphs: a grid by class."""
    if G.number_of_nodes() > SPRING_LIMIT:
        return spring(G, seed)
    sizes = {}
    for n in G:
        node = G.nodes[n]
        node["name"] = node["label"]
        node["label"] = short(node["label"])
        found = [box_size(node["label"])]
        if "alt" in node:
            node["alt"]["name"] = node["alt"]["label"]
            node["alt"]["label"] = short(node["alt"]["label"])
            found.append(box_size(node["alt"]["label"]))
        sizes[n] = (max(w for w, _ in found), max(h for _, h in found))
    shown = first_frame(G) if G.graph.get("view") == "explorer" else {G.nodes[n]["cls"] for n in G}
    core = sorted((n for n in G if G.nodes[n]["cls"] in shown), key=str)
    cell = _cells({n: sizes[n] for n in core})
    degree = dict(G.degree())
    placed = snap(core, _components(_sorted_undirected(G, core), seed), degree, cell)
    cell = _cells(sizes)        # the classes the legend shows on demand: cells for the largest label of all
    bottom = max((y for _, y in placed.values()), default=-cell[1]) + 2 * cell[1]
    cols = max(1, round(max((x for x, _ in placed.values()), default=0) / cell[0]) + 1)
    for cls in sorted({G.nodes[n]["cls"] for n in G} - shown, key=lambda c: (FIRST_CLASSES + (c,)).index(c)):
        members = sorted((n for n in G if G.nodes[n]["cls"] == cls), key=str)
        for i, n in enumerate(members):
            placed[n] = ((i % cols) * cell[0], bottom + (i // cols) * cell[1])
            G.nodes[n]["hidden"] = True
        bottom += (math.ceil(len(members) / cols) + 1) * cell[1]
    for n, (x, y) in placed.items():
        G.nodes[n]["x"], G.nodes[n]["y"] = round(float(x), 1), round(float(y), 1)
    G.graph["hidden_classes"] = sorted({G.nodes[n]["cls"] for n in G} - shown)
    return {}


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
        if G.graph.get("view") == "explorer":       # the first frame: the first classes only
            shown = first_frame(G)
            for node in G:
                if G.nodes[node]["cls"] not in shown:
                    G.nodes[node]["hidden"] = True
            G.graph["hidden_classes"] = sorted({G.nodes[m]["cls"] for m in G} - shown)
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


LAYOUTS = {"mandate": packed_timeline, "lineage": packed_timeline, "decisions": network, "explorer": network}
