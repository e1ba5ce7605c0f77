"""Small things a user hits (issue 17 §3), each checked as the user meets it."""
from __future__ import annotations

import json
import urllib.request

from served import running_server


def test_serve_on_port_0_announces_the_port_it_bound(seed_ntriples):
    with running_server("--graph", str(seed_ntriples)) as (base, proc):   # running_server passes --port 0
        port = int(base.rsplit(":", 1)[1])
        assert port != 0
        line = proc.log_path.read_text(encoding="utf-8")
        assert f"http://127.0.0.1:{port}/sparql" in line and ":0/" not in line
        with urllib.request.urlopen(base + "/health", timeout=10) as r:
            assert json.loads(r.read())["status"] == "ok"


def _cli(*args):
    from click.testing import CliRunner

    from tttt_kg.cli import main
    return CliRunner().invoke(main, [str(a) for a in args])


def test_table_output_shortens_the_graphs_own_iris_and_they_read_back():
    result = _cli("query", "-e", "SELECT ?o WHERE { ?o a org:Organization } ORDER BY ?o LIMIT 5")
    assert result.exit_code == 0, result.output
    names = [line.strip() for line in result.stdout.splitlines()[2:-1]]
    assert names and all(n.startswith("id:org/") for n in names), names
    back = _cli("query", "resource", "-p", f"node={names[0]}", "-f", "ntriples")
    assert back.exit_code == 0 and back.stdout.strip(), back.output


def test_shortening_keeps_what_no_prefixed_name_can_hold():
    from tttt_kg.graph.prefixes import shorten
    base = "https://w3id.org/tttt-kg/id/"
    assert shorten(base + "org/so-tttt-hai-duong", paths=True) == "id:org/so-tttt-hai-duong"
    assert shorten(base + "org/so-tttt-hai-duong") == base + "org/so-tttt-hai-duong"   # for SPARQL text
    for odd in ("org/", "org//x", "org/x#y", "org/x y", "/x"):
        assert shorten(base + odd, paths=True) == base + odd, odd


def test_synth_names_its_default_file_as_its_help_says(tmp_path, monkeypatch):
    """--help says out/synth-SIZE-SEED.nt, SIZE as written with --size (2k), not the count (2000)."""
    monkeypatch.chdir(tmp_path)
    result = _cli("synth", "--size", "2k", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["synth-2k-7.nt"]
    assert "out/synth-2k-7.nt" in result.output


def test_size_names_read_back_as_the_same_size():
    from tttt_kg.cli.synth import SizeType, size_name
    for n in (2000, 10_000, 100_000, 1_000_000, 12_345, 1_500_000, 999):
        assert SizeType().convert(size_name(n), None, None) == n
    assert size_name(1_000_000) == "1M" and size_name(12_345) == "12345"


def test_an_unknown_decision_in_diff_names_the_nearest_apart_from_the_whole_list(graph):
    from rdflib.namespace import RDF

    from tttt_kg.graph.namespaces import ELI, TKG
    dated = sorted((str(graph.value(d, ELI.date_document)), str(graph.value(d, ELI.id_local)))
                   for d in graph.subjects(RDF.type, TKG.AdministrativeDecision))
    result = _cli("diff", "53/2009", "2018-01-01", "--what", "functions", "--source", "seed")
    assert result.exit_code == 2
    message = result.output.split("error: ", 1)[1]
    nearest, whole = message.split("nearest: ", 1)[1].split(" (of the ", 1)
    assert nearest.split(", ")[0] == "53/2008/QĐ-UBND"
    assert f"{len(dated)} decisions in the graph: " + ", ".join(n for _, n in dated) in whole
    far = _cli("diff", "xyz", "2018-01-01", "--what", "functions", "--source", "seed")
    assert "nearest" not in far.output and ", ".join(n for _, n in dated) in far.output


def test_build_checks_the_shapes_with_sparql_and_writes_nothing_when_one_breaks(monkeypatch, tmp_path, graph):
    """build runs the shapes as SPARQL (graph/shapecheck.py) rather than pyshacl, with the same verdict."""
    import tttt_kg.graph.build as build
    import tttt_kg.graph.validation as validation
    from tttt_kg.graph.namespaces import ELI, ID
    d53 = ID["eli/ubnd-hai-duong/qd/2008/53"]
    real = build.build_graph

    def broken(*args, **kwargs):
        g = real(*args, **kwargs)
        g.remove((d53, ELI.id_local, None))
        return g
    monkeypatch.setattr(build, "build_graph", broken)
    monkeypatch.setattr(validation, "validate", lambda *a, **k: (_ for _ in ()).throw(AssertionError("pyshacl ran")))
    out = tmp_path / "g.ttl"
    out.write_text("old\n", encoding="utf-8")
    result = _cli("build", "--source", "seed", "-o", out)
    assert result.exit_code == 1, result.output
    assert str(d53) in result.output and "nothing written" in result.output
    assert out.read_text(encoding="utf-8") == "old\n"
    monkeypatch.setattr(build, "build_graph", real)
    assert _cli("build", "--source", "seed", "-o", out).exit_code == 0


def test_timeline_speaks_one_language_at_a_time(graph):
    """Titles and events in the language asked for (they used to be Vietnamese titles, English events)."""
    import csv
    import io

    from rdflib.namespace import RDFS

    from tttt_kg.graph.namespaces import ELI, M8G
    for lang in ("vi", "en"):
        result = _cli("timeline", "--lang", lang, "-f", "csv", "--source", "seed")
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        for row in rows:
            decision = next(graph.subjects(ELI.id_local, __import__("rdflib").Literal(row["number"])), None)
            if decision is None:
                continue
            titles = {str(t) for t in graph.objects(decision, ELI.title) if t.language == lang}
            assert not titles or row["title"] in titles, (lang, row["title"])
            events = {str(label) for e in graph.subjects(M8G.hasFormalFramework, decision)
                      for label in graph.objects(e, RDFS.label) if label.language == lang}
            assert set(filter(None, row["events"].split(" | "))) <= events, (lang, row["events"])
        assert any(row["events"] for row in rows)


def test_a_record_error_names_the_line_of_the_field_not_of_the_record(tmp_path):
    """A mistake in the fifth line of a record is reported at that line (it used to be the record's first)."""
    from tttt_kg.graph.records import RecordError, load_records
    import shutil

    from conftest import RECORDS
    records = tmp_path / "records"
    shutil.copytree(RECORDS, records)
    path = records / "documents.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("- id: qd-53-2008"))
    date = next(i for i in range(first, len(lines)) if lines[i].strip().startswith("date:"))
    assert date > first
    lines[date] = lines[date].replace("2008-11-03", "2008-13-03")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        load_records(records)
    except RecordError as exc:
        assert exc.line == date + 1 and "field 'date'" in str(exc), (exc.line, date + 1, str(exc))
        assert f"documents.yaml:{date + 1}" in str(exc)
    else:
        raise AssertionError("a month 13 was accepted")
