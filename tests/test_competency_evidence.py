"""Competency questions on functional syndromes, tests and treatments (issue 10, items 5 and 6).

Each test asks, in its docstring, a question a clinician-researcher asks first,
and asserts the answer the PDQ summaries and NCI pages give, through the public
API (``netgraph.open_graph()``), with parameters bound, never pasted.
"""

from __future__ import annotations

import pytest

import netgraph


@pytest.fixture(scope="module")
def kg():
    return netgraph.open_graph()


def rows(kg, text: str, **params) -> set[tuple]:
    return {tuple(None if v is None else str(v) for v in r) for r in kg.sparql(text, **params).rows}


DIAGNOSED = """
SELECT ?_tumour ?test ?purpose ?source ?condition WHERE {
  ?a a netgraph:DiagnosisAssociation ; netgraph:subject ?_tumour ; netgraph:object ?test ; netgraph:hasSource ?source .
  OPTIONAL { ?a netgraph:hasPurpose ?purpose }
  OPTIONAL { ?a netgraph:condition ?condition }
}"""

TREATED = """
SELECT ?_tumour ?drug ?evidence ?source ?trial ?statedFor WHERE {
  ?_tumour rdfs:subClassOf* ?statedFor .
  ?a a netgraph:TreatmentAssociation ; netgraph:subject ?statedFor ; netgraph:object ?drug ; netgraph:hasSource ?source .
  OPTIONAL { ?a netgraph:evidenceType ?evidence }
  OPTIONAL { ?a netgraph:evidenceTrial/rdfs:label ?trial }
}"""


def test_which_test_confirms_a_gastrinoma(kg):
    """Which test confirms a gastrinoma?"""
    found = rows(kg, DIAGNOSED, tumour="netgraph:Gastrinoma")
    confirming = {t for t, p, s, _ in found if p == "netgraph:Confirmation"}
    assert confirming == {"netgraph:SerumGastrinMeasurement", "netgraph:GastricAcidOutputMeasurement",
                          "netgraph:SecretinStimulationTest"}
    assert {s for t, p, s, _ in found} == {"ngsrc:pdq-pnet-2025"}
    # the summary's caveat on the provocative tests stays with them
    assert ("netgraph:SecretinStimulationTest", None, "ngsrc:pdq-pnet-2025", "the value of these tests is limited") in found
    assert ("netgraph:CalciumStimulationTest", None, "ngsrc:pdq-pnet-2025", "the value of these tests is limited") in found
    # and the secretin test detects the hormone excess: it measures gastrin
    assert rows(kg, "SELECT ?x WHERE { netgraph:SecretinStimulationTest netgraph:measures ?x }") == {("netgraph:Gastrin",)}


def test_how_is_an_insulinoma_diagnosed(kg):
    """How is an insulinoma diagnosed?"""
    found = rows(kg, DIAGNOSED, tumour="netgraph:Insulinoma")
    tests = {t for t, *_ in found}
    assert {"netgraph:FastingGlucoseInsulinMeasurement", "netgraph:PlasmaProinsulinMeasurement",
            "netgraph:ComputedTomography", "netgraph:EndoscopicUltrasound",
            "netgraph:SelectiveArterialCalciumStimulationTest"} <= tests
    assert ("netgraph:FastingGlucoseInsulinMeasurement", "netgraph:Confirmation") in {(t, p) for t, p, *_ in found}
    quote = rows(kg, """SELECT ?q ?v WHERE { ?a netgraph:subject netgraph:Insulinoma ;
                          netgraph:object netgraph:FastingGlucoseInsulinMeasurement ; netgraph:quote ?q ; netgraph:value ?v }""")
    (q, v), = quote
    assert "is pathognomonic" in q and float(v) == 40
    assert {t for t, p, *_ in found if p == "netgraph:Localisation"} >= {"netgraph:ComputedTomography", "netgraph:EndoscopicUltrasound"}
    # the sources name no supervised (48- or 72-hour) fast: nothing in the graph says so
    assert not rows(kg, 'SELECT ?a WHERE { ?a netgraph:quote ?q FILTER(CONTAINS(LCASE(?q), "72-hour")) }')


