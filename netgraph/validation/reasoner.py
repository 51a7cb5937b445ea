"""OWL reasoning with HermiT (through owlready2): consistency, unsatisfiable classes, inferred hierarchy.

owlready2 reads RDF/XML, N-Triples and OWL/XML, not Turtle, so graphs are
handed over as N-Triples, serialised by Oxigraph from the triples (of the
validation store, or of the release ontology read by Oxigraph's parser). Literals whose datatype is not in the OWL 2
datatype map (``xsd:date``, ``xsd:gYear`` …) are left out, since HermiT rejects
them and they carry nothing the reasoner uses. HermiT is the jar that owlready2
ships, run on Java to classify only (see :func:`_hermit_command`); its input file
sits in a private temporary directory, so nothing is left behind.

``netgraph reason`` reasons over the release ontology alone (it declares the
individuals its class axioms need) and writes the inferred direct
``rdfs:subClassOf`` links between named classes that were not asserted to
``ontology/netgraph-inferred.ttl``; ``netgraph validate`` reasons over the
ontology plus the instance data to check that they are consistent together.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .._version import RELEASE_DATE, __version__
from ..atomic import write_atomic
from ..errors import InconsistentOntologyError, InputError, ReasonerUnavailable, StaleFileError, ValidatorError
from ..memgraph import MemoryGraph
from ..optional import require
from ..paths import ProjectPaths
from ..prefixes import GRAPH, NETGRAPH
from ..turtle import to_turtle
from ..vocab import OWL, RDF, RDFS, XSD

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
    unsatisfiable: list[ox.NamedNode] = field(default_factory=list)
    # (subclass, direct superclass), not asserted
    inferred: list[tuple[ox.NamedNode, ox.NamedNode]] = field(default_factory=list)
    dropped_literals: int = 0
    seconds: float = 0.0


def java_executable() -> str | None:
    """The Java runtime owlready2 will call, or None when there is none."""
    owlready2 = require("owlready2", "the OWL reasoner (HermiT)")

    exe = owlready2.JAVA_EXE
    return shutil.which(exe) or (exe if os.path.isfile(exe) else None)


_OWL2_IRIS = frozenset(d.value for d in OWL2_DATATYPES)


def _ox_triples(graph: Any) -> Iterable[Any]:
    """pyoxigraph triples (or quads) as given, or those of a caller's rdflib Graph (the rdflib boundary)."""
    rdflib = sys.modules.get("rdflib")  # a caller who hands in an rdflib Graph has imported rdflib: never import it here
    if rdflib is not None and isinstance(graph, rdflib.Graph):
        from ..rdfterms import ox_triples

        return ox_triples(graph)
    return graph


def _reasoner_input(triples: Iterable[Any]) -> tuple[bytes, int, dict[str, set[str]]]:
    """N-Triples for HermiT (literals of datatypes outside OWL 2 left out), their number, asserted subclass links."""
    kept: list[Any] = []
    dropped = 0
    asserted: dict[str, set[str]] = {}
    subclass = RDFS.subClassOf
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


def _hermit_command(owlready2: Any, java: str, source: Path) -> list[str]:
    """HermiT's command line, from the jar that owlready2 ships: classify (``-c``) only.

    Classification checks consistency first (an inconsistent input exits 1 with
    "Inconsistent ontology") and prints the direct subclass links and the
    equivalence sets of the class hierarchy, which is all netgraph uses. owlready2's
    own ``sync_reasoner_hermit`` also classifies the properties and realises every
    individual (``-O -D -I``), which took two thirds of the time (36 of 52 s) on the graph's
    15,000 statement individuals, and its answer was not used.
    """
    home = Path(owlready2.__file__).parent / "hermit"
    classpath = os.pathsep.join([str(home), str(home / "HermiT.jar")])
    return [java, f"-Xmx{owlready2.JAVA_MEMORY}M", "-cp", classpath, "org.semanticweb.HermiT.cli.CommandLine",
            "-c", source.as_uri()]


_AXIOM = re.compile(r"^(SubClassOf|EquivalentClasses)\( (.*) \)$")
_IRI = re.compile(r"<([^>]*)>")
_NOTHING = OWL.Nothing.value


