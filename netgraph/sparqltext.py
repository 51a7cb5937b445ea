"""SPARQL query text: the generated prolog, the query form, parameter variables.

netgraph never pastes a value into query text. This module only reads text:
it finds comments, strings and IRIs so that the words around them can be
trusted, and it adds the ``PREFIX`` prolog generated from the one prefix map
(:func:`netgraph.prefixes.sparql_prolog`). A canned query may not declare a
prefix itself unless the declaration equals the map.

The one place text is *added* is :func:`insert_values`, used by the remote
backend: it places a ``VALUES`` block, built by
:func:`netgraph.params.values_clause` from validated and escaped terms, as the
first element of the query's ``WHERE`` group and of each nested group that uses
a parameter. (A trailing ``VALUES`` would be joined after ``FILTER`` and
``GROUP BY`` are evaluated, so a filter on a parameter would see it unbound;
at the top of the groups it is bound as pyoxigraph's substitutions and
rdflib's ``initBindings`` bind it.)

>>> q = prepare("SELECT ?_x ?label WHERE { ?_x rdfs:label ?label }")
>>> q.form, q.parameters
('SELECT', ('_x',))
>>> q.text.splitlines()[0] == sparql_prolog(used_in="rdfs:label").strip()
True
>>> insert_values("SELECT * WHERE { ?s ?p ?o }", "VALUES (?_x) { (<http://a>) }")
'SELECT * WHERE { VALUES (?_x) { (<http://a>) }\\n ?s ?p ?o }'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Iterator

from .errors import QueryError
from .prefixes import prefix_map, sparql_prolog

__all__ = ["PreparedQuery", "prepare", "tokens", "insert_values", "PARAM_PREFIX", "is_param_variable", "uses_federation"]

#: A variable whose name starts with this is a parameter: bound by the backend, never shown in results.
PARAM_PREFIX = "_"

# A variable name is ASCII letters, digits, '_', U+00B7 or a character from U+00C0 to U+FFFF: written as a
# negated class, as the range itself made this pattern cost about 5 ms to compile in every cold start.
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$](?:[A-Za-z0-9_\u00B7]|[^\x00-\u00BF\U00010000-\U0010FFFF])+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::(?:\\.|[^\s{}()\[\];,.<>"'\\])*)?|:(?:\\.|[^\s{}()\[\];,<>"'\\])*)
  | (?P<space>\s+)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, text, offset)`` for each token; kinds: comment string iri var word space punct."""
    for m in _TOKEN.finditer(text):
        yield m.lastgroup or "punct", m.group(), m.start()


def uses_federation(text: str) -> bool:
    """True when the query calls another endpoint (a ``SERVICE`` clause), outside strings, IRIs and comments.

    >>> uses_federation('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> uses_federation('SELECT ?service WHERE { ?service ?p "SERVICE" } # SERVICE')
    False
    """
    return any(kind == "word" and word.upper() == "SERVICE" for kind, word, _ in tokens(text))


def is_param_variable(name: str) -> bool:
    """True for a parameter variable name (without ``?``), such as ``_tumour``."""
    return name.startswith(PARAM_PREFIX) and len(name) > 1


@dataclass(frozen=True)
class PreparedQuery:
    """Query text with its generated prolog, ready for any backend."""

    text: str
    form: str
    parameters: tuple[str, ...]
    projection: tuple[str, ...] | None  # SELECT variables in order; None for SELECT * and other forms


def _declared_prefixes(toks: list[tuple[str, str, int]]) -> dict[str, str]:
    out: dict[str, str] = {}
    sig = [t for t in toks if t[0] not in ("space", "comment")]
    for i, (kind, value, _) in enumerate(sig):
        if kind == "word" and value.upper() == "PREFIX" and i + 2 < len(sig):
            name, iri = sig[i + 1][1], sig[i + 2][1]
            if name.endswith(":") and sig[i + 2][0] == "iri":
                out[name[:-1]] = iri[1:-1]
    return out


def _form(toks: list[tuple[str, str, int]]) -> str:
    sig = [t for t in toks if t[0] not in ("space", "comment")]
    i = 0
    while i < len(sig):
        word = sig[i][1].upper()
        if sig[i][0] == "word" and word == "PREFIX":
            i += 3
        elif sig[i][0] == "word" and word == "BASE":
            i += 2
        else:
            break
    first = sig[i][1].upper() if i < len(sig) else ""
    if first in _FORMS:
        return first
    if first in _UPDATE_WORDS:
        raise QueryError("this is a SPARQL update; netgraph only runs queries (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue")


