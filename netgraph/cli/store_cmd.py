"""`netgraph export`, `netgraph release`, `netgraph load`, `netgraph serve`: thin wrappers over netgraph.stores."""

from __future__ import annotations

import sys
import time
from typing import NoReturn

import click

from ..stores.canonical import GRAPH_CHOICES
from ..stores.export import FORMATS
from .auth_options import auth_options, make_auth

__all__ = ["export_command", "release_command", "load_command", "serve_command"]

_root_option = click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
                            help="Project tree whose built graph to use (default: this checkout).")
_quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")


@click.command("export")
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)), required=True, help="Output format.")
@click.option("--graph", type=click.Choice(GRAPH_CHOICES), default=None,
              help="Named graph to export, or all (default: all; ontology for rdfxml). "
                   "ttl, nt, jsonld and rdfxml write the union; nq and trig keep one graph per part.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=True),
              help="Output file (a directory for kgx and neo4j); - writes a single-file format to stdout.")
@click.option("--gzip", "gz", is_flag=True, help="Gzip each file (implied by an output name ending in .gz).")
@_root_option
@_quiet_option
def export_command(fmt: str, graph: str | None, output: str, gz: bool, root: str | None, quiet: bool) -> None:
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
    if quiet:
        return
    for path in result.files:
        click.echo(f"written: {path}")
    what = (f"{result.nodes} nodes, {result.edges} edges" if FORMATS[fmt].is_directory
            else f"{result.triples} triples")
    click.echo(f"{FORMATS[fmt].description}, graph {result.graph}: {what} ({time.perf_counter() - start:.2f} s)")


@click.command("release")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--gzip", "gz", is_flag=True, help="Gzip the data files (the manifest and checksums stay plain).")
@_root_option
@_quiet_option
def release_command(directory: str, gz: bool, root: str | None, quiet: bool) -> None:
    """Write a release into DIRECTORY: every export format, void.ttl, SHA256SUMS.

    void.ttl is a VoID/DCAT description of the dataset (title, license,
    version, the named graphs, triples, distinct subjects and objects,
    properties and classes, per graph and in total); SHA256SUMS checks every
    file (sha256sum -c SHA256SUMS). Exit codes: 0 written, 2 bad input.
    """
    from ..stores.release import release

    start = time.perf_counter()
    result = release(directory, root=root, gzip=gz)
    if quiet:
        return
    for path in result.files:
        click.echo(f"written: {path}")
    per_graph = ", ".join(f"{part} {s.triples}" for part, s in result.graphs.items())
    click.echo(f"{result.dataset.triples} triples ({per_graph}), {result.dataset.distinct_subjects} subjects, "
               f"{result.dataset.classes} classes, {result.dataset.properties} properties "
               f"({time.perf_counter() - start:.2f} s)")


@click.command("load")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL query endpoint (used to verify; the query API takes the same URL).")
@click.option("--graph-store", metavar="URL", default=None,
              help="Graph Store HTTP Protocol endpoint (default for Oxigraph: …/store beside …/query).")
@click.option("--update-endpoint", metavar="URL", default=None,
              help="SPARQL Update endpoint, for --method update (default for Oxigraph: …/update).")
@click.option("--method", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="gsp: PUT/POST to the Graph Store endpoint; update: DROP + INSERT DATA by SPARQL Update.")
@click.option("--graph", type=click.Choice(GRAPH_CHOICES), default="all", show_default=True,
              help="Named graph to load, or all.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None,
              help="Triples per request (default: per store, e.g. 10000 by gsp, 1000 by update into Virtuoso).")
@auth_options(expose=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
              help="Seconds for each request as a whole (connect, upload and answer; a trickle cannot stretch it).")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Retries of a request after a transient failure (connection refused or reset, HTTP 429/502/503/504).")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@_root_option
