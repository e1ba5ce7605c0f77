"""`tttt-kg queries | query | mandate | diff | timeline`: ask the graph questions.

Thin commands over tttt_kg.queries: parse and check the arguments, run a named or ad hoc
query with typed parameters under a time limit, print the answer. Nothing here imports
rdflib, so a query on a built graph starts in a fraction of a second.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import (DATE, FormatChoice, emit_json, emit_text, graph_option, lang_option, narrowing,
                      narrowing_options, output_option, records_option, store_option, table_or_json_option)

ALL_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "nquads", "trig", "jsonld")
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")   # what a SELECT answer can be written as
EXIT_TIMEOUT = 3
DEFAULT_TIMEOUT = 30.0

format_option = click.option(
    "-f", "--format", "fmt", type=click.Choice(ALL_FORMATS), default="table", show_default=True,
    help="table (aligned text), csv, tsv, json, xml (SPARQL 1.1 results formats) for SELECT/ASK; "
         "turtle, ntriples, nquads, trig, jsonld, xml for CONSTRUCT/DESCRIBE.")
select_format_option = click.option(
    "-f", "--format", "fmt", type=FormatChoice(SELECT_FORMATS), default="table", show_default=True,
    help="table (aligned text), or a SPARQL 1.1 results format: csv, tsv, json, xml.")
timeout_option = click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
    metavar="SECONDS", help="Stop the query after this many seconds.")


def reading_options(f, formats=format_option):
    """--store, --graph, --records, --source, --min-certainty, --format, --timeout, --output: shared by every
    reading command."""
    for option in (output_option, timeout_option, formats, narrowing_options, records_option, graph_option,
                   store_option):
        f = option(f)
    return f


def select_reading_options(f):
    """reading_options for a command that prints SELECT answers: only their formats are offered."""
    return reading_options(f, select_format_option)


class Session:
    """One command's store and output settings; opens the store on first use."""

    def __init__(self, store_spec, graph_file, records_dir, fmt, timeout, output):
        self.store_spec, self.graph_file, self.records_dir = store_spec, graph_file, records_dir
        self.fmt, self.timeout, self.output = fmt, timeout, output
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from tttt_kg.queries.graph_source import open_reading_store
            with _library_errors():
                from tttt_kg.graph.narrowing import narrow_store
                self._store = narrow_store(open_reading_store(self.store_spec, self.graph_file, self.records_dir,
                                                              note=lambda text: click.echo(text, err=True)),
                                           *narrowing())
        return self._store

    def run(self, query, params=None):
        from tttt_kg.queries.catalogue import QueryTimeout, run
        with _library_errors(getattr(query, "path", None)):
            try:
                return run(self.store, query, params or {}, timeout=self.timeout)
            except QueryTimeout as exc:
                click.echo(f"error: {exc}", err=True)
                sys.stderr.flush()
                os._exit(EXIT_TIMEOUT)   # the abandoned worker thread cannot be joined

    def emit(self, chunks: list[bytes]) -> None:
        data = b"".join(chunks)
        if self.output is None or str(self.output) == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            from tttt_kg.graph.atomic import write_bytes_atomic
            write_bytes_atomic(self.output, data)

    def render(self, result) -> bytes:
        from tttt_kg.queries.formats import render
        with _library_errors():
            return render(result, self.fmt)


class _library_errors:
    """Library input errors → UserError (exit 2); syntax errors get 'line L, column C'."""

    def __init__(self, path: Path | None = None):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        from tttt_kg.graph.stores.store import StoreError
        from tttt_kg.queries.catalogue import CatalogueError
        from tttt_kg.queries.formats import FormatError
        if isinstance(exc, (StoreError, CatalogueError, FormatError)):
            message = str(exc)
            m = re.search(r"error at (\d+):(\d+): ?(.*)", message)
            if m:
                where = f"{self.path}: " if self.path else ""
                detail = m.group(3)
                if "Prefix not found" in message:
                    from tttt_kg.graph.prefixes import PREFIX_IRIS
                    detail = ("a prefix that is not declared; add PREFIX name: <…> or use one of "
                              + ", ".join(PREFIX_IRIS))
                elif len(detail) > 160:   # Oxigraph lists every character class it expected
                    detail = detail[:160].rsplit(",", 1)[0] + ", …"
                message = (f"{where}SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {detail}"
                           "\n  fix: correct the query at that position")
            raise UserError(message) from None
        return False


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--param '{pair}' is not KEY=VALUE; write e.g. --param at=2010-01-01")
        params[key.strip()] = value
    return params


