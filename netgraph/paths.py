"""Where netgraph's files live.

In a source checkout (the usual case, and an editable install) the project
root is the folder holding ``ontology/``, ``data/`` and ``queries/``. A wheel
carries the same three folders inside the package as ``netgraph/_resources``.
``NETGRAPH_ROOT`` overrides both (used by tests that build into a scratch copy).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ProjectPaths", "project_paths", "SHARED_DIR_ENV", "Root"]

#: what every ``root=`` argument accepts: a project directory, or None for the packaged/default one
Root = str | os.PathLike | None

SHARED_DIR_ENV = "NETGRAPH_SHARED"


@dataclass(frozen=True)
class ProjectPaths:
    """The files of one netgraph project tree."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def ontology_edit(self) -> Path:
        return self.ontology_dir / "netgraph-edit.ttl"

    @property
    def ontology_release(self) -> Path:
        return self.ontology_dir / "netgraph.ttl"

    @property
    def shapes(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def tables_dir(self) -> Path:
        return self.root / "data" / "tables"

    @property
    def sssom(self) -> Path:
        return self.root / "data" / "mappings" / "netgraph.sssom.tsv"

    @property
    def obsolete_codes(self) -> Path:
        """Retired external codes and their replacements (read by the build and `netgraph resolve`)."""
        return self.root / "data" / "mappings" / "obsolete_codes.tsv"

    @property
    def instance_data(self) -> Path:
        return self.root / "data" / "netgraph-data.ttl"

    @property
    def mappings_data(self) -> Path:
        return self.root / "data" / "netgraph-mappings.ttl"

    @property
    def inferred(self) -> Path:
        """The reasoner's inferred class hierarchy (written by `netgraph reason`, needs Java)."""
        return self.ontology_dir / "netgraph-inferred.ttl"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def emitted(self) -> tuple[Path, ...]:
        """The files `netgraph build` writes, in graph order (ontology, data, mappings)."""
        return (self.ontology_release, self.instance_data, self.mappings_data)

    def shared_dir(self) -> Path | None:
        """The shared curation folder (full source texts, reference extracts), if present.

        ``NETGRAPH_SHARED`` names it explicitly; otherwise ``../shared`` beside the
        checkout. A clone without it still builds and tests; the curation checks
        that need it skip and say why.
        """
        env = os.environ.get(SHARED_DIR_ENV)
        candidates = [Path(env)] if env else [self.root.parent / "shared"]
        for c in candidates:
            if (c / "sources").is_dir() and (c / "reference").is_dir():
                return c
        return None


def _default_root() -> Path:
    env = os.environ.get("NETGRAPH_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parent
    checkout = here.parent
    if (checkout / "ontology" / "netgraph-edit.ttl").is_file():
        return checkout
    packaged = here / "_resources"
    if (packaged / "ontology").is_dir():
        return packaged
    return checkout


def project_paths(root: Root = None) -> ProjectPaths:
    """Paths of the project at ``root`` (default: this checkout or the packaged copy)."""
    return ProjectPaths(Path(root).resolve() if root is not None else _default_root())
