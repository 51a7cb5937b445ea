"""A parameter value can never change a query's structure, on any backend.

Each hostile value is either matched literally (it arrives in the query as the
exact string given) or rejected with a clear ParameterError, on the embedded
store, an rdflib Dataset and a real Oxigraph server over HTTP; the graph holds
as many quads afterwards as before (``quads_before`` counts them first).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from netgraph.errors import ParameterError
from netgraph.params import sparql_term, values_clause
from netgraph.sparqltext import insert_values, prepare
from netgraph.terms import IRI, Literal

from test_queries import BACKENDS, graphs  # the per-backend graphs fixture

HOSTILE_TEXT = [
    '"', "'", '"""', "'''", "\\", '\\"', "\\\\",
    '"} ; DROP ALL ; {"',
    "} ; DROP ALL",
    'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER("',
    "\\u0022} ; DROP ALL #",
    "\\U00000022) } INSERT DATA { <http://e/a> <http://e/b> <http://e/c> } #",
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "line one\nline two } ;\n DROP ALL",
    "carriage\rreturn\ttab",
    "# a comment } ",
    "?s ?p ?o",
    "<http://example.org/x>",
    "$_text ?_text",
    "{{}}",
    "') || true || ('",
    "ünïcödé — ✓ 神经内分泌",
]

BAD_IRIS = [
    "http://example.org/a b",
    "<http://example.org/a>b>",
    "http://example.org/a>} ; DROP ALL ; <http://x",
    'http://example.org/"q"',
    "http://example.org/{a}",
    "http://example.org/a|b",
    "http://example.org/a^b",
    "http://example.org/`a`",
    "http://example.org/a\\b",
    "http://example.org/a\nb",
    "<http://example.org/a b>",
]

ECHO = """#+ summary: echo a bound string
#+ description: returns the bound value, to show that it arrives literally
#+ params:
#+   x:
#+     type: string
#+     description: any text
SELECT ?_x (STR(?_x) AS ?echo) (STRLEN(?_x) AS ?length) WHERE {}
"""

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(params=BACKENDS)
def kg(request, graphs):
    return graphs(request.param)


@pytest.fixture(scope="module")
def quads_before(graphs):
    """How many quads each backend holds before the hostile queries (compared by the last test)."""
    return {name: int(graphs(name).sparql(COUNT)[0]["n"]) for name in BACKENDS}


@pytest.mark.usefixtures("quads_before")
def test_strings_arrive_literally(kg):
    for value in HOSTILE_TEXT:
        r = kg.sparql(ECHO, x=value)
        assert len(r) == 1, value
        assert str(r[0]["echo"]) == value, f"{value!r} did not arrive literally on {kg.backend.name}"
        assert int(r[0]["length"]) == len(value)


@pytest.mark.usefixtures("quads_before")
def test_canned_string_parameter_is_matched_literally(kg):
    for value in ['"} ; DROP ALL ; {"', "\\u0022) #", "insulin\n} ;", "bourneville's"]:
        r = kg.query("search", text=value)
        assert all(value.casefold() in str(row["match"]).casefold() for row in r), value
    # a quote inside a real synonym is matched, not treated as syntax
    r = kg.query("search", text="BOURNEVILLE'S")
    assert "netgraph:TuberousSclerosis" in {str(e) for e in r.column("entity")}


@pytest.mark.usefixtures("quads_before")
def test_hostile_entity_values_are_rejected_clearly(kg):
    for value in HOSTILE_TEXT:
        if not value.strip():
            continue
        with pytest.raises(ParameterError) as err:
            kg.query("entity", entity=value)
        assert "entity" in str(err.value)


@pytest.mark.usefixtures("quads_before")
def test_bad_iris_are_rejected(kg):
    for value in BAD_IRIS:
        for name, params in (("entities-by-code", {"code": value}), ("entity", {"entity": value})):
            with pytest.raises(ParameterError) as err:
                kg.query(name, params)
            message = str(err.value)
            assert "IRI" in message or "CURIE" in message or "identifier" in message, message


