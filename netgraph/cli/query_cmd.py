"""`netgraph queries`, `netgraph query NAME`, `netgraph sparql FILE|-`: thin commands over :mod:`netgraph.api`."""

from __future__ import annotations

import sys

import click

from ..errors import InputError
from .options import common_options, format_option, output_option, write_text
from .query_options import emit, graph_options, open_from_options, output_options, parameter_option, parse_params

__all__ = ["queries_command", "query_command", "sparql_command"]


@click.command("queries")
@format_option(["table", "csv", "tsv", "json", "markdown"],
               help="Output format (default: a table on a terminal, tsv on a pipe); markdown prints docs/queries.md.")
@output_option()
@common_options
def queries_command(fmt: str | None, output: str | None, root: str | None) -> None:
    """List the canned queries: name, parameters and summary.

    Run one with `netgraph query NAME --param KEY=VALUE`.
    """
    from ..catalogue import load_catalogue
    from ..catalogue_docs import catalogue_result, render_markdown

    catalogue = load_catalogue(root, qc=False)
    if fmt == "markdown":
        write_text(render_markdown(catalogue), output)
        return
    emit(catalogue_result(catalogue), fmt, False, output)


@click.command("query")
@click.argument("name")
@parameter_option
@graph_options
@output_options
@click.option("--show-query", is_flag=True,
              help="Print the exact SPARQL text sent to an endpoint (prolog, query, parameters bound in a VALUES "
                   "block) and exit without running it.")
def query_command(name: str, params: tuple[str, ...], endpoint: str | None, timeout: float, retries: int,
                  root: str | None, fmt: str | None, output: str | None, iris: bool, show_query: bool) -> None:
    """Run the canned query NAME (see `netgraph queries`).

    \b
    Parameters are typed by the query: an entity is an IRI, a CURIE
    (netgraph:Insulinoma, ORPHA:97253) or a label in any language
    (--param tumour=insulinoma). Exit codes: 0 done, 2 bad input or a failed query.
    """
    given = parse_params(params)
    with open_from_options(endpoint, timeout, retries, root) as kg:
        if show_query:
            write_text(kg.query_text(name, given).rstrip("\n") + "\n", output)
            return
        result = kg.query(name, given)
    emit(result, fmt, iris, output)


@click.command("sparql")
@click.argument("file", metavar="FILE|-")
@parameter_option
@graph_options
@output_options
def sparql_command(file: str, params: tuple[str, ...], endpoint: str | None, timeout: float, retries: int,
                   root: str | None, fmt: str | None, output: str | None, iris: bool) -> None:
    """Run an ad-hoc SPARQL query from FILE (or standard input with -).

    The PREFIX prolog of the prefix map is added for the prefixes the query
    uses. --param KEY=VALUE binds the query's ?_KEY variable (typed by a '#+'
    header if the query has one).
    """
    text = _read_query(file)
    given = parse_params(params)
    with open_from_options(endpoint, timeout, retries, root) as kg:
        result = kg.sparql(text, given)
    emit(result, fmt, iris, output)


def _read_query(file: str) -> str:
    if file == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(file, encoding="utf-8") as fh:
                text = fh.read()
        except FileNotFoundError:
            raise InputError(f"{file}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{file}: cannot read: {exc}") from None
    if not text.strip():
        raise InputError(f"{'standard input' if file == '-' else file}: the query is empty")
    return text
