"""Options shared by the query commands (`query`, `sparql`, `coverage`), declared once."""

from __future__ import annotations

import shutil
import sys
from typing import Any

import click

from ..errors import ParameterError
from ..results import FORMATS
from .auth_options import auth_from_context, auth_options
from .options import (F, common_options, endpoint_option, format_option, output_option, retries_option, timeout_option,
                      to_stdout, write_text)

__all__ = ["graph_options", "output_options", "parameter_option", "parse_params", "open_from_options", "emit",
           "default_format"]


def graph_options(fn: F) -> F:
    """--endpoint, --timeout, --retries, --root, -v/-q, and --user/--password/--token/--auth for the endpoint."""
    fn = auth_options(expose=False)(fn)
    fn = common_options(fn)
    fn = retries_option(fn)
    fn = timeout_option(30.0, "Seconds to wait for the endpoint (a timeout is an error, never an empty result).")(fn)
    fn = endpoint_option(help="Query this SPARQL 1.1 endpoint instead of the embedded store.")(fn)
    return fn


def output_options(fn: F) -> F:
    """-f/--format, -o/--output, --iris."""
    fn = click.option("--iris", is_flag=True, help="Print full IRIs instead of CURIEs.")(fn)
    fn = output_option()(fn)
    fn = format_option(list(FORMATS), help="Output format (default: a table on a terminal, tsv on a pipe or into "
                                           "-o); sparql-json is SPARQL 1.1 Query Results JSON (full IRIs, "
                                           "language tags and datatypes kept).")(fn)
    return fn


def parameter_option(fn: F) -> F:
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


def open_from_options(endpoint: str | None, timeout: float, retries: int, root: str | None) -> Any:
    from ..api import open_graph

    auth = auth_from_context() if endpoint else None
    return open_graph(endpoint=endpoint, timeout=timeout, retries=retries, root=root, auth=auth)


def default_format(fmt: str | None, output: str | None = None) -> str:
    """The format asked for; else a table on a terminal, tsv on a pipe or into a file."""
    if fmt:
        return fmt
    return "table" if to_stdout(output) and sys.stdout.isatty() else "tsv"


def emit(result: Any, fmt: str | None, iris: bool, output: str | None = None) -> None:
    """Print a result (or write it to ``output``): a table fitted to the terminal, or a machine format."""
    fmt = default_format(fmt, output)
    if fmt == "table":
        width = shutil.get_terminal_size((120, 24)).columns if to_stdout(output) else 120
        n = len(result)
        write_text(result.to_table(width, iris=iris, compact=True) + f"({n} row{'s' if n != 1 else ''})\n", output)
    else:
        write_text(result.render(fmt, iris=iris), output)