# ---- commands ------------------------------------------------------------------------------

@click.command("queries", short_help="List the named queries: titles, question, parameters.")
@table_or_json_option
@output_option
def queries(fmt, output):
    """List the named queries: id, titles, the question each answers and its parameters.

    Parameters are written as they are given: `-p NAME=VALUE`, with the type and the default.
    """
    from tttt_kg.queries.catalogue import load_catalogue
    with user_errors(), _library_errors():
        catalogue = load_catalogue()
        if fmt == "json":
            return emit_json([{"id": q.id, "form": q.form, "title": dict(q.title), "question": q.question,
                               "params": [{"name": p.name, "type": p.type, "required": p.required,
                                           "default": p.default, "doc": p.doc} for p in q.params]}
                              for q in catalogue], output)
        import textwrap
        lines = []
        for q in catalogue:
            lines.append(f"{q.id}  ({q.form.upper()})")
            for lang in ("en", "vi"):
                if lang in q.title:
                    lines.append(f"    {q.title[lang]}")
            if q.question:
                lines += textwrap.wrap(" ".join(q.question.split()), 100, initial_indent="    question: ",
                                       subsequent_indent="      ")
            for p in q.params:
                lines.append(f"    -p {_param_usage(p)}")
            lines.append("")
        emit_text("\n".join(lines).rstrip() + "\n\nRun one with `tttt-kg query NAME -p NAME=VALUE`.\n", output)


def _param_usage(p) -> str:
    """A parameter as it is given on the command line: `at=… (xsd:date, default 2010-01-01): the day`."""
    default = "required" if p.required else ("any" if p.default is None else p.default)
    return f"{p.name}=… ({p.type}, default {default}): {p.doc}"


@click.command("query", short_help="Run a named query, a FILE.rq, or -e 'SPARQL'.")
@click.argument("target", required=False)
@click.option("-e", "--expression", "sparql", metavar="SPARQL", help="Run this SPARQL text instead of a named query.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query, bound as a typed RDF term (repeat for several).")
@reading_options
def query(target, sparql, params, store_spec, graph_file, records_dir, fmt, timeout, output):
    """Run a named query (see `tttt-kg queries`), a FILE.rq, or -e 'SPARQL'."""
    from tttt_kg.queries.catalogue import get, parse_query
    with user_errors():
        values = _parse_params(params)
        if sparql and target:
            raise UserError("give either a query name / .rq file or -e 'SPARQL', not both")
        with _library_errors():
            if sparql:
                q = parse_query(sparql)
            elif target is None:
                raise UserError("give a query name (see `tttt-kg queries`), a .rq file, or -e 'SELECT …'")
            elif target.endswith(".rq") or os.sep in target or Path(target).is_file():
                path = Path(target)
                if not path.is_file():
                    raise UserError(f"{path}: no such query file")
                try:
                    q = parse_query(path.read_text(encoding="utf-8"), path)
                except UnicodeDecodeError:
                    raise UserError(f"{path}: not UTF-8; save the query as UTF-8") from None
            else:
                q = get(target)
        session = Session(store_spec, graph_file, records_dir, fmt, timeout, output)
        session.emit([session.render(session.run(q, values))])


@click.command("mandate", short_help="The decisions in force on a day and their functions.")
@click.option("--at", "at", type=DATE, required=True, help="The day: YYYY-MM-DD or dd/mm/yyyy.")
@click.option("--org", "org", default=None, metavar="ID",
              help="dct:identifier of the organisation (e.g. so-tttt-hai-duong); default: every organisation.")
