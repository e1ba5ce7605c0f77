"""build / validate / export from the command line, and every bad input of the core issue:
one clear message naming file, line, field and fix; exit 2; no output created or changed."""
import re

import pytest

BAD_RECORDS = [
    # (file, old text, new text, words the message must contain)
    ("documents.yaml", "date: 2008-11-03", "date: 2008-13-03", ["documents.yaml:", "qd-53-2008", "'date'", "YYYY-MM-DD"]),
    ("documents.yaml", "date: 2008-11-03", "date: 03/11/2008", ["documents.yaml:", "'date'", "YYYY-MM-DD"]),
    ("assignments.yaml", "functions: [bao-chi], match: exact", "functions: [bao-chii], match: exact",
     ["assignments.yaml:", "unknown function 'bao-chii'", "bao-chi"]),
    ("units.yaml", "unit_of: so-tttt-hai-duong, listed_in: [qd-53-2008]", "unit_of: so-ttt-hai-duong, listed_in: [qd-53-2008]",
     ["units.yaml:", "unknown organisation 'so-ttt-hai-duong'", "so-tttt-hai-duong"]),
    ("documents.yaml", "number: 22/2008/QĐ-UBND", "number: 53/2008/QĐ-UBND",
     ["documents.yaml:", "53/2008/QĐ-UBND is already the number", "qd-53-2008"]),
    ("documents.yaml", "    type: quyet-dinh\n    number: 3593/2004/QĐ-UBND", "    type: quyet-dinh\n  number: [3593",
     ["documents.yaml:", "not valid YAML"]),
    ("documents.yaml", "    issuer: ubnd-hai-duong\n    title: {vi: \"về vị trí", "    title: {vi: \"về vị trí",
     ["documents.yaml:", "qd-53-2008", "'issuer'", "is missing"]),
    ("organisations.yaml", "type: broadcaster", "type: radio", ["organisations.yaml:", "'type'", "broadcaster"]),
]


@pytest.mark.parametrize("file,old,new,words", BAD_RECORDS, ids=[f"{b[0]}:{b[2][:24]}" for b in BAD_RECORDS])
def test_bad_record_gives_clear_error_and_writes_nothing(cli, records_copy, tmp_path, file, old, new, words):
    path = records_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "g.ttl"
    out.write_text("previous", encoding="utf-8")
    result = cli("build", "--records", records_copy, "-o", out)
    assert result.exit_code == 2, result.output
    for w in words:
        assert w in result.output, result.output
    assert re.search(r"\.yaml:\d+", result.output), "the message names the line"
    assert "fix:" in result.output and "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl", "records"]


def test_span_past_the_end_of_the_source(cli, records_copy, tmp_path):
    path = records_copy / "units.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"span: \[\[2128, 2137\]", "span: [[2128, 99999]", text, count=1), encoding="utf-8")
    result = cli("build", "--records", records_copy, "-o", tmp_path / "g.ttl")
    assert result.exit_code == 2 and "ends past the source" in result.output
    assert not (tmp_path / "g.ttl").exists()


def test_build_writes_turtle_and_summarises(cli, tmp_path):
    out = tmp_path / "g.ttl"
    result = cli("build", "--source", "seed", "-o", out)
    assert result.exit_code == 0, result.output
    assert "4 decisions" in result.output and "11 units" in result.output
    import pyoxigraph as ox
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))) > 3000


def test_build_into_a_missing_folder(cli, tmp_path):
    result = cli("build", "-o", tmp_path / "nope" / "g.ttl")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_build_into_an_unwritable_folder(cli):
    # /proc accepts no new files, whoever runs the tests (root ignores permission bits elsewhere)
    result = cli("build", "-o", "/proc/tttt-kg.ttl")
    assert result.exit_code == 2 and "cannot write in /proc" in result.output and "Traceback" not in result.output


