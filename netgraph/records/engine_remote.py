"""The records check on a remote SPARQL store: the same compiled queries, over HTTP, paged.

The store must hold the records graph (``netgraph records load``; default
``https://w3id.org/netgraph/graph/records``) and the knowledge the shapes
navigate (class hierarchy, the inherited site and hormone axioms as direct
triples, the site hierarchy), which ``netgraph records load`` pushes into
``https://w3id.org/netgraph/graph/records-knowledge``. The queries read the
merge of those two graphs (``FROM`` clauses), so nothing else in the store
changes their answers. Each query's answers are read in pages (``LIMIT`` /
``OFFSET`` under an ``ORDER BY`` over every projected variable, a total order);
a timeout or an HTTP error is an :class:`~netgraph.errors.EndpointError`
(exit 2), never "no findings".
"""

from __future__ import annotations

import re
from typing import Any
from collections.abc import Callable, Iterator

from ..errors import EndpointError
from ..prefixes import GRAPH, NETGRAPH
from .check import RecordChecker
from .compile import compile_shapes
from .convert import RECORDS_GRAPH
from .engine import FindingCollector, finding_query, shown_literal
from .findings import RecordFinding

__all__ = ["RemoteEngine", "KNOWLEDGE_GRAPH", "RECORDS_GRAPH", "check_records_remote", "records_built_graph",
           "with_dataset"]

#: the named graph `netgraph records load` puts the knowledge triples the record shapes navigate in
KNOWLEDGE_GRAPH = f"{GRAPH}records-knowledge"
_SELECT = re.compile(r"^((?:PREFIX[^\n]*\n)*SELECT [^{]*?)WHERE", re.S)


