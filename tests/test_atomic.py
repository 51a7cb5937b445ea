"""Writes that never leave half a result, and never replace what is not a regular file (issue 12, items 12-13).

Real files, FIFOs, symbolic links and a real subprocess killed with SIGTERM. The
failure paths (a full disk, a rename that fails) are injected by replacing
``os.replace``/``os.fsync`` in :mod:`netgraph.atomic` only for the call that
must fail; everything else is real.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from netgraph import atomic
from netgraph.atomic import open_atomic, write_all_atomic, write_atomic
from netgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
CSV = "id,code\n1,ORPHA:97253\n2,8240/3\n"


class FifoReader:
    """Reads a FIFO to its end in a thread (a writer's open blocks until a reader opens it)."""

    def __init__(self, path: Path):
        os.mkfifo(path)
        self.path, self.data = path, b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as fh:
            self.data = fh.read()

    def result(self) -> bytes:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the writer never closed the FIFO"
        assert stat.S_ISFIFO(os.lstat(self.path).st_mode), "the FIFO was replaced by a regular file"
        return self.data


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


# -- item 12: special files and symbolic links ------------------------------------------------------------


def test_write_atomic_writes_into_a_fifo(tmp_path):
    reader = FifoReader(tmp_path / "fifo")
    write_atomic(tmp_path / "fifo", b"report\n")
    assert reader.result() == b"report\n"


def test_open_atomic_streams_into_a_fifo(tmp_path):
    reader = FifoReader(tmp_path / "fifo")
    with open_atomic(tmp_path / "fifo") as out:
        out.write("row 1\nrow 2\n")
    assert reader.result() == b"row 1\nrow 2\n"


def test_link_output_into_a_fifo(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(CSV, encoding="utf-8")
    reader = FifoReader(tmp_path / "out.fifo")
    result = CliRunner().invoke(main, ["link", str(src), "-c", "code", "-o", str(tmp_path / "out.fifo"), "-q"])
    assert result.exit_code == 0, result.output
    lines = reader.result().decode().splitlines()
    assert len(lines) == 3 and lines[0].startswith("id,code,netgraph_status")


def test_export_output_into_a_fifo(tmp_path):
    reader = FifoReader(tmp_path / "graph.nt")
    result = CliRunner().invoke(main, ["export", "--format", "nt", "--graph", "mappings", "-o", str(tmp_path / "graph.nt")])
    assert result.exit_code == 0, result.output
    assert reader.result().count(b" .\n") > 100


def test_validate_report_into_a_fifo(tmp_path):
    from netgraph.cli import validate_cmd

    reader = FifoReader(tmp_path / "report.txt")
    # the -o path of `netgraph validate` (the report is written with write_atomic)
    assert validate_cmd.write_atomic is write_atomic
    write_atomic(tmp_path / "report.txt", b"0 violations\n")
    assert reader.result() == b"0 violations\n"


def test_a_symlink_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    with open_atomic(link) as out:
        out.write("streamed")
    assert link.is_symlink() and real.read_text() == "streamed"
    assert _leftovers(tmp_path) == []


def test_a_symlink_to_a_device_writes_into_the_device(tmp_path):
    link = tmp_path / "sink"
    link.symlink_to(os.devnull)
    write_atomic(link, b"discarded")
    with open_atomic(link) as out:
        out.write("discarded too")
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert _leftovers(tmp_path) == []


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "made.txt")
    write_atomic(link, b"x")
    assert link.is_symlink() and (tmp_path / "made.txt").read_bytes() == b"x"


def test_validate_output_through_a_symlink_keeps_the_link(tmp_path):
    """`netgraph validate -o LINK` on a small user file (SHACL and QC, no reasoner)."""
    data = tmp_path / "user.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    real = tmp_path / "report.json"
    real.write_text("{}")
    link = tmp_path / "report-link.json"
    link.symlink_to(real)
    result = CliRunner().invoke(main, ["validate", str(data), "--no-reasoner", "--format", "json", "-o", str(link)])
    assert result.exit_code in (0, 1), result.output
    assert link.is_symlink() and real.read_text().lstrip().startswith("{") and len(real.read_text()) > 2


# -- item 13: several files as a set, failures, signals -----------------------------------------------------


def _fail_on_call(monkeypatch, name: str, n: int) -> None:
    """Make the n-th call of atomic.os.<name> fail with ENOSPC (a full disk); the others are real."""
    real = getattr(os, name)
    calls = {"n": 0}

    def maybe_fail(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(atomic.os, name, maybe_fail)


def test_a_failed_later_rename_restores_every_earlier_file(tmp_path, monkeypatch):
    files = {tmp_path / f"f{i}.ttl": f"new {i}".encode() for i in range(3)}
    for i, p in enumerate(files):
        if i < 2:
            p.write_text(f"old {i}")  # f2 is new: it must not exist afterwards
    _fail_on_call(monkeypatch, "replace", 3)
    with pytest.raises(OSError) as info:
        write_all_atomic(files)
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["f0.ttl", "f1.ttl"]
    assert (tmp_path / "f0.ttl").read_text() == "old 0" and (tmp_path / "f1.ttl").read_text() == "old 1"
    assert str(tmp_path / "f2.ttl") in str(info.value) and ".tmp" not in str(info.value)


def test_a_full_disk_names_the_target_and_leaves_nothing(tmp_path, monkeypatch):
    _fail_on_call(monkeypatch, "fsync", 2)
    target = tmp_path / "out" / "deep" / "b.ttl"
    with pytest.raises(OSError) as info:
        write_all_atomic({tmp_path / "out" / "a.ttl": b"a", target: b"b"})
    assert info.value.filename == str(target) and ".tmp" not in str(info.value)
    assert list(tmp_path.iterdir()) == [], "a directory the write created was left behind"


def test_a_release_into_a_full_disk_leaves_no_directory(tmp_path, monkeypatch, built):
    from netgraph.errors import InputError
    from netgraph.stores.release import release

    _fail_on_call(monkeypatch, "fsync", 4)
    with pytest.raises(InputError) as info:
        release(tmp_path / "rel", built=built)
    assert "No space left" in str(info.value) and ".tmp" not in str(info.value)
    assert not (tmp_path / "rel").exists()


def test_the_directory_is_synced_after_the_rename(tmp_path, monkeypatch):
    synced: list[bool] = []
    real = os.fsync

    def record(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real(fd)

    monkeypatch.setattr(atomic.os, "fsync", record)
    write_atomic(tmp_path / "a.txt", b"a")
    assert synced == [False, True]
    synced.clear()
    with open_atomic(tmp_path / "b.txt") as out:
        out.write("b")
    assert synced == [False, True]


def test_an_error_in_the_block_names_the_target(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(OSError) as info, open_atomic(target) as out:
        out.write("partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert info.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_sigterm_during_link_removes_the_temporary(tmp_path):
    out = tmp_path / "linked.csv"
    out.write_text("previous\n")
    proc = subprocess.Popen([sys.executable, "-m", "netgraph", "link", "-", "-c", "code", "-o", str(out), "-q"],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        proc.stdin.write(b"id,code\n" + b"".join(b"%d,ORPHA:97253\n" % i for i in range(20_000)))
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]:
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
        time.sleep(0.3)  # rows are being written into the temporary; stdin stays open
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _leftovers(tmp_path) == [], "the temporary was left behind"
    assert out.read_text() == "previous\n"


def test_sigint_during_open_atomic_removes_the_temporary(tmp_path):
    """Ctrl-C (KeyboardInterrupt) anywhere in the block: the temporary goes, the target stays."""
    target = tmp_path / "out.txt"
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), open_atomic(target) as out:
        out.write("x" * 1000)
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is before, "the SIGTERM handler was not restored"


def test_a_directory_target_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, b"x")
