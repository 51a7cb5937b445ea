"""Resolving one identifier: normalise it, look it up, and say what it is.

The one-to-many rule. A code may map to several netgraph entities. The
mappings are ranked ``exactMatch`` > ``narrowMatch`` (the netgraph entity is
broader, so every record of the code belongs to it) > ``closeMatch`` >
``broadMatch`` (the netgraph entity is narrower) > ``relatedMatch``, and the
best rank present decides. One entity at that rank: resolved. Several: if one
of them contains all the others (by netgraph's hierarchy) it is the link, since
it is the most specific entity a record of the code is sure to belong to;
otherwise the code is *ambiguous* and every candidate is listed. An obsolete
code resolves through its replacement and keeps the status ``obsolete``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from collections.abc import Iterable

from .index import CrosswalkIndex, Entity, load_index
from .mappingset import MappingRecord
from .normalise import ENTITY_PREFIX, normalise
from .obsolete import ObsoleteCode, final_replacement
from .predicates import PREDICATE_RANK, predicate_words
from ..paths import Root

__all__ = ["STATUSES", "Match", "Resolution", "resolve", "resolve_code"]

#: Every status a resolution can have, in report order.
STATUSES: tuple[str, ...] = ("resolved", "ambiguous", "obsolete", "unknown", "invalid")


@dataclass(slots=True)
class Match:
    """One mapping between a netgraph entity and an external code."""

    entity: Entity
    record: MappingRecord

    @property
    def predicate(self) -> str:
        return self.record.predicate_id

    @property
    def code(self) -> str:
        return self.record.object_id

    @property
    def code_label(self) -> str:
        return self.record.object_label

    @property
    def relation(self) -> str:
        """The mapping in words, from the netgraph side ("netgraph:X (label) is broader than ORPHA:Y (label)")."""
        obj = f"{self.code} ({self.code_label})" if self.code_label else self.code
        return f"{self.entity.curie} ({self.entity.label}) {predicate_words(self.predicate)} {obj}"

    def to_dict(self) -> dict[str, Any]:
        r = self.record
        return {
            "entity": self.entity.curie, "iri": self.entity.iri, "label": self.entity.label,
            "predicate": r.predicate_id, "code": r.object_id, "code_label": r.object_label,
            "relation": self.relation, "justification": r.mapping_justification,
            "orphanet_qualifier": r.orphanet_qualifier, "source": r.object_source,
            "source_version": r.object_source_version, "mapping_date": r.mapping_date, "comment": r.comment,
        }


@dataclass(slots=True)
class Resolution:
    """What netgraph knows about one identifier (a value: do not change it).

    ``status`` is one of :data:`STATUSES`. ``entity`` and ``match`` are the link
    (for an obsolete code, the link of its replacement); ``matches`` lists every
    mapping of the code, best first; ``entity_codes`` every code of the linked
    entity; ``candidates`` the entities (or, for a bare code, the codes) an
    ambiguous input could mean; ``message`` says it all in one sentence.
    """

    query: str
    status: str
    code: str = ""
    code_label: str = ""
    entity: Entity | None = None
    match: Match | None = None
    matches: tuple[Match, ...] = ()
    entity_codes: tuple[Match, ...] = ()
    candidates: tuple[str, ...] = ()
    obsolete: ObsoleteCode | None = None
    replaced_by: str = ""
    read_as: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        """True when the input leads to a netgraph entity (resolved, or obsolete with a linked replacement)."""
        return self.entity is not None

    @property
    def iri(self) -> str:
        return self.entity.iri if self.entity else ""

    @property
    def label(self) -> str:
        return self.entity.label if self.entity else ""

    @property
    def predicate(self) -> str:
        return self.match.predicate if self.match else ""

    @property
    def relation(self) -> str:
        return self.match.relation if self.match else ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (what ``netgraph resolve --format json`` prints)."""
        out: dict[str, Any] = {
            "query": self.query, "status": self.status, "code": self.code, "code_label": self.code_label,
            "read_as": self.read_as, "message": self.message,
            "entity": self.entity.curie if self.entity else None, "iri": self.iri or None,
            "label": self.label or None, "predicate": self.predicate or None, "relation": self.relation or None,
            "matches": [m.to_dict() for m in self.matches],
            "entity_codes": [m.to_dict() for m in self.entity_codes],
            "candidates": list(self.candidates),
        }
        if self.obsolete is not None:
            o = self.obsolete
            out["obsolete"] = {"code": o.code, "label": o.label, "replaced_by": self.replaced_by or None,
                               "consider": list(o.consider), "source": o.source, "source_version": o.source_version,
                               "note": o.note}
        return out