@_quiet_option
def load_command(endpoint: str, graph_store: str | None, update_endpoint: str | None, method: str, graph: str,
                 chunk_size: int | None, user: str | None, password: str | None, token: str | None,
                 auth_scheme: str, timeout: float, retries: int, progress: bool | None, root: str | None,
                 quiet: bool) -> None:
    """Load the named graphs into a running store, replacing them, and verify them.

    \b
    Each part goes into https://w3id.org/netgraph/graph/<part>; a second load
    replaces the graphs, so nothing is duplicated. After loading, each graph is
    read back and compared with the built graph (count and content); a
    difference or an interrupted load exits 2 with a message saying what the
    store now holds and which chunk was in flight.
    Example: netgraph load --endpoint http://127.0.0.1:7878/query
    """
    from ..stores.load import LoadProgress, push_to_endpoint
    from ..stores.canonical import load_built_graph

    auth = make_auth(user, password, token, auth_scheme)
    built = load_built_graph(root)
    parts = built.select(graph)
    show = (not quiet) and (progress if progress is not None else sys.stderr.isatty())
    bar = click.progressbar(length=sum(len(p) for p in parts), label="loading", file=sys.stderr) if show else None
    last: dict[str, int] = {}

    def on_chunk(event: LoadProgress) -> None:
        if bar is not None:
            bar.update(event.triples_sent - last.get(event.graph, 0))
            last[event.graph] = event.triples_sent

    try:
        report = push_to_endpoint(endpoint, graph_store=graph_store, update_endpoint=update_endpoint, method=method,
                                  graph=graph, chunk_size=chunk_size, user=auth.user, password=auth.password,
                                  token=auth.token, auth_scheme=auth.scheme, timeout=timeout, retries=retries,
                                  progress=on_chunk, built=built)
    finally:
        if bar is not None:
            bar.render_finish()
    if quiet:
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


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (anything but a loopback address exposes the endpoint to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port (0: any free port).")
@click.option("--timeout-s", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Time limit per query, in seconds.")
@click.option("--max-result-mb", type=click.FloatRange(min=0, min_open=True), default=16.0, show_default=True,
              help="Cap on the size of one answer, in MiB.")
@click.option("--max-memory", "max_memory_mb", type=click.FloatRange(min=1), default=2048.0, show_default=True,
              help="Bound on the engine's resident memory, in MiB: above it the engine is restarted.")
@_root_option
def serve_command(host: str, port: int, timeout_s: float, max_result_mb: float, max_memory_mb: float,
                  root: str | None) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint (Ctrl-C stops it).

    \b
    GET or POST queries to http://HOST:PORT/query; results in SPARQL JSON,
    XML, CSV or TSV (and Turtle, N-Triples, RDF/XML … for CONSTRUCT) by
    content negotiation. The default graph is the union of the named graphs.
    Updates are refused. Engine: the Oxigraph server (pip install oxigraph).
    """
    import signal

    from ..stores.serve import SparqlServer, is_loopback

    def _term(signum: int, frame: object) -> NoReturn:  # SIGTERM while loading or starting: unwind so start() cleans up
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _term)
    try:
        server = SparqlServer(root, host=host, port=port, timeout_s=timeout_s,
                              max_result_bytes=int(max_result_mb * 2**20),
                              max_memory=int(max_memory_mb * 2**20)).start()
    except KeyboardInterrupt:
        click.echo("stopped before the endpoint was up", err=True)
        raise SystemExit(1) from None
    try:  # a signal between start() and wait() must still stop the engine and remove the store
        if not is_loopback(host):
            click.echo(f"warning: listening on {host}: anyone who can reach this machine can query the endpoint",
                       err=True)
        if not server.outbound_blocked:
            click.echo("warning: outbound connections of the engine cannot be blocked on this platform; "
                       "SERVICE is refused by the front only", err=True)
        click.echo(f"SPARQL endpoint: {server.query_url} ({server.triples} triples, read-only, "
                   f"time limit {timeout_s:g} s, answers up to {max_result_mb:g} MiB); Ctrl-C to stop")
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
