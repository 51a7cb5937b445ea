"""Checking records: stream, convert, validate with pySHACL in batches, report findings.

Memory stays flat in the number of records: rows are read, converted and
validated ``batch_size`` at a time, and only the findings are kept. The records
never leave the machine: nothing here opens a network connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox

from ..errors import InputError
from ..memgraph import MemoryGraph, Object, Subject
from ..optional import require
from ..paths import project_paths
from ..prefixes import NETGRAPH, SOURCE
from ..rdfterms import ox_triples, rdflib_graph
from ..vocab import NG, RDF, SH, XSD
from .columnmap import ColumnMap
from .convert import Converter, RecordTerm, record_iri
from .fields import FIELD_BY_NAME
from .findings import RecordFinding, RecordsReport
from .knowledge import Knowledge, load_knowledge
from .reader import InputProblem, RecordRow, read_records, rows_from_mappings
from .shapes import records_shapes

if TYPE_CHECKING:
    import rdflib

__all__ = ["RecordChecker", "check_records", "stream_records_check", "add_field_value", "FieldValues", "ENGINES"]

ENGINES = ("oxigraph", "pyshacl")


@dataclass(frozen=True)
class _RuleInfo:
    rule: str
    severity: str
    fields: tuple[str, ...]
    source: str
    quote: str
    basis: str
    about: tuple[str, ...]


def _term(obj: RecordTerm) -> ox.NamedNode | ox.Literal:
    if obj.is_iri:
        return ox.NamedNode(obj.value)
    return ox.Literal(obj.value, datatype=ox.NamedNode(obj.datatype) if obj.datatype else None)


def _short(iri: str) -> str:
    return "netgraph:" + iri[len(NETGRAPH):] if iri.startswith(NETGRAPH) else iri


#: record field -> the distinct (rank, shown value) pairs of a record; rank 0: the value as read, 1: its entity
FieldValues = dict[str, set[tuple[int, str]]]
_FIELD_OF_PROPERTY: dict[str, tuple[str, int]] = {
    **{NETGRAPH + f.property: (f.name, 0) for f in FIELD_BY_NAME.values()},
    **{NETGRAPH + f.resolved: (f.name, 1) for f in FIELD_BY_NAME.values() if f.resolved}}


def add_field_value(by_field: FieldValues, prop: str, value: str, is_iri: bool) -> None:
    """Note one record triple's object under its field (values are shown in a canonical order: both engines
    agree, whatever order a store gives them back in)."""
    hit = _FIELD_OF_PROPERTY.get(prop)
    if hit:
        by_field.setdefault(hit[0], set()).add((hit[1], _short(value) if is_iri else value))


class RecordChecker:
    """The shapes, the knowledge they need and the converter, prepared once for many records."""

    def __init__(self, root: Any = None, *, check_date: date | None = None, salt: str | None = None,
                 scheme: str | None = None):
        from ..crosswalk.index import load_index

        self.paths = project_paths(root)
        self.knowledge: Knowledge = load_knowledge(self.paths.root)
        self.index = load_index(self.paths.root)
        self.shapes = records_shapes(self.paths, self.knowledge, self.index,
                                     default_scheme=NETGRAPH + scheme.removeprefix("netgraph:") if scheme else None)
        self.check_date = check_date or date.today()
        self._bind_date()
        self.rules = self._rule_table()
        self.knowledge_graph = self.knowledge.graph()
        self.converter = Converter(self.knowledge, index=self.index, salt=salt)

    def _bind_date(self) -> None:
        for node in self.shapes.subjects(NG.boundToCheckDate, ox.Literal(True)):
            self.shapes.add((node, SH.maxInclusive, ox.Literal(self.check_date.isoformat(), datatype=XSD.date)))

    def _text(self, shape: Subject, p: ox.NamedNode) -> str:
        """The value of a shape's annotation ``p`` ("" when it has none)."""
        found = self.shapes.value(shape, p)
        return found.value if found is not None else ""

    def _rule_table(self) -> dict[Object, _RuleInfo]:
        """Every shape node (node shapes and their property shapes) -> the rule it belongs to."""
        out: dict[Object, _RuleInfo] = {}
        g = self.shapes
        for shape in g.subjects(NG.ruleId, None):
            src = self._text(shape, NG.ruleSource)
            info = _RuleInfo(self._text(shape, NG.ruleId), self._text(shape, SH.severity).rsplit("#", 1)[-1],
                             tuple(self._text(shape, NG.ruleFields).split("|")), src[len(SOURCE):],
                             self._text(shape, NG.ruleQuote), self._text(shape, NG.ruleBasis),
                             tuple(sorted(_short(a.value) for a in g.objects(shape, NG.ruleAbout))))
            out[shape] = info
            for prop in g.objects(shape, SH.property):
                out[prop] = info
        return out

    @property
    def shape_count(self) -> int:
        return len(self.shapes.subjects(NG.ruleId, None))

    @cached_property
    def _pyshacl_shapes(self) -> rdflib.Graph:
        """The shapes as pySHACL takes them (an rdflib copy, made once; blank-node labels kept)."""
        return self.shapes.to_rdflib()

    @cached_property
    def _pyshacl_knowledge(self) -> rdflib.Graph:
        """The knowledge as pySHACL takes it (converted once; each batch starts from a plain rdflib copy)."""
        return self.knowledge_graph.to_rdflib()

    def check_batch(self, rows: list[RecordRow]) -> list[RecordFinding]:
        """Validate a batch of records with pySHACL; the findings, one per record and shape."""
        pyshacl = require("pyshacl", "`records check --engine pyshacl`")

        records = MemoryGraph()
        values: dict[str, tuple[RecordRow, FieldValues]] = {}
        for row in rows:
            iri = record_iri(row.record_id)
            subject = ox.NamedNode(iri)
            by_field: FieldValues = {}
            for p, o in self.converter.terms(row):
                records.add((subject, ox.NamedNode(p), _term(o)))
                add_field_value(by_field, p, o.value, o.is_iri)
            values[iri] = (row, by_field)
        from rdflib import Graph  # the pySHACL boundary

        data = Graph()
        data += self._pyshacl_knowledge  # a fresh copy per batch: pySHACL runs in place on its data graph
        rdflib_graph(records, data)
        _conforms, report, _ = pyshacl.validate(data, shacl_graph=self._pyshacl_shapes, inference="none",
                                               inplace=True, allow_warnings=True, advanced=True, abort_on_first=False)
        results = MemoryGraph(ox_triples(report))
        found: dict[tuple[str, str, str], RecordFinding] = {}
        for result in results.subjects(RDF.type, SH.ValidationResult):
            focus, shape = results.value(result, SH.focusNode), results.value(result, SH.sourceShape)
            info = self.rules.get(shape) if shape is not None else None
            if shape is None or info is None or focus is None or focus.value not in values:
                continue
            row, by_field = values[focus.value]
            message = self.message(shape)
            found[(focus.value, info.rule, message)] = self.finding(info, message, row.record_id, row.row, by_field)
        return list(found.values())

    def message(self, shape: Object) -> str:
        """The message of a shape's findings: its node shape's sh:message (the first one built: the grade rules
        of one scheme and grade share a shape, one message each), or the rule id."""
        found = next((t.object for t in self.shapes.triples((self._owner(shape), SH.message, None))
                      if isinstance(t.object, ox.Literal)), None)
        return found.value if found is not None else self.rules[shape].rule

    @staticmethod
    def finding(info: _RuleInfo, message: str, record_id: str, row: int, by_field: FieldValues) -> RecordFinding:
        """One finding: only the rule's fields are shown (those the record has; else the first)."""
        shown_fields = tuple(f for f in info.fields if f in by_field) or info.fields[:1]
        shown_values = tuple("|".join(v for _, v in sorted(by_field.get(f, ()))) for f in shown_fields)
        return RecordFinding(record_id, row, info.rule, info.severity, shown_fields, shown_values,
                             message, info.source, info.quote, info.basis, info.about)

    def _owner(self, shape: Object) -> Subject:
        """The node shape of a rule's shape (itself, or the node shape it is a property shape of)."""
        if isinstance(shape, ox.Literal):
            raise ValueError(f"{shape} is not a shape")
        if self.shapes.objects(shape, NG.ruleId):
            return shape
        owners = self.shapes.subjects(SH.property, shape)
        return owners[0] if owners else shape


