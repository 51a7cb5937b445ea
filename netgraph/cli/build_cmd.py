"""`netgraph build`."""

from __future__ import annotations

import time

import click

from ..build import build

__all__ = ["build_command"]


@click.command("build")
@click.option("--check", is_flag=True, help="Do not write; exit 1 naming each emitted file that differs from a fresh build.")
@click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
              help="Project tree to build (default: this checkout).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def build_command(check: bool, root: str | None, quiet: bool) -> None:
    """Build the Turtle files from the curated tables and the core ontology.

    Reads data/tables/*.tsv, data/mappings/netgraph.sssom.tsv and
    ontology/netgraph-edit.ttl; writes ontology/netgraph.ttl,
    data/netgraph-data.ttl and data/netgraph-mappings.ttl (atomically, and only
    when every row is valid), then prebuilds the read-only query store that
    `netgraph query` opens (see NETGRAPH_CACHE_DIR). Exit codes: 0 done (or fresh, with --check),
    1 stale files (--check), 2 bad input.
    """
    start = time.perf_counter()
    result = build(root, check=check)
    elapsed = time.perf_counter() - start
    store_note = None if check else _prebuild(root)
    if not check:
        _record_shapes(root, quiet)
    if quiet:
        return
    c = result.counts
    if check:
        click.echo(f"fresh: {len(result.files)} emitted files match a fresh build ({elapsed:.2f} s)")
        return
    for path in result.files:
        state = "written" if path in result.written else "unchanged"
        click.echo(f"{state}: {path}")
    if store_note:
        click.echo(store_note)
    click.echo(
        f"{c['classes']} classes, {c['individuals']} individuals, {c['associations']} associations, "
        f"{c['mappings']} mappings, {c['sources']} sources; "
        f"{c['triples:ontology'] + c['triples:data'] + c['triples:mappings']} triples ({elapsed:.2f} s)"
    )


def _prebuild(root: str | None) -> str:
    """Prebuild the read-only store that queries open (fast start-up); a failure only warns."""
    from ..storecache import prebuild_store

    try:
        return f"store: {prebuild_store(root)}"
    except OSError as exc:
        click.echo(f"warning: no prebuilt store ({exc}); queries will load the graph in memory", err=True)
        return ""


def _record_shapes(root: str | None, quiet: bool) -> None:
    """Regenerate the record rules' shapes from the graph just built (they follow curation changes)."""
    from ..records.shapes import write_records_shapes

    path, changed = write_records_shapes(root)
    if changed and not quiet:
        click.echo(f"written: {path}")
