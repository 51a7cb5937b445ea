"""A one-line progress display for long streams (shown only on a terminal)."""

from __future__ import annotations

import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Redraws ``label: 1,234,567 rows (56%) 123,456 rows/s`` on ``stream`` at most 10 times a second.

    ``total`` is the input size in bytes when known (a file), for the percentage.
    A disabled progress does nothing, so callers need no ``if``.
    """

    def __init__(self, stream: TextIO, *, enabled: bool, total: int | None = None, label: str = "link"):
        self.stream = stream
        self.enabled = enabled
        self.total = total or None
        self.label = label
        self.start = time.perf_counter()
        self._last = 0.0
        self._drawn = False

    def update(self, rows: int, position: int | None = None) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last < 0.1:
            return
        self._last = now
        rate = rows / max(now - self.start, 1e-9)
        pct = f" ({min(100, 100 * position // self.total)}%)" if self.total and position is not None else ""
        self.stream.write(f"\r{self.label}: {rows:,} rows{pct} {rate:,.0f} rows/s\x1b[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
