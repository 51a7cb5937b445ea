"""The one copy of the graph that `validate` holds: a writable Oxigraph store, a named graph per part.

Every check reads this store: the compiled SHACL queries and the QC queries run
on it, the reasoner gets an N-Triples serialisation of it, and pySHACL (the
reference engine, and the shapes the compiler cannot translate) gets an rdflib
graph made from it at that boundary only.

- the built graph comes from the prebuilt on-disk store of
  :mod:`netgraph.storecache` (keyed by the content of the emitted files), copied
  to a private temporary directory and opened writable, so the user's files and
  the two support graphs can be added; no Turtle is parsed. Without a usable
  cache the emitted files are loaded in memory (slower, never wrong);
- a user's files go into the part ``user`` (read strictly by
  :mod:`netgraph.validation.inputs`);
- graphs a caller hands in as rdflib graphs (:func:`store_from_graphs`) are
  converted once, by :mod:`netgraph.rdfterms`;
- the support graphs the QC queries may name: ``nggraph:core`` (the hand-edited
  core ontology) and ``nggraph:prefixes`` (one ``sh:prefix`` / ``sh:namespace``
  pair per external identifier system).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator, Mapping

from ..errors import InputError
from ..graphs import GRAPH_IRIS, part_files
from ..prefixes import GRAPH, identifier_prefixes, prefix_map

__all__ = ["ValidationStore", "store_from_graphs", "store_from_built", "CORE_GRAPH", "PREFIXES_GRAPH",
           "SUPPORT_GRAPHS"]

CORE_GRAPH = GRAPH + "core"
PREFIXES_GRAPH = GRAPH + "prefixes"
SUPPORT_GRAPHS = (CORE_GRAPH, PREFIXES_GRAPH)
log = logging.getLogger(__name__)


class ValidationStore:
    """A writable pyoxigraph Store with each part of the graph in its named graph, plus the support graphs.

    ``close()`` (or leaving a ``with`` block) releases it and removes its temporary directory, if any.
    """

    def __init__(self, store: Any, parts: Iterable[str], tmpdir: Path | None = None) -> None:
        self.store = store
        self.parts: tuple[str, ...] = tuple(dict.fromkeys(parts))
        self._tmpdir = tmpdir

    # -- contents -------------------------------------------------------------------------

    @staticmethod
    def graph_iri(part: str) -> str:
        return GRAPH_IRIS.get(part, GRAPH + part)

    def graph_names(self, parts: Iterable[str] | None = None) -> list[Any]:
        """The pyoxigraph graph names of ``parts`` (default: every part, never the support graphs)."""
        import pyoxigraph as ox

        return [ox.NamedNode(self.graph_iri(p)) for p in (self.parts if parts is None else parts)]

    def triples(self, parts: Iterable[str] | None = None) -> Iterator[Any]:
        """The quads of ``parts`` (default: every part), graph by graph."""
        for name in self.graph_names(parts):
            yield from self.store.quads_for_pattern(None, None, None, name)

    def __len__(self) -> int:
        return sum(1 for _ in self.triples())

    def add_part(self, part: str, quads_or_triples: Iterable[Any]) -> None:
        """Add triples (or quads, whose graph name is replaced) to the named graph of ``part``."""
        import pyoxigraph as ox

        target = ox.NamedNode(self.graph_iri(part))
        try:
            self.store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in quads_or_triples)
        except ValueError as exc:  # a term Oxigraph refuses (an IRI with a space …)
            raise InputError(f"{part}: a term cannot be loaded into the validation store: {exc}") from None
        self.parts = tuple(dict.fromkeys((*self.parts, part)))

    def add_support_graphs(self, core: Path) -> None:
        """Load the core ontology into ``nggraph:core`` and the identifier systems into ``nggraph:prefixes``."""
        import pyoxigraph as ox

        try:
            self.store.bulk_load(path=str(core), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(CORE_GRAPH))
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(f"{core}: cannot load the core ontology: {exc}") from None
        sh, xsd = prefix_map()["sh"], prefix_map()["xsd"]
        shapes = prefix_map()["ngshape"]
        graph = ox.NamedNode(PREFIXES_GRAPH)
        quads = []
        for p in identifier_prefixes():
            system = ox.NamedNode(shapes + "identifier-system-" + p.prefix)
            quads.append(ox.Quad(system, ox.NamedNode(sh + "prefix"), ox.Literal(p.prefix), graph))
            quads.append(ox.Quad(system, ox.NamedNode(sh + "namespace"),
                                 ox.Literal(p.uri_prefix, datatype=ox.NamedNode(xsd + "anyURI")), graph))
        self.store.extend(quads)

    # -- boundaries -----------------------------------------------------------------------

    def rdflib_union(self, parts: Iterable[str] | None = None) -> Any:
        """The union of ``parts`` as one rdflib Graph: for pySHACL only (the pySHACL boundary)."""
        from ..rdfterms import rdflib_graph

        return rdflib_graph(self.triples(parts))

    def rdflib_part(self, part: str) -> Any:
        """One part as an rdflib Graph (for callers of the rdflib API, e.g. :func:`load_graphs`)."""
        from ..rdfterms import rdflib_graph

        return rdflib_graph(self.triples([part]))

    # -- lifetime -------------------------------------------------------------------------

    def close(self) -> None:
        self.store = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> ValidationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_tmpdir", None) is not None:
            self.close()


def store_from_graphs(graphs: Mapping[str, Any]) -> ValidationStore:
    """A :class:`ValidationStore` (in memory) holding rdflib graphs handed in by a caller, by part name."""
    import pyoxigraph as ox

    from ..rdfterms import ox_triples

    vs = ValidationStore(ox.Store(), ())
    for part, g in graphs.items():
        try:
            vs.add_part(part, ox_triples(g))
        except InputError:
            raise
        except ValueError as exc:
            raise InputError(f"{part}: a term cannot be loaded into the validation store: {exc}") from None
    return vs


def store_from_built(root: Any = None, *, optional: Iterable[str] = ("inferred",)) -> ValidationStore:
    """A writable :class:`ValidationStore` of the built graph: a private copy of the prebuilt store.

    Parts in ``optional`` may be missing; any other missing part raises an
    :class:`InputError` that says to run `netgraph build`.
    """
    files = part_files(root)
    optional = set(optional)
    missing = [str(p) for part, p in files.items() if part not in optional and not p.is_file()]
    if missing:
        raise InputError(f"{', '.join(missing)}: not built; run `netgraph build` first (or give the files to validate)")
    present = [part for part, p in files.items() if p.is_file()]
    if not set(files) - set(present) - {"inferred"}:  # the prebuilt store needs every emitted part
        copied = _copy_prebuilt(root, present)
        if copied is not None:
            return copied
    from ..graphs import load_store

    return ValidationStore(load_store(root, present), present)


def _copy_prebuilt(root: Any, present: list[str]) -> ValidationStore | None:
    import pyoxigraph as ox

    from ..storecache import prebuild_store

    tmp: Path | None = None
    try:
        location = prebuild_store(root)
        tmp = Path(tempfile.mkdtemp(prefix="netgraph-validate-"))
        shutil.copytree(location / "db", tmp / "db")
        return ValidationStore(ox.Store(str(tmp / "db")), present, tmp)
    except OSError as exc:  # cache not writable, disk full: load in memory instead
        log.info("prebuilt store unavailable (%s); loading the graph in memory", exc)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return None
