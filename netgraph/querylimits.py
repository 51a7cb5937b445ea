"""A depth and size guard for SPARQL text, applied before a query reaches the engine.

Oxigraph parses and evaluates a query recursively: a few thousand nested
groups, parentheses, ``!`` operators or sub-selects, or a flat chain of some
ten thousand ``+`` terms, triple patterns or ``UNION`` branches overflow its
stack and kill the process (``netgraph sparql`` on the embedded store, or the
engine behind ``netgraph serve``). :func:`check_query_limits` refuses such
text first, with a :class:`~netgraph.errors.QueryError` that says which limit
was hit. It reads the text with :func:`netgraph.sparqltext.tokens` and counts:

- **depth**: open ``{ ( [`` plus a run of prefix operators (``! - + ^``), at
  most :data:`MAX_DEPTH` (real queries nest a handful of levels);
- **weight**: the tokens of every group still open at a point (a closed group
  counts as one token of its parent), at most :data:`MAX_WEIGHT`; this bounds
  flat chains (joins, ``UNION``, operators, path sequences) *and* nesting
  together, as the engine's recursion adds them up.

Strings and comments are skipped; the inside of an IRI is counted as if it
were code (an IRI-like ``<…>`` can be a ``<`` comparison to the engine), its
closing brackets never lowering the depth below the IRI's start: every doubt
counts up, never down. The limits are far below what crashes the engine (about
1,000 nested levels, 3,000 triple patterns in one group) and far above the
canned queries.

>>> check_query_limits("SELECT * WHERE { ?s ?p ?o }")
>>> check_query_limits("SELECT * WHERE " + "{" * 100 + " ?s ?p ?o " + "}" * 100)
Traceback (most recent call last):
...
netgraph.errors.QueryError: the query nests 100 levels deep (groups, brackets or prefix operators); netgraph accepts at most 64
"""

from __future__ import annotations

from .errors import QueryError
from .sparqltext import tokens

__all__ = ["check_query_limits", "query_shape", "MAX_DEPTH", "MAX_WEIGHT"]

#: the deepest nesting accepted: groups, parentheses, brackets and runs of prefix operators
MAX_DEPTH = 64
#: the most tokens accepted in the groups open at one point (a closed group counts as one)
MAX_WEIGHT = 4000

_OPEN = "{(["
_CLOSE = "})]"
_PREFIX_OPS = "!-+^"


def query_shape(text: str) -> tuple[int, int]:
    """``(depth, weight)``: the largest nesting depth and group weight of ``text`` (see the module)."""
    shape = _Shape()
    frames = shape.frames
    for kind, value, _ in tokens(text):
        if kind == "space" or kind == "comment":
            continue
        if kind == "punct":
            if value in _OPEN:
                shape.open()
                continue
            if value in _CLOSE:
                shape.close(1)
                continue
            if value in _PREFIX_OPS:
                shape.token(True)
                continue
        elif kind == "iri":
            shape.iri(value)
            continue
        # the common case, inline: one more token in the innermost group
        frames[-1] += 1
        shape.weight += 1
        shape.run = 0
        if shape.weight > shape.max_weight:
            shape.max_weight = shape.weight
    return shape.max_depth, shape.max_weight


class _Shape:
    """The running count: the direct tokens of each open group (the root first)."""

    def __init__(self) -> None:
        self.frames = [0]
        self.weight = 1  # sum(frames) + len(frames), kept incrementally
        self.run = 0  # prefix operators in a row
        self.max_depth = self.max_weight = 0

    def _seen(self) -> None:
        self.max_depth = max(self.max_depth, len(self.frames) - 1 + self.run)
        self.max_weight = max(self.max_weight, self.weight)

    def token(self, prefix_op: bool = False) -> None:
        self.frames[-1] += 1
        self.weight += 1
        self.run = self.run + 1 if prefix_op else 0
        self._seen()

    def open(self) -> None:
        self.frames[-1] += 1
        self.frames.append(0)
        self.weight += 2
        self.run = 0
        self._seen()

    def close(self, floor: int) -> None:
        """Close the innermost group, unless only ``floor`` groups are open."""
        if len(self.frames) > floor:
            self.weight -= self.frames.pop() + 1
        self.run = 0

    def iri(self, value: str) -> None:
        """An IRI: its punctuation counts as tokens, its brackets as groups that never close below it.

        What stays open inside stays counted: an engine that reads ``<`` as a comparison may
        see those brackets open; one that reads an IRI sees a single token.
        """
        floor = len(self.frames)
        for ch in value[1:-1]:
            if ch.isalnum():
                continue
            if ch in "([":
                self.open()
            elif ch in ")]":
                self.close(floor)
            else:
                self.token()
        self.token()


def check_query_limits(text: str, *, max_depth: int = MAX_DEPTH, max_weight: int = MAX_WEIGHT) -> None:
    """Raise :class:`QueryError` when ``text`` nests deeper or chains longer than the engine can take safely."""
    # fast path, in C: the depth is at most the number of bracket and prefix-operator characters,
    # and the weight at most twice the length (each character opens at most one group of weight 2)
    if 2 * len(text) + 1 <= max_weight and sum(map(text.count, _OPEN + _PREFIX_OPS)) <= max_depth:
        return
    depth, weight = query_shape(text)
    if depth > max_depth:
        raise QueryError(f"the query nests {depth} levels deep (groups, brackets or prefix operators); "
                         f"netgraph accepts at most {max_depth}")
    if weight > max_weight:
        raise QueryError(f"the query is too long in one place: {weight} tokens in the groups open at one point "
                         f"(a chain of patterns, UNION branches or operators); at most {max_weight} are accepted; "
                         "split it into smaller queries")