def resolve(identifier: str, *, prefix: str | None = None, root: Root = None,
            index: CrosswalkIndex | None = None) -> Resolution:
    """Resolve any common spelling of an identifier against netgraph's mappings.

    ``prefix`` is the system to assume for a bare code (``ORPHA`` for a column
    of bare Orphanet numbers). Never raises for bad input: a malformed
    identifier gives status ``invalid`` and a message saying why.
    """
    idx = index if index is not None else load_index(root)
    n = normalise(identifier, prefix)
    if not n.ok:
        return Resolution(identifier, "invalid", message=f"{identifier.strip()!r} cannot be read: {n.error}")
    known = tuple(c for c in n.candidates if idx.knows(c))
    if not known:
        if len(n.candidates) == 1:
            code = n.candidates[0]
            if code.startswith(ENTITY_PREFIX + ":"):
                return Resolution(identifier, "unknown", code=code, message=f"{code} is not a netgraph entity")
            msg = f"{code} is a well-formed code, but netgraph has no mapping for it"
            if code in idx.negated:
                msg += "; the mapping file records that " + "; ".join(
                    f"{r.subject_id} is NOT {predicate_words(r.predicate_id)} it" for r in idx.negated[code])
            return Resolution(identifier, "unknown", code=code, message=msg)
        shown = ", ".join(n.candidates[:6]) + (", …" if len(n.candidates) > 6 else "")
        return Resolution(identifier, "unknown",
                          message=f"bare code {n.text.strip()!r} is not a known code of any system it fits ({shown}); "
                                  "write it with its prefix")
    if len(known) > 1:
        answers = [resolve_code(c, idx, query=identifier) for c in known]
        if len({(a.status, a.entity.id if a.entity else None) for a in answers}) == 1 and answers[0].entity:
            return replace(answers[0], read_as=f"bare code fits {', '.join(known)}, which all link to "
                                               f"{answers[0].entity.curie}; read as {known[0]}")
        meanings = ", ".join(f"{a.code} -> {a.entity.curie if a.entity else a.status}" for a in answers)
        return Resolution(identifier, "ambiguous", candidates=known,
                          message=f"bare code {n.text.strip()!r} is known in {len(known)} systems with different "
                                  f"answers ({meanings}); write it with its prefix, or name the system (--prefix)")
    res = resolve_code(known[0], idx, query=identifier)
    if n.bare:
        read_as = f"bare code read as {known[0]}"
        if len(n.candidates) > 1:
            read_as += f" (the only known code among {len(n.candidates)} systems it fits)"
        res = replace(res, read_as=read_as)
    return res


def resolve_code(code: str, index: CrosswalkIndex, *, query: str | None = None) -> Resolution:
    """Resolve a canonical CURIE (as :func:`normalise` gives it)."""
    query = code if query is None else query
    if code.startswith(ENTITY_PREFIX + ":"):
        ent = index.entity(code.split(":", 1)[1])
        if ent is None:
            return Resolution(query, "unknown", code=code, message=f"{code} is not a netgraph entity")
        codes = _matches(index, index.by_entity.get(ent.id, ()))
        msg = f"{code} is the netgraph {ent.kind} '{ent.label}' with {len(codes)} mapped code(s)"
        return Resolution(query, "resolved", code=code, code_label=ent.label, entity=ent, entity_codes=codes,
                          message=_deprecation(msg, ent))
    if code in index.obsolete:
        return _obsolete(code, index, query)
    return _mapped(code, index, query)


