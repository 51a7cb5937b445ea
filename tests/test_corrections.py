"""Regression tests for the corrections a domain review found (issue 10, item 1).

Each test states what the built graph must (no longer) say; each failed on the
graph of commit f7db5c5, where the statement or axiom said more than its source.
"""

from __future__ import annotations

import pytest

from netgraph.prefixes import compress, sparql_prolog


@pytest.fixture(scope="module")
def ask(store):
    def run(text: str) -> list[tuple]:
        rows = store.query(sparql_prolog(text) + text, use_default_graph_as_union=True)
        return [tuple(compress(t.value) or t.value if t is not None else None for t in row) for row in rows]

    return run


@pytest.fixture(scope="module")
def is_a(ask):
    """Whether SUB is (asserted or inferred, the inferred graph included) a subclass of SUP."""
    def run(sub: str, sup: str) -> bool:
        return bool(ask(f"SELECT ?x WHERE {{ {sub} rdfs:subClassOf* ?x FILTER(?x = {sup}) }}"))

    return run


def statements(ask, kind_class: str, subject: str, obj: str, source: str | None = None) -> list[tuple]:
    """(frequency, frequency text, quote) of each association of KIND_CLASS from SUBJECT to OBJECT."""
    src = f"; netgraph:hasSource {source}" if source else ""
    return ask(f"""
        SELECT ?freq ?text ?quote WHERE {{
          ?a a {kind_class} ; netgraph:subject {subject} ; netgraph:object {obj} ; netgraph:quote ?quote {src} .
          OPTIONAL {{ ?a netgraph:hasFrequency ?freq }}
          OPTIONAL {{ ?a netgraph:frequencyText ?text }}
        }} ORDER BY ?quote""")


# -- functional tumours ---------------------------------------------------------------------------

def test_functional_is_defined_by_a_hypersecretion_syndrome_not_by_secreting(ask):
    fillers = ask("""SELECT ?p ?filler WHERE { netgraph:FunctionalNeuroendocrineNeoplasm owl:equivalentClass ?e .
                     ?e owl:intersectionOf/rdf:rest*/rdf:first ?r . ?r owl:onProperty ?p ; owl:someValuesFrom ?filler }""")
    assert fillers == [("netgraph:causesHypersecretionSyndrome", "netgraph:HormoneHypersecretionSyndrome")]


def test_serotonin_producing_pnet_is_not_inferred_functional(is_a, ask):
    """The reasoner used to infer it from `secretes value Serotonin` alone (MONDO: a syndrome only when it metastasises)."""
    assert not is_a("netgraph:PancreaticSerotoninProducingNeuroendocrineTumour", "netgraph:FunctionalNeuroendocrineNeoplasm")
    assert ask("SELECT ?s WHERE { netgraph:PancreaticSerotoninProducingNeuroendocrineTumour rdfs:subClassOf "
               "[ owl:onProperty netgraph:secretes ; owl:hasValue ?s ] }") == [("netgraph:Serotonin",)]


def test_functional_pancreatic_tumours_are_still_inferred_functional(is_a, ask):
    for cls in ("FunctionalPancreaticNeuroendocrineTumour", "Insulinoma", "Glucagonoma", "PancreaticGastrinoma"):
        assert is_a(f"netgraph:{cls}", "netgraph:FunctionalNeuroendocrineNeoplasm"), cls
    # by the reasoner (the inferred graph), not by an asserted parent
    assert not ask("""SELECT ?x WHERE { GRAPH <https://w3id.org/netgraph/graph/ontology> {
                      netgraph:FunctionalPancreaticNeuroendocrineTumour rdfs:subClassOf netgraph:FunctionalNeuroendocrineNeoplasm } }""")


@pytest.mark.parametrize("cls", ["Somatostatinoma", "PancreaticSomatostatinoma", "Gastrinoma", "DuodenalGastrinoma",
                                 "Vipoma", "PancreaticVipoma"])
def test_tumours_whose_syndrome_is_not_universal_are_not_functional(is_a, cls):
    """MONDO: somatostatin 'may result in a syndrome'; gastrin- and VIP-producing pancreatic tumours 'may or may not'."""
    assert not is_a(f"netgraph:{cls}", "netgraph:FunctionalNeuroendocrineNeoplasm")


# -- primary sites -------------------------------------------------------------------------------

def _sites(ask, cls: str) -> set[str]:
    return {r[0] for r in ask(f"""SELECT ?site WHERE {{ {cls} rdfs:subClassOf* ?c .
        ?c rdfs:subClassOf [ owl:onProperty netgraph:hasPrimarySite ; owl:hasValue ?site ] }}""")}


