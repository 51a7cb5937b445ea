"""What a store holds, by count and by content: the checks behind `netgraph load`.

:func:`store_counts` asks the query endpoint for the triples per named graph.
:func:`fetch_graph` reads one graph back (``CONSTRUCT`` through the query
endpoint) and puts it in the same canonical form as the built graph
(:func:`netgraph.stores.canonical.parse_part`: sorted N-Triples with blank-node
labels derived from content); :func:`comparable` also reduces typed literals to
one form per value, because stores keep values rather than spellings (Oxigraph
returns "33.0"^^xsd:decimal as "33"), so two graphs are equal exactly when
their comparable lines are. :func:`graph_digest` (SHA-256 of canonical lines)
names the content. :func:`describe_held` says, after a failure, what each graph now holds
compared with the built graph and with the chunks that were sent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import EndpointError, InputError
from ..prefixes import namespace
from .canonical import PartGraph, parse_part
from .http import HttpClient

__all__ = ["store_counts", "probe_store", "fetch_graph", "fetch_all", "graph_digest", "compare", "comparable",
           "describe_held", "Held"]

_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"


def probe_store(client: HttpClient, endpoint: str, graph_iris: Sequence[str],
                timeout: float | None = None) -> tuple[dict[str, int], str]:
    """``(counts, server)``: :func:`store_counts` and the store's ``Server`` header (to pick chunk sizes)."""
    values = " ".join(f"<{iri}>" for iri in graph_iris)
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    resp = client.post_query(endpoint, query, "application/sparql-results+json", timeout)
    try:
        rows = json.loads(resp.body)["results"]["bindings"]
        counts = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    except (ValueError, KeyError, TypeError) as exc:
        raise EndpointError(f"{endpoint} did not answer the count query with SPARQL JSON results: "
                            f"{resp.body[:200]!r}") from exc
    server = next((v for k, v in resp.headers.items() if k.lower() == "server"), "")
    return {iri: counts.get(iri, 0) for iri in graph_iris}, server


def store_counts(client: HttpClient, endpoint: str, graph_iris: list[str], timeout: float | None = None) -> dict[str, int]:
    """Triples per named graph, as the store's query endpoint counts them (0 for an absent graph)."""
    return probe_store(client, endpoint, graph_iris, timeout)[0]


def fetch_graph(client: HttpClient, endpoint: str, part: PartGraph, timeout: float | None = None) -> tuple[str, ...]:
    """The graph ``part.iri`` as the store holds it, as canonical N-Triples lines (comparable with ``part.lines``)."""
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{part.iri}> {{ ?s ?p ?o }} }}"
    resp = client.post_query(endpoint, query, _GRAPH_ACCEPT, timeout)
    try:
        return parse_part(part.part, resp.body).lines  # N-Triples is Turtle
    except InputError as exc:
        raise EndpointError(f"{endpoint} answered the CONSTRUCT of {part.iri} with RDF that does not parse: "
                            f"{exc}") from exc


def graph_digest(lines: Sequence[str]) -> str:
    """SHA-256 of canonical N-Triples lines (sorted, blank nodes labelled by content)."""
    h = hashlib.sha256()
    for line in sorted(lines):
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()


_XSD = namespace("xsd")
_INTEGERS = frozenset(_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                           "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                           "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"))
_FLOATS = frozenset({_XSD + "double", _XSD + "float"})


def _canonical_value(term: Any) -> Any:
    """A typed literal in one lexical form per value ("33.0"^^xsd:decimal and "33" alike), tags lowercased.

    Stores keep values, not spellings: Oxigraph writes "33.0"^^xsd:decimal back as "33", "1E2"^^xsd:double
    as "100". Comparing values keeps such rewriting from passing for lost or changed data.
    """
    import pyoxigraph as ox
    from decimal import Decimal, InvalidOperation

    from ..literals import canonical_decimal

    if not isinstance(term, ox.Literal):
        return term
    if term.language:
        return ox.Literal(term.value, language=term.language.lower())
    dt = term.datatype.value
    text = term.value.strip()
    try:
        if dt == _XSD + "decimal" or dt in _INTEGERS:
            # xsd:integer is derived from xsd:decimal: one value space (Virtuoso stores "100"^^xsd:decimal
            # as "100"^^xsd:integer), so both compare as the decimal they are
            value = canonical_decimal(Decimal(text))
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "decimal"))
        elif dt in _FLOATS:
            value = repr(float(text))
        elif dt == _XSD + "boolean" and text in ("true", "false", "1", "0"):
            value = "true" if text in ("true", "1") else "false"
        else:
            return term
    except (ValueError, InvalidOperation):
        return term
    return ox.Literal(value, datatype=term.datatype)


