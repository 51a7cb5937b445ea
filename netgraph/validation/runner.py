"""`validate`: SHACL shapes, QC queries and the reasoner on one store of the graph, into one report.

The graph is held once, in a :class:`~netgraph.validation.graphstore.ValidationStore`:
the compiled shapes and the QC queries query it, the reasoner gets its N-Triples,
and pySHACL (``engine="pyshacl"``, or a shape the compiler cannot translate) an
rdflib graph made from it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ..errors import InputError
from ..graphs import PARTS, part_files
from ..optional import require
from ..paths import ProjectPaths, Root, project_paths
from ..rdfterms import from_oxigraph
from .engine import ENGINES, run_shapes
from .graphstore import ValidationStore, store_from_built, store_from_graphs
from .inputs import DEFAULT_MAX_BYTES, read_user_triples
from .qc import SourceTexts, qc_queries, run_qc
from .reasoner import ReasonerUnavailable, inferred_graph, run_reasoner
from .report import Finding, ValidationReport
from .shapes import shape_count, shapes_graph

if TYPE_CHECKING:
    from rdflib import Graph  # boundary: load_graphs gives and validate_graphs takes a caller's rdflib graphs

__all__ = ["validate", "load_graphs", "validate_graphs", "validate_store", "open_validation_store"]

Progress = Callable[[str], None]


def open_validation_store(files: Iterable[str | os.PathLike] = (), root: Root = None, *,
                          max_bytes: int | None = DEFAULT_MAX_BYTES,
                          allow_remote_context: bool = False) -> ValidationStore:
    """The one store `validate` checks: the built graph, plus the user's ``files`` as the part ``user``.

    Without ``files``: the built graph (ontology, data, mappings, and the inferred
    hierarchy when present). With ``files``: the user's files, read strictly and
    offline up to ``max_bytes`` together (see :mod:`netgraph.validation.inputs`),
    validated together with the built graph so their individuals and associations
    can use our classes, entities and sources (only the ontology must be built then).
    """
    files = [Path(f) for f in files]
    user = read_user_triples(files, max_bytes=max_bytes, allow_remote_context=allow_remote_context) if files else None
    optional = [p for p in PARTS if p != "ontology"] if files else ["inferred"]
    vs = store_from_built(root, optional=optional)
    if user is not None:
        try:
            vs.add_part("user", user)
        except BaseException:
            vs.close()
            raise
    return vs


def load_graphs(files: Iterable[str | os.PathLike] = (), root: Root = None, *,
                max_bytes: int | None = DEFAULT_MAX_BYTES, allow_remote_context: bool = False) -> dict[str, Graph]:
    """The graphs :func:`open_validation_store` holds, as rdflib Graphs by part name (for the rdflib API)."""
    with open_validation_store(files, root, max_bytes=max_bytes, allow_remote_context=allow_remote_context) as vs:
        return {part: vs.rdflib_part(part) for part in vs.parts}


def validate_graphs(graphs: Mapping[str, Graph], *, root: Root = None, reasoner: bool = True,
                    progress: Progress | None = None, inputs: list[str] | None = None,
                    shared_dir: Path | None = None, shacl: bool = True, qc: bool = True,
                    engine: str = "auto") -> ValidationReport:
    """Run every check on ``graphs`` (part name -> rdflib Graph, converted once into the validation store).

    See :func:`validate_store` for the options.
    """
    with store_from_graphs(graphs) as vs:
        return validate_store(vs, root=root, reasoner=reasoner, progress=progress, inputs=inputs or sorted(graphs),
                              shared_dir=shared_dir, shacl=shacl, qc=qc, engine=engine)


def validate_store(vs: ValidationStore, *, root: Root = None, reasoner: bool = True,
                   progress: Progress | None = None, inputs: list[str] | None = None,
                   shared_dir: Path | None = None, shacl: bool = True, qc: bool = True,
                   engine: str = "auto") -> ValidationReport:
    """Run every check on the store and return one report.

    ``shacl``, ``qc`` and ``reasoner`` switch the three checks; ``engine`` picks
    the SHACL engine: ``auto`` (the shapes compiled to SPARQL where the compiler
    has a translation, pySHACL for the rest) or ``pyshacl`` (the reference engine
    for every shape). ``shared_dir`` is the shared curation folder with the source
    texts (default: the project's, if present).
    """
    if engine not in ENGINES:
        raise InputError(f"unknown SHACL engine {engine!r}; use one of {', '.join(ENGINES)}")
    paths = project_paths(root)
    report = ValidationReport(inputs=inputs or list(vs.parts))
    if shacl:
        start = time.perf_counter()
        shapes = shapes_graph(paths)
        report.checks["shapes"] = shape_count(shapes)
        if progress:
            progress(f"SHACL: {report.checks['shapes']} shapes ({engine} engine)")
        report.add(run_shapes(vs, shapes, engine=engine, notes=report.notes))
        report.timings["shacl"] = time.perf_counter() - start
    if qc:
        start = time.perf_counter()
        shared = shared_dir or paths.shared_dir() or project_paths().shared_dir()
        texts = SourceTexts.from_project(paths, shared)
        vs.add_support_graphs(paths.ontology_edit)
        findings, notes, ran = run_qc(vs.store, qc_queries(paths), texts, progress)
        report.add(findings)
        report.notes.extend(notes)
        report.checks["qc"] = ran
        report.timings["qc"] = time.perf_counter() - start
    if reasoner:
        start = time.perf_counter()
        if progress:
            progress("reasoner: HermiT on the ontology and the instance data")
        _reason(report, vs)
        report.timings["reasoner"] = time.perf_counter() - start
    else:
        report.notes.append("reasoner check skipped (--no-reasoner)")
    return report


def _reason(report: ValidationReport, vs: ValidationStore) -> None:
    try:
        result = run_reasoner(vs.triples([p for p in vs.parts if p != "inferred"]))
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
                        "functional and non-functional): fix its parents or its class axioms", focus=from_oxigraph(c))
                for c in result.unsatisfiable])
    if "inferred" in vs.parts and "user" not in vs.parts:
        fresh = set(inferred_graph(result))
        held = {t.triple for t in vs.triples(["inferred"])}
        if fresh != held:
            report.add([Finding("Warning", "reasoner/inferred-stale", "reasoner",
                                "ontology/netgraph-inferred.ttl differs from the reasoner's conclusions: run "
                                "`netgraph reason` and commit the result")])


def validate(files: Iterable[str | os.PathLike] = (), *, root: Root = None, reasoner: bool = True,
             progress: Progress | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES,
             allow_remote_context: bool = False, engine: str = "auto") -> ValidationReport:
    """Validate the built graph, or the given RDF files together with our ontology and data.

    Runs the SHACL shapes (``ontology/shapes.ttl`` plus the generated ones), the
    QC queries of ``queries/qc/`` and, unless ``reasoner=False``, the HermiT
    consistency check. ``engine`` picks the SHACL engine (see :func:`validate_store`). Unreadable or malformed input, files over ``max_bytes``
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
    with open_validation_store(files, root, max_bytes=max_bytes, allow_remote_context=allow_remote_context) as vs:
        load_time = time.perf_counter() - start
        report = validate_store(vs, root=root, reasoner=reasoner, progress=progress, engine=engine,
                                inputs=[str(f) for f in files] or [str(p) for p in part_files(paths.root).values()
                                                                    if p.is_file()])
    report.timings = {"load": load_time, **report.timings}
    return report
