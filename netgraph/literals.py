"""Canonical lexical forms for the typed literals netgraph emits.

A literal has one value but many spellings (``"62"``, ``"62.0"``, ``"062.00"``
are one xsd:decimal); a store or parser that canonicalises then holds a literal
other than the one emitted, and a re-serialised graph no longer compares equal.
netgraph emits the XSD 1.1 canonical form, the one Oxigraph (the embedded
store, and what `netgraph load` verifies against) stores whatever it is given:
no leading zeros, no trailing fractional zeros, and no decimal point for a whole
number. (rdflib keeps any lexical form it reads, so it never changes these.)

Every place that writes or compares a number uses :func:`canonical_decimal`: the
build, the grading tables, the validator's input reader and the load check.

>>> canonical_decimal("62")
'62'
>>> canonical_decimal("62.0")
'62'
>>> canonical_decimal("0.50")
'0.5'
>>> canonical_decimal("-003.250")
'-3.25'
>>> canonical_decimal("-0")
'0'
>>> canonical_decimal(Decimal("1E+3")), canonical_decimal(Decimal("0.10")), canonical_decimal(62)
('1000', '0.1', '62')
>>> canonical_decimal("1e3")
Traceback (most recent call last):
...
ValueError: '1e3' is not a plain decimal number (digits, one optional '.', optional sign)
"""

from __future__ import annotations

import re
from decimal import Decimal

from .prefixes import namespace

__all__ = ["canonical_decimal", "canonical_lexical", "canonical_language", "DECIMAL_LEXICAL", "INTEGER_LEXICAL"]

#: The xsd:decimal lexical space (no exponent), anchored with \\Z (no trailing newline).
DECIMAL_LEXICAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")  # ASCII digits: \d would take '٦٢'
INTEGER_LEXICAL = re.compile(r"[+-]?[0-9]+\Z")
_XSD = namespace("xsd")


def canonical_decimal(value: str | Decimal | int) -> str:
    """The XSD 1.1 canonical form of an xsd:decimal (Oxigraph's): no leading or trailing zeros, no '.0'.

    ``value`` is a lexical form (``"062.50"``), or a :class:`~decimal.Decimal` or ``int``
    value. Exact at any size: the digits are rewritten, never rounded to a context
    precision (``Decimal.normalize`` would round to 28 digits). ``-0`` is ``0``.
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a decimal number")
        text = format(value, "f")  # positional notation, every digit kept
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str) and DECIMAL_LEXICAL.match(value):
        text = value
    else:
        raise ValueError(f"{value!r} is not a plain decimal number (digits, one optional '.', optional sign)")
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("+-").partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    if whole == "0" and not fraction:
        return "0"
    return ("-" if negative else "") + whole + ("." + fraction if fraction else "")


def canonical_lexical(text: str, datatype: str | None) -> str:
    """The canonical form of a literal netgraph writes: xsd:decimal and xsd:integer canonicalised, others as given.

    Whatever table or hand-written Turtle a number comes from, the emitted file
    holds the form Oxigraph stores (``"80.0"^^xsd:decimal`` is written ``"80"``):

    >>> canonical_lexical("80.0", "http://www.w3.org/2001/XMLSchema#decimal")
    '80'
    >>> canonical_lexical("+007", "http://www.w3.org/2001/XMLSchema#integer")
    '7'
    >>> canonical_lexical("abc", "http://www.w3.org/2001/XMLSchema#decimal")
    'abc'
    """
    if datatype == _XSD + "decimal" and DECIMAL_LEXICAL.match(text):
        return canonical_decimal(text)
    if datatype == _XSD + "integer" and INTEGER_LEXICAL.match(text):
        return canonical_decimal(text)
    return text


def canonical_language(tag: str) -> str:
    """A language tag in lower case, as Oxigraph keeps it (BCP 47 tags are case-insensitive).

    >>> canonical_language("en-GB")
    'en-gb'
    """
    return tag.lower()
