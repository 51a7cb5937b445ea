"""`netgraph build`: curated tables + core ontology -> Turtle, deterministically, in two stages.

The build reads ``ontology/netgraph-edit.ttl`` (the core TBox), the tables under
``data/tables/`` and the SSSOM mapping file, and emits three files, one per
named graph:

- ``ontology/netgraph.ttl``: the release ontology (core + disease classes +
  dated version IRI);
- ``data/netgraph-data.ttl``: the instance data (sources, named individuals,
  association individuals and their direct triples);
- ``data/netgraph-mappings.ttl``: SKOS mapping triples, ``oboInOwl:hasDbXref``
  strings and one SSSOM record per row from the SSSOM file, and the obsolete
  external codes of ``data/mappings/obsolete_codes.tsv`` (see
  :mod:`netgraph.crosswalk.emit`).

One concern per module:

- :mod:`~netgraph.build.columns`: the tables' columns and cell syntax;
- :mod:`~netgraph.build.rows`: stage 1, every row checked into an immutable
  record (all problems reported at once, each with its file and line);
- :mod:`~netgraph.build.records`: the checked records (stage 1's output);
- :mod:`~netgraph.build.hierarchy`: the class hierarchy and its cycles;
- :mod:`~netgraph.build.emit`: stage 2, pure functions from checked records to
  graphs, in any order;
- :mod:`~netgraph.build.run`: both stages, the canonical Turtle, the atomic write.

Nothing is written unless every table is valid; files are replaced atomically.
The names below are imported on first use, so that ``netgraph.build.columns``
stays light (the validator reads the source table's columns from it).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..sourcetext import normalise_whitespace
    from .columns import DATE_RE, ID_RE, LANG_RE, SOURCE_COLUMNS, SOURCE_ID_RE, SOURCE_OPTIONAL
    from .emit import ONTOLOGY_IRI, version_iri
    from .records import association_iri
    from .run import BuildResult, build, compile_project

__all__ = ["BuildResult", "compile_project", "build", "association_iri", "normalise_whitespace",
           "ONTOLOGY_IRI", "version_iri", "SOURCE_COLUMNS", "SOURCE_OPTIONAL", "ID_RE", "SOURCE_ID_RE", "LANG_RE",
           "DATE_RE"]

_COLUMNS = ("ID_RE", "SOURCE_ID_RE", "LANG_RE", "DATE_RE", "SHA256_RE", "DECIMAL_RE", "SOURCE_KINDS", "SOURCE_COLUMNS",
            "SOURCE_OPTIONAL", "CLASS_COLUMNS", "CLASS_OPTIONAL", "ENTITY_COLUMNS", "ENTITY_OPTIONAL",
            "ASSOCIATION_COLUMNS", "ASSOCIATION_OPTIONAL", "SSSOM_COLUMNS", "SSSOM_OPTIONAL")
#: public name -> the module that defines it (the names the single-module build.py had keep working)
_LAZY = {"BuildResult": ".run", "compile_project": ".run", "build": ".run", "association_iri": ".records",
         "normalise_whitespace": "..sourcetext", "ONTOLOGY_IRI": ".emit", "version_iri": ".emit",
         "IAO_DEFINITION": ".emit", "OBOINOWL": ".emit", "SYNONYM_SCOPES": ".emit"} | dict.fromkeys(_COLUMNS, ".columns")


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
