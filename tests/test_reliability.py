"""Reliability: a corpus of bad inputs across every command. Each one must end with a clear
message on stderr and a non-zero exit: no traceback, no crash by signal, nothing half-written.

Every case runs `tttt-kg` as a real process (a crash in native code shows up as a signal
there, not as a Python exception). Cases for a command are collected only when the command
is in the CLI's COMMANDS, and every command gets at least the unknown-option case, so a
command added later is covered from its first day.
"""
from __future__ import annotations

import os
import unicodedata
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from served import TTTT_KG, free_port

from tttt_kg.cli import COMMANDS

REPO = Path(__file__).resolve().parent.parent
RECORDS = REPO / "graph" / "records"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEEP_BRACES = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
DEEP_PARENS = "SELECT * WHERE { FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ") }"
UNWRITABLE_DIR = Path("/proc")   # not writable even by root


@dataclass
class Case:
    id: str
    command: str
    args: Callable[["Workspace"], list[str]]
    says: tuple[str, ...] = ()          # words the message must contain (case-insensitive)
    codes: tuple[int, ...] = (2,)
    setup: Callable[["Workspace"], None] | None = None
    env: dict[str, str] = field(default_factory=dict)


class Workspace:
    """A tmp folder with a built graph file and helpers that make broken inputs."""

    def __init__(self, root: Path, graph_nt: Path):
        self.root, self.graph = root, graph_nt

    def path(self, name: str) -> Path:
        return self.root / name

    def write(self, name: str, data: bytes | str, encoding: str = "utf-8") -> str:
        p = self.root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return str(p)

    def records(self, edit: Callable[[Path], None]) -> str:
        """A copy of graph/records/ broken by ``edit``; returns the folder."""
        target = self.root / "records"
        shutil.copytree(RECORDS, target)
        edit(target)
        return str(target)


