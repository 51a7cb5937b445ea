"""netgraph's exception hierarchy.

Every error a user can cause derives from :class:`NetgraphError`; the CLI turns
them into a one-paragraph message and an exit code, never a traceback.
"""

from __future__ import annotations

import os

__all__ = [
    "NetgraphError",
    "CurationError",
    "CurationErrors",
    "BuildError",
    "ShapeCompileError",
    "StaleFileError",
    "IdentifierError",
    "QueryError",
    "ParameterError",
    "EndpointError",
    "InputError",
    "GradingInputError",
    "SharedFolderError",
    "MissingDependencyError",
    "ReasonerUnavailable",
    "ValidatorError",
    "InconsistentOntologyError",
    "ServerStartError",
    "TransportError",
    "RequestTimeout",
    "HttpStatusError",
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


class CurationErrors(CurationError):
    """Several curated rows are malformed: every problem, each with its file and line.

    ``errors`` holds them all; the path, line, problem and hint attributes are the first one's.
    The message lists up to ``limit`` of them, one a line, and counts the rest.
    """

    def __init__(self, errors: list[CurationError], limit: int = 50):
        first = errors[0]
        super().__init__(first.path, first.line, first.problem, first.hint)
        self.errors = list(errors)
        lines = [f"{len(errors)} problems in the curated inputs (nothing was written):"]
        lines += [f"  {e}" for e in errors[:limit]]
        if len(errors) > limit:
            lines.append(f"  … and {len(errors) - limit} more")
        self.args = ("\n".join(lines),)


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


class SharedFolderError(InputError):
    """The shared curation folder (``../shared`` or ``NETGRAPH_SHARED``) is needed and was not found."""


class MissingDependencyError(NetgraphError, ImportError):
    """An optional package (or program) is not installed; the message names what to install.

    netgraph's query layer needs only rdflib, pyoxigraph, click and PyYAML; validation
    needs the ``[validate]`` extra (pySHACL, owlready2), ``netgraph serve`` the ``[serve]`` extra.
    """


class ReasonerUnavailable(MissingDependencyError):
    """The reasoner cannot run here (no Java runtime); ``validate`` reports the check as skipped."""


class ValidatorError(NetgraphError):
    """A validator (pySHACL, the HermiT reasoner) failed to run: not a finding about the graph, a failure to check it."""


class InconsistentOntologyError(NetgraphError):
    """``netgraph reason``: the ontology is inconsistent, or has unsatisfiable classes, under the reasoner."""


class ServerStartError(NetgraphError):
    """The local SPARQL engine behind ``netgraph serve`` did not start (it exited, or did not answer in time)."""


class QueryError(NetgraphError):
    """A query is unknown, malformed, or failed on its backend."""


class ParameterError(QueryError, ValueError):
    """A query parameter is missing, of the wrong type, or ambiguous."""


class EndpointError(QueryError):
    """A remote SPARQL endpoint failed; the message says what it answered."""


class TransportError(EndpointError):
    """The store could not be reached, or the connection broke (raised by :mod:`netgraph.stores.http`)."""

    def __init__(self, message: str, *, refused: bool = False, attempts: int = 1) -> None:
        super().__init__(message)
        self.refused, self.attempts = refused, attempts


class RequestTimeout(TransportError):
    """The request did not finish before its deadline."""

    def __init__(self, url: str, timeout: float) -> None:
        super().__init__(f"{url} did not answer within {timeout:g} s")
        self.url, self.timeout = url, timeout


class HttpStatusError(EndpointError):
    """The store answered with an HTTP error status."""

    def __init__(self, url: str, status: int, body: str, reason: str = "", attempts: int = 1) -> None:
        self.url, self.status, self.body, self.reason, self.attempts = url, status, body, reason, attempts
        self.retry_after: float | None = None  # seconds, from a Retry-After header
        super().__init__(f"{url} answered HTTP {status}{' ' + reason if reason else ''}: {body or '(no message)'}")


class GradingInputError(InputError, ValueError):
    """A value given to ``netgraph grade`` is not a number, or outside the index's range (exit 2)."""
