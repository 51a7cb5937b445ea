"""Competency questions on Orphanet's phenotype annotations (issue 10, item 7), asked of the built graph."""

from __future__ import annotations

from test_corrections import ask  # the shared fixture: SPARQL over the built store

ORPHANET = "ngsrc:orphanet-2025-12-phenotypes"


def orphanet_statements(ask, subject: str, obj: str) -> list[tuple]:
    """(subject, object, frequency, Orphanet's words, record) of Orphanet's presents-with statements."""
    return ask(f"""
        SELECT ?s ?o ?freq ?words ?record WHERE {{
          VALUES (?s ?o) {{ ({subject} {obj}) }}
          ?a a netgraph:PresentationAssociation ; netgraph:hasSource {ORPHANET} ;
             netgraph:subject ?s ; netgraph:object ?o ; netgraph:hasFrequency ?freq ;
             netgraph:frequencyText ?words ; netgraph:sourceRecord ?record .
        }} ORDER BY ?s ?o""")


def test_how_often_does_a_glucagonoma_present_with_necrolytic_migratory_erythema(ask):
    """According to Orphanet, how often does a glucagonoma present with necrolytic migratory erythema?"""
    rows = orphanet_statements(ask, "netgraph:Glucagonoma", "netgraph:NecrolyticMigratoryErythema")
    assert rows == [("netgraph:Glucagonoma", "netgraph:NecrolyticMigratoryErythema", "netgraph:OrphanetFrequent",
                     "Frequent (79-30%)", "ORPHA:97280")]


def test_what_range_is_orphanets_very_frequent(ask):
    """What share of patients does Orphanet's 'very frequent' class stand for?"""
    [(low, high)] = ask("SELECT ?lo ?hi WHERE { netgraph:OrphanetVeryFrequent netgraph:minPercent ?lo ; netgraph:maxPercent ?hi }")
    assert (float(low), float(high)) == (80.0, 99.0)


def test_which_tumours_very_frequently_present_with_hypokalaemia(ask):
    """Which tumours present with hypokalaemia in 80-99 % of patients, says Orphanet?"""
    rows = ask(f"""SELECT DISTINCT ?s WHERE {{ ?a netgraph:hasSource {ORPHANET} ; netgraph:subject ?s ;
                   netgraph:object netgraph:Hypokalaemia ; netgraph:hasFrequency netgraph:OrphanetVeryFrequent }}""")
    assert rows == [("netgraph:Vipoma",)]


def test_how_often_does_men1_present_with_zollinger_ellison_syndrome(ask):
    """How often does MEN1 present with Zollinger-Ellison syndrome, and is that the syndrome class itself?"""
    rows = orphanet_statements(ask, "netgraph:MultipleEndocrineNeoplasiaType1", "netgraph:ZollingerEllisonSyndrome")
    assert [(r[2], r[4]) for r in rows] == [("netgraph:OrphanetFrequent", "ORPHA:652")]


def test_which_syndromes_present_with_pheochromocytoma_and_how_often(ask):
    """Which hereditary syndromes present with pheochromocytoma, and in what share of patients (Orphanet)?"""
    rows = ask(f"""SELECT ?s ?freq WHERE {{ ?a netgraph:hasSource {ORPHANET} ; netgraph:subject ?s ;
                   netgraph:object ?o ; netgraph:hasFrequency ?freq . ?o skos:exactMatch ?hp .
                   ?s rdfs:subClassOf* netgraph:HereditarySyndrome . FILTER(STR(?hp) = STR(HP:0002666)) }} ORDER BY ?s""")
    assert ("netgraph:MultipleEndocrineNeoplasiaType2", "netgraph:OrphanetFrequent") in rows
    assert ("netgraph:NeurofibromatosisType1", "netgraph:OrphanetOccasional") in rows


def test_what_is_obligate_in_carcinoid_syndrome(ask):
    """Which phenotype does Orphanet give as obligate (100 %) in carcinoid syndrome?"""
    rows = ask(f"""SELECT ?label WHERE {{ ?a netgraph:hasSource {ORPHANET} ; netgraph:subject netgraph:CarcinoidSyndrome ;
                   netgraph:object ?o ; netgraph:hasFrequency netgraph:OrphanetObligate . ?o rdfs:label ?label }}""")
    assert rows == [("Carcinoid tumor (phenotype)",)]


def test_orphanet_diarrhoea_is_the_same_symptom_the_patient_pages_cite(ask):
    """Is Orphanet's diarrhoea (HP:0002014) the netgraph symptom the other sources cite, not a second one?"""
    entities = ask("SELECT ?e WHERE { ?e skos:exactMatch HP:0002014 }")
    assert entities == [("netgraph:Diarrhoea",)]
    sources = {r[0] for r in ask("SELECT DISTINCT ?src WHERE { ?a netgraph:object netgraph:Diarrhoea ; netgraph:hasSource ?src }")}
    assert ORPHANET in sources and len(sources) > 1


def test_no_excluded_phenotype_is_stated_as_a_presentation(ask, shared_dir):
    """Does the graph ever say a condition presents with a phenotype Orphanet marks Excluded (0%)?"""
    from netgraph.curation.orphanet_phenotypes import EXCLUDED, REFERENCE

    excluded = [line.split("\t") for line in (shared_dir / REFERENCE).read_text(encoding="utf-8").splitlines()
                if line.endswith("\t" + EXCLUDED)]
    assert excluded
    for code, _, hp, _, _ in excluded:
        rows = ask(f"""SELECT ?a WHERE {{ ?a netgraph:hasSource {ORPHANET} ; netgraph:sourceRecord "ORPHA:{code}" ;
                       netgraph:object ?o . ?o skos:exactMatch ?hp FILTER(STR(?hp) = STR({hp})) }}""")
        assert rows == [], (code, hp)
    assert ask("SELECT ?a WHERE { ?a netgraph:frequencyText ?t FILTER(CONTAINS(?t, 'Excluded')) }") == []


def test_every_orphanet_statement_is_about_the_class_mapped_exactly_to_its_record(ask):
    """Is each Orphanet statement made on the netgraph class that is exactly Orphanet's disorder?"""
    stray = ask(f"""SELECT ?a WHERE {{ ?a netgraph:hasSource {ORPHANET} ; netgraph:subject ?s ; netgraph:sourceRecord ?r .
                    FILTER NOT EXISTS {{ ?s skos:exactMatch ?code FILTER(STR(?code) = CONCAT(STR(ORPHA:), STRAFTER(?r, "ORPHA:"))) }} }}""")
    assert stray == []
    assert len(ask(f"SELECT ?a WHERE {{ ?a netgraph:hasSource {ORPHANET} }}")) > 700


def test_orphanet_vipoma_phenotypes_are_not_handed_down_to_the_pancreatic_vipoma(ask):
    """Does the pancreatic VIPoma get the VIPoma's Orphanet frequencies? (No: hedged statements stay where stated.)"""
    assert orphanet_statements(ask, "netgraph:Vipoma", "netgraph:Hypokalaemia")
    assert ask("SELECT ?o WHERE { netgraph:PancreaticVipoma netgraph:mayPresentWith ?o }") == []
