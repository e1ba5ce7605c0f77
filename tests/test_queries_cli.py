"""`tttt-kg queries | query | mandate | diff | timeline` as a user runs them, bad input included."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest


@pytest.fixture(scope="session")
def graph_file(graph, tmp_path_factory):
    """The seed graph written once as Turtle, as `tttt-kg build` writes out/tttt-kg.ttl."""
    from tttt_kg.graph.export import write
    path = tmp_path_factory.mktemp("built") / "tttt-kg.ttl"
    write(graph, "turtle", path)
    return path


@pytest.fixture
def q(cli, graph_file):
    """Run a reading command on the built seed graph file."""
    def run(*args):
        return cli(*args, "--graph", graph_file)
    return run


def table_rows(output: str) -> list[str]:
    return [line for line in output.splitlines()[2:] if line and not line.startswith("(")]


def test_queries_lists_catalogue(cli):
    from tttt_kg.queries.catalogue import load_catalogue
    result = cli("queries")
    assert result.exit_code == 0
    for query in load_catalogue():
        assert query.id in result.stdout and query.title["en"] in result.stdout
    assert "-p at=… (xsd:date, default 2010-01-01)" in result.stdout   # as it is given: -p NAME=VALUE


def test_query_named_with_param_prints_a_table(q):
    result = q("query", "mandate-at", "--param", "at=2005-01-01")
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()[0].split()
    assert header[:5] == ["org", "organisation", "basis", "via", "decisionNumber"] and "at" not in header
    rows = table_rows(result.stdout)
    assert len(rows) == 9 and all("3593/2004/QĐ-UBND" in r for r in rows)
    assert result.stdout.rstrip().endswith("(9 rows)")


def test_query_json_is_sparql_results_json(q):
    result = q("query", "units-at", "-p", "at=2018-01-01", "-p", "kind=division", "--format", "json")
    data = json.loads(result.stdout)
    assert "unitId" in data["head"]["vars"]
    ids = {b["unitId"]["value"] for b in data["results"]["bindings"]}
    assert len(ids) == 6 and "so-tttt/buu-chinh-vien-thong" in ids
    unit = data["results"]["bindings"][0]["unit"]
    assert unit["type"] == "literal" and unit["xml:lang"] == "vi"


def test_query_csv_and_tsv(q):
    result = q("query", "transfers", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["fromId"] for r in rows} == {"so-vhtt-hai-duong", "dai-ptth-hai-duong"}
    assert {r["date"] for r in rows} == {"2008-04-01"}
    tsv = q("query", "transfers", "--format", "tsv").stdout.splitlines()
    assert tsv[0].startswith("?to\t?date") and '"2008-04-01"^^<http://www.w3.org/2001/XMLSchema#date>' in tsv[1]


def test_query_file_and_inline(q, tmp_path):
    rq = tmp_path / "count.rq"
    rq.write_text("# id: count-decisions\n# param: before xsd:date 2010-01-01 — a day\n"
                  "SELECT (COUNT(?d) AS ?n) ?before WHERE { ?d a tkg:AdministrativeDecision ; eli:date_document ?x "
                  "FILTER(?x < ?before) } GROUP BY ?before\n", encoding="utf-8")
    assert json.loads(q("query", rq, "-f", "json").stdout)["results"]["bindings"][0]["n"]["value"] == "3"
    assert json.loads(q("query", rq, "-p", "before=2005-01-01", "-f", "json").stdout)["results"]["bindings"][0]["n"]["value"] == "1"
    inline = q("query", "-e", "ASK { ?d eli:id_local \"03/2017/QĐ-UBND\" ; dct:replaces/eli:id_local \"53/2008/QĐ-UBND\" }")
    assert inline.exit_code == 0 and inline.stdout.strip() == "true"
    ask_json = json.loads(q("query", "-e", "ASK { ?s ?p ?o }", "-f", "json").stdout)
    assert ask_json == {"head": {}, "boolean": True}


def test_construct_in_rdf_formats(q):
    import pyoxigraph as ox
    turtle = q("query", "resource", "-p", "node=id:org/so-tttt-hai-duong", "-f", "turtle")
    assert turtle.exit_code == 0
    triples = list(ox.parse(turtle.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value.endswith("/org/so-tttt-hai-duong") for t in triples)
    nt = q("query", "resource", "-f", "ntriples").stdout
    assert len(list(ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES))) == len(triples)
    assert json.loads(q("query", "resource", "-f", "jsonld").stdout)


def test_output_file(q, tmp_path):
    target = tmp_path / "timeline.csv"
    result = q("timeline", "-f", "csv", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert [r["number"] for r in csv.DictReader(target.open(encoding="utf-8"))][-1] == "03/2017/QĐ-UBND"


def test_mandate_shortcut(q):
    in_2010 = table_rows(q("mandate", "--at", "2010-01-01").stdout)
    assert len(in_2010) == 11 and all("53/2008/QĐ-UBND" in r for r in in_2010)
    result = q("mandate", "--at", "07/03/2017", "--org", "so-tttt-hai-duong", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["decisionNumber"] for r in rows} == {"03/2017/QĐ-UBND"} and len(rows) == 13


def test_diff_decisions(q):
    result = q("diff", "53/2008/QĐ-UBND", "03/2017/QD-UBND", "--what", "functions", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    changes = {r["functionId"]: r["change"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert changes["buu-chinh"] == "reworded" and changes["chuyen-phat"] == "dropped"
    assert changes["thong-tin-doi-ngoai"] == "added" and changes["bao-chi"] == "unchanged"


def test_diff_dates_shows_functions_and_units(q):
    result = q("diff", "2010-01-01", "2018-01-01")
    assert result.exit_code == 0
    assert "Functions, 2010-01-01 → 2018-01-01" in result.stdout and "Units, 2010-01-01 → 2018-01-01" in result.stdout
    assert any(line.startswith("merger into") and "Bưu chính - Viễn thông" in line for line in result.stdout.splitlines())
    units = q("diff", "53/2008/QĐ-UBND", "2018-01-01", "--what", "units", "-f", "json")
    changes = {b["unit"]["value"]: b["change"]["value"] for b in json.loads(units.stdout)["results"]["bindings"]}
    assert changes["Báo chí và Xuất bản"] == "renaming into"


def test_timeline_shortcut(q):
    rows = table_rows(q("timeline").stdout)
    assert [r.split()[1] for r in rows] == ["3593/2004/QĐ-UBND", "22/2008/QĐ-UBND", "53/2008/QĐ-UBND", "03/2017/QĐ-UBND"]


# ---- bad input: a sentence, exit 2, no traceback ---------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["query", "-e", "SELECT ?x WHERE {\n  ?x ?y \n}"], "SPARQL syntax error at line 3, column 2"),
    (["query", "-e", "SELECT * WHERE { ?s nope:p ?o }"], "a prefix that is not declared"),
    (["query", "mandat"], "nearest: mandate-at"),
    (["query", "mandate-at", "-p", "at=2010-02-30"], "parameter 'at' must be a date"),
    (["query", "search"], "needs parameter 'text'"),
    (["query", "timeline", "-p", "at"], "is not KEY=VALUE"),
    (["query", "timeline", "-p", "at=2010-01-01"], "has no parameter 'at'"),
    (["query", "missing.rq"], "missing.rq: no such query file"),
    (["query"], "give a query name"),
    (["query", "timeline", "-e", "ASK {}"], "not both"),
    (["query", "timeline", "-f", "turtle"], "use --format one of table"),
    (["query", "resource", "-f", "csv"], "use --format one of turtle"),
    (["query", "-e", "SELECT ?s WHERE { ?s ?p ?at }", "-p", "x=1", "-p", "at=2010-01-01"], "must be a variable the SELECT names"),
    (["diff", "2010-01-01", "99/2099/QĐ-UBND"], "neither a date"),
    (["diff", "2018-01-01", "2010-01-01"], "is after TO"),
    (["diff", "2010-01-01", "2018-01-01", "--what", "both", "-f", "csv"], "--what functions or --what units"),
    (["mandate", "--at", "tomorrow"], "is not a date"),
])
def test_bad_input(q, args, message):
    result = q(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_syntax_error_in_a_file_names_the_file(q, tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("# id: broken\nSELECT ?x WHERE {\n  ?x ?y\n}\n", encoding="utf-8")
    result = q("query", rq)
    assert result.exit_code == 2 and f"{rq}: SPARQL syntax error at line " in result.stderr


def test_bad_graph_file(cli, tmp_path):
    result = cli("query", "timeline", "--graph", tmp_path / "nope.ttl")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_timeout_stops_the_query(graph_file):
    """Run as a real process: the command abandons the worker thread and exits at once."""
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    proc = subprocess.run([sys.executable, "-c", "from tttt_kg.cli import main; main()", "query", "-e", heavy, "--timeout", "0.5",
                           "--graph", str(graph_file)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert "ran longer than 0.5 s and was stopped" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


# ---- where the graph comes from --------------------------------------------------------------

def test_default_graph_file_is_used_and_staleness_reported(cli, graph_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    built = tmp_path / "out" / "tttt-kg.ttl"
    built.write_bytes(graph_file.read_bytes())
    fresh = cli("timeline", "-f", "csv")
    assert fresh.exit_code == 0 and "warning" not in fresh.stderr and "03/2017/QĐ-UBND" in fresh.stdout
    os.utime(built, (0, 0))   # older than every record file
    stale = cli("timeline", "-f", "csv")
    assert stale.exit_code == 0 and "is older than" in stale.stderr and "tttt-kg build" in stale.stderr


def test_without_a_built_graph_the_records_are_built(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("query", "units-at", "-p", "at=2018-01-01", "-p", "kind=division", "-f", "csv")
    assert result.exit_code == 0 and "run `tttt-kg build` once" in result.stderr
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 6


def test_query_path_does_not_import_rdflib(graph_file):
    code = ("import sys; from tttt_kg.cli import main\n"
            "try:\n    main(['query', 'timeline', '-f', 'csv', '--graph', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'pyvis') if m in sys.modules)\n"
            "print('HEAVY', heavy, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, str(graph_file)], capture_output=True, text=True, timeout=120)
    assert "HEAVY []" in proc.stderr, proc.stderr