def _projection(toks: list[tuple[str, str, int]], form: str) -> tuple[str, ...] | None:
    """The SELECT clause's variables in order (``(expr AS ?v)`` gives ?v); None for ``*`` or another form."""
    if form != "SELECT":
        return None
    sig = [t for t in toks if t[0] not in ("space", "comment")]
    start = next(i for i, t in enumerate(sig) if t[0] == "word" and t[1].upper() == "SELECT")
    out: list[str] = []
    depth = 0
    after_as = False
    for kind, value, _ in sig[start + 1:]:
        upper = value.upper()
        if kind == "punct" and value == "(":
            depth += 1
        elif kind == "punct" and value == ")":
            depth -= 1
        elif kind == "punct" and value == "*" and depth == 0:
            return None
        elif (kind == "word" and upper in ("WHERE", "FROM")) or (kind == "punct" and value == "{"):
            break
        elif kind == "word" and upper == "AS":
            after_as = True
            continue
        elif kind == "var" and (depth == 0 or after_as):
            out.append(value[1:])
        after_as = False
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=256)
def prepare(text: str, *, strict: bool = False) -> PreparedQuery:
    """Add the generated ``PREFIX`` prolog for the prefixes ``text`` uses and describe the query.

    With ``strict`` (canned queries), a ``PREFIX`` the text declares itself must equal the
    prefix map; without it (ad-hoc queries), the user's own declarations win.
    """
    toks = list(tokens(text))
    declared = _declared_prefixes(toks)
    known = prefix_map()
    if strict:
        for name, iri in declared.items():
            if known.get(name) != iri:
                expected = f"<{known[name]}>" if name in known else "no such prefix in netgraph/prefixes.tsv"
                raise QueryError(f"the query declares PREFIX {name}: <{iri}>, which differs from the prefix map "
                                 f"({expected}); remove the declaration, the prolog is generated")
    form = _form(toks)
    code = "".join(v for k, v, _ in toks if k not in ("comment", "string", "iri"))
    prolog = "".join(line for line in sparql_prolog(used_in=code).splitlines(keepends=True)
                     if line.split()[1][:-1] not in declared)
    params = tuple(dict.fromkeys(v[1:] for k, v, _ in toks if k == "var" and is_param_variable(v[1:])))
    return PreparedQuery(text=prolog + text, form=form, parameters=params, projection=_projection(toks, form))


def insert_values(text: str, values: str, variables: tuple[str, ...] = ()) -> str:
    """Insert a ``VALUES`` block at the top of the ``WHERE`` group and of every group using ``variables``.

    This gives the same answers as binding by substitution (SEP-0007): a filter
    in a nested group, an ``OPTIONAL`` or a ``UNION`` branch sees the bound value
    too. ``MINUS`` groups, ``VALUES`` data blocks and ``CONSTRUCT`` templates are
    left alone.
    """
    toks = [t for t in tokens(text) if t[0] not in ("space", "comment")]
    names = {v.lstrip("?$") for v in variables}
    form_seen: str | None = None
    where_seen = False
    stack: list[dict] = []
    chosen: list[int] = []
    outer: int | None = None
    for i, (kind, value, offset) in enumerate(toks):
        upper = value.upper() if kind == "word" else ""
        if upper in _FORMS and form_seen is None:
            form_seen = upper
        elif upper == "WHERE" and not stack:
            where_seen = True
        if kind == "punct" and value == "{":
            role = _brace_role(toks, i, form_seen, where_seen, not stack)
            stack.append({"offset": offset, "role": role, "uses": False})
            if role == "group" and outer is None and not any(g["role"] == "template" for g in stack[:-1]):
                outer = offset
        elif kind == "punct" and value == "}" and stack:
            group = stack.pop()
            if group["role"] == "group" and group["uses"]:
                chosen.append(group["offset"])
            if stack and group["uses"]:
                stack[-1]["uses"] = True
        elif kind == "var" and value[1:] in names and stack:
            stack[-1]["uses"] = True
    if outer is None:
        raise QueryError("cannot bind parameters remotely: the query has no WHERE group")
    if form_seen == "CONSTRUCT" and _construct_short_form(toks):
        raise QueryError("parameters cannot be bound in the short form CONSTRUCT WHERE { … }; "
                         "write CONSTRUCT { template } WHERE { … }")
    offsets = sorted(set(chosen) | {outer}, reverse=True)
    for at in offsets:
        text = text[:at + 1] + " " + values + "\n" + text[at + 1:]
    return text


def _construct_short_form(toks: list[tuple[str, str, int]]) -> bool:
    for i, (kind, value, _) in enumerate(toks):
        if kind == "word" and value.upper() == "CONSTRUCT":
            nxt = toks[i + 1] if i + 1 < len(toks) else ("", "", 0)
            return nxt[0] == "word" and nxt[1].upper() == "WHERE"
    return False


def _brace_role(toks: list[tuple[str, str, int]], i: int, form: str | None, where_seen: bool, top: bool) -> str:
    """What the ``{`` at ``toks[i]`` opens: "group", "data" (VALUES), "minus", "subselect" or "template"."""
    prev = toks[i - 1] if i else ("", "", 0)
    nxt = toks[i + 1] if i + 1 < len(toks) else ("", "", 0)
    if prev[0] == "word" and prev[1].upper() == "MINUS":
        return "minus"
    if nxt[0] == "word" and nxt[1].upper() == "SELECT":
        return "subselect"  # a sub-SELECT must be alone in its braces; its own WHERE group is bound
    if top and form == "CONSTRUCT" and not where_seen and prev[0] == "word" and prev[1].upper() == "CONSTRUCT":
        return "template"
    if prev[0] == "var" and i >= 2 and toks[i - 2][0] == "word" and toks[i - 2][1].upper() == "VALUES":
        return "data"
    if prev[0] == "punct" and prev[1] == ")":
        depth = 0
        for j in range(i - 1, -1, -1):
            if toks[j][1] == ")":
                depth += 1
            elif toks[j][1] == "(":
                depth -= 1
                if depth == 0:
                    before = toks[j - 1] if j else ("", "", 0)
                    if before[0] == "word" and before[1].upper() == "VALUES":
                        return "data"
                    break
    return "group"
