"""Reading and checking the SSSOM mapping set (``data/mappings/netgraph.sssom.tsv``).

The file is SSSOM/TSV: a ``#``-commented YAML metadata block, a header row and
one mapping per row, from a netgraph entity (``subject_id``) to an external
code (``object_id``). This module is the one place that knows what a valid
row and a valid metadata block are; the build (which emits the mappings graph)
and the crosswalk index (which answers ``netgraph resolve``) both read the file
through it, so they can never disagree. Every problem is a
:class:`~netgraph.errors.CurationError` naming the file, the line and the fix.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable, Mapping

from .._version import __version__
from ..errors import CurationError
from ..prefixes import expand, identifier_prefixes, prefix_map, prefixes
from ..tables import Row, read_table
from .predicates import (MAPPING_PREDICATES, NEGATED_QUALIFIER, ORPHANET_QUALIFIERS, ORPHANET_XREF_PREFIXES,
                         QUALIFIER_PREDICATES, XREF_QUALIFIER_PREDICATES)

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_METADATA",
    "JUSTIFICATIONS",
    "ORPHANET_PREFIX",
    "MappingRecord",
    "MappingSetMetadata",
    "MappingSet",
    "read_metadata",
    "records_from_rows",
    "read_mapping_set",
    "curie_map_for",
    "EXTENSION_SLOTS",
    "extension_definitions",
]

REQUIRED_COLUMNS: tuple[str, ...] = ("subject_id", "predicate_id", "object_id", "mapping_justification")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "subject_label", "object_label", "object_source", "object_source_version", "mapping_date",
    "orphanet_qualifier", "comment", "confidence", "author_id", "subject_source", "subject_source_version",
    "predicate_modifier",
)
#: Metadata keys the block must have (SSSOM requires the first two; netgraph the others).
REQUIRED_METADATA: tuple[str, ...] = ("curie_map", "mapping_set_id", "license", "mapping_set_version", "mapping_set_title")

#: The SEMAPV mapping justifications SSSOM allows (local names).
JUSTIFICATIONS: frozenset[str] = frozenset({
    "LexicalMatching", "LogicalReasoning", "CompositeMatching", "UnspecifiedMatching",
    "SemanticSimilarityThresholdMatching", "LexicalSimilarityThresholdMatching", "MappingChaining",
    "MappingReview", "ManualMappingCuration", "MappingInversion", "StructuralMatching",
    "InstanceBasedMatching", "BackgroundKnowledgeBasedMatching",
})

#: Columns that are not SSSOM slots: SSSOM extension slots, each declared in the metadata block's
#: ``extension_definitions`` with this property IRI and type hint (the SSSOM 1.0 mechanism).
EXTENSION_SLOTS: Mapping[str, tuple[str, str]] = {
    "orphanet_qualifier": (expand("netgraph:orphanetQualifier"), "xsd:string"),
}

#: The prefix whose rows may carry an Orphanet ORDO qualifier.
ORPHANET_PREFIX = "ORPHA"

_SUBJECT_RE = re.compile(r"^netgraph:([A-Z][A-Za-z0-9]*)\Z")
_IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+\Z")


@dataclass(frozen=True)
class MappingRecord:
    """One checked mapping row: netgraph entity -> external code."""

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str = ""
    object_label: str = ""
    object_source: str = ""
    object_source_version: str = ""
    mapping_date: str = ""
    orphanet_qualifier: str = ""
    comment: str = ""
    confidence: str = ""
    author_id: str = ""
    subject_source: str = ""
    subject_source_version: str = ""
    predicate_modifier: str = ""
    path: str = ""
    line: int = 0

    @property
    def subject_local(self) -> str:
        """The netgraph local name (``PancreaticNeuroendocrineTumour``)."""
        return self.subject_id.split(":", 1)[1]

    @property
    def object_prefix(self) -> str:
        return self.object_id.split(":", 1)[0]

    @property
    def negated(self) -> bool:
        """True for a negated mapping (``predicate_modifier`` ``Not``): recorded, never linked."""
        return self.predicate_modifier == "Not"

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.subject_id, self.predicate_id, self.object_id, self.predicate_modifier)

    def error(self, problem: str, hint: str | None = None) -> CurationError:
        return CurationError(self.path, self.line, problem, hint)


@dataclass(frozen=True)
class MappingSetMetadata:
    """The SSSOM metadata block: its keys, and where it is in the file."""

    path: str
    values: Mapping[str, Any]
    first_line: int
    last_line: int

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def curie_map(self) -> Mapping[str, str]:
        return self.values.get("curie_map") or {}

    def error(self, problem: str, hint: str | None = None) -> CurationError:
        return CurationError(self.path, self.first_line, problem, hint)


@dataclass(frozen=True)
class MappingSet:
    """A checked SSSOM mapping set."""

    metadata: MappingSetMetadata
    records: tuple[MappingRecord, ...] = field(default_factory=tuple)


def read_metadata(path: Path, *, check_version: bool = True) -> MappingSetMetadata:
    """Parse and check the ``#`` YAML metadata block at the top of an SSSOM/TSV file."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise CurationError(path, None, "mapping file not found", "restore data/mappings/netgraph.sssom.tsv from git")
    lines: list[str] = []
    first = last = 0
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            first = first or lineno
            last = lineno
            lines.append(line[1:].rstrip("\r\n"))
    if not lines:
        raise CurationError(path, 1, "no SSSOM metadata block (lines starting with '#') before the header",
                            "add curie_map, mapping_set_id, license, mapping_set_version and mapping_set_title")
    try:
        values = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = first + mark.line if mark is not None else first
        raise CurationError(path, at, f"the metadata block is not valid YAML: {getattr(exc, 'problem', exc)}",
                            "each metadata line is '#' followed by a YAML line") from exc
    if not isinstance(values, dict):
        raise CurationError(path, first, "the metadata block must be a YAML mapping of keys")
    meta = MappingSetMetadata(str(path), values, first, last)
    missing = [k for k in REQUIRED_METADATA if not values.get(k)]
    if missing:
        raise meta.error(f"the metadata block lacks {', '.join(missing)}",
                         "a complete SSSOM metadata block names the mapping set id, licence, version and title")
    for key in ("mapping_set_id", "license"):
        if not _IRI_RE.match(str(values[key])):
            raise meta.error(f"{key} {values[key]!r} is not an http(s) IRI")
    if check_version and str(values["mapping_set_version"]) != __version__:
        raise meta.error(f"mapping_set_version {values['mapping_set_version']!r} differs from the netgraph version "
                         f"{__version__!r}", f"set '#mapping_set_version: {__version__}' (netgraph/_version.py is the source)")
    if not isinstance(values["curie_map"], dict):
        raise meta.error("curie_map must map prefixes to URI prefixes")
    known = prefix_map()
    for prefix, uri in values["curie_map"].items():
        if prefix not in known:
            raise meta.error(f"curie_map prefix {prefix!r} is not in netgraph/prefixes.tsv",
                             "add it to the one prefix map first, or remove it")
        if uri != known[prefix]:
            raise meta.error(f"curie_map gives {prefix}: {uri} but netgraph/prefixes.tsv says {known[prefix]}",
                             "copy the URI prefix from netgraph/prefixes.tsv (see curie_map_for())")
    if "mapping_date" in values:
        _check_date(str(values["mapping_date"]), meta.error, "mapping_date")
    _check_extensions(meta, _header(path))
    return meta