def test_which_drugs_are_fda_approved_for_pancreatic_nets(kg):
    """Which drugs are FDA-approved for pancreatic NETs (and which for all GEP-NETs, pancreatic ones included)?"""
    found = rows(kg, TREATED, tumour="netgraph:PancreaticNeuroendocrineTumour")
    approved = {(d, s) for d, e, src, _, s in found if e == "netgraph:FdaApproval"}
    stated_for_pnet = {d for d, s in approved if s == "netgraph:PancreaticNeuroendocrineTumour"}
    assert stated_for_pnet == {"netgraph:Everolimus", "netgraph:Sunitinib", "netgraph:Cabozantinib", "netgraph:Belzutifan"}
    stated_for_gep = {d for d, s in approved if s == "netgraph:GastroenteropancreaticNeuroendocrineTumour"}
    assert stated_for_gep == {"netgraph:Everolimus", "netgraph:Lanreotide", "netgraph:LutetiumLu177Dotatate"}
    sources = {src for d, e, src, _, s in found if e == "netgraph:FdaApproval" and d == "netgraph:Sunitinib"}
    assert {"ngsrc:nci-drug-sunitinib-malate", "ngsrc:nci-pnet-targeted-2011"} <= sources


def test_what_is_given_after_a_somatostatin_analogue_and_which_trial_says_so(kg):
    """What is given after a somatostatin analogue, and which trial says so?

    The sources do not say: no statement is made for patients who had a somatostatin
    analogue before. What they do say: for pancreatic NETs that recur or progress after
    previous therapy (any), the PDQ summary lists agents with activity and no trial; the
    NETTER-1 passage gives 177Lu-DOTATATE with long-acting octreotide, not after it.
    """
    ssa = rows(kg, """SELECT ?a WHERE { ?a netgraph:afterIntervention ?prior .
                      ?prior skos:broader* netgraph:SomatostatinAnalogueTherapy }""")
    assert ssa == set()
    after_any = rows(kg, """SELECT ?drug ?trial WHERE {
        ?a netgraph:subject netgraph:PancreaticNeuroendocrineTumour ; netgraph:object ?drug ;
           netgraph:treatmentLine netgraph:PreviouslyTreated ; netgraph:hasSource ngsrc:pdq-pnet-2025 .
        OPTIONAL { ?a netgraph:evidenceTrial ?trial } }""")
    assert {d for d, _ in after_any} == {"netgraph:SomatostatinAnalogueTherapy", "netgraph:RadiolabelledSomatostatinAnalogueTherapy",
                                         "netgraph:Sunitinib", "netgraph:Temozolomide", "netgraph:Everolimus"}
    assert {t for _, t in after_any} == {None}
    netter = rows(kg, """SELECT ?line WHERE { ?a netgraph:evidenceTrial netgraph:Netter1Trial ;
                         netgraph:object netgraph:LutetiumLu177Dotatate . OPTIONAL { ?a netgraph:treatmentLine ?line } }""")
    assert netter == {(None,)}


def test_what_is_given_after_vandetanib_or_cabozantinib_in_medullary_thyroid_cancer(kg):
    """What is given after vandetanib or cabozantinib in medullary thyroid cancer, and which trial says so?"""
    found = rows(kg, """SELECT ?drug ?prior ?trial ?evidence WHERE {
        ?a netgraph:subject netgraph:MedullaryThyroidCarcinoma ; netgraph:object ?drug ; netgraph:afterIntervention ?prior ;
           netgraph:evidenceTrial/rdfs:label ?trial ; netgraph:evidenceType ?evidence }""")
    assert found == {("netgraph:Selpercatinib", "netgraph:Vandetanib", "LIBRETTO-001", "netgraph:NonRandomisedStudy"),
                     ("netgraph:Selpercatinib", "netgraph:Cabozantinib", "LIBRETTO-001", "netgraph:NonRandomisedStudy")}


def test_which_trial_led_to_everolimus_for_lung_and_gi_nets_and_for_which_tumours(kg):
    """Which trial led to the FDA approval of everolimus for lung and GI NETs, and for which tumours exactly?"""
    found = rows(kg, """SELECT ?tumour ?grade ?status WHERE {
        ?a netgraph:evidenceTrial netgraph:Radiant4Trial ; netgraph:evidenceType netgraph:FdaApproval ;
           netgraph:subject ?tumour ; netgraph:object netgraph:Everolimus ;
           netgraph:indicationGrade ?grade ; netgraph:indicationFunctionalStatus ?status }""")
    assert {t for t, *_ in found} == {"netgraph:LungNeuroendocrineNeoplasm", "netgraph:GastrointestinalNeuroendocrineNeoplasm"}
    assert {g for _, g, _ in found} == {"netgraph:WellDifferentiatedTumours", "netgraph:LowGradeTumours", "netgraph:IntermediateGradeTumours"}
    assert {s for *_, s in found} == {"netgraph:NonFunctioningTumours"}
    source = rows(kg, "SELECT DISTINCT ?s WHERE { ?a netgraph:evidenceTrial netgraph:Radiant4Trial ; netgraph:hasSource ?s }")
    assert source == {("ngsrc:pdq-nsclc-2025",)}


