"""MkDocs hooks: the pages that are generated from the code at every build, so they cannot drift.

- one reference page per command of `tttt-kg`, from the click commands themselves (through
  mkdocs-click), listed in the navigation in the order of `tttt_kg.cli.COMMANDS`;
- the named-query catalogue, from the headers of `queries/*.rq` (`<!-- generated: queries -->`);
- the ontology's own terms, from `ontology/*.ttl` (`<!-- generated: ontology -->`).

`tests/test_docs.py` builds the site with `mkdocs build --strict` and checks the generated pages.
"""
from __future__ import annotations

from mkdocs.structure.files import File

REFERENCE = "reference"


def commands() -> dict[str, str]:
    """Command name -> "module:function" in tttt_kg.cli, as the CLI itself lists them."""
    from tttt_kg.cli import COMMANDS
    return dict(sorted(COMMANDS.items()))


def reference_page(name: str, target: str) -> str:
    module, attr = target.split(":")
    return (f"::: mkdocs-click\n"
            f"    :module: tttt_kg.cli.{module}\n"
            f"    :command: {attr}\n"
            f"    :prog_name: tttt-kg {name}\n"
            f"    :depth: 0\n"
            f"    :style: plain\n\n"
            f"Generated from the command's own definition (`tttt_kg.cli.{module}.{attr}`) at every build of\n"
            f"these pages: what `tttt-kg {name} --help` says. All commands: [the command reference](index.md).\n")


def on_config(config, **kwargs):
    nav = config["nav"]
    for i, entry in enumerate(nav):
        if isinstance(entry, dict) and "Command reference" in entry:
            nav[i] = {"Command reference": [f"{REFERENCE}/index.md"] +
                      [{f"tttt-kg {name}": f"{REFERENCE}/{name}.md"} for name in commands()]}
    return config


def on_files(files, config, **kwargs):
    for name, target in commands().items():
        files.append(File.generated(config, f"{REFERENCE}/{name}.md", content=reference_page(name, target)))
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    if "<!-- generated: queries -->" in markdown:
        markdown = markdown.replace("<!-- generated: queries -->", queries_markdown())
    if "<!-- generated: ontology -->" in markdown:
        markdown = markdown.replace("<!-- generated: ontology -->", ontology_markdown())
    if "<!-- generated: commands -->" in markdown:
        markdown = markdown.replace("<!-- generated: commands -->", commands_markdown())
    return markdown


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def commands_markdown() -> str:
    """The table of commands with the first line of each one's help."""
    import importlib
    rows = ["| command | what it does |", "|---|---|"]
    for name, target in commands().items():
        module, attr = target.split(":")
        cmd = getattr(importlib.import_module(f"tttt_kg.cli.{module}"), attr)
        rows.append(f"| [`tttt-kg {name}`]({name}.md) | {_cell(cmd.get_short_help_str(limit=300))} |")
    return "\n".join(rows) + "\n"


def queries_markdown() -> str:
    """Every named query: id, titles, question, parameters and how to run it, from its .rq header."""
    from tttt_kg.queries.catalogue import load_catalogue
    out = []
    queries = load_catalogue()
    out.append("| query | form | title |")
    out.append("|---|---|---|")
    for q in queries:
        out.append(f"| [`{q.id}`](#{q.id}) | {q.form.upper()} | {_cell(q.title.get('en', ''))} |")
    out.append("")
    for q in queries:
        out.append(f"## {q.id}\n")
        out.append(f"**{_cell(q.title.get('en', ''))}** · *{_cell(q.title.get('vi', ''))}* · "
                   f"{q.form.upper()} · file `queries/{q.path.name}`\n")
        if q.question:
            out.append(f"{q.question}\n")
        if q.params:
            out.append("| parameter | type | default | meaning |")
            out.append("|---|---|---|---|")
            for p in q.params:
                default = "required" if p.required else ("any (unbound)" if p.default is None else f"`{p.default}`")
                out.append(f"| `{p.name}` | `{p.type}` | {default} | {_cell(p.doc)} |")
            out.append("")
        example = f"tttt-kg query {q.id}" + "".join(
            f" -p {p.name}={p.default}" if p.default is not None else f" -p {p.name}={p.name.upper()}"
            for p in q.params if p.default is not None or p.required)
        out.append(f"Run it: `{example}` — or at `/queries/{q.id}/run` of `tttt-kg serve`.\n")
    return "\n".join(out)


