"""Reading the RDF files a user asks `validate` to check: strictly, offline, within a size limit.

Every file is parsed by Oxigraph's strict streaming parsers (Turtle, N-Triples,
N-Quads, TriG, RDF/XML, JSON-LD), which name the line of an error and refuse
what rdflib lets through and the QC store then rejects (an IRI with a space).
Nothing is fetched and no other file is read:

- a JSON-LD ``@context`` or ``@import`` that names another document (``http:``,
  ``file:`` or a relative path) is refused unless ``allow_remote_context`` is
  set (``--allow-remote-context``); then rdflib's JSON-LD parser fetches it;
- an RDF/XML document type declaration that declares entities is refused
  (nested entities expand a 1 KB file into megabytes, and rdflib's RDF/XML
  parser is quadratic in them);
- files larger together than ``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`,
  ``--max-size``) are refused before parsing: validation holds the whole graph
  in memory, about 20 times the size of an N-Triples file.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from collections.abc import Iterable
from typing import Any, NoReturn

from ..errors import InputError
from ..prefixes import expand

__all__ = ["DEFAULT_MAX_BYTES", "FORMATS", "read_user_triples", "check_size"]

#: Largest total size of the files `validate` reads (``--max-size`` raises it).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

#: file extension -> (Oxigraph format name, format name in messages)
FORMATS = {".ttl": ("TURTLE", "Turtle"), ".nt": ("N_TRIPLES", "N-Triples"), ".nq": ("N_QUADS", "N-Quads"),
           ".trig": ("TRIG", "TriG"), ".jsonld": ("JSON_LD", "JSON-LD"), ".json": ("JSON_LD", "JSON-LD"),
           ".rdf": ("RDF_XML", "RDF/XML"), ".owl": ("RDF_XML", "RDF/XML"), ".xml": ("RDF_XML", "RDF/XML")}

_LINE = re.compile(r"\bline (\d+)")


def check_size(files: Iterable[Path], max_bytes: int | None = DEFAULT_MAX_BYTES) -> int:
    """The total size of ``files``; an :class:`InputError` when it is over ``max_bytes`` (None: no limit)."""
    total = 0
    for f in files:
        if not f.is_file():
            raise InputError(f"{f}: no such file" if not f.exists() else f"{f}: not a regular file")
        total += f.stat().st_size
    if max_bytes is not None and total > max_bytes:
        names = ", ".join(map(str, files))
        raise InputError(
            f"{names}: {total / 2**20:,.1f} MB is over validate's limit of {max_bytes / 2**20:,.0f} MB: validation holds "
            "the whole graph in memory (about 20 times the size of an N-Triples file). Raise the limit with "
            "--max-size MB on a machine with that memory, or validate the file in parts; for a graph of any size, "
            "load it into a SPARQL store (`netgraph load`) and run the QC checks there "
            "(`netgraph query qc/NAME --endpoint URL`). See docs/validation.md.")
    return total


def read_user_triples(files: Iterable[str | os.PathLike], *, max_bytes: int | None = DEFAULT_MAX_BYTES,
                      allow_remote_context: bool = False) -> list:
    """Parse the user's RDF files into pyoxigraph triples (every named graph's included), checked first."""
    paths = [Path(f) for f in files]
    for p in paths:
        if p.suffix.lower() not in FORMATS:
            raise InputError(f"{p}: unknown RDF file extension {p.suffix!r}; use one of {', '.join(sorted(FORMATS))}")
    check_size(paths, max_bytes)
    out: list = []
    for n, p in enumerate(paths):
        fmt, name = FORMATS[p.suffix.lower()]
        if fmt == "RDF_XML":
            refuse_xml_entities(p)
        if fmt == "JSON_LD" and allow_remote_context and _external_context(p) is not None:
            out.extend(_parse_with_rdflib(p))  # the user asked for the context to be fetched
            continue
        out.extend(_parse(p, fmt, name, f"f{n}"))
    return out


def _parse(path: Path, fmt: str, name: str, bnode_prefix: str) -> list:
    import pyoxigraph as ox

    from ..literals import DECIMAL_LEXICAL, canonical_decimal

    cache: dict = {}
    decimal = ox.NamedNode(expand("xsd:decimal"))

    def term(t: Any) -> Any:  # an Oxigraph term
        hit = cache.get(t)
        if hit is None:
            if len(cache) > 100_000:
                cache.clear()
            # blank nodes of different files are different nodes, as when rdflib parses each file
            if isinstance(t, ox.BlankNode):
                hit = ox.BlankNode(f"{bnode_prefix}{t.value}")
            elif isinstance(t, ox.Literal) and t.datatype == decimal and DECIMAL_LEXICAL.match(t.value):
                # one value, one spelling: 62.0 as rdflib writes it is the 62 the graph holds (Oxigraph's form)
                hit = ox.Literal(canonical_decimal(t.value), datatype=decimal)
            else:
                hit = t
            cache[t] = hit
        return hit

    try:
        return [ox.Triple(term(q.subject), term(q.predicate), term(q.object))
                for q in ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt), base_iri=path.resolve().as_uri())]
    except SyntaxError as exc:
        raise _syntax_error(path, name, exc) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason})") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None


def _syntax_error(path: Path, name: str, exc: SyntaxError) -> InputError:
    text = str(exc.msg or exc)
    if "LoadDocumentCallback" in text or "remote context" in text.lower():
        ref = _external_context(path)
        return InputError(f"{path}: its JSON-LD context refers to another document ({ref or 'a remote context'}); "
                          "validate reads only the files named: put the context inline, or pass "
                          "--allow-remote-context to let it be fetched")
    line = exc.lineno or (int(m.group(1)) if (m := _LINE.search(text)) else None)
    where = f"{path}:{line}" if line else str(path)
    text = re.sub(r"\s*\([^()]*, line \d+\)$", "", text)  # Oxigraph repeats the file name and line
    if len(text) > 300:
        text = text[:300] + "…"
    if "UTF-8" in text:
        return InputError(f"{where}: cannot read: not UTF-8 ({text}); save the file as UTF-8")
    return InputError(f"{where}: not valid {name}: {text}")


def _parse_with_rdflib(path: Path) -> list:
    from rdflib import Graph  # boundary: rdflib's JSON-LD parser fetches a remote context (pyoxigraph's does not)

    from ..rdfterms import ox_triples

    g = Graph()
    try:
        g.parse(path, format="json-ld")
    except Exception as exc:  # rdflib's parsers raise many exception types
        raise InputError(f"{path}: not valid JSON-LD: {exc}") from exc
    try:
        return list(ox_triples(g))
    except ValueError as exc:  # a term rdflib accepted and Oxigraph refuses (an IRI with a space …)
        raise InputError(f"{path}: a term cannot be loaded: {exc}") from None


def _external_context(path: Path) -> str | None:
    """The first ``@context``/``@import`` reference to another document in a JSON-LD file (None if none)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str):
                            return item
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return None


class _Prolog(Exception):
    """The root element began: the document type declaration, if any, is behind us."""


def refuse_xml_entities(path: Path) -> None:
    """An :class:`InputError` when an XML file's document type declaration declares entities."""
    from xml.parsers import expat

    parser = expat.ParserCreate()

    def entity(name: str, *args: object) -> NoReturn:
        raise InputError(f"{path}:{parser.CurrentLineNumber}: the document type declaration declares the entity "
                         f"{name!r}; validate refuses XML entity declarations (nested entities can expand a small "
                         "file without bound): replace the entities by their text")

    def root(*args: object) -> NoReturn:
        raise _Prolog

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.StartElementHandler = root
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Prolog:
        return
    except expat.ExpatError as exc:
        raise InputError(f"{path}:{exc.lineno}: not well-formed XML: {expat.ErrorString(exc.code)}") from None