def test_build_onto_a_directory(cli, tmp_path):
    result = cli("build", "-o", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.output


def test_validate_reports_violations_and_exits_1(cli, tmp_path, graph):
    from tttt_kg.graph.export import serialise
    from tttt_kg.graph.namespaces import ELI, ID
    data = serialise(graph, "ntriples").decode()
    d53 = str(ID["eli/ubnd-hai-duong/qd/2008/53"])
    broken = "\n".join(line for line in data.splitlines()
                       if not (line.startswith(f"<{d53}>") and str(ELI.id_local) in line))
    path = tmp_path / "broken.nt"
    path.write_text(broken + "\n", encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    assert d53 in result.output and "number" in result.output


def test_validate_conforming_file(cli, tmp_path):
    out = tmp_path / "g.ttl"
    assert cli("build", "-o", out, "--no-validate").exit_code == 0
    result = cli("validate", out)
    assert result.exit_code == 0 and "conforms" in result.output


def test_validate_broken_turtle(cli, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n ex:d .\n", encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 2
    assert "broken.ttl" in result.output and "not valid turtle" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "trig", "xml"])
def test_export_to_stdout(cli, fmt):
    result = cli("export", "--format", fmt)
    assert result.exit_code == 0
    assert "53/2008/QĐ-UBND" in result.stdout or "53/2008/Q\\u0110-UBND" in result.stdout


def test_export_overwrites_atomically(cli, tmp_path):
    out = tmp_path / "g.nt"
    out.write_text("old", encoding="utf-8")
    assert cli("export", "--format", "ntriples", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<")
    assert [p.name for p in tmp_path.iterdir()] == ["g.nt"]


def test_unknown_command_suggests(cli):
    result = cli("buidl")
    assert result.exit_code == 2 and "build" in result.output


def test_adding_a_decision_from_a_second_source(cli, records_copy, tmp_path):
    """The README's recipe: a second source, a decision citing it, build, verify against that text."""
    import hashlib
    text = "Ngày 15/6/2020, UBND tỉnh ban hành Quyết định số 12/2020/QĐ-UBND thay thế Quyết định số 03/2017/QĐ-UBND.\n"
    source = tmp_path / "second.txt"
    source.write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    with open(records_copy / "source.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"  - {{id: second, file: second.txt, sha256: {sha}, length: {len(text)}, "
                 f"label: {{vi: Văn bản thử, en: Test text}}, span: [0, {len(text) - 1}]}}\n")
    start = text.index("Ngày")
    end = text.index(".\n")
    with open(records_copy / "documents.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"""
  - id: qd-12-2020
    type: quyet-dinh
    number: 12/2020/QĐ-UBND
    date: 2020-06-15
    issuer: ubnd-hai-duong
    title: {{vi: thử nghiệm, en: test}}
    replaces: [qd-03-2017]
    written: [thay thế Quyết định số 03/2017/QĐ-UBND]
    source: second
    span: [{start}, {end}]
""")
    out = tmp_path / "g.ttl"
    result = cli("build", "--records", records_copy, "--source", "seed", "-o", out)
    assert result.exit_code == 0, result.output
    assert "5 decisions" in result.output
    ok = cli("verify-sources", source, "--graph", out)
    assert ok.exit_code == 0, ok.output
    assert "1 spans verified" in ok.output or "2 spans verified" in ok.output
    cited = cli("cite", "qd-12-2020", "--graph", out, "--source", source)
    assert "second.txt [0," in cited.output and "12/2020/QĐ-UBND" in cited.output


def test_unknown_source_id(cli, records_copy, tmp_path):
    path = records_copy / "units.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("unit_of: so-tttt-hai-duong, listed_in: [qd-53-2008]",
                                 "source: elsewhere, unit_of: so-tttt-hai-duong, listed_in: [qd-53-2008]", 1), encoding="utf-8")
    result = cli("build", "--records", records_copy, "-o", tmp_path / "g.ttl")
    assert result.exit_code == 2 and "unknown source 'elsewhere'" in result.output and "de-cuong-2019" in result.output


def test_based_on_becomes_eli_based_on(records_copy, tmp_path):
    from tttt_kg.graph.build import build_graph
    from tttt_kg.graph.namespaces import ELI, ID
    path = records_copy / "documents.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    replaces: [qd-53-2008]\n", "    replaces: [qd-53-2008]\n    based_on: [luat-cntt]\n", 1),
                    encoding="utf-8")
    g = build_graph(records_copy)
    assert (ID["eli/ubnd-hai-duong/qd/2017/03"], ELI.based_on, ID["doc/luat-cntt"]) in g
