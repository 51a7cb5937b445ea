"""The built graph as sorted, distinct triples with stable blank-node labels.

Every export starts here. Each part (ontology, data, mappings, inferred) is
parsed with pyoxigraph; blank nodes (only the ontology's OWL restrictions and
lists have any) get a label derived from their content and position, so two
runs give the same bytes; triples are deduplicated and sorted by their
N-Triples form.

>>> from netgraph.stores.canonical import parse_part
>>> part = parse_part("data", b'<https://w3id.org/netgraph/A> <https://w3id.org/netgraph/p> [ <https://w3id.org/netgraph/q> "x" ] .')
>>> [line for line in part.lines]  # doctest: +ELLIPSIS
['<https://w3id.org/netgraph/A> <https://w3id.org/netgraph/p> _:b... .', '_:b... <https://w3id.org/netgraph/q> "x" .']
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Mapping, Sequence

from ..errors import InputError
from ..graphs import GRAPH_IRIS, PARTS, check_built, part_files
from ..paths import Root

__all__ = ["PartGraph", "BuiltGraph", "load_built_graph", "parse_part", "GRAPH_CHOICES", "select_parts"]

#: values of ``--graph``: one part, or ``all`` (every built part, union where the format has no graphs)
GRAPH_CHOICES: tuple[str, ...] = ("ontology", "data", "mappings", "inferred", "all")


@dataclass(frozen=True)
class PartGraph:
    """One named graph: its part name, graph IRI, and sorted distinct triples."""

    part: str
    iri: str
    triples: tuple  # tuple[pyoxigraph.Triple, ...], sorted by N-Triples line
    lines: tuple[str, ...]  # the same triples as N-Triples lines (without newline)

    def __len__(self) -> int:
        return len(self.triples)


@dataclass(frozen=True)
class BuiltGraph:
    """The built parts, in part order."""

    parts: Mapping[str, PartGraph]

    def select(self, graph: str) -> tuple[PartGraph, ...]:
        """The parts named by ``graph`` (a part name or ``all``)."""
        return tuple(self.parts[p] for p in select_parts(graph, self.parts))

    def union(self, graph: str = "all") -> tuple[tuple, tuple[str, ...]]:
        """``(triples, lines)`` of the union of the selected parts: distinct, sorted."""
        selected = self.select(graph)
        if len(selected) == 1:
            return selected[0].triples, selected[0].lines
        merged: dict[str, object] = {}
        for part in selected:
            for line, triple in zip(part.lines, part.triples, strict=True):
                merged.setdefault(line, triple)
        keys = sorted(merged)
        return tuple(merged[k] for k in keys), tuple(keys)


def select_parts(graph: str, available: Iterable[str]) -> tuple[str, ...]:
    """Part names for a ``--graph`` value; a clear error for an unknown or unbuilt part."""
    available = tuple(available)
    if graph == "all":
        return available
    if graph not in PARTS:
        raise InputError(f"unknown graph {graph!r}; choose one of {', '.join(GRAPH_CHOICES)}")
    if graph not in available:
        hint = "run `netgraph reason` first" if graph == "inferred" else "run `netgraph build` first"
        raise InputError(f"graph {graph!r} is not built ({hint})")
    return (graph,)


def load_built_graph(root: Root = None, parts: Sequence[str] | None = None) -> BuiltGraph:
    """Parse the emitted Turtle of each built part (``inferred`` only when present)."""
    files = part_files(root)
    wanted = tuple(parts) if parts is not None else PARTS
    check_built({p: files[p] for p in wanted})
    out: dict[str, PartGraph] = {}
    for part in wanted:
        path = files[part]
        if path.is_file():
            out[part] = parse_part(part, path)
    return BuiltGraph(out)


def parse_part(part: str, source: Path | bytes) -> PartGraph:
    """Parse one part's Turtle (a path or bytes) into a :class:`PartGraph`."""
    import pyoxigraph as ox

    try:
        if isinstance(source, (bytes, str)) and not isinstance(source, Path):
            triples = [q.triple for q in ox.parse(source, format=ox.RdfFormat.TURTLE)]
        else:
            triples = [q.triple for q in ox.parse(path=str(source), format=ox.RdfFormat.TURTLE)]
    except (SyntaxError, ValueError, OSError) as exc:
        where = source if isinstance(source, Path) else f"graph {part!r}"
        raise InputError(f"{where}: cannot parse Turtle: {exc}") from exc
    triples = _relabel_blank_nodes(part, triples)
    by_line = {f"{t} .": t for t in triples}
    lines = tuple(sorted(by_line))
    return PartGraph(part=part, iri=GRAPH_IRIS.get(part, part), triples=tuple(by_line[k] for k in lines), lines=lines)


def _relabel_blank_nodes(part: str, triples: list) -> list:
    """Give each blank node a label from its content and where it hangs (stable across runs)."""
    import pyoxigraph as ox

    bnodes = {t.subject for t in triples if isinstance(t.subject, ox.BlankNode)}
    bnodes |= {t.object for t in triples if isinstance(t.object, ox.BlankNode)}
    if not bnodes:
        return triples
    outgoing: dict = defaultdict(list)
    incoming: dict = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            outgoing[t.subject].append(t)
        if isinstance(t.object, ox.BlankNode):
            incoming[t.object].append(t)

    content: dict = {}

    def signature(node: object, stack: tuple[object, ...] = ()) -> str:
        if not isinstance(node, ox.BlankNode):
            return str(node)
        if node in content:
            return content[node]
        if node in stack:
            raise InputError(f"graph {part!r}: blank nodes form a cycle; cannot label them deterministically")
        body = sorted(f"{t.predicate} {signature(t.object, stack + (node,))}" for t in outgoing[node])
        content[node] = "[" + " ; ".join(body) + "]"
        return content[node]

    # label top-down: a node's label hashes its content and the labels of the nodes that point to it
    labels: dict = {}
    pending = set(bnodes)
    while pending:
        ready = [n for n in pending
                 if all(not isinstance(t.subject, ox.BlankNode) or t.subject in labels for t in incoming[n])]
        if not ready:
            raise InputError(f"graph {part!r}: blank nodes form a cycle; cannot label them deterministically")
        groups: dict[str, list] = defaultdict(list)
        for node in ready:
            refs = sorted(f"{labels.get(t.subject, t.subject)} {t.predicate}" for t in incoming[node])
            key = f"{part}\n" + "|".join(refs) + " " + signature(node)
            groups[hashlib.sha256(key.encode()).hexdigest()[:20]].append(node)
        for digest, nodes in groups.items():
            # identical siblings (same content, same place) are interchangeable: number them
            for i, node in enumerate(nodes):
                labels[node] = ox.BlankNode(f"b{digest}" if len(nodes) == 1 else f"b{digest}n{i}")
        pending.difference_update(ready)

    def sub(term: Any) -> Any:
        return labels.get(term, term) if isinstance(term, ox.BlankNode) else term

    return [ox.Triple(sub(t.subject), t.predicate, sub(t.object)) for t in triples]
