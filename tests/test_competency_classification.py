"""Competency questions on the NEN classification and its codes (issue 10, items 2 and 8).

Each test asks the built graph a question a researcher or a registry coder would
ask, in plain English (the docstring), and asserts the answer MONDO, Orphanet,
ICD-10-CM and the ICD-O-3 code list give.
"""

from __future__ import annotations

import pytest

from netgraph.prefixes import compress, sparql_prolog


@pytest.fixture(scope="module")
def ask(store):
    def run(text: str) -> list[tuple]:
        rows = store.query(sparql_prolog(text) + text, use_default_graph_as_union=True)
        return [tuple(compress(t.value) or t.value for t in row) for row in rows]

    return run


def codes(ask, cls: str, prefix: str, predicates: str = "skos:exactMatch skos:narrowMatch skos:closeMatch") -> set[tuple[str, str]]:
    """(predicate, code) of every mapping of CLASS (or a subclass) to a code of PREFIX."""
    values = " ".join(predicates.split())
    return set(ask(f"""
        SELECT DISTINCT ?p ?code WHERE {{
          VALUES ?p {{ {values} }}
          ?c rdfs:subClassOf* {cls} ; ?p ?code .
          FILTER(STRSTARTS(STR(?code), "{_ns(prefix)}"))
        }}"""))


def _ns(prefix: str) -> str:
    from netgraph.prefixes import prefix_map

    return prefix_map()[prefix]


def subclasses(ask, cls: str) -> set[str]:
    return {r[0] for r in ask(f"SELECT ?c WHERE {{ ?c rdfs:subClassOf+ {cls} }}")}


def test_which_icdo3_code_fits_an_atypical_carcinoid(ask):
    """Which ICD-O-3 morphology code fits an atypical carcinoid (of the lung)?"""
    assert ("skos:closeMatch", "ICDO:8249/3") in codes(ask, "netgraph:AtypicalCarcinoidTumour", "ICDO")
    lung = ask("SELECT ?code WHERE { netgraph:AtypicalLungCarcinoidTumour skos:broadMatch ?code }")
    assert ("ICDO:8249/3",) in lung  # the code is broader: it is not limited to the lung


def test_which_icd10cm_code_fits_a_small_intestinal_carcinoid(ask):
    """Which ICD-10-CM codes fit a (malignant or benign) carcinoid of the small intestine?"""
    found = {code for p, code in codes(ask, "netgraph:SmallIntestinalNeuroendocrineTumour", "ICD10CM")}
    assert {"ICD10CM:C7A.01", "ICD10CM:C7A.010", "ICD10CM:C7A.011", "ICD10CM:C7A.012", "ICD10CM:C7A.019",
            "ICD10CM:D3A.01", "ICD10CM:D3A.010", "ICD10CM:D3A.019"} <= found
    assert not any(c.startswith("ICD10CM:C17") for c in found)  # the site code C17 is a keyword hit, not a carcinoid code


def test_what_are_the_subclasses_of_lung_nen(ask):
    """What are the subclasses of lung neuroendocrine neoplasm (carcinoids, SCLC, LCNEC, combined)?"""
    subs = subclasses(ask, "netgraph:LungNeuroendocrineNeoplasm")
    assert {"netgraph:LungCarcinoidTumour", "netgraph:TypicalLungCarcinoidTumour", "netgraph:AtypicalLungCarcinoidTumour",
            "netgraph:SmallCellLungCarcinoma", "netgraph:PulmonaryLargeCellNeuroendocrineCarcinoma",
            "netgraph:CombinedLungCarcinoma", "netgraph:CombinedSmallCellLungCarcinoma"} <= subs


def test_which_small_cell_and_large_cell_necs_does_the_pancreas_have(ask):
    """Which neuroendocrine carcinomas of the pancreas are there, by cell size?"""
    subs = subclasses(ask, "netgraph:PancreaticNeuroendocrineCarcinoma")
    assert {"netgraph:PancreaticSmallCellNeuroendocrineCarcinoma", "netgraph:PancreaticLargeCellNeuroendocrineCarcinoma"} <= subs
    assert "netgraph:PancreaticSmallCellNeuroendocrineCarcinoma" in subclasses(ask, "netgraph:SmallCellCarcinoma")


def test_which_icdo3_codes_fit_small_cell_and_large_cell_neuroendocrine_carcinoma(ask):
    """Which ICD-O-3 codes fit small cell carcinoma and large cell neuroendocrine carcinoma?"""
    assert ("skos:closeMatch", "ICDO:8041/3") in codes(ask, "netgraph:SmallCellCarcinoma", "ICDO")
    assert ("skos:closeMatch", "ICDO:8013/3") in codes(ask, "netgraph:LargeCellNeuroendocrineCarcinoma", "ICDO")


def test_which_grades_of_gastric_net_does_the_graph_know(ask):
    """Which grades of well-differentiated gastric NET does the classification have?"""
    subs = subclasses(ask, "netgraph:GastricNeuroendocrineTumour")
    assert {"netgraph:GastricNeuroendocrineTumourG1", "netgraph:GastricNeuroendocrineTumourG2"} <= subs
    label = ask('SELECT ?l WHERE { netgraph:GastricNeuroendocrineTumourG2 rdfs:label ?l }')
    assert label == [("gastric neuroendocrine tumor G2",)]


