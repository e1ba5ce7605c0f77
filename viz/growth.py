"""How the mandate grew, at a glance (issue 16, part 2): a step chart of how many functions the Sở held
on each day, stacked by where each came from, with each decision as a vertical line, and a flow of
the functions from their origin through the decisions that held them.

Everything is read through the named queries (queries/*.rq), so the page is the same from the graph
file and from a store: ``mandate-at`` on each day something changes (a transfer's date from
``transfers``, an event's from ``lineage``, the date of every decision ``mandate-at`` names), ``transfers`` for the
donors' names, ``source-passage`` for the citations shown on hover, ``figures`` for the figures over time
(multiples.py). The chart is inline SVG (no
script: the hover text is each shape's <title>), so it opens offline under the pages' CSP.
"""
from __future__ import annotations

import datetime as dt
import html
import textwrap
from dataclasses import dataclass, field

from . import multiples

ORG = "so-tttt-hai-duong"
START = dt.date(2004, 1, 1)
# Okabe & Ito, in the order the origins first appear
ORIGIN_COLOURS = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#D55E00", "#56B4E9", "#F0E442", "#999999")

WORDS = {
    "vi": {"title": "Nhiệm vụ của Sở tăng lên thế nào", "count": "số lĩnh vực", "list": "danh sách của",
           "from": "chuyển từ", "added": "thêm bởi", "functions": "lĩnh vực", "flow": "Lĩnh vực: từ nguồn gốc qua các quyết định giữ chúng",
           "origin": "Nguồn gốc", "held": "giữ", "source": "Nguồn", "ceased": "Sở không còn (chức năng chia cho cơ quan khác)",
           "intro": "Mỗi ngày từ 2004: số lĩnh vực Sở (Sở Bưu chính, Viễn thông, rồi Sở TTTT) nắm giữ, xếp chồng theo nguồn gốc; "
                    "đường dọc: các quyết định và sự kiện. Rê chuột lên một dải hay một đường để xem trích dẫn nguồn.",
           "index": "← Mục lục", "days": "từ {a} đến {b}"},
    "en": {"title": "How the Sở's mandate grew", "count": "functions held", "list": "list of",
           "from": "transferred from", "added": "added by", "functions": "functions", "flow": "Functions: from their origin through the decisions that held them",
           "origin": "Origin", "held": "held", "source": "Source", "ceased": "the Sở ceased (functions split among other bodies)",
           "intro": "Each day from 2004: how many functions the Sở (the Sở Bưu chính, Viễn thông, then the Sở TTTT) held, stacked by "
                    "origin; vertical lines: decisions and events. Hover a band or a line for its source citation.",
           "index": "← Index", "days": "from {a} to {b}"},
}


def _value(row, key: str) -> str:
    return row[key].value if key in row else ""


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass
class Growth:
    """What the chart and the flow draw, read from the named queries."""
    days: list                                  # the days something changes, in order
    held: list                                  # per day: {function: (origin key, citation)}
    origins: dict                               # origin key → label
    order: list                                 # origin keys in the order they first appear
    marks: list                                 # (date, label, citation) for each vertical line
    decisions: list = field(default_factory=list)   # decision numbers in date order (the flow's columns)
    held_by: dict = field(default_factory=dict)     # decision number → {function: citation}
    multiples: list = field(default_factory=list)   # the figures over time (multiples.py)


def _citations(store, run) -> tuple[dict, dict]:
    """source-passage: label → 'file (sha256 …) [start, end)' lines, and node IRI → the same lines."""
    out: dict = {}
    by_node: dict = {}
    for row in run(store, "source-passage", {}).rows:
        text = f"{_value(row, 'fileName')} (sha256 {_value(row, 'sha256')[:12]}…) [{_value(row, 'start')}, {_value(row, 'end')})"
        out.setdefault(_value(row, "label"), []).append(text)
        by_node.setdefault(_value(row, "node"), []).append(text)
    return out, by_node


