"""`tttt-kg extract`: candidate records from other documents, their score on the seed, their review."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import UserError, user_errors
from .options import default_source_path, output_dir_option, records_option, takes_old_spellings


def _candidates(files: list[Path]):
    from tttt_kg.graph.extract import DecodeError, extract_candidates, read_text
    texts = []
    for f in files:                       # decode every input before writing anything
        try:
            texts.append((f, read_text(f)))
        except DecodeError as exc:
            raise UserError(str(exc)) from None
    return [(f, extract_candidates(t, str(f))) for f, t in texts]


def _write(out_dir: Path, results) -> list[Path]:
    from tttt_kg.graph.atomic import write_text_atomic
    from tttt_kg.graph.extract import file_texts
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir}: is a file; -O/--output-dir takes a folder to write the candidate records into")
    if not out_dir.parent.is_dir():
        raise UserError(f"{out_dir}: folder {out_dir.parent} does not exist; create it first")
    planned = []
    for f, c in results:
        target = out_dir / f.stem if len(results) > 1 else out_dir
        planned += [(target / name, text) for name, text in file_texts(c, str(f)).items()]
    written = []
    for path, text in planned:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"{path.parent}: cannot create the folder ({exc.strerror}); choose a writable place for -O/--output-dir") from None
        write_text_atomic(path, text)
        written.append(path)
    for folder in {p.parent for p, _ in planned}:      # a concept list left by an earlier run would mislead
        stale = folder / "new-functions.ttl"
        if stale.exists() and stale not in written:
            stale.unlink()
    return written


@click.command(short_help="Extract candidate records from administrative text.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@output_dir_option(None, "Folder for the candidate records (documents.yaml, organisations.yaml, …); "
                         "one sub-folder per input when there are several. Default: YAML on stdout.")
@click.option("--evaluate", is_flag=True,
              help="Score extraction of the seed (or of FILE) against the curated records; exit 1 below target.")
@click.option("--against", default=None, metavar="GRAPH_OR_RECORDS_OR_STORE",
              help="Compare the candidates with a graph file, a records folder or a store (oxigraph:PATH, "
                   "sparql:URL): new facts, matches, conflicts.")
@click.option("-f", "--format", "fmt", type=click.Choice(["yaml", "json", "turtle", "jsonld", "nquads"]), default="yaml",
              show_default=True,
              help="yaml: records to review; json: the same records, the warnings and any --evaluate or --against "
                   "report, for programs; turtle, jsonld, nquads: the candidates as RDF in the curated graph's "
                   "provenance model (under id:candidate/, with tkg:confidence), to load beside it. JSON and RDF go "
                   "to stdout, or to candidates.json|ttl|jsonld|nq in the output folder.")
@click.option("-v", "--verbose", is_flag=True, help="Every warning on its own line (default: a count per kind "
                                                      "and its first places).")
@records_option
@takes_old_spellings
def extract(files, fmt, verbose, out_dir, evaluate, against, records_dir):
    """Extract candidate records (decisions, laws, organisations, functions, units, relations)
    from Vietnamese administrative text files, with the span of text each came from.

    Files may be UTF-8, UTF-16 (with or without BOM) or Windows-1258; anything else is refused.
    """
    with user_errors():
        files = list(files)
        if evaluate and not files:
            from tttt_kg.graph.records import load_records
            seed = default_source_path(load_records(records_dir).source.file_name)
            if seed is None:
                raise UserError("the seed text is not at ../shared/seed/; give its path: tttt-kg extract --evaluate FILE")
            files = [seed]
        if not files:
            raise UserError("give at least one text file: tttt-kg extract FILE… [-O FOLDER]")
        results = _candidates(files)
        if fmt == "json":
            _json(results, out_dir, evaluate, against, records_dir, verbose)
            return
        from tttt_kg.graph.extract.warnings import summarise
        for f, c in results:
            for problem in c.problems if verbose else summarise(c.problems):
                click.echo(f"warning: {f}: {problem}", err=True)
        if fmt != "yaml":
            from tttt_kg.graph.extract.rdf_out import serialise_candidates
            data = serialise_candidates([c for _, c in results], fmt)
        if out_dir is not None and fmt != "yaml":
            from tttt_kg.graph.atomic import write_bytes_atomic
            from tttt_kg.graph.extract.rdf_out import EXTENSIONS
            if not out_dir.is_dir():
                raise UserError(f"{out_dir}: no such folder; create it first")
            write_bytes_atomic(out_dir / f"candidates.{EXTENSIONS[fmt]}", data)
            click.echo(f"wrote {out_dir / f'candidates.{EXTENSIONS[fmt]}'}", err=True)
        elif out_dir is not None:
            written = _write(out_dir, results)
            click.echo(f"wrote {len(written)} files to {out_dir}", err=True)
        if evaluate:
            from tttt_kg.graph.extract.evaluate import format_scores
            scores, below = _scores(results[0][1], records_dir)
            click.echo(format_scores(scores))
            if below:
                click.echo(f"below target: {', '.join(below)}", err=True)
                raise SystemExit(1)
        if against is not None:
            from tttt_kg.graph.extract.compare import compare, format_findings
            reference = _reference(against)
            for f, c in results:
                if len(results) > 1:
                    click.echo(f"== {f}")
                click.echo(format_findings(compare(c, reference)))
        if fmt != "yaml" and out_dir is None:
            import sys
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        elif out_dir is None and not evaluate and against is None:
            from tttt_kg.graph.extract import to_yaml
            for f, c in results:
                header = f"# candidate records from {f} (review before copying into graph/records/)\n"
                click.echo(to_yaml(c, header=header), nl=False)


def _json(results, out_dir, evaluate, against, records_dir, verbose) -> None:
    """-f json: one JSON document with every file's records, warnings and reports; exit 1 below target."""
    from tttt_kg.graph.extract import json_out
    from tttt_kg.graph.extract.warnings import summarise
    reference = _reference(against) if against is not None else None
    reports, below = [], []
    for i, (f, c) in enumerate(results):
        warnings = c.problems if verbose else summarise(c.problems)
        for problem in warnings:
            click.echo(f"warning: {f}: {problem}", err=True)
        scores = findings = None
        if evaluate and i == 0:
            scores, below = _scores(c, records_dir)
        if reference is not None:
            from tttt_kg.graph.extract.compare import compare
            findings = compare(c, reference)
        reports.append(json_out.file_report(str(f), c, warnings, scores, findings))
    text = json_out.dumps(reports)
    if out_dir is not None:
        from tttt_kg.graph.atomic import write_text_atomic
        if not out_dir.is_dir():
            raise UserError(f"{out_dir}: no such folder; create it first")
        write_text_atomic(out_dir / "candidates.json", text)
        click.echo(f"wrote {out_dir / 'candidates.json'}", err=True)
    else:
        click.echo(text, nl=False)
    if below:
        click.echo(f"below target: {', '.join(below)}", err=True)
        raise SystemExit(1)


def _scores(c, records_dir):
    """The extraction's scores against the curated records, and the kinds below their targets."""
    from tttt_kg.graph.extract.evaluate import TARGETS, evaluate as score
    from tttt_kg.graph.records import load_records
    scores = score(c, load_records(records_dir))
    below = [k for k, (recall, precision) in TARGETS.items()
             if (recall and scores[k].recall < recall) or scores[k].precision_in_region < precision]
    return scores, below


def _reference(against):
    from tttt_kg.graph.extract.compare import load_reference
    try:
        return load_reference(against)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(f"--against {against}: {exc}") from None