def test_which_trials_are_named_and_for_which_drug(kg):
    """Which trials do the sources name, for which drug and tumour?"""
    found = rows(kg, """SELECT DISTINCT ?label ?drug ?tumour WHERE {
        ?a netgraph:evidenceTrial ?t ; netgraph:object ?drug ; netgraph:subject ?tumour . ?t rdfs:label ?label }""")
    named = {(lab, d) for lab, d, _ in found}
    assert {("RADIANT-3", "netgraph:Everolimus"), ("RADIANT-4", "netgraph:Everolimus"), ("PROMID", "netgraph:Octreotide"),
            ("NETTER-1", "netgraph:LutetiumLu177Dotatate"), ("EXAM", "netgraph:Cabozantinib"),
            ("LIBRETTO-001", "netgraph:Selpercatinib")} <= named
    assert ("PROMID", "netgraph:Octreotide", "netgraph:SmallIntestinalNeuroendocrineTumour") in found
    # NETTER-2 is not named by its source (nci-gi-net-research): that first-line statement carries no trial
    first_line = rows(kg, """SELECT ?trial WHERE { ?a netgraph:hasSource ngsrc:nci-gi-net-research ;
        netgraph:treatmentLine netgraph:FirstLineTreatment . OPTIONAL { ?a netgraph:evidenceTrial ?trial } }""")
    assert first_line == {(None,)}


def test_what_are_the_signs_of_a_vipoma_and_which_level_is_diagnostic(kg):
    """Hormone, syndrome, signs and test: what are the signs of a VIPoma, and which VIP level is diagnostic?"""
    signs = rows(kg, """SELECT ?s WHERE { ?a a netgraph:PresentationAssociation ; netgraph:subject netgraph:Vipoma ;
                        netgraph:object ?s ; netgraph:hasSource ngsrc:pdq-pnet-2025 }""")
    assert signs == {("netgraph:WateryDiarrhoea",), ("netgraph:Hypokalaemia",), ("netgraph:Achlorhydria",)}
    level = rows(kg, """SELECT ?test ?v ?unit WHERE { ?a netgraph:subject netgraph:Vipoma ; netgraph:object ?test ;
                        netgraph:value ?v ; netgraph:unit ?unit . ?test netgraph:measures netgraph:VasoactiveIntestinalPeptide }""")
    (test, v, unit), = level
    assert test == "netgraph:SerumVipMeasurement" and float(v) == 200 and unit.startswith("pg/mL")


def test_which_test_detects_and_which_confirms_a_pheochromocytoma(kg):
    """Which test detects a pheochromocytoma, which confirms it, and what do they measure?"""
    found = rows(kg, DIAGNOSED, tumour="netgraph:Pheochromocytoma")
    assert ("netgraph:PlasmaFreeMetanephrinesMeasurement", "netgraph:Detection") in {(t, p) for t, p, *_ in found}
    assert ("netgraph:UrineMetanephrinesCatecholaminesMeasurement", "netgraph:Confirmation") in {(t, p) for t, p, *_ in found}
    plasma = rows(kg, "SELECT ?x WHERE { netgraph:PlasmaFreeMetanephrinesMeasurement netgraph:measures ?x }")
    assert plasma == {("netgraph:Metanephrine",), ("netgraph:Normetanephrine",)}
    chebi = rows(kg, "SELECT ?m WHERE { netgraph:Metanephrine skos:exactMatch ?m }")
    assert ("CHEBI:89633",) in chebi


