"""Records -> RDF: one tumour record is one node of the records named graph.

The IRI of a record derives from its id (``https://w3id.org/netgraph/record/<id>``),
or, with a salt, from a hash of salt and id (pseudonymous output: the id itself
is then not written), so a reload duplicates nothing. Each field keeps the value
as read (normalised: codes as CURIEs, grades as ``G1``-``G3``, numbers as
canonical decimals) and, where a netgraph entity was found for it, that entity
on a second property (``netgraph:orphaCodeEntity`` beside ``netgraph:orphaCode``).
A diagnosis, site, hormone or syndrome is written as the entity it names
(``netgraph:diagnosis``), or, when it names none, as given on its own property
(``netgraph:diagnosisUnrecognised``), so the check names it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from collections.abc import Iterator
from urllib.parse import quote

from ..crosswalk.normalise import normalise
from ..crosswalk.resolve import resolve
from ..prefixes import GRAPH, NETGRAPH, prefix_map
from .fields import FIELD_BY_NAME, FIELDS
from .knowledge import FIELD_ROOTS, Knowledge
from .reader import RecordRow
from .values import DIFFERENTIATION, FUNCTIONAL_STATUS, is_iso_date, read_choice, read_decimal, read_grade, read_topography

__all__ = ["RECORDS_GRAPH", "RECORD_BASE", "RecordTerm", "Converter", "record_iri"]

RECORDS_GRAPH = f"{GRAPH}records"
RECORD_BASE = prefix_map()["ngrec"]
_XSD = prefix_map()["xsd"]
_CODE_PREFIX = {"orpha_code": "ORPHA", "icd10_code": "ICD10CM", "icdo3_morphology": "ICDO"}
_TYPE = prefix_map()["rdf"] + "type"


@dataclass(frozen=True, slots=True)
class RecordTerm:
    """An object of a record triple: an IRI, or a literal with an optional datatype."""

    value: str
    is_iri: bool = False
    datatype: str | None = None

    def nt(self) -> str:
        if self.is_iri:
            return f"<{self.value}>"
        body = (self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
        return f'"{body}"' + (f"^^<{self.datatype}>" if self.datatype else "")


def record_iri(record_id: str, salt: str | None = None) -> str:
    """The IRI of a record: its id, percent-encoded; with a salt, a hash of salt and id instead."""
    if salt is not None:
        return RECORD_BASE + hashlib.sha256(f"{salt}\x1f{record_id}".encode()).hexdigest()[:32]
    return RECORD_BASE + quote(record_id, safe="")


class Converter:
    """Turns records into (predicate IRI, object) pairs, resolving entity names against the knowledge graph."""

    def __init__(self, knowledge: Knowledge, *, index: Any = None, salt: str | None = None):
        self.knowledge = knowledge
        self.index = index
        self.salt = salt
        self._resolve = lru_cache(maxsize=65536)(self._resolve_uncached)

    def _resolve_uncached(self, field_name: str, text: str) -> str | None:
        """The netgraph entity a cell names, or None (unknown, ambiguous, or not of the field's kind)."""
        allowed = self.knowledge.members.get(field_name)
        if field_name in _CODE_PREFIX or field_name in FIELD_ROOTS:
            res = resolve(text, prefix=_CODE_PREFIX.get(field_name), index=self.index)
            if (res.status in ("resolved", "obsolete") and res.entity is not None
                    and (allowed is None or res.entity.iri in allowed)):
                return res.entity.iri
        found = self.knowledge.labels.get(" ".join(text.casefold().split()), set())
        if allowed is not None:
            found = {e for e in found if e in allowed}
        if len(found) == 1:
            return next(iter(found))
        local = NETGRAPH + text.strip().removeprefix("netgraph:")
        if allowed is not None and local in allowed:
            return local
        return None

    def terms(self, row: RecordRow) -> Iterator[tuple[str, RecordTerm]]:
        """The (predicate IRI, object) pairs of one record."""
        yield _TYPE, RecordTerm(NETGRAPH + "TumourRecord", is_iri=True)
        if self.salt is None:
            yield NETGRAPH + "recordId", RecordTerm(row.record_id)
        yield NETGRAPH + "sourceRow", RecordTerm(str(row.row), datatype=_XSD + "integer")
        for f in FIELDS[1:]:
            raw = row.values.get(f.name)
            if raw is None:
                continue
            cells = [c.strip() for c in raw.split("|")] if f.multi else [raw.strip()]
            for cell in (c for c in cells if c):
                yield from self._field(f.name, cell)
        for name in sorted(row.extra):
            if row.extra[name].strip():
                yield NETGRAPH + "extraField/" + quote(name, safe=""), RecordTerm(row.extra[name].strip())

    def _field(self, name: str, cell: str) -> Iterator[tuple[str, RecordTerm]]:
        f = FIELD_BY_NAME[name]
        prop = NETGRAPH + f.property
        if f.kind == "code":
            n = normalise(cell, _CODE_PREFIX[name])
            code = n.candidates[0] if n.ok and len(n.candidates) == 1 else cell
            yield prop, RecordTerm(code)
            entity = self._resolve(name, code)
            if entity:
                yield NETGRAPH + f.resolved, RecordTerm(entity, is_iri=True)
        elif f.kind in ("class", "site", "entity"):
            entity = self._resolve(name, cell)
            if entity:
                yield NETGRAPH + f.resolved, RecordTerm(entity, is_iri=True)
            else:  # kept as given, on its own property, so the check names it
                yield prop, RecordTerm(cell)
        elif f.kind == "decimal":
            value = read_decimal(cell)
            number = value.replace("-", "", 1).replace(".", "", 1).isdigit()
            yield prop, RecordTerm(value, datatype=_XSD + "decimal" if number else None)
        elif f.kind == "date":
            yield prop, RecordTerm(cell, datatype=_XSD + "date" if is_iso_date(cell) else None)
        elif f.kind == "topography":
            yield prop, RecordTerm(read_topography(cell))
        elif name == "grade":
            grade = read_grade(cell)
            if grade is not None:
                yield prop, RecordTerm(grade)
        elif name == "differentiation":
            yield prop, RecordTerm(read_choice(cell, DIFFERENTIATION))
        elif name == "functional_status":
            yield prop, RecordTerm(read_choice(cell, FUNCTIONAL_STATUS))
        else:
            yield prop, RecordTerm(cell)

    def ntriples(self, row: RecordRow) -> str:
        """One record as N-Triples lines (the records graph is a plain graph; N-Quads via netgraph load)."""
        s = f"<{record_iri(row.record_id, self.salt)}>"
        return "".join(f"{s} <{p}> {o.nt()} .\n" for p, o in self.terms(row))
