"""The query catalogue as a table and as the generated page ``docs/queries.md``.

The page is generated from the ``#+`` headers of ``queries/*.rq`` and checked
fresh by ``tests/test_query_cli.py``. Regenerate it with::

    netgraph queries --format markdown > docs/queries.md
"""

from __future__ import annotations

from collections.abc import Mapping

from .catalogue import CannedQuery, Param
from .results import QueryResult
from .terms import Literal

__all__ = ["DOCS_PAGE", "param_signature", "catalogue_result", "render_markdown", "query_body"]

#: Where the generated page lives, relative to the project root.
DOCS_PAGE = "docs/queries.md"


def param_signature(p: Param) -> str:
    """``name:type=default`` (``name:type`` when required, ``[name:type]`` when optional without default)."""
    if p.required:
        return f"{p.name}:{p.type}"
    if p.default is None:
        return f"[{p.name}:{p.type}]"
    return f"{p.name}:{p.type}={_text(p.default)}"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def catalogue_result(catalogue: Mapping[str, CannedQuery]) -> QueryResult:
    """The catalogue as rows (name, parameters, summary), for `netgraph queries`."""
    rows = [[Literal(q.name), Literal(" ".join(param_signature(p) for p in q.params)), Literal(q.summary)]
            for q in sorted(catalogue.values(), key=lambda q: q.name)]
    return QueryResult.from_terms(["name", "parameters", "summary"], rows, query="queries")


def query_body(q: CannedQuery) -> str:
    """The SPARQL text without the ``#+`` header (what a user would paste into an endpoint, less the prolog)."""
    lines = q.text.splitlines()
    i = 0
    while i < len(lines) and (lines[i].startswith("#+") or not lines[i].strip()):
        i += 1
    return "\n".join(lines[i:]).strip() + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown(catalogue: Mapping[str, CannedQuery]) -> str:
    """The catalogue page (deterministic: queries in name order)."""
    queries = sorted(catalogue.values(), key=lambda q: q.name)
    out = [
        "# Query catalogue",
        "",
        "<!-- Generated from the headers of queries/*.rq by "
        "`netgraph queries --format markdown > docs/queries.md`; do not edit. -->",
        "",
        "Each canned query is one `.rq` file under `queries/`. Run one with",
        "`netgraph query NAME --param KEY=VALUE …` (add `--endpoint URL` for a SPARQL",
        "endpoint, `--format csv|tsv|json` for machine formats), or from Python with",
        "`netgraph.open_graph().query(NAME, KEY=VALUE)`. An `entity` parameter takes an IRI,",
        "a CURIE (`netgraph:Insulinoma`, `ORPHA:97253`), an id (`Insulinoma`, `nhs-net`) or a",
        "label or synonym in any language that names exactly one entity; where the type",
        "column names a class, the entity must be that class, a subclass or an instance of",
        "one (otherwise the error says what it is). An empty value (`--param tumour=`) is an",
        "error unless the default is empty too. Parameters are",
        "bound by the backend, never pasted into the query text; the `PREFIX` prolog is",
        "generated from `netgraph/prefixes.tsv`.",
        "",
        "| query | parameters | summary |",
        "|---|---|---|",
    ]
    for q in queries:
        params = ", ".join(f"`{param_signature(p)}`" for p in q.params) or "none"
        out.append(f"| [`{q.name}`](#{q.name}) | {params} | {_cell(q.summary)} |")
    for q in queries:
        out += ["", f"## {q.name}", "", f"**{_cell(q.summary)}**", "", " ".join(q.description.split()), ""]
        if q.params:
            out += ["| parameter | type | default | description |", "|---|---|---|---|"]
            for p in q.params:
                default = "*(required)*" if p.required else ("*(none: any)*" if p.default is None else f"`{_text(p.default)}`")
                ptype = p.type + (f" ({' or '.join(f'`{c}`' for c in p.classes)})" if p.classes else "")
                out.append(f"| `{p.name}` | {ptype} | {default} | {_cell(p.description)} |")
            out.append("")
        if q.example:
            out += ["```sh", q.example, "```", ""]
        out += [f"Columns: {', '.join(f'`{c}`' for c in _columns(q))}.", "",
                "```sparql", query_body(q).rstrip(), "```"]
    return "\n".join(out) + "\n"


def _columns(q: CannedQuery) -> list[str]:
    from .sparqltext import prepare

    projection = prepare(q.text).projection or ()
    return [c for c in projection if not c.startswith("_")]


