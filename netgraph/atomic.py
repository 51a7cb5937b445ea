"""Atomic file writes: a reader never sees a half-written file, and a failure leaves nothing behind.

Every command that writes a file the user named (``build``, ``release``,
``export``, ``link -o``, ``validate -o``, ``reason``) writes through this module:

- a **regular file** (or a new name) is written to a temporary beside it,
  flushed and ``fsync``-ed, renamed over the target, and the directory is
  ``fsync``-ed, so the rename itself survives a crash;
- a **symbolic link** is followed: its target is replaced (the link stays a
  link);
- a **special file** (a FIFO, a ``<(…)``/``>(…)`` pipe, ``/dev/stdout``, a
  terminal or another character device) cannot be replaced and is not: the
  data is written into it directly;
- **several files** (:func:`write_all_atomic`) are replaced as a set: all
  temporaries are written first; if a write or a later rename fails, every
  target already replaced gets its old content back (kept meanwhile as a hard
  link), every temporary is removed, and directories the call created are
  removed again;
- on **SIGTERM** or **SIGHUP** (and Ctrl-C) while a temporary exists, the
  temporary is removed before the process ends.

Errors name the target, never the temporary.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import shutil
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any
from collections.abc import Iterator, Mapping

__all__ = ["write_atomic", "write_all_atomic", "open_atomic", "is_special_file"]


# -- cleanup of temporaries on a termination signal ----------------------------------------------

_live: set[str] = set()  # temporaries (and backups) that exist right now
_lock = threading.Lock()
_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)
_saved: dict[int, object] = {}


def _on_signal(signum: int, frame: FrameType | None) -> None:  # pragma: no cover - runs in a process being killed (tested via subprocess)
    for path in list(_live):
        try:
            os.unlink(path)
        except OSError:
            pass
    _live.clear()
    previous = _saved.get(signum, signal.SIG_DFL)
    if callable(previous) and previous is not _on_signal:
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)  # end as the signal would have: same exit status for the caller


def _track(path: str) -> None:
    with _lock:
        _live.add(path)
        if threading.current_thread() is threading.main_thread():
            for s in _SIGNALS:
                current = signal.getsignal(s)
                if current is not _on_signal and current is not signal.SIG_IGN:
                    _saved[s] = current
                    signal.signal(s, _on_signal)


def _untrack(path: str) -> None:
    with _lock:
        _live.discard(path)
        if not _live and threading.current_thread() is threading.main_thread():
            for s, previous in list(_saved.items()):
                if signal.getsignal(s) is _on_signal:
                    signal.signal(s, previous)  # type: ignore[arg-type]
                del _saved[s]


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
    _untrack(path)


# -- targets -------------------------------------------------------------------------------------


def is_special_file(path: str | os.PathLike) -> bool:
    """True for an existing target that is neither a regular file nor a directory (FIFO, device, socket)."""
    try:
        mode = os.stat(path).st_mode  # follows symbolic links
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _resolve(path: str | os.PathLike) -> Path:
    """The file a write to ``path`` should replace: a symbolic link's final target, else ``path``."""
    p = Path(path)
    if p.is_symlink():
        return Path(os.path.realpath(p))
    return p


def _check_target(target: Path, named: str | os.PathLike) -> None:
    if target.is_dir():
        raise IsADirectoryError(21, "is a directory", str(named))


def _file_mode(target: Path) -> int:
    """Keep an existing file's mode; a new file gets 0o666 less the umask (mkstemp would give 0o600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _make_parents(directory: Path, created: list[Path]) -> None:
    """Create ``directory`` and its missing parents, recording each one created (outermost first)."""
    missing = []
    d = directory
    while not d.exists():
        missing.append(d)
        if d.parent == d:
            break
        d = d.parent
    for d in reversed(missing):
        try:
            d.mkdir()
        except FileExistsError:
            continue
        created.append(d)


def _remove_dirs(created: list[Path]) -> None:
    for d in reversed(created):
        try:
            d.rmdir()  # only when still empty
        except OSError:
            pass


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)


def _named(exc: OSError, target: Path) -> OSError:
    """The same error, naming the target instead of the temporary."""
    if exc.errno:
        return type(exc)(exc.errno, exc.strerror or str(exc), str(target))
    return OSError(f"{target}: {exc}")


_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _temporary(target: Path) -> tuple[int, str]:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    _track(tmp)
    return fd, tmp


# -- writing -------------------------------------------------------------------------------------


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path``: atomically for a regular file, directly into a special file."""
    write_all_atomic({Path(path): data})


