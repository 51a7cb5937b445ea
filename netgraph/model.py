"""The knowledge model as the core ontology declares it.

The build, the shapes and the documentation read association kinds, entity
types and qualifier values from ``ontology/netgraph-edit.ttl`` through this
module, so the model is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .errors import BuildError
from .prefixes import NETGRAPH

__all__ = ["AssociationKind", "CoreModel", "ENTITY_ROOTS", "NG"]


class _NS:
    def __getattr__(self, name: str) -> URIRef:
        return URIRef(NETGRAPH + name)

    def __getitem__(self, name: str) -> URIRef:
        return URIRef(NETGRAPH + name)


NG = _NS()

#: Core classes whose subclasses may type a named individual of ``entities.tsv``.
ENTITY_ROOTS = (
    "SecretedSubstance",
    "Biomarker",
    "SymptomOrSign",
    "AnatomicalSite",
    "CellType",
    "Trigger",
    "RiskFactor",
    "EpidemiologicalMeasure",
    "DiagnosticProcedure",
    "Intervention",
    "Gene",
    "ClinicalTrial",
)


def local(iri: object) -> str:
    s = str(iri)
    return s[len(NETGRAPH):] if s.startswith(NETGRAPH) else s


@dataclass(frozen=True)
class AssociationKind:
    """One association kind: its table code, class, direct predicate and constraints."""

    code: str
    class_iri: URIRef
    label: str
    direct_predicate: URIRef
    direct_label: str
    subject_constraints: tuple[str, ...]
    object_constraints: tuple[str, ...]


class CoreModel:
    """Read-only view of the hand-edited core ontology."""

    def __init__(self, graph: Graph, path: Path | None = None):
        self.graph = graph
        self.path = path

    @classmethod
    def load(cls, path: Path) -> CoreModel:
        g = Graph()
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise BuildError(f"{path}: cannot parse the core ontology: {exc}") from exc
        return cls(g, path)

    def label(self, iri: str | Node, lang: str = "en") -> str | None:
        for o in self.graph.objects(URIRef(str(iri)), RDFS.label):
            if isinstance(o, Literal) and o.language == lang:
                return str(o)
        return None

    @cached_property
    def classes(self) -> dict[str, list[str]]:
        """Core class local name -> named parents (local names)."""
        out: dict[str, list[str]] = {}
        for c in self.graph.subjects(RDF.type, OWL.Class):
            if isinstance(c, URIRef) and str(c).startswith(NETGRAPH):
                parents = [local(p) for p in self.graph.objects(c, RDFS.subClassOf)
                           if isinstance(p, URIRef) and str(p).startswith(NETGRAPH)]
                out[local(c)] = sorted(parents)
        return out

    @cached_property
    def individuals(self) -> dict[str, str]:
        """Core named individual local name -> its netgraph class (qualifier values)."""
        out = {}
        for ind in self.graph.subjects(RDF.type, OWL.NamedIndividual):
            for t in self.graph.objects(ind, RDF.type):
                if t != OWL.NamedIndividual and str(t).startswith(NETGRAPH):
                    out[local(ind)] = local(t)
        return out

    def qualifier_values(self, qualifier_class: str) -> set[str]:
        return {i for i, t in self.individuals.items() if t == qualifier_class}

    @cached_property
    def association_kinds(self) -> dict[str, AssociationKind]:
        kinds: dict[str, AssociationKind] = {}
        for cls in sorted(self.graph.subjects(NG.kindCode, None), key=str):
            code = str(self.graph.value(cls, NG.kindCode))
            pred = self.graph.value(cls, NG.directPredicate)
            if code in kinds or pred is None:
                raise BuildError(f"{self.path}: association kind {code!r} is declared twice or lacks netgraph:directPredicate")
            kinds[code] = AssociationKind(
                code=code,
                class_iri=URIRef(str(cls)),
                label=self.label(cls) or local(cls),
                direct_predicate=URIRef(str(pred)),
                direct_label=self.label(pred) or local(pred),
                subject_constraints=tuple(sorted(local(o) for o in self.graph.objects(cls, NG.subjectConstraint))),
                object_constraints=tuple(sorted(local(o) for o in self.graph.objects(cls, NG.objectConstraint))),
            )
        return kinds
