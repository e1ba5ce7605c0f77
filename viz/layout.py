"""Node positions, computed once in Python so the browser never runs physics.

Physics in the browser took 39 s for 300 nodes and never settled for 5,000 (see the
architecture notes); fixed positions draw at once. Timeline views put x at the date and
y at the node's row; the others use a seeded spring layout, or, for large graphs, a
grid grouped by class (the spring layout is quadratic in the number of nodes).
"""
from __future__ import annotations

import datetime as dt
import math

import networkx as nx

SEED = 20040916          # any fixed number: the same graph always gives the same picture
PX_PER_YEAR = 150
ROW_HEIGHT = 44
SPRING_LIMIT = 1500      # above this many nodes, group by class on a grid instead


def _years(iso: str, origin: int) -> float:
    d = dt.date.fromisoformat(iso[:10])
    start = dt.date(d.year, 1, 1)
    return d.year - origin + (d - start).days / 365.25


def timeline(G: nx.DiGraph, px_per_year: int = PX_PER_YEAR, row_height: int = ROW_HEIGHT) -> dict:
    """x from each node's ``when`` date, y from its ``row``; returns the overlay the page draws.

    The overlay holds the year axis and, for nodes with ``intervals``, one bar per interval
    (from its start to its end, or to the end of the axis while it still holds).
    """
    dates = [G.nodes[n]["when"] for n in G]
    for n in G:
        for s, e in G.nodes[n].get("intervals", []):
            dates += [d for d in (s, e) if d]
    first = min(int(d[:4]) for d in dates)
    last = max(int(d[:4]) for d in dates) + 2
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
    return nx.spring_layout(U, seed=seed, scale=scale, k=k, iterations=150)


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


LAYOUTS = {"mandate": timeline, "lineage": timeline, "decisions": spring, "explorer": spring}
