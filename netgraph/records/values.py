"""Reading the values of a record cell as registries write them.

Each reader returns the normalised value, or the text as given when it cannot
be read, so that the check reports it (a malformed value is a finding, never a
crash):

>>> read_grade("grade 2"), read_grade("G3"), read_grade("1"), read_grade("GX"), read_grade("G7")
('G2', 'G3', 'G1', None, 'G7')
>>> read_decimal("12,5"), read_decimal("3 %"), read_decimal("abc")
('12.5', '3', 'abc')
>>> read_topography("C251"), read_topography("c25.1"), read_topography("pancreas")
('C25.1', 'C25.1', 'pancreas')
>>> read_choice("Well differentiated", DIFFERENTIATION), read_choice("non functional", FUNCTIONAL_STATUS)
('well', 'non-functional')
"""

from __future__ import annotations

import re
from datetime import date

from ..literals import canonical_decimal

__all__ = ["read_grade", "read_decimal", "read_date", "read_topography", "read_choice", "DIFFERENTIATION",
           "FUNCTIONAL_STATUS", "GRADES", "is_iso_date"]

GRADES = ("G1", "G2", "G3")
_GRADE = re.compile(r"(?:who\s*)?(?:grade|g)?\s*([123])", re.IGNORECASE)
_NOT_ASSESSED = {"gx", "x", "9", "unknown", "not assessed", "na", "n/a"}
_TOPOGRAPHY = re.compile(r"C\s*(\d{2})\.?(\d)?", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")  # ASCII digits: the xsd:decimal lexical space

DIFFERENTIATION: dict[str, str] = {
    "well": "well", "well differentiated": "well", "well-differentiated": "well", "wd": "well",
    "poorly": "poorly", "poor": "poorly", "poorly differentiated": "poorly", "poorly-differentiated": "poorly",
    "pd": "poorly",
}
FUNCTIONAL_STATUS: dict[str, str] = {
    "functional": "functional", "functioning": "functional", "active": "functional",
    "non-functional": "non-functional", "nonfunctional": "non-functional", "non functional": "non-functional",
    "non-functioning": "non-functional", "nonfunctioning": "non-functional", "inactive": "non-functional",
}


def read_grade(text: str) -> str | None:
    """``G1``/``G2``/``G3`` from ``G2``, ``2``, ``grade 2``; None for a grade that was not assessed."""
    t = text.strip()
    if t.casefold() in _NOT_ASSESSED:
        return None
    m = _GRADE.fullmatch(t)
    return f"G{m.group(1)}" if m else t


def read_decimal(text: str) -> str:
    """A canonical xsd:decimal from ``12``, ``12.5``, ``12,5``, ``3 %``; the text as given otherwise."""
    t = text.strip().removesuffix("%").strip()
    if _NUMBER.fullmatch(t):
        return canonical_decimal(t.replace(",", "."))
    return text.strip()


def is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def read_date(text: str) -> str:
    """An ISO date (``2024-03-05``) as given; validity is the check's job (a bad date is reported)."""
    return text.strip()


def read_topography(text: str) -> str:
    """``C25.1`` from ``C25.1``, ``C251``, ``c25.1``; the text as given otherwise."""
    m = _TOPOGRAPHY.fullmatch(text.strip())
    if not m:
        return text.strip()
    return f"C{m.group(1)}" + (f".{m.group(2)}" if m.group(2) else "")


def read_choice(text: str, choices: dict[str, str]) -> str:
    """The canonical spelling of a controlled value (case and punctuation aside); the text as given otherwise."""
    key = " ".join(text.strip().casefold().replace("_", " ").split())
    return choices.get(key, choices.get(key.replace(" ", "-"), text.strip()))
