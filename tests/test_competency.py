"""Competency questions over the built graph, in plain English (issue 3).

Each test asks the graph a question a researcher would ask and asserts the
answer the five sources (and the cited reference definitions) give.
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


def cited(ask, kind_predicate: str, subject: str, obj: str) -> list[tuple[str, str]]:
    """(source, quote) of every association stating SUBJECT --kind--> OBJECT."""
    return ask(f"""
        SELECT ?source ?quote WHERE {{
          ?a netgraph:subject {subject} ; netgraph:object {obj} ; netgraph:hasSource ?source ; netgraph:quote ?quote .
          {subject} {kind_predicate} {obj} .
        }} ORDER BY ?source""")


def test_which_hormone_do_insulinomas_secrete(ask):
    by_definition = ask("SELECT ?h WHERE { netgraph:Insulinoma rdfs:subClassOf [ owl:onProperty netgraph:secretes ; owl:hasValue ?h ] }")
    assert by_definition == [("netgraph:Insulin",)]
    assert cited(ask, "netgraph:mayProduce", "netgraph:Insulinoma", "netgraph:Insulin")


def test_what_does_the_insulin_of_an_insulinoma_cause(ask):
    rows = cited(ask, "netgraph:mayCause", "netgraph:Insulin", "netgraph:Hypoglycaemia")
    assert rows and all(src.startswith("ngsrc:") for src, _ in rows)


def test_which_syndromes_predispose_to_pancreatic_nets(ask):
    direct = {r[0] for r in ask("""
        SELECT DISTINCT ?s WHERE { ?s netgraph:predisposesTo ?t .
          ?t rdfs:subClassOf* netgraph:PancreaticNeuroendocrineNeoplasm }""")}
    assert "netgraph:MultipleEndocrineNeoplasiaType1" in direct
    inherited = {r[0] for r in ask("""
        SELECT DISTINCT ?s WHERE { ?s a owl:Class ; rdfs:subClassOf* netgraph:HereditarySyndrome ; netgraph:predisposesTo ?t .
          netgraph:PancreaticNeuroendocrineTumour rdfs:subClassOf* ?t }""")}
    assert {"netgraph:MultipleEndocrineNeoplasiaType1", "netgraph:VonHippelLindauDisease",
            "netgraph:NeurofibromatosisType1"} <= inherited


def test_what_can_trigger_a_carcinoid_crisis_and_what_treats_it(ask):
    triggers = {r[0] for r in ask("SELECT ?t WHERE { netgraph:CarcinoidCrisis netgraph:mayBeTriggeredBy ?t }")}
    assert {"netgraph:Anaesthesia", "netgraph:UndergoingSurgery", "netgraph:UndergoingOtherTreatment"} <= triggers
    treatment = ask("""
        SELECT ?i ?purpose ?quote WHERE { ?a a netgraph:TreatmentAssociation ; netgraph:subject netgraph:CarcinoidCrisis ;
          netgraph:object ?i ; netgraph:hasPurpose ?purpose ; netgraph:quote ?quote } ORDER BY ?purpose""")
    assert {(r[0], r[1]) for r in treatment} == {("netgraph:Octreotide", "netgraph:EmergencyTreatment"),
                                                 ("netgraph:Octreotide", "netgraph:Prevention"),
                                                 ("netgraph:SomatostatinAnalogueTherapy", "netgraph:EmergencyTreatment")}
    assert any("octreotide (Sandostatin)" in r[2] for r in treatment if r[0] == "netgraph:Octreotide")


def test_which_sites_nets_can_cause_blood_in_the_stool(ask):
    rows = ask("""
        SELECT DISTINCT ?site WHERE { ?t netgraph:mayPresentWith netgraph:BloodInStool ;
          rdfs:subClassOf* [ owl:onProperty netgraph:hasPrimarySite ; owl:hasValue ?site ] } ORDER BY ?site""")
    assert {"netgraph:Colon", "netgraph:Rectum"} <= {r[0] for r in rows}


def test_what_triggers_flushing_in_small_intestine_nets(ask):
    triggers = {r[0] for r in ask("SELECT ?t WHERE { netgraph:FacialFlushing netgraph:mayBeTriggeredBy ?t }")}
    assert triggers == {"netgraph:SpicyFood", "netgraph:Alcohol", "netgraph:Stress"}


def test_how_many_people_get_a_net_each_year_in_the_netherlands(ask):
    rows = ask("""
        SELECT ?value ?unit ?source WHERE { ?a a netgraph:EpidemiologyAssociation ; netgraph:object netgraph:AnnualIncidence ;
          netgraph:value ?value ; netgraph:unit ?unit ; netgraph:hasSource ?source }""")
    assert rows == [("700", "people diagnosed per year (the Netherlands)", "ngsrc:kankernl-net-2020")]


def test_at_what_age_are_nets_typically_found_and_who_says_so(ask):
    rows = set(ask("""
        SELECT ?value ?source WHERE { ?a netgraph:object netgraph:TypicalAgeAtDiagnosis ; netgraph:value ?value ;
          netgraph:hasSource ?source }"""))
    assert rows == {("60", "ngsrc:1177-net"), ("62", "ngsrc:mayo-gard-netrf-2019")}


def test_share_of_functional_tumours_is_a_qualifier_not_an_axiom(ask):
    rows = ask("""
        SELECT ?value ?freq WHERE { ?a netgraph:object netgraph:ProportionFunctional ; netgraph:value ?value ;
          netgraph:hasFrequency ?freq ; netgraph:hasSource ngsrc:hospital-net-ch }""")
    assert rows == [("30", "netgraph:Proportion")]
    # no universal axiom was made of a hedged statement: no class restriction uses a direct ("may") predicate
    assert ask("""SELECT ?c WHERE { ?c rdfs:subClassOf ?r . ?r owl:onProperty ?p .
                  FILTER(?p NOT IN (netgraph:secretes, netgraph:hasPrimarySite, netgraph:causesHypersecretionSyndrome)) }""") == []


def test_where_do_aggressive_gi_nets_spread(ask):
    assert cited(ask, "netgraph:maySpreadTo", "netgraph:GastrointestinalNeuroendocrineNeoplasm", "netgraph:Liver")


def test_what_do_non_functioning_tumours_present_with(ask):
    signs = {r[0] for r in ask("SELECT ?s WHERE { netgraph:NonFunctionalNeuroendocrineNeoplasm netgraph:mayPresentWith ?s }")}
    assert {"netgraph:GastrointestinalNarrowing", "netgraph:GastrointestinalBleeding", "netgraph:OrganRupture",
            "netgraph:IncidentalFinding"} <= signs


def test_treatments_when_surgery_cannot_cure_carry_their_condition(ask):
    rows = ask("""
        SELECT ?i ?condition WHERE { ?a a netgraph:TreatmentAssociation ; netgraph:object ?i ; netgraph:condition ?condition ;
          netgraph:hasSource ngsrc:nhs-net } ORDER BY ?i""")
    assert any("surgery" in cond.lower() for _, cond in rows)


def test_family_history_raises_the_risk(ask):
    assert cited(ask, "netgraph:predisposesTo", "netgraph:FamilyHistoryOfNet", "netgraph:NeuroendocrineNeoplasm")


def test_which_organs_contain_neuroendocrine_cells(ask):
    organs = {r[0] for r in ask("SELECT ?o WHERE { netgraph:NeuroendocrineCell netgraph:foundIn ?o }")}
    assert {"netgraph:SmallIntestine", "netgraph:Pancreas", "netgraph:ThyroidGland",
            "netgraph:Prostate", "netgraph:Testis"} <= organs


def test_dutch_labels_come_from_the_dutch_source(ask):
    rows = dict(ask('SELECT ?e ?l WHERE { ?e rdfs:label ?l FILTER(LANG(?l) = "nl") }'))
    assert rows["netgraph:Pancreas"] == "alvleesklier"
    assert rows["netgraph:MultipleEndocrineNeoplasiaType1"].startswith("MEN-1")


def test_every_association_has_exactly_one_source_and_one_quote(ask):
    bad = ask("""
        SELECT ?a WHERE { ?a a/rdfs:subClassOf* netgraph:Association .
          { SELECT ?a (COUNT(DISTINCT ?s) AS ?ns) (COUNT(DISTINCT ?q) AS ?nq) WHERE {
              ?a a ?k . ?k rdfs:subClassOf netgraph:Association .
              OPTIONAL { ?a netgraph:hasSource ?s } OPTIONAL { ?a netgraph:quote ?q } } GROUP BY ?a }
          FILTER(?ns != 1 || ?nq != 1) }""")
    assert bad == []


def test_every_source_is_cited(ask):
    uncited = ask("""SELECT ?s WHERE { ?s a/rdfs:subClassOf* netgraph:Source .
                     FILTER NOT EXISTS { ?a netgraph:hasSource ?s } FILTER NOT EXISTS { ?c netgraph:definitionSource ?s } }""")
    assert uncited == []
