"""Output formats of `netgraph link`: CSV, TSV, JSON Lines, and N-Triples (``--rdf``).

Each writer takes the input header once, then one row at a time with its
resolution and the link cells, and writes straight to the output stream, so
memory does not grow with the input.
"""

from __future__ import annotations

import re
import string
from json.encoder import encode_basestring as _json_str
from typing import Any, TextIO
from collections.abc import Sequence
from urllib.parse import quote

from .._version import __version__
from ..errors import InputError
from ..prefixes import expand, prefix_map
from .resolve import Resolution

__all__ = ["OUTPUT_FORMATS", "RowWriter", "TableWriter", "JsonLinesWriter", "NTriplesWriter", "make_writer",
           "check_subject_template"]

OUTPUT_FORMATS: tuple[str, ...] = ("csv", "tsv", "jsonl", "nt")


class RowWriter:
    """Base class of the output formats.

    ``start(header, link_columns)`` once; ``encode_link(res, cells)`` once per
    distinct resolution (the caller memoises it); ``write(line, cells, raw,
    res, encoded)`` per row, where ``raw`` is the input line itself when it can
    be copied unchanged (same format, no quoting), else None; ``finish()``.
    """

    #: True when an unchanged input line of the same format may be copied as is.
    copies_raw = False

    def __init__(self, out: TextIO):
        self.out = out

    def start(self, header: Sequence[str], link_columns: Sequence[str]) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def encode_link(self, res: Resolution, link_cells: tuple[str, ...]) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def write(self, line: int, cells: list[str], raw: str | None, res: Resolution, encoded: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def finish(self) -> None:
        self.out.flush()


_SPECIAL = re.compile(r'["\r\n]')  # besides the delimiter, what forces quoting (CSV) or an error (TSV)


def _csv_cell(cell: str, delimiter: str = ",") -> str:
    """One CSV field, quoted as Python's csv module (QUOTE_MINIMAL) would."""
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    if delimiter in cell or "\n" in cell or "\r" in cell:
        return '"' + cell + '"'
    return cell


class TableWriter(RowWriter):
    """CSV (RFC 4180 quoting) or TSV (no quoting; a tab or line break in a value is an error).

    The link cells are encoded once per distinct code; an input line that needs
    no re-quoting is copied as it is. (The csv module's writer costs about 10 µs
    a row here, which alone would halve the throughput.)
    """

    copies_raw = True

    def __init__(self, out: TextIO, delimiter: str):
        super().__init__(out)
        self.delimiter = delimiter
        self.tsv = delimiter == "\t"

    def _cell(self, cell: str, line: int) -> str:
        if not self.tsv:
            return _csv_cell(cell, self.delimiter)
        if "\t" in cell or "\n" in cell or "\r" in cell:
            raise InputError(f"input line {line}: a value holds a tab or a line break, which TSV cannot carry "
                             "(use --format csv or jsonl)")
        return cell

    def start(self, header: Sequence[str], link_columns: Sequence[str]) -> None:
        self.out.write(self.delimiter.join(self._cell(c, 1) for c in list(header) + list(link_columns)) + "\n")

    def encode_link(self, res: Resolution, link_cells: tuple[str, ...]) -> str:
        d = self.delimiter
        return d + d.join([self._cell(c, 0) if c else c for c in link_cells]) + "\n"

    def write(self, line: int, cells: list[str], raw: str | None, res: Resolution, encoded: Any) -> None:
        if raw is None:
            raw = self.delimiter.join(cells)
            if _SPECIAL.search(raw) or raw.count(self.delimiter) != len(cells) - 1:
                raw = self.delimiter.join([self._cell(c, line) for c in cells])
        self.out.write(raw + encoded)


class JsonLinesWriter(RowWriter):
    """One JSON object per row: the input columns, then the link fields."""

    def start(self, header: Sequence[str], link_columns: Sequence[str]) -> None:
        if len(set(header)) != len(header):
            dup = sorted({h for h in header if list(header).count(h) > 1})
            raise InputError(f"the header repeats column name(s) {', '.join(dup)}; JSON Lines needs unique names "
                             "(use --format csv or tsv)")
        self.keys = [_json_str(h) + ": " for h in header]
        self.link_keys = [_json_str(h) + ": " for h in link_columns]
        self.link_names = list(link_columns)

    def encode_link(self, res: Resolution, link_cells: tuple[str, ...]) -> str:
        parts = []
        for key, name, value in zip(self.link_keys, self.link_names, link_cells, strict=False):
            if name == "netgraph_candidates":
                parts.append(key + "[" + ", ".join(_json_str(c) for c in res.candidates) + "]")
            else:
                parts.append(key + _json_str(value))
        return ", ".join(parts) + "}\n"

    def write(self, line: int, cells: list[str], raw: str | None, res: Resolution, encoded: Any) -> None:
        body = ", ".join([k + _json_str(v) for k, v in zip(self.keys, cells, strict=False)])
        self.out.write("{" + body + ", " + encoded)


def _iri(value: str) -> str:
    return f"<{value}>"


def check_subject_template(template: str, header: Sequence[str]) -> None:
    """A row-IRI template names only header columns and is an absolute IRI."""
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    unknown = [f for f in fields if f not in header]
    if unknown:
        raise InputError(f"--subject template names column(s) {', '.join(unknown)} that the input does not have; "
                         f"columns: {', '.join(header)}")
    if not fields:
        raise InputError("--subject template has no {column} placeholder, so every row would get the same IRI")
    static = "".join(lit for lit, _, _, _ in string.Formatter().parse(template))
    if not template.split(":", 1)[0].isalpha() or ":" not in template or any(c in static for c in ' <>"{}|^`\\'):
        raise InputError(f"--subject template {template!r} is not an absolute IRI (e.g. https://example.org/record/{{id}})")


class NTriplesWriter(RowWriter):
    """The links as N-Triples, netgraph side first (as in the mappings graph).

    For each distinct link: ``<netgraph entity> skos:…Match <code>``; for an
    obsolete code: ``<code> owl:deprecated true`` and ``dcterms:isReplacedBy``.
    With a ``subject`` template (``https://example.org/record/{id}``), each
    linked row also gives ``<row> dcterms:subject <netgraph entity>``. Rows
    that do not link become ``#`` comment lines, so none disappears silently.
    """

    def __init__(self, out: TextIO, subject: str | None = None, source_name: str = "input"):
        super().__init__(out)
        self.subject = subject
        self.source_name = source_name
        self.seen: set[str] = set()
        pm = prefix_map()
        self.skos = pm["skos"]
        self.deprecated = f"<{pm['owl']}deprecated>"
        self.replaced = f"<{pm['dcterms']}isReplacedBy>"
        self.topic = f"<{pm['dcterms']}subject>"
        self.true = f'"true"^^<{pm["xsd"]}boolean>'

    def start(self, header: Sequence[str], link_columns: Sequence[str]) -> None:
        self.header = list(header)
        if self.subject is not None:
            check_subject_template(self.subject, header)
            self.fields = sorted({f for _, f, _, _ in string.Formatter().parse(self.subject) if f})
        self.out.write(f"# netgraph {__version__} link: the links of {self.source_name}\n")

    def encode_link(self, res: Resolution, link_cells: tuple[str, ...]) -> tuple:
        """Per distinct resolution: its link triples, and the comment for a row that does not link."""
        triples = []
        if res.obsolete is not None:
            code_iri = _iri(expand(res.code))
            triples.append(f"{code_iri} {self.deprecated} {self.true} .\n")
            if res.replaced_by:
                triples.append(f"{code_iri} {self.replaced} {_iri(expand(res.replaced_by))} .\n")
        entity = _iri(res.entity.iri) if res.entity is not None and res.match is not None else None
        if entity is not None and res.match is not None:
            pred = self.skos + res.match.predicate.split(":", 1)[1]
            triples.append(f"{entity} <{pred}> {_iri(expand(res.match.code))} .\n")
        comment = None if res.entity is not None else f": {res.status}: {' '.join(res.message.split())}\n"
        return tuple(triples), entity, comment

    def write(self, line: int, cells: list[str], raw: str | None, res: Resolution, encoded: Any) -> None:
        triples, entity, comment = encoded
        for t in triples:
            if t not in self.seen:
                self.seen.add(t)
                self.out.write(t)
        if comment is not None:
            self.out.write(f"# line {line}{comment}")
        if entity is not None and self.subject is not None:
            values = {h: quote(c, safe="") for h, c in zip(self.header, cells, strict=False)}
            empty = [f for f in self.fields if not values.get(f)]
            if empty:
                self.out.write(f"# line {line}: no row IRI: column(s) {', '.join(empty)} empty\n")
            else:
                self.out.write(f"<{self.subject.format_map(values)}> {self.topic} {entity} .\n")


def make_writer(fmt: str, out: TextIO, *, subject: str | None = None, source_name: str = "input",
                delimiter: str | None = None) -> RowWriter:
    """The writer of ``fmt``; CSV is written with ``delimiter`` (default ``,``)."""
    if fmt == "csv":
        return TableWriter(out, delimiter or ",")
    if fmt == "tsv":
        return TableWriter(out, "\t")
    if fmt == "jsonl":
        return JsonLinesWriter(out)
    if fmt == "nt":
        return NTriplesWriter(out, subject=subject, source_name=source_name)
    raise InputError(f"unknown output format {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")
