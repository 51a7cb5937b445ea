"""The knowledge model as the core ontology declares it.

The build, the shapes and the documentation read association kinds, entity
types and qualifier values from ``ontology/netgraph-edit.ttl`` through this
module, so the model is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from .errors import BuildError
from .memgraph import MemoryGraph
from .prefixes import NETGRAPH
from .vocab import NG, OWL, RDF, RDFS, local

__all__ = ["AssociationKind", "CoreModel", "ENTITY_ROOTS"]

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


@dataclass(frozen=True)
class AssociationKind:
    """One association kind: its table code, class, direct predicate and constraints."""

    code: str
    class_iri: ox.NamedNode
    label: str
    direct_predicate: ox.NamedNode
    direct_label: str
    subject_constraints: tuple[str, ...]
    object_constraints: tuple[str, ...]


class CoreModel:
    """Read-only view of the hand-edited core ontology."""

    def __init__(self, graph: MemoryGraph, path: Path | None = None):
        self.graph = graph
        self.path = path

    @classmethod
    def load(cls, path: Path) -> CoreModel:
        try:
            g = MemoryGraph.parse(path)
        except (SyntaxError, ValueError, OSError) as exc:
            raise BuildError(f"{path}: cannot parse the core ontology: {exc}") from exc
        return cls(g, path)

    def label(self, iri: str | ox.NamedNode, lang: str = "en") -> str | None:
        """The label of ``iri`` (a term or an IRI string) in ``lang``, or ``None``."""
        node = iri if isinstance(iri, ox.NamedNode) else ox.NamedNode(iri)
        for o in self.graph.objects(node, RDFS.label):
            if isinstance(o, ox.Literal) and o.language == lang:
                return o.value
        return None

    @cached_property
    def classes(self) -> dict[str, list[str]]:
        """Core class local name -> named parents (local names)."""
        out: dict[str, list[str]] = {}
        for c in self.graph.subjects(RDF.type, OWL.Class):
            if isinstance(c, ox.NamedNode) and c.value.startswith(NETGRAPH):
                parents = [local(p) for p in self.graph.objects(c, RDFS.subClassOf)
                           if isinstance(p, ox.NamedNode) and p.value.startswith(NETGRAPH)]
                out[local(c)] = sorted(parents)
        return out

    @cached_property
    def individuals(self) -> dict[str, str]:
        """Core named individual local name -> its netgraph class (qualifier values)."""
        out = {}
        for ind in self.graph.subjects(RDF.type, OWL.NamedIndividual):
            for t in self.graph.objects(ind, RDF.type):
                if t != OWL.NamedIndividual and isinstance(t, ox.NamedNode) and t.value.startswith(NETGRAPH):
                    out[local(ind)] = local(t)
        return out

    def qualifier_values(self, qualifier_class: str) -> set[str]:
        return {i for i, t in self.individuals.items() if t == qualifier_class}

    @cached_property
    def association_kinds(self) -> dict[str, AssociationKind]:
        kinds: dict[str, AssociationKind] = {}
        for cls in self.graph.subjects(NG.kindCode, None):
            codes, preds = self.graph.objects(cls, NG.kindCode), self.graph.objects(cls, NG.directPredicate)
            code = codes[0].value
            if code in kinds or len(codes) != 1 or len(preds) != 1 or not isinstance(cls, ox.NamedNode) \
                    or not isinstance(preds[0], ox.NamedNode):
                raise BuildError(f"{self.path}: association kind {code!r} is declared twice, or lacks one "
                                 "netgraph:directPredicate IRI")
            pred = preds[0]
            kinds[code] = AssociationKind(
                code=code,
                class_iri=cls,
                label=self.label(cls) or local(cls),
                direct_predicate=pred,
                direct_label=self.label(pred) or local(pred),
                subject_constraints=tuple(sorted(local(o) for o in self.graph.objects(cls, NG.subjectConstraint))),
                object_constraints=tuple(sorted(local(o) for o in self.graph.objects(cls, NG.objectConstraint))),
            )
        return kinds
