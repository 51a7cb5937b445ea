"""The one progress display of netgraph: a single line on stderr, redrawn in place.

Counts (``link: 1,234,567 rows (56%) 123,456 rows/s``) and steps
(``validate: SHACL: 80 shapes on 14,000 triples …``) share one line, which
:meth:`Progress.close` clears, so nothing of it is left in a log. Library code
never decides whether to show it: the command line builds one (enabled only on a
terminal and silenced by ``-q``, see :mod:`netgraph.cli.options`) and hands the
library a callback (:meth:`Progress.update` or :meth:`Progress.step`); a
disabled progress does nothing, so callers need no ``if``.
"""

from __future__ import annotations

import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """One redrawn line on ``stream``: counts at most 10 times a second, steps as they come.

    ``total`` is what ``position`` counts up to (the input size in bytes for a file,
    the triples to send for a load), for the percentage; ``unit`` names what the
    count counts.
    """

    #: The progress whose line is on the screen now (a message printed meanwhile clears it first).
    drawn: Progress | None = None

    @classmethod
    def clear_drawn(cls) -> None:
        """Clear the line on the screen, if any (before printing a message on the same stream)."""
        if cls.drawn is not None:
            cls.drawn.close()

    def __init__(self, stream: TextIO, *, enabled: bool, total: int | None = None, label: str = "link",
                 unit: str = "rows") -> None:
        self.stream = stream
        self.enabled = enabled
        self.total = total or None
        self.label = label
        self.unit = unit
        self.start = time.perf_counter()
        self._last = 0.0
        self._drawn = False

    def update(self, count: int, position: int | None = None) -> None:
        """Show ``count`` (and the share ``position/total``), at most 10 times a second."""
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last < 0.1:
            return
        self._last = now
        rate = count / max(now - self.start, 1e-9)
        pct = f" ({min(100, 100 * position // self.total)}%)" if self.total and position is not None else ""
        self._draw(f"{count:,} {self.unit}{pct} {rate:,.0f} {self.unit}/s")

    def step(self, text: str) -> None:
        """Show the step now under way (each step replaces the last)."""
        if self.enabled:
            self._draw(f"{text} …")

    def _draw(self, text: str) -> None:
        self.stream.write(f"\r{self.label}: {text}\x1b[K")
        self.stream.flush()
        self._drawn = True
        Progress.drawn = self

    def close(self) -> None:
        """Clear the line (when anything was drawn)."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
        if Progress.drawn is self:
            Progress.drawn = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
