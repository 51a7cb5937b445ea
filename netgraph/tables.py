"""Reading the curated tables: TSV with line numbers, comments and clear errors.

A table is UTF-8 (a leading byte-order mark is accepted and dropped), one row
per line, cells separated by tabs, no quoting and no length limit. A cell may
not hold a control character (other than the tab that separates cells): XML
cannot carry most of them, so the RDF/XML export would not be well-formed.
Errors name the file and the line, and echo a value only up to
:data:`ECHO_LIMIT` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator, Sequence

from .errors import CurationError

__all__ = ["Row", "read_table", "read_tables", "table_files", "split_multi", "shorten", "control_character",
           "url_problem", "ECHO_LIMIT"]

#: Longest value an error message echoes; a longer one is cut and ends in "…".
ECHO_LIMIT = 80
_BOM = "\ufeff"
# C0 controls but tab/LF/CR, DEL, C1 controls, and the noncharacters U+FFFE/U+FFFF: not in XML 1.0 text
# (or discouraged there), invisible in an editor, and never part of a citation or a label.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f]+", re.IGNORECASE)


def shorten(value: str, limit: int = ECHO_LIMIT) -> str:
    """``value`` cut to ``limit`` characters, with "…" and the full length when it was longer."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value):,} characters)"


def control_character(text: str) -> tuple[int, str] | None:
    """``(position, "U+XXXX")`` of the first control character in ``text`` (None when there is none)."""
    m = _CONTROL.search(text)
    return (m.start(), f"U+{ord(m.group()):04X}") if m else None


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL (None when it is one)."""
    if not _URL.fullmatch(url):
        bad = next((c for c in url if c.isspace() or c in '<>"{}|\\^`' or ord(c) < 0x20), None)
        if bad is not None and url.lower().startswith(("http://", "https://")):
            return f"contains {'a space' if bad == ' ' else repr(bad)}, which a URL cannot contain (write it as %{ord(bad):02X})"
        return "is not an absolute http:// or https:// URL"
    return None


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
        """A :class:`CurationError` at this row; a long cell value quoted in it is shortened."""
        for value in self.values.values():
            if len(value) > ECHO_LIMIT:
                short = shorten(value)
                problem = problem.replace(repr(value), repr(value[:ECHO_LIMIT]) + short[ECHO_LIMIT:])
                problem = problem.replace(value, short)
                if hint:
                    hint = hint.replace(repr(value), repr(value[:ECHO_LIMIT]) + short[ECHO_LIMIT:]).replace(value, short)
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
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CurationError(path, bad_line, f"not UTF-8 (byte 0x{data[exc.start]:02X} at byte {column} of the line: "
                                        f"{exc.reason})", "save the file as UTF-8") from None
    text = text.removeprefix(_BOM)  # a byte-order mark, as some editors write: not part of the first column name
    rows: list[Row] = []
    header: list[str] | None = None
    for lineno, line in _lines(text):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            if any(_BOM in c for c in header):
                raise CurationError(path, lineno, "the header contains a byte-order mark (U+FEFF) inside a column name",
                                    "delete it, or save the file as UTF-8 without BOM")
            missing = [c for c in required if c not in header]
            if missing:
                raise CurationError(path, lineno, f"header lacks required column(s) {', '.join(missing)}",
                                    f"expected columns: {', '.join(list(required) + list(optional or ()))}")
            unknown = [] if optional is None else [shorten(c) for c in header if c not in required and c not in optional]
            if unknown:
                raise CurationError(path, lineno, f"unknown column(s) {shorten(', '.join(unknown), 400)}",
                                    f"allowed columns: {', '.join(list(required) + list(optional or ()))}")
            if len(set(header)) != len(header):
                raise CurationError(path, lineno, "duplicate column name in header")
            continue
        if len(cells) > len(header):
            raise CurationError(path, lineno, f"{len(cells)} cells but the header has {len(header)} columns",
                                "a tab inside a value? values may not contain tabs")
        cells = cells + [""] * (len(header) - len(cells))
        values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        for h, v in values.items():
            if "\n" in v or "\r" in v:
                raise CurationError(path, lineno, f"column {h!r} contains a line break")
            bad = control_character(v)
            if bad is not None:
                raise CurationError(path, lineno, f"column {h!r} contains the control character {bad[1]} at character "
                                                  f"{bad[0] + 1}", "delete it: an invisible character is never part "
                                                  "of a value, and XML cannot carry it")
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
