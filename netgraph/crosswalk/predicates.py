"""The SKOS mapping predicates: their rank, their inverse, their direction in words.

A mapping row reads from the netgraph entity (SSSOM subject) to the external
code (SSSOM object). ``skos:broadMatch`` therefore says that the *external code
is broader* than the netgraph entity, i.e. the netgraph entity is narrower:

>>> relation("skos:broadMatch", "netgraph:GastrointestinalNeuroendocrineNeoplasm", "ORPHA:100092")
'netgraph:GastrointestinalNeuroendocrineNeoplasm is narrower than ORPHA:100092'
>>> relation("skos:narrowMatch", "netgraph:HepaticNeuroendocrineNeoplasm", "ORPHA:100085")
'netgraph:HepaticNeuroendocrineNeoplasm is broader than ORPHA:100085'
>>> inverse("skos:broadMatch")
'skos:narrowMatch'

The Orphanet ORDO qualifiers describe the *Orphanet* concept against the other
one, as ORDO writes them: ``NTBT`` ("narrower term maps to a broader term")
means the Orphanet code is narrower than the netgraph entity, which is
``skos:narrowMatch`` read from netgraph.

>>> QUALIFIER_PREDICATES["NTBT"]
('skos:narrowMatch',)
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from importlib import resources

__all__ = [
    "PREDICATES_FILE",
    "MAPPING_PREDICATES",
    "mapping_predicate_iris",
    "PREDICATE_RANK",
    "ORPHANET_QUALIFIERS",
    "QUALIFIER_PREDICATES",
    "NEGATED_QUALIFIER",
    "ORPHANET_XREF_PREFIXES",
    "XREF_QUALIFIER_PREDICATES",
    "inverse",
    "relation",
    "predicate_words",
]

#: The file (beside this module) that lists the mapping predicates, one a row, best first, with the inverse
#: and the words that say how the netgraph entity (subject) stands to the code (object).
PREDICATES_FILE = "predicates.tsv"


def _read() -> tuple[dict[str, str], ...]:
    text = resources.files(__package__).joinpath(PREDICATES_FILE).read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines(), delimiter="\t"))


_ROWS = _read()

#: The mapping predicates a row may use, best (safest to link a record with) first:
#: exact; the netgraph entity broader than the code (a record of the code is a member);
#: close; the netgraph entity narrower than the code; related. The one list: the exports and the SHACL
#: compiler read it, and a test holds the lists in shapes.ttl and the canned queries to it.
MAPPING_PREDICATES: tuple[str, ...] = tuple(r["predicate"] for r in _ROWS)

PREDICATE_RANK: Mapping[str, int] = {p: i for i, p in enumerate(MAPPING_PREDICATES)}

_INVERSE = {r["predicate"]: r["inverse"] for r in _ROWS}

# How the netgraph entity (subject) stands to the code (object), in words.
_WORDS = {r["predicate"]: r["words"] for r in _ROWS}

#: Orphanet's ORDO mapping qualifiers (E exact, NTBT narrower-to-broader, BTNT
#: broader-to-narrower, ND not decided, W wrong) and what each means.
ORPHANET_QUALIFIERS: Mapping[str, str] = {
    "E": "exact mapping (the terms and the concepts are equivalent)",
    "NTBT": "the Orphanet code is narrower than the netgraph entity",
    "BTNT": "the Orphanet code is broader than the netgraph entity",
    "ND": "not yet decided / unable to decide",
    "W": "wrong mapping (recorded as a negated mapping, predicate_modifier Not)",
}

#: The predicates each qualifier is consistent with (read from the netgraph subject).
QUALIFIER_PREDICATES: Mapping[str, tuple[str, ...]] = {
    "E": ("skos:exactMatch",),
    "NTBT": ("skos:narrowMatch",),
    "BTNT": ("skos:broadMatch",),
    "ND": ("skos:closeMatch", "skos:relatedMatch"),
    "W": MAPPING_PREDICATES,
}

#: Prefixes of the codes Orphanet itself maps its disorders to, with a qualifier (ORPHApackets).
ORPHANET_XREF_PREFIXES: tuple[str, ...] = ("OMIM",)

#: The predicates a qualifier allows on such a row. The qualifier relates the
#: Orphanet disorder (the netgraph subject is exact to it) to the code, so it is
#: read the other way round: ``NTBT`` (the Orphanet disorder is narrower, the
#: code broader) is ``skos:broadMatch``, ``BTNT`` ``skos:narrowMatch``, as MONDO reads them.
XREF_QUALIFIER_PREDICATES: Mapping[str, tuple[str, ...]] = {
    q: tuple(_INVERSE[p] for p in preds) for q, preds in QUALIFIER_PREDICATES.items()
}

#: The qualifier that requires ``predicate_modifier`` ``Not``.
NEGATED_QUALIFIER = "W"


def mapping_predicate_iris() -> tuple[str, ...]:
    """The IRIs of :data:`MAPPING_PREDICATES`, in the same order."""
    from ..prefixes import expand

    return tuple(expand(p) for p in MAPPING_PREDICATES)


def inverse(predicate: str) -> str:
    """The predicate read the other way (code to netgraph entity)."""
    return _INVERSE[predicate]


def predicate_words(predicate: str) -> str:
    """How the netgraph entity stands to the code, e.g. ``'is broader than'``."""
    return _WORDS[predicate]


def relation(predicate: str, subject: str, obj: str) -> str:
    """The mapping as a sentence, from the netgraph side."""
    return f"{subject} {_WORDS[predicate]} {obj}"