def _matches(index: CrosswalkIndex, records: Iterable[MappingRecord]) -> tuple[Match, ...]:
    return tuple(Match(index.entities[r.subject_local], r) for r in records)


def _deprecation(msg: str, ent: Entity) -> str:
    if ent.deprecated:
        msg += f"; netgraph {ent.curie} is deprecated" + (f", use netgraph:{ent.replaced_by}" if ent.replaced_by else "")
    return msg


def _choose(index: CrosswalkIndex, records: tuple[MappingRecord, ...]) -> tuple[MappingRecord | None, tuple[str, ...]]:
    """The best mapping by the one-to-many rule, or (None, candidate subjects) when ambiguous."""
    top = PREDICATE_RANK[records[0].predicate_id]
    tier = [r for r in records if PREDICATE_RANK[r.predicate_id] == top]
    subjects = list(dict.fromkeys(r.subject_local for r in tier))
    if len(subjects) == 1:
        return tier[0], ()
    general = [s for s in subjects if all(index.subsumes(s, o) for o in subjects)]
    if len(general) == 1:
        return next(r for r in tier if r.subject_local == general[0]), ()
    return None, tuple(f"{ENTITY_PREFIX}:{s}" for s in subjects)


def _mapped(code: str, index: CrosswalkIndex, query: str) -> Resolution:
    records = index.by_code[code]
    matches = _matches(index, records)
    label = next((r.object_label for r in records if r.object_label), "")
    best, candidates = _choose(index, records)
    if best is None:
        words = predicate_words(records[0].predicate_id)
        listed = "; ".join(f"{c} ({index.entities[c.split(':', 1)[1]].label})" for c in candidates)
        return Resolution(query, "ambiguous", code=code, code_label=label, matches=matches, candidates=candidates,
                          message=f"{code} maps to {len(candidates)} netgraph entities, none of which contains the "
                                  f"others (each {words} it): {listed}; choose one")
    match = next(m for m in matches if m.record is best)
    ent = match.entity
    msg = match.relation
    others = len({m.entity.id for m in matches}) - 1
    if others:
        msg += (f" ({others} other netgraph entit{'y also maps' if others == 1 else 'ies also map'} to {code})")
    return Resolution(query, "resolved", code=code, code_label=label, entity=ent, match=match, matches=matches,
                      entity_codes=_matches(index, index.by_entity.get(ent.id, ())), message=_deprecation(msg, ent))


def _obsolete(code: str, index: CrosswalkIndex, query: str) -> Resolution:
    ob = index.obsolete[code]
    final = final_replacement(code, index.obsolete)
    base = f"{code} is obsolete ({ob.label}, {ob.source_version})"
    consider = f"; consider {', '.join(ob.consider)}" if ob.consider else ""
    if not final:
        return Resolution(query, "obsolete", code=code, code_label=ob.label, obsolete=ob,
                          message=f"{base}; its source names no replacement{consider}")
    msg = f"{base}; use {final}"
    if final in index.by_code:
        rep = _mapped(final, index, final)
        if rep.entity is not None:
            msg += f": {rep.match.relation if rep.match is not None else rep.message}"
        else:
            msg += f", which is itself ambiguous in netgraph: {rep.message}"
        return Resolution(query, "obsolete", code=code, code_label=ob.label, entity=rep.entity, match=rep.match,
                          matches=rep.matches, entity_codes=rep.entity_codes, candidates=rep.candidates,
                          obsolete=ob, replaced_by=final, message=msg + consider)
    return Resolution(query, "obsolete", code=code, code_label=ob.label, obsolete=ob, replaced_by=final,
                      message=f"{msg} (netgraph has no mapping for {final}){consider}")
