"""The grading tables: ``data/tables/grading_schemes.tsv`` and ``grading.tsv``: their columns and intervals.

A grading scheme is data with its source: one row per scheme, one row per grade
rule (its grade, how its criteria combine, a range per proliferation index in
interval notation, the sites it covers, the source and the verbatim quote). The
build checks the rows in stage 1 (:mod:`netgraph.build.rulerows`: every problem a
:class:`~netgraph.errors.CurationError` naming the file and line, all reported
at once, nothing written) and emits them in stage 2 (:mod:`netgraph.build.emit`).

Intervals: ``[3,20]`` includes both ends, ``(20,]`` is "greater than 20" with
no upper bound, ``[,3)`` is "less than 3" with no lower bound stated (the
index's own range, e.g. Ki-67 from 0 to 100, applies).

>>> parse_interval("[3,20]")
Interval(lower=Decimal('3'), lower_inclusive=True, upper=Decimal('20'), upper_inclusive=True)
>>> parse_interval("(20,]").contains(Decimal("20.1")), parse_interval("(20,]").contains(Decimal("20"))
(True, False)
>>> canonical_decimal(Decimal("3.0")), canonical_decimal(Decimal("20")), canonical_decimal(Decimal("0.50"))
('3', '20', '0.5')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from ..literals import canonical_decimal
from ..vocab import XSD

__all__ = ["SCHEME_COLUMNS", "SCHEME_OPTIONAL", "RULE_COLUMNS", "RULE_OPTIONAL", "INDEX_COLUMNS",
           "Interval", "parse_interval", "canonical_decimal", "decimal_literal"]

SCHEME_COLUMNS = ("id", "label_en", "definition")
SCHEME_OPTIONAL = ("conflict_resolution", "default", "source", "quote", "source_record", "comment")
RULE_COLUMNS = ("id", "scheme", "grade", "combine", "sites", "source", "quote")
RULE_OPTIONAL = ("ki67", "ki67_text", "mitoses", "mitoses_text", "applies_to", "source_record", "comment")
#: table column -> the core ontology's ProliferationIndex individual it constrains
INDEX_COLUMNS = {"ki67": "Ki67Index", "mitoses": "MitoticCount"}

_NUMBER = r"\s*(-?\d+(?:\.\d+)?)?\s*"
_INTERVAL_RE = re.compile(r"^([\[(])" + _NUMBER + "," + _NUMBER + r"([\])])$")


@dataclass(frozen=True)
class Interval:
    """A range of index values; ``None`` bounds are unbounded (the source states none)."""

    lower: Decimal | None
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and (value < self.lower or (value == self.lower and not self.lower_inclusive)):
            return False
        return not (self.upper is not None and (value > self.upper or (value == self.upper and not self.upper_inclusive)))


def parse_interval(text: str) -> Interval:
    """Parse ``[a,b]``, ``(a,b)``, ``[a,)``, ``(,b]`` …; ValueError when malformed or empty."""
    m = _INTERVAL_RE.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not an interval such as [3,20], (20,] or [,3)")
    left, lo, hi, right = m.groups()
    lower = Decimal(lo) if lo is not None else None
    upper = Decimal(hi) if hi is not None else None
    if lower is None and upper is None:
        raise ValueError(f"{text!r} has neither a lower nor an upper bound")
    if lower is not None and upper is not None and (lower > upper or (lower == upper and (left, right) != ("[", "]"))):
        raise ValueError(f"{text!r} is empty (the lower bound is not below the upper bound)")
    return Interval(lower, left == "[" and lower is not None, upper, right == "]" and upper is not None)


def decimal_literal(value: Decimal) -> ox.Literal:
    """An ``xsd:decimal`` literal in canonical form, so re-serialising it in any store does not change it."""
    return ox.Literal(canonical_decimal(value), datatype=XSD.decimal)
