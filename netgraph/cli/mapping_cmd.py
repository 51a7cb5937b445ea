"""`netgraph resolve` and `netgraph link`: thin commands over :mod:`netgraph.crosswalk`."""

from __future__ import annotations

import json
import sys

import click

from ..crosswalk import LINK_COLUMNS, Resolution, link, load_index, resolve
from ..crosswalk.link import link_cells
from .options import common_options, format_option, output_option, progress_option, write_text
from .verbosity import is_quiet, progress_wanted

__all__ = ["resolve_command", "link_command", "render_resolution"]

_PREFIX_HELP = "The system of bare codes (e.g. ORPHA when the column holds plain Orphanet numbers such as 97253)."


def render_resolution(res: Resolution) -> str:
    """The human-readable answer for one identifier."""
    lines = [f"{res.query.strip()}: {res.status}"]
    if res.read_as:
        lines.append(f"  read as   {res.read_as}")
    lines.append(f"  answer    {res.message}")
    if res.obsolete is not None:
        o = res.obsolete
        lines.append(f"  obsolete  {o.code} \"{o.label}\" ({o.source_version})"
                     + (f"; replaced by {res.replaced_by}" if res.replaced_by else "; no replacement named")
                     + (f"; consider {', '.join(o.consider)}" if o.consider else ""))
    if res.entity is not None:
        e = res.entity
        lines.append(f"  netgraph  {e.curie} \"{e.label}\" <{e.iri}>" + (" (deprecated)" if e.deprecated else ""))
    if res.match is not None:
        r = res.match.record
        detail = [r.mapping_justification, f"{r.object_source_version}", r.mapping_date]
        if r.orphanet_qualifier:
            detail.append(f"ORDO qualifier {r.orphanet_qualifier}")
        lines.append(f"  mapping   {r.subject_id} {r.predicate_id} {r.object_id} [{'; '.join(detail)}]")
        if r.comment:
            lines.append(f"  comment   {r.comment}")
    if res.entity is not None and res.entity_codes:
        lines.append(f"  codes of {res.entity.curie}:")
        width = max(len(m.code) for m in res.entity_codes)
        for m in res.entity_codes:
            lines.append(f"    {m.predicate:<18} {m.code:<{width}}  {m.code_label}".rstrip())
    others = [m for m in res.matches if res.entity is None or m.entity.id != res.entity.id]
    if others:
        lines.append(f"  {'candidates' if res.status == 'ambiguous' else 'also mapped'} ({len(others)}):")
        for m in others:
            lines.append(f"    {m.relation}")
    elif res.status == "ambiguous" and res.candidates:
        lines.append(f"  candidates: {', '.join(res.candidates)}")
    return "\n".join(lines)


def _exit_code(results: list[Resolution]) -> int:
    if any(r.status == "invalid" for r in results):
        return 2
    if any(r.status in ("unknown", "ambiguous") or (r.status == "obsolete" and r.entity is None) for r in results):
        return 1
    return 0


@click.command("resolve")
@click.argument("identifiers", nargs=-1, required=True, metavar="ID...")
@click.option("--prefix", default=None, metavar="PREFIX", help=_PREFIX_HELP)
@format_option(["text", "json", "tsv"], default="text",
               help="text for people; json (all details) or tsv (the link columns) for programs.")
@output_option()
@common_options
def resolve_command(identifiers: tuple[str, ...], prefix: str | None, fmt: str, output: str | None,
                    root: str | None) -> int:
    """Resolve identifiers to netgraph entities: ORPHA, MONDO, NCIT, ICD-10, ICD-O-3, OMIM … in any common spelling.

    Accepts CURIEs with any prefix spelling (ORPHA:97253, Orphanet:97253,
    ORPHANET:97253), OBO forms (Orphanet_97253, MONDO_0019954), IRIs, and bare
    codes (8240/3, C25.4, 131100). Says which netgraph entity the code maps to,
    with the predicate in words ("netgraph X is broader than ORPHA:Y"), the
    entity's other codes, and, for an obsolete code, its replacement.

    Exit codes: 0 every identifier resolved; 1 some identifier is unknown,
    ambiguous, or obsolete without a netgraph replacement; 2 some identifier is
    malformed, or bad usage.
    """
    index = load_index(root)
    results = [resolve(i, prefix=prefix, index=index) for i in identifiers]
    if fmt == "json":
        text = json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False)
    elif fmt == "tsv":
        text = "\n".join(["\t".join(("query", *LINK_COLUMNS))]
                         + ["\t".join(" ".join(c.split()) for c in (r.query, *link_cells(r))) for r in results])
    else:
        text = "\n\n".join(render_resolution(r) for r in results)
    write_text(text + "\n", output)
    return _exit_code(results)


@click.command("link")
@click.argument("file", metavar="FILE|-", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-c", "--column", required=True, metavar="NAME", help="The column holding the codes.")
@format_option(["csv", "tsv", "jsonl"], help="Output format (default: the input's).")
@click.option("--rdf", is_flag=True, help="Write the links as N-Triples instead of rows.")
@click.option("--subject", metavar="TEMPLATE", default=None,
              help="With --rdf: a row IRI such as 'https://example.org/record/{record_id}'; "
                   "each linked row then gives <row> dcterms:subject <netgraph entity>.")
@click.option("--input-format", type=click.Choice(["csv", "tsv"]), default=None,
              help="Input format (default: from the extension, else from the header line).")
@click.option("-d", "--delimiter", default=None, metavar="CHAR",
              help="Cell separator of the input: one character, or tab, comma, semicolon, pipe (default: tab "
                   "when the header has one, else ';' when it has more semicolons than commas, else ','). "
                   "CSV output keeps it.")
@click.option("--prefix", default=None, metavar="PREFIX", help=_PREFIX_HELP)
@output_option(help="Write here (atomically: all or nothing) instead of stdout.")
@progress_option
@click.option("--strict", is_flag=True, help="Exit 1 when any row is not resolved.")
@common_options
def link_command(file: str, column: str, fmt: str | None, rdf: bool, subject: str | None, input_format: str | None,
                 delimiter: str | None, prefix: str | None, output: str | None, strict: bool, root: str | None) -> int:
    """Link the codes in one column of a CSV/TSV file (or stdin) to netgraph, row by row.

    Every row is written back, in order, with the columns netgraph_status
    (resolved, ambiguous, obsolete, unknown, invalid), netgraph_iri,
    netgraph_label, netgraph_predicate, netgraph_code, netgraph_replaced_by,
    netgraph_candidates and netgraph_note added; rows that do not resolve are
    kept and marked. A summary goes to stderr. Streams: memory stays flat.

    FILE may be a FIFO or a process substitution such as <(zcat codes.csv.gz).
    A quote that is never closed, or a value longer than 131,072 characters, is
    an error naming the line.

    Exit codes: 0 done (1 with --strict when a row did not resolve);
    2 unreadable input or bad usage.
    """
    if rdf and fmt:
        raise click.UsageError("--rdf writes N-Triples; do not combine it with --format")
    if subject and not rdf:
        raise click.UsageError("--subject only applies with --rdf")
    if file == "-" and sys.stdin.isatty():
        raise click.UsageError("no input: give a FILE, or pipe rows into `netgraph link - --column NAME`")
    summary = link(file, column, output=output, format="nt" if rdf else fmt, input_format=input_format,
                   subject=subject, prefix=prefix, root=root, progress=progress_wanted(), delimiter=delimiter,
                   progress_stream=sys.stderr)
    if not is_quiet():
        click.echo(f"link: {summary}", err=True)
    return 1 if strict and summary.resolved != summary.rows else 0
