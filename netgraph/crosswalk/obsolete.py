"""Obsolete external codes: ``data/mappings/obsolete_codes.tsv``.

An external code that its own source has retired (an obsolete ORDO class, an
obsolete MONDO class) is never the object of a live mapping. It is recorded
here, with the code to use instead, so that ``netgraph resolve`` answers
"obsolete, use X" rather than "unknown", and the build emits it into the
mappings graph as ``owl:deprecated true`` with ``dcterms:isReplacedBy``.

Columns: ``code`` (canonical CURIE), ``label`` (the source's label),
``replaced_by`` (the code to use instead, the end of any replacement chain;
empty when the source names none), ``consider`` (``|``-separated codes the
source suggests when there is no replacement), ``source`` (IRI of the
ontology), ``source_version`` (the release it was read from), ``note``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import CurationError
from ..prefixes import Prefix, identifier_prefixes, prefixes
from ..tables import Row, read_table

__all__ = ["ObsoleteCode", "OBSOLETE_COLUMNS", "OBSOLETE_OPTIONAL", "read_obsolete_codes", "final_replacement"]

OBSOLETE_COLUMNS: tuple[str, ...] = ("code", "label", "replaced_by", "source", "source_version")
OBSOLETE_OPTIONAL: tuple[str, ...] = ("consider", "note")

_IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+\Z")


@dataclass(frozen=True)
class ObsoleteCode:
    """One retired external code and what replaces it."""

    code: str
    label: str
    replaced_by: str = ""
    consider: tuple[str, ...] = ()
    source: str = ""
    source_version: str = ""
    note: str = ""
    path: str = ""
    line: int = 0

    def error(self, problem: str, hint: str | None = None) -> CurationError:
        return CurationError(self.path, self.line, problem, hint)


def _check_code(r: Row, column: str, value: str, ids: Mapping[str, Prefix], synonyms: Mapping[str, str]) -> None:
    prefix, sep, local = value.partition(":")
    if not sep or prefix not in ids:
        hint = f"write {synonyms[prefix]}:{local}" if prefix in synonyms else f"known prefixes: {', '.join(ids)}"
        raise r.error(f"{column} {value!r} is not a CURIE with a canonical identifier prefix", hint)
    if not ids[prefix].matches_local(local):
        raise r.error(f"{column} {value!r} does not match the {prefix} syntax {ids[prefix].local_pattern}")


def read_obsolete_codes(path: Path) -> dict[str, ObsoleteCode]:
    """Read and check the obsolete-code table; ``{code: ObsoleteCode}`` in file order.

    A missing file means "no obsolete codes recorded" (an empty table).
    """
    path = Path(path)
    if not path.is_file():
        return {}
    ids = {p.prefix: p for p in identifier_prefixes()}
    synonyms = {s: p.prefix for p in prefixes() for s in p.synonyms}
    out: dict[str, ObsoleteCode] = {}
    for r in read_table(path, OBSOLETE_COLUMNS, OBSOLETE_OPTIONAL):
        code = r["code"]
        _check_code(r, "code", code, ids, synonyms)
        if code in out:
            raise r.error(f"duplicate code {code!r}", f"first on line {out[code].line}")
        if not r["label"]:
            raise r.error(f"{code} has no label", "copy the source's label (ORDO writes 'OBSOLETE: …')")
        if r["replaced_by"]:
            _check_code(r, "replaced_by", r["replaced_by"], ids, synonyms)
            if r["replaced_by"] == code:
                raise r.error(f"{code} is replaced by itself")
        for c in r.multi("consider"):
            _check_code(r, "consider", c, ids, synonyms)
        if not _IRI_RE.match(r["source"]):
            raise r.error(f"source {r['source']!r} is not an http(s) IRI", "give the ontology IRI, e.g. http://www.orpha.net/ontologies/ordo.owl")
        if not r["source_version"]:
            raise r.error("source_version is empty", "name the release the obsolescence was read from")
        out[code] = ObsoleteCode(code=code, label=r["label"], replaced_by=r["replaced_by"],
                                 consider=tuple(r.multi("consider")), source=r["source"],
                                 source_version=r["source_version"], note=r["note"], path=str(path), line=r.line)
    for rec in out.values():
        final_replacement(rec.code, out)  # raises on a cycle
    return out


def final_replacement(code: str, obsolete: Mapping[str, ObsoleteCode]) -> str:
    """Follow ``replaced_by`` through the table to a code that is not obsolete ('' when none)."""
    seen = [code]
    current = code
    while current in obsolete:
        nxt = obsolete[current].replaced_by
        if not nxt:
            return ""
        if nxt in seen:
            rec = obsolete[code]
            raise rec.error(f"replacement cycle: {' -> '.join(seen + [nxt])}")
        seen.append(nxt)
        current = nxt
    return current
