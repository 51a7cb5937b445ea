"""`netgraph records`: check registry case records against the knowledge graph."""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path
from collections.abc import Iterator
from typing import Any, TextIO, cast

import click

from ..errors import InputError
from .auth_options import auth_options, make_auth
from .options import (F, common_options, endpoint_option, format_option, output_option, progress_option,
                      retries_option, store_load_options, timeout_option, write_text)
from .verbosity import is_quiet, make_progress

__all__ = ["records_group"]

log = logging.getLogger(__name__)

_COLUMNS = click.option("--columns", "columns", type=click.Path(dir_okay=False, exists=True), default=None,
                        metavar="MAP.yaml", help="A column map adapting another registry's header and value codes.")
_DELIMITER = click.option("-d", "--delimiter", default=None, metavar="CHAR",
                          help="Field delimiter (default: tab for .tsv/.tab files, comma otherwise; 'tab' for a tab).")


@click.group("records")
def records_group() -> None:
    """Check registry case records (one row per tumour) against the knowledge graph.

    The record format, the rules with their citations and the column map are
    documented in docs/records.md. Records never leave the machine.
    """


def _store_options(fn: F) -> F:
    """--graph, --knowledge-graph, --timeout, --retries and the authentication options, for a remote store."""
    fn = auth_options(expose=True)(fn)
    fn = retries_option(fn)
    fn = timeout_option(300.0, "Seconds for each request to the store (a timeout is an error, never 'no findings').")(fn)
    fn = click.option("--knowledge-graph", default=None, metavar="IRI",
                      help="The named graph holding the knowledge the record shapes navigate "
                           "(default: https://w3id.org/netgraph/graph/records-knowledge).")(fn)
    fn = click.option("--graph", "graph_iri", default=None, metavar="IRI",
                      help="The named graph holding the records (default: https://w3id.org/netgraph/graph/records).")(fn)
    return fn


@records_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@_COLUMNS
@_DELIMITER
@format_option(["text", "csv", "json", "turtle"], default="text",
               help="Report format (text: one line per finding, then a summary per rule).")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation",
              help="Exit 1 when a finding of this severity (or worse) is found (default: violation).")
@click.option("--scheme", default=None, metavar="ID",
              help="Grading scheme for records that name none (default: the graph's default, the WHO grading of GEP "
                   "NETs as SEER states it; see `netgraph grade --help`).")
@click.option("--date", "check_date", default=None, metavar="YYYY-MM-DD",
              help="The day the 'not in the future' rule compares with (default: today).")
@output_option(help="Write the report here (atomically) instead of standard output.")
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=2000, show_default=True,
              help="Records validated at a time by the pyshacl engine (memory is flat in the number of records).")
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="oxigraph: the shapes compiled to SPARQL on Oxigraph stores (fast); pyshacl: the reference "
                   "engine. Both give the same findings.")
@endpoint_option(help="Check the records graph already loaded into this SPARQL store (see `records load`) "
                      "instead of FILE; the same compiled queries, paged.")
@click.option("--page-size", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True,
              help="Answers fetched per request from --endpoint (LIMIT/OFFSET under a total ORDER BY).")
@_store_options
@progress_option
@common_options
def check_command(file: str | None, columns: str | None, delimiter: str | None, fmt: str, fail_on: str,
                  scheme: str | None, check_date: str | None, output: str | None, batch_size: int, engine: str,
                  endpoint: str | None, page_size: int, graph_iri: str, knowledge_graph: str, timeout: float,
                  retries: int, user: str | None, password: str | None, token: str | None, auth_scheme: str,
                  root: str | None) -> int:
    """Check the records of FILE (CSV or TSV; - for standard input), or the records graph in a store.

    Each finding names the record, its row, the field(s) and value(s), the rule,
    what was expected and the source the rule rests on. Exit codes: 0 no finding
    at the --fail-on level, 1 findings, 2 bad input (unreadable file, bad header)
    or a store that failed or timed out.
    """
    from ..records.check import stream_records_check
    from ..records.findings import RecordFinding
    from ..records.stream import ReportWriter, open_report

    if (file is None) == (endpoint is None):
        raise InputError("give either FILE or --endpoint URL (the records graph in a store), not both or neither")

    day = None
    if check_date:
        try:
            day = date.fromisoformat(check_date)
        except ValueError:
            raise InputError(f"--date {check_date!r} is not an ISO date (YYYY-MM-DD)") from None
    with make_progress("records check", unit="records") as progress:
        if endpoint:
            from ..records.engine_remote import KNOWLEDGE_GRAPH, RECORDS_GRAPH, check_records_remote

            report = check_records_remote(endpoint, graph=graph_iri or RECORDS_GRAPH,
                                          knowledge_graph=knowledge_graph or KNOWLEDGE_GRAPH, root=root,
                                          check_date=day, timeout=timeout, retries=retries, page_size=page_size,
                                          auth=make_auth(user, password, token, auth_scheme),
                                          progress=progress.update, scheme=scheme)
            chunks: Iterator[list[RecordFinding]] = iter([report.findings])
        else:
            assert file is not None  # one of FILE and --endpoint, checked above
            report, chunks = stream_records_check(file, columns=columns, root=root, delimiter=delimiter,
                                                  check_date=day, batch_size=batch_size, progress=progress.update,
                                                  engine=engine, scheme=scheme)
        # the findings are written chunk by chunk as they come (a file: atomically, when the check is done)
        with open_report(output) as out:
            writer = ReportWriter(out, fmt, source=report.source, rules=report.rules, engine=report.engine)
            for found in chunks:
                writer.write(found)
            tally = writer.close(report.records)
    if (fmt != "text" or output not in (None, "-")) and not is_quiet():
        click.echo(tally.summary(report.source, report.records, report.rules, report.engine), err=True)
    exit_code: int = tally.exit_code(fail_on)
    return exit_code


