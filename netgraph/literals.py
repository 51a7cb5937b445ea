"""Canonical lexical forms for the typed literals netgraph emits.

A literal has one value but many spellings (``"62"``, ``"62.0"``, ``"062.00"``
are one xsd:decimal); a store or parser that canonicalises then holds a literal
other than the one emitted, and a re-serialised graph no longer compares equal.
netgraph emits the XSD 1.1 canonical form, the one Oxigraph (the embedded
store, and what `netgraph load` verifies against) stores whatever it is given:
no leading zeros, no trailing fractional zeros, and no decimal point for a whole
number. (rdflib keeps any lexical form it reads, so it never changes these.)

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
>>> canonical_decimal("1e3")
Traceback (most recent call last):
...
ValueError: '1e3' is not a plain decimal number (digits, one optional '.', optional sign)
"""

from __future__ import annotations

import re
from decimal import Decimal

from .prefixes import namespace

__all__ = ["canonical_decimal", "canonical_lexical", "DECIMAL_LEXICAL", "INTEGER_LEXICAL"]

#: The xsd:decimal lexical space (no exponent), anchored with \\Z (no trailing newline).
DECIMAL_LEXICAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")
INTEGER_LEXICAL = re.compile(r"[+-]?\d+\Z")
_XSD = namespace("xsd")


def canonical_decimal(text: str) -> str:
    """The XSD 1.1 canonical form of an xsd:decimal (Oxigraph's): no leading or trailing zeros, no '.0'."""
    if not DECIMAL_LEXICAL.match(text):
        raise ValueError(f"{text!r} is not a plain decimal number (digits, one optional '.', optional sign)")
    value = Decimal(text)
    if value == 0:
        return "0"
    sign, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    whole = "".join(map(str, digits))
    if exponent >= 0:
        body = whole + "0" * exponent
    else:
        point = len(whole) + exponent
        body = (whole[:point] or "0") + "." + ("0" * -point if point < 0 else "") + whole[max(point, 0):]
    return ("-" if sign else "") + body


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
        return str(int(text))
    return text
