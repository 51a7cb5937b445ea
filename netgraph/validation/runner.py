"""`validate`: SHACL shapes, QC queries and the reasoner on one graph, into one report."""

from __future__ import annotations

import os
import time
from pathlib import Path
from collections.abc import Callable, Iterable, Mapping

from rdflib import Graph
from rdflib.graph import ReadOnlyGraphAggregate

from ..errors import InputError
from ..graphs import part_files, parse_rdf_file
from ..optional import require
from ..paths import ProjectPaths, Root, project_paths
from .inputs import DEFAULT_MAX_BYTES, read_user_files
from .qc import SourceTexts, qc_queries, qc_store, run_qc
from .reasoner import ReasonerUnavailable, inferred_graph, run_reasoner
from .report import Finding, ValidationReport
from .shacl import run_shacl
from .shapes import shape_count, shapes_graph

__all__ = ["validate", "load_graphs", "validate_graphs"]

Progress = Callable[[str], None]


def load_graphs(files: Iterable[str | os.PathLike] = (), root: Root = None, *, max_bytes: int | None = DEFAULT_MAX_BYTES,
                allow_remote_context: bool = False) -> dict[str, Graph]:
    """The graphs to validate, by part name.

    Without ``files``: the built graph (ontology, data, mappings, and the inferred
    hierarchy when present). With ``files``: the user's files as the part
    ``user``, validated together with the built graph so their individuals and
    associations can use our classes, entities and sources. The user's files are
    read strictly and offline, up to ``max_bytes`` together (see
    :mod:`netgraph.validation.inputs`).
    """
    paths = project_paths(root)
    files = [Path(f) for f in files]
    if files:
        user = read_user_files(files, max_bytes=max_bytes, allow_remote_context=allow_remote_context)
    graphs: dict[str, Graph] = {}
    parts = part_files(paths.root)
    for part, path in parts.items():
        if not path.is_file():
            if part == "inferred" or (files and part != "ontology"):
                continue
            raise InputError(f"{path}: not built; run `netgraph build` first (or give the files to validate)")
        graphs[part] = parse_rdf_file(path)
    if files:
        graphs["user"] = user
    return graphs


def validate_graphs(graphs: Mapping[str, Graph], *, root: Root = None, reasoner: bool = True,
                    progress: Progress | None = None, inputs: list[str] | None = None,
                    shared_dir: Path | None = None, shacl: bool = True, qc: bool = True) -> ValidationReport:
    """Run every check on ``graphs`` (part name -> rdflib Graph) and return one report.

    ``shacl``, ``qc`` and ``reasoner`` switch the three checks; ``shared_dir`` is
    the shared curation folder with the source texts (default: the project's, if
    present).
    """
    paths = project_paths(root)
    report = ValidationReport(inputs=inputs or sorted(graphs))
    if shacl:
        start = time.perf_counter()
        union = ReadOnlyGraphAggregate(list(graphs.values()))  # no copy: pySHACL only reads it
        shapes = shapes_graph(paths)
        report.checks["shapes"] = shape_count(shapes)
        if progress:
            progress(f"SHACL: {report.checks['shapes']} shapes on {len(union)} triples")
        report.add(run_shacl(union, shapes))
        report.timings["shacl"] = time.perf_counter() - start
    if qc:
        start = time.perf_counter()
        shared = shared_dir or paths.shared_dir() or project_paths().shared_dir()
        texts = SourceTexts.from_project(paths, shared)
        try:
            store = qc_store(graphs, paths.ontology_edit)
        except ValueError as exc:  # a term rdflib accepted and Oxigraph refuses (an IRI with a space …)
            raise InputError(f"{', '.join(inputs or sorted(graphs))}: a term cannot be loaded into the QC store: "
                             f"{exc}") from None
        findings, notes, ran = run_qc(store, qc_queries(paths), texts, progress)
        report.add(findings)
        report.notes.extend(notes)
        report.checks["qc"] = ran
        report.timings["qc"] = time.perf_counter() - start
    if reasoner:
        start = time.perf_counter()
        if progress:
            progress("reasoner: HermiT on the ontology and the instance data")
        _reason(report, graphs)
        report.timings["reasoner"] = time.perf_counter() - start
    else:
        report.notes.append("reasoner check skipped (--no-reasoner)")
    return report


def _reason(report: ValidationReport, graphs: Mapping[str, Graph]) -> None:
    g = Graph()
    for part, graph in graphs.items():
        if part != "inferred":
            g += graph
    try:
        result = run_reasoner(g)
    except ReasonerUnavailable as exc:
        report.notes.append(f"warning: reasoner check skipped: {exc}")
        report.checks["reasoner"] = 0
        return
    report.checks["reasoner"] = 1
    if not result.consistent:
        report.add([Finding("Violation", "reasoner/consistency", "reasoner",
                            "the ontology and the data are inconsistent under HermiT: an individual is an instance of "
                            "disjoint classes, or a class axiom contradicts the data; check recent edits to class "
                            "axioms (secretes, primary_site, disjointness) and entity types")])
        return
    report.add([Finding("Violation", "reasoner/unsatisfiable-class", "reasoner",
                        "this class can have no members under HermiT (it is a subclass of disjoint classes, e.g. "
                        "functional and non-functional): fix its parents or its class axioms", focus=c)
                for c in result.unsatisfiable])
    if "inferred" in graphs and "user" not in graphs:
        fresh = inferred_graph(result)
        if set(fresh) != set(graphs["inferred"]):
            report.add([Finding("Warning", "reasoner/inferred-stale", "reasoner",
                                "ontology/netgraph-inferred.ttl differs from the reasoner's conclusions: run "
                                "`netgraph reason` and commit the result")])


def validate(files: Iterable[str | os.PathLike] = (), *, root: Root = None, reasoner: bool = True,
             progress: Progress | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES,
             allow_remote_context: bool = False) -> ValidationReport:
    """Validate the built graph, or the given RDF files together with our ontology and data.

    Runs the SHACL shapes (``ontology/shapes.ttl`` plus the generated ones), the
    QC queries of ``queries/qc/`` and, unless ``reasoner=False``, the HermiT
    consistency check. Unreadable or malformed input, files over ``max_bytes``
    together, a JSON-LD context in another document (unless
    ``allow_remote_context``) or XML entity declarations raise
    :class:`netgraph.errors.InputError` (exit code 2).
    """
    files = list(files)
    paths: ProjectPaths = project_paths(root)
    require("pyshacl", "netgraph validate")  # before the (slow) loading: say what is missing at once
    if reasoner:
        require("owlready2", "the reasoner check of netgraph validate (or --no-reasoner)")
    start = time.perf_counter()
    if progress:
        progress("loading " + (", ".join(map(str, files)) if files else f"the built graph of {paths.root}"))
    graphs = load_graphs(files, root, max_bytes=max_bytes, allow_remote_context=allow_remote_context)
    load_time = time.perf_counter() - start
    report = validate_graphs(graphs, root=root, reasoner=reasoner, progress=progress,
                             inputs=[str(f) for f in files] or [str(p) for p in part_files(paths.root).values()
                                                                 if p.is_file()])
    report.timings = {"load": load_time, **report.timings}
    return report
