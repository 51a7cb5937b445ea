"""netgraph's exception hierarchy.

Every error a user can cause derives from :class:`NetgraphError`; the CLI turns
them into a one-paragraph message and an exit code, never a traceback.
"""

from __future__ import annotations

import os

__all__ = [
    "NetgraphError",
    "CurationError",
    "BuildError",
    "ShapeCompileError",
    "StaleFileError",
    "IdentifierError",
    "QueryError",
    "ParameterError",
    "EndpointError",
    "InputError",
    "GradingInputError",
]


class NetgraphError(Exception):
    """Base class of every error netgraph raises on purpose."""

    exit_code = 2


class CurationError(NetgraphError):
    """A curated table is malformed: names the file, the line and the problem."""

    def __init__(self, path: str | os.PathLike, line: int | None, problem: str, hint: str | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.hint = hint
        where = f"{self.path}:{line}" if line is not None else self.path
        msg = f"{where}: {problem}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


class BuildError(NetgraphError):
    """The build could not complete (nothing was written)."""


class ShapeCompileError(BuildError):
    """A SHACL shape uses a construct the SPARQL compiler has no translation for (never silently skipped)."""


class StaleFileError(NetgraphError):
    """``build --check`` found committed emitted files that differ from a fresh build."""

    exit_code = 1

    def __init__(self, stale: list[str]):
        self.stale = stale
        super().__init__(
            "stale emitted file(s): " + ", ".join(stale) + "; run `netgraph build` and commit the result"
        )


class IdentifierError(NetgraphError, ValueError):
    """An identifier (CURIE, IRI, code) is malformed or unknown."""


class InputError(NetgraphError):
    """A user-supplied file cannot be read or parsed."""


class QueryError(NetgraphError):
    """A query is unknown, malformed, or failed on its backend."""


class ParameterError(QueryError, ValueError):
    """A query parameter is missing, of the wrong type, or ambiguous."""


class EndpointError(QueryError):
    """A remote SPARQL endpoint failed; the message says what it answered."""


class GradingInputError(InputError, ValueError):
    """A value given to ``netgraph grade`` is not a number, or outside the index's range (exit 2)."""
