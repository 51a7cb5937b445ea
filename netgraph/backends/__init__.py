"""Query backends: one interface, several engines, the same rows.

=============  ==============================================  =====================================
backend        engine                                          parameters bound by
=============  ==============================================  =====================================
``embedded``   pyoxigraph (Oxigraph) in memory, from the        ``substitutions`` (SEP-0007)
               packaged Turtle; the default, no server
``rdflib``     a user's rdflib ``Graph`` / ``Dataset``           ``initBindings``
``remote``     any SPARQL 1.1 endpoint, by netgraph.stores.http  a ``VALUES`` block of escaped terms
=============  ==============================================  =====================================

Each backend runs a :class:`~netgraph.sparqltext.PreparedQuery` with a mapping
of parameter name to :mod:`netgraph.terms` term and returns a
:class:`~netgraph.results.QueryResult`. The default graph is the union of the
named graphs on every backend, so queries need no ``GRAPH`` clauses. A backend
module is imported only when used (the embedded path never imports rdflib).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..results import QueryResult
from ..sparqltext import PreparedQuery
from ..terms import Term

if TYPE_CHECKING:
    from ..labelindex import LabelIndex

__all__ = ["Backend"]


class Backend(ABC):
    """A SPARQL engine that netgraph's queries can run on."""

    #: short name: "embedded", "rdflib" or "remote"
    name: str = ""
    #: True when FILTER is slow on this engine: entity labels are then matched in Python
    slow_filters: bool = False
    #: the prebuilt store's label index (:mod:`netgraph.labelindex`), when the backend has one
    label_index: LabelIndex | None = None

    @abstractmethod
    def run(self, query: PreparedQuery, bindings: Mapping[str, Term | None], *, name: str | None = None) -> QueryResult:
        """Run a prepared query with its parameters bound (a value of ``None`` is left unbound)."""

    def describe(self) -> str:
        """One line saying what this backend queries."""
        return self.name

    def close(self) -> None:  # noqa: B027 - a no-op default; a backend that holds something overrides it
        """Release what the backend holds (nothing, by default)."""
