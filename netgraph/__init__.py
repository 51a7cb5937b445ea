"""netgraph: an open knowledge graph of neuroendocrine neoplasms with a semantic query layer.

>>> import netgraph
>>> netgraph.__version__
'0.1.0'

The public API is imported lazily, so ``import netgraph`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import RELEASE_DATE, __version__
from .errors import (
    BuildError,
    CurationError,
    EndpointError,
    IdentifierError,
    InputError,
    MissingDependencyError,
    NetgraphError,
    GradingInputError,
    ParameterError,
    QueryError,
    StaleFileError,
)

#: public name -> module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "build": "netgraph.build",
    "compile_project": "netgraph.build",
    "BuildResult": "netgraph.build",
    "project_paths": "netgraph.paths",
    "expand": "netgraph.prefixes",
    "compress": "netgraph.prefixes",
    "prefix_map": "netgraph.prefixes",
    "load_catalogue": "netgraph.catalogue",
    "CannedQuery": "netgraph.catalogue",
    # query layer (netgraph.api)
    "open_graph": "netgraph.api",
    "KnowledgeGraph": "netgraph.api",
    "QueryResult": "netgraph.results",
    # validation (netgraph.validation)
    "validate": "netgraph.validation",
    "ValidationReport": "netgraph.validation",
    # crosswalk (netgraph.crosswalk)
    "resolve": "netgraph.crosswalk",
    "link": "netgraph.crosswalk",
    "Resolution": "netgraph.crosswalk",
    # stores (netgraph.stores)
    "export": "netgraph.stores",
    "release": "netgraph.stores",
    "push_to_endpoint": "netgraph.stores",
    # grading (netgraph.grading)
    "grade": "netgraph.grading",
    "GradeAnswer": "netgraph.grading",
}

__all__ = [
    "__version__",
    "RELEASE_DATE",
    "NetgraphError",
    "CurationError",
    "BuildError",
    "StaleFileError",
    "IdentifierError",
    "InputError",
    "MissingDependencyError",
    "GradingInputError",
    "QueryError",
    "ParameterError",
    "EndpointError",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'netgraph' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