def test_which_hereditary_pheochromocytoma_paraganglioma_syndromes_are_there(ask):
    """Which hereditary pheochromocytoma/paraganglioma syndromes does the graph have?"""
    subs = subclasses(ask, "netgraph:HereditaryPheochromocytomaParaganglioma")
    assert {f"netgraph:PheochromocytomaParagangliomaSyndrome{i}" for i in range(1, 8)} <= subs
    assert ("ORPHA:29072",) in ask(
        "SELECT ?o WHERE { netgraph:HereditaryPheochromocytomaParaganglioma skos:exactMatch ?o }")


def test_which_mixed_neuroendocrine_non_neuroendocrine_neoplasms_are_there(ask):
    """Which MiNEN classes does the graph have, and which ICD-O-3 code does mixed adenoneuroendocrine carcinoma take?"""
    subs = subclasses(ask, "netgraph:MixedNeuroendocrineNonNeuroendocrineNeoplasm")
    assert {"netgraph:DigestiveSystemMixedAdenoneuroendocrineCarcinoma", "netgraph:PancreaticCarcinomaWithMixedDifferentiation",
            "netgraph:GobletCellCarcinoma"} <= subs
    assert ("skos:narrowMatch", "ICDO:8244/3") in codes(ask, "netgraph:MixedNeuroendocrineNonNeuroendocrineNeoplasm", "ICDO")


def test_how_does_orphanet_map_men2_to_omim(ask):
    """Which OMIM entries does Orphanet map MEN2 to, with which qualifier, and what does that make them?"""
    rows = set(ask("""
        SELECT ?code ?q ?p WHERE {
          ?m owl:annotatedSource netgraph:MultipleEndocrineNeoplasiaType2 ; owl:annotatedTarget ?code ;
             owl:annotatedProperty ?p ; netgraph:orphanetQualifier ?q .
        }"""))
    assert ("OMIM:171400", "BTNT", "skos:narrowMatch") in rows  # Orphanet's MEN2 is broader than OMIM's MEN2A entry
    assert ("OMIM:162300", "BTNT", "skos:narrowMatch") in rows


def test_which_icd10cm_code_fits_carcinoid_heart_disease(ask):
    """Which ICD-10-CM code fits carcinoid heart disease, and which the carcinoid syndrome?"""
    assert ("ICD10CM:E34.01",) in ask("SELECT ?c WHERE { netgraph:CarcinoidHeartDisease skos:exactMatch ?c }")
    narrower = {r[0] for r in ask("SELECT ?c WHERE { netgraph:CarcinoidSyndrome skos:narrowMatch ?c }")}
    assert {"ICD10CM:E34.00", "ICD10CM:E34.09"} <= narrower


def test_what_does_icd10cm_c25_4_code(ask):
    """Is ICD-10-CM C25.4 (malignant endocrine pancreas) a code of pancreatic NEN, and of which grade?"""
    assert ("ICD10CM:C25.4",) in ask("SELECT ?c WHERE { netgraph:PancreaticNeuroendocrineNeoplasm skos:narrowMatch ?c }")


def test_which_icd10cm_code_fits_merkel_cell_carcinoma_of_the_nose(ask):
    """Which ICD-10-CM code fits a Merkel cell carcinoma of the nose?"""
    rows = ask("""
        SELECT ?c ?label WHERE { netgraph:MerkelCellCarcinoma skos:narrowMatch ?c .
          ?m owl:annotatedSource netgraph:MerkelCellCarcinoma ; owl:annotatedTarget ?c ; sssom:object_label ?label .
          FILTER(CONTAINS(?label, "nose")) }""")
    assert rows == [("ICD10CM:C4A.31", "Merkel cell carcinoma of nose")]


def test_which_orphanet_codes_have_no_mondo_class_and_what_netgraph_made_of_them(ask):
    """Carney triad has no MONDO class in the extract: does netgraph still know it, from Orphanet?"""
    rows = ask("""
        SELECT ?src ?code WHERE { netgraph:CarneyTriad netgraph:definitionSource ?src ; skos:exactMatch ?code .
          FILTER(STRSTARTS(STR(?code), "http://www.orpha.net/")) }""")
    assert rows == [("ngsrc:orphanet-2025-12-entities", "ORPHA:139411")]


def test_what_is_a_familial_gastric_type_1_net_when_mondo_gives_no_definition(ask):
    """What is a familial gastric type 1 NET? MONDO gives no definition, so the graph cites Orphanet's."""
    rows = ask("""
        SELECT ?src ?parent WHERE { netgraph:FamilialGastricType1NeuroendocrineTumour netgraph:definitionSource ?src ;
          rdfs:subClassOf ?parent ; IAO:0000115 ?d }""")
    assert rows == [("ngsrc:orphanet-2025-12-entities", "netgraph:GastricNeuroendocrineTumour")]
