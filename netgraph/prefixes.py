"""The one prefix map, and everything generated from it.

``prefixes.tsv`` beside this module is the only place a namespace is written
down. The rdflib bindings, the SPARQL ``PREFIX`` prolog of every canned query,
the JSON-LD context, the SSSOM ``curie_map``, the identifier-syntax shapes and
the identifier normaliser used by ``netgraph resolve`` are all derived from it.

>>> expand("ORPHA:97253")
'http://www.orpha.net/ORDO/Orphanet_97253'
>>> compress("http://purl.obolibrary.org/obo/MONDO_0019954")
'MONDO:0019954'
>>> expand("netgraph:Insulinoma")
'https://w3id.org/netgraph/Insulinoma'
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from .errors import IdentifierError

if TYPE_CHECKING:
    import curies
    from rdflib import Graph  # boundary: bind_prefixes names the prefixes of rdflib graphs netgraph hands out

_G = TypeVar("_G", bound="Graph")

if TYPE_CHECKING:
    import curies

__all__ = [
    "Prefix",
    "PREFIX_FILE",
    "prefixes",
    "prefix_map",
    "identifier_prefixes",
    "row",
    "canonical_prefix",
    "parse_curie",
    "expand",
    "standardize_curie",
    "is_known_curie",
    "compress",
    "namespace",
    "sparql_prolog",
    "turtle_prolog",
    "bind_prefixes",
    "jsonld_context",
    "converter",
    "NETGRAPH",
    "STATEMENT",
    "SOURCE",
    "GRAPH",
]

PREFIX_FILE = "prefixes.tsv"


@dataclass(frozen=True)
class Prefix:
    """One row of the prefix map."""

    prefix: str
    uri_prefix: str
    role: str  # "vocabulary" (used in RDF and SPARQL) or "identifier" (an external code system)
    local_pattern: str  # regular expression for a valid local identifier ("" = unchecked)
    synonyms: tuple[str, ...]
    name: str
    uri_prefix_synonyms: tuple[str, ...] = ()  # other namespaces that denote the same codes (read, never written)
    biolink_curie: str = ""  # what KGX writes before the local id, as Biolink spells it ("SNOMEDCT:"); "" = "prefix:"

    def matches_local(self, local: str) -> bool:
        return not self.local_pattern or re.fullmatch(self.local_pattern.strip("^$"), local) is not None


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(s for s in (cell or "").split("|") if s)


@lru_cache(maxsize=1)
def prefixes() -> tuple[Prefix, ...]:
    """All rows of the prefix map, in file order."""
    # beside this module (the wheel installs it there); a plain path, as importlib.resources costs ~5 ms at start-up
    text = Path(__file__).with_name(PREFIX_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    return tuple(
        Prefix(
            prefix=row["prefix"],
            uri_prefix=row["uri_prefix"],
            role=row["role"],
            local_pattern=row.get("local_pattern") or "",
            synonyms=_split(row.get("synonyms")),
            name=row.get("name") or "",
            uri_prefix_synonyms=_split(row.get("uri_prefix_synonyms")),
            biolink_curie=row.get("biolink_curie") or "",
        )
        for row in rows
    )


@lru_cache(maxsize=1)
def prefix_map() -> Mapping[str, str]:
    """``{prefix: uri_prefix}`` for every row."""
    return {p.prefix: p.uri_prefix for p in prefixes()}


def identifier_prefixes() -> tuple[Prefix, ...]:
    """The rows that describe external identifier systems (ORPHA, MONDO, HP, ...)."""
    return tuple(p for p in prefixes() if p.role == "identifier")


@lru_cache(maxsize=1)
def _by_prefix() -> Mapping[str, Prefix]:
    return {p.prefix: p for p in prefixes()}


def row(prefix: str) -> Prefix:
    """The row of a canonical prefix (KeyError for a name that is not one)."""
    return _by_prefix()[prefix]


# -- the one CURIE engine -----------------------------------------------------------------------------
#
# Every caller (build, query parameters, crosswalk, writers, the public expand/compress) goes through the
# functions below, so there is one answer to "which prefix is this, which IRI is that". The semantics are
# those of a curies.Converter built from the same rows (prefix synonyms, URI-prefix synonyms, longest
# namespace wins), and tests/test_prefixes.py holds the two equal for every spelling and namespace. The
# lookups are plain dictionaries here rather than calls into curies because importing curies brings
# pydantic, which would more than double the start-up of a query (docs/crosswalk.md, "Spellings").


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """The :class:`curies.Converter` of the prefix map: every prefix with its synonyms and URI-prefix synonyms.

    For tools that take a converter (sssom-py, OAK, ...); it answers as :func:`expand`, :func:`compress`
    and :func:`canonical_prefix` do.

    >>> converter().standardize_curie("Orphanet:97253")
    'ORPHA:97253'
    """
    import curies  # imported on first use: it brings pydantic, which a query need not load

    records = [
        curies.Record(prefix=p.prefix, uri_prefix=p.uri_prefix,
                      prefix_synonyms=sorted(set(p.synonyms) - {p.prefix}),
                      uri_prefix_synonyms=sorted(set(p.uri_prefix_synonyms) - {p.uri_prefix}))
        for p in prefixes()
    ]
    return curies.Converter(records)


@lru_cache(maxsize=1)
def _spellings() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """(exact spelling -> canonical prefix, case-folded spelling -> canonical prefix where that is unambiguous).

    A spelling given to two prefixes is an error in the map (curies refuses it too).
    """
    exact: dict[str, str] = {}
    folded: dict[str, set[str]] = {}
    for p in prefixes():
        for name in (p.prefix, *p.synonyms):
            if exact.setdefault(name, p.prefix) != p.prefix:
                raise IdentifierError(f"netgraph/{PREFIX_FILE}: {name!r} is a spelling of both {exact[name]} and {p.prefix}")
            folded.setdefault(name.casefold(), set()).add(p.prefix)
    return exact, {k: next(iter(v)) for k, v in folded.items() if len(v) == 1}


@lru_cache(maxsize=1)
def _namespaces() -> tuple[tuple[str, str], ...]:
    """(namespace, canonical prefix) for every URI prefix and URI-prefix synonym, longest first."""
    pairs = {(ns, p.prefix) for p in prefixes() for ns in (p.uri_prefix, *p.uri_prefix_synonyms)}
    return tuple(sorted(pairs, key=lambda t: (-len(t[0]), t)))


@lru_cache(maxsize=4096)
def canonical_prefix(name: str) -> str | None:
    """The canonical prefix for any spelling of it (canonical, a synonym, or either in another case), or None.

    >>> canonical_prefix("orphanet"), canonical_prefix("SNOMEDCT"), canonical_prefix("nope")
    ('ORPHA', 'SCTID', None)
    """
    exact, folded = _spellings()
    return exact.get(name) or folded.get(name.casefold())


def parse_curie(curie: str) -> tuple[Prefix, str]:
    """The row and the local part of a CURIE whose prefix is any spelling of a prefix of the map.

    An identifier system's local part must fit its syntax (``local_pattern``); a vocabulary's is not checked.
    Anything else is an :class:`~netgraph.errors.IdentifierError` that says what is wrong.
    """
    prefix, sep, local = curie.partition(":")
    if not sep or not prefix or local.startswith("//"):
        raise IdentifierError(f"{curie!r} is not a CURIE (expected PREFIX:LOCAL, e.g. ORPHA:97253)")
    canonical = canonical_prefix(prefix)
    if canonical is None:
        raise IdentifierError(f"unknown prefix {prefix!r} in {curie!r}; known prefixes: {', '.join(prefix_map())} "
                              f"(and their synonyms in netgraph/{PREFIX_FILE})")
    found = _by_prefix()[canonical]
    if found.role == "identifier" and not found.matches_local(local):
        raise IdentifierError(f"{curie!r}: {local!r} is not a valid {canonical} identifier (expected {found.local_pattern})")
    return found, local


def expand(curie: str) -> str:
    """The IRI of a CURIE written with any spelling of a prefix of the map (an :class:`IdentifierError` otherwise).

    >>> expand("Orphanet:97253")
    'http://www.orpha.net/ORDO/Orphanet_97253'
    """
    found, local = parse_curie(curie)
    return found.uri_prefix + local


def standardize_curie(curie: str) -> str:
    """The canonical spelling of a CURIE (``Orphanet:97253`` -> ``ORPHA:97253``)."""
    found, local = parse_curie(curie)
    return f"{found.prefix}:{local}"


def is_known_curie(text: str) -> bool:
    """Whether ``text`` is ``PREFIX:LOCAL`` with a prefix (any spelling) of the map: not whether LOCAL is valid."""
    prefix, sep, local = text.partition(":")
    return bool(sep and prefix and not local.startswith("//") and canonical_prefix(prefix) is not None)


def compress(iri: str) -> str | None:
    """The canonical CURIE of an IRI (longest matching namespace or namespace synonym); None when none matches.

    >>> compress("http://purl.obolibrary.org/obo/MONDO_0019954")
    'MONDO:0019954'
    """
    for namespace_iri, prefix in _namespaces():
        if iri.startswith(namespace_iri):
            return f"{prefix}:{iri[len(namespace_iri):]}"
    return None


def namespace(prefix: str) -> str:
    """The namespace IRI of a canonical prefix: ``namespace("xsd")`` is the XML Schema namespace."""
    return _by_prefix()[prefix].uri_prefix


_IRI_OR_STRING = re.compile(r'<[^<>"{}|^`\\\s]*>|"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
#: a prefix as a query names it: ``name:`` not preceded by a name character, ``.``, ``:`` or ``-``
_PREFIX_USE = re.compile(r"(?<![\w.:-])([\w.-]+):")


def sparql_prolog(used_in: str | None = None) -> str:
    """SPARQL ``PREFIX`` declarations; with ``used_in``, only the prefixes that text uses."""
    rows = prefixes()
    if used_in is not None:
        code = _IRI_OR_STRING.sub(" ", used_in)  # a prefix named only in a comment is declared too: harmless
        used = set(_PREFIX_USE.findall(code))  # one pass (a pattern per prefix cost ~50 compiles per process)
        rows = tuple(p for p in rows if p.prefix in used)
    return "".join(f"PREFIX {p.prefix}: <{p.uri_prefix}>\n" for p in rows)


def turtle_prolog(prefix_names: Iterable[str] | None = None) -> str:
    """Turtle ``@prefix`` lines for the given prefixes (all when None)."""
    rows = prefixes() if prefix_names is None else tuple(_by_prefix()[n] for n in prefix_names)
    return "".join(f"@prefix {p.prefix}: <{p.uri_prefix}> .\n" for p in rows)


def bind_prefixes(graph: _G, *, override: bool = True) -> _G:
    """Bind every prefix of the map on an rdflib Graph/Dataset (returns the graph)."""
    for p in prefixes():
        graph.bind(p.prefix, p.uri_prefix, override=override, replace=True)
    return graph


def jsonld_context() -> dict[str, dict[str, str]]:
    """A JSON-LD ``@context`` generated from the prefix map."""
    return {"@context": {p.prefix: p.uri_prefix for p in prefixes()}}


NETGRAPH = prefix_map()["netgraph"]
STATEMENT = prefix_map()["ngstmt"]
SOURCE = prefix_map()["ngsrc"]
GRAPH = prefix_map()["nggraph"]
