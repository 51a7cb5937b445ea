"""OWL reasoning with HermiT (through owlready2): consistency, unsatisfiable classes, inferred hierarchy.

owlready2 reads RDF/XML, N-Triples and OWL/XML, not Turtle, so graphs are
handed over as N-Triples, serialised by Oxigraph from the triples (of the
validation store, or of the release ontology read by Oxigraph's parser). Literals whose datatype is not in the OWL 2
datatype map (``xsd:date``, ``xsd:gYear`` …) are left out, since HermiT rejects
them and they carry nothing the reasoner uses. Each run uses a fresh in-memory
owlready2 World and a private temporary directory for HermiT's input file, so
nothing is left behind.

``netgraph reason`` reasons over the release ontology alone (it declares the
individuals its class axioms need) and writes the inferred direct
``rdfs:subClassOf`` links between named classes that were not asserted to
``ontology/netgraph-inferred.ttl``; ``netgraph validate`` reasons over the
ontology plus the instance data to check that they are consistent together.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .._version import RELEASE_DATE, __version__
from ..atomic import write_atomic
from ..errors import InconsistentOntologyError, InputError, ReasonerUnavailable, StaleFileError, ValidatorError
from ..optional import require
from ..paths import ProjectPaths
from ..prefixes import GRAPH, NETGRAPH
from ..turtle import to_turtle

__all__ = ["ReasonerUnavailable", "ReasonerResult", "java_executable", "run_reasoner", "inferred_graph",
           "write_inferred", "OWL2_DATATYPES"]

#: the datatypes of the OWL 2 datatype map (plus rdf:langString); other literals are not given to HermiT
OWL2_DATATYPES = frozenset(
    [RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational]
    + [XSD[n] for n in ("decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
                        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
                        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString",
                        "token", "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary",
                        "base64Binary", "anyURI", "dateTime", "dateTimeStamp")]
)


@dataclass
class ReasonerResult:
    """What HermiT concluded."""

    consistent: bool
    unsatisfiable: list[URIRef] = field(default_factory=list)
    inferred: list[tuple[URIRef, URIRef]] = field(default_factory=list)  # (subclass, direct superclass), not asserted
    dropped_literals: int = 0
    seconds: float = 0.0


def java_executable() -> str | None:
    """The Java runtime owlready2 will call, or None when there is none."""
    owlready2 = require("owlready2", "the OWL reasoner (HermiT)")

    exe = owlready2.JAVA_EXE
    return shutil.which(exe) or (exe if os.path.isfile(exe) else None)


_OWL2_IRIS = frozenset(str(d) for d in OWL2_DATATYPES)


def _ox_triples(graph: Any) -> Iterable[Any]:
    """pyoxigraph triples (or quads) as given, or those of an rdflib Graph (the rdflib boundary)."""
    if isinstance(graph, Graph):
        from ..rdfterms import ox_triples

        return ox_triples(graph)
    return graph


def _reasoner_input(triples: Iterable[Any]) -> tuple[bytes, int, dict[str, set[str]]]:
    """N-Triples for HermiT (literals of datatypes outside OWL 2 left out), their number, asserted subclass links."""
    import pyoxigraph as ox

    kept: list[Any] = []
    dropped = 0
    asserted: dict[str, set[str]] = {}
    subclass = ox.NamedNode(str(RDFS.subClassOf))
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and not o.language and o.datatype.value not in _OWL2_IRIS:
            dropped += 1
            continue
        if t.predicate == subclass and isinstance(t.subject, ox.NamedNode) and isinstance(o, ox.NamedNode):
            asserted.setdefault(t.subject.value, set()).add(o.value)
        kept.append(ox.Triple(t.subject, t.predicate, o))
    data = ox.serialize(sorted(set(kept), key=str), format=ox.RdfFormat.N_TRIPLES) or b""
    return data, dropped, asserted


@contextmanager
def _private_tempdir() -> Iterator[str]:
    """Point :mod:`tempfile` at a private directory for owlready2's HermiT input file."""
    saved = tempfile.tempdir
    with tempfile.TemporaryDirectory(prefix="netgraph-hermit-") as tmp:
        tempfile.tempdir = tmp
        try:
            yield tmp
        finally:
            tempfile.tempdir = saved


def _named(entity: object) -> bool:
    return hasattr(entity, "iri") and entity.iri.startswith(NETGRAPH)


