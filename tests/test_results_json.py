"""`--format sparql-json`: SPARQL 1.1 Query Results JSON that standard parsers read (issue 13 item 7)."""

from __future__ import annotations

import io
import json

import rdflib
from click.testing import CliRunner
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser

from netgraph.cli import main
from netgraph.prefixes import expand

QUERY = """PREFIX netgraph: <https://w3id.org/netgraph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?class ?label ?value ?restriction ?missing WHERE {
  { ?class rdfs:label ?label . FILTER(?class = netgraph:FunctionalNeuroendocrineNeoplasm) }
  UNION { ?s netgraph:value ?value . FILTER(?value = 33) }
  UNION { SELECT ?restriction WHERE { ?restriction a owl:Restriction } ORDER BY ?restriction LIMIT 1 }
  OPTIONAL { ?class netgraph:noSuchProperty ?missing }
}"""


def _run(*args, stdin=None) -> str:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_sparql_json_keeps_term_kinds_language_tags_and_datatypes():
    text = _run("sparql", "-", "--format", "sparql-json", stdin=QUERY)
    doc = json.loads(text)
    assert doc["head"]["vars"] == ["class", "label", "value", "restriction", "missing"]
    parsed = JSONResultParser().parse(io.StringIO(text))  # rdflib's SPARQL JSON results parser
    rows = [dict(b) for b in parsed.bindings]
    names = {str(k): v for row in rows for k, v in row.items()}
    assert all(rdflib.Variable("missing") not in row for row in rows)  # unbound stays unbound
    labels = {(str(v), v.language) for row in rows for k, v in row.items() if str(k) == "label"}
    assert labels == {("functional neuroendocrine neoplasm", "en"), ("functionele neuro-endocriene tumor", "nl")}
    cls = names["class"]
    assert isinstance(cls, rdflib.URIRef) and str(cls) == expand("netgraph:FunctionalNeuroendocrineNeoplasm")
    value = names["value"]
    assert isinstance(value, rdflib.Literal) and value.datatype == rdflib.XSD.decimal and value.toPython() == 33
    assert isinstance(names["restriction"], rdflib.BNode)
    literal_iri = [c for row in doc["results"]["bindings"] for c in row.values() if c["type"] == "literal"]
    assert all("xml:lang" in c or "datatype" in c for c in literal_iri if c["value"] != "")


def test_a_canned_query_and_ask_in_sparql_json():
    text = _run("query", "tumours-secreting-hormone", "-p", "hormone=serotonin", "-p", "subtypes=false",
                "--format", "sparql-json")
    parsed = JSONResultParser().parse(io.StringIO(text))
    tsv = _run("query", "tumours-secreting-hormone", "-p", "hormone=serotonin", "-p", "subtypes=false",
               "--format", "tsv", "--iris")
    assert len(parsed.bindings) == len(tsv.splitlines()) - 1 > 0
    first = dict(parsed.bindings[0])
    assert isinstance(first[rdflib.Variable("tumour")], rdflib.URIRef)
    assert isinstance(first[rdflib.Variable("quote")], rdflib.Literal)
    ask = _run("sparql", "-", "--format", "sparql-json",
               stdin="ASK { <https://w3id.org/netgraph/Insulinoma> ?p ?o }")
    assert json.loads(ask) == {"head": {}, "boolean": True}
    assert JSONResultParser().parse(io.StringIO(ask)).askAnswer is True
