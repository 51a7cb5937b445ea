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
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..build.columns import SOURCE_COLUMNS, SOURCE_OPTIONAL
from ..sourcetext import quote_in_text, source_plain_text
from ..catalogue import CannedQuery, load_catalogue
from ..errors import QueryError
from ..paths import ProjectPaths, project_paths
from ..prefixes import GRAPH, SOURCE, identifier_prefixes, prefix_map, sparql_prolog
from ..tables import read_table
from .report import Finding, severity_from_qc

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["SourceTexts", "qc_queries", "qc_store", "quads", "run_qc", "CORE_GRAPH", "PREFIXES_GRAPH", "NEEDS_SOURCE_TEXTS"]

CORE_GRAPH = GRAPH + "core"
PREFIXES_GRAPH = GRAPH + "prefixes"
NEEDS_SOURCE_TEXTS = "needs-source-texts"
_SHAPES = prefix_map()["ngshape"]
_SH = prefix_map()["sh"]
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


def _to_ox(term: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _from_ox(term: Any) -> URIRef | BNode | Literal | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == _XSD + "string" else URIRef(dt))


def quads(triples: Iterable[tuple[Node, Node, Node]], part: str) -> list[ox.Quad]:
    """pyoxigraph quads for rdflib ``triples`` in the named graph of ``part``."""
    import pyoxigraph as ox

    target = ox.NamedNode(GRAPH + part)
    return [ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), target) for s, p, o in triples]


def qc_store(graphs: Mapping[str, Graph], core: Path) -> ox.Store:
    """A pyoxigraph Store with each graph in its named graph plus the two support graphs."""
    import pyoxigraph as ox

    store = ox.Store()
    for name, g in graphs.items():
        store.extend(quads(g, name))
    with open(core, "rb") as fh:
        store.bulk_load(fh, ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(CORE_GRAPH))
    prefixes = ox.NamedNode(PREFIXES_GRAPH)
    for p in identifier_prefixes():
        system = ox.NamedNode(_SHAPES + "identifier-system-" + p.prefix)
        store.add(ox.Quad(system, ox.NamedNode(_SH + "prefix"), ox.Literal(p.prefix), prefixes))
        store.add(ox.Quad(system, ox.NamedNode(_SH + "namespace"),
                          ox.Literal(p.uri_prefix, datatype=ox.NamedNode(_XSD + "anyURI")), prefixes))
    return store


def run_qc(store: ox.Store, queries: Mapping[str, CannedQuery], texts: SourceTexts | None,
           progress: Callable[[str], None] | None = None) -> tuple[list[Finding], list[str], int]:
    """Run every QC query; returns (findings, notes, number of checks run)."""
    import pyoxigraph as ox

    findings: list[Finding] = []
    notes: list[str] = []
    functions = texts.functions() if texts is not None else {}
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
        text = sparql_prolog() + q.text
        try:
            rows = store.query(text, use_default_graph_as_union=True, custom_functions=functions)
            if not isinstance(rows, ox.QuerySolutions):
                raise QueryError(f"{q.path}: a QC query must be a SELECT query")
            variables = [v.value for v in rows.variables]
            if variables[:3] != ["entity", "property", "value"]:
                raise QueryError(f"{q.path}: a QC query must return ?entity ?property ?value, not "
                                    + " ".join("?" + v for v in variables))
            assert q.severity is not None  # a QC query (load_catalogue(qc=True)) has one
            for row in rows:
                findings.append(Finding(severity=severity_from_qc(q.severity), rule=name, check="qc",
                                        message=q.summary, focus=_from_ox(row["entity"]),
                                        path=_from_ox(row["property"]), value=_from_ox(row["value"])))
        except SyntaxError as exc:
            raise QueryError(f"{q.path}: not valid SPARQL: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"{q.path}: failed: {exc}") from exc
        ran += 1
    return findings, notes, ran
