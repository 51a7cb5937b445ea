"""Stage 1 of the build: check every curated row and turn the tables into immutable records.

:func:`check_project` reads the core ontology, the tables under ``data/tables/``,
the SSSOM file, the obsolete codes and the rule tables (grading and record rules,
:mod:`netgraph.build.rulerows`), checks each row against its syntax and
against the rest of the project (ids, parents, types, sources, controlled
values, labels, duplicates), and returns one :class:`CheckedProject`. It does
not stop at the first bad row: every row is checked, and all the problems are
raised together (:class:`~netgraph.errors.CurationErrors`, each with its file and
line; one problem alone is raised as its own :class:`~netgraph.errors.CurationError`).
The records are defined in :mod:`netgraph.build.records`. A row whose id is
malformed or taken is left out of the records (so that one typo
does not hide the other problems); a row with any other problem stays in, since
nothing is emitted from a project with problems.

Stage 2 (:mod:`netgraph.build.emit`) turns a checked project into triples.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import TypeVar
from collections.abc import Callable, Iterable, Mapping, Sequence

import pyoxigraph as ox

from ..crosswalk.mappingset import MappingRecord, read_metadata, records_from_rows
from ..crosswalk.obsolete import ObsoleteCode, final_replacement, read_obsolete_codes
from ..errors import CurationError, CurationErrors
from ..indication import check_indication, indication_identity
from ..literals import canonical_decimal
from ..model import ENTITY_ROOTS, CoreModel
from ..paths import ProjectPaths
from ..sourcetext import normalise_whitespace
from ..tables import Row, read_table, read_tables, url_problem
from ..vocab import NG
from .columns import (ASSOCIATION_COLUMNS, ASSOCIATION_OPTIONAL, CLASS_COLUMNS, CLASS_OPTIONAL, DATE_RE, DECIMAL_RE,
                      ENTITY_COLUMNS, ENTITY_OPTIONAL, ID_RE, LANG_RE, SHA256_RE, SOURCE_COLUMNS, SOURCE_ID_RE,
                      SOURCE_KINDS, SOURCE_OPTIONAL, SSSOM_COLUMNS, SSSOM_OPTIONAL)
from .hierarchy import ClassHierarchy
from .rulerows import check_grading, check_record_rules
from .records import (AssociationRecord, CheckedProject, ClassRecord, EntityRecord, Naming, SourceRecord,
                      association_iri)

__all__ = ["Naming", "SourceRecord", "ClassRecord", "EntityRecord", "AssociationRecord", "CheckedProject",
           "check_project", "association_iri", "raise_all", "MAX_REPORTED",
           "SOURCE_COLUMNS", "SOURCE_OPTIONAL"]

#: how many problems an error message lists (the rest are counted)
MAX_REPORTED = 50


S = TypeVar("S")
T = TypeVar("T")


class _Problems:
    """The problems found so far; :meth:`each` checks items one by one and keeps going."""

    def __init__(self) -> None:
        self.found: list[CurationError] = []

    def each(self, items: Iterable[S], check: Callable[[S], T]) -> list[T]:
        out: list[T] = []
        for item in items:
            try:
                out.append(check(item))
            except CurationError as exc:
                self.found.append(exc)
        return out

    def run(self, check: Callable[[], T], default: T) -> T:
        try:
            return check()
        except CurationError as exc:
            self.found.append(exc)
            return default


def raise_all(problems: Sequence[CurationError]) -> None:
    """Raise nothing, the one problem, or every problem at once (:class:`CurationErrors`)."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise CurationErrors(list(problems), MAX_REPORTED)


def _check_source_id(r: Row) -> None:
    sid = r["source_id"]
    if not SOURCE_ID_RE.match(sid):
        raise r.error(f"source_id {sid!r} is not lower-case letters, digits, '.' and '-'")


def _source_record(r: Row) -> SourceRecord:
    return SourceRecord(r, r["source_id"], r["kind"], r["title"], r["publisher"], r["language"], r["date"], r["url"],
                        r["sha256"], r["license"], r["note"])


