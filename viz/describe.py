"""What a node is called and what its tooltip says: class, label, dates, decision, citation.

Every view draws resources of the same graph; this module is the one place that turns a
resource into the words a reader sees (in Vietnamese or English), so the views agree.
All text produced here is plain text: the page shows it with textContent / vis-network's
text tooltips, never as HTML.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from tttt_kg.graph.namespaces import ELI, FN, M8G, OA, ORG, PREFIXES, PROV, SCHEMA, TKG
from tttt_kg.graph.vietnamese import search_key

LANGS = ("vi", "en")


@dataclass(frozen=True)
class NodeClass:
    key: str
    vi: str
    en: str
    colour: str

    def name(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


# Order matters: the first class a resource belongs to names it (a decision is also a legal resource).
# Colours: Okabe & Ito's colour-blind-safe set for the classes the timeline and decision views draw,
# Paul Tol's muted and light sets for the rest (tests/test_viz_pages.py checks the views' legends stay
# apart under simulated protan, deutan and tritan vision).
CLASSES = (
    NodeClass("decision", "Quyết định", "Decision", "#D55E00"),
    NodeClass("document", "Văn bản (luật, Đảng)", "Law or Party document", "#E69F00"),
    NodeClass("unit", "Phòng, đơn vị", "Unit", "#CC79A7"),
    NodeClass("party", "Tổ chức Đảng", "Party organisation", "#882255"),
    NodeClass("mass", "Đoàn thể", "Mass organisation", "#DDCC77"),
    NodeClass("organisation", "Cơ quan, tổ chức", "Organisation", "#0072B2"),
    NodeClass("assignment", "Giao chức năng", "Function assignment", "#44AA99"),
    NodeClass("wording", "Cách viết trong quyết định", "Decision wording", "#BBCC33"),
    NodeClass("transfer", "Chuyển giao chức năng", "Function transfer", "#F0E442"),
    NodeClass("event", "Thay đổi tổ chức", "Change event", "#56B4E9"),
    NodeClass("function", "Lĩnh vực quản lý", "Function", "#009E73"),
    NodeClass("concept", "Khái niệm phân loại", "Type concept", "#DDDDDD"),
    NodeClass("scheme", "Bộ khái niệm", "Concept scheme", "#777777"),
    NodeClass("reading", "Cách đọc văn bản nguồn", "Source reading", "#AA4499"),
    NodeClass("source", "Văn bản nguồn", "Source document", "#332288"),
    NodeClass("other", "Khác", "Other", "#99DDFF"),
)
CLASS_BY_KEY = {c.key: c for c in CLASSES}

_TYPE_TO_CLASS = (
    (TKG.AdministrativeDecision, "decision"),
    (ELI.LegalResource, "document"),
    (ORG.OrganizationalUnit, "unit"),
    (TKG.PartyOrganisation, "party"),
    (TKG.MassOrganisation, "mass"),
    (ORG.Organization, "organisation"),
    (ORG.FormalOrganization, "organisation"),
    (TKG.FunctionAssignment, "assignment"),
    (TKG.DecisionWording, "wording"),
    (TKG.FunctionTransfer, "transfer"),
    (ORG.ChangeEvent, "event"),
    (SKOS.ConceptScheme, "scheme"),
    (TKG.SourceReading, "reading"),
    (TKG.SourceDocument, "source"),
)

# Resources no view draws as nodes: provenance selectors (they go into tooltips instead)
# and the ontology's own terms (they have their own reference page).
HIDDEN_TYPES = frozenset({
    OA.SpecificResource, OA.TextPositionSelector, OWL.Class, OWL.ObjectProperty,
    OWL.DatatypeProperty, OWL.FunctionalProperty, OWL.Ontology, RDF.Property,
})

WORDS = {
    "vi": {"type": "Loại", "date": "Ngày", "decision": "Quyết định", "source": "Nguồn", "span": "đoạn",
           "entered": "vào nhiệm vụ", "left": "ra khỏi nhiệm vụ", "from": "chuyển từ",
           "assigns": "giao", "replaces": "thay thế", "transferred": "chuyển giao", "unit_of": "thuộc",
           "still": "nay", "decisions": "Quyết định giao", "functions": "lĩnh vực", "items": "mục",
           "certainty": "Độ chắc chắn", "sheet": "bảng dữ kiện 2019–2025, hàng"},
    "en": {"type": "Type", "date": "Date", "decision": "Decision", "source": "Source", "span": "span",
           "entered": "entered the mandate", "left": "left the mandate", "from": "transferred from",
           "assigns": "assigns", "replaces": "replaces", "transferred": "transfer", "unit_of": "unit of",
           "still": "now", "decisions": "Assigned by", "functions": "functions", "items": "items",
           "certainty": "Certainty", "sheet": "fact sheet 2019–2025, row"},
}


# the terms read for every node, made once (an rdflib Namespace makes a new URIRef on every access)
LABEL_PROPS = (SKOS.prefLabel, RDFS.label, ELI.id_local)
DATE_PROPS = (ELI.date_document, DCTERMS.date, SCHEMA.foundingDate)
DECISION_PROPS = (TKG.assignedBy, M8G.hasFormalFramework, TKG.transferredBy, TKG.listedIn)
_ID_LOCAL, _ALT_LABEL, _TYPE, _CONCEPT = ELI.id_local, SKOS.altLabel, RDF.type, SKOS.Concept
_DERIVED, _SOURCE, _SELECTOR = PROV.wasDerivedFrom, OA.hasSource, OA.hasSelector
_START, _END, _FILE_NAME, _SHA256 = OA.start, OA.end, TKG.fileName, TKG.sha256
_CERTAINTY, _ROW, _PAGE = TKG.certainty, TKG.factSheetRow, DCTERMS.source
CERTAINTY_BASE = "https://w3id.org/tttt-kg/id/certainty/"
STATED = "stated"
_TYPES = tuple((rdf_type, key) for rdf_type, key in _TYPE_TO_CLASS)
_FN = str(FN)
# longest namespace first: the first that matches is the best
_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


@lru_cache(maxsize=1 << 16)
def _compact(text: str) -> str:
    for ns, prefix in _NAMESPACES:
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    if text.startswith("ni:///sha-256;"):
        return "source:" + text.split(";", 1)[1][:12]
    return text


def compact(iri) -> str:
    """A prefixed name for an IRI (id:org/so-tttt-hai-duong): short ids, no URLs in the page."""
    return _compact(str(iri))


def node_class(g: Graph, node) -> str | None:
    """The class key a view colours ``node`` by, or None if no view should draw it."""
    types = set(g.objects(node, _TYPE))
    if not types or types & HIDDEN_TYPES:
        return None
    for rdf_type, key in _TYPES:
        if rdf_type in types:
            return key
    if _CONCEPT in types:
        return "function" if str(node).startswith(_FN) else "concept"
    return "other"


def label(g: Graph, node, lang: str) -> str:
    """The label in ``lang`` (then the other language, then any), else the compact IRI."""
    for prop in LABEL_PROPS:
        values = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
        if not values:
            continue
        for wanted in (lang, *[x for x in LANGS if x != lang], None):
            for v in sorted(values):
                if v.language == wanted or wanted is None:
                    return str(v)
    return compact(node)


def short_label(g: Graph, node, lang: str, name: str | None = None) -> str:
    """What is written on the node: a decision's number rather than its long title (``name``: its
    label, if the caller has it already)."""
    number = g.value(node, _ID_LOCAL)
    if number is not None:
        return str(number)
    return name if name is not None else label(g, node, lang)


def node_date(g: Graph, node) -> str | None:
    for prop in DATE_PROPS:
        value = g.value(node, prop)
        if value is not None:
            return str(value)
    return None


def citations(g: Graph, node, lang: str = "vi") -> list[str]:
    """'file (sha256 abcdef123456…) [start, end)' for every span of the seed the node is derived from;
    'fact sheet 2019–2025, row N1: page, page' for every row of the fact sheet it comes from."""
    out = []
    for sr in g.objects(node, _DERIVED):
        rows = sorted(str(r) for r in g.objects(sr, _ROW))
        if rows:    # a tkg:PageCitation: the sheet's rows and the pages' addresses
            pages = sorted(str(p) for p in g.objects(sr, _PAGE))
            out.append((1 << 62, f"{WORDS[lang]['sheet']} {', '.join(rows)}: {'; '.join(pages)}"))
            continue
        source = g.value(sr, _SOURCE)
        selector = g.value(sr, _SELECTOR)
        start, end = g.value(selector, _START), g.value(selector, _END)
        name = g.value(source, _FILE_NAME) if source is not None else None
        sha = g.value(source, _SHA256) if source is not None else None
        where = f"{name or compact(source)}"
        if sha:
            where += f" (sha256 {str(sha)[:12]}…)"
        out.append((int(start) if start is not None else -1, f"{where} [{start}, {end})"))
    return [text for _, text in sorted(out)]


def certainty(g: Graph, node) -> str:
    """The certainty code's key of a page-sourced statement (inferred, national-only, …); 'stated' for
    the seed's statements, which the stored text states."""
    value = g.value(node, _CERTAINTY)
    if value is None or not str(value).startswith(CERTAINTY_BASE):
        return STATED
    return str(value)[len(CERTAINTY_BASE):]