def test_which_markers_are_used_for_gastrointestinal_nets(kg):
    """Which biochemical markers are used in diagnosing gastrointestinal NETs, and what are they?"""
    found = rows(kg, DIAGNOSED, tumour="netgraph:GastrointestinalNeuroendocrineNeoplasm")
    assert {"netgraph:Urinary5HiaaMeasurement", "netgraph:PlasmaChromograninAMeasurement"} <= {t for t, *_ in found}
    analytes = rows(kg, """SELECT ?t ?x ?id WHERE { VALUES ?t { netgraph:Urinary5HiaaMeasurement netgraph:PlasmaChromograninAMeasurement }
                           ?t netgraph:measures ?x . ?x skos:exactMatch ?id }""")
    assert ("netgraph:Urinary5HiaaMeasurement", "netgraph:FiveHydroxyindoleaceticAcid", "CHEBI:27823") in analytes
    assert ("netgraph:PlasmaChromograninAMeasurement", "netgraph:ChromograninA", "UniProt:P10645") in analytes


def test_what_does_calcitonin_tell_about_medullary_thyroid_carcinoma(kg):
    """Does medullary thyroid carcinoma secrete calcitonin, and what is measuring it for?"""
    produces = rows(kg, """SELECT ?f WHERE { ?a a netgraph:ProductionAssociation ; netgraph:subject netgraph:MedullaryThyroidCarcinoma ;
                           netgraph:object netgraph:Calcitonin ; netgraph:hasSource ngsrc:pdq-thyroid-2025 ; netgraph:hasFrequency ?f }""")
    assert produces == {("netgraph:Usually",)}  # "usually secretes": a hedged statement, not a class axiom
    purposes = {p for t, p, s, _ in rows(kg, DIAGNOSED, tumour="netgraph:MedullaryThyroidCarcinoma")
                if t == "netgraph:SerumCalcitoninMeasurement" and s == "ngsrc:pdq-thyroid-2025"}
    assert purposes == {"netgraph:Detection", "netgraph:FollowUp"}


def test_a_hedged_sign_stays_on_the_class_it_was_stated_for(kg):
    """Do somatostatinomas in general present with gallstones, or only the pancreatic ones the summary speaks of?"""
    stated = rows(kg, """SELECT ?t ?f WHERE { ?a a netgraph:PresentationAssociation ; netgraph:subject ?t ;
                         netgraph:object netgraph:Cholelithiasis ; netgraph:hasFrequency ?f ;
                         netgraph:hasSource ngsrc:pdq-pnet-2025 }""")  # Orphanet's annotations are on their own classes
    assert stated == {("netgraph:PancreaticSomatostatinoma", "netgraph:Often")}
    assert not rows(kg, "ASK { netgraph:Somatostatinoma netgraph:mayPresentWith netgraph:Cholelithiasis }".replace("ASK", "SELECT * WHERE"))


def test_which_treatments_are_stated_for_non_functioning_tumours(kg):
    """Which treatments are stated for non-functioning tumours, and with which evidence?"""
    found = rows(kg, """SELECT DISTINCT ?drug ?evidence WHERE { ?a netgraph:indicationFunctionalStatus netgraph:NonFunctioningTumours ;
                        netgraph:object ?drug ; netgraph:evidenceType ?evidence }""")
    assert found == {("netgraph:Everolimus", "netgraph:FdaApproval"), ("netgraph:Everolimus", "netgraph:RandomisedTrial")}


def test_the_canned_interventions_query_shows_indication_and_evidence(kg):
    """Through the canned query: which interventions for medullary thyroid carcinoma, with line, evidence and trial?"""
    r = kg.query("tumour-interventions", tumour="netgraph:MedullaryThyroidCarcinoma", inherited=False)
    got = {(str(row["intervention"]), None if row["trialLabel"] is None else str(row["trialLabel"]),
            None if row["evidenceType"] is None else str(row["evidenceType"])) for row in r}
    assert ("netgraph:Cabozantinib", "EXAM", "randomised trial") in got
    assert ("netgraph:Vandetanib", None, "FDA approval") in got
    lines = {(str(row["intervention"]), str(row["line"])) for row in r if row["line"] is not None}
    assert ("netgraph:Selpercatinib", "first-line treatment") in lines
    assert ("netgraph:Selpercatinib", "after previous treatment") in lines


def test_which_drugs_carry_a_drugbank_identifier(kg):
    """Which of the treatment drugs are mapped to DrugBank (through ChEBI)?"""
    found = rows(kg, """SELECT ?d ?id WHERE { ?d skos:exactMatch ?id . ?d a/rdfs:subClassOf* netgraph:Intervention
                        FILTER(STRSTARTS(STR(?id), "http://identifiers.org/drugbank/")) }""")
    assert ("netgraph:Everolimus", "DRUGBANK:DB01590") in found
    assert ("netgraph:Sunitinib", "DRUGBANK:DB01268") in found
