"""Generators that turn the shared reference extracts into curated tables.

Each generator is deterministic: it reads ``../shared/reference`` and the
repository's own tables, and writes table rows that the build then checks like
any hand-curated row. Run one with ``python -m netgraph.curation.<name>``; rerun
them after a merge (classification first, then orphanet_phenotypes, which maps
ORPHAcodes through the classification's mappings).
"""

__all__: list[str] = []
