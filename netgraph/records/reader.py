"""Streaming a registry extract (CSV or TSV) into records, one row at a time.

Memory does not grow with the number of rows. The delimiter comes from the file
name (``.tsv`` and ``.tab``: tab; otherwise comma) unless given; a UTF-8 byte
order mark is accepted. A bad header or an unreadable file is an
:class:`~netgraph.errors.InputError` (exit 2); a bad *row* (too many cells, a
duplicate record id) is an input finding that names the row, and reading goes on.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from collections.abc import Iterable, Iterator, Mapping

from ..errors import InputError
from .columnmap import ColumnMap
from .fields import DIAGNOSIS_FIELDS, FIELD_BY_NAME, RECORD_ID
from .seenids import SeenIds

__all__ = ["RecordRow", "InputProblem", "read_records", "rows_from_mappings", "MAX_CELL"]

#: the longest cell accepted (characters); a longer one is an input problem, not a memory blow-up
MAX_CELL = 10_000


@dataclass(slots=True)
class RecordRow:
    """One tumour record as read: its line in the file, the values of the record fields, and the other columns."""

    row: int
    values: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def record_id(self) -> str:
        return self.values.get(RECORD_ID, "")


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A row that could not be read as a record (reported as a finding of an ``input`` rule)."""

    row: int
    record_id: str
    rule: str
    field: str
    value: str
    message: str


def _delimiter(path: Path, delimiter: str | None) -> str:
    if delimiter:
        if delimiter in ("tab", "\\t"):
            return "\t"
        if len(delimiter) != 1:
            raise InputError(f"--delimiter must be one character (or 'tab'), not {delimiter!r}")
        return delimiter
    return "\t" if path.suffix.lower() in (".tsv", ".tab") else ","


def _open(source: str | Path) -> tuple[Path, TextIO]:
    if str(source) == "-":
        return Path("<stdin>"), io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
    p = Path(source)
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a records file")
    try:
        return p, open(p, encoding="utf-8-sig", newline="")  # closed by read_records
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None


def read_records(source: str | Path, *, columns: ColumnMap | None = None, delimiter: str | None = None,
                 problems: list[InputProblem] | None = None) -> Iterator[RecordRow]:
    """Yield the records of a CSV/TSV file (``-`` is standard input), streamed.

    Rows that cannot be records are appended to ``problems`` (when given) and skipped.
    """
    cmap = columns or ColumnMap()
    path, fh = _open(source)
    with fh:
        reader = csv.reader(fh, delimiter=_delimiter(path, delimiter), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty file (expected a header with {RECORD_ID} and a diagnosis column)") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}:1: not UTF-8 (byte {exc.start}); save the file as UTF-8") from None
        except csv.Error as exc:
            raise InputError(f"{path}:1: cannot read the header: {exc}") from None
        names = [cmap.field_of(h.strip()) for h in header]
        _check_header(path, names, delimiter)
        with SeenIds() as seen:
            yield from _file_rows(path, reader, names, cmap, problems, seen)


def _file_rows(path: Path, reader: Any, names: list[str], cmap: ColumnMap, problems: list[InputProblem] | None,
               seen: SeenIds) -> Iterator[RecordRow]:
    """The records of ``reader`` after its header (see :func:`read_records`), each id once."""
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}:{start}: not UTF-8 (byte {exc.start} of the row); save the file as UTF-8") from None
        except csv.Error as exc:
            raise InputError(f"{path}:{start}: {exc} (an unterminated quote? fix the row and run again)") from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row = _row(start, names, cells, cmap, problems)
        if row is None:
            continue
        rid = row.record_id
        first = seen.first_row(rid) if rid else None
        if first is not None:
            if problems is not None:
                problems.append(InputProblem(start, rid, "input-duplicate-record-id", RECORD_ID, rid,
                                             f"record id {rid!r} is used again (first on line {first})"))
            continue
        seen.add(rid, start)
        yield row


def _check_header(path: Path, names: list[str], delimiter: str | None) -> None:
    dupes = sorted({n for n in names if names.count(n) > 1 and n in FIELD_BY_NAME})
    if dupes:
        raise InputError(f"{path}:1: column(s) {', '.join(dupes)} appear twice in the header")
    if RECORD_ID not in names or not any(d in names for d in DIAGNOSIS_FIELDS):
        hint = ""
        if len(names) == 1 and (";" in names[0] or "\t" in names[0] or "," in names[0]):
            hint = "; the header is one cell: name the delimiter with --delimiter (e.g. ';' or tab)"
        raise InputError(f"{path}:1: the header needs {RECORD_ID} and one of {', '.join(DIAGNOSIS_FIELDS)} "
                         f"(found: {', '.join(n[:40] for n in names[:12])}{hint}); "
                         "map another registry's header with --columns MAP.yaml")


def _row(line: int, names: list[str], cells: list[str], cmap: ColumnMap,
         problems: list[InputProblem] | None) -> RecordRow | None:
    rid = cells[names.index(RECORD_ID)].strip() if len(cells) > names.index(RECORD_ID) else ""
    if len(cells) > len(names):
        if problems is not None:
            problems.append(InputProblem(line, rid, "input-malformed-row", "", "",
                                         f"{len(cells)} cells but the header has {len(names)} columns"))
        return None
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    for name, cell in zip(names, cells, strict=False):
        if len(cell) > MAX_CELL:
            if problems is not None:
                problems.append(InputProblem(line, rid, "input-cell-too-long", name, cell[:40] + "…",
                                             f"a cell of {len(cell):,} characters (at most {MAX_CELL:,})"))
            return None
        if name in FIELD_BY_NAME:
            value = cmap.recode(name, cell.strip())
            if value:
                values[name] = value
        else:
            extra[name] = cell
    if not values.get(RECORD_ID):
        if problems is not None:
            problems.append(InputProblem(line, "", "input-missing-record-id", RECORD_ID, "",
                                         "the row has no record_id"))
        return None
    return RecordRow(line, values, extra)


def rows_from_mappings(rows: Iterable[Mapping[str, object]], *, columns: ColumnMap | None = None,
                       problems: list[InputProblem] | None = None) -> Iterator[RecordRow]:
    """Records from Python mappings (one dict per record, keys as in a file header); row numbers count from 1."""
    cmap = columns or ColumnMap()
    with SeenIds() as seen:
        yield from _mapping_rows(rows, cmap, problems, seen)


def _mapping_rows(rows: Iterable[Mapping[str, object]], cmap: ColumnMap, problems: list[InputProblem] | None,
                  seen: SeenIds) -> Iterator[RecordRow]:
    for i, raw in enumerate(rows, start=1):
        names = [cmap.field_of(str(k)) for k in raw]
        cells = ["" if v is None else str(v) for v in raw.values()]
        if RECORD_ID not in names:
            raise InputError(f"record {i}: no {RECORD_ID} key")
        row = _row(i, names, cells, cmap, problems)
        if row is None:
            continue
        first = seen.first_row(row.record_id)
        if first is not None:
            if problems is not None:
                problems.append(InputProblem(i, row.record_id, "input-duplicate-record-id", RECORD_ID, row.record_id,
                                             f"record id {row.record_id!r} is used again (first in record {first})"))
            continue
        seen.add(row.record_id, i)
        yield row
