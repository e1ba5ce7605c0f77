"""Commands over the core graph: build, validate, export, verify-sources, cite, locate."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import (DEFAULT_OUTPUT, HiddenArgument, default_source_path, deprecated_note, emit_json, emit_text,
                      graph_option, narrowing, narrowing_options, old_spelling, output_option, records_option,
                      store_option, table_or_json_option, takes_old_spellings)

FORMAT_NAMES = ["turtle", "ntriples", "nquads", "jsonld", "trig", "xml"]


def _summary(g) -> str:
    from collections import Counter

    from rdflib.namespace import RDF

    from tttt_kg.graph.namespaces import ELI, ORG, TKG
    counts = Counter(g.objects(None, RDF.type))
    parts = [f"{len(g)} triples"]
    for label, cls in (("decisions", TKG.AdministrativeDecision), ("documents", ELI.LegalResource),
                       ("organisations", ORG.Organization), ("units", ORG.OrganizationalUnit),
                       ("function assignments", TKG.FunctionAssignment), ("transfers", TKG.FunctionTransfer),
                       ("change events", ORG.ChangeEvent), ("readings", TKG.SourceReading)):
        parts.append(f"{counts.get(cls, 0)} {label}")
    return ", ".join(parts)


def _print_violations(violations) -> None:
    for v in violations:
        click.echo(str(v), err=True)


@click.command(short_help="Build the graph from the records, check it, write it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, help="Where to write the graph ('-' for stdout).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_NAMES), default="turtle", show_default=True,
              help="The RDF format to write.")
@records_option
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check (faster; not recommended).")
@click.option("--store", "store_spec", default=None, metavar="oxigraph:PATH",
              help="Also load the graph into a persistent Oxigraph store at PATH, reused by query/viz/serve.")
@click.option("--source", "sources", type=click.Choice(["seed", "pages"]), multiple=True,
              help="Build from these sources only: seed (the 2019 outline, span-cited) and pages (the "
                   "2019–2025 fact sheet, page-cited); default both. `--source seed` gives the seed-only graph.")
def build(output, fmt, records_dir, no_validate, store_spec, sources):
    """Build the graph from the records, check it against the SHACL shapes, and write it.

    Nothing is written if a record is wrong or the graph breaks a shape (exit 2 / exit 1). The graph
    names the sources that went in (id:dataset dct:source …).
    """
    with user_errors():
        from tttt_kg.graph.build import build_graph
        from tttt_kg.graph.export import write
        if store_spec:
            from tttt_kg.graph.stores.oxistore import check_store_target
            check_store_target(store_spec)   # refuse a bad target before any work
        if sources and "seed" not in sources:
            raise UserError("--source pages alone cannot be built: the page-sourced records refer to the seed's "
                            "organisations and decisions; build both and read with --source pages")
        g = build_graph(records_dir, tuple(sources) or ("seed", "pages"))
        if not no_validate:
            # the shapes as SPARQL on Oxigraph (graph/shapecheck.py, what `check` runs): the same verdicts
            # as pyshacl (agreement tests in tests/test_synth.py), in a fraction of the time; `validate` keeps pyshacl
            import pyoxigraph as ox

            from tttt_kg.graph.export import serialise
            from tttt_kg.graph.shapecheck import check_store, compile_shapes
            from tttt_kg.graph.stores.store import OxigraphStore
            store = ox.Store()
            store.load(serialise(g, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
            failures = check_store(OxigraphStore(store), compile_shapes())
            if failures:
                for failure in failures:
                    click.echo(str(failure), err=True)
                click.echo(f"error: the graph breaks {len(failures)} SHACL constraint(s); nothing written", err=True)
                raise SystemExit(1)
        if str(output) != "-" and output == DEFAULT_OUTPUT:
            output.parent.mkdir(parents=True, exist_ok=True)
        write(g, fmt, output)
        if str(output) != "-":
            click.echo(f"wrote {output}: {_summary(g)}", err=True)
        if store_spec:
            from tttt_kg.graph.stores.oxistore import load_graph_into_store
            meta = load_graph_into_store(g, store_spec)
            click.echo(f"stored {meta['triples']} triples in {store_spec}", err=True)


@click.command(short_help="Check the graph against the SHACL shapes with pyshacl.")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path), cls=HiddenArgument)
@graph_option
@records_option
@store_option
@table_or_json_option
@output_option
def validate(file, graph_file, records_dir, store_spec, fmt, output):
    """Check the graph (--graph FILE, or built from the records) against ontology/shapes.ttl with pyshacl.

    Prints one line per violation (node, label, property, message) on stderr, or with --format json
    {"conforms", "triples", "violations"} on stdout; exit 1 if any. A --store other than memory is
    checked as `tttt-kg check` does, with the same shapes as SPARQL: fast at millions of triples, and
    aware that Oxigraph keeps xsd:nonNegativeInteger values as xsd:integer (pyshacl would flag every
    offset). `validate FILE` is the old spelling of `validate --graph FILE`.
    """
    with user_errors():
        if file is not None:
            if graph_file is not None:
                raise UserError("give the graph file once: --graph FILE")
            deprecated_note("validate FILE", "validate --graph FILE")
            graph_file = file
        if store_spec and store_spec != "memory":
            from .check import check_and_report
            return check_and_report(store_spec, graph_file, records_dir, fmt, output)
        from tttt_kg.graph.dataset import get_graph
        from tttt_kg.graph.validation import validate as run_shacl
        g = get_graph(graph_file, records_dir)
        violations = run_shacl(g)
        if fmt == "json":
            emit_json({"conforms": not violations, "triples": len(g),
                       "violations": [{"severity": v.severity, "focus": str(v.focus), "label": v.label,
                                       "path": v.path, "message": v.message} for v in violations]}, output)
        elif not violations:
            emit_text(f"conforms: {_summary(g)}\n", output)
        if violations:
            if fmt != "json":
                _print_violations(violations)
            click.echo(f"{len(violations)} violation(s)", err=True)
            raise SystemExit(1)


@click.command(short_help="Write the graph as RDF, or as a network for Gephi.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_NAMES + ["graphml", "gexf"]), default="turtle",
              show_default=True, help="An RDF format, or graphml / gexf (the network, for Gephi).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: stdout).")
@graph_option
@records_option
@store_option
@narrowing_options
def export(fmt, output, graph_file, records_dir, store_spec):
    """Write the graph in an RDF format (Turtle by default) to stdout or a file.

    JSON-LD uses the context the project ships (ontology/context.jsonld).
    """
    with user_errors():
        from tttt_kg.graph.dataset import get_graph
        from tttt_kg.graph.export import write
        from tttt_kg.graph.narrowing import narrow_graph
        narrowed = narrowing() != (None, False)
        if fmt in ("graphml", "gexf"):
            from .viz import export_network
            return export_network(narrow_graph(get_graph(graph_file, records_dir, store_spec), *narrowing()), fmt, output)
        if store_spec and store_spec != "memory" and not narrowed:
            from tttt_kg.graph.stores.storedump import write_store
            return write_store(store_spec, fmt, output)
        write(narrow_graph(get_graph(graph_file, records_dir, store_spec), *narrowing()), fmt, output)


def _sources_for(g, path: Path | None):
    """The source texts to quote from: PATH if given, else each cited source found in ../shared/seed."""
    from rdflib.namespace import RDF

    from tttt_kg.graph.namespaces import TKG
    from tttt_kg.graph.provenance import read_source
    if path is not None:
        return [read_source(path)]
    found = []
    for src in g.subjects(RDF.type, TKG.SourceDocument):
        sha, name = str(g.value(src, TKG.sha256)), str(g.value(src, TKG.fileName))
        candidate = default_source_path(name)
        if candidate is not None:
            found.append(read_source(candidate, sha))
    return found


@click.command("verify-sources", short_help="Check every cited span against the source text.")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", "sheet_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The fact sheet the page-sourced statements cite (default: ../shared/sources/<its file> if present).")
@graph_option
@records_option
@store_option
@table_or_json_option
@output_option
def verify_sources(path, sheet_path, graph_file, records_dir, store_spec, fmt, output):
    """Check every cited span against the source text at PATH, and what can be checked of page citations.

    The text's SHA-256 must be the one the graph cites; every span must lie inside it and
    contain the names, numbers, wordings and dates its statement claims. Statements that rest on
    web pages cannot be checked offline: they are counted and said so, and each must have a page
    address, a fact sheet row and one certainty; given the fact sheet, each cited row must be in it
    and give the cited addresses. Exit 1 on a mismatch.
    """
    with user_errors():
        from tttt_kg.graph.dataset import get_graph
        from tttt_kg.graph.provenance import read_source, verify
        from tttt_kg.graph.namespaces import TKG
        g = get_graph(graph_file, records_dir, store_spec)
        shas = {str(o) for o in g.objects(None, TKG.sha256)}
        source = read_source(path)
        if source.sha256 not in shas:
            raise UserError(f"{path}: SHA-256 {source.sha256} is not a source the graph cites "
                            f"({', '.join(sorted(shas)) or 'none'}); the text has changed or it is another file")
        checked, problems = verify(g, source)
        pages_note = _check_pages(g, sheet_path, problems)
        if fmt == "json":
            emit_json({"ok": not problems, "source": str(path), "sha256": source.sha256, "spans_checked": checked,
                       "problems": [{"subject": str(p.subject), "message": p.message} for p in problems],
                       "pages": pages_note or None}, output)
        else:
            for p in problems:
                click.echo(f"mismatch: {p}", err=True)
        if problems:
            click.echo(f"{len(problems)} problem(s) in {checked} spans" + (f"; {pages_note}" if pages_note else ""), err=True)
            raise SystemExit(1)
        if fmt != "json":
            emit_text(f"ok: {checked} spans verified against {path} (sha256 {source.sha256[:12]}…)\n"
                      + (f"{pages_note}\n" if pages_note else ""), output)


def _check_pages(g, sheet_path: Path | None, problems: list) -> str:
    """The page-sourced statements: checked for address, row and certainty (and against the sheet, if found)."""
    from rdflib.namespace import RDF

    from tttt_kg.graph.namespaces import TKG
    from tttt_kg.graph.pages import check_against_sheet, check_page_statements
    count, found = check_page_statements(g)
    problems += found
    if not count:
        return ""
    note = (f"not checked offline: {count} statements rest on web pages, not on a stored text; each has a page "
            "address, a fact sheet row and a certainty")
    if sheet_path is None:
        for sheet in g.subjects(RDF.type, TKG.FactSheet):
            name = str(g.value(sheet, TKG.fileName) or "")
            candidate = default_source_path(name, "sources") if name else None
            sheet_path = sheet_path or candidate
    if sheet_path is not None:
        try:
            text = sheet_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{sheet_path}: cannot read the fact sheet ({exc})") from None
        urls, found = check_against_sheet(g, text)
        problems += found
        note += f"; {urls} page addresses found in their rows of {sheet_path}"
    else:
        note += "; the fact sheet was not found, so rows and addresses were not compared with it (pass --sheet PATH)"
    return note


@click.command(short_help="Print the passages of the source behind a statement.")
@click.argument("iri")
@click.option("--source-text", "source_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The source text to quote (default: ../shared/seed/<file> if present).")
@old_spelling("--source", dest="source_path", new="--source-text", type=click.Path(dir_okay=False, path_type=Path))
@graph_option
@records_option
@store_option
@table_or_json_option
@output_option
@takes_old_spellings
def cite(iri, source_path, graph_file, records_dir, store_spec, fmt, output):
    """Print the passage(s) of the source behind a statement.

    IRI is a full IRI, a prefixed name (id:org/so-tttt-hai-duong) or a record id
    (qd-53-2008, so-tttt-hai-duong, so-tttt/van-phong). A statement that rests on web pages
    gets its fact sheet rows, page addresses and certainty instead.
    """
    with user_errors():
        from tttt_kg.graph.dataset import get_graph
        from tttt_kg.graph.provenance import passages
        g = get_graph(graph_file, records_dir, store_spec)
        subject = _resolve(g, iri)
        found = passages(g, subject, _sources_for(g, source_path))
        pages = None if found else _page_citations(g, subject)
        if not found and pages is None:
            raise UserError(f"{subject} cites no passage")
        if fmt == "json":
            data = {"subject": str(subject)}
            if found:
                data["passages"] = [{"source": name, "start": start, "end": end, "text": text}
                                    for name, start, end, text in found]
            else:
                data.update(pages)
            emit_json(data, output)
        elif found:
            lines = [f"<{subject}>"]
            for name, start, end, text in found:
                lines.append(f"  {name} [{start}, {end})")
                if text is not None:
                    lines.append("    " + " ".join(text.split()))
            emit_text("\n".join(lines) + "\n", output)
        else:
            emit_text(_pages_text(subject, pages), output)
        if any(text is None for *_, text in found):
            click.echo("  (the text of a span is printed when its source is found: pass --source-text PATH)", err=True)
        if pages is not None:
            click.echo("  (web pages: not kept by the project, so not quoted here)", err=True)


def _page_citations(g, subject) -> dict | None:
    """The fact sheet rows, page addresses and certainty behind a page-sourced statement (None if none)."""
    from rdflib.namespace import DCTERMS, RDF, SKOS

    from tttt_kg.graph.namespaces import PROV, TKG
    citations = [c for c in g.objects(subject, PROV.wasDerivedFrom) if (c, RDF.type, TKG.PageCitation) in g]
    if not citations:
        return None
    certainty = g.value(subject, TKG.certainty)
    code = g.value(certainty, SKOS.notation) if certainty is not None else None
    out = {"certainty": str(certainty).rsplit("/", 1)[-1] if certainty is not None else None,
           "certainty_code": str(code) if code else None, "citations": [],
           "not_known": sorted(g.namespace_manager.normalizeUri(p) for p in g.objects(subject, TKG.notKnown))}
    for c in citations:
        sheet = g.value(c, DCTERMS.isPartOf)
        name = g.value(sheet, TKG.fileName) if sheet is not None else None
        compiled = g.value(sheet, DCTERMS.created) if sheet is not None else None
        out["citations"].append({"sheet": str(name or sheet), "rows": sorted(str(r) for r in g.objects(c, TKG.factSheetRow)),
                                 "compiled": str(compiled) if compiled is not None else None,
                                 "pages": sorted(str(u) for u in g.objects(c, DCTERMS.source))})
    return out


def _pages_text(subject, pages: dict) -> str:
    lines = [f"<{subject}>", f"  certainty: {pages['certainty'] or 'none'}"
             + (f" ({pages['certainty_code']})" if pages["certainty_code"] else "")]
    for c in pages["citations"]:
        lines.append(f"  {c['sheet']} rows {', '.join(c['rows'])} (compiled {c['compiled']})")
        lines += [f"    {page}" for page in c["pages"]]
    lines += [f"  not known: {p}" for p in pages["not_known"]]
    return "\n".join(lines) + "\n"


def _resolve(g, iri: str):
    """A full IRI, a prefixed name, or a record id (dct:identifier) → the subject IRI."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS

    from tttt_kg.graph.namespaces import PREFIXES
    from tttt_kg.graph.namespaces import PROV
    candidates = []
    if iri.startswith("<") and iri.endswith(">"):
        iri = iri[1:-1]
    if "://" in iri or iri.startswith(("urn:", "ni:")):
        candidates.append(URIRef(iri))
    elif ":" in iri and iri.split(":", 1)[0] in PREFIXES:
        prefix, local = iri.split(":", 1)
        candidates.append(URIRef(str(PREFIXES[prefix]) + local))
    candidates += list(g.subjects(DCTERMS.identifier, Literal(iri)))
    for c in candidates:
        if (c, PROV.wasDerivedFrom, None) in g:
            return c
    raise UserError(f"'{iri}' is not a statement of the graph; give an IRI such as "
                    "https://w3id.org/tttt-kg/id/org/so-tttt-hai-duong, id:org/so-tttt-hai-duong, or a record id such as qd-53-2008")


