"""The crosswalk: netgraph entities <-> external identifiers (Orphanet, MONDO, ICD-10, ICD-O-3 …).

One SSSOM file (``data/mappings/netgraph.sssom.tsv``) holds every mapping and
``data/mappings/obsolete_codes.tsv`` every retired code; this package reads
them, answers for one identifier (:func:`resolve`) and links a whole table of
records, streaming (:func:`link`).

>>> from netgraph.crosswalk import normalise
>>> normalise("Orphanet_97253").candidates
('ORPHA:97253',)
"""

from __future__ import annotations

from .index import CrosswalkIndex, Entity, load_index
from .link import LINK_COLUMNS, LinkSummary, link, link_rows
from .mappingset import MappingRecord, MappingSet, MappingSetMetadata, read_mapping_set
from .normalise import Normalised, normalise
from .obsolete import ObsoleteCode, read_obsolete_codes
from .predicates import MAPPING_PREDICATES, ORPHANET_QUALIFIERS, relation
from .resolve import STATUSES, Match, Resolution, resolve, resolve_code

__all__ = [
    "resolve",
    "resolve_code",
    "link",
    "link_rows",
    "Resolution",
    "Match",
    "Entity",
    "LinkSummary",
    "LINK_COLUMNS",
    "STATUSES",
    "CrosswalkIndex",
    "load_index",
    "Normalised",
    "normalise",
    "MappingRecord",
    "MappingSet",
    "MappingSetMetadata",
    "read_mapping_set",
    "ObsoleteCode",
    "read_obsolete_codes",
    "MAPPING_PREDICATES",
    "ORPHANET_QUALIFIERS",
    "relation",
]