def test_curie_with_structure_in_its_local_part_is_rejected(kg):
    with pytest.raises(ParameterError, match="not a valid ORPHA identifier"):
        kg.query("entities-by-code", code="ORPHA:1> } ; DROP ALL ; <x")
    with pytest.raises(ParameterError, match="space"):
        kg.query("entities-by-code", code="netgraph:a b")


def test_typed_values_are_checked(kg):
    with pytest.raises(ParameterError, match="not a boolean"):
        kg.query("tumour-hormones-symptoms", tumour="insulinoma", inherited="true } ; DROP ALL")
    with pytest.raises(ParameterError, match="language tag"):
        kg.query("search", text="x", language='en" } ; DROP ALL')
    with pytest.raises(ParameterError, match="control character"):
        kg.query("search", text="a\x00b")
    with pytest.raises(ParameterError, match="no parameter"):
        kg.query("search", **{"text } DROP ALL": "x"})


def test_the_graph_is_unchanged(kg, quads_before):
    assert int(kg.sparql(COUNT)[0]["n"]) == quads_before[kg.backend.name]


# -- the escaping itself, checked against Oxigraph's own parser ------------------------------


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_escaped_literal_parses_back_to_the_same_value(value):
    term = sparql_term(Literal(value))
    assert "\n" not in term and "\r" not in term
    r = ox.Store().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {term} }} }}")
    assert [s["v"].value for s in r] == [value]


@pytest.mark.parametrize("value", BAD_IRIS)
def test_sparql_term_refuses_bad_iris(value):
    with pytest.raises(ParameterError):
        sparql_term(IRI(value.strip("<>")))


def test_values_block_goes_inside_the_where_group():
    q = prepare("SELECT ?_x ?s WHERE { ?s ?p ?_x FILTER(?_x != 1) } ORDER BY ?s")
    text = insert_values(q.text, values_clause({"_x": Literal('} ; DROP ALL ; {"')}))
    assert 'WHERE { VALUES (?_x) { ("} ; DROP ALL ; {\\"") }' in text
    assert text.endswith("FILTER(?_x != 1) } ORDER BY ?s")
    with pytest.raises(ParameterError):
        values_clause({"x } DROP ALL": Literal("v")})


# -- issue 12 item 15: a term a caller builds is checked the same way on every backend -----------


@pytest.mark.parametrize("tag", ["en\n", "e n", "1234567890", "en-", "en\n-GB", ""])
def test_a_literal_with_a_bad_language_tag_is_a_parameter_error_on_every_backend(kg, tag):
    """rdflib raised a raw ValueError, and accepted 'en\\n' ('$' matches before a final newline)."""
    if tag == "":
        return  # an empty tag is a plain literal (Literal normalises it away)
    with pytest.raises(ParameterError, match="language tag"):
        kg.sparql("SELECT ?_x WHERE {}", x=Literal("a", language=tag))


def test_a_good_language_tag_binds_on_every_backend(kg):
    r = kg.sparql("SELECT ?_x (LANG(?_x) AS ?l) WHERE {}", x=Literal("a", language="en-GB"))
    assert str(r[0]["l"]).lower() == "en-gb"


@pytest.mark.parametrize("value", ["en\n", "nl\n"])
def test_trailing_newline_fails_every_anchored_check(value):
    """No regex of netgraph accepts a value with a trailing newline ('$' vs '\\Z')."""
    from netgraph.build import DATE_RE, ID_RE, LANG_RE, SOURCE_ID_RE
    from netgraph.params import check_language
    from netgraph.turtle import _PN_LOCAL

    with pytest.raises(ParameterError):
        check_language(value)
    assert not LANG_RE.match(value)
    assert not SOURCE_ID_RE.match("nhs-net\n") and not ID_RE.match("Insulinoma\n")
    assert not DATE_RE.match("2024-01-01\n") and not _PN_LOCAL.match("abc\n")
    with pytest.raises(ParameterError):
        sparql_term(Literal("a", language=value))