def test_vipoma_and_grfoma_have_no_pancreatic_site_but_pancreatic_vipoma_has(ask):
    assert "netgraph:Pancreas" not in _sites(ask, "netgraph:Vipoma")
    assert "netgraph:Pancreas" not in _sites(ask, "netgraph:GRFoma")
    assert "netgraph:Pancreas" in _sites(ask, "netgraph:PancreaticVipoma")
    assert ask("SELECT ?m WHERE { netgraph:PancreaticVipoma skos:exactMatch ?m }") == [("MONDO:0003622",)]


def test_gastrinoma_site_is_stated_by_mondo_and_by_pdq(ask):
    rows = ask("""SELECT ?src ?freq ?value WHERE { ?a a netgraph:OriginAssociation ; netgraph:subject netgraph:Gastrinoma ;
                    netgraph:object netgraph:Pancreas ; netgraph:hasSource ?src ; netgraph:hasFrequency ?freq .
                    OPTIONAL { ?a netgraph:value ?value } } ORDER BY ?src""")
    assert [(src, freq) for src, freq, _ in rows] == [("ngsrc:mondo-2026-05-05", "netgraph:Usually"),
                                                      ("ngsrc:pdq-pnet-2025", "netgraph:Proportion")]
    assert float(rows[1][2]) == 15


# -- carcinoid, crisis, disjointness, MiNEN ----------------------------------------------------------

def test_net_g1_is_a_narrow_synonym_of_carcinoid(ask):
    exact = {r[0] for r in ask("SELECT ?s WHERE { netgraph:CarcinoidTumour skos:altLabel ?s }")}
    narrow = {r[0] for r in ask("SELECT ?s WHERE { netgraph:CarcinoidTumour oboInOwl:hasNarrowSynonym ?s }")}
    assert not {s for s in exact if s.endswith("G1")}
    assert {"NET G1", "neuroendocrine tumour G1"} <= narrow


def test_atypical_lung_carcinoid_inherits_no_definition_saying_no_necrosis(ask):
    rows = ask("""SELECT ?c ?d WHERE { netgraph:AtypicalLungCarcinoidTumour rdfs:subClassOf* ?c . ?c IAO:0000115 ?d }""")
    assert {"netgraph:CarcinoidTumour", "netgraph:AtypicalLungCarcinoidTumour"} <= {c for c, _ in rows}
    for cls, definition in rows:
        assert "and no necrosis" not in definition or "not part of" in definition, cls


def test_carcinoid_crisis_is_not_a_subclass_of_carcinoid_syndrome_but_described_with_the_hedge(ask, is_a):
    assert not is_a("netgraph:CarcinoidCrisis", "netgraph:CarcinoidSyndrome")
    rows = statements(ask, "netgraph:DescriptionAssociation", "netgraph:CarcinoidCrisis", "netgraph:CarcinoidSyndrome")
    assert [(f, t) for f, t, _ in rows] == [("netgraph:Usually", "generally")]


def test_net_and_nec_are_disjoint(ask):
    assert ask("SELECT ?x WHERE { netgraph:NeuroendocrineCarcinoma owl:disjointWith netgraph:NeuroendocrineTumour }")


def test_minen_definition_carries_the_30_percent_rule(ask):
    [(definition,)] = ask("SELECT ?d WHERE { netgraph:MixedNeuroendocrineNonNeuroendocrineNeoplasm IAO:0000115 ?d }")
    assert "At least 30% of either component should be present for the diagnosis to be made." in definition


# -- mapping predicates --------------------------------------------------------------------------

@pytest.mark.parametrize("subject,code,predicate", [
    ("NeuroendocrineCarcinoma", "MONDO:0002120", "skos:broadMatch"),
    ("NeuroendocrineCarcinoma", "NCIT:C3773", "skos:broadMatch"),
    ("AppendicealNeuroendocrineTumour", "ORPHA:100079", "skos:broadMatch"),
    ("OesophagealNeuroendocrineTumour", "ORPHA:506136", "skos:broadMatch"),
    ("PancreaticNeuroendocrineCarcinoma", "ICDO:8150/3", "skos:broadMatch"),
    ("PancreaticNeuroendocrineCarcinoma", "ICDO:8246/3", "skos:broadMatch"),
    ("PancreaticNeuroendocrineCarcinoma", "ICD10CM:C25.4", "skos:broadMatch"),
    ("CarcinoidTumour", "ICDO:8241/3", "skos:narrowMatch"),
    ("PPoma", "ICDO:8152/1", "skos:broadMatch"),
    ("Dizziness", "HP:0002321", "skos:narrowMatch"),
    ("FaceAndNeckSwelling", "HP:0000282", "skos:narrowMatch"),
])
def test_mapping_predicate(ask, subject, code, predicate):
    rows = ask(f"""SELECT ?p WHERE {{ GRAPH <https://w3id.org/netgraph/graph/mappings> {{ netgraph:{subject} ?p ?code }}
                   FILTER(?p IN (skos:exactMatch, skos:closeMatch, skos:broadMatch, skos:narrowMatch, skos:relatedMatch))
                   FILTER(STR(?code) = "{_expand(code)}") }}""")
    assert rows == [(predicate,)]


