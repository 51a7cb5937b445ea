"""Query results: one row shape for every backend, and its representations.

A :class:`QueryResult` has ``columns`` (the SELECT variables, in order, without
the ``?_`` parameter variables) and ``rows``; each :class:`Row` is a tuple of
:mod:`netgraph.terms` cells (``None`` where a variable is unbound) that can also
be read by column name. IRIs print as CURIEs where the prefix map compresses
them; ``iris=True`` on the converters gives full IRIs instead.

>>> from netgraph.prefixes import expand
>>> from netgraph.terms import IRI, Literal
>>> r = QueryResult.from_terms(["tumour", "label"],
...     [[IRI(expand("netgraph:Insulinoma")), Literal("insulinoma", language="en")]])
>>> str(r[0]["tumour"]), r[0].tumour.iri == expand("netgraph:Insulinoma")
('netgraph:Insulinoma', True)
>>> print(r.to_csv(), end="")
tumour,label
netgraph:Insulinoma,insulinoma
>>> r.to_dicts(iris=True) == [{"tumour": expand("netgraph:Insulinoma"), "label": "insulinoma"}]
True
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable, Iterator, Sequence

from .errors import QueryError
from .sparqltext import is_param_variable
from .terms import IRI, XSD_BOOLEAN, BNode, Literal, Term

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Row", "QueryResult", "FORMATS"]

#: Output formats of :meth:`QueryResult.render` (and of the CLI's ``--format``).
FORMATS = ("table", "csv", "tsv", "json", "sparql-json")



def _text(cell: Term | None, iris: bool) -> str | None:
    if cell is None:
        return None
    if iris and isinstance(cell, IRI):
        return cell.iri
    return str(cell)


class Row(tuple):
    """One result row: a tuple of cells that can also be indexed (or attribute-read) by column name."""

    _index: dict[str, int]

    def __new__(cls, cells: Iterable[Term | None], index: dict[str, int]) -> Row:
        row = super().__new__(cls, cells)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                raise KeyError(f"no column {key!r}; columns: {', '.join(self._index)}") from None
        return tuple.__getitem__(self, key)

    def __getattr__(self, name: str) -> Term | None:
        index = self.__dict__.get("_index", {})
        if name in index:
            return tuple.__getitem__(self, index[name])
        raise AttributeError(name)

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        value = tuple.__getitem__(self, i) if i is not None else None
        return default if value is None else value

    def keys(self) -> list[str]:
        return list(self._index)

    def asdict(self, iris: bool = False) -> dict[str, str | None]:
        """Column -> text (``None`` when unbound); full IRIs with ``iris=True``."""
        return {k: _text(tuple.__getitem__(self, i), iris) for k, i in self._index.items()}


@dataclass(frozen=True)
class QueryResult:
    """The rows a query returned, in the query's order, with its column names."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    boolean: bool | None = None
    query: str | None = None
    backend: str = ""

    @classmethod
    def from_terms(cls, columns: Sequence[str], rows: Iterable[Sequence[Term | None]], *,
                   query: str | None = None, backend: str = "") -> QueryResult:
        """Build a result, dropping the ``?_`` parameter columns."""
        keep = [i for i, c in enumerate(columns) if not is_param_variable(c)]
        names = tuple(columns[i] for i in keep)
        index = {c: i for i, c in enumerate(names)}
        out = tuple(Row((r[i] for i in keep), index) for r in rows)
        return cls(columns=names, rows=out, query=query, backend=backend)

    @classmethod
    def from_boolean(cls, value: bool, *, query: str | None = None, backend: str = "") -> QueryResult:
        """An ASK answer: one column ``result`` holding ``true`` or ``false``."""
        cell = Literal("true" if value else "false", datatype=XSD_BOOLEAN)
        return cls(columns=("result",), rows=(Row([cell], {"result": 0}),), boolean=value, query=query,
                   backend=backend)

    # -- sequence protocol --------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __getitem__(self, i: int) -> Row:
        return self.rows[i]

    def column(self, name: str) -> list[Term | None]:
        """All values of one column, in row order."""
        if name not in self.columns:
            raise KeyError(f"no column {name!r}; columns: {', '.join(self.columns)}")
        i = self.columns.index(name)
        return [tuple.__getitem__(r, i) for r in self.rows]

    def select(self, *columns: str) -> QueryResult:
        """A result with only these columns, in this order (rows and their order unchanged)."""
        missing = [c for c in columns if c not in self.columns]
        if missing:
            raise KeyError(f"no column(s) {', '.join(missing)}; columns: {', '.join(self.columns)}")
        idx = [self.columns.index(c) for c in columns]
        index = {c: i for i, c in enumerate(columns)}
        rows = tuple(Row((tuple.__getitem__(r, i) for i in idx), index) for r in self.rows)
        return QueryResult(columns=tuple(columns), rows=rows, boolean=self.boolean, query=self.query,
                           backend=self.backend)

    def keys(self) -> list[tuple]:
        """Each row as a tuple of term keys (kind, value, language, datatype): for exact comparisons."""
        return [tuple(c.key() if c is not None else None for c in r) for r in self.rows]

    # -- conversions --------------------------------------------------------------------

    def to_dicts(self, iris: bool = False) -> list[dict[str, str | None]]:
        """One ``{column: text}`` dict per row (``None`` for unbound cells)."""
        return [r.asdict(iris) for r in self.rows]

    def to_csv(self, *, delimiter: str = ",", iris: bool = False) -> str:
        """CSV text with a header row (unbound cells are empty)."""
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
        writer.writerow(self.columns)
        for r in self.rows:
            writer.writerow(["" if c is None else _text(c, iris) for c in r])
        return buf.getvalue()

    def to_tsv(self, *, iris: bool = False) -> str:
        """Tab-separated text with a header row; tabs, newlines and backslashes in values are escaped."""
        lines = ["\t".join(self.columns)]
        for r in self.rows:
            lines.append("\t".join("" if c is None else _tsv_escape(_text(c, iris) or "") for c in r))
        return "\n".join(lines) + "\n"

    def to_json(self, *, iris: bool = False, indent: int | None = 2) -> str:
        """A JSON array of row objects (keys in column order; unbound cells are ``null``)."""
        return json.dumps(self.to_dicts(iris), ensure_ascii=False, indent=indent) + "\n"

    def to_sparql_json(self, *, indent: int | None = 2) -> str:
        """SPARQL 1.1 Query Results JSON: ``uri``, ``literal`` (with ``xml:lang`` or ``datatype``) and ``bnode``
        cells, full IRIs, unbound variables left out of their row; an ASK answer as ``{"boolean": …}``."""
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean}, indent=indent) + "\n"
        rows = [{c: _sparql_json_cell(cell) for c, cell in zip(self.columns, r, strict=True) if cell is not None}
                for r in self.rows]
        doc = {"head": {"vars": list(self.columns)}, "results": {"bindings": rows}}
        return json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"

    def to_dataframe(self, iris: bool = False) -> pd.DataFrame:
        """A :class:`pandas.DataFrame` (needs pandas: ``pip install 'netgraph-kg[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError:
            raise QueryError("to_dataframe() needs pandas; install it with `pip install 'netgraph-kg[pandas]'`") from None
        return pd.DataFrame(self.to_dicts(iris), columns=list(self.columns))

    def to_table(self, width: int | None = None, *, iris: bool = False, compact: bool = False) -> str:
        """A plain-text table that fits ``width`` characters (long cells are cut with '…').

        With ``compact``, a table too wide for ``width`` first drops the ``statement``
        column and the IRI columns that have a label column beside them (``tumour``
        when ``tumourLabel`` is there), and says so in a last line.
        """
        cells = [[_oneline(_text(c, iris) or "") for c in r] for r in self.rows]
        natural = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(self.columns)]
        shown = list(range(len(self.columns)))
        hidden: list[str] = []
        if width and compact:
            droppable = [i for i, c in enumerate(self.columns) if c == "statement"] + \
                        [i for i, c in enumerate(self.columns) if f"{c}Label" in self.columns]
            while droppable and sum(natural[i] for i in shown) + 2 * (len(shown) - 1) > width:
                i = droppable.pop(0)
                shown.remove(i)
                hidden.append(self.columns[i])
        headers = [self.columns[i] for i in shown]
        widths = [natural[i] for i in shown]
        if width:
            widths = _fit(widths, [len(h) for h in headers], width)
        lines = ["  ".join(_cut(h, w).ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        for row in cells:
            lines.append("  ".join(_cut(row[i], w).ljust(w) for i, w in zip(shown, widths, strict=True)).rstrip())
        if hidden:
            lines.append(f"(not shown to fit the terminal: {', '.join(hidden)}; --format tsv shows every column)")
        return "\n".join(lines) + "\n"

    def render(self, fmt: str, *, width: int | None = None, iris: bool = False) -> str:
        """The result in one of :data:`FORMATS`."""
        if fmt == "table":
            return self.to_table(width, iris=iris)
        if fmt == "csv":
            return self.to_csv(iris=iris)
        if fmt == "tsv":
            return self.to_tsv(iris=iris)
        if fmt == "json":
            return self.to_json(iris=iris)
        if fmt == "sparql-json":
            return self.to_sparql_json()
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")

    def __repr__(self) -> str:
        name = f" {self.query}" if self.query else ""
        return f"<QueryResult{name}: {len(self.rows)} rows x {len(self.columns)} columns ({', '.join(self.columns)})>"


def _sparql_json_cell(cell: Term) -> dict[str, str]:
    if isinstance(cell, IRI):
        return {"type": "uri", "value": cell.iri}
    if isinstance(cell, BNode):
        return {"type": "bnode", "value": str(cell)}
    if isinstance(cell, Literal):
        out = {"type": "literal", "value": str(cell)}
        if cell.language:
            out["xml:lang"] = cell.language
        elif cell.datatype:
            out["datatype"] = cell.datatype
        return out
    raise QueryError(f"cannot write a {type(cell).__name__} cell as SPARQL JSON")  # pragma: no cover


def _tsv_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _oneline(text: str) -> str:
    return " ".join(text.split()) if any(c in text for c in "\n\r\t") else text


def _cut(text: str, w: int) -> str:
    return text if len(text) <= w else text[: max(w - 1, 0)] + "…"


def _fit(widths: list[int], minimum: list[int], total: int) -> list[int]:
    """Shrink the widest columns until the table (with two-space gaps) fits ``total`` characters."""
    widths = list(widths)
    floor = [min(w, max(m, 8)) for w, m in zip(widths, minimum, strict=True)]
    budget = total - 2 * (len(widths) - 1)
    while sum(widths) > budget:
        i = max(range(len(widths)), key=lambda k: widths[k] - floor[k])
        if widths[i] <= floor[i]:
            break
        widths[i] -= 1
    return widths