def extension_definitions(columns: Iterable[str]) -> list[dict[str, str]]:
    """The ``extension_definitions`` entries an SSSOM file with these columns must declare."""
    return [{"slot_name": c, "property": EXTENSION_SLOTS[c][0], "type_hint": EXTENSION_SLOTS[c][1]}
            for c in columns if c in EXTENSION_SLOTS]


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                return line.rstrip("\r\n").split("\t")
    return []


def _check_extensions(meta: MappingSetMetadata, columns: list[str]) -> None:
    """Every extension column is declared (slot name, property IRI, type hint), so SSSOM tools keep it."""
    declared = meta.get("extension_definitions") or []
    if not isinstance(declared, list) or not all(isinstance(e, dict) for e in declared):
        raise meta.error("extension_definitions must be a list of entries with slot_name, property and type_hint")
    by_slot = {str(e.get("slot_name")): e for e in declared}
    for want in extension_definitions(columns):
        got = by_slot.get(want["slot_name"])
        block = (f"'#extension_definitions:' / '#  - slot_name: {want['slot_name']}' / "
                 f"'#    property: {want['property']}' / '#    type_hint: {want['type_hint']}'")
        if got is None:
            raise meta.error(f"the column {want['slot_name']} is an SSSOM extension slot but extension_definitions "
                             f"does not declare it (SSSOM tools would drop it)", f"add {block}")
        for key in ("property", "type_hint"):
            if str(got.get(key)) != want[key]:
                raise meta.error(f"extension slot {want['slot_name']}: {key} is {got.get(key)!r}, not "
                                 f"{want[key]!r}", f"declare it as {block}")


def curie_map_for(used: Iterable[str]) -> dict[str, str]:
    """The ``curie_map`` an SSSOM file using these prefixes must declare (from the one prefix map)."""
    known = prefix_map()
    return {p: known[p] for p in sorted(set(used), key=str.casefold) if p in known}


def _check_date(value: str, error: Callable[[str], CurationError], column: str) -> None:
    try:
        _dt.date.fromisoformat(value)
        ok = len(value) == 10
    except ValueError:
        ok = False
    if not ok:
        raise error(f"{column} {value!r} is not a date (YYYY-MM-DD)")


