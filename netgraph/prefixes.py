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
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar
from importlib import resources
from collections.abc import Iterable, Mapping

from .errors import IdentifierError, MissingDependencyError

if TYPE_CHECKING:
    import curies
    from rdflib import Graph

_G = TypeVar("_G", bound="Graph")

__all__ = [
    "Prefix",
    "PREFIX_FILE",
    "prefixes",
    "prefix_map",
    "identifier_prefixes",
    "expand",
    "compress",
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

    def matches_local(self, local: str) -> bool:
        return not self.local_pattern or re.fullmatch(self.local_pattern.strip("^$"), local) is not None


@lru_cache(maxsize=1)
def prefixes() -> tuple[Prefix, ...]:
    """All rows of the prefix map, in file order."""
    text = resources.files(__package__).joinpath(PREFIX_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    out = []
    for row in rows:
        syn = tuple(s for s in (row.get("synonyms") or "").split("|") if s)
        out.append(
            Prefix(
                prefix=row["prefix"],
                uri_prefix=row["uri_prefix"],
                role=row["role"],
                local_pattern=row.get("local_pattern") or "",
                synonyms=syn,
                name=row.get("name") or "",
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def prefix_map() -> Mapping[str, str]:
    """``{prefix: uri_prefix}`` for every row."""
    return {p.prefix: p.uri_prefix for p in prefixes()}


def identifier_prefixes() -> tuple[Prefix, ...]:
    """The rows that describe external identifier systems (ORPHA, MONDO, HP, ...)."""
    return tuple(p for p in prefixes() if p.role == "identifier")


def _by_prefix() -> Mapping[str, Prefix]:
    return {p.prefix: p for p in prefixes()}


def expand(curie: str) -> str:
    """Expand a CURIE written with a canonical prefix into an IRI."""
    prefix, sep, local = curie.partition(":")
    if not sep:
        raise IdentifierError(f"{curie!r} is not a CURIE (expected PREFIX:LOCAL)")
    row = _by_prefix().get(prefix)
    if row is None:
        raise IdentifierError(f"unknown prefix {prefix!r} in {curie!r}; known prefixes: {', '.join(prefix_map())}")
    return row.uri_prefix + local


def compress(iri: str) -> str | None:
    """Compress an IRI with the longest matching URI prefix; None when no prefix matches."""
    best: Prefix | None = None
    for row in prefixes():
        if iri.startswith(row.uri_prefix) and (best is None or len(row.uri_prefix) > len(best.uri_prefix)):
            best = row
    if best is None:
        return None
    return f"{best.prefix}:{iri[len(best.uri_prefix):]}"


_IRI_OR_STRING = re.compile(r'<[^<>"{}|^`\\\s]*>|"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')


def sparql_prolog(used_in: str | None = None) -> str:
    """SPARQL ``PREFIX`` declarations; with ``used_in``, only the prefixes that text uses."""
    rows = prefixes()
    if used_in is not None:
        code = _IRI_OR_STRING.sub(" ", used_in)  # a prefix named only in a comment is declared too: harmless
        rows = tuple(p for p in rows if re.search(rf"(?<![\w.:-]){re.escape(p.prefix)}:", code))
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


def jsonld_context() -> dict:
    """A JSON-LD ``@context`` generated from the prefix map."""
    return {"@context": {p.prefix: p.uri_prefix for p in prefixes()}}


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """A :class:`curies.Converter` with every prefix and its synonyms.

    Needs the ``curies`` package (in the ``test`` extra; ``pip install curies``).
    netgraph itself normalises identifiers without it (``netgraph.crosswalk``);
    the tests use this as an independent check of the prefix map's synonyms.
    """
    try:
        import curies
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("netgraph.prefixes.converter() needs the 'curies' package: pip install curies") from exc

    records = [
        curies.Record(prefix=p.prefix, uri_prefix=p.uri_prefix, prefix_synonyms=sorted(set(p.synonyms) - {p.prefix}))
        for p in prefixes()
    ]
    return curies.Converter(records)


NETGRAPH = prefix_map()["netgraph"]
STATEMENT = prefix_map()["ngstmt"]
SOURCE = prefix_map()["ngsrc"]
GRAPH = prefix_map()["nggraph"]
