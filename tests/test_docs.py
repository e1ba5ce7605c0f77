"""The documentation cannot drift from the tool.

- `mkdocs build --strict` builds the site (docs/, mkdocs.yml), offline; the command reference pages are
  generated from the click commands and must show every option of every command; the named-query
  catalogue every query and parameter of queries/*.rq.
- Every ```sh block of README.md and docs/**/*.md runs, page by page, in one bash session in a fresh
  working copy of the repository (with ../shared beside it, as CI has), and its output (stdout and
  stderr together, as a terminal shows them) must match the ```output block that follows it; a ```sh
  block with no ```output block after it must print nothing. In an ```output block a line `...` stands
  for any number of lines and `...` inside a line for any text. Every command of a block must succeed
  (an example that shows a failure says so with `; echo "exit $?"`). A server started in the background
  on port 8000 gets a free port instead (the same replacement is made in the expected output).
- The README's two setup commands are the ones CI runs (.ci/run) and are not run here (the test command
  would run this test again).
"""
from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import pytest
from sybil import Sybil
from sybil.parsers.markdown import CodeBlockParser

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
PAGES = [REPO / "README.md"] + sorted(DOCS.rglob("*.md"))
SHELLISH = re.compile(r"^```(sh|bash|shell|console|zsh)\b(.*)$", re.M)
# the pages with shell examples: each is one test below
EXAMPLE_PAGES = [p for p in PAGES if re.search(r"^```sh$", p.read_text(encoding="utf-8"), re.M)]
INSTALL = "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && tttt-kg build"
TEST = ("python3 -m venv .venv && . .venv/bin/activate && ./scripts/install-test-tools.sh "
        "&& pip install -e '.[test]' && python -m pytest")
COMMAND_TIMEOUT = 600


# ---- the site -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_PROXY="*", no_proxy="*")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=REPO, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def _text(html_file: Path) -> str:
    import html
    return html.unescape(re.sub(r"<[^>]+>", " ", html_file.read_text(encoding="utf-8")))


def test_mkdocs_builds_strict_and_every_command_has_its_generated_reference(site):
    import importlib

    from tttt_kg.cli import COMMANDS, main
    pages = {p.parent.name for p in (site / "reference").glob("*/index.html")}
    assert pages == set(COMMANDS)
    for name, target in COMMANDS.items():
        module, attr = target.split(":")
        command = getattr(importlib.import_module(f"tttt_kg.cli.{module}"), attr)
        text = _text(site / "reference" / name / "index.html")
        assert f"tttt-kg {name}" in text
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            for opt in param.opts if isinstance(param, click.Option) else []:
                assert opt in text, f"reference/{name}: option {opt} missing"
        # the page shows the help as click formats it (the option table's wrapping aside)
        help_text = command.get_help(click.Context(command, info_name=f"tttt-kg {name}"))
        page_text = " ".join(text.split())
        for line in help_text.splitlines():
            if line.strip() and not line.startswith("  "):
                assert " ".join(line.split()) in page_text, f"reference/{name}: {line!r} missing"
    index = _text(site / "reference" / "index.html")
    assert all(f"tttt-kg {name}" in index for name in main.list_commands(None))


def test_the_query_catalogue_page_lists_every_query_and_parameter(site):
    from tttt_kg.queries.catalogue import load_catalogue
    text = " ".join(_text(site / "queries" / "index.html").split())
    for q in load_catalogue():
        assert f"tttt-kg query {q.id}" in text and " ".join(q.title["en"].split()) in text, q.id
        for p in q.params:
            assert " ".join(p.doc.split()) in text, (q.id, p.name)


def test_the_ontology_page_lists_the_own_terms(site):
    text = _text(site / "ontology" / "index.html")
    for term in ("tkg:AdministrativeDecision", "tkg:FunctionAssignment", "tkg:SourceReading", "tkg:evidence",
                 "tkg:certainty", "tkg:indicator"):
        assert term in text, term


def test_files_made_by_others_are_linked_from_the_docs(site):
    for name in ("views/mandate.png", "views/growth.png", "views/lineage.png", "views/decisions.png",
                 "views/explorer.png", "views/index.png", "query-page.png"):
        assert (site / name).is_file(), name
    html = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    for name in ("mandate.png", "growth.png", "lineage.png", "decisions.png", "explorer.png", "index.png",
                 "query-page.png"):
        assert name in html, name
    assert (site / "publishing" / "index.html").is_file() and (site / "licence" / "index.html").is_file()


def test_readme_links_into_docs_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if "://" not in link]
    assert any(link.startswith("docs/") for link in local)
    for link in local:
        assert (REPO / link).exists(), link


def test_readme_is_a_landing_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    first_screen = "\n".join(readme.splitlines()[:60])
    assert "tttt-kg mandate" in first_screen


def test_the_readme_setup_commands_are_what_ci_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = _sh_blocks(readme)
    assert INSTALL in blocks and TEST in blocks
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST in ci.splitlines()


