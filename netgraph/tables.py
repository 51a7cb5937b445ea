"""Reading the curated tables: TSV with line numbers, comments and clear errors."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from .errors import CurationError

__all__ = ["Row", "read_table", "read_tables", "table_files", "split_multi"]


@dataclass(frozen=True)
class Row:
    """One data row of a curated table, with where it came from."""

    path: Path
    line: int
    values: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default) or default

    def multi(self, column: str) -> list[str]:
        return split_multi(self[column])

    def error(self, problem: str, hint: str | None = None) -> CurationError:
        return CurationError(self.path, self.line, problem, hint)


def split_multi(cell: str) -> list[str]:
    """Split a ``|``-separated cell; empty parts are dropped."""
    return [part.strip() for part in cell.split("|") if part.strip()]


def read_table(path: Path, required: Sequence[str], optional: Sequence[str] | None = ()) -> list[Row]:
    """Read a tab-separated table whose first non-comment line is the header.

    Lines starting with ``#`` (such as an SSSOM metadata block) and blank lines are
    skipped. Unknown columns (unless ``optional`` is None: any other column is
    allowed), missing required columns, or a wrong number of cells give a
    :class:`CurationError` naming the file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise CurationError(path, None, "table not found", "restore it from git or create it with the documented header")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(path, None, f"not UTF-8 ({exc.reason} at byte {exc.start})", "save the file as UTF-8")
    rows: list[Row] = []
    header: list[str] | None = None
    for lineno, line in _lines(text):
        if not line.strip() or line.startswith("#"):
            continue
        cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if header is None:
            header = [c.strip() for c in cells]
            missing = [c for c in required if c not in header]
            if missing:
                raise CurationError(path, lineno, f"header lacks required column(s) {', '.join(missing)}",
                                    f"expected columns: {', '.join(list(required) + list(optional or ()))}")
            unknown = [] if optional is None else [c for c in header if c not in required and c not in optional]
            if unknown:
                raise CurationError(path, lineno, f"unknown column(s) {', '.join(unknown)}",
                                    f"allowed columns: {', '.join(list(required) + list(optional))}")
            if len(set(header)) != len(header):
                raise CurationError(path, lineno, "duplicate column name in header")
            continue
        if len(cells) > len(header):
            raise CurationError(path, lineno, f"{len(cells)} cells but the header has {len(header)} columns",
                                "a tab inside a value? values may not contain tabs")
        cells = cells + [""] * (len(header) - len(cells))
        values = {h: c.strip() for h, c in zip(header, cells)}
        for h, v in values.items():
            if "\n" in v or "\r" in v:
                raise CurationError(path, lineno, f"column {h!r} contains a line break")
        rows.append(Row(path, lineno, values))
    if header is None:
        raise CurationError(path, None, "table is empty (no header row)")
    return rows


def table_files(directory: Path, stem: str) -> list[Path]:
    """The files of one curated table: ``STEM.tsv`` first, then ``STEM-*.tsv`` in name order.

    A table may be split into topic files (``associations-pdq-genetics.tsv``) so that
    curation of different sources stays reviewable and merges cleanly; together they
    are one table. ``STEM.tsv`` must exist.
    """
    directory = Path(directory)
    return [directory / f"{stem}.tsv"] + sorted(directory.glob(f"{stem}-*.tsv"))


def read_tables(directory: Path, stem: str, required: Sequence[str], optional: Sequence[str] | None = ()) -> list[Row]:
    """Read every file of one table (see :func:`table_files`) into one list of rows; each row keeps its file."""
    rows: list[Row] = []
    for path in table_files(directory, stem):
        rows.extend(read_table(path, required, optional))
    return rows


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for i, line in enumerate(text.split("\n"), start=1):
        yield i, line.rstrip("\r")
