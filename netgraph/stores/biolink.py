"""The Biolink Model mapping used by the KGX and Neo4j exports, read from ``biolink.tsv`` beside this module.

Categories are keyed by a netgraph class; an entity takes the category of its
nearest mapped class (itself, its type, or an ancestor). Predicates are keyed by
the CURIE of the netgraph (or RDF/SKOS) predicate the graph uses. A ``*`` row
gives the default of its kind; ``excluded`` rows name the classes whose
subclasses and members are not nodes. Names were checked against the Biolink
Model documentation (biolink.github.io); ``tests/test_kgx.py`` checks every one
against the ``biolink-model`` package's schema.

>>> category_for("netgraph:Hormone", {"netgraph:Hormone": ["netgraph:SecretedSubstance"]})
'biolink:ChemicalEntity'
>>> PREDICATES["netgraph:mayBeTreatedBy"]
'biolink:treated_by'
"""

from __future__ import annotations

import csv
from importlib import resources
from collections.abc import Mapping, Sequence

from ..errors import CurationError

__all__ = ["BIOLINK_FILE", "CATEGORIES", "PREDICATES", "DEFAULT_CATEGORY", "DEFAULT_PREDICATE", "EXCLUDED_ROOTS",
           "KNOWLEDGE_SOURCE", "category_for", "predicate_for"]

BIOLINK_FILE = "biolink.tsv"
_KINDS = ("category", "predicate", "excluded", "knowledge_source")


def _read() -> dict[str, dict[str, str]]:
    """``{kind: {term: biolink}}`` from the table (a clear error for a row of an unknown kind or a repeated term)."""
    text = resources.files(__package__).joinpath(BIOLINK_FILE).read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {k: {} for k in _KINDS}
    for line, row in enumerate(csv.DictReader(text.splitlines(), delimiter="\t"), 2):
        kind, term = row["kind"], row["term"]
        if kind not in out:
            raise CurationError(f"netgraph/stores/{BIOLINK_FILE}", line, f"unknown kind {kind!r}", f"use one of {', '.join(_KINDS)}")
        if term in out[kind]:
            raise CurationError(f"netgraph/stores/{BIOLINK_FILE}", line, f"{kind} {term} is given twice")
        out[kind][term] = row["biolink"]
    return out


_TABLE = _read()

#: netgraph class -> Biolink category (the nearest mapped class wins)
CATEGORIES: Mapping[str, str] = {k: v for k, v in _TABLE["category"].items() if k != "*"}

#: graph predicate -> Biolink predicate
PREDICATES: Mapping[str, str] = {k: v for k, v in _TABLE["predicate"].items() if k != "*"}

DEFAULT_CATEGORY: str = _TABLE["category"]["*"]
DEFAULT_PREDICATE: str = _TABLE["predicate"]["*"]

#: classes whose subclasses and members are not nodes: associations become edges, qualifiers edge properties
EXCLUDED_ROOTS: tuple[str, ...] = tuple(_TABLE["excluded"])

#: the Biolink ``primary_knowledge_source`` of every edge (an infores identifier)
KNOWLEDGE_SOURCE: str = _TABLE["knowledge_source"]["*"]


def category_for(term: str | Sequence[str], parents: Mapping[str, Sequence[str]]) -> str:
    """The category of the nearest mapped class at or above ``term`` (a class, or an entity's types)."""
    seen: set[str] = set()
    level = sorted({term} if isinstance(term, str) else set(term))
    while level:
        hits = sorted(CATEGORIES[c] for c in level if c in CATEGORIES)
        if hits:
            return hits[0]
        seen.update(level)
        level = sorted({p for c in level for p in parents.get(c, ()) if p not in seen})
    return DEFAULT_CATEGORY


def predicate_for(predicate: str) -> str:
    """The Biolink predicate for a graph predicate CURIE (``biolink:related_to`` when unmapped)."""
    return PREDICATES.get(predicate, DEFAULT_PREDICATE)