def certainty_line(g: Graph, node, lang: str) -> str | None:
    """'Certainty: inferred' for a statement the pages do not state directly, else None."""
    value = g.value(node, _CERTAINTY)
    if value is None or certainty(g, node) == STATED:
        return None
    return f"{WORDS[lang]['certainty']}: {label(g, value, lang)}"


def related_decisions(g: Graph, node, lang: str) -> list[str]:
    decisions = set()
    for prop in DECISION_PROPS:
        decisions.update(g.objects(node, prop))
    return sorted(short_label(g, d, lang) for d in decisions)


def tooltip(g: Graph, node, lang: str, extra: list[str] | None = None, *,
            name: str | None = None, cls: str | None = None) -> str:
    """Plain-text tooltip: label, type, date, decision(s), source citation(s). ``name`` and ``cls``:
    the node's label and class key, if the caller has them already."""
    words = WORDS[lang]
    key = cls or node_class(g, node) or "other"
    lines = [name if name is not None else label(g, node, lang), f"{words['type']}: {CLASS_BY_KEY[key].name(lang)}"]
    number = g.value(node, _ID_LOCAL)
    if number is not None and str(number) != lines[0]:
        lines.append(str(number))
    date = node_date(g, node)
    if date:
        lines.append(f"{words['date']}: {date}")
    decisions = related_decisions(g, node, lang)
    if decisions:
        lines.append(f"{words['decision']}: {', '.join(decisions)}")
    lines += extra or []
    sure = certainty_line(g, node, lang)
    if sure:
        lines.append(sure)
    for c in citations(g, node, lang):
        lines.append(f"{words['source']}: {c}")
    lines.append(compact(node))
    return "\n".join(lines)


def node_attributes(g: Graph, node, lang: str, extra: list[str] | None = None) -> dict:
    """The attributes every view gives a node (positions are added by the layout)."""
    key = node_class(g, node) or "other"
    name = label(g, node, lang)
    short = short_label(g, node, lang, name)
    keys = {search_key(name), search_key(short)}
    keys.update(search_key(str(o)) for o in g.objects(node, _ALT_LABEL))
    return {
        "label": short,
        "cls": key,
        "title": tooltip(g, node, lang, extra, name=name, cls=key),
        "date": node_date(g, node) or "",
        "key": " | ".join(sorted(k for k in keys if k)),
        "certainty": certainty(g, node),
    }