def _taxonomy(output: str) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """The (subclass, direct superclass) links and the equivalence sets in HermiT's classification output."""
    links: list[tuple[str, str]] = []
    equivalences: list[list[str]] = []
    for line in output.splitlines():
        m = _AXIOM.match(line.strip())
        if not m:
            continue
        iris = _IRI.findall(m.group(2))
        if m.group(1) == "SubClassOf" and len(iris) == 2:
            links.append((iris[0], iris[1]))
        elif m.group(1) == "EquivalentClasses":
            equivalences.append(iris)
    return links, equivalences


def _classify(owlready2: Any, java: str, data: bytes) -> str | None:
    """HermiT's output for N-Triples ``data`` (in a private temporary directory), or None if inconsistent."""
    with tempfile.TemporaryDirectory(prefix="netgraph-hermit-") as tmp:
        source = Path(tmp) / "input.nt"
        source.write_bytes(data)
        proc = subprocess.run(_hermit_command(owlready2, java, source), capture_output=True, check=False)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode == 0:
        return out
    if "InconsistentOntologyException" in err:
        return None
    raise ValidatorError(f"the reasoner (HermiT) failed (exit {proc.returncode}): {(err or out).strip()[:2000]}")


def _named(iri: str) -> bool:
    return iri.startswith(NETGRAPH)


def run_reasoner(graph: Any) -> ReasonerResult:
    """Run HermiT on ``graph``: consistency, unsatisfiable classes and the inferred class hierarchy.

    ``graph`` is an iterable of pyoxigraph triples or quads (their graph names
    ignored: a :class:`~netgraph.memgraph.MemoryGraph`, a list, a store's quads), or an
    rdflib Graph a caller hands in.
    """
    owlready2 = require("owlready2", "the OWL reasoner (HermiT)")
    java = java_executable()
    if java is None:
        raise ReasonerUnavailable("Java was not found, so the OWL reasoner (HermiT, through owlready2) cannot run; "
                                  "install a Java runtime (e.g. `apt-get install default-jre-headless`)")
    start = time.perf_counter()
    data, dropped, asserted = _reasoner_input(_ox_triples(graph))
    output = _classify(owlready2, java, data)
    if output is None:
        return ReasonerResult(consistent=False, dropped_literals=dropped, seconds=time.perf_counter() - start)
    links, equivalences = _taxonomy(output)
    unsatisfiable = {iri for eq in equivalences if _NOTHING in eq for iri in eq if _named(iri)}
    same: dict[str, set[str]] = {}  # a class equivalent to others has their direct superclasses too
    for eq in equivalences:
        if _NOTHING not in eq:
            for iri in eq:
                same.setdefault(iri, set()).update(eq)
    inferred = {(sub, sup)
                for named_sub, named_sup in links
                for sub in same.get(named_sub, {named_sub})
                for sup in same.get(named_sup, {named_sup})
                if _named(sub) and _named(sup) and sub not in unsatisfiable and sup not in asserted.get(sub, set())}
    return ReasonerResult(consistent=True, unsatisfiable=[ox.NamedNode(i) for i in sorted(unsatisfiable)],
                          inferred=[(ox.NamedNode(a), ox.NamedNode(b)) for a, b in sorted(inferred)],
                          dropped_literals=dropped, seconds=time.perf_counter() - start)


def inferred_graph(result: ReasonerResult) -> MemoryGraph:
    """The inferred ``rdfs:subClassOf`` links of ``result`` (what ``ontology/netgraph-inferred.ttl`` holds)."""
    return MemoryGraph((sub, RDFS.subClassOf, sup) for sub, sup in result.inferred)


def _inferred_bytes(paths: ProjectPaths) -> tuple[bytes, ReasonerResult]:
    if not paths.ontology_release.is_file():
        raise InputError(f"{paths.ontology_release} is not built; run `netgraph build` first")
    try:
        triples = list(ox.parse(path=str(paths.ontology_release), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"{paths.ontology_release}: cannot parse: {exc}") from exc
    result = run_reasoner(triples)
    if not result.consistent:
        raise InconsistentOntologyError(f"{paths.ontology_release} is inconsistent under HermiT; run `netgraph validate` for details")
    if result.unsatisfiable:
        raise InconsistentOntologyError("unsatisfiable classes: " + ", ".join(c.value for c in result.unsatisfiable))
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