def read(store, org: str = ORG, lang: str = "vi") -> Growth:
    """The growth of ``org``'s mandate (and its predecessors'), from the named queries on ``store``."""
    from tttt_kg.queries import catalogue

    def run(s, name, params):
        return catalogue.run(s, catalogue.get(name), params)
    words = WORDS[lang]
    cites, cites_by_node = _citations(store, run)
    transfers = run(store, "transfers", {}).rows
    donor = {_value(r, "fromId"): _value(r, "fromOrg") for r in transfers}
    events = run(store, "lineage", {"org": org}).rows
    days = {START}
    for r in transfers + events:
        d = _date(_value(r, "date"))
        if d is not None and d >= START:
            days.add(d)
    # the first of each year, then every date of a decision the answers name, until no new one comes:
    # the mandate changes only on such days (a decision in force, a transfer, an event)
    days |= {dt.date(y, 1, 1) for y in range(START.year, max(days).year + 1)}
    answered: dict = {}
    while len(answered) < len(days):
        for day in sorted(days - answered.keys()):
            answered[day] = run(store, "mandate-at", {"at": day.isoformat()}).rows
            days |= {d for r in answered[day] if (d := _date(_value(r, "decisionDate"))) and d >= START}
    days = sorted(days)
    held, first_seen, origins, order = [], {}, {}, []
    decisions: dict = {}
    predecessors: set = set()
    answers = [answered[day] for day in days]
    for rows in answers:    # the bodies it inherited its list from (the Sở BCVT), on any day
        predecessors |= {_value(r, "via") for r in rows if _value(r, "org") == org and _value(r, "basis") == "inherited"}
    for rows in answers:
        own = [r for r in rows if _value(r, "org") == org]
        if not own:
            own = [r for r in rows if _value(r, "org") in predecessors]
        state = {}
        for r in sorted(own, key=lambda r: (_value(r, "basis"), _value(r, "decisionNumber"), _value(r, "item"))):
            number, via, basis = _value(r, "decisionNumber"), _value(r, "via"), _value(r, "basis")
            if basis == "transferred":
                key, label = f"from:{via}", f"{words['from']} {donor.get(via, via)}"
                cite_key = f"Chuyển giao {_value(r, 'wording')} từ {donor.get(via, via)}"
            else:
                key, label = f"by:{number}", f"{words['added']} {number}"
                cite_key = f"{number} – mục {_value(r, 'item')}: {_value(r, 'wording')}"
                decisions.setdefault(number, _value(r, "decisionDate"))
            cite = "; ".join(cites.get(cite_key, [])) or cite_key
            for fn in _value(r, "functions").split(", "):
                if not fn:
                    continue
                if fn not in first_seen:
                    first_seen[fn] = key
                    if key not in origins:
                        origins[key] = label
                        order.append(key)
                state[fn] = (first_seen[fn], f"{cite_key}: {cite}", number if basis != "transferred" else "")
        held.append(state)
    if order and order[0].startswith("by:"):
        origins[order[0]] = f"{words['list']} {order[0][3:]}"
    marks = []
    for number, date in sorted(decisions.items(), key=lambda x: (x[1], x[0])):
        label = f"Quyết định {number}" if lang == "vi" else f"Decision {number}"
        marks.append((_date(date), number, "; ".join(cites.get(f"Quyết định {number}", [])) or label))
    for r in events:
        d = _date(_value(r, "date"))
        if d and d >= START and _value(r, "decision") not in decisions and d <= days[-1]:
            marks.append((d, _value(r, "event"), _value(r, "event")))
    held_by: dict = {}
    for state in held:
        for fn, (origin, cite, number) in state.items():
            if number:
                held_by.setdefault(number, {})[fn] = origin
    columns = [n for n, _ in sorted(decisions.items(), key=lambda x: (x[1], x[0]))]
    return Growth(days, held, origins, order, sorted(marks, key=lambda m: (m[0], m[1])), columns, held_by,
                  multiples.read(store, run, cites_by_node, lang))