@records_group.command("to-rdf")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@output_option(required=True,
               help="The N-Triples file to write (- for standard output); load it with `netgraph load`.")
@_COLUMNS
@_DELIMITER
@click.option("--salt", default=None, metavar="TEXT",
              help="Pseudonymous output: record IRIs are salted hashes of the record id, and the id is left out.")
@progress_option
@common_options
def to_rdf_command(file: str, output: str, columns: str | None, delimiter: str | None, salt: str | None,
                   root: str | None) -> None:
    """Write the records of FILE as the records graph (N-Triples), streamed.

    A record's IRI derives from its id (or, with --salt, from a hash of salt and
    id), so a reload duplicates nothing. Rows that cannot be records are named on
    stderr. Exit codes: 0 written, 2 bad input.
    """
    from ..records.columnmap import load_column_map
    from ..records.rdf import write_records_rdf

    cmap = load_column_map(columns) if columns else None
    with make_progress("records to-rdf", unit="records") as progress:
        if output == "-":
            n, problems = write_records_rdf(file, sys.stdout, columns=cmap, root=root, delimiter=delimiter, salt=salt,
                                            progress=progress.update)
        else:
            from ..atomic import open_atomic

            with open_atomic(Path(output), "w", encoding="utf-8", newline="\n") as fh:
                n, problems = write_records_rdf(file, cast(TextIO, fh), columns=cmap, root=root, delimiter=delimiter, salt=salt,
                                                progress=progress.update)
    _skipped(file, problems)
    if not is_quiet():
        click.echo(f"{n:,} records written" + (f", {len(problems)} rows skipped" if problems else ""), err=True)


def _skipped(file: str | None, problems: list[Any]) -> None:
    """Name each row that could not be a record, on stderr (a warning: -q leaves them out)."""
    for p in problems:
        log.warning("%s:%s: skipped: %s", file, p.row, p.message)


@records_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@click.option("--knowledge-only", is_flag=True,
              help="Push only the knowledge graph (when the records were bulk-loaded by the store's own loader).")
@endpoint_option(required=True,
                 help="The store's SPARQL query endpoint (used to verify), e.g. http://127.0.0.1:7878/query.")
@store_load_options
@click.option("--salt", default=None, metavar="TEXT",
              help="Pseudonymous records: IRIs are salted hashes of the record id, and the id is left out.")
@_COLUMNS
@_DELIMITER
@_store_options
@progress_option
@common_options
def load_command(file: str | None, knowledge_only: bool, endpoint: str, graph_store: str | None,
                 update_endpoint: str | None, method: str, chunk_size: int | None, salt: str | None,
                 columns: str | None, delimiter: str | None, graph_iri: str, knowledge_graph: str, timeout: float,
                 retries: int, user: str | None, password: str | None, token: str | None, auth_scheme: str,
                 root: str | None) -> None:
    """Push the records of FILE (and the knowledge the record shapes navigate) into a store, and verify.

    \b
    The records go into --graph (default https://w3id.org/netgraph/graph/records),
    the knowledge into --knowledge-graph; each graph is replaced, so a reload
    duplicates nothing, then read back and compared with what was sent (count
    and content), as `netgraph load` does. Then: netgraph records check --endpoint URL.
    Exit codes: 0 loaded and verified, 2 bad input or a store that failed.
    """
    from ..records.columnmap import load_column_map
    from ..records.engine_remote import KNOWLEDGE_GRAPH, RECORDS_GRAPH, records_built_graph
    from .store_cmd import push_with_progress

    if (file is None) != knowledge_only:
        raise InputError("give FILE (the records to load), or --knowledge-only without FILE")
    auth = make_auth(user, password, token, auth_scheme)
    built, problems, n = records_built_graph(file, graph=graph_iri or RECORDS_GRAPH,
                                             knowledge_graph=knowledge_graph or KNOWLEDGE_GRAPH,
                                             columns=load_column_map(columns) if columns else None,
                                             delimiter=delimiter, salt=salt, root=root)
    _skipped(file, problems)
    report = push_with_progress(endpoint, built, graph_store=graph_store, update_endpoint=update_endpoint,
                                method=method, graph="all", chunk_size=chunk_size, auth=auth, timeout=timeout,
                                retries=retries)
    if is_quiet():
        return
    if file is not None:
        click.echo(f"{n:,} records loaded" + (f", {len(problems)} rows skipped" if problems else ""), err=True)
    for iri, count in report.expected.items():
        click.echo(f"verified: {iri} holds {report.found[iri]} triples (expected {count}), content identical "
                   f"(sha256 {report.digests[iri][:16]}…)")


@records_group.command("shapes")
@click.option("--check", is_flag=True, help="Do not write; exit 1 when ontology/records-shapes.ttl is stale.")
@common_options
def shapes_command(check: bool, root: str | None) -> int:
    """Generate the record rules as SHACL shapes (ontology/records-shapes.ttl) from the graph and the rule table."""
    from ..records.shapes import write_records_shapes

    path, changed = write_records_shapes(root, check=check)
    if check:
        if changed:
            click.echo(f"stale: {path} differs from the shapes the graph and rule table give; run "
                       "`netgraph records shapes`", err=True)
            return 1
        if not is_quiet():
            click.echo(f"fresh: {path}")
    elif not is_quiet():
        click.echo(f"{'written' if changed else 'unchanged'}: {path}")
    return 0


@records_group.command("rules")
@output_option()
@common_options
def rules_command(output: str | None, root: str | None) -> None:
    """Print the record rules with what each rests on (a Markdown table)."""
    from ..paths import project_paths
    from ..records.shapes import rules_markdown

    write_text(rules_markdown(project_paths(root)), output)
