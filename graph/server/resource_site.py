"""`tttt-kg site -o DIR`: every document of the graph as files, for any static host.

DIR/id/…/X.html (the page `tttt-kg serve` shows), X.ttl, X.jsonld, X.nt, X.rdf for every IRI under
the base (fragments belong to their document's files); DIR/ontology.html (the ontology reference)
and DIR/ontology.{ttl,jsonld,nt,rdf}; DIR/index.html listing them all. The pages are made by the
queries the server sends (graph/server/resource_pages.py), run here by the workers' own `execute`
on the store, so a page is the same from the server and from the folder. Links between pages are
relative, so the folder works from any address, and from disk. Each file is written atomically (renamed
into place whole) and the whole site is flushed to disk once at the end, not file by file.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from rdflib import URIRef

from tttt_kg.graph.atomic import flush_all, write_bytes_atomic, write_text_atomic
from tttt_kg.graph.prefixes import BASE
from tttt_kg.graph.server.query_workers import Limits, QueryRequest, execute
from tttt_kg.graph.server.resource_pages import (FORMATS, ONTOLOGY, RDF_FORMATS, FetchError, SourceTexts, document_path, fetch,
                             file_of, label_of, rdf_bytes, render_ontology_page, render_page, shell)
from tttt_kg.graph.server.result_formats import Choice

_LIMITS = Limits(max_rows=10 ** 9, max_answer_mb=1 << 20, sandbox=False)
_CHOICE = Choice(results="json", graph="ntriples")


def runner(store):
    """run(kind, sparql) → bytes, answered as a query worker answers (same guard, same writers)."""
    def run(kind: str, sparql: str) -> bytes:
        reply = execute(store, QueryRequest(choice=_CHOICE, text=sparql), _LIMITS)
        if reply.status != 200:
            raise FetchError(reply.status, reply.body.decode("utf-8", "replace"))
        return reply.body
    return run


def documents(run) -> list[str]:
    """The path (id/…) of every document: IRIs under the base, as subject or object, fragments dropped."""
    body = run("rows", f'SELECT DISTINCT ?x WHERE {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} '
                       f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{BASE}")) }}')
    paths = {document_path(row["x"]["value"]) for row in json.loads(body)["results"]["bindings"]}
    return sorted(p for p in paths if p is not None and p != "ontology")


def export_site(store, out_dir: Path | str, texts: SourceTexts | None = None, progress=None) -> list[str]:
    """Write the pages and RDF files of every document of ``store`` under ``out_dir``; returns their paths."""
    out = Path(out_dir)
    run = runner(store)
    written: list[str] = []
    listed: list[tuple[str, str]] = []

    def put(rel: str, data: bytes | str) -> None:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        (write_text_atomic if isinstance(data, str) else write_bytes_atomic)(target, data, durable=False)
        written.append(rel)

    paths = documents(run)
    for i, path in enumerate(paths):
        doc = fetch(run, BASE + path)
        if not doc.exists:      # named by nothing but itself: no statement to show (cannot happen here)
            continue
        index = "/".join([".."] * path.count("/")) + "/index.html" if "/" in path else "index.html"
        put(file_of(path, "html"), render_page(doc, texts, index=index))
        for fmt in RDF_FORMATS:
            put(file_of(path, fmt), rdf_bytes(doc, fmt))
        listed.append((path, label_of(doc, URIRef(doc.iri))))
        if progress is not None:
            progress(i + 1, len(paths))
    ontology = fetch(run, ONTOLOGY)
    put("ontology.html", render_ontology_page(ontology)[0])
    for fmt in RDF_FORMATS:
        put(file_of("ontology", fmt), rdf_bytes(ontology, fmt))
    put("index.html", render_index(listed, Path(out / "viz" / "index.html").exists()))
    flush_all()   # each file was renamed into place whole; one flush makes them all durable
    return written


def render_index(listed: list[tuple[str, str]], views: bool) -> str:
    groups: dict[str, list[tuple[str, str]]] = {}
    for path, label in listed:
        groups.setdefault("/".join(path.split("/")[:2]), []).append((path, label))
    parts = ["<h1>tttt-kg</h1>",
             f"<p>Mỗi tài nguyên của đồ thị một trang · one page per resource of the graph ({len(listed)}), "
             "với RDF · with its RDF: " + ", ".join(FORMATS[f][1] for f in RDF_FORMATS) + ".</p>",
             '<p><a href="ontology.html">ontology</a>' + (' · <a href="viz/index.html">views</a>' if views else "")
             + "</p>"]
    for group in sorted(groups):
        items = "".join(f'<li><a href="{html.escape(file_of(p, "html"))}">{html.escape(label)}</a></li>'
                        for p, label in sorted(groups[group]))
        parts.append(f"<h2><code>{html.escape(group)}/</code> ({len(groups[group])})</h2><ul>{items}</ul>")
    return shell("tttt-kg", "\n".join(parts))
