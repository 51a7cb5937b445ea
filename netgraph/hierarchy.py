"""The one hierarchy walker: every node reachable from a start along a step (parents, children, broader).

Callers hold their hierarchy in different shapes (pairs read from the store,
a parents column of a table, an index of entities); each passes a step
function, and this one walk does the rest.

>>> parents = {"Insulinoma": ["PanNET"], "PanNET": ["NET"], "NET": []}
>>> sorted(closure("Insulinoma", lambda c: parents.get(c, ())))
['Insulinoma', 'NET', 'PanNET']
>>> sorted(closure("NET", step_from_pairs((child, parent) for child, ps in parents.items() for parent in ps)))
['NET']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

__all__ = ["closure", "step_from_pairs", "reaches"]


def closure(start: str | Iterable[str], step: Callable[[str], Iterable[str]]) -> frozenset[str]:
    """``start`` (one node or several) and every node reachable from it by repeated ``step``."""
    out: set[str] = set()
    stack = [start] if isinstance(start, str) else list(start)
    while stack:
        cur = stack.pop()
        if cur not in out:
            out.add(cur)
            stack.extend(step(cur))
    return frozenset(out)


def reaches(start: str, step: Callable[[str], Iterable[str]], targets: Iterable[str]) -> bool:
    """True when a node of ``targets`` is ``start`` or reachable from it (the walk stops at the first)."""
    goal = set(targets)
    seen: set[str] = set()
    stack = [start]
    while stack:
        cur = stack.pop()
        if cur in goal:
            return True
        if cur not in seen:
            seen.add(cur)
            stack.extend(step(cur))
    return False


def step_from_pairs(pairs: Iterable[tuple[str, str]]) -> Callable[[str], Iterable[str]]:
    """A step function from ``(from, to)`` pairs, e.g. (child, parent) for ancestors."""
    step: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        step[a].add(b)
    return lambda node: step.get(node, ())
