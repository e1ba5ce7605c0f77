"""The ontology reference page, generated from the Turtle files in ontology/.

pyLODE would be the usual tool, but the release on the mirror (3.4.1) fails on import
(it reads a pyproject.toml that its wheel does not ship) and its pages link CSS and
fonts online. The vocabulary is small, so this module writes the page itself: every
class, every property and every SKOS scheme, with labels in both languages, comments,
domains, ranges, super-classes and characteristics; all text escaped.
"""
from __future__ import annotations

import html

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from tttt_kg.ontology import VOCABULARY_FILES

from .describe import compact
from .render import page

TITLE = {"vi": "Tài liệu ontology tttt-kg", "en": "tttt-kg ontology reference"}
HEAD = {
    "vi": {"classes": "Lớp", "properties": "Thuộc tính", "schemes": "Bộ khái niệm (SKOS)", "domain": "Miền",
           "range": "Giá trị", "sub": "Lớp cha", "kind": "Loại", "index": "← Mục lục", "concepts": "khái niệm",
           "intro": "Mọi lớp, thuộc tính và bộ khái niệm khai báo trong thư mục ontology/, sinh tự động từ các tệp Turtle."},
    "en": {"classes": "Classes", "properties": "Properties", "schemes": "Concept schemes (SKOS)", "domain": "Domain",
           "range": "Range", "sub": "Subclass of", "kind": "Kind", "index": "← Index", "concepts": "concepts",
           "intro": "Every class, property and concept scheme declared in ontology/, generated from the Turtle files."},
}
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
STYLE = """body{font-family:system-ui,"Noto Sans",sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}
dl{display:grid;grid-template-columns:9rem 1fr;gap:.2rem .8rem}dt{color:#666}dd{margin:0}
section.term{border-top:1px solid #ddd;padding:.4rem 0}code{background:#f3f3f3;padding:0 .2rem}
nav a{margin-right:.6rem}"""


def load_vocabulary(files=VOCABULARY_FILES) -> Graph:
    g = Graph(bind_namespaces="none")
    for f in files:
        g.parse(f, format="turtle")
    return g


def _text(g: Graph, node, prop, lang: str) -> str:
    values = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
    for wanted in (lang, "en", "vi", None):
        for v in sorted(values):
            if v.language == wanted or wanted is None:
                return str(v)
    return ""


def _anchor(node) -> str:
    return "t-" + "".join(c if c.isalnum() else "-" for c in compact(node))


def _ref(node, declared: set, g: Graph | None = None) -> str:
    if isinstance(node, BNode) and g is not None:      # an owl:unionOf class expression: A ∪ B
        members = g.value(node, OWL.unionOf)
        if members is not None:
            return " ∪ ".join(_ref(m, declared, g) for m in Collection(g, members))
    name = html.escape(compact(node))
    return f'<a href="#{_anchor(node)}"><code>{name}</code></a>' if node in declared else f"<code>{name}</code>"


def _term(g: Graph, node, lang: str, declared: set, rows: list[tuple[str, list]]) -> str:
    labels = " / ".join(html.escape(_text(g, node, RDFS.label, x) or _text(g, node, SKOS.prefLabel, x))
                        for x in ("vi", "en"))
    out = [f'<section class="term" id="{_anchor(node)}"><h3><code>{html.escape(compact(node))}</code> — {labels}</h3>']
    comment = _text(g, node, RDFS.comment, lang) or _text(g, node, SKOS.definition, lang)
    if comment:
        out.append(f"<p>{html.escape(comment)}</p>")
    out.append("<dl>")
    for name, values in rows:
        if values:
            out.append(f"<dt>{html.escape(name)}</dt><dd>{', '.join(_ref(v, declared, g) for v in sorted(values, key=str))}</dd>")
    out.append("</dl></section>")
    return "".join(out)


def render_ontology(lang: str = "vi", g: Graph | None = None) -> str:
    """The reference page as HTML text."""
    g = g if g is not None else load_vocabulary()
    w = HEAD[lang]
    # named terms only: blank-node classes are class expressions (unions), shown where they are used
    classes = sorted((c for c in set(g.subjects(RDF.type, OWL.Class)) if isinstance(c, URIRef)), key=compact)
    properties = sorted({s for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}, key=compact)
    schemes = sorted(set(g.subjects(RDF.type, SKOS.ConceptScheme)), key=compact)
    declared = set(classes) | set(properties) | set(schemes)
    parts = [f'<body><nav><a href="index.html">{html.escape(w["index"])}</a>'
             f'<a href="#classes">{w["classes"]}</a><a href="#properties">{w["properties"]}</a>'
             f'<a href="#schemes">{w["schemes"]}</a></nav>',
             f"<h1>{html.escape(TITLE[lang])}</h1><p>{html.escape(w['intro'])}</p>"]
    for ont in g.subjects(RDF.type, OWL.Ontology):
        parts.append(f"<p>{html.escape(_text(g, ont, RDFS.comment, lang))}</p>")
    parts.append(f'<h2 id="classes">{w["classes"]} ({len(classes)})</h2>')
    for c in classes:
        parts.append(_term(g, c, lang, declared, [(w["sub"], list(g.objects(c, RDFS.subClassOf)))]))
    parts.append(f'<h2 id="properties">{w["properties"]} ({len(properties)})</h2>')
    for p in properties:
        kinds = [t for t in g.objects(p, RDF.type)]
        parts.append(_term(g, p, lang, declared, [(w["kind"], kinds), (w["domain"], list(g.objects(p, RDFS.domain))),
                                                  (w["range"], list(g.objects(p, RDFS.range)))]))
    parts.append(f'<h2 id="schemes">{w["schemes"]} ({len(schemes)})</h2>')
    for s in schemes:
        concepts = sorted(set(g.subjects(SKOS.inScheme, s)), key=compact)
        items = "".join(
            f"<li><code>{html.escape(compact(c))}</code> — {html.escape(_text(g, c, SKOS.prefLabel, 'vi'))}"
            f" / {html.escape(_text(g, c, SKOS.prefLabel, 'en'))}</li>" for c in concepts)
        parts.append(_term(g, s, lang, declared, []).replace(
            "</section>", f"<p>{len(concepts)} {w['concepts']}</p><ul>{items}</ul></section>"))
    parts.append("</body>")
    return page(TITLE[lang], "\n".join(parts), [], [STYLE], lang)