def ontology_markdown() -> str:
    """The project's own classes and properties (tkg:), and the SKOS schemes, from ontology/*.ttl."""
    from pathlib import Path

    from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

    import tttt_kg.ontology as onto
    from tttt_kg.graph.namespaces import TKG

    folder = Path(onto.__file__).parent
    g = Graph()
    for path in sorted(folder.glob("*.ttl")):
        if path.name != "shapes.ttl":
            g.parse(path, format="turtle")

    def short(term) -> str:
        for prefix, ns in g.namespaces():
            if prefix and str(term).startswith(str(ns)) and len(str(term)) > len(str(ns)):
                return f"{prefix}:{str(term)[len(str(ns)):]}"
        return f"<{term}>"

    def label(term, lang) -> str:
        return next((str(o) for o in g.objects(term, RDFS.label) if getattr(o, "language", None) == lang), "")

    def comment(term) -> str:
        return next((str(o) for o in g.objects(term, RDFS.comment) if getattr(o, "language", None) in ("en", None)), "")

    own = lambda t: isinstance(t, URIRef) and str(t).startswith(str(TKG))
    out = []
    classes = sorted({s for s in g.subjects(RDF.type, OWL.Class) if own(s)} |
                     {s for s in g.subjects(RDF.type, RDFS.Class) if own(s)}, key=str)
    out.append(f"### Classes ({len(classes)})\n")
    out.append("| class | label (en · vi) | subclass of | comment |")
    out.append("|---|---|---|---|")
    for c in classes:
        sup = ", ".join(f"`{short(o)}`" for o in sorted(g.objects(c, RDFS.subClassOf), key=str) if isinstance(o, URIRef))
        out.append(f"| `{short(c)}` | {_cell(label(c, 'en'))} · {_cell(label(c, 'vi'))} | {sup} | {_cell(comment(c))} |")
    props = sorted({s for t in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.AnnotationProperty)
                    for s in g.subjects(RDF.type, t) if own(s)}, key=str)
    out.append(f"\n### Properties ({len(props)})\n")
    out.append("| property | label (en · vi) | domain | range | comment |")
    out.append("|---|---|---|---|---|")
    for p in props:
        dom = ", ".join(f"`{short(o)}`" for o in sorted(g.objects(p, RDFS.domain), key=str) if isinstance(o, URIRef))
        rng = ", ".join(f"`{short(o)}`" for o in sorted(g.objects(p, RDFS.range), key=str) if isinstance(o, URIRef))
        out.append(f"| `{short(p)}` | {_cell(label(p, 'en'))} · {_cell(label(p, 'vi'))} | {dom} | {rng} | {_cell(comment(p))} |")
    schemes = sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str)
    out.append(f"\n### Concept schemes ({len(schemes)})\n")
    out.append("| scheme | label (en · vi) | concepts |")
    out.append("|---|---|---|")
    for s in schemes:
        n = len(set(g.subjects(SKOS.inScheme, s)))
        title = label(s, "en") or next((str(o) for o in g.objects(s, SKOS.prefLabel) if getattr(o, "language", None) == "en"), "")
        vi = label(s, "vi") or next((str(o) for o in g.objects(s, SKOS.prefLabel) if getattr(o, "language", None) == "vi"), "")
        out.append(f"| `{short(s)}` | {_cell(title)} · {_cell(vi)} | {n} |")
    return "\n".join(out) + "\n"
