"""The indication and evidence qualifiers of an association (issue 10, item 6).

A treatment statement says for which disease it is made: its stage or course,
grade, functional status, line and earlier treatment, in controlled values and
in the source's own words; and what evidence its quote reports (an FDA
approval, a randomised trial...), with the trial named as the source names it.
These are optional columns of ``data/tables/associations*.tsv``; this module
checks them and emits them, so that the build needs three calls and the SHACL
shapes are generated from the same list (:data:`QUALIFIER_COLUMNS`).

The controlled values are the named individuals of the qualifier classes in the
core ontology (``ontology/netgraph-edit.ttl``), never a list typed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

import pyoxigraph as ox

from .memgraph import MemoryGraph
from .model import CoreModel
from .tables import Row
from .vocab import NG

__all__ = ["QualifierColumn", "QUALIFIER_COLUMNS", "INDICATION_COLUMNS", "TREATMENT_KIND",
           "check_indication", "indication_identity", "add_indication"]

#: the association kind whose statements may carry an indication
TREATMENT_KIND = "treated_by"


@dataclass(frozen=True)
class QualifierColumn:
    """One optional column: its property, and what its values must be.

    ``controlled`` names a qualifier class of the core ontology (the values are its
    individuals); ``entity_root`` names an entity class (the values are entity ids of
    that class); neither means a free-text literal. ``treatment_only`` columns are
    refused on associations of other kinds.
    """

    column: str
    prop: ox.NamedNode
    controlled: str | None = None
    entity_root: str | None = None
    many: bool = False
    treatment_only: bool = True


QUALIFIER_COLUMNS: tuple[QualifierColumn, ...] = (
    QualifierColumn("indication_stage", NG.indicationStage, controlled="IndicationStageQualifier", many=True),
    QualifierColumn("indication_grade", NG.indicationGrade, controlled="IndicationGradeQualifier", many=True),
    QualifierColumn("indication_functional_status", NG.indicationFunctionalStatus, controlled="FunctionalStatusQualifier"),
    QualifierColumn("line", NG.treatmentLine, controlled="TreatmentLineQualifier"),
    QualifierColumn("prior_therapy", NG.afterIntervention, entity_root="Intervention", many=True),
    QualifierColumn("indication_text", NG.indicationText),
    QualifierColumn("trial", NG.evidenceTrial, entity_root="ClinicalTrial", many=True, treatment_only=False),
    QualifierColumn("evidence_type", NG.evidenceType, controlled="EvidenceTypeQualifier", treatment_only=False),
)

#: the column names, for the table reader
INDICATION_COLUMNS: tuple[str, ...] = tuple(q.column for q in QUALIFIER_COLUMNS)


def _values(row: Row, q: QualifierColumn) -> list[str]:
    return row.multi(q.column) if q.many else ([row[q.column]] if row[q.column] else [])


def check_indication(row: Row, kind_code: str, core: CoreModel, is_a: Callable[[str, str], bool]) -> None:
    """Raise the row's :class:`~netgraph.errors.CurationError` for a value that does not fit its column."""
    for q in QUALIFIER_COLUMNS:
        values = _values(row, q)
        if not values:
            continue
        if q.treatment_only and kind_code != TREATMENT_KIND:
            raise row.error(f"column {q.column!r} is given on a {kind_code!r} association",
                            f"indication columns qualify '{TREATMENT_KIND}' statements only; empty the cell")
        if not q.many and "|" in row[q.column]:
            raise row.error(f"{q.column} takes one value, not {row[q.column]!r}")
        for v in values:
            if q.controlled:
                allowed = core.qualifier_values(q.controlled)
                if v not in allowed:
                    raise row.error(f"{q.column} {v!r} is not a controlled value",
                                    f"use one of {', '.join(sorted(allowed))} (the {q.controlled} values of the core ontology)")
            elif q.entity_root and not is_a(v, q.entity_root):
                raise row.error(f"{q.column} {v!r} is not a {q.entity_root} entity",
                                f"define it in an entities table with a {q.entity_root} type")


def indication_identity(row: Row) -> tuple[str, ...]:
    """The qualifier values that identify the association (empty when none is given).

    An association without these qualifiers keeps the IRI it had before they existed.
    """
    parts = []
    for q in QUALIFIER_COLUMNS:
        values = _values(row, q)
        if values:
            parts.append(f"{q.column}={'|'.join(sorted(values))}")
    return tuple(parts)


def add_indication(g: MemoryGraph, node: ox.NamedNode, row: Row) -> int:
    """Emit the row's qualifiers on the association ``node``; return how many triples were added."""
    added = 0
    for q in QUALIFIER_COLUMNS:
        for v in _values(row, q):
            g.add((node, q.prop, NG[v] if (q.controlled or q.entity_root) else ox.Literal(v)))
            added += 1
    return added
