"""A store's life on disk: switching versions under kill -9, readers, leftovers, full disks, huge sizes.

`tttt-kg load` is run as a real process and killed with SIGKILL. To kill it at an exact step
of the switch, the test-only variable TTTT_KG_TEST_STOP_AT makes it stop itself (SIGSTOP) there
(graph/stores/oxistore._test_point); the test waits until it is stopped, then kills it. One test also
kills it at moments spread over a whole load, with no help from the code.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

TTTT_KG = str(Path(sys.executable).with_name("tttt-kg"))
A, B = 2_000, 30_000   # triples in the two graphs a store switches between


def _ntriples(path: Path, n: int, tag: str) -> Path:
    path.write_text("".join(f'<https://example.org/{tag}/s{i}> <https://example.org/p> "{tag} value {i}" .\n'
                            for i in range(n)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("graphs")
    return _ntriples(tmp / "a.nt", A, "a"), _ntriples(tmp / "b.nt", B, "b")


def load(files, store: Path, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([TTTT_KG, "load", *map(str, files), "--store", f"oxigraph:{store}"],
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, **kwargs)


def triples(store: Path) -> int:
    """What a reader gets from PATH, opened the way every command opens it (and let go at once)."""
    from tttt_kg.graph.stores.store import open_store
    return len(open_store(f"oxigraph:{store}"))


def beside(store: Path) -> list[str]:
    """The hidden entries next to PATH (versions, leftovers)."""
    return sorted(p.name for p in store.parent.iterdir() if p.name.startswith(f".{store.name}."))


def current(store: Path) -> list[str]:
    """What may stay beside PATH once nothing runs: the version folder it points to."""
    return [os.readlink(store)] if os.path.islink(store) else []


def plain_folder_store(graph: Path, store: Path) -> None:
    """A store as tttt-kg made it before versions: PATH a plain folder."""
    made = store.with_name(store.name + "-made")
    assert load([graph], made).returncode == 0
    folder = os.path.realpath(made)
    shutil.copytree(folder, store)
    shutil.rmtree(folder)
    if os.path.islink(made):
        made.unlink()
    assert not os.path.islink(store)


def stop_at(step: str, files, store: Path) -> subprocess.Popen:
    """A load that stopped itself at ``step``: still alive, holding what it holds there."""
    proc = subprocess.Popen([TTTT_KG, "load", *map(str, files), "--store", f"oxigraph:{store}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "TTTT_KG_TEST_STOP_AT": step})
    _, status = os.waitpid(proc.pid, os.WUNTRACED)
    if not os.WIFSTOPPED(status):
        proc.returncode = os.waitstatus_to_exitcode(status)
        pytest.fail(f"the load did not stop at '{step}' (it ended with {proc.returncode}): "
                    f"{proc.stderr.read().decode()}")
    return proc


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()


# ---- kill -9 during a switch ---------------------------------------------------------------------

STEPS = [  # (layout, step, what PATH holds after the kill)
    ("versions", "building", A), ("versions", "built", A), ("versions", "linked", A),
    ("versions", "switched", B), ("versions", "removing", B),
    ("plain folder", "built", A), ("plain folder", "linked", A), ("plain folder", "moved-aside", B),
    ("plain folder", "switched", B),
]


@pytest.mark.parametrize("layout, step, expected", STEPS, ids=[f"{layout}-{step}" for layout, step, _ in STEPS])
def test_a_load_killed_at_any_step_leaves_a_whole_store(graphs, tmp_path, layout, step, expected):
    """Before the switch PATH keeps the old store, after it the new one; a first switch from a plain
    folder killed between its two renames (PATH missing) is finished by the next command that opens
    it. The next load then leaves nothing beside PATH but its version."""
    a, b = graphs
    store = tmp_path / "kg"
    if layout == "versions":
        assert load([a], store).returncode == 0
    else:
        plain_folder_store(a, store)
    kill(stop_at(step, [b], store))
    if step == "moved-aside":
        assert not os.path.lexists(store)   # the state the fix has to cope with
    assert triples(store) == expected
    assert os.path.islink(store) or expected == A   # a plain folder is kept until a switch has happened
    done = load([a], store)
    assert done.returncode == 0, done.stderr
    assert triples(store) == A
    assert beside(store) == current(store)


def test_a_load_killed_at_moments_spread_over_it_always_leaves_a_whole_store(graphs, tmp_path):
    """No help from the code: kill -9 at eight moments over a load (timed by one undisturbed load),
    each time between the two graphs. PATH always holds one of them, whole; the next load cleans up."""
    a, b = graphs
    store = tmp_path / "kg"
    big = _ntriples(tmp_path / "big.nt", 150_000, "big")
    assert load([a], store).returncode == 0
    started = time.monotonic()
    assert load([big], store).returncode == 0
    duration = time.monotonic() - started
    seen = set()
    for k in range(8):
        source = [a] if k % 2 else [big]
        proc = subprocess.Popen([TTTT_KG, "load", str(source[0]), "--store", f"oxigraph:{store}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * (k + 0.5) / 8)
        proc.kill()
        proc.wait()
        n = triples(store)
        assert n in (A, 150_000), n
        seen.add(n)
    assert load([a], store).returncode == 0
    assert beside(store) == current(store)
    assert triples(store) == A


def test_start_up_after_the_old_two_rename_swap_was_killed(graphs, tmp_path):
    """tttt-kg before versions, killed between its renames, left PATH missing, the old store in
    `.kg.*.old` and the new one in `.kg.*.building`: opening PATH puts the old store back, the next
    load removes the half-built folder."""
    a, b = graphs
    store = tmp_path / "kg"
    plain_folder_store(a, store)
    os.rename(store, tmp_path / ".kg.k2q9x_7a.old")
    plain_folder_store(b, tmp_path / ".kg.3jd8_0pz.building")
    assert not os.path.lexists(store)
    assert triples(store) == A
    assert load([b], store).returncode == 0
    assert triples(store) == B
    assert beside(store) == current(store)


# ---- readers and old versions --------------------------------------------------------------------

READER = textwrap.dedent("""
    import sys
    from tttt_kg.graph.stores.store import open_store
    store = open_store(sys.argv[1])
    print(store.version, len(store), flush=True)
    sys.stdin.readline()   # a load switches PATH meanwhile
    rows = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }").rows
    print(len(rows), *sorted({r["o"].value.split()[0] for r in rows}), flush=True)
    sys.stdin.readline()
