"""Every canned query, with its expected answer, on every backend.

One suite, parametrised over the three backends: the embedded Oxigraph store,
an rdflib Dataset, and a real Oxigraph server on 127.0.0.1 queried over HTTP
(the ``oxigraph_server`` fixture). The expected answers are facts of the
curated graph; the last tests check that each canned query returns exactly the
same rows, in the same order, on every backend.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from netgraph.api import KnowledgeGraph, open_graph
from netgraph.prefixes import expand
from netgraph.results import QueryResult

BACKENDS = ("embedded", "rdflib", "remote")


@pytest.fixture(scope="session")
def graphs(request, paths) -> dict[str, KnowledgeGraph]:
    """One KnowledgeGraph per backend, created on first use."""
    cache: dict[str, KnowledgeGraph] = {}

    def get(name: str) -> KnowledgeGraph:
        if name not in cache:
            if name == "embedded":
                cache[name] = open_graph(request.getfixturevalue("store"), root=paths.root)
            elif name == "rdflib":
                cache[name] = open_graph(request.getfixturevalue("dataset"), root=paths.root)
            else:
                server = request.getfixturevalue("oxigraph_server")
                cache[name] = open_graph(endpoint=server.query_url, root=paths.root, timeout=60)
        return cache[name]

    return get  # type: ignore[return-value]


@pytest.fixture(params=BACKENDS)
def kg(request, graphs) -> KnowledgeGraph:
    return graphs(request.param)


def values(result: QueryResult, *columns: str) -> set[tuple[str | None, ...]]:
    """The distinct tuples of these columns, as text."""
    return {tuple(None if r[c] is None else str(r[c]) for c in columns) for r in result}


# -- expected answers, one function per canned query ---------------------------------------


def check_tumours_secreting_hormone(kg: KnowledgeGraph) -> None:
    r = kg.query("tumours-secreting-hormone", hormone="insulin")
    rows = values(r, "tumour", "substance", "basis", "source")
    assert ("netgraph:Insulinoma", "netgraph:Insulin", "class axiom", None) in rows
    assert ("netgraph:Insulinoma", "netgraph:Insulin", "cited statement", "ngsrc:mondo-2026-05-05") in rows
    cited = [row for row in r if row["basis"] == "cited statement"]
    assert cited and all(row["quote"] for row in cited)
    # by default a cited (hedged) statement is listed only for the class it was made on ...
    assert all(row["tumour"] == row["statedFor"] for row in cited)
    # ... while a class axiom (universal) passes down to every subclass
    axioms = kg.query("tumours-secreting-hormone", hormone="catecholamine")
    for row in axioms:
        if row["basis"] == "class axiom" and row["tumour"] != row["statedFor"]:
            assert kg.query("subclasses", **{"class": row["statedFor"]}).column("subclass").count(row["tumour"])
    assert all(row["tumour"] == row["statedFor"] for row in axioms if row["basis"] == "cited statement")
    # subtypes=true widens cited statements to the subclasses, naming the class each was stated on
    wide = kg.query("tumours-secreting-hormone", hormone="catecholamine", subtypes=True)
    assert values(axioms, "tumour", "statedFor", "basis", "statement") < values(wide, "tumour", "statedFor", "basis", "statement")
    assert ("netgraph:Pheochromocytoma", "netgraph:Paraganglioma") in values(wide, "tumour", "statedFor")


def hedged_production(kg: KnowledgeGraph, hormone: str) -> set[tuple[str, str]]:
    """(class, statement) of the cited production statements about ``hormone``, read from the graph itself."""
    rows = kg.sparql("""SELECT ?_h ?class ?statement WHERE {
        ?statement a netgraph:ProductionAssociation ; netgraph:subject ?class ; netgraph:object ?_h }""", h=hormone)
    return {(str(r["class"]), str(r["statement"])) for r in rows}


def test_hedged_statements_are_not_inherited_by_default(graphs):
    """Issue 10: "functional NETs may produce gastrin" is not "insulinomas may produce gastrin"."""
    kg = graphs("embedded")
    gastrin = "netgraph:Gastrin"
    stated = hedged_production(kg, gastrin)
    on_functional = {s for c, s in stated if c == "netgraph:FunctionalNeuroendocrineNeoplasm"}
    assert on_functional, "the graph no longer has the general functional-NET gastrin statement this test is about"
    r = kg.query("tumours-secreting-hormone", hormone="gastrin")
    cited = [row for row in r if row["basis"] == "cited statement"]
    # every cited row is the statement's own class, and every statement appears exactly on its class
    assert {(str(row["tumour"]), str(row["statement"])) for row in cited} == stated
    tumours = {str(t) for t in r.column("tumour")}
    assert not tumours & {"netgraph:Insulinoma", "netgraph:Glucagonoma", "netgraph:Vipoma"}
    # widened: the subclasses appear, and statedFor names the functional class the statement was made on
    wide = kg.query("tumours-secreting-hormone", hormone="gastrin", subtypes=True)
    insulinoma = [row for row in wide if str(row["tumour"]) == "netgraph:Insulinoma"]
    assert insulinoma and {str(row["statedFor"]) for row in insulinoma} == {"netgraph:FunctionalNeuroendocrineNeoplasm"}
    assert {str(row["statement"]) for row in insulinoma} == on_functional
    # the other queries that can widen do not by default either
    paths = kg.query("hormone-symptom-paths", tumour="insulinoma", hormone="gastrin")
    assert paths.rows == ()
    widened = kg.query("hormone-symptom-paths", tumour="insulinoma", hormone="gastrin", inherited=True)
    assert widened.rows and {str(s) for s in widened.column("statedFor")} == {"netgraph:FunctionalNeuroendocrineNeoplasm"}
    own = kg.query("tumour-hormones-symptoms", tumour="insulinoma")
    assert "netgraph:Gastrin" not in {str(e) for e in own.column("entity")}


def check_tumour_hormones_symptoms(kg: KnowledgeGraph) -> None:
    own = kg.query("tumour-hormones-symptoms", tumour="insulinoma", inherited=False)
    rows = values(own, "relation", "entity")
    assert ("may produce", "netgraph:Insulin") in rows
    assert ("secretes (by definition)", "netgraph:Insulin") in rows
    assert ("may present with", "netgraph:Hypoglycaemia") in rows
    assert {str(s) for s in own.column("statedFor")} == {"netgraph:Insulinoma"}
    cited = [row for row in own if row["relation"] != "secretes (by definition)"]
    assert cited and all(str(row["statedFor"]) == "netgraph:Insulinoma" for row in cited)
    assert kg.query("tumour-hormones-symptoms", tumour="insulinoma").keys() == own.keys()  # the default
    inherited = kg.query("tumour-hormones-symptoms", tumour="insulinoma", inherited=True)
    assert values(own, "relation", "entity", "statedFor") < values(inherited, "relation", "entity", "statedFor")
    assert "netgraph:NeuroendocrineTumour" in {str(s) for s in inherited.column("statedFor")}
    # each widened row names a parent class of insulinoma
    parents = {str(p) for p in kg.query("path-to-root", **{"class": "insulinoma"}).column("parent")}
    assert {str(s) for s in inherited.column("statedFor")} - {"netgraph:Insulinoma"} <= parents


def check_symptoms_by_site(kg: KnowledgeGraph) -> None:
    r = kg.query("symptoms-by-site", site="pancreas")
    assert ("netgraph:Insulinoma", "netgraph:Hypoglycaemia") in values(r, "tumour", "symptom")
    assert {str(s) for s in r.column("site")} <= {"netgraph:Pancreas", "netgraph:PancreaticIslet"}
    assert all(row["quote"] and row["source"] for row in r)


def check_syndromes_predisposing_to_tumour(kg: KnowledgeGraph) -> None:
    r = kg.query("syndromes-predisposing-to-tumour", tumour="netgraph:PancreaticNeuroendocrineTumour")
    assert ("netgraph:MultipleEndocrineNeoplasiaType1", "same class") in values(r, "syndrome", "relation")
    own = kg.query("syndromes-predisposing-to-tumour", tumour="insulinoma")
    assert {str(x) for x in own.column("relation")} <= {"same class"}  # a hedged statement stays on its class
    r = kg.query("syndromes-predisposing-to-tumour", tumour="insulinoma", inherited=True)
    rows = values(r, "syndrome", "relation", "statedFor")
    assert ("netgraph:MultipleEndocrineNeoplasiaType1", "broader class",
            "netgraph:PancreaticNeuroendocrineTumour") in rows
    assert {row[1] for row in rows} <= {"same class", "broader class"}
    sub = kg.query("syndromes-predisposing-to-tumour", tumour="netgraph:NeuroendocrineNeoplasm", subtypes=True)
    assert "subtype" in {str(x) for x in sub.column("relation")}
    assert {str(x) for x in sub.column("relation")} <= {"same class", "subtype"}


def check_tumours_predisposed_by_syndrome(kg: KnowledgeGraph) -> None:
    r = kg.query("tumours-predisposed-by-syndrome", syndrome="MEN1")
    tumours = {str(t) for t in r.column("tumour")}
    assert {"netgraph:PancreaticNeuroendocrineTumour", "netgraph:ThymicNeuroendocrineNeoplasm"} <= tumours
    assert {str(s) for s in r.column("syndrome")} == {"netgraph:MultipleEndocrineNeoplasiaType1"}
    # MEN2's subtypes only when asked (each row names the subtype); MEN2 predisposes to medullary thyroid carcinoma
    men2 = "netgraph:MultipleEndocrineNeoplasiaType2"
    own = kg.query("tumours-predisposed-by-syndrome", syndrome=men2)
    assert {str(s) for s in own.column("syndrome")} <= {men2}
    r = kg.query("tumours-predisposed-by-syndrome", syndrome=men2, subtypes=True)
    assert "netgraph:MedullaryThyroidCarcinoma" in {str(t) for t in r.column("tumour")}
    assert values(own, "tumour", "syndrome", "statement") <= values(r, "tumour", "syndrome", "statement")


def check_hormone_symptom_paths(kg: KnowledgeGraph) -> None:
    r = kg.query("hormone-symptom-paths", tumour="insulinoma")
    assert ("netgraph:Insulinoma", "netgraph:Insulin", "netgraph:Hypoglycaemia") in values(r, "tumour", "hormone", "symptom")
    assert {str(t) for t in r.column("tumour")} == {"netgraph:Insulinoma"}
    assert all(row["statedFor"] == row["tumour"] for row in r if row["producesBasis"] == "cited statement")
    assert all(row["causesQuote"] for row in r)
    everything = kg.query("hormone-symptom-paths")
    assert values(r, "tumour", "hormone", "symptom") <= values(everything, "tumour", "hormone", "symptom")
    assert ("netgraph:Gastrinoma", "netgraph:Gastrin", "netgraph:ZollingerEllisonSyndrome") in \
        values(everything, "tumour", "hormone", "symptom")
    only = kg.query("hormone-symptom-paths", symptom="hypoglycaemia")
    assert {str(s) for s in only.column("symptom")} == {"netgraph:Hypoglycaemia"}


def check_tumour_diagnostics(kg: KnowledgeGraph) -> None:
    r = kg.query("tumour-diagnostics", tumour="netgraph:NeuroendocrineNeoplasm", inherited=False)
    rows = values(r, "procedure", "purpose", "source")
    assert ("netgraph:Biopsy", "confirmation", "ngsrc:nhs-net") in rows
    assert ("netgraph:OctreotideScan", "localisation and staging", "ngsrc:nhs-net") in rows
    inherited = kg.query("tumour-diagnostics", tumour="insulinoma", inherited=True)
    assert "netgraph:Biopsy" in {str(p) for p in inherited.column("procedure")}
    assert all(row["procedureType"] for row in inherited)
    own = kg.query("tumour-diagnostics", tumour="insulinoma")
    assert {str(s) for s in own.column("statedFor")} == {"netgraph:Insulinoma"}
    assert "netgraph:FastingGlucoseInsulinMeasurement" in {str(p) for p in own.column("procedure")}
    assert "netgraph:Biopsy" not in {str(p) for p in own.column("procedure")}
    assert values(own, "statement") < values(inherited, "statement")


def check_tumour_interventions(kg: KnowledgeGraph) -> None:
    r = kg.query("tumour-interventions", tumour="netgraph:NeuroendocrineNeoplasm", inherited=False)
    rows = values(r, "intervention", "condition", "purpose")
    assert ("netgraph:SymptomControlSurgery", "if surgery can't be used to completely cure the condition",
            "symptom control") in rows
    assert ("netgraph:SomatostatinAnalogueTherapy", None, "tumour control") in rows
    crisis = kg.query("tumour-interventions", tumour="carcinoid crisis")
    assert ("netgraph:Octreotide", "emergency treatment") in values(crisis, "intervention", "purpose")
    assert {str(s) for s in crisis.column("statedFor")} == {"netgraph:CarcinoidCrisis"}
    wide = kg.query("tumour-interventions", tumour="carcinoid crisis", inherited=True)
    assert values(crisis, "statement") <= values(wide, "statement")


def check_subclasses(kg: KnowledgeGraph) -> None:
    r = kg.query("subclasses", **{"class": "netgraph:PancreaticNeuroendocrineTumour"})
    rows = values(r, "subclass", "parent")
    assert ("netgraph:Insulinoma", "netgraph:FunctionalPancreaticNeuroendocrineTumour") in rows
    assert ("netgraph:FunctionalPancreaticNeuroendocrineTumour", "netgraph:PancreaticNeuroendocrineTumour") in rows
    assert "netgraph:PancreaticNeuroendocrineTumour" not in {row[0] for row in rows}


def check_path_to_root(kg: KnowledgeGraph) -> None:
    r = kg.query("path-to-root", **{"class": "insulinoma"})
    edges = values(r, "child", "parent")
    assert ("netgraph:Insulinoma", "netgraph:FunctionalPancreaticNeuroendocrineTumour") in edges
    assert ("netgraph:NeuroendocrineNeoplasm", "netgraph:Condition") in edges
    levels = [int(lv) for lv in r.column("level")]
    assert levels == sorted(levels, reverse=True) and levels[-1] == 1
    assert str(r[0]["child"]) == "netgraph:Insulinoma"


def check_entity(kg: KnowledgeGraph) -> None:
    r = kg.query("entity", entity="insulinoma")
    rows = values(r, "direction", "property", "value")
    assert ("property", "rdfs:label", "insulinoma") in rows
    assert ("axiom", "netgraph:secretes", "netgraph:Insulin") in rows
    assert ("statement", "netgraph:mayProduce", "netgraph:Insulin") in rows
    assert ("statement", "netgraph:mayPresentWith", "netgraph:Hypoglycaemia") in rows
    assert ("property", "skos:exactMatch", "NCIT:C95598") in rows
    assert ("referenced by", "rdfs:subClassOf", "netgraph:Insulinoma") not in rows
    statements = [row for row in r if row["direction"] == "statement"]
    assert statements and all(row["quote"] and row["source"] for row in statements)
    hormone = kg.query("entity", entity="insulin")
    assert ("statement (as object)", "netgraph:mayProduce", "netgraph:Insulinoma") in \
        values(hormone, "direction", "property", "value")


def check_crosswalk(kg: KnowledgeGraph) -> None:
    r = kg.query("crosswalk", entity="insulinoma")
    rows = values(r, "mapping", "code")
    assert {("skos:exactMatch", "MONDO:0024677"), ("skos:closeMatch", "ORPHA:97279"), ("skos:exactMatch", "NCIT:C95598"),
            ("skos:broadMatch", "MONDO:0005048")} <= rows
    assert {str(e) for e in r.column("entity")} == {"netgraph:Insulinoma"}
    assert r[0]["code"].iri.startswith("http")
    pnet = kg.query("crosswalk", entity="netgraph:PancreaticNeuroendocrineTumour")
    assert ("skos:closeMatch", "ICDO:8150/1") in values(pnet, "mapping", "code")
    everything = kg.query("crosswalk")
    assert rows <= values(everything, "mapping", "code") and len(everything) > len(r)


def check_entities_by_code(kg: KnowledgeGraph) -> None:
    r = kg.query("entities-by-code", code="ORPHA:97253")
    assert values(r, "entity", "mapping") == {("netgraph:PancreaticNeuroendocrineTumour", "skos:exactMatch")}
    same = kg.query("entities-by-code", code=expand("ORPHA:97253"))  # a full IRI
    assert same.keys() == r.keys()
    assert kg.query("entities-by-code", code="Orphanet:97253").keys() == r.keys()  # a prefix synonym
    assert values(kg.query("entities-by-code", code="NCIT:C95598"), "entity") == {("netgraph:Insulinoma",)}


def check_functional_tumours(kg: KnowledgeGraph) -> None:
    r = kg.query("functional-tumours")
    rows = values(r, "tumour", "secretes")
    assert ("netgraph:Insulinoma", "netgraph:Insulin") in rows
    assert ("netgraph:Glucagonoma", "netgraph:Glucagon") in rows
    assert "netgraph:NonFunctionalPancreaticNeuroendocrineTumour" not in {row[0] for row in rows}
    # a class the reasoner classifies as functional (`netgraph reason`: the inferred graph), not asserted
    assert "netgraph:FunctionalPancreaticNeuroendocrineTumour" in {row[0] for row in rows}
    # secreting a substance is not enough: the serotonin-producing pNET has no hypersecretion syndrome by definition
    assert "netgraph:PancreaticSerotoninProducingNeuroendocrineTumour" not in {row[0] for row in rows}


def check_statements_by_source(kg: KnowledgeGraph) -> None:
    r = kg.query("statements-by-source", source="nhs-net")
    assert {str(s) for s in r.column("source")} == {"ngsrc:nhs-net"}
    rows = values(r, "subject", "kind", "object")
    assert ("netgraph:MultipleEndocrineNeoplasiaType1", "predisposes to",
            "netgraph:PancreaticNeuroendocrineNeoplasm") in rows
    assert all(row["quote"] for row in r)
    everything = kg.query("statements-by-source")
    assert {str(s) for s in everything.column("source")} >= {"ngsrc:nhs-net", "ngsrc:mondo-2026-05-05",
                                                             "ngsrc:kankernl-net-2020"}


def check_search(kg: KnowledgeGraph) -> None:
    r = kg.query("search", text="ALVLEESKLIER")  # case-insensitive, in any language
    assert values(r, "entity", "language", "field") == {("netgraph:Pancreas", "nl", "label")}
    r = kg.query("search", text="insulin")
    assert str(r[0]["entity"]) == "netgraph:Insulin"  # the exact match comes first
    assert ("netgraph:Insulinoma", "pancreatic insulinoma", "synonym") in values(r, "entity", "match", "field")
    assert kg.query("search", text="alvleesklier", language="en").rows == ()


def check_sources(kg: KnowledgeGraph) -> None:
    r = kg.query("sources")
    counts = {str(row["source"]): int(row["statements"]) for row in r}
    assert counts["ngsrc:nhs-net"] > 10 and counts["ngsrc:mondo-2026-05-05"] > 10
    assert {str(row["language"]) for row in r} >= {"en", "nl"}


EXPECTED: dict[str, Callable[[KnowledgeGraph], None]] = {
    "tumours-secreting-hormone": check_tumours_secreting_hormone,
    "tumour-hormones-symptoms": check_tumour_hormones_symptoms,
    "symptoms-by-site": check_symptoms_by_site,
    "syndromes-predisposing-to-tumour": check_syndromes_predisposing_to_tumour,
    "tumours-predisposed-by-syndrome": check_tumours_predisposed_by_syndrome,
    "hormone-symptom-paths": check_hormone_symptom_paths,
    "tumour-diagnostics": check_tumour_diagnostics,
    "tumour-interventions": check_tumour_interventions,
    "subclasses": check_subclasses,
    "path-to-root": check_path_to_root,
    "entity": check_entity,
    "crosswalk": check_crosswalk,
    "entities-by-code": check_entities_by_code,
    "functional-tumours": check_functional_tumours,
    "statements-by-source": check_statements_by_source,
    "search": check_search,
    "sources": check_sources,
}


#: queries over registry records: their answers are tested on a store with records
#: (tests/test_records.py::test_canned_queries_over_records_beside_the_knowledge)
def test_every_canned_query_has_an_expected_answer(paths):
    from netgraph.catalogue import load_catalogue

    catalogue = load_catalogue(paths.root, qc=False)
    records_queries = {name for name, q in catalogue.items() if "records" in q.tags}
    assert records_queries == {"records-by-diagnosis-grade", "records-with-obsolete-orpha-code", "records-per-rule"}
    assert set(EXPECTED) | records_queries == set(catalogue)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_answer(kg, name):
    EXPECTED[name](kg)


# -- the same rows on every backend ---------------------------------------------------------

VARIANTS: list[tuple[str, dict]] = [(name, {}) for name in sorted(EXPECTED)] + [
    ("tumours-secreting-hormone", {"hormone": "serotonin", "subtypes": True}),
    ("tumour-hormones-symptoms", {"tumour": "insulinoma", "inherited": True}),
    ("syndromes-predisposing-to-tumour", {"tumour": "insulinoma", "inherited": True}),
    ("hormone-symptom-paths", {"tumour": "insulinoma", "inherited": True}),
    ("hormone-symptom-paths", {"hormone": "netgraph:Catecholamine"}),
    ("statements-by-source", {"source": "kankernl-net-2020"}),
    ("search", {"text": "tumor", "language": "nl"}),
]


@pytest.fixture(scope="module")
def reference(graphs):
    """The embedded backend's answers, computed once."""
    return {(name, tuple(sorted(p.items()))): graphs("embedded").query(name, p) for name, p in VARIANTS}


@pytest.mark.parametrize("backend", ["rdflib", "remote"])
def test_same_rows_on_every_backend(graphs, reference, backend):
    kg = graphs(backend)
    for (name, params), expected in reference.items():
        got = kg.query(name, dict(params))
        assert got.columns == expected.columns, name
        assert got.keys() == expected.keys(), f"{name} {dict(params)}: rows differ on {backend}"
        assert len(expected) > 0, f"{name} {dict(params)} returns no rows: a test of nothing"


def test_one_query_loads_alone_and_equals_the_catalogue_entry():
    """`load_query` parses one file and gives what the catalogue gives; unknown and unsafe names give None."""
    from netgraph.catalogue import load_catalogue, load_query

    catalogue = load_catalogue(qc=None)
    for name, query in catalogue.items():
        assert load_query(None, name) == query, name
    for bad in ("no-such-query", "../pyproject", "qc/../../README", "", "a b"):
        assert load_query(None, bad) is None, bad
