"""The benchmarks' timing helpers, in one place: repeated runs, their median or best, wall time of commands.

Every figure is wall-clock time from :func:`time.perf_counter`, in seconds
unless the name says otherwise. ``warmup`` runs are made first and not timed
(caches filled, code imported).

>>> times = timings(lambda: None, 3, warmup=1)
>>> len(times), all(t >= 0 for t in times)
(3, True)
>>> median(lambda: None, 3) <= 1 and best(lambda: None, 3) <= 1
True
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["timings", "median", "best", "best_with_value", "Elapsed", "stopwatch", "command_runs", "command_times"]

T = TypeVar("T")


def timings(fn: Callable[[], object], repeat: int, *, warmup: int = 0) -> list[float]:
    """The seconds each of ``repeat`` timed calls of ``fn`` took (after ``warmup`` untimed calls)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def median(fn: Callable[[], object], repeat: int, *, warmup: int = 0) -> float:
    """The median of :func:`timings` (seconds)."""
    return statistics.median(timings(fn, repeat, warmup=warmup))


def best(fn: Callable[[], object], repeat: int, *, warmup: int = 0) -> float:
    """The fastest of :func:`timings` (seconds): the least disturbed run on a shared machine."""
    return min(timings(fn, repeat, warmup=warmup))


def best_with_value(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The fastest of ``repeat`` calls (seconds) and the last call's return value."""
    times: list[float] = []
    value: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


class Elapsed:
    """Seconds since a :func:`stopwatch` started; fixed when its ``with`` block ends."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.end: float | None = None

    @property
    def seconds(self) -> float:
        return (self.end if self.end is not None else time.perf_counter()) - self.start


@contextmanager
def stopwatch() -> Iterator[Elapsed]:
    """``with stopwatch() as t: ...`` then ``t.seconds``: the wall time of one block."""
    elapsed = Elapsed()
    try:
        yield elapsed
    finally:
        elapsed.end = time.perf_counter()


def command_runs(cmd: Sequence[str], runs: int, env: Mapping[str, str] | None = None, *,
                 cwd: str | None = None) -> tuple[list[float], list[float]]:
    """Wall seconds and CPU seconds (user + system, of the child) of ``runs`` fresh processes of ``cmd``
    (output discarded; a failure stops the benchmark). CPU time hardly moves when other work shares the
    cores; wall time does."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with stopwatch() as elapsed:
            subprocess.run(list(cmd), check=True, stdout=subprocess.DEVNULL,
                           env=dict(env) if env is not None else None, cwd=cwd)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(elapsed.seconds)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def command_times(cmd: Sequence[str], runs: int, env: Mapping[str, str] | None = None, *,
                  cwd: str | None = None) -> list[float]:
    """Wall seconds of ``runs`` fresh processes of ``cmd`` (see :func:`command_runs`)."""
    return command_runs(cmd, runs, env, cwd=cwd)[0]


def imported_package(env: Mapping[str, str], cwd: str | Path) -> Path:
    """The folder of the netgraph package that a child Python started in ``cwd`` with ``env`` imports
    (``python -c`` and ``python -m`` put the working directory first on sys.path)."""
    out = subprocess.run([sys.executable, "-c", "import netgraph; print(netgraph.__file__)"], env=dict(env),
                         check=True, capture_output=True, text=True, cwd=cwd).stdout.strip()
    return Path(out).parent
