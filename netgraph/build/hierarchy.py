"""The class hierarchy of a build: every class's ancestors, computed once; cycles reported, not followed."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Mapping, Sequence

__all__ = ["ClassHierarchy", "Cycle"]


@dataclass(frozen=True)
class Cycle:
    """A subclass cycle met while walking up from ``start``: the classes on it, first one repeated last."""

    start: str
    path: tuple[str, ...]

    def __str__(self) -> str:
        return f"subclass cycle: {' -> '.join(self.path)}"


@dataclass(frozen=True)
class ClassHierarchy:
    """Named parents and the ancestor closure (each class included) of every known class."""

    parents: Mapping[str, tuple[str, ...]]
    ancestors: Mapping[str, frozenset[str]]
    cycles: tuple[Cycle, ...] = ()

    @classmethod
    def of(cls, parents: Mapping[str, Sequence[str]], order: Sequence[str]) -> ClassHierarchy:
        """The closure of ``parents``, walked from each class of ``order`` in turn.

        Iterative, linear in the size of the hierarchy whatever its depth. An edge that
        closes a cycle is reported (once, from the first class of ``order`` that reaches
        it) and not followed, so the closure of every class is still defined.
        """
        memo: dict[str, frozenset[str]] = {}
        cycles: list[Cycle] = []
        first = set(order)
        for start in [*order, *(c for c in parents if c not in first)]:
            if start in memo:
                continue
            path = [start]
            on_path = {start: 0}
            stack = [iter(parents.get(start, ()))]
            while stack:
                for p in stack[-1]:
                    if p in memo:
                        continue
                    if p in on_path:
                        cycles.append(Cycle(start, tuple([*path[on_path[p]:], p])))
                        continue
                    on_path[p] = len(path)
                    path.append(p)
                    stack.append(iter(parents.get(p, ())))
                    break
                else:
                    stack.pop()
                    node = path.pop()
                    del on_path[node]
                    out = {node}
                    for p in parents.get(node, ()):
                        out |= memo.get(p, {p})
                    memo[node] = frozenset(out)
        return cls({c: tuple(ps) for c, ps in parents.items()}, memo, tuple(cycles))

    def __contains__(self, cls: object) -> bool:
        return cls in self.parents

    def is_subclass(self, cls: str, ancestor: str) -> bool:
        """True when ``ancestor`` is ``cls`` or above it."""
        closure = self.ancestors.get(cls)
        return ancestor == cls if closure is None else ancestor in closure
