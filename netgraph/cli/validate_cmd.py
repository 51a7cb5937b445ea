"""`netgraph validate` and `netgraph reason`."""

from __future__ import annotations

import click

from ..atomic import write_atomic
from ..validation.inputs import DEFAULT_MAX_BYTES
from ..paths import project_paths
from .options import common_options, format_option, output_option, progress_option
from .verbosity import is_quiet, make_progress

__all__ = ["validate_command", "reason_command"]


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@format_option(["text", "json", "turtle"], default="text",
               help="Report format; turtle is the SHACL validation report graph.")
@click.option("--no-reasoner", is_flag=True, help="Skip the HermiT consistency check (it needs Java).")
@output_option(help="Write the report to this file (atomically) instead of standard output.")
@click.option("--max-size", "max_size", type=click.FloatRange(min=0), default=DEFAULT_MAX_BYTES / 2**20,
              show_default=True, metavar="MB",
              help="Refuse FILES larger than this together (validation holds them in memory, about 20x an "
                   "N-Triples file); 0 for no limit.")
@click.option("--allow-remote-context", is_flag=True,
              help="Let a JSON-LD file's @context/@import fetch other documents (by default validate reads only "
                   "the FILES named, and refuses such a file).")
@click.option("--engine", type=click.Choice(["auto", "pyshacl"]), default="auto", show_default=True,
              help="SHACL engine: auto runs the shapes compiled to SPARQL on the store (pySHACL for a shape without "
                   "a translation); pyshacl runs every shape with pySHACL, the reference engine.")
@progress_option
@common_options
def validate_command(files: tuple[str, ...], fmt: str, no_reasoner: bool, output: str | None, max_size: float,
                     allow_remote_context: bool, engine: str, root: str | None) -> int:
    """Check the built graph, or the given RDF FILES, against netgraph's rules.

    Runs the SHACL shapes (ontology/shapes.ttl plus the shapes generated from
    the ontology and the prefix map), the QC queries of queries/qc/ and the
    HermiT reasoner (consistency, unsatisfiable classes). FILES (.ttl .nt .nq
    .trig .jsonld .rdf .owl) are validated together with netgraph's ontology and
    data, so an extension can use our classes, entities and sources.

    FILES are parsed strictly (an error names the file and line) and offline:
    no JSON-LD context is fetched unless --allow-remote-context, and an RDF/XML
    file that declares XML entities is refused.

    The report is grouped by severity and rule and names the focus node, the
    path and the value. Exit codes (as pySHACL): 0 conforms (warnings allowed),
    1 violations, 2 error (unreadable or malformed input).
    """
    from ..validation import validate

    with make_progress("validate") as progress:
        report = validate(files, root=root, reasoner=not no_reasoner, progress=progress.step,
                          max_bytes=int(max_size * 2**20) if max_size else None,
                          allow_remote_context=allow_remote_context, engine=engine)
    text = report.render(fmt)
    if output and output != "-":
        write_atomic(output, text.encode("utf-8"))
        if not is_quiet():
            click.echo(report.summary(), err=True)
    else:
        click.echo(text, nl=False)
    exit_code: int = report.exit_code
    return exit_code


@click.command("reason")
@click.option("--check", is_flag=True,
              help="Do not write; exit 1 when ontology/netgraph-inferred.ttl differs from a fresh reasoner run.")
@common_options
def reason_command(check: bool, root: str | None) -> None:
    """Run HermiT on the release ontology and write its inferred class hierarchy.

    Writes ontology/netgraph-inferred.ttl: the direct rdfs:subClassOf links
    between named classes that the reasoner infers and the ontology does not
    assert (for example a tumour class that causes a hormone hypersecretion
    syndrome by definition under FunctionalNeuroendocrineNeoplasm). Needs Java. Exit codes: 0 done (or
    fresh, with --check), 1 stale (--check), 2 error (no Java, inconsistent
    ontology, unsatisfiable classes).
    """
    from ..validation import write_inferred

    paths = project_paths(root)
    result = write_inferred(paths, check=check)
    state = "fresh" if check else "written"
    if not is_quiet():
        click.echo(f"{state}: {paths.inferred} ({len(result.inferred)} inferred subclass links, "
                   f"HermiT {result.seconds:.1f} s)")
