"""One CLI grammar (issue 17 §2): an option name means one thing in every command, every listed
choice works, the command list reads whole, every command that prints data prints JSON on
--format json, a folder option is named as a folder, and the old spellings still work, with a note.

The commands are walked from the click group itself, so a command added later is held to the same rules.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tttt_kg.cli import COMMANDS, main

# The commands whose stdout is data (an answer, a report, a listing): each takes -f/--format … json and -o FILE.
# The others write files (build, export, figure, load, site, synth, viz, extract -O), serve, or push;
# export/build's --format chooses the RDF serialisation (jsonld is JSON-LD).
DATA_COMMANDS = ("queries", "query", "mandate", "timeline", "figures", "diff", "stats", "cite", "verify-sources",
                 "locate", "validate", "check")


def _commands():
    ctx = click.Context(main)
    return {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}


def _kind(param: click.Option) -> str:
    """What an option takes, in the words of docs/cli.md."""
    t = param.type
    if param.is_flag or param.count:
        return "flag"
    if isinstance(t, click.Path):
        if t.file_okay and not t.dir_okay:
            return "file"
        if t.dir_okay and not t.file_okay:
            return "folder"
        return "file or folder"
    if isinstance(t, click.Choice):
        return "choice"
    if isinstance(t, (click.types.IntParamType, click.types.FloatParamType)):
        return "number"
    return type(t).__name__ if not isinstance(t, click.types.StringParamType) else "text"


def _visible_options():
    for name, command in _commands().items():
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and param.name != "help":
                yield name, param


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    """The seed graph as N-Triples (read fast by Oxigraph)."""
    from tttt_kg.graph.build import build_graph
    from tttt_kg.graph.export import write
    path = tmp_path_factory.mktemp("grammar") / "g.nt"
    write(build_graph(sources=("seed",)), "ntriples", path)
    return path


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


# ---- one meaning per option name ----------------------------------------------------------------

def test_an_option_name_means_one_kind_of_thing_in_every_command():
    kinds: dict[str, set[tuple[str, str]]] = {}
    for command, param in _visible_options():
        for name in param.opts + param.secondary_opts:
            kinds.setdefault(name, set()).add((_kind(param), command))
    mixed = {name: sorted(found) for name, found in kinds.items() if len({k for k, _ in found}) > 1}
    assert not mixed, f"one name, several kinds of thing: {mixed}"
    assert not [name for name, found in kinds.items() if any(k == "file or folder" for k, _ in found)], \
        "an option takes a file or a folder, not either"


def test_a_short_option_stands_for_the_same_long_option_everywhere():
    longs: dict[str, set[str]] = {}
    for _, param in _visible_options():
        shorts = [o for o in param.opts if not o.startswith("--")]
        names = [o for o in param.opts if o.startswith("--")]
        for short in shorts:
            longs.setdefault(short, set()).update(names)
    assert {s: n for s, n in longs.items() if len(n) != 1} == {}
    assert longs.get("-o") == {"--output"} and longs.get("-O") == {"--output-dir"} and longs.get("-f") == {"--format"}


def test_output_is_a_file_and_a_folder_option_is_named_as_one():
    for command, param in _visible_options():
        if "--output" in param.opts:
            assert _kind(param) == "file", f"{command} --output is not a file"
        if _kind(param) == "folder":
            long = next(o for o in param.opts if o.startswith("--"))
            # --records is named after what the folder holds, as in every command that reads the records
            assert long.endswith("-dir") or long == "--records", f"{command} {long} takes a folder: name it …-dir"


def test_graph_is_the_rdf_file_to_read_in_every_command_and_push_names_its_target_graph_iri():
    for command, param in _visible_options():
        if "--graph" in param.opts:
            assert _kind(param) == "file", command
    push = _commands()["push"]
    assert "--graph-iri" in [o for p in push.params for o in p.opts]


def test_validate_takes_graph_and_store_like_the_other_commands(graph_file, tmp_path):
    by_file = run("validate", "--graph", graph_file)
    assert by_file.exit_code == 0 and by_file.stdout.startswith("conforms:"), by_file.output
    store = f"oxigraph:{tmp_path / 'kg'}"
    assert run("load", graph_file, "--store", store).exit_code == 0
    by_store = run("validate", "--store", store, "-f", "json")
    assert by_store.exit_code == 0, by_store.output
    report = json.loads(by_store.stdout)
    assert report["conforms"] is True
    assert report["triples"] == len([line for line in graph_file.read_text(encoding="utf-8").splitlines() if line.strip()])


# ---- every listed choice works ------------------------------------------------------------------

def _choices_of(command_name):
    command = _commands()[command_name]
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and isinstance(param.type, click.Choice):
            for choice in param.type.choices:
                yield param.opts[-1], choice


# each data command with what it needs to answer on the seed graph
READY = {
    "mandate": ["mandate", "--at", "2010-01-01"],
    "timeline": ["timeline"],
    "diff": ["diff", "2010-01-01", "2018-01-01"],
    "export": ["export", "-f", "ntriples"],   # N-Triples is 8x quicker to write than Turtle; -f CHOICE comes after it
}
LISTED = [(name, opt, choice) for name in READY for opt, choice in _choices_of(name)]


@pytest.mark.parametrize("name,option,choice", LISTED, ids=[f"{n} {o} {c}" for n, o, c in LISTED])
def test_no_listed_choice_fails(graph_file, name, option, choice):
    result = run(*READY[name], "--graph", graph_file, option, choice)
    assert result.exit_code == 0, f"{name} {option} {choice}: {result.output}"
    assert result.stdout_bytes.strip()


def test_stats_lists_table_and_json_and_both_work(graph_file):
    assert [c for o, c in _choices_of("stats") if o == "--format"] == ["table", "json"]
    for fmt in ("table", "json"):
        assert run("stats", "--graph", graph_file, "--top", "2", "--samples", "20", "-f", fmt).exit_code == 0


def test_query_lists_each_format_and_each_works_for_the_answers_it_fits(graph_file):
    select = ["query", "mandate-at", "-p", "at=2010-01-01"]
    construct = ["query", "resource", "-p", "node=id:org/so-tttt-hai-duong"]
    for fmt in [c for o, c in _choices_of("query") if o == "--format"]:
        args = select if fmt in ("table", "csv", "tsv", "json", "xml") else construct
        result = run(*args, "--graph", graph_file, "-f", fmt)
        assert result.exit_code == 0 and result.stdout_bytes.strip(), f"query -f {fmt}: {result.output}"


# ---- the command list reads whole ---------------------------------------------------------------

def _listed(help_text: str) -> dict[str, str]:
    """Command → its description in `tttt-kg --help`, wrapped lines joined."""
    listed, name = {}, None
    for line in help_text.split("Commands:\n", 1)[1].splitlines():
        m = re.match(r"  (\S+)\s+(.*)", line)
        if m and m.group(1) in COMMANDS:
            name = m.group(1)
            listed[name] = m.group(2).strip()
        elif name and line.strip():
            listed[name] += " " + line.strip()
    return listed


@pytest.mark.parametrize("width", [80, 60])
def test_top_level_help_gives_each_command_a_whole_sentence(width):
    result = CliRunner().invoke(main, ["--help"], terminal_width=width)
    assert result.exit_code == 0
    listed = _listed(result.output)
    assert sorted(listed) == sorted(COMMANDS)
    for name, text in listed.items():
        assert not text.endswith("...") and text.endswith("."), f"{name}: '{text}' is cut"
        assert text.count("(") == text.count(")"), f"{name}: '{text}'"
        command = _commands()[name]
        assert text == command.get_short_help_str(limit=10_000), name


def test_each_command_line_fits_an_80_column_terminal():
    result = CliRunner().invoke(main, ["--help"], terminal_width=80)
    lines = result.output.split("Commands:\n", 1)[1].splitlines()
    assert len([line for line in lines if line.strip()]) == len(COMMANDS), "a description wraps at 80 columns"


# ---- --format json and -o FILE on every command that prints data -------------------------------

def _data_args(name, graph_file, seed_path):
    return {
        "queries": ["queries"],
        "query": ["query", "mandate-at", "-p", "at=2010-01-01", "--graph", graph_file],
        "mandate": ["mandate", "--at", "2010-01-01", "--graph", graph_file],
        "timeline": ["timeline", "--graph", graph_file],
        "figures": ["figures", "--indicator", "staff", "--graph", graph_file],
        "diff": ["diff", "2010-01-01", "2018-01-01", "--graph", graph_file],
        "stats": ["stats", "--top", "3", "--samples", "20", "--graph", graph_file],
        "cite": ["cite", "qd-03-2017", "--source-text", seed_path, "--graph", graph_file],
        "verify-sources": ["verify-sources", seed_path, "--graph", graph_file],
        "locate": ["locate", seed_path, "03/2017/QĐ-UBND"],
        "validate": ["validate", "--graph", graph_file],
        "check": ["check", "--graph", graph_file],
    }[name]


def test_the_data_commands_are_every_command_that_prints_data():
    assert set(DATA_COMMANDS) <= set(COMMANDS)
    for name, command in _commands().items():
        formats = [p for p in command.params if isinstance(p, click.Option) and "--format" in p.opts]
        if name in DATA_COMMANDS:
            assert formats and "json" in formats[0].type.choices, name


@pytest.mark.parametrize("name", DATA_COMMANDS)
def test_each_data_command_prints_valid_json_and_writes_it_with_o(name, graph_file, seed_path, tmp_path):
    args = _data_args(name, graph_file, seed_path)
    printed = run(*args, "--format", "json")
    assert printed.exit_code == 0, printed.output
    data = json.loads(printed.stdout)
    assert data
    target = tmp_path / "answer.json"
    written = run(*args, "-f", "json", "-o", target)
    assert written.exit_code == 0 and written.stdout == "", written.output
    assert json.loads(target.read_text(encoding="utf-8")) == data


def test_diff_as_json_holds_both_tables(graph_file):
    data = json.loads(run("diff", "2010-01-01", "2018-01-01", "--graph", graph_file, "-f", "json").stdout)
    assert set(data) == {"functions", "units"}
    assert all("results" in part for part in data.values())


def test_cite_json_has_the_passages_and_for_a_page_the_rows_and_addresses(graph_file, seed_path, full_graph, tmp_path):
    data = json.loads(run("cite", "qd-03-2017", "--source-text", seed_path, "--graph", graph_file, "-f", "json").stdout)
    assert data["subject"].endswith("/qd/2017/03")
    first = data["passages"][0]
    assert "03/2017/QĐ-UBND" in first["text"] and first["end"] > first["start"]
    seed_text = seed_path.read_text(encoding="utf-8")
    assert " ".join(seed_text[first["start"]:first["end"]].split()) == " ".join(first["text"].split())
    from tttt_kg.graph.export import write
    full = tmp_path / "full.nt"
    write(full_graph, "ntriples", full)
    page = run("cite", "id:wording/qd-ubnd-hai-duong-sau-2022", "--graph", full, "-f", "json")
    assert page.exit_code == 0, page.output
    cited = json.loads(page.stdout)
    assert cited["citations"] and all(c["pages"] and c["rows"] for c in cited["citations"]) and cited["certainty"]


def test_verify_sources_json_counts_the_spans(graph_file, seed_path):
    data = json.loads(run("verify-sources", seed_path, "--graph", graph_file, "-f", "json").stdout)
    assert data["ok"] is True and data["problems"] == [] and data["spans_checked"] > 100


# ---- queries prints what it promises, as the user writes it ------------------------------------

def test_queries_prints_each_question_and_its_parameters_as_they_are_given():
    from tttt_kg.queries.catalogue import load_catalogue
    out = run("queries").stdout
    flat = " ".join(out.split())
    for q in load_catalogue():
        assert " ".join(q.question.split())[:60] in flat, q.id
        for p in q.params:
            assert f"-p {p.name}=" in out, (q.id, p.name)
    assert "--param " not in out
    listed = json.loads(run("queries", "-f", "json").stdout)
    assert [q["id"] for q in listed] == [q.id for q in load_catalogue()]
    assert all("question" in q and isinstance(q["params"], list) for q in listed)


# ---- old spellings: still working for one release, with a note on stderr ------------------------

def test_stats_old_format_text_and_sources_give_the_same_answer_with_notes(graph_file):
    new = run("stats", "--graph", graph_file, "--top", "2", "--samples", "20", "-f", "table")
    old = run("stats", "--graph", graph_file, "--top", "2", "--sources", "20", "-f", "text")
    assert old.exit_code == 0 and old.stdout == new.stdout
    assert "deprecated: --format text is now --format table" in old.stderr
    assert "deprecated: --sources is now --samples" in old.stderr
    assert "deprecated" not in new.stderr
    assert "[table|json]" in " ".join(run("stats", "--help").stdout.split())


def test_validate_file_still_works_with_a_note(graph_file):
    old = run("validate", graph_file)
    assert old.exit_code == 0 and old.stdout.startswith("conforms:")
    assert "deprecated: validate FILE is now validate --graph FILE" in old.stderr
    assert "[FILE]" not in run("validate", "--help").stdout


def test_cite_old_source_still_works_with_a_note(graph_file, seed_path):
    new = run("cite", "qd-03-2017", "--graph", graph_file, "--source-text", seed_path)
    old = run("cite", "qd-03-2017", "--graph", graph_file, "--source", seed_path)
    assert old.exit_code == 0 and old.stdout == new.stdout and "deprecated: --source is now --source-text" in old.stderr
    both = run("cite", "qd-03-2017", "--graph", graph_file, "--source", seed_path, "--source-text", seed_path)
    assert both.exit_code == 2 and "once" in both.output


def test_extract_writes_into_output_dir_and_old_o_still_works(tmp_path):
    text = tmp_path / "qd.txt"
    text.write_text("Ngày 07/3/2017, UBND tỉnh có Quyết định số 03/2017/QĐ-UBND về chức năng của Sở TTTT.\n",
                    encoding="utf-8")
    new = run("extract", text, "-O", tmp_path / "new")
    old = run("extract", text, "-o", tmp_path / "old")
    assert new.exit_code == 0 and old.exit_code == 0, (new.output, old.output)
    names = sorted(p.name for p in (tmp_path / "new").iterdir())
    assert names and names == sorted(p.name for p in (tmp_path / "old").iterdir())
    assert "deprecated: -o/--output is now -O/--output-dir" in old.stderr and "deprecated" not in new.stderr


@pytest.mark.parametrize("command", ["viz", "site"])
def test_viz_and_site_write_into_output_dir_and_old_o_still_works(command, monkeypatch, tmp_path):
    written = []
    import tttt_kg.graph.server.resource_site as resource_site
    import tttt_kg.viz.site as viz_site
    from tttt_kg.cli import viz as viz_cli
    monkeypatch.setattr(viz_site, "write_site", lambda g, out_dir, *a, **k: written.append(out_dir) or [])
    monkeypatch.setattr(resource_site, "export_site", lambda store, out_dir, *a, **k: written.append(out_dir) or [])
    monkeypatch.setattr(viz_cli, "load_graph", lambda *a: None)
    monkeypatch.setattr("tttt_kg.graph.stores.store.open_store", lambda *a: None)
    extra = ["--no-views"] if command == "site" else []
    new = run(command, *extra, "-O", tmp_path / "a")
    old = run(command, *extra, "--output", tmp_path / "a")
    assert new.exit_code == 0 and old.exit_code == 0, (new.output, old.output)
    assert written == [tmp_path / "a", tmp_path / "a"]
    assert "deprecated: -o/--output is now -O/--output-dir" in old.stderr and "deprecated" not in new.stderr


class _FakePusher:
    pushed: list = []

    def __init__(self, endpoint, user=None, password=None):
        pass

    def probe(self):
        pass

    def push_update(self, data, graph_iri, update):
        _FakePusher.pushed.append((graph_iri, data.count(b"\n")))
        return data.count(b"\n")

    push_gsp = None


def test_push_reads_graph_file_targets_graph_iri_and_old_spellings_still_work(monkeypatch, graph_file):
    import tttt_kg.graph.stores.push as push_module
    monkeypatch.setattr(push_module, "Pusher", _FakePusher)
    _FakePusher.pushed = []
    target = "https://example.org/g"
    new = run("push", "--endpoint", "http://127.0.0.1:1/sparql", "--graph", graph_file, "--graph-iri", target)
    old = run("push", "--endpoint", "http://127.0.0.1:1/sparql", "--input", graph_file, "--graph", target)
    assert new.exit_code == 0 and old.exit_code == 0, (new.output, old.output)
    assert [iri for iri, _ in _FakePusher.pushed] == [target, target]
    assert _FakePusher.pushed[0][1] == _FakePusher.pushed[1][1] > 5_000   # the seed graph, from the file
    assert "deprecated: push --graph IRI is now push --graph-iri IRI" in old.stderr
    assert "deprecated: --input is now --graph" in old.stderr and "deprecated" not in new.stderr


def test_figure_width_and_old_size(monkeypatch, tmp_path):
    import tttt_kg.viz.figure as figure_module
    from tttt_kg.cli import figure as figure_cli
    sizes = []
    monkeypatch.setattr(figure_module, "figure_bytes", lambda g, view, fmt, size, lang: sizes.append(size) or b"x")
    monkeypatch.setattr(figure_cli, "load_graph", lambda *a: None)
    new = run("figure", "growth", "-o", tmp_path / "a.svg", "--width", "column")
    old = run("figure", "growth", "-o", tmp_path / "b.svg", "--size", "column")
    assert new.exit_code == 0 and old.exit_code == 0, (new.output, old.output)
    assert sizes == ["column", "column"] and "deprecated: --size is now --width" in old.stderr


def test_serve_viz_dir_and_old_viz(monkeypatch, tmp_path):
    import tttt_kg.graph.server.endpoint as endpoint
    from tttt_kg.cli import serve as serve_cli
    folders = []
    monkeypatch.setattr(endpoint, "serve", lambda *a, **k: folders.append(a[6]))
    monkeypatch.setattr(serve_cli, "_check_port", lambda *a: None)
    assert run("serve", "--viz-dir", tmp_path).exit_code == 0
    old = run("serve", "--viz", tmp_path)
    assert old.exit_code == 0 and folders == [tmp_path, tmp_path] and "deprecated: --viz is now --viz-dir" in old.stderr