def _check_iri(iri: str, what: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", iri):
        raise EndpointError(f"{what} {iri!r} is not an IRI")
    return iri


def _text(term: Any) -> str:
    """The full IRI of an IRI term (netgraph's terms print as CURIEs), the text of any other."""
    return term.iri if term.kind == "iri" else str(term)


def with_dataset(query: str, graphs: tuple[str, ...]) -> str:
    """The query reading the merge of ``graphs`` (``FROM`` clauses before its outer ``WHERE``)."""
    m = _SELECT.match(query)
    if m is None:  # the compiler writes every query so; anything else is a bug, not a user error
        raise AssertionError(f"not a compiled SELECT query: {query[:80]}")
    froms = "".join(f"FROM <{g}> " for g in graphs)
    return f"{m.group(1)}{froms}{query[m.end(1):]}"


class RemoteEngine:
    """Runs the compiled record shapes against a SPARQL endpoint holding the records graph and the knowledge."""

    name = "remote"

    def __init__(self, checker: RecordChecker, endpoint: str, *, graph: str = RECORDS_GRAPH,
                 knowledge_graph: str = KNOWLEDGE_GRAPH, timeout: float = 300.0, retries: int = 2,
                 auth: Any = None, page_size: int = 10_000):
        from ..backends.remote import RemoteBackend

        if page_size < 1:
            raise EndpointError("the page size must be at least 1")
        self.checker = checker
        self.compiled = compile_shapes(checker.shapes)
        self.graphs = (_check_iri(graph, "--graph"), _check_iri(knowledge_graph, "--knowledge-graph"))
        self.backend = RemoteBackend(endpoint, timeout=timeout, retries=retries, auth=auth)
        self.page_size = page_size
        self.pages = 0

    def _select(self, text: str) -> list[Any]:
        from ..sparqltext import prepare

        self.pages += 1
        return list(self.backend.run(prepare(text), {}).rows)

    def count_records(self) -> int:
        rows = self._select(with_dataset(
            f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{NETGRAPH}TumourRecord> }}", self.graphs[:1]))
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def _answers(self, query: str) -> Iterator[tuple[str, str | None, str | None, str | None, str | None, bool]]:
        offset = 0
        while True:
            rows = self._select(f"{query} LIMIT {self.page_size} OFFSET {offset}")
            for this, rid, row, p, o in rows:
                value = None
                if o is not None:
                    value = shown_literal(str(o), o.datatype) if o.kind == "literal" else _text(o)
                yield (_text(this), None if rid is None else str(rid), None if row is None else str(row),
                       None if p is None else _text(p), value, o is not None and o.kind == "iri")
            if len(rows) < self.page_size:
                return
            offset += self.page_size

    def check(self, progress: Callable[[int], None] | None = None) -> tuple[int, list[RecordFinding]]:
        """(records in the records graph, findings)."""
        n = self.count_records()
        if n == 0:
            raise EndpointError(f"{self.backend.endpoint}: the graph <{self.graphs[0]}> holds no "
                                f"<{NETGRAPH}TumourRecord>; load the records first (netgraph records load FILE "
                                "--endpoint URL)")
        collector = FindingCollector(self.checker)
        for i, c in enumerate(self.compiled, 1):
            info = self.checker.rules.get(c.shape)
            if info is not None:
                collector.add_shape(c, self._answers(with_dataset(finding_query(c, info, ordered=True), self.graphs)))
            if progress:
                progress(n * i // len(self.compiled))
        return n, collector.findings()


def check_records_remote(endpoint: str, *, graph: str = RECORDS_GRAPH, knowledge_graph: str = KNOWLEDGE_GRAPH,
                         root: Any = None, check_date: Any = None, timeout: float = 300.0, retries: int = 2,
                         auth: Any = None, page_size: int = 10_000,
                         progress: Callable[[int], None] | None = None, scheme: str | None = None) -> Any:
    """Check the records graph already in the store behind ``endpoint``; a :class:`RecordsReport`."""
    from datetime import date

    from ..paths import project_paths
    from .check import _checker
    from .findings import RecordsReport

    checker = _checker(str(project_paths(root).root), check_date or date.today(), scheme)
    engine = RemoteEngine(checker, endpoint, graph=graph, knowledge_graph=knowledge_graph, timeout=timeout,
                          retries=retries, auth=auth, page_size=page_size)
    report = RecordsReport(f"{endpoint} <{graph}>", rules=checker.shape_count, engine="remote")
    report.records, report.findings = engine.check(progress)
    report.sort()
    return report


def _as_stored(ntriples: bytes) -> bytes:
    """The triples in the form a store keeps them (typed literals in canonical form: ``150.0``^^xsd:decimal
    is kept as ``150``), so the load's read-back comparison compares like with like."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(ntriples, ox.RdfFormat.N_TRIPLES)
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""


def records_built_graph(source: Any, *, graph: str = RECORDS_GRAPH, knowledge_graph: str = KNOWLEDGE_GRAPH,
                        columns: Any = None, delimiter: str | None = None, salt: str | None = None,
                        root: Any = None) -> tuple[Any, list[Any], int]:
    """(the knowledge graph and, unless ``source`` is None, the records graph, as a loadable BuiltGraph;
    the rows skipped; the records)."""
    import io
    from dataclasses import replace
    from datetime import date

    from ..paths import project_paths
    from ..stores.canonical import BuiltGraph, parse_part
    from .check import RecordChecker
    from .engine import NTriplesWriter, knowledge_ntriples
    from .reader import InputProblem, read_records

    checker = RecordChecker(project_paths(root).root, check_date=date.today(), salt=salt)
    problems: list[InputProblem] = []
    parts = {"records-knowledge": replace(parse_part("records-knowledge", "".join(knowledge_ntriples(checker)).encode()),
                                          iri=_check_iri(knowledge_graph, "--knowledge-graph"))}
    n = 0
    if source is not None:
        buf = io.StringIO()
        n = NTriplesWriter(checker).write(read_records(source, columns=columns, delimiter=delimiter,
                                                       problems=problems), buf)
        parts["records"] = replace(parse_part("records", _as_stored(buf.getvalue().encode("utf-8"))),
                                   iri=_check_iri(graph, "--graph"))
    return BuiltGraph(parts), problems, n
