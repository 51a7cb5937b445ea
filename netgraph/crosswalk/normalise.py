"""Identifier spellings -> canonical CURIEs, using only the one prefix map.

Registries write the same code many ways. :func:`normalise` reads a CURIE with
the canonical prefix or any synonym of ``netgraph/prefixes.tsv`` (in any case:
the one CURIE engine, :func:`netgraph.prefixes.canonical_prefix`, decides),
the OBO underscore form, an IRI (``http`` or ``https``), or a bare code, and
returns the canonical CURIE(s) it may denote:

>>> normalise("Orphanet_97253").candidates
('ORPHA:97253',)
>>> normalise("http://www.orpha.net/ORDO/Orphanet_97253").candidates
('ORPHA:97253',)
>>> normalise("mondo:0019954").candidates
('MONDO:0019954',)
>>> normalise("ICD-10: c25.4").candidates
('ICD10CM:C25.4',)
>>> normalise("8240/3").candidates
('ICDO:8240/3',)
>>> normalise("ICD-O-3:82493").candidates
('ICDO:8249/3',)

A bare code names no system, so every system whose syntax it fits is a
candidate; the crosswalk index keeps those it knows and reports ambiguity when
more than one is left. Nothing is guessed silently:

>>> normalise("C25.4").candidates
('ICD10CM:C25.4', 'ICD10WHO:C25.4')
>>> normalise("C25.4").bare
True
>>> normalise("ORPHA:12ab").error
"'12ab' is not a valid ORPHA code (expected ^[0-9]+$)"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Mapping

from ..prefixes import Prefix, canonical_prefix, compress, identifier_prefixes, prefixes, row

__all__ = ["Normalised", "normalise", "canonical_prefix", "ENTITY_PREFIX"]

#: The prefix of netgraph's own entities (a row of the prefix map, never retyped here).
ENTITY_PREFIX = "netgraph"

_CURIE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9.\-]*)\s*:\s*(\S.*)\Z")
_UNDERSCORE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9\-]*)_(\S+)\Z")
_SPACED_RE = re.compile(r"^([A-Za-z][A-Za-z0-9.\-]*)\s+(\S+)\Z")
_GLUED_RE = re.compile(r"^([A-Za-z]+)([0-9]\S*)\Z")
_IRI_RE = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(slots=True)
class Normalised:
    """How an identifier was read.

    ``candidates`` holds the canonical CURIEs the text may denote (one when its
    spelling names the system; several for a bare code that fits several
    systems; none when it cannot be read, and then ``error`` says why).
    """

    text: str
    candidates: tuple[str, ...] = ()
    bare: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@lru_cache(maxsize=1024)
def _fast_prefix(name: str) -> str | None:
    """The canonical *identifier* prefix for a spelling (None for vocabulary prefixes and unknown names)."""
    canonical = canonical_prefix(name)
    return canonical if canonical in _identifier_rows() else None


@lru_cache(maxsize=1)
def _identifier_rows() -> Mapping[str, Prefix]:
    return {p.prefix: p for p in identifier_prefixes()}


@lru_cache(maxsize=1)
def _patterns() -> Mapping[str, re.Pattern[str] | None]:
    """Compiled local-identifier pattern of every prefix (None when unchecked)."""
    return {p.prefix: re.compile(p.local_pattern) if p.local_pattern else None for p in prefixes()}


def _local_variants(local: str) -> tuple[str, ...]:
    """Common registry variants of a local part that does not fit as written."""
    up = local.upper()
    out = [up]
    if "." not in up and len(up) > 3 and up[0].isalpha():
        out.append(f"{up[:3]}.{up[3:]}")  # ICD-10 written without its dot (C254 -> C25.4)
    m = re.match(r"^M-?(\d{4}/\d)\Z", up)
    if m:
        out.append(m.group(1))  # ICD-O morphology written with its M prefix (M8240/3)
    m = re.match(r"^M?-?(\d{4})(\d)$", up)
    if m:
        out.append(f"{m.group(1)}/{m.group(2)}")  # ICD-O morphology without its slash (82493, M82493)
    return tuple(out)


def _fit(prefix: str, local: str) -> str | None:
    """The local part, or the first variant of it, that fits the prefix's syntax; None if none does."""
    pattern = _patterns()[prefix]
    if pattern is None or pattern.fullmatch(local):
        return local
    for variant in _local_variants(local):
        if pattern.fullmatch(variant):
            return variant
    return None