def store_for(g):
    """A store to run the named queries on: the store a ViewGraph was copied from, else the graph in memory."""
    from .fromstore import ViewGraph
    if isinstance(g, ViewGraph):
        return g.source
    import pyoxigraph as ox

    from tttt_kg.graph.stores.store import OxigraphStore
    store = ox.Store()
    store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphStore(store)


# ---- drawing (SVG) --------------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def steps(growth: Growth) -> list[tuple[dt.date, dict]]:
    """(day, {origin: count}) for each day something changes."""
    return [(day, {k: sum(1 for o, _, _ in state.values() if o == k) for k in growth.order})
            for day, state in zip(growth.days, growth.held)]


def chart_svg(growth: Growth, lang: str = "vi", width: int = 980, height: int = 360) -> str:
    """The step chart: stacked bands by origin, a dashed line per decision or event, hover titles."""
    words = WORDS[lang]
    left, right, top, bottom = 48, 330, 20, 36
    first, last = growth.days[0], dt.date(max(growth.days[-1].year + 1, 2026), 1, 1)
    span = (last - first).days
    counts = steps(growth)
    peak = max([sum(c.values()) for _, c in counts] + [1])

    def X(d):
        return round(left + (d - first).days / span * (width - left - right), 1)

    def Y(v):
        return round(top + (1 - v / peak) * (height - top - bottom), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart" '
           f'aria-label="{_e(words["title"])}">']
    for v in range(0, peak + 1, 5 if peak > 12 else 2):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{Y(v)}" y2="{Y(v)}" class="grid"/>'
                   f'<text x="{left - 6}" y="{Y(v) + 4}" class="tick" text-anchor="end">{v}</text>')
    for year in range(first.year, last.year + 1, 2):
        x = X(dt.date(year, 1, 1))
        out.append(f'<text x="{x}" y="{height - bottom + 16}" class="tick" text-anchor="middle">{year}</text>')
    for i, key in enumerate(growth.order):
        colour = ORIGIN_COLOURS[i % len(ORIGIN_COLOURS)]
        for j, (day, count) in enumerate(counts):
            if not count[key]:
                continue
            end = growth.days[j + 1] if j + 1 < len(growth.days) else last
            below = sum(count[k] for k in growth.order[:i])
            cites = sorted({c for o, c, _ in growth.held[j].values() if o == key})
            tip = (f"{growth.origins[key]}: {count[key]} {words['functions']}, "
                   f"{words['days'].format(a=day.isoformat(), b=end.isoformat())}\n{words['source']}:\n" + "\n".join(cites))
            out.append(f'<rect x="{X(day)}" y="{Y(below + count[key])}" width="{round(X(end) - X(day), 1)}" '
                       f'height="{round(Y(below) - Y(below + count[key]), 1)}" fill="{colour}" class="band" '
                       f'data-origin="{_e(key)}"><title>{_e(tip)}</title></rect>')
    for d, label, cite in growth.marks:
        x = X(d)
        out.append(f'<g class="mark"><line x1="{x}" x2="{x}" y1="{top}" y2="{height - bottom}"/>'
                   f'<title>{_e(label)} ({d.isoformat()})\n{words["source"]}: {_e(cite)}</title></g>')
    y = top + 8
    for i, key in enumerate(growth.order):   # a long origin wraps (at 1366 px its one line ran off the chart)
        lines = textwrap.wrap(growth.origins[key], 40) or [""]
        out.append(f'<rect x="{width - right + 12}" y="{y}" width="12" height="12" fill="{ORIGIN_COLOURS[i % len(ORIGIN_COLOURS)]}"/>'
                   f'<text x="{width - right + 30}" y="{y + 10}" class="key">'
                   + "".join(f'<tspan x="{width - right + 30}" dy="{0 if j == 0 else 14}">{_e(line)}</tspan>'
                             for j, line in enumerate(lines)) + '</text>')
        y += 20 + 14 * (len(lines) - 1)
    out.append(f'<text x="{left}" y="{top - 6}" class="tick">{_e(words["count"])}</text></svg>')
    return "".join(out)


