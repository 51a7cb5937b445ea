"""The command line's options, each declared once, so every command spells and types them alike.

=======================  =====================================================
option                   meaning, wherever it appears
=======================  =====================================================
``--root DIR``           the project tree (default: this checkout or the package)
``-v`` / ``-q``          more / less on stderr (:mod:`netgraph.cli.verbosity`)
``--progress/--no-…``    the progress line (default: on a terminal)
``-f/--format FMT``      the output format, on every command that writes output
``-o/--output PATH``     where the output goes (default or ``-``: stdout), atomically
``--timeout SECONDS``    per request; ``--timeout-s`` is its deprecated spelling
``--retries N``          retries of a request after a transient failure
``--endpoint URL``       a SPARQL 1.1 query endpoint
``--graph-store`` …      where and how ``load`` writes (:func:`store_load_options`)
=======================  =====================================================

The authentication options live in :mod:`netgraph.cli.auth_options`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from .verbosity import record_verbosity

__all__ = ["root_option", "verbosity_options", "progress_option", "common_options", "format_option",
           "output_option", "timeout_option", "retries_option", "endpoint_option", "store_load_options",
           "to_stdout", "write_text", "SECONDS", "DEPRECATED_ALIASES"]

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

#: A positive number of seconds, the type of every time limit.
SECONDS = click.FloatRange(min=0, min_open=True)
#: Old spellings still accepted (hidden from --help, with a warning): old -> new.
DEPRECATED_ALIASES = {"--timeout-s": "--timeout"}



def root_option(fn: F) -> F:
    """--root DIR: the project tree (its tables, built graph and queries/)."""
    return click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
                        help="Project tree to use: its tables, built graph and queries/ (default: this checkout, "
                             "else the installed package).")(fn)


def verbosity_options(fn: F) -> F:
    """-v/--verbose (repeatable) and -q/--quiet; they add to the same options given before the command."""
    fn = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=record_verbosity,
                      help="Quiet: no progress, warning or summary (results and errors still).")(fn)
    fn = click.option("-v", "--verbose", count=True, expose_value=False, callback=record_verbosity,
                      help="Say more on stderr: -v what is being done, -vv debugging detail.")(fn)
    return fn


def progress_option(fn: F) -> F:
    """--progress/--no-progress (the decision is read with :func:`~netgraph.cli.verbosity.make_progress`)."""
    return click.option("--progress/--no-progress", default=None, expose_value=False, callback=record_verbosity,
                        help="Show a progress line on stderr (default: only when stderr is a terminal; -q turns "
                             "it off).")(fn)


def common_options(fn: F) -> F:
    """--root, -v and -q: what every command that reads the project takes."""
    return root_option(verbosity_options(fn))


def format_option(choices: Sequence[str], *, default: str | None = None, required: bool = False,
                  help: str = "Output format.") -> Callable[[F], F]:
    """-f/--format (parameter ``fmt``) with the command's choices."""
    return click.option("-f", "--format", "fmt", type=click.Choice(list(choices)), default=default, required=required,
                        show_default=default is not None, help=help)


def output_option(*, help: str = "Write the output here (atomically) instead of standard output; - for stdout.",
                  required: bool = False, directory: bool = False) -> Callable[[F], F]:
    """-o/--output (parameter ``output``); ``directory=True`` also accepts a directory."""
    return click.option("-o", "--output", type=click.Path(dir_okay=directory, allow_dash=True), default=None,
                        required=required, help=help)


def to_stdout(output: str | None) -> bool:
    """True when ``-o`` names no file (absent, or ``-``)."""
    return output is None or output == "-"


def write_text(text: str, output: str | None) -> None:
    """``text`` to standard output, or atomically into the file ``-o`` names."""
    if output is None or output == "-":
        click.echo(text, nl=False)
    else:
        from ..atomic import write_atomic

        write_atomic(output, text.encode("utf-8"))


def timeout_option(default: float, help: str) -> Callable[[F], F]:
    """--timeout SECONDS (parameter ``timeout``), and its old spelling --timeout-s, hidden and deprecated."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            old = kwargs.pop("timeout_s_alias", None)
            if old is not None:
                log.warning("--timeout-s is deprecated; use --timeout")
                ctx = click.get_current_context()
                given = ctx.get_parameter_source("timeout") == click.core.ParameterSource.COMMANDLINE
                if given and kwargs["timeout"] != old:
                    raise click.UsageError("--timeout-s is the old spelling of --timeout; give one of them")
                kwargs["timeout"] = old
            return fn(*args, **kwargs)

        opt = click.option("--timeout-s", "timeout_s_alias", type=SECONDS, default=None, hidden=True,
                           help="Deprecated spelling of --timeout.")
        new = click.option("--timeout", type=SECONDS, default=default, show_default=True, metavar="SECONDS",
                           help=help)
        return new(opt(wrapper))  # type: ignore[return-value]

    return decorate


def retries_option(fn: F) -> F:
    """--retries N."""
    return click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
                        help="Retries of a request after a transient failure (connection refused or reset, HTTP "
                             "429/502/503/504).")(fn)


def endpoint_option(*, required: bool = False, help: str) -> Callable[[F], F]:
    """--endpoint URL (a SPARQL 1.1 query endpoint)."""
    return click.option("--endpoint", metavar="URL", default=None, required=required, help=help)


def store_load_options(fn: F) -> F:
    """--graph-store, --update-endpoint, --method, --chunk-size: how `load` and `records load` write into a store."""
    fn = click.option("--chunk-size", type=click.IntRange(min=1), default=None,
                      help="Triples per request (default: per store, e.g. 10000 by gsp, 1000 by update into "
                           "Virtuoso).")(fn)
    fn = click.option("--method", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
                      help="gsp: PUT/POST to the Graph Store endpoint; update: DROP + INSERT DATA by SPARQL "
                           "Update.")(fn)
    fn = click.option("--update-endpoint", metavar="URL", default=None,
                      help="SPARQL Update endpoint, for --method update (default for Oxigraph: …/update).")(fn)
    fn = click.option("--graph-store", metavar="URL", default=None,
                      help="Graph Store HTTP Protocol endpoint (default for Oxigraph: …/store beside …/query).")(fn)
    return fn
