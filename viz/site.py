"""Write the views, the ontology reference and the index into one folder, all or nothing.

Every page is rendered in memory first; only when all of them exist is anything written,
each file atomically (a reader sees the old page or the new one). A view that cannot be
drawn (an empty graph), an unknown view name or a folder that cannot be written stops
the run before the first byte.
"""
from __future__ import annotations

import html
import os
from pathlib import Path

from rdflib import Graph

from tttt_kg.graph.atomic import OutputError, write_text_atomic

from . import layout, views
from .fromstore import ViewGraph
from .render import OTHER, page, render_view, with_other_language

ALL_VIEWS = ("mandate", "lineage", "decisions", "explorer")
FILE_NAMES = {"mandate": "mandate.html", "lineage": "lineage.html", "decisions": "decisions.html",
              "explorer": "explorer.html", "ontology": "ontology.html", "index": "index.html", "growth": "growth.html"}
INTROS = {
    "mandate": ("Trục ngang là thời gian. Mỗi lĩnh vực bắt đầu tại ngày nó vào nhiệm vụ; vạch xanh lục: "
                "còn trong nhiệm vụ, vạch xám: đã ra khỏi nhiệm vụ. Quyết định và cơ quan chuyển giao ở dải trên, "
                "mỗi quyết định kẻ một đường dọc tại ngày của nó; chọn một nút để thấy các quyết định giao nó.",
                "Time runs left to right. Each function starts at the date it entered the mandate; green bar: "
                "still held, grey bar: left. Decisions and donor agencies in the upper band, each decision a vertical "
                "line at its date; select a node to see the decisions that assign it."),
    "lineage": ("Cơ quan (dải trên) và phòng chuyên môn (dải dưới) theo ngày bắt đầu; vạch: thời gian tồn tại "
                "(màu của nút: còn, xám: đã kết thúc); mũi tên xám: thay đổi tổ chức, xanh lục: chuyển giao chức năng "
                "(nét đứt: kém chắc chắn, xem chú giải); "
                "chọn một phòng để thấy cơ quan của nó.",
                "Organisations (upper band) and units (lower band) by start date; bars: how long each existed "
                "(the node's colour: still exists, grey: ended); grey arrows: change events, green: function transfers "
                "(dashed: less certain, see the legend); "
                "select a unit to see its organisation."),
    "decisions": ("Quyết định, luật, văn bản của Đảng, cơ quan ban hành, cơ quan được quy định và lĩnh vực.",
                  "Decisions, laws and Party documents, their issuers, the bodies they regulate and their subjects."),
    "explorer": ("Toàn bộ đồ thị (trừ bộ chọn nguồn và thuật ngữ ontology), tô màu theo lớp.",
                 "The whole graph (except source selectors and ontology terms), coloured by class."),
}


class ViewError(ValueError):
    """A view name that does not exist, or a graph a view cannot be drawn from."""


def check_views(names) -> list[str]:
    names = list(names) or list(ALL_VIEWS)
    unknown = [n for n in names if n not in ALL_VIEWS]
    if unknown:
        raise ViewError(f"unknown view '{unknown[0]}'; choose from {', '.join(ALL_VIEWS)}")
    return list(dict.fromkeys(names))


def build_view(g: Graph, name: str, lang: str, explorer_limit: int | None = views.EXPLORER_LIMIT):
    """(networkx graph with positions, overlay) for one view; views.TooLargeError for an explorer
    of more than ``explorer_limit`` resources."""
    try:
        if name == "explorer":
            if isinstance(g, ViewGraph):    # copied out of a store for the other views: count, then copy all
                count = g.drawable_count()
                if explorer_limit and count > explorer_limit:
                    raise views.TooLargeError(count, explorer_limit)
                g = g.whole()
            G = views.explorer(g, lang, explorer_limit)
            with_other_language(G, views.explorer(g, OTHER[lang], explorer_limit))
        else:
            G = with_other_language(views.VIEWS[name](g, lang), views.VIEWS[name](g, OTHER[lang]))
    except views.EmptyGraphError as exc:
        raise ViewError(f"view '{name}': {exc}") from None
    overlay = layout.LAYOUTS[name](G)
    return G, overlay


def too_large_message(count: int, limit: int, lang: str) -> str:
    """What the explorer page says instead of drawing more resources than it can usefully show."""
    if lang == "vi":
        n, m = f"{count:,}".replace(",", "."), f"{limit:,}".replace(",", ".")
        return (f"Đồ thị có {n} tài nguyên, quá giới hạn {m} của trang khám phá: trình duyệt không thể "
                "vẽ chừng ấy nút một cách hữu ích. Hãy dùng các trang nhiệm vụ, phả hệ và mạng lưới văn bản, "
                "một truy vấn (tttt-kg query), hoặc tttt-kg export --format graphml để mở bằng Gephi; "
                "tttt-kg viz --explorer-limit 0 vẫn vẽ toàn bộ.")
    return (f"The graph has {count:,} resources, more than the explorer's limit of {limit:,}: a browser cannot "
            "draw that many nodes usefully. Use the mandate, lineage and decision views, a query (tttt-kg query), "
            "or tttt-kg export --format graphml for Gephi; tttt-kg viz --explorer-limit 0 draws it all anyway.")


