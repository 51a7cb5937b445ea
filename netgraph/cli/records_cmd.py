"""`netgraph records`: check registry case records against the knowledge graph."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from ..errors import InputError

__all__ = ["records_group"]

_COLUMNS = click.option("--columns", "columns", type=click.Path(dir_okay=False, exists=True), default=None,
                        metavar="MAP.yaml", help="A column map adapting another registry's header and value codes.")
_DELIMITER = click.option("--delimiter", default=None, metavar="CHAR",
                          help="Field delimiter (default: tab for .tsv/.tab files, comma otherwise; 'tab' for a tab).")
_ROOT = click.option("--root", type=click.Path(file_okay=False, exists=True), default=None, hidden=True)


def _progress(label: str) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    if not sys.stderr.isatty():
        return None, lambda: None

    def show(n: int) -> None:
        click.echo(f"\r{label}: {n:,} records\x1b[K", err=True, nl=False)

    def done() -> None:
        click.echo("\r\x1b[K", err=True, nl=False)

    return show, done


@click.group("records")
def records_group() -> None:
    """Check registry case records (one row per tumour) against the knowledge graph.

    The record format, the rules with their citations and the column map are
    documented in docs/records.md. Records never leave the machine.
    """


def _store_options(fn: Callable) -> Callable:
    """--graph, --knowledge-graph, --timeout, --retries and the authentication options, for a remote store."""
    from .auth_options import auth_options

    fn = auth_options(expose=True)(fn)
    fn = click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
                      help="Retries of a request after a transient failure (connection refused or reset, "
                           "HTTP 429/502/503/504).")(fn)
    fn = click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True,
                      help="Seconds for each request to the store (a timeout is an error, never 'no findings').")(fn)
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
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "csv", "json", "turtle"]), default="text",
              help="Report format (default: text, one line per finding, then a summary per rule).")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation",
              help="Exit 1 when a finding of this severity (or worse) is found (default: violation).")
@click.option("--scheme", default=None, metavar="ID",
              help="Grading scheme for records that name none (default: the graph's default, the WHO grading of GEP "
                   "NETs as SEER states it; see `netgraph grade --help`).")
@click.option("--date", "check_date", default=None, metavar="YYYY-MM-DD",
              help="The day the 'not in the future' rule compares with (default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Write the report here (default: standard output).")
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=2000, show_default=True,
              help="Records validated at a time by the pyshacl engine (memory is flat in the number of records).")
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="oxigraph: the shapes compiled to SPARQL on an on-disk store (fast); pyshacl: the reference "
                   "engine. Both give the same findings.")
@click.option("--endpoint", metavar="URL", default=None,
              help="Check the records graph already loaded into this SPARQL store (see `records load`) "
                   "instead of FILE; the same compiled queries, paged.")
@click.option("--page-size", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True,
              help="Answers fetched per request from --endpoint (LIMIT/OFFSET under a total ORDER BY).")
@_store_options
@_ROOT
def check_command(file: str | None, columns: str | None, delimiter: str | None, fmt: str, fail_on: str,
                  scheme: str | None, check_date: str | None, output: str, batch_size: int, engine: str,
                  endpoint: str | None, page_size: int, graph_iri: str, knowledge_graph: str, timeout: float,
                  retries: int, user: str | None, password: str | None, token: str | None, auth_scheme: str,
                  root: str | None) -> None:
    """Check the records of FILE (CSV or TSV; - for standard input), or the records graph in a store.

    Each finding names the record, its row, the field(s) and value(s), the rule,
    what was expected and the source the rule rests on. Exit codes: 0 no finding
    at the --fail-on level, 1 findings, 2 bad input (unreadable file, bad header)
    or a store that failed or timed out.
    """
    from ..records.check import check_records

    if (file is None) == (endpoint is None):
        raise InputError("give either FILE or --endpoint URL (the records graph in a store), not both or neither")

    day = None
    if check_date:
        try:
            day = date.fromisoformat(check_date)
        except ValueError:
            raise InputError(f"--date {check_date!r} is not an ISO date (YYYY-MM-DD)") from None
    show, done = _progress("records check")
    try:
        if endpoint:
            from ..records.engine_remote import KNOWLEDGE_GRAPH, RECORDS_GRAPH, check_records_remote
            from .auth_options import make_auth

            report = check_records_remote(endpoint, graph=graph_iri or RECORDS_GRAPH,
                                          knowledge_graph=knowledge_graph or KNOWLEDGE_GRAPH, root=root,
                                          check_date=day, timeout=timeout, retries=retries, page_size=page_size,
                                          auth=make_auth(user, password, token, auth_scheme), progress=show,
                                          scheme=scheme)
        else:
            assert file is not None  # FILE or --endpoint, checked above
            report = check_records(file, columns=columns, root=root, delimiter=delimiter, check_date=day,
                                   batch_size=batch_size, progress=show, engine=engine, scheme=scheme)
    finally:
        done()
    text = report.render(fmt)
    if output == "-":
        click.echo(text, nl=False)
    else:
        from ..atomic import write_atomic

        write_atomic(output, text.encode("utf-8"))
    if fmt != "text" or output != "-":
        click.echo(report.summary(), err=True)
    sys.exit(report.exit_code(fail_on))


@records_group.command("to-rdf")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), required=True,
              help="The N-Triples file to write (- for standard output); load it with `netgraph load`.")
@_COLUMNS
@_DELIMITER
@click.option("--salt", default=None, metavar="TEXT",
              help="Pseudonymous output: record IRIs are salted hashes of the record id, and the id is left out.")
@_ROOT
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
    show, done = _progress("records to-rdf")
    try:
        if output == "-":
            n, problems = write_records_rdf(file, sys.stdout, columns=cmap, root=root, delimiter=delimiter, salt=salt,
                                            progress=show)
        else:
            from ..atomic import open_atomic

            with open_atomic(Path(output), "w", encoding="utf-8", newline="\n") as fh:
                n, problems = write_records_rdf(file, fh, columns=cmap, root=root, delimiter=delimiter, salt=salt,
                                                progress=show)
    finally:
        done()
    for p in problems:
        click.echo(f"{file}:{p.row}: skipped: {p.message}", err=True)
    click.echo(f"{n:,} records written" + (f", {len(problems)} rows skipped" if problems else ""), err=True)


@records_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@click.option("--knowledge-only", is_flag=True,
              help="Push only the knowledge graph (when the records were bulk-loaded by the store's own loader).")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL query endpoint (used to verify), e.g. http://127.0.0.1:7878/query.")
@click.option("--graph-store", metavar="URL", default=None,
              help="Graph Store HTTP Protocol endpoint (default for Oxigraph: …/store beside …/query).")
@click.option("--update-endpoint", metavar="URL", default=None,
              help="SPARQL Update endpoint, for --method update (default for Oxigraph: …/update).")
@click.option("--method", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="gsp: PUT/POST to the Graph Store endpoint; update: DROP + INSERT DATA by SPARQL Update.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None,
              help="Triples per request (default: per store).")
@click.option("--salt", default=None, metavar="TEXT",
              help="Pseudonymous records: IRIs are salted hashes of the record id, and the id is left out.")
@_COLUMNS
@_DELIMITER
@_store_options
@_ROOT
def load_command(file: str | None, knowledge_only: bool, endpoint: str, graph_store: str | None, update_endpoint: str | None, method: str,
                 chunk_size: int | None, salt: str | None, columns: str | None, delimiter: str | None,
                 graph_iri: str, knowledge_graph: str, timeout: float, retries: int, user: str | None,
                 password: str | None, token: str | None, auth_scheme: str, root: str | None) -> None:
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
    from ..stores.load import push_to_endpoint
    from .auth_options import make_auth

    if (file is None) != knowledge_only:
        raise InputError("give FILE (the records to load), or --knowledge-only without FILE")
    auth = make_auth(user, password, token, auth_scheme)
    built, problems, n = records_built_graph(file, graph=graph_iri or RECORDS_GRAPH,
                                             knowledge_graph=knowledge_graph or KNOWLEDGE_GRAPH,
                                             columns=load_column_map(columns) if columns else None,
                                             delimiter=delimiter, salt=salt, root=root)
    for p in problems:
        click.echo(f"{file}:{p.row}: skipped: {p.message}", err=True)
    report = push_to_endpoint(endpoint, graph_store=graph_store, update_endpoint=update_endpoint, method=method,
                              graph="all", chunk_size=chunk_size, user=auth.user, password=auth.password,
                              token=auth.token, auth_scheme=auth.scheme, timeout=timeout, retries=retries,
                              built=built)
    if file is not None:
        click.echo(f"{n:,} records loaded" + (f", {len(problems)} rows skipped" if problems else ""), err=True)
    for iri, count in report.expected.items():
        click.echo(f"verified: {iri} holds {report.found[iri]} triples (expected {count}), content identical "
                   f"(sha256 {report.digests[iri][:16]}…)")


@records_group.command("shapes")
@click.option("--check", is_flag=True, help="Do not write; exit 1 when ontology/records-shapes.ttl is stale.")
@_ROOT
def shapes_command(check: bool, root: str | None) -> None:
    """Generate the record rules as SHACL shapes (ontology/records-shapes.ttl) from the graph and the rule table."""
    from ..records.shapes import write_records_shapes

    path, changed = write_records_shapes(root, check=check)
    if check:
        if changed:
            click.echo(f"stale: {path} differs from the shapes the graph and rule table give; run "
                       "`netgraph records shapes`", err=True)
            sys.exit(1)
        click.echo(f"fresh: {path}")
    else:
        click.echo(f"{'written' if changed else 'unchanged'}: {path}")


@records_group.command("rules")
@_ROOT
def rules_command(root: str | None) -> None:
    """Print the record rules with what each rests on (a Markdown table)."""
    from ..paths import project_paths
    from ..records.shapes import rules_markdown

    click.echo(rules_markdown(project_paths(root)), nl=False)
