"""`netgraph records`: check registry case records against the knowledge graph."""

from __future__ import annotations

import sys
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


def _progress(label: str):
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


@records_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@_COLUMNS
@_DELIMITER
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "csv", "json", "turtle"]), default="text",
              help="Report format (default: text, one line per finding, then a summary per rule).")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation",
              help="Exit 1 when a finding of this severity (or worse) is found (default: violation).")
@click.option("--date", "check_date", default=None, metavar="YYYY-MM-DD",
              help="The day the 'not in the future' rule compares with (default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Write the report here (default: standard output).")
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=2000, show_default=True,
              help="Records validated at a time by the pyshacl engine (memory is flat in the number of records).")
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="oxigraph: the shapes compiled to SPARQL on an on-disk store (fast); pyshacl: the reference "
                   "engine. Both give the same findings.")
@_ROOT
def check_command(file: str, columns: str | None, delimiter: str | None, fmt: str, fail_on: str,
                  check_date: str | None, output: str, batch_size: int, engine: str, root: str | None) -> None:
    """Check the records of FILE (CSV or TSV; - for standard input).

    Each finding names the record, its row, the field(s) and value(s), the rule,
    what was expected and the source the rule rests on. Exit codes: 0 no finding
    at the --fail-on level, 1 findings, 2 bad input (unreadable file, bad header).
    """
    from ..records.check import check_records

    day = None
    if check_date:
        try:
            day = date.fromisoformat(check_date)
        except ValueError:
            raise InputError(f"--date {check_date!r} is not an ISO date (YYYY-MM-DD)") from None
    show, done = _progress("records check")
    try:
        report = check_records(file, columns=columns, root=root, delimiter=delimiter, check_date=day,
                               batch_size=batch_size, progress=show, engine=engine)
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
