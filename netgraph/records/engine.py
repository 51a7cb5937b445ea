"""The fast records engine: the shapes compiled to SPARQL, run on Oxigraph stores a chunk of records at a time.

The records are converted to N-Triples into a temporary file (streamed; each
(field, cell) is converted once and its N-Triples fragment reused), a chunk of
:data:`CHUNK_SIZE` records at a time; each chunk is bulk-loaded with the
knowledge triples the shapes navigate into an Oxigraph store of its own (in
memory: Oxigraph's own, not Python objects), checked with one compiled query
per shape, and dropped. Only the violating records are read back (id, row and
the rule's fields), and :meth:`OxigraphEngine.chunks` hands the findings of
each chunk on as soon as it is checked, so memory stays flat in the number of
records: no store holds more than one chunk, and the engine keeps no finding
of a chunk it has handed on. The findings are the same :class:`RecordFinding`
objects the pySHACL engine gives (tests/test_records_engines.py holds the two
to that).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import deque
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from itertools import count, islice, product
from pathlib import Path
from typing import Any, TextIO
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import quote

from ..prefixes import NETGRAPH, expand
from .check import FieldValues, RecordChecker, _RuleInfo, add_field_value
from .compile import CompiledShape, compile_shapes
from .convert import RecordTerm, record_iri
from .fields import FIELDS
from .findings import RecordFinding
from .reader import RecordRow
from .values import read_decimal

__all__ = ["OxigraphEngine", "NTriplesWriter", "finding_query", "FindingCollector", "Chunk", "CHUNK_SIZE",
           "default_workers", "can_fork"]

_TYPE_TAIL = f" <{expand('rdf:type')}> <{NETGRAPH}TumourRecord> .\n"
_ID = f" <{NETGRAPH}recordId> "
_ROW = f" <{NETGRAPH}sourceRow> \""
_ROW_END = f"\"^^<{expand('xsd:integer')}> .\n"
_DECIMAL = expand("xsd:decimal")
_MEMO_LIMIT = 200_000  # (field, cell) fragments kept; the memo is emptied when full, so memory stays bounded


class NTriplesWriter:
    """Records -> N-Triples text, as :meth:`Converter.ntriples` gives, with each (field, cell) converted once."""

    def __init__(self, checker: RecordChecker):
        self.converter = checker.converter
        self._memo: dict[tuple[str, str], str] = {}
        self._fields = [(f.name, f.multi) for f in FIELDS[1:]]
        self.last_row = 0

    def _fragment(self, name: str, cell: str) -> str:
        """The predicate-object tails of one cell, joined by NUL (the subject goes before each)."""
        key = (name, cell)
        frag = self._memo.get(key)
        if frag is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            if name.startswith("\x01"):
                frag = f" <{NETGRAPH}extraField/{quote(name[1:], safe='')}> {RecordTerm(cell).nt()} .\n"
            else:
                frag = "\0".join(f" <{p}> {o.nt()} .\n" for p, o in self.converter._field(name, cell))
            self._memo[key] = frag
        return frag

    def record(self, row: RecordRow) -> str:
        s = f"<{record_iri(row.record_id, self.converter.salt)}>"
        parts = [s, _TYPE_TAIL]
        if self.converter.salt is None:
            parts += [s, _ID, RecordTerm(row.record_id).nt(), " .\n"]
        parts += [s, _ROW, str(row.row), _ROW_END]
        values = row.values
        for name, multi in self._fields:
            raw = values.get(name)
            if raw is None:
                continue
            for cell in (raw.split("|") if multi else (raw,)):
                cell = cell.strip()
                if cell:
                    frag = self._fragment(name, cell)
                    if frag:
                        parts.append(s)
                        parts.append(frag.replace("\0", s) if "\0" in frag else frag)
        for name in sorted(row.extra) if row.extra else ():
            value = row.extra[name].strip()
            if value:
                parts.append(s)
                parts.append(self._fragment("\x01" + name, value))
        return "".join(parts)

    def write(self, rows: Iterable[RecordRow], out: TextIO, progress: Callable[[int], None] | None = None,
              every: int = 10_000) -> int:
        """Write ``rows``; the number written (:attr:`last_row` is then the row of the last one)."""
        n = 0
        buf: list[str] = []
        for row in rows:
            buf.append(self.record(row))
            self.last_row = row.row
            n += 1
            if n % every == 0:
                out.write("".join(buf))
                buf.clear()
                if progress:
                    progress(n)
        out.write("".join(buf))
        if progress and n % every:
            progress(n)
        return n


def knowledge_ntriples(checker: RecordChecker) -> Iterator[str]:
    """The knowledge triples the shapes navigate, as N-Triples lines."""
    for t in checker.knowledge_graph:
        yield f"{t} .\n"


def _field_properties(info: _RuleInfo) -> list[str]:
    props = []
    for f in FIELDS:
        if f.name in info.fields:
            props.append(NETGRAPH + f.property)
            if f.resolved:
                props.append(NETGRAPH + f.resolved)
    return props


def finding_query(compiled: CompiledShape, info: _RuleInfo, *, ordered: bool = False) -> str:
    """The violating records of one shape with their id, row and the values of the rule's fields."""
    values = " ".join(f"<{p}>" for p in _field_properties(info))
    q = (f"{compiled.prologue}SELECT ?this ?id ?row ?p ?o WHERE {{ {{ {compiled.query.removeprefix(compiled.prologue)} }} "
         f"OPTIONAL {{ ?this <{NETGRAPH}recordId> ?id }} OPTIONAL {{ ?this <{NETGRAPH}sourceRow> ?row }} "
         f"OPTIONAL {{ VALUES ?p {{ {values} }} ?this ?p ?o }} }}")
    return q + (" ORDER BY ?this ?p ?o ?id ?row" if ordered else "")


