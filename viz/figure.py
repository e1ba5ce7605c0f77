"""Static figures for papers (issue 16, part 3): `tttt-kg figure VIEW -o FILE.svg|pdf|png`.

The same data as the pages (growth and flow from viz/growth.py through the named queries; mandate and
lineage from viz/views.py with the pages' packed layout), drawn with matplotlib in DejaVu Sans (it
ships with matplotlib and has every Vietnamese diacritic), embedded in PDFs as TrueType (fonttype 42)
and kept as text in SVGs, so labels can be searched and checked. Sizes: a journal column (89 mm) or a
full page width (183 mm). The same graph gives the same bytes: no dates in the metadata, a fixed SVG
hash salt, and every list drawn in sorted order.
"""
from __future__ import annotations

import io
from pathlib import Path

VIEWS = ("growth", "flow", "mandate", "lineage")
SIZES = {"column": 89 / 25.4, "page": 183 / 25.4}      # inches wide
FORMATS = ("svg", "pdf", "png")
FONT = "DejaVu Sans"


class FigureError(ValueError):
    """An unknown view, size or file type."""


def _style():
    import matplotlib
    matplotlib.use("Agg")
    matplotlib.rcParams.update({
        "font.family": FONT, "font.size": 7, "svg.fonttype": "none", "pdf.fonttype": 42, "ps.fonttype": 42,
        "svg.hashsalt": "tttt-kg", "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100,
    })


def _growth(ax, grown, lang):
    import datetime as dt

    from .growth import ORIGIN_COLOURS, WORDS, steps
    counts = steps(grown)
    end = dt.date(max(grown.days[-1].year + 1, 2026), 1, 1)
    xs = [d for d, _ in counts] + [end]
    bottom = [0] * len(counts)
    for i, key in enumerate(grown.order):
        ys = [c[key] for _, c in counts]
        ax.stairs([b + y for b, y in zip(bottom, ys)], xs, baseline=bottom, fill=True,
                  color=ORIGIN_COLOURS[i % len(ORIGIN_COLOURS)], label=grown.origins[key], linewidth=0)
        bottom = [b + y for b, y in zip(bottom, ys)]
    for d, label, _ in grown.marks:
        ax.axvline(d, color="#D55E00", linestyle=(0, (3, 2)), linewidth=0.6)
    ax.set_ylabel(WORDS[lang]["count"])
    ax.set_xlim(xs[0], end)
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.1), ncol=2, frameon=False, fontsize=6)
    for d, label, _ in grown.marks:
        if "/" in label:
            ax.annotate(label.split("/QĐ")[0], (d, 1.0), xycoords=("data", "axes fraction"), rotation=90,
                        fontsize=5.5, va="top", ha="right", color="#8a3b00")


def _flow(ax, grown, lang):
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MPath

    from .growth import flow_layout
    nodes, strands = flow_layout(grown, 1000, 400)
    for x0, y0, x1, y1, size, colour, _ in strands:
        mid = (x0 + x1) / 2
        path = MPath([(x0, y0), (mid, y0), (mid, y1), (x1, y1)], [MPath.MOVETO, MPath.CURVE4, MPath.CURVE4, MPath.CURVE4])
        ax.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, linewidth=size * 0.35, alpha=0.55))
    for _, label, x, y0, y1, colour, _ in nodes:
        ax.add_patch(Rectangle((x, y0), 8, max(1.0, y1 - y0), color=colour))
        ax.text(x + 12, (y0 + y1) / 2, label, va="center", fontsize=5.5)
    ax.set_xlim(0, 1000)
    ax.set_ylim(400, 0)
    ax.axis("off")


def _timeline(ax, g, name, lang):
    from . import layout, views
    from .render import CLASS_BY_KEY, LEFT, lighter
    G = views.VIEWS[name](g, lang)
    overlay = layout.packed_timeline(G)
    a = overlay["axis"]
    for bar in overlay["bars"]:
        node = G.nodes[bar["from"]]
        colour = CLASS_BY_KEY[node["cls"]].colour if bar["open"] else LEFT
        ax.plot([bar["x0"], bar["x1"]], [bar["y"], bar["y"]], color=colour, linewidth=2.2, alpha=0.55,
                solid_capstyle="butt", linestyle=(0, (3, 2)) if node.get("certainty", "stated") != "stated" else "-")
    for mark in overlay.get("marks", []):
        ax.plot([mark["x"], mark["x"]], [mark["y0"], mark["y1"]], color="#D55E00", linewidth=0.5, linestyle=(0, (3, 2)))
    for n in sorted(G, key=str):
        node = G.nodes[n]
        colour = CLASS_BY_KEY[node["cls"]].colour
        unsure = node.get("certainty", "stated") != "stated"
        ax.text(node["x"], node["y"], node["label"], fontsize=4.6, va="center", ha="left", linespacing=1.0,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": lighter(colour, 0.75 if unsure else 0.6),
                      "edgecolor": colour, "linewidth": 0.4, "linestyle": "--" if unsure else "-"})
    ticks = list(range(a["first"], a["last"] + 1, 2))
    ax.set_xticks([(y - a["first"]) * a["pxPerYear"] for y in ticks], [str(y) for y in ticks])
    ax.set_xlim(-10, (a["last"] - a["first"] + 4) * a["pxPerYear"])
    ax.set_ylim(a["bottom"] + 10, a["top"])
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


def figure_bytes(g, view: str, fmt: str, size: str = "page", lang: str = "vi") -> bytes:
    """The figure of ``view`` as ``fmt`` bytes, from graph ``g`` (an rdflib graph or a store's ViewGraph)."""
    if view not in VIEWS:
        raise FigureError(f"unknown figure '{view}'; choose from {', '.join(VIEWS)}")
    if fmt not in FORMATS:
        raise FigureError(f"cannot write .{fmt}; give a file ending in .svg, .pdf or .png")
    if size not in SIZES:
        raise FigureError(f"unknown size '{size}'; choose column or page")
    _style()
    import matplotlib.pyplot as plt
    width = SIZES[size]
    heights = {"growth": 0.5, "flow": 0.55, "mandate": 0.95, "lineage": 1.05}
    fig, ax = plt.subplots(figsize=(width, width * heights[view]))
    if view in ("growth", "flow"):
        from .growth import read, store_for
        grown = read(store_for(g), lang=lang)
        (_growth if view == "growth" else _flow)(ax, grown, lang)
    else:
        _timeline(ax, g, view, lang)
    fig.tight_layout(pad=0.3)
    out = io.BytesIO()
    metadata = {"svg": {"Date": None, "Creator": "tttt-kg"}, "pdf": {"CreationDate": None, "ModDate": None, "Creator": "tttt-kg"},
                "png": {"Software": "tttt-kg"}}[fmt]
    fig.savefig(out, format=fmt, metadata=metadata, dpi=300 if fmt == "png" else None)
    plt.close(fig)
    return out.getvalue()


def format_of(path: Path | str) -> str:
    return Path(path).suffix.lower().lstrip(".")