@select_reading_options
def mandate(at, org, store_spec, graph_file, records_dir, fmt, timeout, output):
    """The decisions in force on a day and the functions they gave (named query mandate-at).

    Organisations that had ceased by that day after handing their functions on (the Sở TTTT on
    01/3/2025) are said to be gone, and, as a table, where each of their functions went and how
    certain that is (named queries ceased-at and function-fate).
    """
    from tttt_kg.queries.catalogue import get
    with user_errors():
        params = {"at": at.isoformat(), **({"org": org} if org else {})}
        session = Session(store_spec, graph_file, records_dir, fmt, timeout, output)
        chunks = [session.render(session.run(get("mandate-at"), params))]
        session.emit(chunks + _ceased_chunks(session, at, org))


def _ceased_chunks(session, at, org=None, after=None) -> list[bytes]:
    """For each organisation that ceased (after ``after``, by ``at``) handing its functions on: a sentence
    saying so and, as a table, where each function went (named queries ceased-at, function-fate).
    Other formats than table hold one table: there a note on stderr names the query to run."""
    from tttt_kg.queries.catalogue import get
    rows = [{k: v.value for k, v in row.items()} for row in session.run(get("ceased-at"), {"at": at.isoformat()}).rows]
    chunks = []
    for c in rows:
        if (org is not None and c["org"] != org) or (after is not None and c["ceased"] <= after.isoformat()):
            continue
        if session.fmt != "table":
            click.echo(f"note: {c['org']} had ceased by {at.isoformat()}; where its functions went: "
                       f"tttt-kg query function-fate -p org={c['org']} -p at={at.isoformat()}", err=True)
            continue
        into = f" into {c['into']}" if c.get("into") else ""
        chunks.append((f"\n{c.get('organisation', c['org'])} ({c['org']}) no longer exists on {at.isoformat()}: "
                       f"it ceased on {c['ceased']}{into} (certainty: {c['certainty']}). "
                       "Where each of its functions went:\n").encode())
        chunks.append(session.render(session.run(get("function-fate"), {"org": c["org"], "at": at.isoformat()})))
    return chunks


@click.command("timeline", short_help="The decisions in date order and what each did.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of titles, issuers, bodies and events (each falls back to the other where it has none).")
@select_reading_options
def timeline(lang, store_spec, graph_file, records_dir, fmt, timeout, output):
    """The decisions in date order: number, date, issuer, what each did (named query timeline)."""
    from tttt_kg.queries.catalogue import get
    with user_errors():
        session = Session(store_spec, graph_file, records_dir, fmt, timeout, output)
        session.emit([session.render(session.run(get("timeline"), {"lang": lang}))])


@click.command("figures", short_help="The numbers the source states, with units and dates.")
@click.option("--indicator", default=None, metavar="ID",
              help="An indicator or a whole theme, e.g. bts-stations or posts-telecoms; default: every one.")
@click.option("--of", "of", default=None, metavar="ID",
              help="Whose figure: so-tttt-hai-duong (the Sở), hai-duong (the province) …; default: everyone's.")
@click.option("--year", type=click.IntRange(1000, 9999), default=None, help="Only figures dated in this year.")
@lang_option
@select_reading_options
def figures(indicator, of, year, lang, store_spec, graph_file, records_dir, fmt, timeout, output):
    """The figures the source states (named query figures, an RDF Data Cube): each with its indicator,
    whose figure it is, its date and how the source dates it, the value, its unit, its qualifier ("gần",
    "hơn", "trên" …), the bound when the source gives a range, and the figure as written.

    As CSV (-f csv) the values are plain numbers a spreadsheet reads as numbers.
    Not to be confused with `tttt-kg figure`, which draws a view for a paper.
    """
    from tttt_kg.queries.catalogue import get
    with user_errors():
        params = {k: v for k, v in (("indicator", indicator), ("of", of), ("year", str(year) if year else None))
                  if v is not None}
        session = Session(store_spec, graph_file, records_dir, fmt, timeout, output)
        result = session.run(get("figures"), params)
        if not result.rows:
            _unknown_figure_names(session, indicator, of)
        english = {"label": "labelEn", "subject": "subjectEn", "unit": "unitEn"}
        shown = [v for v in result.variables   # the filters are not data; one language of the labels
                 if v not in ("indicator", "year") and v not in english.values()]
        pick = {k: english.get(k, k) if lang == "en" else k for k in shown}   # a missing English label: the vi one
        result.variables = shown
        result.rows = [{k: value for k in shown if (value := row.get(pick[k], row.get(k))) is not None}
                       for row in result.rows]
        session.emit([session.render(result)])