""")


def test_a_reader_keeps_its_version_while_a_load_switches_and_it_goes_once_released(graphs, tmp_path):
    from tttt_kg.graph.stores.oxistore import cleanup, store_version
    a, b = graphs
    store = tmp_path / "kg"
    assert load([a], store).returncode == 0
    first = store_version(store)
    assert first == os.readlink(store) and first.startswith(".kg.v")
    reader = subprocess.Popen([sys.executable, "-c", READER, f"oxigraph:{store}"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().split() == [first, str(A)]
        assert load([b], store).returncode == 0
        second = store_version(store)
        assert second != first and triples(store) == B
        assert (tmp_path / first).is_dir()   # still read: the load left it
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == [str(A), "a"]   # every triple, all of the old graph
        assert cleanup(store) == []
    finally:
        reader.stdin.close()
        reader.wait()
    assert cleanup(store) == [tmp_path / first]   # released: now it goes
    assert beside(store) == [second]
    # an in-process reader knows its version too, and a load after it is closed removes it
    from tttt_kg.graph.stores.store import open_store
    opened = open_store(f"oxigraph:{store}")
    assert opened.version == second
    assert load([a], store).returncode == 0
    assert (tmp_path / second).is_dir()
    opened.close()
    assert load([b], store).returncode == 0
    assert beside(store) == [store_version(store)]


def test_a_store_made_before_versions_opens_and_has_a_stable_version(graphs, tmp_path):
    from tttt_kg.graph.stores.oxistore import store_version
    from tttt_kg.graph.stores.store import open_store
    a, _ = graphs
    store = tmp_path / "kg"
    plain_folder_store(a, store)
    version = store_version(store)
    assert version.startswith("legacy-") and store_version(store) == version
    opened = open_store(f"oxigraph:{store}")
    assert opened.version == version and len(opened) == A
    opened.close()


# ---- leftovers of killed processes ---------------------------------------------------------------

def test_a_killed_builds_folder_is_removed_by_the_next_load_and_a_live_ones_is_not(graphs, tmp_path):
    from tttt_kg.graph.stores.oxistore import cleanup
    a, b = graphs
    store = tmp_path / "kg"
    assert load([a], store).returncode == 0
    before = set(beside(store))
    live = stop_at("building", [b], store)   # alive, building
    try:
        live_folder = (set(beside(store)) - before).pop()
        dead = stop_at("building", [b], store)
        dead_folder = (set(beside(store)) - before - {live_folder}).pop()
        kill(dead)
        assert (tmp_path / dead_folder).is_dir()   # what kill -9 leaves
        assert load([a], store).returncode == 0
        assert not (tmp_path / dead_folder).exists()
        assert (tmp_path / live_folder).is_dir()
        assert set(beside(store)) == {os.readlink(store), live_folder}
    finally:
        kill(live)
    assert cleanup(store) == [tmp_path / live_folder]
    assert beside(store) == current(store)


def _holder(path: Path, take_lock: bool) -> subprocess.Popen:
    """Another process with ``path`` open (and flocked, as synth holds its file)."""
    code = textwrap.dedent(f"""
        import fcntl, sys
        fh = open({str(path)!r}, "ab")
        if {take_lock}:
            fcntl.flock(fh, fcntl.LOCK_EX)
        print("holding", flush=True)
        sys.stdin.readline()
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_synth_removes_a_killed_synths_partial_file_but_not_one_being_written(cli, tmp_path):
    out = tmp_path / "c.nt"
    proc = subprocess.Popen([TTTT_KG, "synth", "--size", "20M", "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lambda: _file_size_limit(256 << 20))   # killed long before that
    deadline = time.monotonic() + 120
    partial = []
    while not partial and time.monotonic() < deadline and proc.poll() is None:
        partial = [p for p in tmp_path.glob(".c.nt.*.tmp") if p.stat().st_size > 4 << 20]
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert partial, "synth wrote no partial file to kill it on"
    assert partial[0].exists()                                   # what kill -9 leaves
    locked, opened = tmp_path / ".c.nt.live0001.tmp", tmp_path / ".c.nt.live0002.tmp"
    locked.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    opened.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    holders = [_holder(locked, take_lock=True), _holder(opened, take_lock=False)]
    try:
        result = cli("synth", "--size", "10k", "-o", out)
        assert result.exit_code == 0, result.output
        assert not partial[0].exists()
        assert locked.exists() and opened.exists()   # a synth holding its file; a writer that has it open
    finally:
        for h in holders:
            h.stdin.close()
            h.wait()
    assert cli("synth", "--size", "10k", "-o", out).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.nt"]


# ---- sizes and full disks ------------------------------------------------------------------------

def test_synth_refuses_an_absurd_size_up_front(tmp_path):
    # the file size limit keeps a regression from filling the disk (as it did before the check: 79 GB)
    done = subprocess.run([TTTT_KG, "synth", "--size", "1000000000000000"], cwd=tmp_path,
                          capture_output=True, text=True, preexec_fn=lambda: _file_size_limit(64 << 20))
    assert done.returncode == 2
    assert "1,000,000,000,000,000 triples" in done.stderr and "192.0 PB" in done.stderr
    assert "100,000,000" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []   # not even out/


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs (CI runs as root); None where mounting is not allowed (a container without
    CAP_SYS_ADMIN), and the tests then fill a file size limit instead (RLIMIT_FSIZE: EFBIG)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
                                 capture_output=True).returncode == 0
    except FileNotFoundError:
        mounted = False
    try:
        yield mnt if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(mnt)], check=True)


