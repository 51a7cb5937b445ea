"""The single source of truth for netgraph's version and release date.

`pyproject.toml` reads ``__version__`` from here (hatch's version source), the
build writes both into the ontology's ``owl:versionInfo`` and dated
``owl:versionIRI``, and the SSSOM metadata and release manifest take them from
here too. The release date is part of the release, not read from the clock, so
a build on another day gives byte-identical files.
"""

__version__ = "0.1.0"
RELEASE_DATE = "2026-11-22"