def _with_prefix(text: str, prefix: str, local: str) -> Normalised:
    local = local.strip()
    if prefix not in _identifier_rows() and prefix != ENTITY_PREFIX:
        return Normalised(text, error=f"{prefix}: is a vocabulary prefix, not an identifier system")
    if prefix == ENTITY_PREFIX:
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", local):
            return Normalised(text, error=f"{local!r} is not a netgraph id (a CamelCase local name)")
        return Normalised(text, (f"{prefix}:{local}",))
    fitted = _fit(prefix, local)
    if fitted is None:
        return Normalised(text, error=f"{local!r} is not a valid {prefix} code (expected {row(prefix).local_pattern})")
    return Normalised(text, (f"{prefix}:{fitted}",))


def _from_iri(text: str) -> Normalised:
    head, _, rest = text.partition("://")
    variants = [text, ("https" if head.lower() == "http" else "http") + "://" + rest]
    for v in list(variants):
        h, _, r = v.partition("://")
        variants.append(f"{h}://{r[4:]}" if r.startswith("www.") else f"{h}://www.{r}")
    for v in variants:
        curie = compress(v)
        if curie:
            prefix, _, local = curie.partition(":")
            return _with_prefix(text, prefix, local)
    m = re.match(r"^https?://identifiers\.org/(.+)\Z", text, re.IGNORECASE)
    if m:
        return normalise(m.group(1))
    return Normalised(text, error="an IRI outside every namespace of netgraph/prefixes.tsv")


def _bare(text: str, prefix: str | None) -> Normalised:
    if prefix is not None:
        canonical = canonical_prefix(prefix)
        if canonical is None:
            return Normalised(text, error=f"unknown prefix {prefix!r} (see netgraph/prefixes.tsv)")
        n = _with_prefix(text, canonical, text)
        return Normalised(n.text, n.candidates, bare=True, error=n.error)
    found = []
    for p in _identifier_rows().values():
        fitted = _fit(p.prefix, text)
        if fitted is not None:
            found.append(f"{p.prefix}:{fitted}")
    if not found:
        return Normalised(text, bare=True,
                          error="not a CURIE, an IRI or a bare code of any identifier system netgraph knows")
    return Normalised(text, tuple(found), bare=True)


def normalise(text: str, prefix: str | None = None) -> Normalised:
    """Read an identifier as written by a person or a registry.

    ``prefix`` (any spelling) is the system to assume for a bare code.
    """
    raw = text
    text = text.strip()
    if text[:1] in ('"', "'"):
        text = text.strip('"\'').strip()
    if not text:
        return Normalised(raw, error="empty")
    m = _CURIE_RE.match(text)  # fast path: PREFIX:LOCAL with a known prefix, local as written
    if m:
        canonical = _fast_prefix(m.group(1))
        if canonical is not None:
            pattern = _patterns()[canonical]
            local = m.group(2)
            if pattern is not None and pattern.fullmatch(local):
                return Normalised(raw, (f"{canonical}:{local}",))
    if _IRI_RE.match(text):
        return _with_text(_from_iri(text), raw)
    for pattern in (_CURIE_RE, _UNDERSCORE_RE, _SPACED_RE, _GLUED_RE):
        m = pattern.match(text)
        if m:
            canonical = canonical_prefix(m.group(1))
            if canonical is not None:
                return _with_text(_with_prefix(text, canonical, m.group(2)), raw)
            if pattern is _CURIE_RE:
                if "/" in m.group(2) or "." in m.group(1):
                    break
                return Normalised(raw, error=f"unknown prefix {m.group(1)!r} (see netgraph/prefixes.tsv for the known ones)")
    if " " in text:
        return Normalised(raw, error="not an identifier (it contains spaces)")
    return _with_text(_bare(text, prefix), raw)


def _with_text(n: Normalised, raw: str) -> Normalised:
    return n if n.text == raw else Normalised(raw, n.candidates, n.bare, n.error)