def write_all_atomic(files: Mapping[Path, bytes]) -> None:
    """Write several files as a set: either every regular target is replaced, or none is.

    Special files (FIFOs, devices) among the targets are written last, directly.
    """
    regular: list[tuple[Path, bytes]] = []
    special: list[tuple[Path, bytes]] = []
    for named, data in files.items():
        if is_special_file(named):
            special.append((Path(named), data))
            continue
        target = _resolve(named)
        _check_target(target, named)
        regular.append((target, data))
    created: list[Path] = []
    staged: list[tuple[str, Path]] = []
    backups: list[tuple[Path, str | None]] = []  # (target, hard link to its old content, or None if it was new)
    try:
        for target, data in regular:
            _make_parents(target.parent, created)
            fd, tmp = _temporary(target)
            staged.append((tmp, target))  # before writing, so a failed write is cleaned up too
            try:
                with os.fdopen(fd, "wb") as fh:
                    os.fchmod(fh.fileno(), _file_mode(target))
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise _named(exc, target) from exc
        for tmp, target in staged:
            backups.append((target, _backup(target)))
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise _named(exc, target) from exc
            _untrack(tmp)
    except BaseException:
        _rollback(backups)
        for tmp, _ in staged:
            _remove(tmp)
        _remove_dirs(created)
        raise
    for _, backup in backups:
        if backup is not None:
            _remove(backup)
    for directory in dict.fromkeys(t.parent for _, t in staged):
        _fsync_dir(directory)
    for target, data in special:
        with open(target, "wb") as fh:
            fh.write(data)


def _backup(target: Path) -> str | None:
    """A hard link to ``target``'s current content (None when there is no target yet)."""
    if not target.exists():
        return None
    for _ in range(100):
        backup = str(target.parent / f".{target.name}.{secrets.token_hex(6)}.old")
        _track(backup)
        try:
            os.link(target, backup)
            return backup
        except FileExistsError:
            _untrack(backup)
            continue
        except OSError:  # a file system without hard links: a copy
            _untrack(backup)
            fd, backup = _temporary(target)
            os.close(fd)
            shutil.copy2(target, backup)
            return backup
    raise FileExistsError(17, "cannot find a free name for a backup", str(target))


def _rollback(backups: list[tuple[Path, str | None]]) -> None:
    """Give each already-replaced target its old content back (or remove it if it was new)."""
    for target, backup in reversed(backups):
        try:
            if backup is None:
                os.unlink(target)
            else:
                os.replace(backup, target)
                _untrack(backup)
        except OSError:
            pass


@contextmanager
def open_atomic(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8",
                newline: str | None = "") -> Iterator[IO]:
    """Stream into ``path``: a temporary renamed into place when the block completes.

    For output too large to hold in memory. If the block raises (or the process
    gets SIGTERM), the temporary is removed and ``path`` is left as it was. A
    special file (FIFO, device) is written directly.
    """
    binary = "b" in mode
    text_args: dict[str, Any] = {} if binary else {"encoding": encoding, "newline": newline}
    if is_special_file(path):
        with open(path, mode, **text_args) as fh:
            yield fh
        return
    target = _resolve(path)
    _check_target(target, path)
    created: list[Path] = []
    _make_parents(target.parent, created)
    try:
        fd, tmp = _temporary(target)
    except BaseException:
        _remove_dirs(created)
        raise
    try:
        os.chmod(tmp, _file_mode(target))
        raw = os.fdopen(fd, "wb")
        with (raw if binary else io.TextIOWrapper(raw, **text_args)) as fh:
            yield fh
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise _named(exc, target) from exc
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise _named(exc, target) from exc
    except OSError as exc:
        _remove(tmp)
        _remove_dirs(created)
        if exc.filename == tmp or (exc.filename is None and exc.errno in _FULL):
            raise _named(exc, target) from exc  # a write into the temporary failed: name the target
        raise
    except BaseException:
        _remove(tmp)
        _remove_dirs(created)
        raise
    _untrack(tmp)
    _fsync_dir(target.parent)