def records_from_rows(rows: Iterable[Row], metadata: MappingSetMetadata | None = None) -> list[MappingRecord]:
    """Check SSSOM rows (as read by :func:`netgraph.tables.read_table`) and return their records."""
    ids = {p.prefix: p for p in identifier_prefixes()}
    synonyms = {s: p.prefix for p in prefixes() for s in p.synonyms}
    curie_map = metadata.curie_map if metadata is not None else None
    default_date = str(metadata.get("mapping_date") or "") if metadata is not None else ""
    seen: dict[tuple[str, str, str, str], int] = {}
    out: list[MappingRecord] = []
    for r in rows:
        values = {c: r[c] for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        values["mapping_date"] = values["mapping_date"] or default_date
        rec = MappingRecord(**values, path=str(r.path), line=r.line)
        if not _SUBJECT_RE.match(rec.subject_id):
            raise r.error(f"subject_id {rec.subject_id!r} is not a netgraph CURIE",
                          "write netgraph:<Id> with the CamelCase id of classes.tsv or entities.tsv")
        if rec.predicate_id not in MAPPING_PREDICATES:
            raise r.error(f"predicate_id {rec.predicate_id!r} is not a SKOS mapping predicate",
                          f"use one of {', '.join(MAPPING_PREDICATES)}")
        prefix, sep, local = rec.object_id.partition(":")
        if not sep or prefix not in ids:
            hint = f"write {synonyms[prefix]}:{local}" if prefix in synonyms else f"known prefixes: {', '.join(ids)}"
            raise r.error(f"object_id {rec.object_id!r} does not use a canonical identifier prefix", hint)
        if not ids[prefix].matches_local(local):
            raise r.error(f"object_id {rec.object_id!r} does not match the {prefix} syntax {ids[prefix].local_pattern}")
        if curie_map is not None:
            for curie in (rec.subject_id, rec.predicate_id, rec.object_id, rec.mapping_justification):
                p = curie.split(":", 1)[0]
                if p not in curie_map:
                    raise r.error(f"prefix {p!r} is used here but not declared in the metadata curie_map",
                                  f"add '#  {p}: {prefix_map().get(p, '<uri prefix>')}' to the curie_map")
        just_prefix, _, just_local = rec.mapping_justification.partition(":")
        if just_prefix != "semapv" or just_local not in JUSTIFICATIONS:
            raise r.error(f"mapping_justification {rec.mapping_justification!r} is not a SEMAPV justification",
                          "use e.g. semapv:ManualMappingCuration or semapv:MappingChaining")
        if rec.predicate_modifier not in ("", "Not"):
            raise r.error(f"predicate_modifier {rec.predicate_modifier!r} is not allowed", "leave it empty or write Not")
        if not rec.object_source or not rec.object_source_version:
            raise r.error("object_source and object_source_version are required",
                          "name the release the code was read from (e.g. mondo/releases/2026-08-04)")
        if rec.object_source and not _IRI_RE.match(rec.object_source):
            raise r.error(f"object_source {rec.object_source!r} is not an http(s) IRI")
        if not rec.mapping_date:
            raise r.error("mapping_date is empty and the metadata block gives none", "write the curation date, YYYY-MM-DD")
        _check_date(rec.mapping_date, r.error, "mapping_date")
        if rec.confidence:
            try:
                conf = float(rec.confidence)
            except ValueError:
                conf = -1.0
            if not 0.0 <= conf <= 1.0:
                raise r.error(f"confidence {rec.confidence!r} is not a number between 0 and 1")
        _check_qualifier(r, rec)
        if rec.key in seen:
            raise r.error("duplicate mapping", f"the same subject, predicate and object are on line {seen[rec.key]}")
        seen[rec.key] = r.line
        out.append(rec)
    return out


def _check_qualifier(r: Row, rec: MappingRecord) -> None:
    q = rec.orphanet_qualifier
    if not q:
        return
    if q not in ORPHANET_QUALIFIERS:
        raise r.error(f"orphanet_qualifier {q!r} is not an ORDO qualifier", f"use one of {', '.join(ORPHANET_QUALIFIERS)}")
    if rec.object_prefix != ORPHANET_PREFIX and rec.object_prefix not in ORPHANET_XREF_PREFIXES:
        raise r.error(f"orphanet_qualifier {q!r} on a {rec.object_prefix} code",
                      f"the ORDO qualifier applies to ORPHA codes and to Orphanet's own {', '.join(ORPHANET_XREF_PREFIXES)} mappings only")
    if q == NEGATED_QUALIFIER and not rec.negated:
        raise r.error("orphanet_qualifier W (wrong mapping) needs predicate_modifier Not",
                      "a wrong mapping is recorded as negated, so it is never linked")
    allowed = QUALIFIER_PREDICATES[q] if rec.object_prefix == ORPHANET_PREFIX else XREF_QUALIFIER_PREDICATES[q]
    if rec.predicate_id not in allowed:
        raise r.error(f"orphanet_qualifier {q} ({ORPHANET_QUALIFIERS[q]}) contradicts {rec.predicate_id}",
                      f"use {' or '.join(allowed)}, or correct the qualifier")


def read_mapping_set(path: Path, *, check_version: bool = True) -> MappingSet:
    """Read and check the whole SSSOM file: metadata block and rows."""
    metadata = read_metadata(path, check_version=check_version)
    rows = read_table(Path(path), REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    return MappingSet(metadata, tuple(records_from_rows(rows, metadata)))
