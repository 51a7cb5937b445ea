"""QC checks: the violation queries of ``queries/qc/`` run on an embedded Oxigraph store.

Each QC query returns ``?entity ?property ?value`` (zero rows when clean) and
declares its ``severity`` in its header. The store holds every part of the
graph in its named graph and is queried with the union as default graph, plus
two support graphs the queries may name:

- ``nggraph:core``: the hand-edited core ontology, so a query can tell the
  model's top classes from a class that lost its parent;
- ``nggraph:prefixes``: one ``sh:prefix`` / ``sh:namespace`` pair per external
  identifier system of the prefix map.

Queries tagged ``needs-source-texts`` call two custom functions backed by the
shared curation folder (:class:`SourceTexts`); without that folder they are
skipped and the report says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..build.columns import SOURCE_COLUMNS, SOURCE_OPTIONAL
from ..sourcetext import quote_in_text, source_plain_text
from ..catalogue import CannedQuery, load_catalogue
from ..errors import QueryError
from ..paths import ProjectPaths, project_paths
from ..prefixes import GRAPH, SOURCE, prefix_map
from ..sparqltext import prepare
from ..tables import read_table
from .graphstore import CORE_GRAPH, PREFIXES_GRAPH, store_from_graphs
from .report import Finding, severity_from_qc

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph  # boundary: qc_store and quads take a caller's rdflib graphs

__all__ = ["SourceTexts", "qc_queries", "qc_store", "quads", "run_qc", "CORE_GRAPH", "PREFIXES_GRAPH", "NEEDS_SOURCE_TEXTS"]

NEEDS_SOURCE_TEXTS = "needs-source-texts"
_SHAPES = prefix_map()["ngshape"]
_XSD = prefix_map()["xsd"]


@dataclass
class SourceTexts:
    """The captured texts of the sources, read on demand.

    ``files`` maps a source IRI to (file, recorded sha256). A public-domain text
    vendored in the repository (sources.tsv ``repo_path``) is read from there, so
    its quotes are checked in any clone; the others from the shared curation
    folder when it is present. Texts are read once, reduced to their quotable
    wording (:func:`netgraph.sourcetext.plain_text`), and kept.
    """

    files: Mapping[str, tuple[Path, str]]
    unavailable: tuple[str, ...] = ()
    _texts: dict[str, str | None] = field(default_factory=dict)
    _sums: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_project(cls, paths: ProjectPaths, shared: Path | None) -> SourceTexts:
        table = paths.tables_dir / "sources.tsv"
        rows = read_table(table, ("source_id", "shared_path", "sha256"),
                          tuple(c for c in SOURCE_COLUMNS + SOURCE_OPTIONAL if c not in ("source_id", "shared_path", "sha256")))
        files: dict[str, tuple[Path, str]] = {}
        unavailable: list[str] = []
        for r in rows:
            if r["repo_path"]:
                files[SOURCE + r["source_id"]] = (paths.root / r["repo_path"], r["sha256"])
            elif shared is not None and r["shared_path"]:
                files[SOURCE + r["source_id"]] = (shared / r["shared_path"], r["sha256"])
            else:
                unavailable.append(r["source_id"])
        return cls(files, tuple(unavailable))

    def _read(self, iri: str) -> bytes | None:
        entry = self.files.get(iri)
        if entry is None or not entry[0].is_file():
            return None
        return entry[0].read_bytes()

    def checksum(self, iri: str) -> str | None:
        if iri not in self._sums:
            data = self._read(iri)
            self._sums[iri] = hashlib.sha256(data).hexdigest() if data is not None else None
        return self._sums[iri]

    def text(self, iri: str) -> str | None:
        if iri not in self._texts:
            data = self._read(iri)
            suffix = self.files[iri][0].suffix if data is not None else ""
            self._texts[iri] = source_plain_text(data.decode("utf-8", errors="replace"), suffix) if data is not None else None
        return self._texts[iri]

    def contains(self, quote: str, iri: str) -> bool | None:
        text = self.text(iri)
        return None if text is None else quote_in_text(quote, text)

    def functions(self) -> dict:
        """pyoxigraph custom functions: ``ngshape:quoteInSource``, ``ngshape:sourceTextChecksum``."""
        import pyoxigraph as ox

        boolean = ox.NamedNode(_XSD + "boolean")

        def quote_in_source(quote: object, source: object) -> ox.Literal | None:
            if not isinstance(quote, ox.Literal) or not isinstance(source, ox.NamedNode):
                return None
            found = self.contains(quote.value, source.value)
            return None if found is None else ox.Literal("true" if found else "false", datatype=boolean)

        def source_text_checksum(source: object) -> ox.Literal | None:
            if not isinstance(source, ox.NamedNode):
                return None
            digest = self.checksum(source.value)
            return None if digest is None else ox.Literal(digest)

        return {ox.NamedNode(_SHAPES + "quoteInSource"): quote_in_source,
                ox.NamedNode(_SHAPES + "sourceTextChecksum"): source_text_checksum}


def qc_queries(paths: ProjectPaths) -> dict[str, CannedQuery]:
    """The QC queries of the project (a scratch tree without ``queries/qc`` uses this checkout's)."""
    root = paths.root if (paths.queries_dir / "qc").is_dir() else project_paths().root
    return load_catalogue(root, qc=True)


def quads(triples: Any, part: str) -> list[ox.Quad]:
    """pyoxigraph quads for rdflib ``triples`` in the named graph of ``part``."""
    from ..rdfterms import ox_quads

    return ox_quads(triples, GRAPH + part)


def qc_store(graphs: Mapping[str, Graph], core: Path) -> Any:
    """A pyoxigraph Store with each rdflib graph in its named graph plus the two support graphs."""
    vs = store_from_graphs(graphs)
    vs.add_support_graphs(core)
    return vs.store


def run_qc(store: Any, queries: Mapping[str, CannedQuery], texts: SourceTexts | None,
           progress: Callable[[str], None] | None = None) -> tuple[list[Finding], list[str], int]:
    """Run every QC query on a pyoxigraph ``store`` (the union of its graphs is the default graph).

    Each query goes through :func:`netgraph.sparqltext.prepare` and the embedded
    backend, as a catalogue query does. Returns (findings, notes, number of checks run).
    """
    from ..backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend(store, functions=texts.functions() if texts is not None else None)
    findings: list[Finding] = []
    notes: list[str] = []
    ran = 0
    for name, q in sorted(queries.items()):
        if NEEDS_SOURCE_TEXTS in q.tags and texts is None:
            notes.append(f"{name} skipped: the shared curation folder with the source texts was not found "
                         "(put it at ../shared beside the checkout or set NETGRAPH_SHARED)")
            continue
        if NEEDS_SOURCE_TEXTS in q.tags and texts is not None and texts.unavailable:
            notes.append(f"{name}: {len(texts.unavailable)} source(s) not vendored here could not be checked "
                         f"({', '.join(texts.unavailable[:5])}{', …' if len(texts.unavailable) > 5 else ''}); "
                         "put the shared curation folder at ../shared beside the checkout or set NETGRAPH_SHARED")
        if q.params:
            raise QueryError(f"{q.path}: a QC query takes no parameters")
        if progress:
            progress(f"QC {name}")
        findings.extend(_qc_findings(backend, name, q))
        ran += 1
    return findings, notes, ran


def _qc_findings(backend: Any, name: str, q: CannedQuery) -> list[Finding]:
    prepared = prepare(q.text, strict=True)
    if prepared.form != "SELECT":
        raise QueryError(f"{q.path}: a QC query must be a SELECT query (this is {prepared.form})")
    try:
        result = backend.run(prepared, {}, name=name)
    except QueryError as exc:
        raise QueryError(f"{q.path}: {exc}") from exc
    if list(result.columns[:3]) != ["entity", "property", "value"]:
        raise QueryError(f"{q.path}: a QC query must return ?entity ?property ?value, not "
                            + " ".join("?" + v for v in result.columns))
    severity = severity_from_qc(q.severity or "error")
    return [Finding(severity=severity, rule=name, check="qc", message=q.summary, focus=row[0],
                    path=row[1], value=row[2]) for row in result]