def render_too_large(count: int, limit: int, lang: str) -> str:
    """The explorer page for a graph past the limit: the reason and where to go instead, no network."""
    from .render import STRINGS
    title = views.title("explorer", lang)
    body = (f'<body><p><a href="index.html">{html.escape(STRINGS[lang]["index"])}</a></p>'
            f"<h1>{html.escape(title)}</h1>"
            f'<p id="too-large" data-count="{count}" data-limit="{limit}">'
            f"{html.escape(too_large_message(count, limit, lang))}</p></body>")
    style = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}"
    return page(title, body, [], [style], lang)


def render_index(names: list[str], lang: str, counts: dict[str, int], too_large: frozenset = frozenset()) -> str:
    heading = "Sở TTTT Hải Dương 2004–2019: đồ thị tri thức" if lang == "vi" else \
        "Hải Dương Department of Information and Communications 2004–2019: knowledge graph"
    nodes_word = "nút" if lang == "vi" else "nodes"
    not_drawn = "quá nhiều để vẽ" if lang == "vi" else "too many to draw"

    def count(n):
        return f"{counts.get(n, 0)} {nodes_word}" + (f", {not_drawn}" if n in too_large else "")
    items = [f'<li><a href="{FILE_NAMES[n]}">{html.escape(views.title(n, lang))}</a> '
             f'({count(n)}) — {html.escape(INTROS[n][0 if lang == "vi" else 1])}</li>' for n in names]
    if "mandate" in names:
        growth = ("Nhiệm vụ tăng lên thế nào: biểu đồ bậc thang và dòng chảy lĩnh vực" if lang == "vi" else
                  "How the mandate grew: step chart and flow of functions")
        items.insert(1, f'<li><a href="{FILE_NAMES["growth"]}">{html.escape(growth)}</a></li>')
    onto = "Tài liệu ontology (lớp và thuộc tính)" if lang == "vi" else "Ontology reference (classes and properties)"
    items.append(f'<li><a href="{FILE_NAMES["ontology"]}">{html.escape(onto)}</a></li>')
    body = (f"<body><h1>{html.escape(heading)}</h1><ul>{''.join(items)}</ul>"
            "<p>tttt-kg viz</p></body>")
    style = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}li{margin:.5rem 0}"
    return page(heading, body, [], [style], lang)


def _check_writable(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: is a file, not a folder; give a folder for the pages (e.g. out/viz)")
    probe = out_dir
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"{out_dir}: {probe} is a file, so no folder can be made under it; give a folder for the "
                          "pages with -O (e.g. out/viz)")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"{out_dir}: cannot write in {probe} (permission denied); choose a writable folder with -O")


def write_site(g: Graph, out_dir: Path | str, names=(), lang: str = "vi",
               explorer_limit: int | None = views.EXPLORER_LIMIT, notes: list | None = None) -> list[Path]:
    """Render the chosen views (default all), the ontology page and the index; write them to out_dir.

    The explorer draws at most ``explorer_limit`` resources (None or 0: any number); past that its
    page says why and where to look instead, and a line is added to ``notes`` (if given)."""
    from .ontology_page import render_ontology
    if lang not in ("vi", "en"):
        raise ViewError(f"unknown language '{lang}'; choose vi or en")
    names = check_views(names)
    out_dir = Path(out_dir)
    _check_writable(out_dir)
    if len(g) == 0:
        raise ViewError("the graph is empty (no triples); build it with `tttt-kg build` or pass --graph FILE")
    pages, counts, too_large = {}, {}, set()
    for name in names:
        try:
            G, overlay = build_view(g, name, lang, explorer_limit)
        except views.TooLargeError as exc:
            counts[name] = exc.count
            too_large.add(name)
            pages[FILE_NAMES[name]] = render_too_large(exc.count, exc.limit, lang)
            if notes is not None:
                notes.append(f"{FILE_NAMES[name]}: {exc.count} resources, more than the explorer's limit of "
                             f"{exc.limit}: the page says so instead of drawing them (--explorer-limit 0 draws all)")
            continue
        counts[name] = G.number_of_nodes()
        texts = {code: {"title": views.title(name, code), "intro": INTROS[name][i]} for i, code in enumerate(("vi", "en"))}
        pages[FILE_NAMES[name]] = render_view(G, overlay, lang, views.title(name, lang),
                                              INTROS[name][0 if lang == "vi" else 1], texts)
    if "mandate" in names:      # the mandate's growth at a glance, through the named queries (viz/growth.py)
        from .growth import read, render_growth, store_for
        pages[FILE_NAMES["growth"]] = render_growth(read(store_for(g), lang=lang), lang)
    pages[FILE_NAMES["ontology"]] = render_ontology(lang)
    pages[FILE_NAMES["index"]] = render_index(names, lang, counts, frozenset(too_large))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the folder ({exc.strerror}); choose a writable folder") from None
    written = []
    for file_name, text in pages.items():
        write_text_atomic(out_dir / file_name, text)
        written.append(out_dir / file_name)
    return written