def _unknown_figure_names(session, indicator, of) -> None:
    """An empty answer because of a misspelt indicator or subject is an error that says the nearest names."""
    import difflib
    from tttt_kg.queries.catalogue import get
    rows = session.run(get("figures"), {}).rows
    known = {"--indicator": {r["id"].value for r in rows} | {r["theme"].value for r in rows},
             "--of": {r["of"].value for r in rows}}
    for option, value in (("--indicator", indicator), ("--of", of)):
        if value is not None and value not in known[option]:
            near = difflib.get_close_matches(value, known[option], n=3, cutoff=0.5)
            raise UserError(f"{option} {value}: the graph has no figure of that name"
                            + (f"; nearest: {', '.join(sorted(near))}" if near else "")
                            + "\n  fix: `tttt-kg figures` lists every figure with its indicator and whose it is")


@click.command("diff", short_help="What changed between two dates or two decisions.")
@click.argument("start", metavar="FROM")
@click.argument("end", metavar="TO")
@click.option("--what", type=click.Choice(["both", "functions", "units"]), default=None,
              help="Which changes to show. Default: both as a table or JSON ({\"functions\": …, \"units\": …}); "
                   "functions in csv, tsv and xml, which hold one table (add --what units for the units).")
@select_reading_options
def diff(start, end, what, store_spec, graph_file, records_dir, fmt, timeout, output):
    """What changed between two dates or two decisions (e.g. 53/2008/QĐ-UBND 03/2017/QĐ-UBND).

    Functions added, dropped, reworded or unchanged (aligned through the SKOS mappings), and
    units kept, merged, renamed, new or dropped.
    """
    from tttt_kg.queries.catalogue import get
    from tttt_kg.queries.diff import resolve_point
    with user_errors():
        if what is None:
            what = "both" if fmt in ("table", "json") else "functions"
            if what == "functions":
                click.echo(f"note: --format {fmt} holds one table: the functions; add --what units for the units",
                           err=True)
        elif what == "both" and fmt not in ("table", "json"):
            raise UserError(f"--format {fmt} writes one table; add --what functions or --what units")
        session = Session(store_spec, graph_file, records_dir, fmt, timeout, output)
        with _library_errors():
            a = resolve_point(session.store, start)
            b = resolve_point(session.store, end)
        if a.date > b.date:
            raise UserError(f"FROM ({start}, {a.date}) is after TO ({end}, {b.date}); give the earlier one first")
        titled = what == "both" and fmt == "table"
        chunks, parts = [], {}
        if what in ("both", "functions"):
            if a.number and b.number:
                result = session.run(get("changes-between-decisions"), {"from": a.number, "to": b.number})
            else:
                result = session.run(get("changes-between-dates"), {"from": a.date.isoformat(), "to": b.date.isoformat()})
            if titled:
                chunks.append(f"Functions, {a} → {b}\n".encode())
            chunks.append(parts.setdefault("functions", session.render(result)))
        if what in ("both", "units"):
            result = session.run(get("unit-changes"), {"from": a.date.isoformat(), "to": b.date.isoformat()})
            if titled:
                chunks.append(f"\nUnits, {a.date} → {b.date}\n".encode())
            chunks.append(parts.setdefault("units", session.render(result)))
        if what == "both" and fmt == "json":   # one JSON document: each table as SPARQL 1.1 results JSON
            import json
            chunks = [(json.dumps({k: json.loads(v) for k, v in parts.items()}, ensure_ascii=False, indent=2)
                       + "\n").encode()]
        if what in ("both", "functions") and not (a.number and b.number):
            chunks += _ceased_chunks(session, b.date, after=a.date)
        session.emit(chunks)