def _replace(file: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def edit(folder: Path):
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text, f"{file} no longer contains {old!r}; update this case"
        (folder / file).write_text(text.replace(old, new, count), encoding="utf-8")
    return edit


def _rewrite(file: str, data: Callable[[str], bytes]) -> Callable[[Path], None]:
    def edit(folder: Path):
        text = (folder / file).read_text(encoding="utf-8")
        (folder / file).write_bytes(data(text))
    return edit


def cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 saves it: tone marks as separate (combining) characters."""
    return unicodedata.normalize("NFD", text).encode("cp1258", errors="replace")


TURTLE_OK = '@prefix ex: <http://example.org/> .\nex:a ex:b "Sở Thông tin và Truyền thông" .\n'
BINARY = bytes(range(256)) * 64
LONG_LINE = "x" * 2_000_000


def _records_cases() -> list[Case]:
    def build(edit, *says):
        return lambda ws: ["build", "--no-validate", "-o", str(ws.path("out.ttl")), "--records", ws.records(edit)]
    cases = [
        ("yaml-syntax", _replace("documents.yaml", "type: quyet-dinh", "type: [quyet-dinh"), ("documents.yaml",)),
        ("yaml-tab-indent", _replace("documents.yaml", "    type: quyet-dinh", "\ttype: quyet-dinh"), ("documents.yaml",)),
        ("missing-required-field", _replace("documents.yaml", "    number: 53/2008/QĐ-UBND\n", ""), ("qd-53-2008",)),
        ("invalid-date", _replace("documents.yaml", "date: 2008-11-03", "date: 2008-02-30"), ("date",)),
        ("reversed-span", _replace("documents.yaml", "span: [1381, 2278]", "span: [2278, 1381]"), ("span",)),
        ("span-not-numbers", _replace("documents.yaml", "span: [1381, 2278]", "span: [abc, def]"), ("span",)),
        ("duplicate-id", _replace("documents.yaml", "id: qd-22-2008", "id: qd-3593-2004"), ("qd-3593-2004",)),
        ("unknown-reference", _replace("assignments.yaml", "organisation: so-tttt-hai-duong",
                                       "organisation: so-khong-co"), ("so-khong-co",)),
        ("unknown-function", _replace("assignments.yaml", "functions: [bao-chi]", "functions: [khong-co-linh-vuc]"),
         ("khong-co-linh-vuc",)),
        ("top-level-scalar", _rewrite("units.yaml", lambda t: b"just a sentence\n"), ("units.yaml",)),
        ("top-level-list", _rewrite("events.yaml", lambda t: b"- 1\n- 2\n"), ("events.yaml",)),
        ("windows-1258", _rewrite("organisations.yaml", lambda t: cp1258(t)),
         ("organisations.yaml",)),
        ("utf-16", _rewrite("documents.yaml", lambda t: t.encode("utf-16")), ("documents.yaml",)),
        ("binary", _rewrite("assignments.yaml", lambda t: BINARY), ("assignments.yaml",)),
        ("very-long-line", _replace("documents.yaml", "type: quyet-dinh", "type: " + LONG_LINE), ("type",)),
        ("huge-integer", _replace("documents.yaml", "stated_units: 7", "stated_units: " + "9" * 5000), ("documents.yaml",)),
        ("yaml-alias-bomb", _rewrite("units.yaml", lambda t: (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n").encode()),
         ()),
    ]
    out = [Case(f"records/{name}", "build", build(edit), says) for name, edit, says in cases]
    out.append(Case("records/validate-broken", "validate",
                    lambda ws: ["validate", "--records", ws.records(_replace(
                        "documents.yaml", "date: 2008-11-03", "date: 03/11/2008x"))], ("date",)))
    out.append(Case("records/missing-folder", "build",
                    lambda ws: ["build", "-o", str(ws.path("o.ttl")), "--records", str(ws.path("nope"))], ("nope",)))
    out.append(Case("records/folder-is-a-file", "build",
                    lambda ws: ["build", "-o", str(ws.path("o.ttl")), "--records", str(ws.graph)], ()))
    return out


def _graph_file_cases() -> list[Case]:
    bad_files = [
        ("turtle-missing-dot", "bad.ttl", TURTLE_OK.replace(" .\n", "\n")),
        ("turtle-undefined-prefix", "bad.ttl", 'nope:a nope:b "c" .\n'),
        ("turtle-unterminated-literal", "bad.ttl", '<http://e/a> <http://e/b> "no end .\n'),
        ("turtle-windows-1258", "cp.ttl", cp1258(TURTLE_OK)),
        ("turtle-utf-16", "u16.ttl", TURTLE_OK.encode("utf-16")),
        ("turtle-binary", "bin.ttl", BINARY),
        ("turtle-very-long-line", "long.ttl", '<http://e/a> <http://e/b> "' + LONG_LINE + '\n'),
        ("jsonld-not-json", "bad.jsonld", '{"@id": "http://e/a", '),
        ("jsonld-bad-context", "ctx.jsonld", '{"@context": 5, "@id": "http://e/a"}'),
        ("jsonld-remote-context", "remote.jsonld", '{"@context": "http://127.0.0.1:1/ctx.jsonld", "@id": "http://e/a"}'),
        ("jsonld-utf-16", "u16.jsonld", '{"@id": "http://e/a", "http://e/b": "Sở"}'.encode("utf-16")),
        ("ntriples-relative-iri", "rel.nt", "<a> <b> <c> .\n"),
        ("rdfxml-not-xml", "bad.rdf", "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><oops"),
    ]
    cases = []
    for name, file, data in bad_files:
        cases.append(Case(f"graph/validate/{name}", "validate",
                          lambda ws, f=file, d=data: ["validate", ws.write(f, d)], (file,)))
        cases.append(Case(f"graph/export/{name}", "export",
                          lambda ws, f=file, d=data: ["export", "--graph", ws.write(f, d), "-o", str(ws.path("o.ttl"))],
                          (file,)))
    missing = lambda ws: str(ws.path("missing.ttl"))   # noqa: E731
    for command, args in [("validate", lambda ws: ["validate", missing(ws)]),
                          ("export", lambda ws: ["export", "--graph", missing(ws)]),
                          ("query", lambda ws: ["query", "timeline", "--graph", missing(ws)]),
                          ("timeline", lambda ws: ["timeline", "--graph", missing(ws)]),
                          ("mandate", lambda ws: ["mandate", "--at", "2010-01-01", "--graph", missing(ws)]),
                          ("diff", lambda ws: ["diff", "2010-01-01", "2018-01-01", "--graph", missing(ws)]),
                          ("cite", lambda ws: ["cite", "qd-53-2008", "--graph", missing(ws)]),
                          ("verify-sources", lambda ws: ["verify-sources", missing(ws)]),
                          ("stats", lambda ws: ["stats", "--graph", missing(ws)]),
                          ("viz", lambda ws: ["viz", "-o", str(ws.path("v")), "--graph", missing(ws)]),
                          ("serve", lambda ws: ["serve", "--port", str(free_port()), "--graph", missing(ws)]),
                          ("push", lambda ws: ["push", "--endpoint", "http://127.0.0.1:1/sparql", "--input", missing(ws)]),
                          ("locate", lambda ws: ["locate", missing(ws), "Sở"])]:
        # push may check the endpoint (refused, on loopback) before the file
        says = ("missing.ttl|127.0.0.1:1",) if command == "push" else ("missing.ttl",)
        cases.append(Case(f"missing-file/{command}", command, args, says))
    cases.append(Case("graph/export/is-a-directory", "export",
                      lambda ws: ["export", "--graph", str(ws.root)], ()))
    cases.append(Case("graph/stats/malformed", "stats",
                      lambda ws: ["stats", "--graph", ws.write("bad.ttl", TURTLE_OK.replace(" .\n", "\n"))], ("bad.ttl",)))
    cases.append(Case("graph/viz/malformed", "viz",
                      lambda ws: ["viz", "-o", str(ws.path("v")), "--graph", ws.write("bad.jsonld", "{")], ("bad.jsonld",)))
    cases.append(Case("graph/serve/malformed", "serve",
                      lambda ws: ["serve", "--port", str(free_port()), "--graph", ws.write("bad.ttl", "<a> <b")],
                      ("bad.ttl",)))
    return cases


def _sparql_cases() -> list[Case]:
    q = lambda text: (lambda ws: ["query", "-e", text, "--graph", str(ws.graph)])   # noqa: E731
    return [
        Case("sparql/syntax-error", "query", q("SELEC ?x WHERE { ?x ?y ?z }"), ("syntax",)),
        Case("sparql/unclosed-brace", "query", q("SELECT * WHERE { ?s ?p ?o"), ("syntax",)),
        Case("sparql/update", "query", q("DROP ALL"), ()),
        Case("sparql/insert", "query", q("INSERT DATA { <http://e/a> <http://e/b> 1 }"), ()),
        Case("sparql/deep-braces", "query", q(DEEP_BRACES), ("deep",)),
        Case("sparql/deep-parentheses", "query", q(DEEP_PARENS), ("deep",)),
        Case("sparql/unknown-prefix", "query", q("SELECT * WHERE { ?s nope:p ?o }"), ("prefix",)),
        Case("sparql/timeout", "query",
             lambda ws: ["query", "-e", CROSS_PRODUCT, "--graph", str(ws.graph), "--timeout", "1"], ("1",),
             codes=(1, 2, 3)),
        Case("sparql/file-missing", "query", lambda ws: ["query", str(ws.path("none.rq")), "--graph", str(ws.graph)],
             ("none",)),
        Case("sparql/file-binary", "query", lambda ws: ["query", ws.write("bin.rq", BINARY), "--graph", str(ws.graph)],
             ("bin.rq",)),
        Case("sparql/file-utf-16", "query",
             lambda ws: ["query", ws.write("u16.rq", "SELECT * WHERE { ?s ?p ?o } LIMIT 1".encode("utf-16")),
                         "--graph", str(ws.graph)], ("u16.rq",)),
        Case("sparql/file-windows-1258", "query",
             lambda ws: ["query", ws.write("cp.rq", cp1258('SELECT * WHERE { ?s ?p "Sở" }')),
                         "--graph", str(ws.graph)], ("cp.rq",)),
        Case("sparql/very-long-line", "query",
             lambda ws: ["query", ws.write("long.rq", "SELECT * WHERE { ?s ?p " + "?o" * 500_000 + " }"),
                         "--graph", str(ws.graph)], ("syntax",)),
        Case("sparql/unknown-named-query", "query", lambda ws: ["query", "mandat-at", "--graph", str(ws.graph)],
             ("mandate-at",)),
        Case("sparql/bad-param-type", "query",
             lambda ws: ["query", "mandate-at", "-p", "at=notadate", "--graph", str(ws.graph)], ("at",)),
        Case("sparql/param-without-value", "query",
             lambda ws: ["query", "mandate-at", "-p", "at", "--graph", str(ws.graph)], ("at",)),
        Case("sparql/unknown-param", "query",
             lambda ws: ["query", "timeline", "-p", "nonsense=1", "--graph", str(ws.graph)], ("nonsense",)),
        Case("sparql/oxigraph-store-missing", "query",
             lambda ws: ["query", "timeline", "--store", f"oxigraph:{ws.path('nostore')}"], ("nostore",)),
        Case("sparql/unknown-store", "query", lambda ws: ["query", "timeline", "--store", "mongo:x"], ("mongo",)),
        Case("export/oxigraph-store-missing", "export",
             lambda ws: ["export", "--store", f"oxigraph:{ws.path('nostore')}", "-o", str(ws.path("o.ttl"))],
             ("nostore",)),
    ]


def _parameter_cases() -> list[Case]:
    g = lambda ws: ["--graph", str(ws.graph)]   # noqa: E731
    return [
        Case("param/mandate-bad-date", "mandate", lambda ws: ["mandate", "--at", "2010-02-30", *g(ws)], ("2010-02-30",)),
        Case("param/mandate-missing-at", "mandate", lambda ws: ["mandate", *g(ws)], ("--at",)),
        Case("param/diff-unknown-decision", "diff", lambda ws: ["diff", "99/2099/QĐ-UBND", "2010-01-01", *g(ws)],
             ("99/2099",)),
        Case("param/export-bad-format", "export", lambda ws: ["export", "-f", "yaml"], ("yaml",)),
        Case("param/build-bad-format", "build", lambda ws: ["build", "-f", "docx"], ("docx",)),
        Case("param/stats-top-zero", "stats", lambda ws: ["stats", "--top", "0", *g(ws)], ("--top",)),
        Case("param/viz-unknown-view", "viz", lambda ws: ["viz", "--view", "nonsense", "-o", str(ws.path("v")), *g(ws)],
             ("nonsense",)),
        Case("param/serve-port-out-of-range", "serve", lambda ws: ["serve", "--port", "70000"], ("70000",)),
        Case("param/serve-negative-timeout", "serve", lambda ws: ["serve", "--timeout", "-1"], ("--timeout",)),
        Case("param/serve-unknown-store", "serve", lambda ws: ["serve", "--port", str(free_port()), "--store", "mongo:x"],
             ("mongo",)),
        Case("param/serve-bad-host", "serve", lambda ws: ["serve", "--host", "no.such.host.invalid", "--port", "8000"],
             ("no.such.host.invalid",)),
        Case("param/synth-bad-size", "synth", lambda ws: ["synth", "--size", "banana", "-o", str(ws.path("s.nt"))],
             ("banana",)),
        Case("param/push-not-a-url", "push", lambda ws: ["push", "--endpoint", "not a url", "--input", str(ws.graph)],
             ("not a url",)),
        Case("param/push-refused", "push",
             lambda ws: ["push", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql", "--input", str(ws.graph)],
             ("127.0.0.1",), codes=(1, 2)),
        Case("param/cite-unknown-id", "cite", lambda ws: ["cite", "no-such-record", *g(ws)], ("no-such-record",)),
        Case("param/locate-binary-file", "locate", lambda ws: ["locate", ws.write("bin.txt", BINARY), "Sở"], ("bin.txt",)),
        Case("param/locate-utf-16-file", "locate",
             lambda ws: ["locate", ws.write("u16.txt", "Sở Thông tin".encode("utf-16")), "Sở"], ("u16.txt",)),
        Case("param/verify-sources-other-text", "verify-sources",
             lambda ws: ["verify-sources", ws.write("other.txt", "Một văn bản khác.\n"), *g(ws)], ("other.txt",),
             codes=(1, 2)),
        Case("param/unknown-command", "build", lambda ws: ["bulid"], ("build",)),
    ]


def _unwritable_cases() -> list[Case]:
    no_dir = lambda ws, name: str(ws.path("no-such-dir") / name)   # noqa: E731
    return [
        Case("output/build-missing-folder", "build", lambda ws: ["build", "-o", no_dir(ws, "g.ttl")], ("no-such-dir",)),
        Case("output/build-unwritable", "build", lambda ws: ["build", "-o", str(UNWRITABLE_DIR / "g.ttl")], ("/proc",)),
        Case("output/export-to-directory", "export", lambda ws: ["export", "--graph", str(ws.graph), "-o", str(ws.root)],
             ("directory",)),
        Case("output/export-unwritable", "export",
             lambda ws: ["export", "--graph", str(ws.graph), "-o", str(UNWRITABLE_DIR / "g.ttl")], ("/proc",)),
        Case("output/query-unwritable", "query",
             lambda ws: ["query", "timeline", "--graph", str(ws.graph), "-o", str(UNWRITABLE_DIR / "t.csv")], ("/proc",)),
        Case("output/query-missing-folder", "query",
             lambda ws: ["query", "timeline", "--graph", str(ws.graph), "-o", no_dir(ws, "t.csv")], ("no-such-dir",)),
        Case("output/viz-unwritable", "viz",
             lambda ws: ["viz", "--graph", str(ws.graph), "-o", str(UNWRITABLE_DIR / "viz")], ("/proc",)),
        Case("output/synth-unwritable", "synth", lambda ws: ["synth", "-o", str(UNWRITABLE_DIR / "s.nt")], ("/proc",)),
        Case("output/build-store-unwritable", "build",
             lambda ws: ["build", "--no-validate", "-o", str(ws.path("g.ttl")), "--store",
                         f"oxigraph:{UNWRITABLE_DIR / 'store'}"], ("/proc",)),
    ]


def _extract_cases() -> list[Case]:
    text = lambda ws: ws.write("doc.txt", "Quyết định số 53/2008/QĐ-UBND ngày 03/11/2008 của UBND tỉnh.\n")  # noqa: E731
    return [
        Case("extract/binary-file", "extract", lambda ws: ["extract", ws.write("bin.txt", BINARY)], ("bin.txt",)),
        Case("extract/missing-file", "extract", lambda ws: ["extract", str(ws.path("none.txt"))], ("none.txt",)),
        Case("extract/evaluate-binary", "extract", lambda ws: ["extract", "--evaluate", ws.write("bin.txt", BINARY)],
             ("bin.txt",)),
        Case("extract/against-missing", "extract",
             lambda ws: ["extract", "--against", str(ws.path("none.ttl")), text(ws)], ("none.ttl",)),
        Case("extract/against-malformed-turtle", "extract",
             lambda ws: ["extract", "--against", ws.write("bad.ttl", "<a> <b"), text(ws)], ("bad.ttl",)),
        Case("extract/against-binary", "extract",
             lambda ws: ["extract", "--against", ws.write("bin.ttl", BINARY), text(ws)], ("bin.ttl",)),
        Case("extract/output-unwritable", "extract",
             lambda ws: ["extract", "-o", str(UNWRITABLE_DIR / "x"), text(ws)], ("/proc",)),
        Case("extract/output-is-a-file", "extract",
             lambda ws: ["extract", "-o", ws.write("afile", "x"), text(ws)], ("afile",)),
    ]


def _unknown_option_cases() -> list[Case]:
    return [Case(f"option/{name}", name, lambda ws, n=name: [n, "--no-such-option"], ("--no-such-option",))
            for name in sorted(COMMANDS)]


CORPUS = _records_cases() + _graph_file_cases() + _sparql_cases() + _parameter_cases() + _unwritable_cases() \
    + _extract_cases() + _unknown_option_cases()
ACTIVE = [c for c in CORPUS if c.command in COMMANDS]


def test_the_corpus_is_large_and_covers_every_command():
    assert len(ACTIVE) >= 50
    assert {c.command for c in ACTIVE} == set(COMMANDS)
    assert len({c.id for c in ACTIVE}) == len(ACTIVE)


@pytest.fixture(scope="module")
def graph_nt(seed_ntriples) -> Path:
    return seed_ntriples


@pytest.mark.parametrize("case", ACTIVE, ids=lambda c: c.id)
def test_bad_input_gets_a_message_and_nonzero_exit(case: Case, tmp_path, graph_nt):
    ws = Workspace(tmp_path, graph_nt)
    if case.setup:
        case.setup(ws)
    args = case.args(ws)
    before = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run([TTTT_KG, *args], capture_output=True, timeout=300, stdin=subprocess.DEVNULL,
                          cwd=tmp_path, env={**os.environ, **case.env})
    out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    shown = f"tttt-kg {' '.join(a[:80] for a in args)}\nexit {done.returncode}\nstdout: {out[:500]}\nstderr: {err[:1500]}"
    assert done.returncode > 0, "expected a non-zero exit (a negative one is a crash by signal)\n" + shown
    assert done.returncode in case.codes, shown
    assert "Traceback" not in out + err, shown
    message = err.strip()
    assert message, "no message on stderr\n" + shown
    assert len(message.splitlines()) <= 25, "the message is a dump, not a few sentences\n" + shown
    for word in case.says:   # "a|b": either will do
        assert any(w.casefold() in message.casefold() for w in word.split("|")), \
            f"the message should name {word!r}\n" + shown
    after = sorted(p.name for p in tmp_path.iterdir())
    half_written = [n for n in after if n not in before and n.endswith(".tmp")]
    assert not half_written, f"left temporary files {half_written}\n" + shown