def run_reasoner(graph: Any) -> ReasonerResult:
    """Run HermiT on ``graph``: consistency, unsatisfiable classes and the inferred class hierarchy.

    ``graph`` is an iterable of pyoxigraph triples or quads (their graph names
    ignored), or an rdflib Graph a caller hands in.
    """
    owlready2 = require("owlready2", "the OWL reasoner (HermiT)")
    java = java_executable()
    if java is None:
        raise ReasonerUnavailable("Java was not found, so the OWL reasoner (HermiT, through owlready2) cannot run; "
                                  "install a Java runtime (e.g. `apt-get install default-jre-headless`)")
    from owlready2 import OwlReadyInconsistentOntologyError, OwlReadyJavaError, ThingClass, World

    start = time.perf_counter()
    data, dropped, asserted = _reasoner_input(_ox_triples(graph))
    world = World()
    try:
        onto = world.get_ontology(NETGRAPH + "reasoner-input")
        onto.load(fileobj=io.BytesIO(data), format="ntriples")
        try:
            with _private_tempdir():
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except OwlReadyInconsistentOntologyError:
            return ReasonerResult(consistent=False, dropped_literals=dropped, seconds=time.perf_counter() - start)
        except OwlReadyJavaError as exc:
            raise ValidatorError(f"the reasoner (HermiT) failed: {str(exc).strip()[:2000]}") from exc
        unsatisfiable = sorted(URIRef(c.iri) for c in world.inconsistent_classes() if _named(c))
        inferred: list[tuple[URIRef, URIRef]] = []
        bad = set(map(str, unsatisfiable))
        for cls in world.classes():
            if not _named(cls) or cls.iri in bad:
                continue
            ancestors = {a for a in cls.ancestors(include_self=False)
                         if isinstance(a, ThingClass) and _named(a) and a.iri != cls.iri}
            equivalents = {a for a in ancestors if cls in a.ancestors(include_self=False)}
            ancestors -= equivalents
            direct = {a for a in ancestors
                      if not any(b is not a and a in b.ancestors(include_self=False) for b in ancestors)}
            for parent in direct:
                if parent.iri not in asserted.get(cls.iri, set()):
                    inferred.append((URIRef(cls.iri), URIRef(parent.iri)))
        return ReasonerResult(consistent=True, unsatisfiable=unsatisfiable, inferred=sorted(inferred),
                              dropped_literals=dropped, seconds=time.perf_counter() - start)
    finally:
        world.close()


def inferred_graph(result: ReasonerResult) -> Graph:
    g = Graph()
    for sub, sup in result.inferred:
        g.add((sub, RDFS.subClassOf, sup))
    return g


def _inferred_bytes(paths: ProjectPaths) -> tuple[bytes, ReasonerResult]:
    if not paths.ontology_release.is_file():
        raise InputError(f"{paths.ontology_release} is not built; run `netgraph build` first")
    import pyoxigraph as ox

    try:
        triples = list(ox.parse(path=str(paths.ontology_release), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"{paths.ontology_release}: cannot parse: {exc}") from exc
    result = run_reasoner(triples)
    if not result.consistent:
        raise InconsistentOntologyError(f"{paths.ontology_release} is inconsistent under HermiT; run `netgraph validate` for details")
    if result.unsatisfiable:
        raise InconsistentOntologyError("unsatisfiable classes: " + ", ".join(result.unsatisfiable))
    header = [f"netgraph {__version__} ({RELEASE_DATE}): inferred class hierarchy "
              f"(named graph {GRAPH}inferred)",
              "Generated by `netgraph reason` (HermiT via owlready2) from ontology/netgraph.ttl: the direct "
              "rdfs:subClassOf links between named classes that the reasoner infers and the ontology does not assert. "
              "Do not edit."]
    return to_turtle(inferred_graph(result), header), result


def write_inferred(paths: ProjectPaths, *, check: bool = False) -> ReasonerResult:
    """Reason over the release ontology and write (or, with ``check``, compare) the inferred file."""
    data, result = _inferred_bytes(paths)
    target = paths.inferred
    fresh = target.is_file() and target.read_bytes() == data
    if check:
        if not fresh:
            raise StaleFileError([str(target)])
    elif not fresh:
        write_atomic(target, data)
    return result