def _expand(curie: str) -> str:
    from netgraph.prefixes import expand

    return str(expand(curie))


# -- frequency words on the right thing -------------------------------------------------------------

def test_grfoma_co_occurrence_is_not_a_men1_predisposition(ask):
    assert not statements(ask, "netgraph:PredispositionAssociation", "netgraph:MultipleEndocrineNeoplasiaType1",
                          "netgraph:GRFoma")


@pytest.mark.parametrize("symptom", ["Dizziness", "Flushing", "Palpitations", "StomachOrBowelComplaints"])
def test_vague_complaints_are_examples_not_often(ask, symptom):
    rows = statements(ask, "netgraph:PresentationAssociation", "netgraph:FunctionalNeuroendocrineNeoplasm",
                      f"netgraph:{symptom}", "ngsrc:kankernl-net-2020")
    assert rows and all(f == "netgraph:Possible" and t == "zoals" for f, t, _ in rows)


@pytest.mark.parametrize("symptom", ["Cough", "ShortnessOfBreath"])
def test_thymic_symptoms_are_examples_not_typical(ask, symptom):
    rows = statements(ask, "netgraph:PresentationAssociation", "netgraph:ThymicNeuroendocrineNeoplasm", f"netgraph:{symptom}",
                      "ngsrc:mondo-2026-05-05")
    assert rows and all(f == "netgraph:Possible" for f, _, _ in rows)


@pytest.mark.parametrize("symptom", ["Hypertension", "Tachycardia", "Hyperhidrosis"])
def test_catecholamine_symptoms_carry_no_usually(ask, symptom):
    rows = statements(ask, "netgraph:CausationAssociation", "netgraph:Catecholamine", f"netgraph:{symptom}",
                      "ngsrc:mondo-2026-05-05")
    assert rows and all(f is None for f, _, q in rows if "typically caused by" in q)


def test_somatostatinoma_is_usually_malignant(ask):
    rows = statements(ask, "netgraph:EpidemiologyAssociation", "netgraph:Somatostatinoma", "netgraph:MalignantPotential")
    assert [(f, t) for f, t, _ in rows] == [("netgraph:Usually", "usually")]


def test_late_discovery_of_non_functional_nets_keeps_soms(ask):
    rows = statements(ask, "netgraph:EpidemiologyAssociation", "netgraph:NonFunctionalNeuroendocrineNeoplasm",
                      "netgraph:TimeToDiagnosis", "ngsrc:kankernl-net-2020")
    assert [(f, t) for f, t, _ in rows] == [("netgraph:Sometimes", "soms")]
    assert "soms lange tijd helemaal geen klachten" in rows[0][2]


def test_non_functional_does_not_mean_no_symptoms(ask):
    """Mayo's 'don't release enough to cause symptoms' means no hormone-related symptoms, not none at all."""
    assert not statements(ask, "netgraph:PresentationAssociation", "netgraph:NonFunctionalNeuroendocrineNeoplasm",
                          "netgraph:NoSymptoms", "ngsrc:mayo-gard-netrf-2019")


@pytest.mark.parametrize("symptom", ["Diarrhoea", "Flushing", "Rash"])
def test_hormone_symptoms_are_stated_on_functional_tumours_not_all_nets(ask, symptom):
    src = "ngsrc:1177-net"
    assert not statements(ask, "netgraph:PresentationAssociation", "netgraph:NeuroendocrineTumour", f"netgraph:{symptom}", src)
    assert statements(ask, "netgraph:PresentationAssociation", "netgraph:FunctionalNeuroendocrineNeoplasm",
                      f"netgraph:{symptom}", src)


def test_fatigue_during_treatment_is_not_a_presentation_of_nets(ask):
    assert not statements(ask, "netgraph:PresentationAssociation", "netgraph:NeuroendocrineTumour", "netgraph:Fatigue")


def test_liver_spread_is_stated_for_gastrointestinal_tumours_not_all_carcinoids(ask):
    mondo = "ngsrc:mondo-2026-05-05"
    assert not statements(ask, "netgraph:MetastasisAssociation", "netgraph:CarcinoidTumour", "netgraph:Liver", mondo)
    assert statements(ask, "netgraph:MetastasisAssociation", "netgraph:GastrointestinalNeuroendocrineNeoplasm",
                      "netgraph:Liver", mondo)


