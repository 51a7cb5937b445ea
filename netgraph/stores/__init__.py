"""Into other graph stores: exports, a release, loading into a running store, and a SPARQL endpoint.

>>> from netgraph.stores import FORMATS
>>> sorted(FORMATS)
['jsonld', 'kgx', 'neo4j', 'nq', 'nt', 'rdfxml', 'trig', 'ttl']

- :func:`export` writes one format (Turtle, N-Triples, N-Quads, TriG, JSON-LD,
  RDF/XML, KGX TSV, Neo4j import CSV);
- :func:`release` writes every format plus a VoID/DCAT manifest and checksums;
- :func:`push_to_endpoint` loads the named graphs into a running store by the
  Graph Store Protocol (or SPARQL Update) and verifies their counts and content;
- :func:`serve` starts a read-only SPARQL endpoint over the built graph.

See docs/stores.md for each store's commands.
"""

from __future__ import annotations

from .export import FORMATS, ExportResult, export
from .load import LoadProgress, LoadReport, push_to_endpoint
from .release import GraphStatistics, ReleaseResult, release
from .serve import SparqlServer, serve

__all__ = [
    "FORMATS",
    "ExportResult",
    "export",
    "ReleaseResult",
    "GraphStatistics",
    "release",
    "LoadProgress",
    "LoadReport",
    "push_to_endpoint",
    "SparqlServer",
    "serve",
]