def _check_source(paths: ProjectPaths, r: Row) -> None:
    if r["kind"] not in SOURCE_KINDS:
        raise r.error(f"kind {r['kind']!r} is not one of {', '.join(SOURCE_KINDS)}")
    for col in ("title", "publisher", "language", "shared_path", "sha256"):
        if not r[col]:
            raise r.error(f"column {col!r} is empty", "every source needs a title, publisher, language, shared_path and sha256")
    if not LANG_RE.match(r["language"]):
        raise r.error(f"language {r['language']!r} is not a BCP 47 tag such as 'en' or 'nl'")
    if r["date"] and not DATE_RE.match(r["date"]):
        raise r.error(f"date {r['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if r["url"] and url_problem(r["url"]):
        raise r.error(f"url {r['url']!r} {url_problem(r['url'])}", "give the full address as the browser shows it")
    if not SHA256_RE.match(r["sha256"]):
        raise r.error("sha256 is not 64 lower-case hex digits", "compute it with `sha256sum` on the shared file")
    if r["repo_path"]:
        vendored = paths.root / r["repo_path"]
        if not vendored.is_file():
            raise r.error(f"repo_path {r['repo_path']!r} is not a file of this repository",
                          "copy the source text there unchanged, or empty the column")
        if hashlib.sha256(vendored.read_bytes()).hexdigest() != r["sha256"]:
            raise r.error(f"{r['repo_path']} does not match the recorded sha256",
                          "a vendored source must be the shared file byte for byte")


def _naming(r: Row) -> Naming:
    return Naming(r["label_en"], r["label_nl"], tuple(r.multi("synonyms_en")), tuple(r.multi("synonyms_nl")),
                  tuple(r.multi("narrow_synonyms_en")), tuple(r.multi("broad_synonyms_en")))


def _check_naming(r: Row, seen: dict[tuple[str, str], int]) -> None:
    """Labels present and unique within a language (``seen``: earlier labels -> line, 0 for the core)."""
    for lang in ("en", "nl"):
        lab = r[f"label_{lang}"]
        if lang == "en" and not lab:
            raise r.error(f"{r['id']!r} has no English label (label_en)")
        if lab:
            key = (lang, lab.casefold())
            if key in seen:
                where = f"line {seen[key]}" if seen[key] else "the core ontology"
                raise r.error(f"label {lab!r}@{lang} is already used ({where})", "labels must be unique within a language")
            seen[key] = r.line
    exact = {s.casefold() for s in r.multi("synonyms_en")} | {r["label_en"].casefold()}
    for col in ("narrow_synonyms_en", "broad_synonyms_en"):
        for syn in r.multi(col):
            if syn.casefold() in exact:
                raise r.error(f"{syn!r} is both an exact synonym (or the label) and in {col}",
                              "a wording is exact, narrow or broad, not two of them: keep it in one column")


class _Checker:
    """The checks of one project, in dependency order; used once by :func:`check_project`."""

    def __init__(self, paths: ProjectPaths) -> None:
        self.paths = paths
        self.core = CoreModel.load(paths.ontology_edit)
        self.problems = _Problems()

    def ids(self, rows: Iterable[Row], column: str, check: Callable[[Row], None]) -> dict[str, Row]:
        """``{id: row}`` in row order for the rows whose id passes ``check`` and is not a duplicate."""
        out: dict[str, Row] = {}

        def one(r: Row) -> None:
            check(r)
            key = r[column]
            if key in out:
                raise r.error(f"duplicate {column} {key!r}", f"first defined on line {out[key].line}")
            out[key] = r

        self.problems.each(rows, one)
        return out

    def check(self) -> CheckedProject:
        t = self.paths.tables_dir
        p = self.problems
        core = self.core
        source_rows = read_table(t / "sources.tsv", SOURCE_COLUMNS, SOURCE_OPTIONAL)
        class_rows = read_tables(t, "classes", CLASS_COLUMNS, CLASS_OPTIONAL)
        entity_rows = read_tables(t, "entities", ENTITY_COLUMNS, ENTITY_OPTIONAL)
        association_rows = read_tables(t, "associations", ASSOCIATION_COLUMNS, ASSOCIATION_OPTIONAL)
        mapping_rows = read_table(self.paths.sssom, SSSOM_COLUMNS, SSSOM_OPTIONAL)
        metadata = read_metadata(self.paths.sssom)
        no_codes: dict[str, ObsoleteCode] = {}
        obsolete = p.run(lambda: read_obsolete_codes(self.paths.obsolete_codes), no_codes)

        # ids first: everything else refers to them
        source_table = self.ids(source_rows, "source_id", _check_source_id)
        sources = {sid: _source_record(r) for sid, r in source_table.items()}
        p.each(source_table.values(), lambda r: _check_source(self.paths, r))
        core_classes = core.classes

        def class_id(r: Row) -> None:
            _check_id(r)
            if r["id"] in core_classes:
                raise r.error(f"class {r['id']!r} is already defined in the core ontology", "attach to it as a parent instead")

        class_table = self.ids(class_rows, "id", class_id)

        def entity_id(r: Row) -> None:
            _check_id(r)
            eid = r["id"]
            if eid in class_table:
                raise r.error(f"duplicate id {eid!r}", f"class {eid!r} is on line {class_table[eid].line}")
            if eid in core_classes or eid in core.individuals:
                raise r.error(f"id {eid!r} is already used by a class or a core individual")

        entity_table = self.ids(entity_rows, "id", entity_id)

        # the hierarchy
        parents: dict[str, Sequence[str]] = {c: tuple(ps) for c, ps in core_classes.items()}
        parents.update((cid, tuple(r.multi("parents"))) for cid, r in class_table.items())
        p.each(class_table.values(), lambda r: _check_parents(r, parents))
        hierarchy = ClassHierarchy.of(parents, list(class_table))
        p.found.extend(class_table[c.start].error(str(c)) for c in hierarchy.cycles)
        entity_types = {c for c in hierarchy.parents if any(hierarchy.is_subclass(c, root) for root in ENTITY_ROOTS)}
        p.each(entity_table.values(), lambda r: _check_entity_refs(r, entity_types, entity_table))

        classes = {cid: _class_record(r) for cid, r in class_table.items()}
        entities = {eid: _entity_record(r) for eid, r in entity_table.items()}
        project = CheckedProject(
            paths=self.paths, core=core, sources=sources, classes=classes, entities=entities, hierarchy=hierarchy,
            associations=(), mapping_metadata=metadata, mappings=(), obsolete_codes=obsolete,
            axiom_individuals=frozenset(v for c in classes.values() for v in c.secretes + c.primary_site))

        # class details (labels unique among the core's and the classes'), then entity details (labels
        # unique among entities; checked in id order, the order they are emitted)
        labels = {(lang, lab.casefold()): 0 for c in core_classes for lang in ("en", "nl")
                  for lab in [core.label(NG[c], lang)] if lab}
        p.each(class_table.values(), lambda r: _check_class(r, project, labels))
        entity_labels: dict[tuple[str, str], int] = {}
        p.each((entity_table[e] for e in sorted(entity_table)), lambda r: _check_entity(r, project, entity_labels))

        associations = _Associations(project).check(association_rows, p)
        mappings = _check_mappings(project, mapping_rows, p)
        record_rules = check_record_rules(project, p)
        schemes, grade_rules = check_grading(project, p)
        raise_all(p.found)
        return replace(project, associations=tuple(associations), mappings=tuple(mappings),
                       record_rules=record_rules, grading_schemes=schemes, grade_rules=grade_rules)


def _check_id(r: Row) -> None:
    if not ID_RE.match(r["id"]):
        raise r.error(f"id {r['id']!r} is not a CamelCase local name (letters and digits, starting upper-case)")


def _check_parents(r: Row, known: Mapping[str, Sequence[str]]) -> None:
    cid, parents = r["id"], r.multi("parents")
    if not parents and r["deprecated"] != "true":
        raise r.error(f"class {cid!r} has no parent", "give at least one parent class (e.g. NeuroendocrineTumour)")
    for q in parents:
        if q not in known:
            raise r.error(f"parent {q!r} of {cid!r} is not a known class", "define it in classes.tsv or use a core class")


def _check_entity_refs(r: Row, entity_types: set[str], entities: Mapping[str, Row]) -> None:
    eid = r["id"]
    if r["type"] not in entity_types:
        raise r.error(f"type {r['type']!r} of {eid!r} is not an entity class", f"use one of {', '.join(sorted(entity_types))}")
    for b in r.multi("broader"):
        if b not in entities:
            raise r.error(f"broader {b!r} of {eid!r} is not an entity of entities.tsv")


def _check_class(r: Row, pj: CheckedProject, labels: dict[tuple[str, str], int]) -> None:
    cid = r["id"]
    _check_naming(r, labels)
    if not r["definition"]:
        raise r.error(f"class {cid!r} has no definition", "every class needs a definition")
    if r["definition_source"]:
        pj.source_ref(r, r["definition_source"])
    for col, root in (("secretes", "SecretedSubstance"), ("primary_site", "AnatomicalSite")):
        for value in r.multi(col):
            if value not in pj.entities or not pj.is_a(value, root):
                raise r.error(f"{col} value {value!r} is not a {root} entity of entities.tsv")
    for value in r.multi("hypersecretion_syndrome"):
        if value not in pj.hierarchy or not pj.hierarchy.is_subclass(value, "HormoneHypersecretionSyndrome"):
            raise r.error(f"hypersecretion_syndrome value {value!r} is not a class under HormoneHypersecretionSyndrome",
                          "name HormoneHypersecretionSyndrome or a syndrome class whose parents lead to it")
    if r["deprecated"] and r["deprecated"] != "true":
        raise r.error("deprecated must be 'true' or empty")
    if r["deprecated"] and r["replaced_by"] and r["replaced_by"] not in pj.classes:
        raise r.error(f"replaced_by {r['replaced_by']!r} is not a class of classes.tsv")


def _check_entity(r: Row, pj: CheckedProject, labels: dict[tuple[str, str], int]) -> None:
    _check_naming(r, labels)
    if r["definition_source"]:
        pj.source_ref(r, r["definition_source"])


def _class_record(r: Row) -> ClassRecord:
    return ClassRecord(r, r["id"], tuple(r.multi("parents")), _naming(r), r["definition"], r["definition_source"],
                       tuple(r.multi("secretes")), tuple(r.multi("primary_site")),
                       tuple(r.multi("hypersecretion_syndrome")), r["deprecated"] == "true",
                       r["replaced_by"] if r["deprecated"] else "", r["comment"])


def _entity_record(r: Row) -> EntityRecord:
    return EntityRecord(r, r["id"], r["type"], tuple(r.multi("broader")), _naming(r), r["definition"],
                        r["definition_source"], r["comment"])


class _Associations:
    """The association rows' checks (they need classes, entities, sources and the core's qualifiers)."""

    def __init__(self, project: CheckedProject) -> None:
        self.project = project
        self.kinds = project.core.association_kinds
        self.frequencies = project.core.qualifier_values("FrequencyQualifier")
        self.purposes = project.core.qualifier_values("PurposeQualifier")

    def check(self, rows: list[Row], problems: _Problems) -> list[AssociationRecord]:
        seen: dict[ox.NamedNode, int] = {}

        def one(r: Row) -> AssociationRecord:
            rec = self.record(r)
            if rec.iri in seen:
                raise r.error("duplicate association", f"the same statement is on line {seen[rec.iri]}")
            seen[rec.iri] = r.line
            return rec

        return problems.each(rows, one)

    def record(self, r: Row) -> AssociationRecord:
        pj = self.project
        kind = self.kinds.get(r["kind"])
        if kind is None:
            raise r.error(f"unknown association kind {r['kind']!r}", f"use one of {', '.join(sorted(self.kinds))}")
        subj, obj = r["subject"], r["object"]
        for role, ident, constraints in (("subject", subj, kind.subject_constraints), ("object", obj, kind.object_constraints)):
            if not pj.is_known(ident):
                raise r.error(f"{role} {ident!r} is not a class or entity id", "define it in classes.tsv or entities.tsv")
            if not any(pj.is_a(ident, c) for c in constraints):
                raise r.error(f"{role} {ident!r} does not fit kind {kind.code!r}",
                              f"the {role} must be (a subclass or an instance of) {' or '.join(constraints)}")
        if not r["quote"].strip():
            raise r.error("quote is empty", "every association needs a verbatim quote from its source")
        pj.source_ref(r, r["source"])
        if pj.sources[r["source"]].kind == "reference-release" and not r["source_record"]:
            raise r.error("a quote from a reference release needs source_record (e.g. MONDO:0005048)")
        freq = r["frequency"]
        if freq and freq not in self.frequencies:
            raise r.error(f"frequency {freq!r} is not a controlled value", f"use one of {', '.join(sorted(self.frequencies))}")
        for q in r.multi("purpose"):
            if q not in self.purposes:
                raise r.error(f"purpose {q!r} is not a controlled value", f"use one of {', '.join(sorted(self.purposes))}")
        for t in r.multi("trigger"):
            if not pj.is_a(t, "Trigger"):
                raise r.error(f"trigger {t!r} is not a Trigger entity")
        if r["value"] and not DECIMAL_RE.match(r["value"]):
            raise r.error(f"value {r['value']!r} is not a decimal number")
        if r["unit"] and not r["value"]:
            raise r.error("unit given without a value")
        check_indication(r, kind.code, pj.core, pj.is_a)
        identity = (freq, normalise_whitespace(r["frequency_text"]), normalise_whitespace(r["condition"]), "|".join(sorted(r.multi("purpose"))), "|".join(sorted(r.multi("trigger"))), r["value"], r["unit"], r["source"], normalise_whitespace(r["quote"]), r["source_record"], *_association_type(r, kind.code), *indication_identity(r))
        return AssociationRecord(
            row=r, iri=association_iri(kind.code, subj, obj, identity), kind=kind, subject=subj, object=obj,
            source=r["source"], quote=normalise_whitespace(r["quote"]), source_record=r["source_record"],
            frequency=freq, frequency_text=normalise_whitespace(r["frequency_text"]),
            condition=normalise_whitespace(r["condition"]), purposes=tuple(r.multi("purpose")),
            triggers=tuple(r.multi("trigger")), value=canonical_decimal(r["value"]) if r["value"] else "",
            unit=r["unit"], association_type=r["association_type"], comment=r["comment"])


def _association_type(r: Row, kind: str) -> tuple[str, ...]:
    """Orphanet's gene association type: required on, and only on, ``associated_gene`` rows."""
    if kind != "associated_gene":
        if r["association_type"]:
            raise r.error("association_type is only for associated_gene rows")
        return ()
    if not r["association_type"]:
        raise r.error("an associated_gene row needs association_type",
                      "copy the source's type, e.g. Orphanet's 'Disease-causing germline mutation(s) in'")
    return (r["association_type"],)


def _check_mappings(project: CheckedProject, rows: list[Row], problems: _Problems) -> list[MappingRecord]:
    """Row syntax is checked by :mod:`netgraph.crosswalk.mappingset` (shared with `netgraph resolve`); here,
    what needs the rest of the project: each subject is a netgraph class or entity with that label, and no
    live mapping targets an obsolete code."""
    no_records: list[MappingRecord] = []
    records = problems.run(lambda: records_from_rows(rows, project.mapping_metadata), no_records)
    obsolete = dict(project.obsolete_codes)

    def one(rec: MappingRecord) -> MappingRecord:
        sid = rec.subject_local
        if not project.is_known(sid):
            raise rec.error(f"subject_id {rec.subject_id!r} is not a class or entity of netgraph",
                            "define it in classes.tsv or entities.tsv, or correct the id")
        if rec.subject_label and rec.subject_label != project.label_en(sid):
            raise rec.error(f"subject_label {rec.subject_label!r} differs from the label {project.label_en(sid)!r} "
                            f"of {rec.subject_id}", "copy label_en, or leave subject_label empty")
        if rec.object_id in obsolete and not rec.negated:
            ob = obsolete[rec.object_id]
            use = final_replacement(rec.object_id, obsolete)
            raise rec.error(f"{rec.object_id} is obsolete ({ob.label}; {ob.path}:{ob.line})",
                            f"map {use} instead" if use else "remove the row: an obsolete code is never a live mapping")
        return rec

    return problems.each(records, one)


def check_project(paths: ProjectPaths) -> CheckedProject:
    """Stage 1: read and check every curated input; every problem is raised at once, with its file and line."""
    return _Checker(paths).check()
