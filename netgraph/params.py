"""Query parameters: typing, entity resolution, and SPARQL term escaping.

A canned query declares its parameters in its header (see
:mod:`netgraph.catalogue`); a caller gives values as text (CLI) or Python
objects (API). :func:`bind_parameters` turns them into RDF terms
(:mod:`netgraph.terms`) that the backends bind (pyoxigraph substitutions,
rdflib ``initBindings``, or a ``VALUES`` block built by
:func:`values_clause`). A value is never pasted into query text.

An ``entity`` parameter accepts an IRI (``<…>`` or ``https://…``), a CURIE of the
prefix map or one of its synonyms (``netgraph:Insulinoma``, ``ORPHA:97253``), a
bare netgraph or source id (``Insulinoma``, ``nhs-net``), or a label or synonym
in any language, case-insensitive, that names exactly one entity; otherwise a
:class:`~netgraph.errors.ParameterError` lists the candidates.

>>> str(coerce_iri("Orphanet:97253"))  # a synonym of the ORPHA prefix
'ORPHA:97253'
>>> sparql_term(Literal('say "hi"\\n'))
'"say \\\\"hi\\\\"\\\\n"'
>>> coerce_iri("<http://example.org/a b>")
Traceback (most recent call last):
...
netgraph.errors.ParameterError: IRI 'http://example.org/a b' contains a space, which an IRI cannot contain
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .catalogue import Param
from .errors import IdentifierError, ParameterError
from .prefixes import STATEMENT, expand, is_known_curie
from .terms import IRI, XSD_BOOLEAN, XSD_INTEGER, BNode, Literal, Term

from .labelindex import ALL_LABELS

if TYPE_CHECKING:
    from .labelindex import LabelIndex

__all__ = [
    "XSD_INTEGER",
    "XSD_BOOLEAN",
    "check_iri",
    "check_language",
    "check_term",
    "coerce_iri",
    "coerce_string",
    "coerce_language",
    "coerce_integer",
    "coerce_boolean",
    "bind_parameters",
    "EntityResolver",
    "sparql_term",
    "values_clause",
]


_IRI_FORBIDDEN = {" ": "a space", "<": "'<'", ">": "'>'", '"': "'\"'", "{": "'{'", "}": "'}'", "|": "'|'",
                  "^": "'^'", "`": "'`'", "\\": "a backslash"}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")  # used with .match: a prefix
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")  # used with .fullmatch ('$' matches before a final newline)
_BARE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*")  # used with .fullmatch
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


# -- plain values ------------------------------------------------------------------------


def check_iri(iri: str) -> str:
    """Return ``iri`` if it is a usable absolute IRI; else a :class:`ParameterError` saying why."""
    for ch in iri:
        if ch in _IRI_FORBIDDEN:
            raise ParameterError(f"IRI {iri!r} contains {_IRI_FORBIDDEN[ch]}, which an IRI cannot contain")
        if ord(ch) <= 0x20 or ord(ch) == 0x7F:
            raise ParameterError(f"IRI {iri!r} contains the control character U+{ord(ch):04X}")
    if not _SCHEME.match(iri):
        raise ParameterError(f"{iri!r} is not an absolute IRI (expected a scheme such as https:)")
    _check_unicode(iri)
    return iri


def check_language(tag: str) -> str:
    """Return ``tag`` if it is a well-formed BCP 47 language tag (the whole text: no trailing newline)."""
    if not isinstance(tag, str) or not _LANGUAGE.fullmatch(tag):
        raise ParameterError(f"{tag!r} is not a language tag (expected something like 'en', 'nl' or 'en-GB')")
    return tag


def check_term(term: Term) -> Term:
    """Check a term a caller built (API): its IRI, language tag and datatype are well formed.

    Every backend gets the same answer: a :class:`ParameterError`, never an engine's
    ``ValueError`` (rdflib) or a value one engine accepts and another refuses.
    """
    if isinstance(term, IRI):
        check_iri(term.iri)
    elif isinstance(term, Literal):
        _check_unicode(str(term))
        if term.language:
            check_language(term.language)
        if term.datatype:
            check_iri(term.datatype)
    return term


def _check_unicode(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParameterError(f"{text!r} is not valid Unicode text ({exc.reason})") from None


def _expand_curie(value: str) -> str | None:
    """The IRI of a CURIE whose prefix (any spelling) is in the map; None if it is not such a CURIE.

    The one CURIE engine (:mod:`netgraph.prefixes`) decides; its error becomes a :class:`ParameterError`.
    """
    if not is_known_curie(value):
        return None
    try:
        return expand(value)
    except IdentifierError as exc:
        raise ParameterError(str(exc)) from None


def coerce_iri(value: Any) -> IRI:
    """An IRI from an :class:`IRI`, ``<iri>``, an absolute IRI, or a CURIE of the prefix map."""
    if isinstance(value, IRI):
        return IRI(check_iri(value.iri))
    if not isinstance(value, str):
        raise ParameterError(f"expected an IRI or a CURIE, got {type(value).__name__} {value!r}")
    text = value.strip()
    if text.startswith("<") and text.endswith(">") and len(text) > 2:
        return IRI(check_iri(text[1:-1]))
    expanded = _expand_curie(text)
    if expanded is not None:
        return IRI(check_iri(expanded))
    if _SCHEME.match(text):
        return IRI(check_iri(text))
    raise ParameterError(f"{value!r} is neither an IRI nor a CURIE with a known prefix "
                         f"(for example netgraph:Insulinoma or ORPHA:97253)")


def coerce_string(value: Any) -> Literal:
    """A plain string literal; control characters other than tab and newline are refused."""
    if isinstance(value, Literal) or (isinstance(value, (str, int, float)) and not isinstance(value, bool)):
        text = str(value)
    else:
        raise ParameterError(f"expected text, got {type(value).__name__} {value!r}")
    bad = _CONTROL.search(text)
    if bad:
        raise ParameterError(f"text {text!r} contains the control character U+{ord(bad.group()):04X}")
    _check_unicode(text)
    if isinstance(value, Literal):
        return value
    return Literal(text)


def coerce_language(value: Any) -> Literal:
    """A BCP 47 language tag such as ``en`` or ``nl`` (lower-cased)."""
    text = str(value).strip() if isinstance(value, str) else None
    if not text or not _LANGUAGE.fullmatch(text):
        raise ParameterError(f"{value!r} is not a language tag (expected something like 'en', 'nl' or 'en-GB')")
    return Literal(text.lower())


def coerce_integer(value: Any) -> Literal:
    if isinstance(value, bool):
        raise ParameterError(f"expected a whole number, got {value!r}")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ParameterError(f"{value!r} is not a whole number") from None
    return Literal(str(number), datatype=XSD_INTEGER)


def coerce_boolean(value: Any) -> Literal:
    if isinstance(value, bool):
        flag = value
    elif str(value).strip().lower() in _TRUE:
        flag = True
    elif str(value).strip().lower() in _FALSE:
        flag = False
    else:
        raise ParameterError(f"{value!r} is not a boolean (use true or false)")
    return Literal("true" if flag else "false", datatype=XSD_BOOLEAN)


# -- entity resolution -------------------------------------------------------------------

#: Runs internal lookups: (SPARQL text, {parameter name: term}) -> rows as dicts of terms.
Runner = Callable[[str, Mapping[str, Term]], list[dict[str, Term | None]]]

_EXISTS = """
SELECT ?_entity ?label WHERE {
  ?_entity ?p ?o .
  OPTIONAL { ?_entity rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
} LIMIT 1
"""

_BY_MAPPING = """
SELECT DISTINCT ?_code ?entity WHERE {
  ?entity skos:exactMatch ?_code .
} ORDER BY ?entity
"""

_BY_LABEL = """
SELECT DISTINCT ?_text ?entity ?how ?label WHERE {
  {
    { ?entity rdfs:label ?match BIND("label" AS ?how) }
    UNION
    { ?entity skos:altLabel ?match BIND("synonym" AS ?how) }
    FILTER(LCASE(STR(?match)) = LCASE(STR(?_text)) && !STRSTARTS(STR(?entity), STR(ngstmt:)))
  }
  OPTIONAL { ?entity rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
} ORDER BY ?entity ?how
"""

# Written in the forms every engine plans (docs/stores.md): paths start at the bound entity, the class is
# compared with STR() = STR(), and constant columns come from VALUES (Virtuoso 7.2 answers nothing for a
# path bound at both ends by the VALUES block, and fails to compile BIND inside UNION branches).
_IS_A = """
SELECT ?_entity ?_class WHERE {
  { ?_entity rdfs:subClassOf* ?ancestor } UNION { ?_entity rdf:type ?type . ?type rdfs:subClassOf* ?ancestor }
  FILTER(STR(?ancestor) = STR(?_class))
} LIMIT 1
"""

_WHAT = """
SELECT DISTINCT ?_entity ?how ?kind ?label WHERE {
  { VALUES ?how { "an instance of" } ?_entity rdf:type ?kind
    FILTER(?kind != owl:NamedIndividual && ?kind != owl:Class) }
  UNION { VALUES ?how { "a subclass of" } ?_entity rdfs:subClassOf ?kind FILTER(isIRI(?kind)) }
  OPTIONAL { ?kind rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
} ORDER BY ?how ?kind LIMIT 5
"""



class EntityResolver:
    """Resolves ``entity`` parameter values against one graph (results are cached).

    Labels are matched with one SPARQL lookup per value, or, with ``index_labels``
    (for engines whose FILTER is slow, such as rdflib's), against an in-memory
    index of every label fetched once, or, given a ``label_index`` (the prebuilt
    store's, :mod:`netgraph.labelindex`), by binary search in that file. All
    compare lower-cased text (SPARQL ``LCASE``, Python ``str.lower``) and give
    the same answers.
    """

    def __init__(self, run: Runner, *, index_labels: bool = False, label_index: LabelIndex | None = None):
        self._run = run
        self._index_labels = index_labels
        self._label_index = label_index
        self._cache: dict[str, IRI] = {}
        self._index: list[tuple[IRI, Literal, str, str]] | None = None
        self._english: dict[str, str] | None = None

    def exists(self, iri: IRI) -> bool:
        return bool(self._run(_EXISTS, {"_entity": iri}))

    def resolve(self, value: Any, name: str = "entity") -> IRI:
        """The IRI ``value`` names, or a :class:`ParameterError` that says why not (listing candidates)."""
        key = value.iri if isinstance(value, IRI) else value
        if isinstance(key, str) and key in self._cache:
            return self._cache[key]
        iri = self._resolve(value, name)
        if isinstance(key, str):
            self._cache[key] = iri
        return iri

    def _resolve(self, value: Any, name: str) -> IRI:
        if not isinstance(value, str) or not value.strip():
            raise ParameterError(f"parameter {name!r}: expected an IRI, a CURIE or a label, got {value!r}")
        text = value.strip() if not isinstance(value, IRI) else value
        if isinstance(text, IRI) or text.startswith("<") or "://" in text or self._is_curie(text):
            iri = coerce_iri(text)
            if self.exists(iri):
                return iri
            mapped = [r["entity"] for r in self._run(_BY_MAPPING, {"_code": iri})]
            if len(mapped) == 1:
                return mapped[0]  # type: ignore[return-value]
            if len(mapped) > 1:
                raise ParameterError(f"parameter {name!r}: {iri} is an exact match of several entities: "
                                     + ", ".join(map(str, mapped)))
            raise ParameterError(f"parameter {name!r}: {iri} ({iri.iri}) is not an entity of the graph")
        if _BARE_ID.fullmatch(text):
            for prefix in ("netgraph", "ngsrc"):
                candidate = coerce_iri(f"{prefix}:{text}")
                if self.exists(candidate):
                    return candidate
        coerce_string(text)
        return self._by_label(text, name)

    def check_class(self, entity: IRI, classes: tuple[str, ...], name: str = "entity") -> IRI:
        """``entity`` if it is one of ``classes`` (CURIEs), a subclass, or an instance of one; else say what it is."""
        if not classes:
            return entity
        wanted = [coerce_iri(c) for c in classes]
        if any(self._run(_IS_A, {"_entity": entity, "_class": c}) for c in wanted):
            return entity
        kinds = [(str(r["how"]), r["kind"], r["label"]) for r in self._run(_WHAT, {"_entity": entity})]
        what = ", ".join(f"{how} {k}" + (f" ({lab})" if lab else "") for how, k, lab in kinds) or "neither"
        expected = " or ".join(f"{c}{f' ({lab})' if (lab := self._label(c)) else ''}" for c in wanted)
        raise ParameterError(f"parameter {name!r}: {self._describe(entity, self._label(entity))} is not a {expected}, "
                             f"a subclass or an instance of one; it is {what}")

    def _label(self, iri: IRI) -> str | None:
        rows = self._run(_EXISTS, {"_entity": iri})
        return str(rows[0]["label"]) if rows and rows[0].get("label") is not None else None

    @staticmethod
    def _is_curie(text: str) -> bool:
        return not any(c.isspace() for c in text) and _expand_curie(text) is not None

    def _labels(self) -> list[tuple[IRI, Literal, str, str]]:
        """(entity, label or synonym, "label"|"synonym", lower-cased text) for every entity but statements."""
        if self._index is None:
            rows = self._run(ALL_LABELS, {})
            index = [(r["entity"], r["match"], str(r["how"]), str(r["match"]).lower()) for r in rows
                     if isinstance(r["entity"], IRI) and isinstance(r["match"], Literal)
                     and not r["entity"].iri.startswith(STATEMENT)]
            index.sort(key=lambda t: (t[0].iri, t[2], str(t[1]), t[1].language or ""))
            english: dict[str, str] = {}
            for entity, match, how, _ in index:
                if how == "label" and (match.language or "").startswith("en"):
                    english.setdefault(entity.iri, str(match))
            self._index, self._english = index, english
        return self._index

    def _describe(self, entity: IRI, label: str | None = None) -> str:
        label = label or (self._english or {}).get(entity.iri)
        return f"{entity} ({label})" if label else str(entity)

    def _exact(self, text: str) -> list[tuple[IRI, str, str | None]]:
        """(entity, "label"|"synonym", English label) for each label or synonym equal to ``text``, any case."""
        if self._label_index is not None:
            hits = self._label_index.lookup(text)
        elif self._index_labels:
            key = text.lower()
            labels = self._labels()
            english = self._english or {}
            hits = [(e, how, english.get(e.iri)) for e, _, how, low in labels if low == key]
        else:
            rows = self._run(_BY_LABEL, {"_text": Literal(text)})
            hits = [(r["entity"], str(r["how"]), str(r["label"]) if r["label"] is not None else None) for r in rows
                    if isinstance(r["entity"], IRI)]  # always an IRI: the query binds ?entity to a subject
        return sorted(set(hits), key=lambda h: (h[0].iri, h[1]))

    def _by_label(self, text: str, name: str) -> IRI:
        hits = self._exact(text)
        by_label = list(dict.fromkeys(e for e, how, _ in hits if how == "label"))
        anywhere = list(dict.fromkeys(e for e, _, _ in hits))
        if len(by_label) == 1:
            return by_label[0]
        if len(anywhere) == 1:
            return anywhere[0]
        if anywhere:
            seen: dict[str, str] = {}
            for e, how, label in hits:
                seen.setdefault(e.iri, f"  {self._describe(e, label)}: {text!r} is its {how}")
            raise ParameterError(f"parameter {name!r}: {text!r} names {len(anywhere)} entities; give one of "
                                 "their CURIEs instead:\n" + "\n".join(seen.values()))
        key = text.lower()
        near: dict[str, tuple[int, IRI]] = {}
        for e, match, _, low in self._labels():
            if key in low and (e.iri not in near or len(match) < near[e.iri][0]):
                near[e.iri] = (len(match), e)
        closest = sorted(near.values(), key=lambda t: (t[0], t[1].iri))[:10]
        hint = ("; labels containing it: " + ", ".join(self._describe(e) for _, e in closest)) if closest else \
            "; try `netgraph query search --param text=WORD`"
        raise ParameterError(f"parameter {name!r}: no entity has the label or synonym {text!r}{hint}")


# -- binding ---------------------------------------------------------------------------------

_COERCE: dict[str, Callable[[Any], Term]] = {
    "iri": coerce_iri,
    "string": coerce_string,
    "language": coerce_language,
    "integer": coerce_integer,
    "boolean": coerce_boolean,
}


def bind_parameters(params: tuple[Param, ...], given: Mapping[str, Any], resolver: EntityResolver | None,
                    query: str = "query") -> dict[str, Term | None]:
    """Typed terms for each declared parameter (``None`` leaves an optional one unbound).

    Unknown names, missing required values and values of the wrong type raise
    :class:`ParameterError`; ``entity`` values are resolved with ``resolver``.
    """
    declared = {p.name: p for p in params}
    unknown = [k for k in given if k not in declared]
    if unknown:
        raise ParameterError(f"{query} has no parameter {', '.join(map(repr, unknown))}; its parameters: "
                             + (", ".join(declared) or "none"))
    out: dict[str, Term | None] = {}
    for p in params:
        value = given.get(p.name)
        if isinstance(value, str) and not value.strip() and p.type != "string":
            if p.required or p.default not in (None, ""):
                default = "" if p.required else f", or leave it out for the default ({p.default})"
                raise ParameterError(f"parameter {p.name!r} of {query} is empty: give a value{default}; "
                                     f"{p.description}")
            value = None  # an empty value for a parameter whose default is empty (all): the same thing
        if value is None:
            if p.required:
                raise ParameterError(f"{query} needs parameter {p.name!r} ({p.type}): {p.description}")
            value = p.default
        if value is None:
            out[p.name] = None
            continue
        try:
            if p.type == "entity":
                if resolver is None:
                    raise ParameterError("entity parameters need a graph to resolve against")
                out[p.name] = resolver.check_class(resolver.resolve(value, p.name), p.classes, p.name)
            else:
                out[p.name] = _COERCE[p.type](value)
        except ParameterError as exc:
            msg = str(exc)
            raise ParameterError(msg if msg.startswith("parameter ") else f"parameter {p.name!r}: {msg}") from None
    return out


# -- SPARQL syntax (remote backend) ------------------------------------------------------------

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_term(term: Term) -> str:
    """The SPARQL syntax of a term, validated and escaped; nothing in it can end the literal or IRI."""
    if isinstance(term, IRI):
        return f"<{check_iri(term.iri)}>"
    if isinstance(term, Literal):
        text = str(term)
        bad = _CONTROL.search(text)
        if bad:
            raise ParameterError(f"text {text!r} contains the control character U+{ord(bad.group()):04X}")
        _check_unicode(text)
        body = '"' + "".join(_ECHAR.get(c, c) for c in text) + '"'
        if term.language:
            check_language(term.language)
            return f"{body}@{term.language}"
        if term.datatype:
            return f"{body}^^<{check_iri(term.datatype)}>"
        return body
    if isinstance(term, BNode):
        raise ParameterError("a blank node cannot be bound as a parameter")
    raise ParameterError(f"cannot bind {term!r}: not an IRI or a literal")


def values_clause(bindings: Mapping[str, Term | None]) -> str:
    """``VALUES (?_a ?_b) { (<…> "…") }`` for the bound parameters ('' when none is bound)."""
    bound = {k: v for k, v in bindings.items() if v is not None}
    if not bound:
        return ""
    for name in bound:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParameterError(f"{name!r} is not a valid parameter name")
    names = " ".join(f"?{k}" for k in bound)
    row = " ".join(sparql_term(v) for v in bound.values())
    return f"VALUES ({names}) {{ ({row}) }}"
