"""Optional dependencies: import one on first use, or say which extra brings it.

The query layer (``pip install netgraph-kg``) needs rdflib, pyoxigraph, click and
PyYAML only. Validation needs pySHACL and owlready2 (``[validate]``); ``netgraph
serve`` needs the Oxigraph server and h11 (``[serve]``). A missing one is a
:class:`~netgraph.errors.MissingDependencyError` naming the ``pip install`` line
(exit 2 in the CLI), never an ``ImportError`` traceback.

>>> require("json", "a doctest").dumps([1])
'[1]'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingDependencyError

__all__ = ["EXTRAS", "require"]

#: the extra of pyproject.toml that brings each optional top-level module
EXTRAS: dict[str, str] = {
    "pyshacl": "validate",
    "owlready2": "validate",
    "h11": "serve",
    "pandas": "pandas",
}


def require(module: str, purpose: str) -> ModuleType:
    """``module`` imported; a :class:`MissingDependencyError` naming its extra when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.partition(".")[0]
        extra = EXTRAS.get(top)
        how = f"pip install 'netgraph-kg[{extra}]'" if extra else f"pip install {top}"
        raise MissingDependencyError(f"{purpose} needs {top}, which is not installed here ({exc}): {how}") from exc
