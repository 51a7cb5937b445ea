"""`netgraph build`."""

from __future__ import annotations

import logging
import time

import click

from ..build import build
from .options import common_options, progress_option
from .verbosity import is_quiet, make_progress

__all__ = ["build_command"]

log = logging.getLogger(__name__)


@click.command("build")
@click.option("--check", is_flag=True, help="Do not write; exit 1 naming each emitted file that differs from a fresh build.")
@common_options
@progress_option
def build_command(check: bool, root: str | None) -> int:
    """Build the Turtle files from the curated tables and the core ontology.

    Reads data/tables/*.tsv, data/mappings/netgraph.sssom.tsv and
    ontology/netgraph-edit.ttl; writes ontology/netgraph.ttl,
    data/netgraph-data.ttl and data/netgraph-mappings.ttl (atomically, and only
    when every row is valid), then prebuilds the read-only query store that
    `netgraph query` opens (see NETGRAPH_CACHE_DIR). -q prints nothing on success.
    Exit codes: 0 done (or fresh, with --check), 1 stale files (--check), 2 bad input.
    """
    start = time.perf_counter()
    with make_progress("build") as progress:
        progress.step("checking the tables" if check else "building")
        result = build(root, check=check)
        elapsed = time.perf_counter() - start
        store_note = shapes_note = None
        if not check:
            progress.step("prebuilding the query store")
            store_note = _prebuild(root)
            progress.step("generating the record shapes")
            shapes_note = _record_shapes(root)
    if is_quiet():
        return 0
    c = result.counts
    if check:
        click.echo(f"fresh: {len(result.files)} emitted files match a fresh build ({elapsed:.2f} s)")
        return 0
    if shapes_note:
        click.echo(shapes_note)
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
    return 0


def _prebuild(root: str | None) -> str:
    """Prebuild the read-only store that queries open (fast start-up); a failure only warns."""
    from ..storecache import prebuild_store

    try:
        return f"store: {prebuild_store(root)}"
    except OSError as exc:
        log.warning("no prebuilt store (%s); queries will load the graph in memory", exc)
        return ""


def _record_shapes(root: str | None) -> str | None:
    """Regenerate the record rules' shapes from the graph just built (they follow curation changes)."""
    from ..records.shapes import write_records_shapes

    path, changed = write_records_shapes(root)
    return f"written: {path}" if changed else None