def _file_size_limit(size: int = 1 << 20):
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))   # Python ignores SIGXFSZ: writes fail, EFBIG


def test_synth_refuses_a_size_the_disk_cannot_hold(cli, small_disk, tmp_path, monkeypatch):
    if small_disk is None:   # no tmpfs here: the same decision, on a disk that says it has 4 MB free
        small_disk = tmp_path
        monkeypatch.setattr(shutil, "disk_usage", lambda p: SimpleNamespace(total=4 << 20, used=0, free=4 << 20))
    result = cli("synth", "--size", "100k", "-o", small_disk / "c.nt")
    assert result.exit_code == 2
    assert "needs about 20.2 MB for the file" in result.stderr and f"{small_disk} has" in result.stderr
    assert "Traceback" not in result.output
    assert [p for p in small_disk.iterdir()] == []


@pytest.mark.parametrize("full", ["disk", "file size limit"])
def test_a_full_disk_names_the_store_not_the_input(graphs, tmp_path, small_disk, full):
    a, _ = graphs
    where = small_disk if (full == "disk" and small_disk is not None) else tmp_path / "disk"
    where.mkdir(exist_ok=True)
    store = where / "kg"
    assert load([a], store).returncode == 0
    big = _ntriples(tmp_path / "big.nt", 100_000, "big")
    done = load([big], store, preexec_fn=None if where == small_disk else _file_size_limit)
    assert done.returncode == 2
    message = done.stderr
    assert message.startswith(f"error: {store}: cannot write the store (")
    assert ("No space left on device" if where == small_disk else "File too large") in message
    assert "cannot read" not in message and str(big) not in message and "Traceback" not in message
    assert triples(store) == A                    # the old store is untouched
    assert beside(store) == current(store)  # and the partial new one is gone


PEAK_OF_A_LOAD = """
import sys, atexit
atexit.register(lambda: print(next(l for l in open('/proc/self/status') if l.startswith('VmPeak')), file=sys.stderr))
from tttt_kg.cli import main
sys.argv = ['tttt-kg', 'load', '--store', 'oxigraph:' + sys.argv[1], sys.argv[2]]
main()
"""


def test_a_load_reserves_little_address_space(graphs, tmp_path):
    """RocksDB's threads each got a glibc malloc arena (64 MB of address space): a load of 2,000 triples
    reserved 712-778 MB, and past 1 GB on a busy machine, where a `ulimit -v` of 1 GB made it abort. With
    the arenas capped (graph/server/memory.py) it reserves about 385 MB."""
    a, _ = graphs
    done = subprocess.run([sys.executable, "-c", PEAK_OF_A_LOAD, str(tmp_path / "kg"), str(a)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    peak_kb = int(done.stderr.split("VmPeak:")[1].split()[0])
    assert peak_kb < 512 * 1024, f"{peak_kb // 1024} MB of address space"
