"""The rdflib backend: a ``Graph``, ``ConjunctiveGraph`` or ``Dataset`` the caller already has.

Queries run on rdflib's own SPARQL engine (correct, but slow: see
``benchmarks/bench_query.py``). A ``Dataset`` is queried with the union of its
graphs as the default graph, like the other backends; the caller's object is
not changed (a second view over the same store is used). Parameters are bound
with ``initBindings``.
"""

from __future__ import annotations

import warnings
from typing import Any
from collections.abc import Mapping

# boundary: this backend queries an rdflib graph a user hands in (imported only when that backend is used)
from rdflib import BNode as RdfBNode
from rdflib import ConjunctiveGraph, Dataset, Graph, URIRef, Variable
from rdflib import Literal as RdfLiteral
from rdflib.query import ResultRow

from ..errors import QueryError
from ..rdfterms import term_from_rdflib as from_rdflib
from ..results import QueryResult
from ..sparqltext import PreparedQuery
from ..terms import IRI, BNode, Literal, Term
from . import Backend
from ..paths import Root

__all__ = ["RdflibBackend", "to_rdflib", "from_rdflib"]


def to_rdflib(term: Term) -> Any:
    """The rdflib term of a netgraph term."""
    if isinstance(term, IRI):
        return URIRef(term.iri)
    if isinstance(term, Literal):
        if term.language:
            return RdfLiteral(str(term), lang=term.language)
        if term.datatype:
            return RdfLiteral(str(term), datatype=URIRef(term.datatype))
        return RdfLiteral(str(term))
    if isinstance(term, BNode):
        return RdfBNode(str(term))
    raise QueryError(f"cannot bind {term!r}")


def _union_view(graph: Graph) -> Graph:
    if isinstance(graph, Dataset) and not graph.default_union:
        view = Dataset(store=graph.store, default_union=True)
        for prefix, ns in graph.namespaces():
            view.bind(prefix, ns, override=False)
        return view
    return graph


class RdflibBackend(Backend):
    """Queries an rdflib graph with rdflib's SPARQL engine."""

    name = "rdflib"
    slow_filters = True

    def __init__(self, graph: Graph | None = None, *, root: Root = None):
        if graph is None:
            from ..graphs import load_dataset

            graph = load_dataset(root)
        if not isinstance(graph, Graph):
            raise QueryError(f"expected an rdflib Graph or Dataset, got {type(graph).__name__}")
        self.graph = graph
        self._view = _union_view(graph)

    def describe(self) -> str:
        kind = "Dataset (union of its graphs)" if isinstance(self.graph, ConjunctiveGraph) else "Graph"
        return f"rdflib {kind}"

    def run(self, query: PreparedQuery, bindings: Mapping[str, Term | None], *, name: str | None = None) -> QueryResult:
        init = {Variable(k): to_rdflib(v) for k, v in bindings.items() if v is not None}
        try:
            with warnings.catch_warnings():
                # rdflib's own Dataset code calls its deprecated default_context on every triple lookup
                warnings.simplefilter("ignore", DeprecationWarning)
                return self._run(query, init, name)
        except QueryError:
            raise
        except Exception as exc:  # rdflib raises pyparsing and plain exceptions for bad queries
            raise QueryError(f"query failed on rdflib: {type(exc).__name__}: {exc}") from None

    def _run(self, query: PreparedQuery, init: dict, name: str | None) -> QueryResult:
        answer = self._view.query(query.text, initBindings=init)
        if answer.type == "ASK":
            return QueryResult.from_boolean(bool(answer.askAnswer), query=name, backend=self.name)
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            assert answer.graph is not None  # rdflib sets it for these query forms
            rows = sorted(([from_rdflib(s), from_rdflib(p), from_rdflib(o)] for s, p, o in answer.graph),
                          key=lambda r: [c.key() for c in r if c is not None])
            return QueryResult.from_terms(["subject", "predicate", "object"], rows, query=name, backend=self.name)
        columns = [str(v) for v in answer.vars or ()]
        rows = [[from_rdflib(c) for c in row] for row in answer if isinstance(row, ResultRow)]
        return QueryResult.from_terms(columns, rows, query=name, backend=self.name)
