"""`netgraph queries`, `query`, `sparql` and `coverage`; the catalogue's own rules; docs/queries.md is fresh."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from netgraph.catalogue import load_catalogue
from netgraph.catalogue_docs import DOCS_PAGE, render_markdown
from netgraph.cli import main
from netgraph.cli.coverage_cmd import COVERAGE_COLUMNS
from netgraph.prefixes import expand, prefix_map
from netgraph.sparqltext import prepare, tokens

from conftest import free_port


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


# -- netgraph queries -------------------------------------------------------------------------


def test_queries_lists_name_parameters_summary(paths):
    r = run("queries")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output), delimiter="\t"))  # not a terminal: TSV
    assert {row["name"] for row in rows} == set(load_catalogue(paths.root))
    hormone = next(row for row in rows if row["name"] == "tumours-secreting-hormone")
    assert hormone["parameters"] == "hormone:entity=netgraph:Insulin subtypes:boolean=false"
    assert hormone["summary"].startswith("Tumours that may secrete")
    assert json.loads(run("queries", "--format", "json").output)[0].keys() == {"name", "parameters", "summary"}


# -- netgraph query ----------------------------------------------------------------------------


def test_query_on_a_pipe_prints_tsv():
    r = run("query", "tumours-secreting-hormone", "--param", "hormone=insulin")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split("\t")[:3] == ["tumour", "tumourLabel", "statedFor"]
    assert any(line.startswith("netgraph:Insulinoma\tinsulinoma\t") for line in lines[1:])


def test_query_formats():
    args = ("query", "crosswalk", "-p", "entity=insulinoma")
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").output)))
    assert {"code": "ORPHA:97279", "mapping": "skos:closeMatch"}.items() <= \
        next(r for r in rows if r["code"] == "ORPHA:97279").items()
    data = json.loads(run(*args, "--format", "json").output)
    assert data == rows
    table = run(*args, "--format", "table").output
    assert table.splitlines()[1].startswith("----") and re.search(r"\(\d+ rows\)\s*$", table)
    full = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv", "--iris").output)))
    assert expand("ORPHA:97279") in {r["code"] for r in full}


@pytest.mark.parametrize("args, message", [
    (("query", "no-such-query"), "no canned query named 'no-such-query'"),
    (("query", "search", "--param", "text"), "expected KEY=VALUE"),
    (("query", "search", "--param", "txt=insulin"), "has no parameter 'txt'"),
    (("query", "entity", "--param", "entity=gut"), "names 2 entities"),
    (("query", "entity", "--param", "entity=<http://example.org/a b>"), "contains a space"),
    (("query", "entities-by-code", "--param", "code=ORPHA:1} ; DROP ALL"), "not a valid ORPHA identifier"),
    (("query", "tumour-diagnostics", "-p", "tumour=insulinoma", "-p", "inherited=maybe"), "not a boolean"),
])
def test_bad_input_exits_2_with_a_clear_message(args, message):
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert "Traceback" not in r.output


def test_query_against_an_endpoint_matches_the_embedded_store(oxigraph_server):
    args = ("query", "syndromes-predisposing-to-tumour", "-p", "tumour=insulinoma", "-p", "inherited=true", "--format", "csv")
    embedded = run(*args)
    remote = run(*args, "--endpoint", oxigraph_server.query_url)
    assert remote.exit_code == 0, remote.output
    assert remote.output == embedded.output and "MultipleEndocrineNeoplasiaType1" in remote.output


def test_an_unreachable_endpoint_exits_2():
    r = CliRunner().invoke(main, ["query", "sources", "--endpoint", f"http://127.0.0.1:{free_port()}/query",
                                  "--retries", "0"])
    assert r.exit_code == 2 and "cannot connect" in r.output


# -- netgraph sparql ---------------------------------------------------------------------------


def test_sparql_from_a_file_and_from_stdin(tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("SELECT ?label WHERE { netgraph:Insulinoma rdfs:label ?label } ORDER BY ?label\n", encoding="utf-8")
    r = run("sparql", str(q), "--format", "csv")
    assert r.exit_code == 0, r.output
    assert r.output == "label\ninsulinoma\n"
    r = run("sparql", "-", "--format", "csv", "-p", "t=netgraph:Pancreas",
            input="SELECT ?_t ?label WHERE { ?_t rdfs:label ?label } ORDER BY ?label")
    assert r.output == "label\nalvleesklier\npancreas\n"


@pytest.mark.parametrize("text, message", [
    ("SELECT ?x WHERE { ?x", "syntax error"),
    ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "netgraph only runs queries"),
    ("   ", "the query is empty"),
])
def test_sparql_errors_exit_2(text, message):
    r = CliRunner().invoke(main, ["sparql", "-"], input=text)
    assert r.exit_code == 2 and message in r.output, r.output


def test_sparql_missing_file_exits_2(tmp_path):
    r = CliRunner().invoke(main, ["sparql", str(tmp_path / "nope.rq")])
    assert r.exit_code == 2 and "no such file" in r.output


# -- netgraph coverage -------------------------------------------------------------------------


def test_coverage_of_one_source_as_tsv():
    r = run("coverage", "--source", "nhs-net", "--format", "tsv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output), delimiter="\t"))
    assert tuple(rows[0]) == COVERAGE_COLUMNS
    assert {row["source"] for row in rows} == {"ngsrc:nhs-net"}
    assert {"subject": "netgraph:MultipleEndocrineNeoplasiaType1", "kind": "predisposes to",
            "object": "netgraph:PancreaticNeuroendocrineNeoplasm"}.items() <= \
        next(row for row in rows if row["object"] == "netgraph:PancreaticNeuroendocrineNeoplasm"
             and row["kind"] == "predisposes to").items()
    assert all(row["quote"] for row in rows)


def test_coverage_reads_per_source_on_a_terminal():
    r = run("coverage", "--format", "table")
    assert r.exit_code == 0, r.output
    headings = [line for line in r.output.splitlines() if re.match(r"^ngsrc:\S+  .*\(\d+ statements?\)$", line)]
    assert any(h.startswith("ngsrc:nhs-net  NHS: Neuroendocrine tumours") for h in headings)
    assert any(h.startswith("ngsrc:kankernl-net-2020") for h in headings)
    assert "\u201c" in r.output  # quotes are printed under each statement
    bad = CliRunner().invoke(main, ["coverage", "--source", "no-such-source"])
    assert bad.exit_code == 2 and "no entity" in bad.output
    not_a_source = CliRunner().invoke(main, ["coverage", "--source", "insulinoma"])
    assert not_a_source.exit_code == 2 and "is not a netgraph:Source" in not_a_source.output


# -- the catalogue's rules, and its generated page ----------------------------------------------


def _significant(text):
    return [(k, v) for k, v, _ in tokens(text) if k not in ("space", "comment")]


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_canned_query_rules(name):
    q = load_catalogue()[name]
    prepared = prepare(q.text, strict=True)  # no PREFIX of its own that differs from the map
    toks = _significant(q.text)
    words = [v.upper() for k, v in toks if k == "word"]
    assert prepared.form == "SELECT"
    assert "ORDER" in words, "every canned query has ORDER BY (deterministic row order)"
    declared = [toks[i + 1][1] for i, (k, v) in enumerate(toks) if k == "word" and v.upper() == "PREFIX"]
    assert all(prefix_map().get(p.rstrip(":")) for p in declared)
    for p in q.params:  # bound by substitution: in the projection, never inside BOUND() or MINUS
        assert f"_{p.name}" in prepared.projection, f"?_{p.name} must be in the SELECT clause"
        assert not re.search(rf"BOUND\s*\(\s*\?_{p.name}\b", q.text, re.I)
    assert "MINUS" not in words
    assert q.example.startswith(f"netgraph query {name}")
    assert all(p.description for p in q.params)


def test_docs_page_is_fresh(paths):
    page = paths.root / DOCS_PAGE
    expected = render_markdown(load_catalogue(paths.root))
    assert page.is_file(), f"{DOCS_PAGE} is missing; run `netgraph queries --format markdown > {DOCS_PAGE}`"
    assert page.read_text(encoding="utf-8") == expected, \
        f"{DOCS_PAGE} is stale; run `netgraph queries --format markdown > {DOCS_PAGE}`"
    assert run("queries", "--format", "markdown").output == expected


def test_cold_cli_query_does_not_import_rdflib():
    code = ("import sys\nfrom netgraph.cli import main\n"
            "try:\n    main(['query', 'search', '-p', 'text=insulin', '--format', 'csv'])\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print([m for m in sys.modules if m.split('.')[0] in ('rdflib', 'SPARQLWrapper', 'pandas')], file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "netgraph:Insulin" in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "[]"


def test_show_query_prints_the_bound_text_without_running_it(oxigraph_server, paths):
    """`--show-query` prints the exact text the remote backend sends: the query with a VALUES block, no rows."""
    from netgraph.api import open_graph

    args = ("query", "tumour-diagnostics", "-p", "tumour=insulinoma", "-p", "inherited=true", "--show-query")
    r = run(*args, "--endpoint", oxigraph_server.query_url)
    assert r.exit_code == 0, r.output
    text = r.output
    assert "VALUES (?_tumour ?_inherited) { (<https://w3id.org/netgraph/Insulinoma> " \
           '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>) }' in text
    assert text.lstrip().startswith("PREFIX") and "netgraph:Biopsy" not in text  # the query, not its rows
    assert run(*args).output == text  # the same text without an endpoint (labels resolved in the embedded store)
    # and it is the text that runs: sent as is, it gives the rows `netgraph query` gives
    kg = open_graph(endpoint=oxigraph_server.query_url, root=paths.root)
    assert kg.sparql(text).keys() == kg.query("tumour-diagnostics", tumour="insulinoma", inherited=True).keys()
