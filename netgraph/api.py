"""netgraph's query API: open the graph, list the catalogue, run a canned query or raw SPARQL.

>>> import netgraph
>>> kg = netgraph.open_graph()                      # embedded Oxigraph, from the packaged Turtle
>>> rows = kg.query("tumours-secreting-hormone", hormone="insulin")
>>> "netgraph:Insulinoma" in rows.column("tumour")
True

The same call works on an rdflib graph you already have (``open_graph(graph)``)
and on any SPARQL 1.1 endpoint (``open_graph(endpoint="http://…/query")``), and
returns the same rows. Parameters are typed by the query's header and bound,
never pasted into the query text.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any
from collections.abc import Mapping

from .backends import Backend
from .catalogue import CannedQuery, load_catalogue, load_query, parse_query_text
from .errors import ParameterError, QueryError
from .params import EntityResolver, bind_parameters, check_term, coerce_iri, coerce_string
from .results import QueryResult
from .sparqltext import PreparedQuery, prepare
from .terms import IRI, Term
from .paths import Root

if TYPE_CHECKING:
    from .stores.http import Auth

__all__ = ["open_graph", "KnowledgeGraph", "BACKENDS"]

BACKENDS = ("embedded", "rdflib", "remote")


class KnowledgeGraph:
    """The netgraph knowledge graph behind one backend, with the catalogue of canned queries."""

    def __init__(self, backend: Backend, *, root: Root = None):
        self.backend = backend
        self.root = root
        self._resolver = EntityResolver(self._lookup, index_labels=backend.slow_filters, label_index=backend.label_index)

    # -- catalogue ----------------------------------------------------------------------

    @property
    def catalogue(self) -> dict[str, CannedQuery]:
        """The user-facing canned queries by name (QC checks excluded)."""
        return load_catalogue(self.root, qc=False)

    def canned(self, name: str) -> CannedQuery:
        """One canned query by name (QC checks, ``qc/…``, included); a clear error when unknown."""
        one = load_query(self.root, name)
        if one is not None:
            return one
        queries = load_catalogue(self.root, qc=None)
        if name in queries:
            return queries[name]
        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"no canned query named {name!r}{hint} (`netgraph queries` lists them)")

    # -- running ------------------------------------------------------------------------

    def query(self, name: str, params: Mapping[str, Any] | None = None, /, **kwargs: Any) -> QueryResult:
        """Run a canned query; parameters as a mapping and/or keywords (CLI text or Python values)."""
        q = self.canned(name)
        given = {**(params or {}), **kwargs}
        terms = bind_parameters(q.params, given, self._resolver, query=f"query {name!r}")
        prepared = prepare(q.text, strict=True)
        return self._run(prepared, terms, name)

    def query_text(self, name: str, params: Mapping[str, Any] | None = None, /, **kwargs: Any) -> str:
        """The exact SPARQL text :meth:`query` sends to an endpoint: the prolog, the query, the bound ``VALUES``.

        Parameters are resolved and bound as for :meth:`query` (a label is looked
        up in this graph), but the query itself is not run.
        """
        from .backends.remote import bound_query_text

        q = self.canned(name)
        given = {**(params or {}), **kwargs}
        terms = bind_parameters(q.params, given, self._resolver, query=f"query {name!r}")
        return bound_query_text(prepare(q.text, strict=True), {f"_{k}": v for k, v in terms.items()})

    def sparql(self, text: str, params: Mapping[str, Any] | None = None, /, **kwargs: Any) -> QueryResult:
        """Run raw SPARQL (SELECT, ASK, CONSTRUCT or DESCRIBE); the prefix prolog is added for you.

        Parameters bind the query's ``?_name`` variables. With a ``#+`` header the
        header's types apply; without one, an IRI or a CURIE of the prefix map binds
        as an IRI and anything else as a string.
        """
        given = {**(params or {}), **kwargs}
        prepared = prepare(text)
        if text.lstrip().startswith("#+"):
            q = parse_query_text(text, "ad-hoc query")
            terms = bind_parameters(q.params, given, self._resolver, query="the query")
        else:
            terms = _untyped(prepared, given)
        return self._run(prepared, terms, None)

    def resolve(self, value: Any) -> IRI:
        """The entity an IRI, CURIE, id or label names (a :class:`ParameterError` lists candidates)."""
        return self._resolver.resolve(value)

    def _run(self, prepared: PreparedQuery, terms: Mapping[str, Term | None], name: str | None) -> QueryResult:
        bindings = {f"_{k}": (check_term(v) if v is not None else None) for k, v in terms.items()}
        missing = [k for k, v in bindings.items() if v is not None and k not in prepared.parameters]
        if missing:  # pragma: no cover - the catalogue's own checks prevent this for canned queries
            raise QueryError(f"the query does not use parameter variable(s) {', '.join('?' + m for m in missing)}")
        return self.backend.run(prepared, bindings, name=name)

    def _lookup(self, text: str, bindings: Mapping[str, Term]) -> list[dict[str, Term | None]]:
        result = self.backend.run(prepare(text), bindings, name="entity lookup")
        return [dict(zip(result.columns, row, strict=True)) for row in result]

    # -- lifetime -----------------------------------------------------------------------

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph on {self.backend.describe()}>"


def _untyped(prepared: PreparedQuery, given: Mapping[str, Any]) -> dict[str, Term | None]:
    names = [p[1:] for p in prepared.parameters]
    unknown = [k for k in given if k not in names]
    if unknown:
        raise ParameterError(f"the query has no parameter variable ?_{unknown[0]}; its parameters: "
                             + (", ".join(names) or "none"))
    out: dict[str, Term | None] = {}
    for k, v in given.items():
        if isinstance(v, Term):
            out[k] = v
            continue
        try:
            out[k] = coerce_iri(v)
        except ParameterError:
            out[k] = coerce_string(v)
    return out


def open_graph(graph: Any = None, *, endpoint: str | None = None, backend: str | Backend | None = None,
               root: Root = None, timeout: float = 30.0, retries: int = 2, auth: Auth | None = None) -> KnowledgeGraph:
    """Open the knowledge graph on a backend.

    - ``open_graph()``: the embedded Oxigraph store, built in memory from the packaged Turtle;
    - ``open_graph(endpoint=URL)``: a SPARQL 1.1 endpoint (``timeout`` seconds, ``retries`` on
      transient errors, ``auth`` a :class:`netgraph.stores.http.Auth` for basic/digest/bearer);
    - ``open_graph(graph)``: an rdflib ``Graph``/``Dataset`` you already have, or a pyoxigraph ``Store``;
    - ``open_graph(backend="rdflib")``: the packaged Turtle in an rdflib ``Dataset`` (for comparisons);
    - ``root``: another project tree (its Turtle and its ``queries/``).
    """
    if isinstance(backend, Backend):
        return KnowledgeGraph(backend, root=root)
    if isinstance(graph, str) and graph.startswith(("http://", "https://")):
        graph, endpoint = None, graph
    if backend not in (None, *BACKENDS):
        raise QueryError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    if endpoint is not None or backend == "remote":
        if endpoint is None:
            raise QueryError("the remote backend needs an endpoint URL")
        from .backends.remote import RemoteBackend

        return KnowledgeGraph(RemoteBackend(endpoint, timeout=timeout, retries=retries, auth=auth), root=root)
    if graph is not None and type(graph).__module__.startswith("pyoxigraph"):
        from .backends.embedded import EmbeddedBackend

        return KnowledgeGraph(EmbeddedBackend(graph), root=root)
    if graph is not None or backend == "rdflib":
        from .backends.rdflib import RdflibBackend

        return KnowledgeGraph(RdflibBackend(graph, root=root), root=root)
    from .backends.embedded import EmbeddedBackend

    return KnowledgeGraph(EmbeddedBackend(root=root), root=root)

