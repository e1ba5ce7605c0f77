"""`-o` onto what is not a plain new file: a symbolic link, a FIFO, a device, a socket, a full disk.

An output that is replaced by rename must only ever be a regular file: as root, renaming over
/dev/null turns it into a regular file for every process on the machine. Everything else is
written in place or refused with a sentence. New files honour the umask; replaced files keep
their mode. Each case runs the real CLI in a subprocess (CI runs these as root on Debian).
"""
from __future__ import annotations

import os
import re
import resource
import socket
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from served import TTTT_KG

SELECT = "SELECT ?s ?c WHERE { ?s a ?c } ORDER BY ?s ?c LIMIT 400"


@pytest.fixture(scope="module")
def store_spec(tmp_path_factory) -> str:
    """A persistent Oxigraph store: `export --store` writes through atomic_path, not write_bytes_atomic."""
    spec = f"oxigraph:{tmp_path_factory.mktemp('outputs') / 'kg'}"
    done = subprocess.run([TTTT_KG, "build", "-o", "-", "--no-validate", "--store", spec],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return spec


@pytest.fixture(scope="module", params=["export", "export-store", "query"])
def command(request, store_spec) -> tuple[list[str], bytes]:
    """A command that takes -o (without it) and the bytes it writes to stdout (run once per module)."""
    args = {"export": ["export", "-f", "ntriples"],
            "export-store": ["export", "--store", store_spec, "-f", "ntriples"],
            "query": ["query", "-e", SELECT, "-f", "csv"]}[request.param]
    done = subprocess.run([TTTT_KG, *args], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert len(done.stdout) > 8192     # more than the 4 KiB a test lets a write reach
    return args, done.stdout


def same(written: bytes, expected: bytes) -> bool:
    """The same output up to blank-node labels, which differ from one build of the graph to the next."""
    def lines(data):
        return sorted(re.sub(rb"_:\w+", b"_:", data).splitlines())
    return lines(written) == lines(expected)


def run(args, output, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([TTTT_KG, *args, "-o", str(output)], capture_output=True, text=True, **kwargs)


def leftovers(folder: Path, name: str = "") -> list[str]:
    """Temporary files (of outputs called ``name``, else any) left in ``folder``."""
    return [n for n in os.listdir(folder) if n.startswith(f".{name}") and n.endswith(".tmp")]


@pytest.fixture
def real_device():
    """/dev/null or /dev/full, put back as the device if a broken writer replaced it (so that a
    failing run against an old atomic.py does not leave the machine without its /dev/null)."""
    made = []

    def device(name: str, minor: int) -> Path:
        path = Path("/dev") / name
        assert stat.S_ISCHR(os.stat(path).st_mode)
        made.append((path, minor))
        return path
    yield device
    for path, minor in made:
        if not stat.S_ISCHR(os.lstat(path).st_mode):
            os.unlink(path)
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))


def test_symlink_stays_a_link_and_its_file_gets_the_output(command, tmp_path):
    """The link is followed as the shell's `>` would: the file it names is replaced, the link is kept."""
    args, expected = command
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "graph.out"
    real.write_bytes(b"old")
    link = tmp_path / "graph.out"
    link.symlink_to(real)
    done = run(args, link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert same(real.read_bytes(), expected)
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


def test_dangling_symlink_is_refused(tmp_path):
    """A link to nothing is refused rather than followed: a rename would bypass the kernel's
    protected_symlinks guard, and a root process must not create files where a planted link points."""
    link = tmp_path / "graph.ttl"
    link.symlink_to(tmp_path / "elsewhere.ttl")
    done = run(["export"], link)
    assert done.returncode == 2
    assert f"{link}: is a symbolic link to {tmp_path / 'elsewhere.ttl'}, which does not exist" in done.stderr
    assert link.is_symlink() and not (tmp_path / "elsewhere.ttl").exists()
    assert leftovers(tmp_path) == []


def test_fifo_is_written_through(command, tmp_path):
    """A FIFO's reader gets the bytes and the FIFO stays a FIFO."""
    args, expected = command
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    read_end = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(read_end, True)
    keeper = os.open(fifo, os.O_WRONLY)   # end-of-file comes when it closes, whatever the command did
    received = []

    def read_all():
        with open(read_end, "rb") as fh:
            received.append(fh.read())
    reader = threading.Thread(target=read_all)
    reader.start()
    try:
        done = run(args, fifo)
    finally:
        os.close(keeper)
        reader.join()
    assert done.returncode == 0, done.stderr
    assert len(received) == 1 and same(received[0], expected)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_proc_self_fd_onto_a_pipe_is_written_through(command):
    """`-o /proc/self/fd/1` (or /dev/stdout) with stdout a pipe writes into the pipe."""
    args, expected = command
    done = subprocess.run([TTTT_KG, *args, "-o", "/proc/self/fd/1"], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert same(done.stdout, expected)


def test_dev_null_stays_a_device(command, real_device):
    """Run as root, a rename over /dev/null replaces the machine's /dev/null with a regular file."""
    args, _ = command
    null = real_device("null", 3)
    before = os.stat(null).st_rdev
    done = run(args, null)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.lstat(null).st_rdev == before
    assert leftovers(null.parent, "null.") == []


def test_dev_full_says_no_space_and_stays_a_device(command, real_device):
    """A device that refuses the bytes is an error naming it, with exit 2 and no traceback."""
    args, _ = command
    full = real_device("full", 7)
    done = run(args, full)
    assert done.returncode == 2, done.stderr
    assert f"error: {full}: could not be written (no space left on device)" in done.stderr
    assert "Traceback" not in done.stderr
    assert stat.S_ISCHR(os.lstat(full).st_mode) and os.lstat(full).st_rdev == os.makedev(1, 7)
    assert leftovers(full.parent, "full.") == []


def test_socket_is_refused(tmp_path):
    """A Unix socket cannot be opened as a file; replacing it would break whoever listens on it."""
    path = tmp_path / "kg.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        done = run(["export"], path)
        assert done.returncode == 2
        assert f"{path}: is a socket" in done.stderr
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_new_file_honours_the_umask(command, tmp_path):
    """A new output is 0666 less the umask, as `>` or `cp` make it, not the temporary file's 0600
    (077 is checked too: honouring the umask must not mean widening a private one)."""
    args, expected = command
    for mask, mode in ((0o022, 0o644), (0o027, 0o640), (0o077, 0o600)):
        out = tmp_path / f"answer-{mask:03o}.out"
        done = run(args, out, umask=mask)
        assert done.returncode == 0, done.stderr
        assert same(out.read_bytes(), expected)
        assert (oct(mask), oct(stat.S_IMODE(out.stat().st_mode))) == (oct(mask), oct(mode))
    assert leftovers(tmp_path) == []


def test_replaced_file_keeps_its_mode(command, tmp_path):
    """Whoever made the file 0640 meant it: the new content must not widen or narrow that."""
    args, expected = command
    out = tmp_path / "answer.out"
    out.write_bytes(b"old")
    out.chmod(0o640)
    done = run(args, out, umask=0o022)
    assert done.returncode == 0, done.stderr
    assert same(out.read_bytes(), expected)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_private_file_being_replaced_is_never_readable_by_others_on_the_way(tmp_path):
    """While the new content is written, its temporary file is 0600 when it replaces a file (which then
    gets that file's bits), and 0666 less the umask when the output is new (no other bits to give it)."""
    from tttt_kg.graph.atomic import atomic_path
    private = tmp_path / "private.ttl"
    private.write_bytes(b"old")
    private.chmod(0o600)
    old_mask = os.umask(0o022)
    try:
        with atomic_path(private) as tmp:
            assert stat.S_IMODE(os.stat(tmp).st_mode) == 0o600
            Path(tmp).write_bytes(b"new")
        with atomic_path(tmp_path / "new.ttl") as tmp:
            assert stat.S_IMODE(os.stat(tmp).st_mode) == 0o644
            Path(tmp).write_bytes(b"new")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user (CI runs as root)")
def test_root_replacing_a_users_file_leaves_it_theirs(tmp_path):
    """Root rewriting someone's output must not take the file away from them."""
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old")
    os.chown(out, 4321, 4322)
    done = run(["export"], out)
    assert done.returncode == 0, done.stderr
    assert (out.stat().st_uid, out.stat().st_gid) == (4321, 4322)
    assert out.read_bytes() != b"old"


def _file_size_limit():
    """In the child: writes past 4 KiB fail with EFBIG, as a full disk fails them with ENOSPC."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.parametrize("existing", [True, False], ids=["replace", "new"])
def test_a_write_that_cannot_finish_names_the_output(existing, command, tmp_path):
    """Out of space half-way: the message names the file, the old one is whole, no temp file stays."""
    args, _ = command
    out = tmp_path / "answer.out"
    if existing:
        out.write_bytes(b"previous content")
    done = run(args, out, preexec_fn=_file_size_limit)
    assert done.returncode == 2
    assert f"error: {out}: could not be written (file too large)" in done.stderr
    assert "Traceback" not in done.stderr
    if existing:
        assert out.read_bytes() == b"previous content"
        assert "the previous" in done.stderr and "is unchanged" in done.stderr
    else:
        assert not out.exists()
    assert leftovers(tmp_path) == []