@dataclass(frozen=True)
class Chunk:
    """The findings of one chunk of records: how many records, and the row of its last one."""

    records: int
    findings: list[RecordFinding]
    last_row: int


@dataclass
class FindingCollector:
    """Builds the findings of the answers of :func:`finding_query` (one answer row per record and field value)."""

    checker: RecordChecker
    found: dict[tuple[str, str, str], RecordFinding] = field(default_factory=dict)

    def add_shape(self, compiled: CompiledShape, answers: Iterable[tuple[str, str | None, str | None, str | None,
                                                                        str | None, bool]]) -> int:
        """``answers``: (focus IRI, record id, row, property, value, value is an IRI); returns the records."""
        info = self.checker.rules.get(compiled.shape)
        if info is None:
            return 0
        message = self.checker.message(compiled.shape)
        records: dict[str, tuple[list[str | None], FieldValues]] = {}
        for this, rid, row, p, o, is_iri in answers:
            rec = records.get(this)
            if rec is None:
                rec = records[this] = ([rid, row], {})
            if rid is not None:
                rec[0][0] = rid
            if row is not None:
                rec[0][1] = row
            if p is not None and o is not None:
                add_field_value(rec[1], p, o, is_iri)
        for this, ((rid, row), by_field) in records.items():
            rid = rid if rid is not None else this.rsplit("/", 1)[-1]
            self.found[(this, info.rule, message)] = self.checker.finding(
                info, message, rid, int(row) if row is not None else 0, by_field)
        return len(records)

    def findings(self) -> list[RecordFinding]:
        return list(self.found.values())


def shown_literal(value: str, datatype: str | None) -> str:
    """A literal's value as the converter wrote it: a store may give a decimal back in its own canonical
    form (Oxigraph writes ``150`` for ``150.0``), so decimals are put back into the converter's."""
    return read_decimal(value) if datatype == _DECIMAL else value


_RECORD_ID, _SOURCE_ROW = f"{NETGRAPH}recordId", f"{NETGRAPH}sourceRow"


