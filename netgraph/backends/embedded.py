"""The embedded backend: Oxigraph (pyoxigraph), opened from the prebuilt store of the built graph.

The default backend: no server, and fast (Oxigraph's query engine, not
rdflib's). The store holds each part of the graph in its named graph and is
queried with the union of them as the default graph. Parameters are bound with
pyoxigraph's ``substitutions`` (SPARQL SEP-0007), which requires each
parameter variable to be in the SELECT clause; netgraph then hides the
``?_`` columns from the result.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Mapping

import pyoxigraph as ox

from ..errors import ParameterError, QueryError
from ..querylimits import check_query_limits
from ..results import QueryResult
from ..sparqltext import PreparedQuery
from ..rdfterms import from_oxigraph, to_oxigraph
from ..terms import Term
from . import Backend
from ..paths import Root

__all__ = ["EmbeddedBackend", "to_oxigraph", "from_oxigraph"]


class EmbeddedBackend(Backend):
    """Queries a pyoxigraph :class:`~pyoxigraph.Store` (by default: the prebuilt store of the built graph)."""

    name = "embedded"

    def __init__(self, store: ox.Store | None = None, *, root: Root = None,
                 functions: Mapping[Any, Any] | None = None) -> None:
        if store is None:
            from ..storecache import open_store_with_labels

            # the prebuilt on-disk store, read-only, with its label index; in memory (and no index) if no cache
            store, self.label_index = open_store_with_labels(root)
        self.store = store
        #: SPARQL extension functions (pyoxigraph ``custom_functions``), e.g. the QC checks' source-text tests
        self.functions = dict(functions) if functions else None

    def describe(self) -> str:
        return "embedded Oxigraph store"

    def run(self, query: PreparedQuery, bindings: Mapping[str, Term | None], *, name: str | None = None) -> QueryResult:
        try:
            subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items() if v is not None}
        except ValueError as exc:  # pyoxigraph refuses a malformed IRI, language tag or datatype
            raise ParameterError(f"invalid parameter value: {exc}") from None
        if subs and query.form != "SELECT":
            raise QueryError(f"parameters can only be bound in a SELECT query (this is {query.form})")
        try:
            return self._answer(query, subs, name)
        except (RuntimeError, OSError) as exc:  # raised while solutions stream (e.g. a SERVICE call that fails)
            raise QueryError(f"query failed: {exc}") from None

    def _answer(self, query: PreparedQuery, subs: dict, name: str | None) -> QueryResult:
        bindings = {k.value: v for k, v in subs.items()}
        check_query_limits(query.text)  # a deeply nested query would overflow Oxigraph's stack (a segfault)
        try:
            answer = self.store.query(query.text, use_default_graph_as_union=True, substitutions=subs or None,
                                      custom_functions=self.functions)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except RuntimeError as exc:
            if "SELECT projection" in str(exc):
                missing = [f"?{k}" for k in bindings if bindings[k] is not None
                           and query.projection is not None and k not in query.projection]
                raise QueryError(f"parameter variable(s) {', '.join(missing) or '?_…'} must be listed in the "
                                 "SELECT clause (they are bound by substitution, then hidden from the result)") from None
            raise QueryError(f"query failed: {exc}") from None
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult.from_boolean(bool(answer), query=name, backend=self.name)
        if isinstance(answer, ox.QueryTriples):
            rows = sorted(([from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)]
                           for t in answer), key=lambda r: [c.key() for c in r if c is not None])
            return QueryResult.from_terms(["subject", "predicate", "object"], rows, query=name, backend=self.name)
        columns = [v.value for v in answer.variables]
        width = range(len(columns))
        rows = [[from_oxigraph(sol[i]) for i in width] for sol in answer]
        return QueryResult.from_terms(columns, rows, query=name, backend=self.name)