def comparable(part: str, lines: Iterable[str]) -> frozenset[str]:
    """Canonical lines of a graph with typed literals reduced to one form per value (see
    :func:`_canonical_value`) and blank nodes relabelled by content; equal sets mean equal graphs."""
    import pyoxigraph as ox

    data = "\n".join(lines).encode("utf-8")
    triples = [ox.Triple(t.subject, t.predicate, _canonical_value(t.object))
               for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return frozenset(parse_part(part, "\n".join(f"{t} ." for t in triples).encode("utf-8")).lines)


def compare(expected: Iterable[str], held: Iterable[str]) -> tuple[int, int]:
    """``(missing, unexpected)``: expected lines the store lacks, held lines not expected."""
    want, have = set(expected), set(held)
    return len(want - have), len(have - want)


@dataclass(frozen=True)
class Held:
    """What was sent of one graph before a failure: chunks accepted, and the chunk in flight."""

    chunks: tuple[tuple[str, ...], ...]  # every chunk of the graph, in order
    accepted: int  # chunks the store acknowledged
    in_flight: int | None  # the 1-based chunk that failed, if this graph was the one being sent


def describe_held(part: PartGraph, lines: Sequence[str], sent: Held | None) -> str:
    """One clause: what the store's copy of ``part`` is, judged by content (values, see :func:`comparable`)."""
    have, want = comparable(part.part, lines), comparable(part.part, part.lines)
    digest = graph_digest(lines)[:16]
    if have == want:
        return f"{part.part}: {len(have)} of {len(part)} triples, identical to the built graph (sha256 {digest}…)"
    if not have:
        note = ""
        if sent is not None and sent.in_flight == 1:
            note = "; chunk 1 (the chunk in flight) was not applied"
        elif sent is None:
            note = "; not yet sent"
        return f"{part.part}: 0 of {len(part)} triples (the graph is empty or absent{note})"
    if sent is not None:
        candidates = [(sent.accepted, "the chunk in flight was not applied" if sent.in_flight else "")]
        if sent.in_flight:
            candidates.append((sent.in_flight, "the chunk in flight was applied before the failure"))
        for n, note in candidates:
            # every triple with a blank node is in chunk 1, so a prefix relabels them as the whole graph does
            if n and have == comparable(part.part, (line for chunk in sent.chunks[:n] for line in chunk)):
                tail = f"; {note}" if note else ""
                return (f"{part.part}: exactly chunks 1-{n} of {len(sent.chunks)} ({len(have)} of {len(part)} "
                        f"triples){tail} (incomplete)")
        if sent.in_flight == 1 and sent.accepted == 0:
            missing, extra = compare(want, have)
            return (f"{part.part}: {len(have)} triples, not the built graph ({missing} missing, {extra} not in it): "
                    f"chunk 1, which replaces the graph, was not applied, so this is its previous copy or none")
    missing, extra = compare(want, have)
    return (f"{part.part}: {len(have)} triples that differ from the built graph ({missing} of its {len(part)} "
            f"triples missing, {extra} triples not in it; sha256 {digest}…)")


def fetch_all(client: HttpClient, endpoint: str, parts: Sequence[PartGraph],
              timeout: float | None = None) -> dict[str, tuple[str, ...]]:
    """:func:`fetch_graph` for each part, by graph IRI; a transport or HTTP failure propagates."""
    return {p.iri: fetch_graph(client, endpoint, p, timeout) for p in parts}