def _node_answers(store: Any, solutions: Any, properties: frozenset[str]
                  ) -> Iterator[tuple[str, str | None, str | None, str | None, str | None, bool]]:
    """The answers :func:`finding_query` gives, for the violating nodes of ``solutions`` (``?this``): each
    node's id, row and values of ``properties`` read from the store's index of its triples. The same
    answers as the finding query, without its OPTIONAL joins, which Oxigraph evaluates over every record of
    the store (measured: about a tenth of the query time of the records shapes, under load)."""
    import pyoxigraph as ox

    for solution in solutions:
        node = solution[0]
        ids: list[str | None] = []
        rows: list[str | None] = []
        values: list[tuple[str | None, str | None, bool]] = []
        for quad in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            p, o = quad.predicate.value, quad.object
            if p == _RECORD_ID:
                ids.append(o.value)
            elif p == _SOURCE_ROW:
                rows.append(o.value)
            if p in properties:
                value = shown_literal(o.value, o.datatype.value) if isinstance(o, ox.Literal) else o.value
                values.append((p, value, isinstance(o, ox.NamedNode)))
        for rid, row, (p, value, is_iri) in product(ids or [None], rows or [None], values or [(None, None, False)]):
            yield node.value, rid, row, p, value, is_iri


def _offset(progress: Callable[[int], None] | None, done: int) -> Callable[[int], None] | None:
    """``progress`` counting from ``done`` (the records of the chunks before)."""
    if progress is None:
        return None
    return lambda m: progress(done + m)


#: records per chunk: each chunk is bulk-loaded into a store of its own beside the knowledge, checked and
#: dropped, so the memory of a check does not grow with the number of records. Measured (CPU time of load
#: + queries, per 100,000 records): 9.3 s in chunks of 10,000, 9.4 s of 25,000, 10.6 s of 50,000, 12.3 s of
#: 100,000 (the stores' indexes stay small); an in-memory store of 25,000 records takes about 150 MB
CHUNK_SIZE = 25_000


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows): the workers inherit the engine so."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def default_workers() -> int:
    """Worker processes for the chunks: the cores this process may use, at most 2 (each holds a store);
    1 where processes cannot be forked."""
    if not can_fork():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