def flow_layout(growth: Growth, width: float = 980, height: float = 360) -> tuple[list, list]:
    """Nodes (column, label, x, y0, y1, colour, tip) and strands (x0, y0, x1, y1, size, colour, tip) of the
    flow: origins on the left, then each decision that assigned functions, in date order; a strand per
    function from its origin (or the last decision that held it) to each next decision that holds it."""
    columns = [("origin", growth.order)] + [(n, [n]) for n in growth.decisions]
    functions = sorted({fn for state in growth.held for fn in state})
    origin_of = {fn: o for state in growth.held for fn, (o, _, _) in state.items()}
    unit = (height - 40) / max(1, len(functions) + len(growth.order))
    colour = {k: ORIGIN_COLOURS[i % len(ORIGIN_COLOURS)] for i, k in enumerate(growth.order)}
    step = (width - 220) / max(1, len(columns) - 1)
    nodes, strands, slots = [], [], {}
    for c, (name, members) in enumerate(columns):
        x, y = 10 + c * step, 20.0
        for m in members:
            fns = [f for f in functions if origin_of[f] == m] if name == "origin" else sorted(
                growth.held_by.get(m, {}), key=lambda f: (growth.order.index(origin_of[f]), f))
            label = growth.origins[m] if name == "origin" else m
            nodes.append((c, label, x, y, y + unit * len(fns), colour.get(m, "#555555"), len(fns)))
            for i, f in enumerate(fns):
                slots.setdefault(f, []).append((c, x, y + unit * (i + 0.5)))
            y += unit * len(fns) + unit
    for f, places in sorted(slots.items()):
        for (c0, x0, y0), (c1, x1, y1) in zip(places, places[1:]):
            strands.append((x0 + 8, y0, x1, y1, unit * 0.8, colour[origin_of[f]], f))
    return nodes, strands


def flow_svg(growth: Growth, lang: str = "vi", width: int = 980, height: int = 360) -> str:
    words = WORDS[lang]
    nodes, strands = flow_layout(growth, width, height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="flow" '
           f'aria-label="{_e(words["flow"])}">']
    for x0, y0, x1, y1, size, colour, fn in strands:
        mid = (x0 + x1) / 2
        out.append(f'<path d="M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}" '
                   f'stroke="{colour}" stroke-width="{size:.1f}" class="strand"><title>{_e(fn)}</title></path>')
    for c, label, x, y0, y1, colour, count in nodes:
        out.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="8" height="{max(1.0, y1 - y0):.1f}" fill="{colour}" class="node">'
                   f'<title>{_e(label)}: {count} {_e(words["functions"])}</title></rect>'
                   f'<text x="{x + 12:.1f}" y="{(y0 + y1) / 2 + 4:.1f}" class="key">{_e(label)}</text>')
    out.append("</svg>")
    return "".join(out)


CSS = """body{font-family:system-ui,"Noto Sans","DejaVu Sans",sans-serif;margin:1rem auto;max-width:64rem;padding:0 1rem;color:#222}
h1{font-size:1.2rem}h2{font-size:1rem;margin-top:1.5rem}svg{width:100%;height:auto;display:block}
.grid{stroke:#e3e3e3}.tick{font-size:11px;fill:#555}.key{font-size:12px;fill:#222}
.mark line{stroke:#D55E00;stroke-dasharray:4 3;stroke-width:1.5}.mark{cursor:help}
.band{stroke:#fff;stroke-width:.3}.strand{fill:none;stroke-opacity:.55}.strand:hover,.band:hover{stroke-opacity:.9;opacity:.85}
@media print{a{display:none}}"""


def render_growth(growth: Growth, lang: str = "vi") -> str:
    from .render import page
    words = WORDS[lang]
    body = (f'<body><p><a href="index.html">{_e(words["index"])}</a></p><h1>{_e(words["title"])}</h1>'
            f'<p class="intro">{_e(words["intro"])}</p>{chart_svg(growth, lang)}'
            f'<h2>{_e(words["flow"])}</h2>{flow_svg(growth, lang)}{multiples.section(growth.multiples, lang)}</body>')
    return page(words["title"], body, [], [CSS + multiples.CSS], lang)