def test_echocardiography_examines_the_heart_not_the_tumour(ask):
    assert not statements(ask, "netgraph:DiagnosisAssociation", "netgraph:NeuroendocrineNeoplasm", "netgraph:Echocardiography")
    assert statements(ask, "netgraph:DiagnosisAssociation", "netgraph:CarcinoidHeartDisease", "netgraph:Echocardiography")


def test_chemotherapy_named_only_as_outperformed_is_not_a_treatment_statement(ask):
    assert not statements(ask, "netgraph:TreatmentAssociation", "netgraph:NeuroendocrineNeoplasm",
                          "netgraph:CytotoxicChemotherapy", "ngsrc:hospital-net-ch")


# -- labels --------------------------------------------------------------------------------------

def test_dutch_neuroendocrine_tumour_label_is_on_the_net_class(ask):
    rows = ask("""SELECT ?c WHERE { ?c rdfs:label ?l FILTER(STR(?l) = "neuro-endocriene tumor" && LANG(?l) = "nl") }""")
    assert rows == [("netgraph:NeuroendocrineTumour",)]


def test_neuroendocrine_tumour_resolves_to_the_net_class(paths):
    import netgraph

    with netgraph.open_graph(root=paths.root) as kg:
        assert str(compress(kg.resolve("neuroendocrine tumour").iri)) == "netgraph:NeuroendocrineTumour"
        assert str(compress(kg.resolve("neuro-endocriene tumor").iri)) == "netgraph:NeuroendocrineTumour"
        # a site's 'NET' wording names its well-differentiated class, no longer the neoplasm class too
        assert str(compress(kg.resolve("gastric NET").iri)) == "netgraph:GastricNeuroendocrineTumour"


def test_no_neoplasm_level_class_has_a_well_differentiated_exact_synonym(ask):
    rows = ask("""SELECT ?c ?s WHERE { ?c rdfs:subClassOf* netgraph:NeuroendocrineNeoplasm ; skos:altLabel ?s .
                  FILTER(STRENDS(STR(?c), "Neoplasm") && CONTAINS(LCASE(STR(?s)), "well differentiated")) }""")
    assert rows == []


def test_no_net_class_has_an_nen_exact_synonym(ask):
    rows = ask("""SELECT ?c ?s WHERE { ?c rdfs:subClassOf* netgraph:NeuroendocrineTumour ; skos:altLabel ?s .
                  FILTER(REGEX(STR(?s), "(^|[^A-Za-z])NEN([^A-Za-z]|$)|neuroendocrine neoplasm")
                         && !CONTAINS(LCASE(STR(?s)), "well")) }""")
    assert rows == []


def test_one_label_per_language_per_class(ask):
    rows = ask("""SELECT ?c ?lang (COUNT(?l) AS ?n) WHERE { ?c a owl:Class ; rdfs:label ?l BIND(LANG(?l) AS ?lang) }
                  GROUP BY ?c ?lang HAVING (COUNT(?l) > 1)""")
    assert rows == []


# -- the build checks the new column ------------------------------------------------------------------

def test_build_rejects_a_hypersecretion_syndrome_that_is_not_a_syndrome_class(tmp_path):
    from test_build import copy_inputs

    from netgraph.build import compile_project
    from netgraph.errors import CurationError

    root = copy_inputs(tmp_path / "project")
    table = root / "data" / "tables" / "classes.tsv"
    lines = table.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    col = header.index("hypersecretion_syndrome")
    for i, line in enumerate(lines):
        if line.startswith("Somatostatinoma\t"):
            cells = line.split("\t")
            cells[col] = "Somatostatin"
            lines[i] = "\t".join(cells)
            lineno = i + 1
    table.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CurationError) as err:
        compile_project(root)
    assert f"classes.tsv:{lineno}" in str(err.value)
    assert "'Somatostatin' is not a class under HormoneHypersecretionSyndrome" in str(err.value)


def test_build_rejects_a_synonym_that_is_both_exact_and_narrow(tmp_path):
    from test_build import copy_inputs

    from netgraph.build import compile_project
    from netgraph.errors import CurationError

    root = copy_inputs(tmp_path / "project")
    table = root / "data" / "tables" / "classes.tsv"
    lines = table.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    lineno = next(i for i, line in enumerate(lines) if line.startswith("CarcinoidTumour\t"))
    cells = lines[lineno].split("\t")
    cells[header.index("synonyms_en")] += "|NET G1"
    lines[lineno] = "\t".join(cells)
    table.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CurationError) as err:
        compile_project(root)
    assert f"classes.tsv:{lineno + 1}" in str(err.value) and "'NET G1' is both an exact synonym" in str(err.value)
