"""The query depth/size guard (netgraph.querylimits) and `netgraph sparql` on queries that would crash the engine."""

from __future__ import annotations

import subprocess
import sys

import pytest

from netgraph.errors import QueryError
from netgraph.querylimits import MAX_DEPTH, MAX_WEIGHT, check_query_limits, query_shape
from netgraph.sparqltext import uses_federation

#: query shapes that crash Oxigraph at some size (issue 12, item 1): name -> text of n levels or terms
SHAPES = {
    "nested groups": lambda n: "SELECT * WHERE " + "{" * n + " ?s ?p ?o " + "}" * n,
    "nested parentheses": lambda n: "SELECT * WHERE { FILTER(" + "(" * n + "1" + ")" * n + ") }",
    "a run of !": lambda n: "SELECT * WHERE { FILTER(" + "!" * n + "true) }",
    "nested OPTIONAL": lambda n: "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * n + "}" * n + "}",
    "nested sub-SELECT": lambda n: "SELECT * WHERE " + "{ SELECT * WHERE " * n + "{ ?s ?p ?o }" + "}" * n,
    "flat 1+1+...": lambda n: "SELECT * WHERE { FILTER(1" + "+1" * n + " > 0) }",
    "flat UNION": lambda n: "SELECT * WHERE { {?s ?p ?o}" + " UNION {?s ?p ?o}" * n + " }",
    "flat join": lambda n: "SELECT * WHERE {" + " ?s ?p ?o ." * n + " }",
    "path sequence": lambda n: "SELECT * WHERE { ?s <p>" + "/<p>" * n + " ?o }",
    "nested function calls": lambda n: "SELECT * WHERE { BIND(" + "STR(" * n + "1" + ")" * n + " AS ?x) }",
    # brackets hidden from a lexer that ends a prefixed name at the escaped quote
    "after a PN_LOCAL escape": lambda n: "PREFIX : <http://e/> SELECT * WHERE { BIND(:x\\' AS ?d) "
                                         + "{" * n + "}" * n + " BIND(<http://e/'> AS ?d2) }",
    # an IRI-like <…> that the engine may read as a '<' comparison
    "inside <...>": lambda n: "SELECT * WHERE { FILTER(?a<" + "(" * n + "1" + ")" * n + ">?b) }",
    "chain inside <...>": lambda n: "SELECT * WHERE { FILTER(?a<1" + "+1" * n + ">?b) }",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_crashing_shape_is_refused_at_crash_size_and_small_ones_pass(shape):
    make = SHAPES[shape]
    check_query_limits(make(10))
    with pytest.raises(QueryError, match=r"nests \d+ levels deep|too long in one place"):
        check_query_limits(make(10_000))  # each shape crashed Oxigraph at this size or below


def test_the_limits_are_far_above_the_canned_queries(root):
    texts = [p.read_text(encoding="utf-8") for p in (root / "queries").rglob("*.rq")]
    assert texts
    depth, weight = max(query_shape(t) for t in texts)
    assert depth * 4 <= MAX_DEPTH and weight * 4 <= MAX_WEIGHT


def test_strings_and_comments_do_not_count():
    deep = "(" * 500
    check_query_limits(f'SELECT * WHERE {{ BIND("{deep}" AS ?x) }} # {deep}')
    check_query_limits(f"SELECT * WHERE {{ BIND('''{deep}''' AS ?x) }}")


def test_a_comment_ended_by_cr_still_ends():
    """Oxigraph ends a comment at CR as well as LF: what follows is code, and is counted."""
    with pytest.raises(QueryError):
        check_query_limits("SELECT * WHERE { # c\r" + "{" * 100 + "}" * 100 + " }")


@pytest.mark.parametrize("text", [
    "PREFIX : <http://e/> SELECT * WHERE { BIND(:x\\' AS ?d) SERVICE <http://h/> { ?s ?p ?o } BIND(<http://e/'> AS ?d2) }",
    "SELECT * WHERE { # a comment ended by CR\r SERVICE <http://h/> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://e/\\u0041'> AS ?x) SERVICE <http://h/> { ?s ?p ?o } BIND('x' AS ?y) }",
])
def test_service_hidden_by_escapes_is_seen(text):
    assert uses_federation(text)


def test_cli_sparql_on_3000_nested_groups_exits_2_with_a_message(tmp_path):
    """Issue 12 item 9: the embedded store segfaulted (exit 139, no message)."""
    q = tmp_path / "deep.rq"
    q.write_text(SHAPES["nested groups"](3000), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "netgraph", "sparql", str(q)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 2, (r.returncode, r.stderr[-500:])
    assert "nests 3000 levels deep" in r.stderr
    assert "Traceback" not in r.stderr
