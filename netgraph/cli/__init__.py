"""The `netgraph` command line: a thin layer over the library.

Subcommands are imported only when invoked, so `netgraph query …` does not pay
for rdflib, pySHACL or owlready2 at start-up. Every :class:`NetgraphError` is
printed as one clear message on stderr with its exit code (2 for bad input,
1 for "ran, found problems"), never as a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Any

import click

from .._version import __version__
from ..errors import NetgraphError
from .options import verbosity_options

__all__ = ["main", "COMMANDS"]

#: command name -> "module:attribute" of its click command (one line per command).
COMMANDS: dict[str, str] = {
    "build": "netgraph.cli.build_cmd:build_command",
    "coverage": "netgraph.cli.coverage_cmd:coverage_command",
    "validate": "netgraph.cli.validate_cmd:validate_command",
    "reason": "netgraph.cli.validate_cmd:reason_command",
    "queries": "netgraph.cli.query_cmd:queries_command",
    "query": "netgraph.cli.query_cmd:query_command",
    "sparql": "netgraph.cli.query_cmd:sparql_command",
    "resolve": "netgraph.cli.mapping_cmd:resolve_command",
    "link": "netgraph.cli.mapping_cmd:link_command",
    "export": "netgraph.cli.store_cmd:export_command",
    "release": "netgraph.cli.store_cmd:release_command",
    "load": "netgraph.cli.store_cmd:load_command",
    "serve": "netgraph.cli.store_cmd:serve_command",
    "records": "netgraph.cli.records_cmd:records_group",
    "grade": "netgraph.cli.grade_cmd:grade_command",
}


class LazyGroup(click.Group):
    """A click group that imports each subcommand on first use, and the one exit path of every command.

    A command returns its exit code (``None`` is 0; 1 for "ran, found problems") and raises
    :class:`NetgraphError` for bad input; here the error becomes ``error: message`` on stderr and its
    exit code (2), never a traceback, and the return value becomes the process's exit status.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if importlib.util.find_spec(COMMANDS[name].partition(":")[0]))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        if importlib.util.find_spec(module) is None:
            return None
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            code = super().invoke(ctx)
        except NetgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            code = exc.exit_code
        except BrokenPipeError:
            # the reader went away (`netgraph query … | head`): stop quietly, like other Unix tools
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            code = 1
        except OSError as exc:
            # a file the user named cannot be read or written (e.g. `-o` into a missing directory)
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            code = 2
        if code:
            ctx.exit(code)
        return None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netgraph")
@verbosity_options
def main() -> None:
    """netgraph: a knowledge graph of neuroendocrine neoplasms, with cited facts and canned SPARQL queries.

    -v and -q (here or after the command) set how much goes to stderr; results go to stdout.
    Exit codes: 0 done, 1 ran and found problems (findings, a stale file), 2 bad input or a failure.
    """


if __name__ == "__main__":  # pragma: no cover
    main()
