"""A sorted on-disk index of every label and synonym, so resolving a label does not scan the graph.

Resolving ``--param hormone=insulin`` needs the entities whose ``rdfs:label`` or
``skos:altLabel`` equals the text in any case. SPARQL can only answer that with a
``FILTER(LCASE(...))`` over every label, which grows with the graph (about 0.2 s
at ten times today's graph). The prebuilt store (:mod:`netgraph.storecache`)
therefore keeps, beside its database, one UTF-8 file of lines::

    lower-cased text <TAB> entity IRI <TAB> label|synonym <TAB> English label

sorted by their bytes, and :class:`LabelIndex` finds a key by binary search over
the memory-mapped file: a handful of page reads whatever the graph's size. The
rows are exactly the ones the in-memory index of :class:`netgraph.params.EntityResolver`
builds (statements excluded, the first English label by sort order), and a test
checks that both give the same hits for every key. Tabs, newlines and
backslashes in a label are escaped (``\\t``, ``\\n``, ``\\\\``).
"""

from __future__ import annotations

import mmap
from pathlib import Path
from typing import Any

from .prefixes import STATEMENT, sparql_prolog
from .terms import IRI

__all__ = ["ALL_LABELS", "LABEL_INDEX_FILE", "LabelIndex", "write_label_index"]

LABEL_INDEX_FILE = "labels.tsv"

#: every label and synonym of every entity (statements are dropped by the callers, as they need)
ALL_LABELS = """
SELECT ?entity ?match ?how WHERE {
  { ?entity rdfs:label ?match BIND("label" AS ?how) }
  UNION
  { ?entity skos:altLabel ?match BIND("synonym" AS ?how) }
  FILTER(isIRI(?entity) && isLiteral(?match))
}
"""

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def write_label_index(store: Any, path: Path) -> int:
    """Write the label index of a pyoxigraph ``store`` (union of its graphs) to ``path``; returns its rows."""
    rows = []
    for sol in store.query(sparql_prolog() + ALL_LABELS, use_default_graph_as_union=True):
        entity, match, how = sol["entity"].value, sol["match"], sol["how"].value
        if entity.startswith(STATEMENT):
            continue
        rows.append((entity, how, match.value, match.language or ""))
    rows.sort()  # entity, how, text, language: the order the in-memory index uses for the first English label
    english: dict[str, str] = {}
    for entity, how, text, language in rows:
        if how == "label" and language.startswith("en"):
            english.setdefault(entity, text)
    lines = sorted({
        "\t".join((_escape(text.lower()), _escape(entity), how, _escape(english.get(entity, "")))).encode("utf-8")
        for entity, how, text, _ in rows
    })
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return len(lines)


class LabelIndex:
    """Exact, case-insensitive label lookups in a file written by :func:`write_label_index`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with self.path.open("rb") as fh:
            size = fh.seek(0, 2)
            self._data: bytes | mmap.mmap = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""

    def _line_start(self, pos: int) -> int:
        return self._data.rfind(b"\n", 0, pos) + 1

    def lookup(self, text: str) -> list[tuple[IRI, str, str | None]]:
        """(entity, "label"|"synonym", English label or None) for each label or synonym equal to ``text``, any case."""
        key = _escape(text.lower()).encode("utf-8") + b"\t"
        data = self._data
        lo, hi = 0, len(data)
        while lo < hi:  # the first line whose bytes are >= key
            mid = (lo + hi) // 2
            start = self._line_start(mid)
            end = data.find(b"\n", start)
            if data[start:end] < key:
                lo = end + 1
            else:
                hi = start
        hits = []
        pos = lo
        while data[pos:pos + len(key)] == key:
            end = data.find(b"\n", pos)
            _, entity, how, english = data[pos:end].decode("utf-8").split("\t")
            hits.append((IRI(_unescape(entity)), how, _unescape(english) or None))
            pos = end + 1
        return hits
