"""The quotable text of a source file: what a verbatim quote is compared with.

Source texts come in two shapes. The patient-information pages are plain text.
The NCI PDQ summaries and drug pages were converted from HTML to Markdown by a
third party and carry a librarian's ``SOURCE HEADER``; a quote is the wording of
the text, not its markup, so the header, citation markers (``[[3](#cit/section_1.3)]``),
link syntax, emphasis and heading marks are removed before comparing. Whitespace
is collapsed everywhere, so a quote may span a line break.

>>> plain_text("Only 15% are found.[[7](#cit/section_1.7)] See [the *MEN1* gene](/x).")
'Only 15% are found. See the MEN1 gene.'
>>> plain_text("effects:[[15](#cit/section_4.15)-[17](#cit/section_4.17)] - Streptozocin.")
'effects: - Streptozocin.'
>>> plain_text("## Staging\\n**Bold** and __under__ text")
'Staging Bold and under text'
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["plain_text", "read_plain_text", "quote_in_text", "normalise_whitespace", "json_cells", "source_plain_text"]

_HEADER = re.compile(r"\A==== SOURCE HEADER.*?==== END SOURCE HEADER ====\n?", re.S)
# [[1](#cit/section_1.1),[2](#cit/section_1.2)], the range form [[15](#cit/…)-[17](#cit/…)] and the one-marker form
_CITATION = re.compile(r"\[\[\d+\]\([^)\s]*\)(?:\s*[,\-–]\s*\[\d+\]\([^)\s]*\))*\]")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
_HEADING = re.compile(r"^#{1,6}\s+", re.M)


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def _unemphasise(match: re.Match[str]) -> str:
    return next(g for g in match.groups()[1:] if g is not None)


def plain_text(raw: str) -> str:
    """The wording of a source text, without header, Markdown or citation markers, whitespace collapsed."""
    text = _HEADER.sub("", raw)
    text = _CITATION.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    for _ in range(3):  # nested emphasis (***x***) unwraps one level per pass
        text = _EMPHASIS.sub(_unemphasise, text)
    text = _HEADING.sub("", text)
    return normalise_whitespace(text)


def read_plain_text(path: Path) -> str:
    """:func:`plain_text` of a UTF-8 file."""
    return plain_text(Path(path).read_text(encoding="utf-8"))


def quote_in_text(quote: str, text: str) -> bool:
    """True when ``quote`` (whitespace-normalised, markup removed) occurs in the plain ``text``."""
    return plain_text(quote) in text


def json_cells(raw: str) -> list[str]:
    """The string cells of a JSON document (a SEER table), in document order, whitespace collapsed.

    >>> json_cells('{"id": "t", "rows": [["1", "G1: less than 2 AND\\\\n   less than 3"]]}')
    ['t', '1', 'G1: less than 2 AND less than 3']
    """
    import json

    cells: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            cells.append(normalise_whitespace(node))
        elif isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            for n in node.values():
                walk(n)

    walk(json.loads(raw))
    return cells


def source_plain_text(raw: str, suffix: str) -> str:
    """:func:`plain_text` of a source file; a JSON table is read as its cells, one per line."""
    if suffix == ".json":
        return "\n".join(plain_text(c) for c in json_cells(raw))
    return plain_text(raw)
