"""`netgraph export`, `netgraph release`, `netgraph load`, `netgraph serve`: thin wrappers over netgraph.stores."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import click

from ..stores.canonical import GRAPH_CHOICES
from ..stores.export import FORMATS
from .auth_options import auth_options, make_auth
from .options import (common_options, endpoint_option, format_option, output_option, progress_option, retries_option,
                      store_load_options, timeout_option)
from .verbosity import is_quiet, make_progress

__all__ = ["export_command", "release_command", "load_command", "serve_command", "push_with_progress"]

log = logging.getLogger(__name__)


@click.command("export")
@format_option(list(FORMATS), required=True)
@click.option("--graph", type=click.Choice(GRAPH_CHOICES), default=None,
              help="Named graph to export, or all (default: all; ontology for rdfxml). "
                   "ttl, nt, jsonld and rdfxml write the union; nq and trig keep one graph per part.")
@output_option(required=True, directory=True,
               help="Output file (a directory for kgx and neo4j); - writes a single-file format to stdout.")
@click.option("--gzip", "gz", is_flag=True, help="Gzip each file (implied by an output name ending in .gz).")
@common_options
def export_command(fmt: str, graph: str | None, output: str, gz: bool, root: str | None) -> None:
    """Export the built graph for other stores and tools.

    \b
    Formats: ttl, nt, nq and trig (one named graph per part), jsonld (context from the
    prefix map), rdfxml (the ontology, for Protégé and owlready2), kgx
    (nodes.tsv, edges.tsv with Biolink categories and predicates) and neo4j
    (nodes.csv, relationships.csv for neo4j-admin database import).
    Output is sorted and deterministic. Exit codes: 0 written, 2 bad input.
    """
    from ..errors import InputError
    from ..stores.canonical import load_built_graph
    from ..stores.export import default_graph, export, gzip_bytes, parts_needed, render

    start = time.perf_counter()
    if output == "-":
        if FORMATS[fmt].is_directory:
            raise InputError(f"format {fmt} writes several files; give a directory with -o")
        graph = graph or default_graph(fmt)
        files, _, _, _ = render(load_built_graph(root, parts_needed(fmt, graph)), fmt, graph)
        data = files[""]
        sys.stdout.buffer.write(gzip_bytes(data) if gz else data)
        sys.stdout.buffer.flush()
        return
    result = export(fmt, output, graph=graph, root=root, gzip=gz)
    if is_quiet():
        return
    for path in result.files:
        click.echo(f"written: {path}")
    what = (f"{result.nodes} nodes, {result.edges} edges" if FORMATS[fmt].is_directory
            else f"{result.triples} triples")
    click.echo(f"{FORMATS[fmt].description}, graph {result.graph}: {what} ({time.perf_counter() - start:.2f} s)")


@click.command("release")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--gzip", "gz", is_flag=True, help="Gzip the data files (the manifest and checksums stay plain).")
@common_options
def release_command(directory: str, gz: bool, root: str | None) -> None:
    """Write a release into DIRECTORY: every export format, void.ttl, SHA256SUMS.

    void.ttl is a VoID/DCAT description of the dataset (title, license,
    version, the named graphs, triples, distinct subjects and objects,
    properties and classes, per graph and in total); SHA256SUMS checks every
    file (sha256sum -c SHA256SUMS). Exit codes: 0 written, 2 bad input.
    """
    from ..stores.release import release

    start = time.perf_counter()
    result = release(directory, root=root, gzip=gz)
    if is_quiet():
        return
    for path in result.files:
        click.echo(f"written: {path}")
    per_graph = ", ".join(f"{part} {s.triples}" for part, s in result.graphs.items())
    click.echo(f"{result.dataset.triples} triples ({per_graph}), {result.dataset.distinct_subjects} subjects, "
               f"{result.dataset.classes} classes, {result.dataset.properties} properties "
               f"({time.perf_counter() - start:.2f} s)")


@click.command("load")
@endpoint_option(required=True,
                 help="The store's SPARQL query endpoint (used to verify; the query API takes the same URL).")
@store_load_options
@click.option("--graph", type=click.Choice(GRAPH_CHOICES), default="all", show_default=True,
              help="Named graph to load, or all.")
@auth_options(expose=True)
@timeout_option(60.0, "Seconds for each request as a whole (connect, upload and answer; a trickle cannot stretch it).")
@retries_option
@progress_option
@common_options
def load_command(endpoint: str, graph_store: str | None, update_endpoint: str | None, method: str, graph: str,
                 chunk_size: int | None, user: str | None, password: str | None, token: str | None, auth_scheme: str,
                 timeout: float, retries: int, root: str | None) -> None:
    """Load the named graphs into a running store, replacing them, and verify them.

    \b
    Each part goes into https://w3id.org/netgraph/graph/<part>; a second load
    replaces the graphs, so nothing is duplicated. After loading, each graph is
    read back and compared with the built graph (count and content); a
    difference or an interrupted load exits 2 with a message saying what the
    store now holds and which chunk was in flight.
    Example: netgraph load --endpoint http://127.0.0.1:7878/query
    """
    from ..stores.canonical import load_built_graph

    auth = make_auth(user, password, token, auth_scheme)
    report = push_with_progress(endpoint, load_built_graph(root), graph_store=graph_store,
                                update_endpoint=update_endpoint, method=method, graph=graph, chunk_size=chunk_size,
                                auth=auth, timeout=timeout, retries=retries)
    if is_quiet():
        return
    for iri, n in report.expected.items():
        if iri in report.unverified:
            click.echo(f"verified by count only: {iri} holds {report.found[iri]} triples (expected {n}); "
                       f"{report.unverified[iri]}")
        else:
            click.echo(f"verified: {iri} holds {report.found[iri]} triples (expected {n}), content identical "
                       f"(sha256 {report.digests[iri][:16]}…)")
    click.echo(f"loaded {report.triples} triples into {endpoint} by {method} in {report.seconds:.2f} s "
               f"({report.chunk_size} triples per request)")


def push_with_progress(endpoint: str, built: Any, *, graph: str, auth: Any, **options: Any) -> Any:
    """:func:`~netgraph.stores.load.push_to_endpoint` with the run's progress line (triples sent of all)."""
    from ..stores.load import LoadProgress, push_to_endpoint

    sent: dict[str, int] = {}
    total = sum(len(p) for p in built.select(graph))
    with make_progress("load", unit="triples", total=total) as progress:

        def on_chunk(event: LoadProgress) -> None:
            sent[event.graph] = event.triples_sent
            done = sum(sent.values())
            progress.update(done, done)

        return push_to_endpoint(endpoint, graph=graph, user=auth.user, password=auth.password, token=auth.token,
                                auth_scheme=auth.scheme, progress=on_chunk, built=built, **options)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (anything but a loopback address exposes the endpoint to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port (0: any free port).")
@timeout_option(30.0, "Time limit per query, in seconds.")
@click.option("--max-result-mb", type=click.FloatRange(min=0, min_open=True), default=16.0, show_default=True,
              help="Cap on the size of one answer, in MiB.")
@click.option("--max-memory", "max_memory_mb", type=click.FloatRange(min=1), default=2048.0, show_default=True,
              help="Bound on the engine's resident memory, in MiB: above it the engine is restarted.")
@common_options
def serve_command(host: str, port: int, timeout: float, max_result_mb: float, max_memory_mb: float,
                  root: str | None) -> int:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint (Ctrl-C stops it).

    \b
    GET or POST queries to http://HOST:PORT/query; results in SPARQL JSON,
    XML, CSV or TSV (and Turtle, N-Triples, RDF/XML … for CONSTRUCT) by
    content negotiation. The default graph is the union of the named graphs.
    Updates are refused. Engine: the Oxigraph server (pip install oxigraph).
    """
    import signal

    from ..stores.serve import SparqlServer, is_loopback

    def _term(signum: int, frame: Any) -> None:  # SIGTERM while loading or starting: unwind so start() cleans up
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _term)
    try:
        server = SparqlServer(root, host=host, port=port, timeout_s=timeout,
                              max_result_bytes=int(max_result_mb * 2**20),
                              max_memory=int(max_memory_mb * 2**20)).start()
    except KeyboardInterrupt:
        click.echo("stopped before the endpoint was up", err=True)
        return 1
    try:  # a signal between start() and wait() must still stop the engine and remove the store
        if not is_loopback(host):
            log.warning("listening on %s: anyone who can reach this machine can query the endpoint", host)
        if not server.outbound_blocked:
            log.warning("outbound connections of the engine cannot be blocked on this platform; "
                        "SERVICE is refused by the front only")
        click.echo(f"SPARQL endpoint: {server.query_url} ({server.triples} triples, read-only, "
                   f"time limit {timeout:g} s, answers up to {max_result_mb:g} MiB); Ctrl-C to stop")
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
