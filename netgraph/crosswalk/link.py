"""Bulk linking: resolve the code column of every row of a CSV/TSV, streaming.

:func:`link` reads a file (or stdin) row by row, resolves the code in one
column, and writes each row back at once with the link columns added
(:data:`LINK_COLUMNS`), in the input order. Rows that do not resolve are kept
and marked; none is dropped. Memory stays flat: only a bounded memo of recent
distinct codes is kept (registries repeat their codes, so most rows are a
dictionary hit). :func:`link_rows` does the same for rows already in memory.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast
from collections.abc import Callable, Iterable, Iterator, Mapping

from ..atomic import open_atomic
from ..errors import InputError
from ..tables import shorten
from .index import CrosswalkIndex, load_index
from .normalise import canonical_prefix
from ..progress import Progress
from .resolve import STATUSES, Resolution, resolve
from .writers import OUTPUT_FORMATS, RowWriter, make_writer
from ..paths import Root

__all__ = ["LINK_COLUMNS", "INPUT_FORMATS", "OUTPUT_FORMATS", "LinkSummary", "link", "link_rows", "link_cells",
           "check_delimiter", "MAX_FIELD", "MAX_CODE"]

#: The columns `link` adds to every row, in order.
LINK_COLUMNS: tuple[str, ...] = (
    "netgraph_status",      # resolved | ambiguous | obsolete | unknown | invalid
    "netgraph_iri",         # the linked netgraph entity (for an obsolete code: its replacement's)
    "netgraph_label",       # its English label
    "netgraph_predicate",   # skos:exactMatch … from the entity to the code (obsolete: to the replacement)
    "netgraph_code",        # the code as netgraph read it (canonical CURIE)
    "netgraph_replaced_by", # for an obsolete code: the code to use instead
    "netgraph_candidates",  # for an ambiguous code: the candidates, |-separated
    "netgraph_note",        # the answer in one sentence
)
INPUT_FORMATS: tuple[str, ...] = ("csv", "tsv")
#: Longest value `link` reads (the csv module's default field limit); a longer one is a clear error.
MAX_FIELD = 131_072
#: Longest text read as a code; a longer value is marked invalid without being echoed.
MAX_CODE = 256
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_SUFFIX_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv"}
_MEMO_SIZE = 8_192
_PROGRESS_EVERY = 0x1FFF  # rows between progress checks, minus one


@dataclass
class LinkSummary:
    """What a link run did: rows read, and how many of each status."""

    source: str = ""
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    seconds: float = 0.0

    @property
    def resolved(self) -> int:
        return self.counts["resolved"]

    @property
    def ambiguous(self) -> int:
        return self.counts["ambiguous"]

    @property
    def obsolete(self) -> int:
        return self.counts["obsolete"]

    @property
    def unknown(self) -> int:
        return self.counts["unknown"]

    @property
    def invalid(self) -> int:
        return self.counts["invalid"]

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {"source": self.source, "rows": self.rows, **self.counts, "seconds": round(self.seconds, 3)}

    def __str__(self) -> str:
        parts = ", ".join(f"{self.counts[s]:,} {s}" for s in STATUSES)
        return (f"{self.source}: {self.rows:,} rows: {parts} "
                f"({self.seconds:.2f} s, {self.rows_per_second:,.0f} rows/s)")


def link_cells(res: Resolution) -> tuple[str, ...]:
    """The values of :data:`LINK_COLUMNS` for one resolution."""
    return (res.status, res.iri, res.label, res.predicate, res.code, res.replaced_by,
            "|".join(res.candidates), res.message)


class _Memo:
    """Resolutions (with their encoded link cells) of recently seen raw codes, in two generations.

    A lookup checks the young generation, then the old one (promoting the hit);
    when the young one is full it becomes the old one. Codes in use stay, and
    memory is bounded by ``2 * size`` entries, however many distinct codes the
    input holds.
    """

    def __init__(self, index: CrosswalkIndex, prefix: str | None,
                 encode: Callable[[Resolution, tuple[str, ...]], Any] | None = None, size: int = _MEMO_SIZE):
        self.index = index
        self.prefix = prefix
        self.encode = encode
        self.size = size
        self.cache: dict[str, tuple[Resolution, Any, str]] = {}  # the young generation
        self.old: dict[str, tuple[Resolution, Any, str]] = {}

    def __len__(self) -> int:
        return len(self.cache) + len(self.old)

    def get(self, text: str) -> tuple[Resolution, Any, str]:
        """``(resolution, encoded link cells, status)`` for a raw code."""
        hit = self.cache.get(text) or self.old.get(text)
        if hit is None:
            if len(text) > MAX_CODE:  # not a code: marked invalid, not echoed, not remembered
                res = Resolution(shorten(text, 40), "invalid",
                                 message=f"a value of {len(text):,} characters is not a code (codes are at most "
                                         f"{MAX_CODE} characters)")
                cells = link_cells(res)
                return res, self.encode(res, cells) if self.encode is not None else cells, res.status
            res = resolve(text, prefix=self.prefix, index=self.index)
            cells = link_cells(res)
            hit = (res, self.encode(res, cells) if self.encode is not None else cells, res.status)
        if len(self.cache) >= self.size:
            self.old = self.cache
            self.cache = {}
        self.cache[text] = hit
        return hit


def _check_prefix(prefix: str | None) -> str | None:
    if prefix is None:
        return None
    canonical = canonical_prefix(prefix)
    if canonical is None:
        raise InputError(f"unknown prefix {prefix!r} for bare codes; use one of the prefixes of netgraph/prefixes.tsv "
                         "(e.g. ORPHA, OMIM, ICD10CM, ICDO)")
    return canonical


def link_rows(rows: Iterable[Mapping[str, str]], column: str, *, prefix: str | None = None, root: Root = None,
              index: CrosswalkIndex | None = None) -> Iterator[tuple[Mapping[str, str], Resolution]]:
    """Resolve ``row[column]`` for each row; yields ``(row, resolution)`` in order, one per row.

    >>> rows = [{"id": "1", "code": "Orphanet_97253"}, {"id": "2", "code": "not a code"}]
    >>> [r.status for _, r in link_rows(rows, "code")]  # doctest: +SKIP
    ['resolved', 'invalid']
    """
    memo = _Memo(index if index is not None else load_index(root), _check_prefix(prefix))
    for n, row in enumerate(rows, start=1):
        if column not in row:
            raise InputError(f"row {n} has no column {column!r}; it has: {', '.join(row)}")
        yield row, memo.get(row[column] or "")[0]


class _Input:
    """An input stream (file, stdin or text stream) with its name, size and read position."""

    def __init__(self, source: str | os.PathLike | TextIO | None):
        self.raw: BinaryIO | None = None
        self.path: Path | None = None
        self.total: int | None = None
        self._detach = False
        if isinstance(source, (str, os.PathLike)) and str(source) != "-":
            path = Path(source)
            try:
                mode = path.stat().st_mode
            except FileNotFoundError:
                raise InputError(f"{path}: no such file") from None
            except OSError as exc:
                raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
            if stat.S_ISDIR(mode):
                raise InputError(f"{path}: is a directory; give a CSV or TSV file")
            self.name = str(path)
            self.suffix = path.suffix.lower()
            try:
                self.raw = open(path, "rb")  # noqa: SIM115 - held open while streaming; closed by close()
            except OSError as exc:
                raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
            if stat.S_ISREG(mode):  # a FIFO, a `<(…)` pipe or a device is streamed; it has no size and cannot be re-read
                self.path = path
                self.total = path.stat().st_size
            self.text: TextIO = io.TextIOWrapper(self.raw, encoding="utf-8-sig", newline="")
        elif source is None or source == "-":
            self.name, self.suffix = "<stdin>", ""
            self.text = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
            self._detach = True
        else:
            self.name = str(getattr(source, "name", "<stream>"))
            self.suffix = Path(self.name).suffix.lower()
            self.text = cast(TextIO, source)  # neither a path nor "-": a text stream

    def position(self) -> int | None:
        try:
            return self.raw.tell() if self.raw is not None else None
        except (OSError, ValueError):
            return None

    def bad_utf8_line(self) -> int | None:
        """The first line of a file that is not UTF-8 (None for a stream, which cannot be re-read)."""
        if self.raw is None or self.path is None:
            return None
        with open(self.path, "rb") as fh:
            for n, line in enumerate(fh, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return n
        return None

    def close(self) -> None:
        if self._detach:
            assert isinstance(self.text, io.TextIOWrapper)  # the wrapper around stdin, kept open
            self.text.detach()
        elif self.raw is not None:
            self.text.close()


@contextmanager
def _output(output: str | os.PathLike | TextIO | None) -> Iterator[TextIO]:
    if (output is None or output == "-") and not hasattr(sys.stdout, "buffer"):
        yield sys.stdout  # a notebook or another text-only stdout
    elif output is None or output == "-":
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
        sys.stdout.flush()
        try:
            yield out
            out.flush()
        finally:
            out.detach()
    elif isinstance(output, (str, os.PathLike)):
        with open_atomic(output) as fh:
            yield cast(TextIO, fh)  # opened in text mode
    else:
        with nullcontext(output) as stream:
            yield stream


def _dialect(delimiter: str) -> dict:
    if delimiter == "\t":
        return {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
    return {"delimiter": delimiter, "strict": True}  # strict: a quote that is never closed is an error, not EOF


def check_delimiter(delimiter: str) -> str:
    """One character (or ``tab``, ``comma``, ``semicolon``, ``pipe``) that separates cells."""
    d = _DELIMITER_NAMES.get(delimiter.lower(), delimiter) if isinstance(delimiter, str) else delimiter
    if not isinstance(d, str) or len(d) != 1 or d in '"\r\n' or d.isalnum() or d == " ":
        raise InputError(f"delimiter {delimiter!r} is not one character such as ',', ';', '|' or tab")
    return d


def _sniff_delimiter(first: str) -> str:
    """The delimiter of a header line: tab, else ';' when it has more semicolons than commas, else ','."""
    if "\t" in first:
        return "\t"
    return ";" if first.count(";") > first.count(",") else ","


def link(source: str | os.PathLike | TextIO | None, column: str, *, output: str | os.PathLike | TextIO | None = None,
         format: str | None = None, input_format: str | None = None,
         subject: str | None = None, prefix: str | None = None, root: Root = None, index: CrosswalkIndex | None = None,
         progress: bool = False, progress_stream: TextIO | None = None, delimiter: str | None = None) -> LinkSummary:
    """Link every row of a CSV/TSV file to netgraph; returns the :class:`LinkSummary`.

    ``source`` is a path, ``"-"`` (stdin) or a text stream; ``output`` a path
    (written atomically), ``"-"``/None (stdout) or a text stream. ``format`` is
    ``csv``, ``tsv``, ``jsonl`` or ``nt`` (N-Triples; default: the input's
    format); ``input_format`` is guessed from the extension, else from the
    header line (a tab means TSV). ``delimiter`` is the CSV cell separator
    (default: ``;`` when the header line has more semicolons than commas, as
    spreadsheets write in much of Europe, else ``,``); CSV output keeps it.
    ``source`` may be a FIFO or a ``<(…)`` pipe (streamed). ``subject`` is a row-IRI template for
    ``nt`` (``https://example.org/record/{record_id}``); ``prefix`` the system
    of bare codes. Raises :class:`~netgraph.errors.InputError` naming the file
    and line for unreadable input.
    """
    if format is not None and format not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format {format!r}; use one of {', '.join(OUTPUT_FORMATS)}")
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise InputError(f"unknown input format {input_format!r}; use csv or tsv")
    if subject is not None and format != "nt":
        raise InputError("a row-IRI template (--subject) only applies to RDF output (--rdf)")
    index = index if index is not None else load_index(root)
    prefix = _check_prefix(prefix)
    start = time.perf_counter()
    inp = _Input(source)
    try:
        try:
            first = inp.text.readline()
        except UnicodeDecodeError as exc:
            raise InputError(f"{inp.name}: not UTF-8 near line {inp.bad_utf8_line() or 1} ({exc.reason}); "
                             "save the file as UTF-8") from exc
        if not first.strip():
            raise InputError(f"{inp.name}: empty, or the first line is blank; the first line must be the header row")
        if delimiter is not None:
            sep = check_delimiter(delimiter)
            fmt_in = "tsv" if sep == "\t" else "csv"
            if input_format is not None and input_format != fmt_in:
                raise InputError(f"--input-format {input_format} contradicts the delimiter {delimiter!r}")
        else:
            fmt_in = input_format or _SUFFIX_FORMATS.get(inp.suffix) or ("tsv" if "\t" in first else "csv")
            sep = "\t" if fmt_in == "tsv" else _sniff_delimiter(first)
        try:
            header = next(csv.reader([first], **_dialect(sep)))
        except csv.Error as exc:
            raise InputError(f"{inp.name}:1: the header row cannot be read ({exc}); is a quote left open?") from None
        header = [h.strip() for h in header]
        if column not in header:
            shown = ", ".join(shorten(h, 40) for h in header[:50]) + (", …" if len(header) > 50 else "")
            raise InputError(f"{inp.name}: no column {shorten(column, 40)!r} in the header; columns: {shown}"
                             + ("" if len(header) > 1 else
                                " (another separator? use --delimiter ';' or --delimiter tab)"))
        if header.count(column) > 1:
            raise InputError(f"{inp.name}: the header has {header.count(column)} columns named {column!r}")
        clash = [c for c in header if c in LINK_COLUMNS]
        if clash:
            raise InputError(f"{inp.name}: the input already has column(s) {', '.join(clash)} (linked twice?); "
                             "drop them before linking again")
        fmt_out = format or fmt_in
        summary = LinkSummary(source=inp.name)
        bar = Progress(progress_stream or sys.stderr, enabled=progress, total=inp.total)
        with _output(output) as out:
            writer = make_writer(fmt_out, out, subject=subject, source_name=inp.name,
                                 delimiter=sep if fmt_out == "csv" and fmt_in == "csv" else None)
            writer.start(header, LINK_COLUMNS)
            memo = _Memo(index, prefix, writer.encode_link)
            copy_raw = writer.copies_raw and fmt_out == fmt_in
            _stream(inp, sep, header.index(column), len(header), memo, writer, copy_raw, summary, bar)
            writer.finish()
        bar.close()
    finally:
        inp.close()
    summary.seconds = time.perf_counter() - start
    return summary


def _stream(inp: _Input, delimiter: str, col: int, width: int, memo: _Memo, writer: RowWriter, copy_raw: bool,
            summary: LinkSummary, bar: Progress) -> None:
    """The row loop. A line without a quote character is split directly (and,
    when the output format is the input's, copied as it is); a line with one
    goes through the csv module, which also joins quoted line breaks. A quote
    that is never closed is an error naming the line where it opened (it would
    otherwise swallow the rows after it into one cell)."""
    lines = inp.text  # a text file is its own line iterator
    quote = '"' if delimiter != "\t" else None
    pending: list[str] = []

    def feed() -> Iterator[str]:
        while True:
            if pending:
                yield pending.pop()
            else:
                nxt = next(lines, None)
                if nxt is None:
                    return
                yield nxt

    reader = csv.reader(feed(), **_dialect(delimiter))
    counts = summary.counts
    resolve_new = memo.get
    young = memo.cache.get
    every = _PROGRESS_EVERY
    write = writer.write
    out_write = writer.out.write
    no_quote = quote or "\x00"  # TSV has no quoting: the test below is then always false
    rows = 0
    lineno = 1
    start = 1
    try:
        for line in lines:
            lineno += 1
            start = lineno
            if len(line) > MAX_FIELD:
                _check_field_sizes(inp.name, start, line, delimiter)
            if no_quote in line:
                pending.append(line)
                before = reader.line_num
                cells = next(reader, None)
                if cells is None:
                    break
                spanned = reader.line_num - before - 1  # a quoted value may span lines
                lineno += spanned
                if spanned and len(cells) != width:
                    raise InputError(f"{inp.name}:{start}: a quoted value opens on this line and is not closed "
                                     f"where the row should end (it runs to line {lineno}, joining "
                                     f"{spanned + 1} lines into a row of {len(cells)} cells, the header has {width}); "
                                     'close the quote, or write a quote inside a value as ""')
                raw = None
            else:
                raw = line.rstrip("\r\n")
                if not raw:
                    continue  # a blank line is not a row
                cells = raw.split(delimiter)
            if len(cells) != width:
                n = len(cells)
                if n > width:
                    raise InputError(f"{inp.name}:{start}: {n} cells but the header has {width} columns "
                                     "(an unquoted delimiter in a value?)")
                cells += [""] * (width - n)
                if raw is not None:
                    raw += delimiter * (width - n)
            code = cells[col]
            hit = young(code)
            if hit is None:
                hit = resolve_new(code)
                young = memo.cache.get  # the memo may have started a new generation
            counts[hit[2]] += 1
            rows += 1
            if copy_raw and raw is not None:
                out_write(raw + hit[1])
            else:
                write(start, cells, None if not copy_raw else raw, hit[0], hit[1])
            if not rows & every:
                bar.update(rows, inp.position())
    except UnicodeDecodeError as exc:
        raise InputError(f"{inp.name}: not UTF-8 near line {inp.bad_utf8_line() or lineno + 1} ({exc.reason}); "
                         "save the file as UTF-8") from exc
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(f"{inp.name}:{start}: a value is longer than {MAX_FIELD:,} characters, the most "
                             "`netgraph link` reads in one cell") from None
        if "unexpected end of data" in str(exc):
            raise InputError(f"{inp.name}:{start}: a quoted value opens on this line and is never closed "
                             '(close the quote, or write a quote inside a value as "")') from None
        raise InputError(f"{inp.name}:{start}: {exc} (a quote inside a value must be doubled: \"\")") from None
    finally:
        summary.rows = rows


def _check_field_sizes(name: str, line_no: int, line: str, delimiter: str) -> None:
    """A clear error for a cell longer than :data:`MAX_FIELD` (a long line of short cells is fine)."""
    start = 0
    while True:
        end = line.find(delimiter, start)
        size = (len(line.rstrip("\r\n")) if end < 0 else end) - start
        if size > MAX_FIELD:
            raise InputError(f"{name}:{line_no}: a value of {size:,} characters; `netgraph link` reads values of up "
                             f"to {MAX_FIELD:,} characters (is a code column holding a whole document?)")
        if end < 0:
            return
        start = end + 1