@lru_cache(maxsize=4)
def _checker(root: str, check_date: date, scheme: str | None = None) -> RecordChecker:
    """One prepared checker per project, day and default scheme (shapes and knowledge are read once per process)."""
    return RecordChecker(root, check_date=check_date, scheme=scheme)


def _input_findings(problems: list[InputProblem]) -> list[RecordFinding]:
    return [RecordFinding(p.record_id, p.row, p.rule, "Violation", (p.field,) if p.field else (), (p.value,) if p.field else (),
                          p.message, basis="record format (docs/records.md)") for p in problems]


def _batches(rows: Iterable[RecordRow], size: int) -> Iterator[list[RecordRow]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def check_records(source: str | Path | Iterable[Mapping[str, Any]], *, columns: ColumnMap | str | Path | None = None,
                  root: Any = None, delimiter: str | None = None, check_date: date | None = None,
                  batch_size: int = 2000, progress: Callable[[int], None] | None = None,
                  scheme: str | None = None, engine: str = "oxigraph", chunk_size: int | None = None,
                  workers: int | None = None) -> RecordsReport:
    """Check registry records against the knowledge graph; returns the findings (see :class:`RecordsReport`).

    ``source`` is a CSV/TSV path (``-`` for standard input) or an iterable of
    dicts (one per record, keys as in a file header). ``columns`` is a column map
    (see :mod:`netgraph.records.columnmap`) or its path. ``scheme`` is the grading
    scheme (its id, e.g. ``SeerEodWhoGepNetGrading``) for records that name none
    (default: the graph's default scheme). ``engine`` is ``"oxigraph"`` (the
    shapes compiled to SPARQL on Oxigraph stores; fast) or ``"pyshacl"`` (the
    reference engine, in batches of ``batch_size``); both give the same findings. The oxigraph
    engine checks ``chunk_size`` records per store (default :data:`netgraph.records.engine.CHUNK_SIZE`),
    in ``workers`` processes (default :func:`netgraph.records.engine.default_workers`).

    Every finding is held in the report; :func:`stream_records_check` gives them chunk by chunk instead.
    """
    report, chunks = stream_records_check(source, columns=columns, root=root, delimiter=delimiter,
                                          check_date=check_date, batch_size=batch_size, progress=progress,
                                          scheme=scheme, engine=engine, chunk_size=chunk_size, workers=workers)
    for found in chunks:
        report.findings.extend(found)
    return report


def stream_records_check(source: str | Path | Iterable[Mapping[str, Any]], *,
                         columns: ColumnMap | str | Path | None = None, root: Any = None,
                         delimiter: str | None = None, check_date: date | None = None, batch_size: int = 2000,
                         progress: Callable[[int], None] | None = None, scheme: str | None = None,
                         engine: str = "oxigraph", chunk_size: int | None = None, workers: int | None = None
                         ) -> tuple[RecordsReport, Iterator[list[RecordFinding]]]:
    """A check as :func:`check_records` makes it, with its findings handed on chunk by chunk.

    Returns (the report without findings, the findings of each chunk of records): each chunk's findings
    sorted, and the chunks in the order of the rows, so their concatenation is the sorted findings of
    :func:`check_records`. The report's ``records`` counts the records of the chunks handed on so far.
    Bad input (an unreadable file, a bad header or column map) raises before the first chunk is checked.
    """
    from .columnmap import load_column_map

    cmap = load_column_map(columns) if isinstance(columns, (str, Path)) else columns
    if batch_size < 1:
        raise InputError("batch_size must be at least 1")
    if engine not in ENGINES:
        raise InputError(f"unknown records engine {engine!r} (one of {', '.join(ENGINES)})")
    checker = _checker(str(project_paths(root).root), check_date or date.today(), scheme)
    problems: list[InputProblem] = []
    if isinstance(source, (str, Path)):
        rows: Iterable[RecordRow] = read_records(source, columns=cmap, delimiter=delimiter, problems=problems)
        name = str(source)
    else:
        rows = rows_from_mappings(source, columns=cmap, problems=problems)
        name = "<records>"
    rows = _first_read(rows)  # a bad header is bad input now, not when the first chunk is read
    report = RecordsReport(name, rules=checker.shape_count, engine=engine)
    if engine == "oxigraph":
        from .engine import CHUNK_SIZE, OxigraphEngine

        oxigraph = OxigraphEngine(checker, workers=workers, chunk_size=CHUNK_SIZE if chunk_size is None else chunk_size)
        parts: Iterator[tuple[int, list[RecordFinding], int]] = (
            (c.records, c.findings, c.last_row) for c in oxigraph.chunks(rows, progress))
    else:
        parts = _pyshacl_batches(checker, rows, batch_size, progress)
    return report, _with_input_findings(report, parts, problems)


def _first_read(rows: Iterable[RecordRow]) -> Iterator[RecordRow]:
    """``rows`` with the first one read already (a reader checks the header on its first read)."""
    it = iter(rows)
    first = list(islice(it, 1))
    return chain(first, it)


def _pyshacl_batches(checker: RecordChecker, rows: Iterable[RecordRow], size: int,
                     progress: Callable[[int], None] | None) -> Iterator[tuple[int, list[RecordFinding], int]]:
    n = 0
    for batch in _batches(rows, size):
        found = checker.check_batch(batch)
        n += len(batch)
        if progress:
            progress(n)
        yield len(batch), found, batch[-1].row


def _with_input_findings(report: RecordsReport, parts: Iterable[tuple[int, list[RecordFinding], int]],
                         problems: list[InputProblem]) -> Iterator[list[RecordFinding]]:
    """Each chunk's findings with the reader's findings of its rows (those up to its last row), sorted; then
    the reader's findings after the last record. ``problems`` is the reader's list, which grows as the rows
    are read (an engine may read ahead of the chunk it hands on)."""
    for records, found, last_row in parts:
        upto = sum(1 for p in problems if p.row <= last_row)
        chunk = found + _input_findings(problems[:upto])
        del problems[:upto], found
        chunk.sort(key=RecordFinding.sort_key)
        report.records += records
        yield chunk
        del chunk
    if problems:
        tail = _input_findings(problems)
        del problems[:]
        yield sorted(tail, key=RecordFinding.sort_key)
