"""The record ids a reader has seen, with the row each was first seen on, in bounded memory.

A records file is read once, top to bottom, and a repeated record id is reported
with the row where the id first appeared. Up to :data:`IN_MEMORY` ids are kept in
a dict; beyond that the dict is moved, a batch at a time, into an SQLite table in
a private temporary file (standard library, removed on :meth:`SeenIds.close`), so
the reader's memory stays flat however many records a registry extract holds.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from typing import Any

__all__ = ["SeenIds", "IN_MEMORY"]

#: ids held in memory before they go to disk (about 110 bytes each in the dict: some 20 MB)
IN_MEMORY = 200_000


class SeenIds:
    """``first_row(rid)`` gives the row ``rid`` was first seen on (or None); ``add(rid, row)`` records it."""

    def __init__(self, in_memory: int = IN_MEMORY) -> None:
        self.in_memory = max(1, in_memory)
        self._recent: dict[str, int] = {}
        self._db: sqlite3.Connection | None = None
        self._dir: str | None = None

    def first_row(self, rid: str) -> int | None:
        row = self._recent.get(rid)
        if row is None and self._db is not None:
            found = self._db.execute("SELECT row FROM seen WHERE id = ?", (rid,)).fetchone()
            row = found[0] if found else None
        return row

    def add(self, rid: str, row: int) -> None:
        self._recent[rid] = row
        if len(self._recent) >= self.in_memory:
            self._spill()

    def _spill(self) -> None:
        if self._db is None:
            self._dir = tempfile.mkdtemp(prefix="netgraph-record-ids-")
            self._db = sqlite3.connect(os.path.join(self._dir, "seen.sqlite"))
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID")
        with self._db:
            self._db.executemany("INSERT INTO seen VALUES (?, ?)", self._recent.items())
        self._recent.clear()

    @property
    def on_disk(self) -> bool:
        return self._db is not None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> SeenIds:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