@click.command(short_help="Print the span and the line of every occurrence of TEXT.")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("text")
@table_or_json_option
@output_option
def locate(path, text, fmt, output):
    """Print the span [start, end) and the line of every occurrence of TEXT in the source at PATH.

    Matched as written first; if it does not occur so, ignoring case and diacritics (QD for QĐ).
    The spans are those records write (`span: [start, end]`, end excluded, as `cite` prints).
    """
    with user_errors():
        from tttt_kg.graph.provenance import locate as find, read_source
        source = read_source(path)
        hits = find(source.text, text)
        exact = bool(hits)
        if not hits:
            hits = find(source.text, text, tolerant=True)
            if hits:
                click.echo(f"note: '{text}' does not occur as written; these match ignoring case and diacritics",
                           err=True)
        if not hits:
            raise UserError(f"'{text}' does not occur in {path}, even ignoring case and diacritics; "
                            "try a shorter part of it")
        found, lines = [], []
        for start, end in hits:
            line = source.text.count("\n", 0, start) + 1
            first = max(source.text.rfind("\n", 0, start) + 1, start - 60)
            last = source.text.find("\n", end)
            last = min(last if last != -1 else len(source.text), end + 60)
            before, match, after = (" ".join(source.text[a:b].split()) for a, b in ((first, start), (start, end), (end, last)))
            found.append({"start": start, "end": end, "line": line, "match": match, "before": before, "after": after})
            lines.append(f"[{start}, {end})  line {line}: {'…' if first > 0 and source.text[first - 1] != chr(10) else ''}"
                         f"{before} «{match}» {after}…")
        if fmt == "json":
            emit_json({"source": str(path), "sha256": source.sha256, "exact": exact, "occurrences": found}, output)
        else:
            emit_text("\n".join(lines) + "\n", output)