# -- issue 12 item 11: empty values and entities of the wrong type ---------------------------------------


def test_an_empty_value_is_an_error_not_the_default(kg):
    """`--param tumour=` ran with the default tumour; it must say the value is empty."""
    for name, param in (("tumour-hormones-symptoms", "tumour"), ("tumours-secreting-hormone", "hormone"),
                        ("tumour-hormones-symptoms", "inherited"), ("entities-by-code", "code")):
        for blank in ("", "  "):
            with pytest.raises(ParameterError, match=f"parameter '{param}' .*is empty"):
                kg.query(name, **{param: blank})


def test_an_empty_value_of_a_parameter_whose_default_is_all_means_all(kg):
    assert len(kg.query("crosswalk", entity="")) == len(kg.query("crosswalk"))


@pytest.mark.parametrize("query, param, value, expected", [
    ("tumours-secreting-hormone", "hormone", "gastrinoma", "netgraph:SecretedSubstance"),
    ("tumours-secreting-hormone", "hormone", "pancreas", "netgraph:SecretedSubstance"),
    ("symptoms-by-site", "site", "insulinoma", "netgraph:AnatomicalSite"),
    ("tumour-hormones-symptoms", "tumour", "insulin", "netgraph:Condition"),
    ("tumours-predisposed-by-syndrome", "syndrome", "insulinoma", "netgraph:HereditarySyndrome"),
    ("statements-by-source", "source", "insulinoma", "netgraph:Source"),
])
def test_an_entity_of_the_wrong_type_is_named(kg, query, param, value, expected):
    """`hormone=gastrinoma` returned 0 rows and exit 0; it must say gastrinoma is not a hormone."""
    with pytest.raises(ParameterError) as err:
        kg.query(query, **{param: value})
    message = str(err.value)
    assert f"parameter '{param}'" in message and f"is not a {expected}" in message and "it is" in message


@pytest.mark.parametrize("query, params", [
    ("tumours-secreting-hormone", {"hormone": "insulin"}),
    ("tumours-secreting-hormone", {"hormone": "netgraph:Hormone"}),  # the class itself
    ("symptoms-by-site", {"site": "pancreas"}),
    ("tumours-predisposed-by-syndrome", {"syndrome": "MEN1"}),
    ("tumour-hormones-symptoms", {"tumour": "insulinoma"}),
    ("statements-by-source", {"source": "nhs-net"}),
])
def test_an_entity_of_the_right_type_is_accepted(kg, query, params):
    kg.query(query, params)


def test_the_command_line_says_empty_and_wrong_type_with_exit_2():
    from click.testing import CliRunner

    from netgraph.cli import main

    runner = CliRunner()
    empty = runner.invoke(main, ["query", "tumour-hormones-symptoms", "--param", "tumour="])
    assert empty.exit_code == 2 and "is empty" in empty.stderr
    wrong = runner.invoke(main, ["query", "tumours-secreting-hormone", "--param", "hormone=gastrinoma"])
    assert wrong.exit_code == 2 and "is not a netgraph:SecretedSubstance" in wrong.stderr


def test_a_variable_name_takes_exactly_the_characters_it_did():
    """Regression guard for the cheaper spelling of the tokenizer's variable class (ASCII letters, digits,
    '_', U+00B7 and U+00C0 to U+FFFF; nothing above U+FFFF), which cost ~5 ms of every cold start as a range."""
    from netgraph.sparqltext import tokens

    def variables(text: str) -> list[str]:
        return [tok for kind, tok, _ in tokens(text) if kind == "var"]

    assert variables("?a_1·b $é ?\uffff") == ["?a_1·b", "$é", "?\uffff"]
    assert variables("?x\u00bfy ?a\U0001f642b ?-") == ["?x", "?a"]
