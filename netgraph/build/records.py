"""The checked records of a build: what stage 1 (:mod:`netgraph.build.rows`) gives stage 2 (:mod:`netgraph.build.emit`).

Immutable: a record is made once from a checked row and never changed; the
emission functions only read them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ..crosswalk.mappingset import MappingRecord, MappingSetMetadata
from ..crosswalk.obsolete import ObsoleteCode, final_replacement
from ..grading.table import Interval
from ..records.ruletable import RecordRule
from ..model import AssociationKind, CoreModel
from ..paths import ProjectPaths
from ..prefixes import SOURCE, STATEMENT
from ..tables import Row
from ..vocab import NG
from .hierarchy import ClassHierarchy

__all__ = ["Naming", "SourceRecord", "ClassRecord", "EntityRecord", "AssociationRecord", "Citation",
           "GradingSchemeRecord", "CriterionRecord", "GradeRuleRecord", "CheckedProject",
           "association_iri"]


def association_iri(kind: str, subject: str, obj: str, identity: tuple[str, ...]) -> ox.NamedNode:
    """A content-derived association IRI: readable prefix, hash of every identifying field."""
    digest = hashlib.sha256("\x1f".join((kind, subject, obj, *identity)).encode("utf-8")).hexdigest()[:12]
    return ox.NamedNode(f"{STATEMENT}{kind}-{subject}-{obj}-{digest}")


@dataclass(frozen=True)
class Naming:
    """Labels and synonyms of a class or an entity (English label required)."""

    label_en: str
    label_nl: str
    synonyms_en: tuple[str, ...]
    synonyms_nl: tuple[str, ...]
    narrow_synonyms_en: tuple[str, ...] = ()
    broad_synonyms_en: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_nl

    def synonyms(self, lang: str) -> tuple[str, ...]:
        return self.synonyms_en if lang == "en" else self.synonyms_nl


@dataclass(frozen=True)
class SourceRecord:
    """One checked row of ``sources.tsv``."""

    row: Row
    id: str
    kind: str
    title: str
    publisher: str
    language: str
    date: str
    url: str
    sha256: str
    license: str
    note: str

    @property
    def iri(self) -> ox.NamedNode:
        return ox.NamedNode(SOURCE + self.id)


@dataclass(frozen=True)
class ClassRecord:
    """One checked row of ``classes*.tsv``."""

    row: Row
    id: str
    parents: tuple[str, ...]
    naming: Naming
    definition: str
    definition_source: str
    secretes: tuple[str, ...]
    primary_site: tuple[str, ...]
    hypersecretion_syndrome: tuple[str, ...]
    deprecated: bool
    replaced_by: str
    comment: str


@dataclass(frozen=True)
class EntityRecord:
    """One checked row of ``entities*.tsv``: a named individual."""

    row: Row
    id: str
    type: str
    broader: tuple[str, ...]
    naming: Naming
    definition: str
    definition_source: str
    comment: str


@dataclass(frozen=True)
class AssociationRecord:
    """One checked row of ``associations*.tsv``, with its content-derived IRI; text cells whitespace-normalised."""

    row: Row
    iri: ox.NamedNode
    kind: AssociationKind
    subject: str
    object: str
    source: str
    quote: str
    source_record: str
    frequency: str
    frequency_text: str
    condition: str
    purposes: tuple[str, ...]
    triggers: tuple[str, ...]
    value: str  # canonical xsd:decimal lexical form ('' when none)
    unit: str
    association_type: str
    comment: str


@dataclass(frozen=True)
class Citation:
    """A checked source, whitespace-normalised quote and optional source record (grading rows)."""

    source: str
    quote: str
    source_record: str


@dataclass(frozen=True)
class GradingSchemeRecord:
    """One checked row of ``grading_schemes.tsv``."""

    row: Row
    id: str
    label_en: str
    definition: str
    conflict_resolution: str
    default: bool
    citation: Citation | None
    comment: str


@dataclass(frozen=True)
class CriterionRecord:
    """One checked index range of a grade rule (a ``ki67`` or ``mitoses`` cell and its ``_text``)."""

    index: str  # the core ontology's ProliferationIndex individual, e.g. Ki67Index
    interval: Interval
    text: str  # the source's words for the range, whitespace-normalised


@dataclass(frozen=True)
class GradeRuleRecord:
    """One checked row of ``grading.tsv``."""

    row: Row
    id: str
    scheme: str
    grade: str
    combine: str
    sites: tuple[str, ...]
    applies_to: str
    criteria: tuple[CriterionRecord, ...]
    citation: Citation
    comment: str


@dataclass(frozen=True)
class CheckedProject:
    """Everything the build emits, checked: the output of stage 1, the only input of stage 2."""

    paths: ProjectPaths
    core: CoreModel
    sources: Mapping[str, SourceRecord]
    classes: Mapping[str, ClassRecord]
    entities: Mapping[str, EntityRecord]
    hierarchy: ClassHierarchy
    associations: tuple[AssociationRecord, ...]
    mapping_metadata: MappingSetMetadata
    mappings: tuple[MappingRecord, ...]
    obsolete_codes: Mapping[str, ObsoleteCode]
    #: entities used in class axioms (``secretes``, ``primary_site``): typed in the ontology graph only
    axiom_individuals: frozenset[str]
    grading_schemes: tuple[GradingSchemeRecord, ...] = ()
    grade_rules: tuple[GradeRuleRecord, ...] = ()
    #: the checked rows of ``record-rules.tsv`` (:class:`netgraph.records.ruletable.RecordRule`, immutable)
    record_rules: tuple[RecordRule, ...] = ()

    def is_a(self, ident: str, constraint: str) -> bool:
        """True when ``ident`` is ``constraint``, a subclass of it, or an individual of it."""
        if ident in self.hierarchy:
            return self.hierarchy.is_subclass(ident, constraint)
        if ident in self.entities:
            return self.hierarchy.is_subclass(self.entities[ident].type, constraint)
        return False

    def is_known(self, ident: str) -> bool:
        """True for a class (core or table) or an entity of the tables."""
        return ident in self.hierarchy or ident in self.entities

    def label_en(self, ident: str) -> str:
        if ident in self.classes:
            return self.classes[ident].naming.label_en
        if ident in self.entities:
            return self.entities[ident].naming.label_en
        return self.core.label(NG[ident]) or ident

    def source_ref(self, r: Row | MappingRecord, sid: str) -> ox.NamedNode:
        """The IRI of source ``sid``; the row's error when sources.tsv has no such source."""
        if sid not in self.sources:
            raise r.error(f"source {sid!r} is not in sources.tsv", f"known sources: {', '.join(sorted(self.sources))}")
        return self.sources[sid].iri

    def obsolete_replacements(self) -> dict[str, str]:
        codes = dict(self.obsolete_codes)
        return {c: final_replacement(c, codes) for c in codes}