class OxigraphEngine:
    """Checks records with the compiled shapes on Oxigraph stores, one per chunk of records.

    The records are checked ``chunk_size`` at a time, each chunk in a store of its own with the knowledge
    the shapes navigate. A record's checks read that record and the knowledge only (no shape compares two
    records; a repeated record id is the reader's finding), so the findings are those of one store holding
    every record, while memory stays flat in the number of records.

    The stores are Oxigraph's in-memory stores: measured on 100,000 records, bulk loading takes less than
    half the time of an on-disk (RocksDB) store and the compiled queries less than half (11 s of CPU
    against 25 s), and the memory is returned when the chunk's store is dropped. The N-Triples of a
    chunk go through a temporary file in ``tmp_dir``.
    """

    name = "oxigraph"

    def __init__(self, checker: RecordChecker, *, tmp_dir: str | Path | None = None, chunk_size: int = CHUNK_SIZE,
                 workers: int | None = None):
        if chunk_size < 1:
            from ..errors import InputError

            raise InputError("chunk_size must be at least 1")
        # one process (chunks checked in turn, same findings) where workers cannot be forked
        self.workers = default_workers() if workers is None else max(1, workers) if can_fork() else 1
        self.checker = checker
        self.compiled = compile_shapes(checker.shapes)
        # (shape, its query of the violating nodes, the properties of the rule's fields)
        self.queries = [(c, c.query, frozenset(_field_properties(checker.rules[c.shape])))
                        for c in self.compiled if c.shape in checker.rules]
        self.tmp_dir = tmp_dir
        self.chunk_size = chunk_size
        self.timings: dict[str, float] = {}

    def check(self, rows: Iterable[RecordRow], progress: Callable[[int], None] | None = None
              ) -> tuple[int, list[RecordFinding]]:
        """(records read, findings) of ``rows``: every finding at once (see :meth:`chunks` to stream them)."""
        n, findings = 0, []
        for chunk in self.chunks(rows, progress):
            n += chunk.records
            findings.extend(chunk.findings)
        return n, findings

    def chunks(self, rows: Iterable[RecordRow], progress: Callable[[int], None] | None = None
               ) -> Iterator[Chunk]:
        """The :class:`Chunk` (records, findings, last row) of each chunk of ``rows``, in the order of the
        rows, as soon as it is checked (a chunk of 0 records only when ``rows`` is empty). The records are
        streamed into the stores; nothing of them is kept in Python, and nothing of a chunk once it is
        handed on.

        With ``workers`` > 1 and more than one chunk, the chunks are loaded and queried in that many forked
        worker processes while this one reads and converts the next chunk: at most ``workers`` stores exist
        at once, and at most ``workers`` + 1 chunks are converted and not yet handed on."""
        timings = {"convert_s": 0.0, "load_s": 0.0, "query_s": 0.0}
        self.timings = {**timings, "chunks": 0}
        writer = NTriplesWriter(self.checker)
        knowledge = "".join(knowledge_ntriples(self.checker))
        it = iter(rows)
        n = chunks = 0
        pool: Any = None
        pending: deque[tuple[int, int, Any]] = deque()

        def done(k: int, last_row: int, result: tuple[list[RecordFinding], float, float]) -> Chunk:
            nonlocal chunks
            found, load_s, query_s = result
            timings["load_s"] += load_s
            timings["query_s"] += query_s
            chunks += 1
            self.timings = {**timings, "chunks": chunks}
            return Chunk(k, found, last_row)

        with tempfile.TemporaryDirectory(prefix="netgraph-records-", dir=self.tmp_dir) as tmp, ExitStack() as stack:
            for i in count():
                nt = Path(tmp, f"records-{i}.nt")
                t0 = time.perf_counter()
                with open(nt, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(knowledge)
                    k = writer.write(islice(it, self.chunk_size), fh, _offset(progress, n))
                timings["convert_s"] += time.perf_counter() - t0
                n += k
                last = k < self.chunk_size
                if k == 0 and i:
                    nt.unlink()
                    break
                if pool is None and (self.workers < 2 or (last and i == 0)):
                    yield done(k, writer.last_row, _check_chunk(self, str(nt)))
                else:
                    if pool is None:
                        pool = stack.enter_context(_fork_pool(self, self.workers))
                    pending.append((k, writer.last_row, pool.apply_async(_check_in_worker, (str(nt),))))
                    while len(pending) > self.workers or (last and pending):
                        k_done, row, result = pending.popleft()
                        yield done(k_done, row, result.get())
                if last:
                    break
            while pending:  # the rows ended on a chunk boundary
                k_done, row, result = pending.popleft()
                yield done(k_done, row, result.get())


def _check_chunk(engine: OxigraphEngine, nt: str) -> tuple[list[RecordFinding], float, float]:
    """(findings, load s, query s) of the chunk of records in the N-Triples file ``nt`` (deleted after loading)."""
    import pyoxigraph as ox

    t1 = time.perf_counter()
    store = ox.Store()
    # lenient: the file is our own output (IRIs percent-encoded, literals escaped), so the
    # parser's IRI and language-tag validation is skipped (about twice as fast)
    store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    os.unlink(nt)
    t2 = time.perf_counter()
    collector = FindingCollector(engine.checker)
    for c, query, properties in engine.queries:
        collector.add_shape(c, _node_answers(store, store.query(query), properties))
    del store
    return collector.findings(), t2 - t1, time.perf_counter() - t2


#: the engine of a forked worker process (set in the parent just before the fork; the workers inherit it)
_WORKER_ENGINE: OxigraphEngine | None = None


def _check_in_worker(nt: str) -> tuple[list[RecordFinding], float, float]:
    assert _WORKER_ENGINE is not None  # set before the pool forked
    return _check_chunk(_WORKER_ENGINE, nt)


@contextmanager
def _fork_pool(engine: OxigraphEngine, workers: int) -> Iterator[Any]:
    """A pool of ``workers`` processes forked with ``engine`` (shapes, knowledge, compiled queries) in them;
    terminated on leaving, also on an error or when the consumer stops early."""
    import multiprocessing

    global _WORKER_ENGINE
    _WORKER_ENGINE = engine
    try:
        pool = multiprocessing.get_context("fork").Pool(workers)
    finally:
        _WORKER_ENGINE = None
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()