def _sh_blocks(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^```sh\n(.*?)^```$", text, re.S | re.M)]


# ---- the examples ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Shell:
    """One bash session for a page's examples, in its own process group (ended by its id)."""

    MARK = "__tttt_kg_docs_done__"

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.port = _free_port()
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
                   COLUMNS="120", TERM="dumb", LC_ALL="C.UTF-8", PYTHONUNBUFFERED="1")
        env.pop("TTTT_KG_PASSWORD", None)
        self.proc = subprocess.Popen(["bash", "--noprofile", "--norc"], cwd=cwd, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True, encoding="utf-8", errors="replace")
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        # a failing command (outside a condition) is reported
        self._send("trap 'echo \"__tttt_kg_docs_failed__ $? at: $BASH_COMMAND\"' ERR")
        self.run("true")

    def _send(self, text: str) -> None:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def local(self, text: str) -> str:
        return text.replace("127.0.0.1:8000", f"127.0.0.1:{self.port}").replace(
            "--port 8000", f"--port {self.port}")

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def run(self, script: str, timeout: float = COMMAND_TIMEOUT) -> str:
        self._send(script)
        self._send(f"echo {self.MARK}")
        lines: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.close()
                raise AssertionError(f"timed out after {timeout} s; output so far:\n" + "".join(lines)) from None
            if line is None:
                raise AssertionError("the shell ended; output:\n" + "".join(lines))
            if line.rstrip("\n") == self.MARK:
                return "".join(lines)
            lines.append(line)

    def close(self) -> None:
        """End the shell and what it started in the background: its process group, by its id."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None and sig == signal.SIGTERM:
                sig = signal.SIGKILL          # the shell is gone; a background server may not be
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(timeout=10)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue


def matches(expected: str, actual: str) -> bool:
    """`...` alone on a line: any lines (none included); `...` inside a line: any text. Runs of spaces
    compare as one space (a table's column widths follow its longest cell)."""
    squeeze = lambda line: " ".join(line.split())
    exp = expected.rstrip("\n").split("\n") if expected.strip() else []
    act = actual.rstrip("\n").split("\n") if actual.strip() else []
    act = [squeeze(line) for line in act]

    def line_re(line: str) -> re.Pattern:
        return re.compile("^" + ".*".join(re.escape(squeeze(part)) if part.strip() else "" for part in
                                          squeeze(line).split("...")) + "$")

    pats = [None if line.strip() == "..." else line_re(line) for line in exp]
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        if (i, j) in memo:
            return memo[i, j]
        if i == len(pats):
            ok = j == len(act)
        elif pats[i] is None:
            ok = any(go(i + 1, k) for k in range(j, len(act) + 1))
        else:
            ok = j < len(act) and bool(pats[i].match(act[j])) and go(i + 1, j + 1)
        memo[i, j] = ok
        return ok
    return go(0, 0)


def working_copy(dest: Path) -> Path:
    """The repository's files as they are in the work tree (tracked and new, not ignored), and ../shared."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    root = dest / "main"
    for name in filter(None, files):
        src = REPO / name
        if src.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, root / name)
    shared = REPO.parent / "shared"
    if shared.exists():
        (dest / "shared").symlink_to(shared)
    return root


def _page_id(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_every_shell_block_is_one_the_tests_run():
    """A shell example is written ```sh (run below); no ```bash, ```console … that nothing runs."""
    for page in PAGES:
        for m in SHELLISH.finditer(page.read_text(encoding="utf-8")):
            assert m.group(1) == "sh" and not m.group(2).strip(), f"{_page_id(page)}: ```{m.group(1)}{m.group(2)}"
    assert REPO / "README.md" in EXAMPLE_PAGES and len(EXAMPLE_PAGES) >= 8


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=_page_id)
def test_every_shell_example_runs_and_prints_what_the_page_shows(page, tmp_path):
    state: dict = {"pending": None}

    def run_sh(example):
        check_pending()
        code = example.parsed.strip()
        if page.name == "README.md" and code in (INSTALL, TEST):
            return          # checked by test_the_readme_setup_commands_are_what_ci_runs
        state["pending"] = (example, state["shell"].run(state["shell"].local(code)))

    def check_output(example):
        assert state["pending"] is not None, f"{page.name}:{example.line}: an output block with no sh block before it"
        sh, actual = state["pending"]
        state["pending"] = None
        where = f"{_page_id(page)}:{sh.line}"
        assert "__tttt_kg_docs_failed__" not in actual, f"{where}: a command failed:\n{actual}"
        expected = state["shell"].local(example.parsed)
        assert matches(expected, actual), f"{where}: the output differs from the page's.\n--- page:\n{expected}\n--- actual:\n{actual}"

    def check_pending():
        if state["pending"] is not None:
            sh, actual = state["pending"]
            state["pending"] = None
            where = f"{_page_id(page)}:{sh.line}"
            assert "__tttt_kg_docs_failed__" not in actual, f"{where}: a command failed:\n{actual}"
            assert actual.strip() == "", f"{where}: printed output the page does not show:\n{actual}"

    sybil = Sybil([CodeBlockParser(language="sh", evaluator=run_sh),
                   CodeBlockParser(language="output", evaluator=check_output)])
    examples = list(sybil.parse(page).examples())
    state["shell"] = Shell(working_copy(tmp_path))
    try:
        for example in examples:
            example.evaluate()
        check_pending()
    finally:
        state["shell"].close()
