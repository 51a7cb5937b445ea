"""One canonical number form for every writer and comparer (issue 11): netgraph.literals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from netgraph.literals import canonical_decimal, canonical_lexical

XSD = "http://www.w3.org/2001/XMLSchema#"
HUGE = "123456789012345678901234567890123456789.000123456789012345678900"


@pytest.mark.parametrize("text, canonical", [
    ("62", "62"), ("62.0", "62"), ("062.00", "62"), ("+62", "62"), ("0.10", "0.1"), (".5", "0.5"), ("5.", "5"),
    ("-0", "0"), ("-0.000", "0"), ("+0", "0"), ("0", "0"), ("-003.250", "-3.25"), ("1000", "1000"),
    ("0.000001", "0.000001"), (HUGE, "123456789012345678901234567890123456789.0001234567890123456789"),
])
def test_canonical_decimal_of_a_lexical_form(text, canonical):
    assert canonical_decimal(text) == canonical
    assert canonical_decimal(canonical) == canonical, "the canonical form is a fixed point"


@pytest.mark.parametrize("value, canonical", [
    (Decimal("1E+3"), "1000"), (Decimal("1e3"), "1000"), (Decimal("0.10"), "0.1"), (Decimal("62"), "62"),
    (Decimal("-0"), "0"), (Decimal("-0.0"), "0"), (Decimal("2.5E-7"), "0.00000025"), (62, "62"), (-7, "-7"),
    (Decimal(HUGE), "123456789012345678901234567890123456789.0001234567890123456789"),
    (Decimal("1E+40"), "1" + "0" * 40),
])
def test_canonical_decimal_of_a_value_is_exact_at_any_size(value, canonical):
    """Regression: Decimal.normalize() rounded to 28 digits, so a 39-digit value lost its tail."""
    assert canonical_decimal(value) == canonical


@pytest.mark.parametrize("bad", ["1e3", "1E3", "", "-", ".", "1.2.3", "62 ", "NaN", "½", "٦٢"])
def test_what_is_not_a_plain_decimal_is_refused(bad):
    with pytest.raises(ValueError):
        canonical_decimal(bad)


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_a_non_finite_value_is_refused(bad):
    with pytest.raises(ValueError):
        canonical_decimal(bad)


def test_canonical_lexical_by_datatype():
    assert canonical_lexical("80.0", XSD + "decimal") == "80"
    assert canonical_lexical("+007", XSD + "integer") == "7"
    assert canonical_lexical("-0", XSD + "integer") == "0"
    assert canonical_lexical("1e3", XSD + "decimal") == "1e3", "not a decimal lexical form: left as written"
    assert canonical_lexical("62.0", XSD + "double") == "62.0", "doubles keep their spelling"
    assert canonical_lexical("062", None) == "062"


def test_oxigraph_stores_the_canonical_form():
    """The form netgraph writes is the one Oxigraph keeps (what a verified load compares against);
    beyond Oxigraph's decimal range it keeps any spelling, and the canonical one is still kept unchanged."""
    import pyoxigraph as ox

    def held(text: str) -> str:
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
                          ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))))
        return next(iter(store)).object.value

    for text in ("62.0", "0.10", "-0", "-003.250", "1000", "+5", "12345678901234.5678900"):
        assert held(text) == canonical_decimal(text), text
    assert held(canonical_decimal(HUGE)) == canonical_decimal(HUGE)


def test_every_number_writer_uses_the_shared_function():
    """The grading table and the load check give the same forms (they once had their own copies)."""
    import pyoxigraph as ox

    from netgraph.grading.table import canonical_decimal as grading_canonical
    from netgraph.stores.loadcheck import _canonical_value

    assert grading_canonical is canonical_decimal
    for text in ("-0", "0.10", "62.0", HUGE):
        lit = _canonical_value(ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal")))
        assert lit.value == canonical_decimal(text), text


def test_a_record_value_in_other_digits_is_kept_as_text_not_a_traceback():
    """canonical_decimal takes ASCII digits only (the xsd:decimal lexical space); the records reader,
    which matched any Unicode digit, must not hand it others."""
    from netgraph.records.values import read_decimal

    assert read_decimal("\u0666\u0662") == "\u0666\u0662"
    assert read_decimal(" 12,50 ") == "12.5" and read_decimal("-0 %") == "0"
