"""Options shared by the query commands (`query`, `sparql`, `coverage`), declared once."""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

import click

from ..errors import ParameterError
from ..results import FORMATS
from .auth_options import auth_from_context, auth_options

if TYPE_CHECKING:
    from ..api import KnowledgeGraph

__all__ = ["graph_options", "output_options", "parameter_option", "parse_params", "open_from_options", "emit",
           "default_format"]


def graph_options(fn: Callable) -> Callable:
    """--endpoint, --timeout, --retries, --root, and --user/--password/--token/--auth for the endpoint."""
    fn = auth_options(expose=False)(fn)
    fn = click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
                      help="Project tree whose Turtle and queries/ to use (default: this checkout or the package).")(fn)
    fn = click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
                      help="Retries on transient endpoint errors (connection refused, HTTP 429/502/503/504).")(fn)
    fn = click.option("--timeout", type=click.FloatRange(min=0.001), default=30.0, show_default=True,
                      help="Seconds to wait for the endpoint (a timeout is an error, never an empty result).")(fn)
    fn = click.option("--endpoint", metavar="URL", default=None,
                      help="Query this SPARQL 1.1 endpoint instead of the embedded store.")(fn)
    return fn


def output_options(fn: Callable) -> Callable:
    """--format, --iris."""
    fn = click.option("--iris", is_flag=True, help="Print full IRIs instead of CURIEs.")(fn)
    fn = click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
                      help="Output format (default: a table on a terminal, tsv on a pipe); sparql-json is "
                           "SPARQL 1.1 Query Results JSON (full IRIs, language tags and datatypes kept).")(fn)
    return fn


def parameter_option(fn: Callable) -> Callable:
    """-p/--param KEY=VALUE (repeatable)."""
    return click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
                        help="A query parameter (repeatable); see `netgraph queries` for each query's parameters.")(fn)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("a=1", "b=x=y")`` -> ``{"a": "1", "b": "x=y"}``; a clear error for anything else."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"--param {pair!r}: expected KEY=VALUE (for example --param tumour=insulinoma)")
        if key in out:
            raise ParameterError(f"--param {key} is given twice")
        out[key] = value
    return out


def open_from_options(endpoint: str | None, timeout: float, retries: int, root: str | None) -> KnowledgeGraph:
    from ..api import open_graph

    auth = auth_from_context() if endpoint else None
    return open_graph(endpoint=endpoint, timeout=timeout, retries=retries, root=root, auth=auth)


def default_format(fmt: str | None) -> str:
    if fmt:
        return fmt
    return "table" if sys.stdout.isatty() else "tsv"


def emit(result: Any, fmt: str | None, iris: bool) -> None:
    """Print a result: a table fitted to the terminal, or a machine format."""
    fmt = default_format(fmt)
    if fmt == "table":
        width = shutil.get_terminal_size((120, 24)).columns
        click.echo(result.to_table(width, iris=iris, compact=True), nl=False)
        n = len(result)
        click.echo(f"({n} row{'s' if n != 1 else ''})")
    else:
        click.echo(result.render(fmt, iris=iris), nl=False)
