"""The figures the graph holds over time, as small multiples on the growth page (issue 16, part 2).

One small chart per indicator with at least two dated observations (staff, members, units …), read
through the named query ``figures`` (the seed's RDF Data Cube), so the same from a store. Only the
figures the source dates are drawn (a date it writes, a decision's date, the founding, "đến nay"):
an undated figure, a 15-year total or a yearly one is dated on the outline's own date by the cube,
which is no point in time. Each point is the figure as written: its text is the source's ("gần 130"),
a range is drawn as a range (its two bounds, never a midpoint), a qualified figure as a hollow mark;
no line joins two points (the source says nothing of the years between) and no axis carries a
number the graph does not hold. Hovering a point gives the figure as written, its qualifier, whose
figure it is, how the source dates it and the source citation (the shape's <title>: no script).
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from decimal import Decimal

# the time bases whose date is the figure's own (ontology/figures.ttl, id:time-bases)
DATED = ("stated", "decision", "khi-thanh-lap", "den-nay")
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 300, 170, 14, 70, 40, 36

WORDS = {
    "vi": {"title": "Số liệu theo thời gian", "source": "Nguồn", "qualifier": "từ chỉ mức độ", "range": "khoảng",
           "bounds": {"lower": "cận dưới", "upper": "cận trên", "below": "dưới mức", "value": "số liệu"},
           "intro": "Mỗi chỉ tiêu có từ hai số liệu được nguồn ghi ngày: mỗi điểm là một số liệu như nguồn viết "
                    "(vòng rỗng: có từ chỉ mức độ như gần, hơn, trên; vạch đứng: một khoảng, từ cận dưới đến cận trên). "
                    "Các điểm không được nối: nguồn không cho biết số liệu giữa hai thời điểm. "
                    "Rê chuột lên một điểm để xem trích dẫn nguồn."},
    "en": {"title": "Figures over time", "source": "Source", "qualifier": "qualifier", "range": "range",
           "bounds": {"lower": "lower bound", "upper": "upper bound", "below": "below", "value": "figure"},
           "intro": "Each indicator with two or more figures the source dates: each point is a figure as the source "
                    "writes it (hollow: qualified, as by gần, hơn, trên; a vertical bar: a range, from its lower to its "
                    "upper bound). No line joins the points: the source says nothing of the years between. "
                    "Hover a point for its source citation."},
}


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _value(row, key: str) -> str:
    return row[key].value if key in row else ""


@dataclass
class Figure:
    """One figure as the source writes it: a value, or the bounds of a range, of one subject on one date."""
    when: str                       # as the graph holds it: a date, or a year
    subject: str
    written: str
    unit: str
    qualifier: str
    dated: str                      # how the source dates it (the time basis's name)
    bounds: dict = field(default_factory=dict)      # bound code (value, lower, upper, below) → number
    cites: list = field(default_factory=list)

    @property
    def position(self) -> float:
        """Years since 0 AD, for the x axis only: a year alone is drawn at its middle."""
        if len(self.when) == 4:
            return int(self.when) + 0.5
        d = dt.date.fromisoformat(self.when[:10])
        return d.year + (d.timetuple().tm_yday - 1) / 365.25


@dataclass
class Multiple:
    indicator: str
    label: str
    unit: str
    figures: list


def read(store, run, cites_by_node: dict, lang: str = "vi") -> list[Multiple]:
    """The small multiples, from the ``figures`` query on ``store`` (``run``: catalogue.run) and the
    source-passage citations by node IRI."""
    groups: dict = {}
    labels: dict = {}
    for row in run(store, "figures", {}).rows:
        if _value(row, "basis") not in DATED:
            continue
        indicator, when = _value(row, "id"), _value(row, "when")
        subject = (_value(row, "subjectEn") if lang == "en" else "") or _value(row, "subject")
        labels[indicator] = (_value(row, "labelEn") if lang == "en" else "") or _value(row, "label")
        key = (indicator, _value(row, "of"), when, _value(row, "asWritten"))
        unit = (_value(row, "unitEn") if lang == "en" else "") or _value(row, "unit")
        fig = groups.setdefault(key, Figure(when, subject, _value(row, "asWritten"), unit,
                                            _value(row, "qualifier"), _value(row, "dated")))
        fig.bounds[_value(row, "bound")] = Decimal(_value(row, "value"))
        for cite in cites_by_node.get(_value(row, "figure"), []):
            if cite not in fig.cites:
                fig.cites.append(cite)
    by_indicator: dict = {}
    for (indicator, _, _, _), fig in sorted(groups.items()):
        by_indicator.setdefault(indicator, []).append(fig)
    return [Multiple(i, labels[i], figs[0].unit, sorted(figs, key=lambda f: (f.position, f.subject)))
            for i, figs in sorted(by_indicator.items()) if len(figs) >= 2]


def tooltip(m: Multiple, f: Figure, lang: str) -> str:
    words = WORDS[lang]
    lines = [m.label, f"{f.subject}: {f.written} {f.unit}".rstrip()]
    if f.qualifier:
        lines.append(f"{words['qualifier']}: {f.qualifier}")
    if len(f.bounds) > 1:
        lines.append(f"{words['range']}: " + " – ".join(f"{words['bounds'].get(b, b)} {v}" for b, v in sorted(f.bounds.items(), key=lambda x: x[1])))
    lines.append(f"{f.when} ({f.dated})")
    lines += [f"{words['source']}: {c}" for c in f.cites]
    return "\n".join(lines)


def svg(m: Multiple, years: tuple[int, int], lang: str = "vi") -> str:
    """One small chart: the figures as points (ranges as bars) over a shared span of ``years``."""
    first, last = years
    subjects = list(dict.fromkeys(f.subject for f in m.figures))
    colour = {s: COLOURS[i % len(COLOURS)] for i, s in enumerate(subjects)}
    height = HEIGHT
    peak = float(max(max(f.bounds.values()) for f in m.figures)) or 1.0
    base = HEIGHT - BOTTOM

    def X(pos: float) -> float:
        return round(LEFT + (pos - first) / (last - first) * (WIDTH - LEFT - RIGHT), 1)

    def Y(v) -> float:
        return round(base - float(v) / peak * (base - TOP - 6), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
           f'role="img" class="multiple" data-indicator="{_e(m.indicator)}" aria-label="{_e(m.label)}">',
           f'<text x="{LEFT}" y="14" class="mtitle">{_e(m.label)}</text>',
           f'<text x="{LEFT}" y="28" class="tick">({_e(m.unit)})</text>',
           f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" class="axis"/>']
    last_x, low = -99.0, False
    for year in sorted({f.when[:4] for f in m.figures}):        # the years the figures are dated in, no others
        x = X(int(year) + 0.5)
        low = x - last_x < 30 and not low       # two years too close to share the line: one a line lower
        out.append(f'<text x="{x}" y="{base + (27 if low else 16)}" class="tick year" text-anchor="middle">{year}</text>')
        last_x = x
    for f in m.figures:
        x, c = X(f.position), colour[f.subject]
        parts = [f'<g class="figure" data-written="{_e(f.written)}"><title>{_e(tooltip(m, f, lang))}</title>']
        if len(f.bounds) > 1:       # a range: its bounds, as a bar with ends (an exclusive bound dashed)
            low, high = min(f.bounds.values()), max(f.bounds.values())
            dash = ' stroke-dasharray="3 2"' if "below" in f.bounds else ""
            parts.append(f'<line x1="{x}" x2="{x}" y1="{Y(low)}" y2="{Y(high)}" stroke="{c}" stroke-width="3"{dash}/>'
                         f'<line x1="{x - 4}" x2="{x + 4}" y1="{Y(low)}" y2="{Y(low)}" stroke="{c}"/>'
                         f'<line x1="{x - 4}" x2="{x + 4}" y1="{Y(high)}" y2="{Y(high)}" stroke="{c}"/>')
            y = Y(high)
        else:
            y = Y(next(iter(f.bounds.values())))
            fill = "#ffffff" if f.qualifier else c
            parts.append(f'<circle cx="{x}" cy="{y}" r="4.5" fill="{fill}" stroke="{c}" stroke-width="2"/>')
        parts.append(f'<text x="{x + 7}" y="{y + 4}" class="written">{_e(f.written)}</text></g>')
        out.append("".join(parts))
    out.append("</svg>")
    # whose figures they are, in HTML below the chart (long names wrap there)
    keys = "".join(f'<li><span class="key" style="background:{colour[s]}"></span>{_e(s)}</li>' for s in subjects)
    return f'<figure class="multiple">{"".join(out)}<figcaption><ul>{keys}</ul></figcaption></figure>'


def section(multiples: list[Multiple], lang: str = "vi") -> str:
    """The growth page's section: a heading, how to read it, and the charts side by side."""
    if not multiples:
        return ""
    words = WORDS[lang]
    years = [f.when[:4] for m in multiples for f in m.figures]
    span = (int(min(years)), int(max(years)) + 1)
    charts = "".join(svg(m, span, lang) for m in multiples)
    return (f'<h2 id="figures">{_e(words["title"])}</h2><p class="intro">{_e(words["intro"])}</p>'
            f'<div class="multiples">{charts}</div>')


CSS = (".multiples{display:flex;flex-wrap:wrap;gap:.8rem 1.2rem}.multiples svg.multiple{width:300px;height:auto;display:block}"
       "figure.multiple{margin:0;width:300px}figure.multiple ul{list-style:none;margin:0;padding:0;font-size:11px;color:#444}"
       "figure.multiple .key{display:inline-block;width:9px;height:9px;margin-right:4px}"
       ".mtitle{font-size:12px;font-weight:600;fill:#222}.written{font-size:11px;fill:#222}.axis{stroke:#999}"
       ".figure{cursor:help}")
