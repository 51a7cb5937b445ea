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

__all__ = ["canonical_decimal", "DECIMAL_LEXICAL"]

#: The xsd:decimal lexical space (no exponent), anchored with \\Z (no trailing newline).
DECIMAL_LEXICAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")


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
