"""Validation: SHACL shapes, QC queries and OWL reasoning behind one :func:`validate`.

>>> from netgraph.validation import validate, ValidationReport
>>> callable(validate)
True

``validate()`` checks the built graph; ``validate(["my-extension.ttl"])``
checks a user's files together with netgraph's ontology and data. The
:class:`ValidationReport` prints as text, JSON or a SHACL report graph.
"""

from __future__ import annotations

from .reasoner import ReasonerResult, ReasonerUnavailable, run_reasoner, write_inferred
from .report import Finding, ValidationReport
from .runner import load_graphs, validate, validate_graphs
from .shapes import shapes_graph

__all__ = [
    "validate",
    "validate_graphs",
    "load_graphs",
    "ValidationReport",
    "Finding",
    "shapes_graph",
    "run_reasoner",
    "write_inferred",
    "ReasonerResult",
    "ReasonerUnavailable",
]
