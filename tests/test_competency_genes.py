"""Competency questions on hereditary syndromes and their genes (issue 10 item 4).

Answers come from the built graph: Orphanet's gene-disorder associations (with
Orphanet's association type kept) and the PDQ genetics summaries.
"""

from __future__ import annotations

import pytest

import netgraph


@pytest.fixture(scope="module")
def kg():
    with netgraph.open_graph() as g:
        yield g


def genes_of(kg, syndrome: str, association_type: str | None = None) -> set[str]:
    rows = kg.sparql("""SELECT DISTINCT ?_syndrome ?symbol ?type WHERE {
        ?a a netgraph:GeneAssociation ; netgraph:subject ?_syndrome ; netgraph:object ?gene ;
           netgraph:geneAssociationType ?type ; netgraph:hasSource ngsrc:orphanet-2025-12-genes .
        ?_syndrome netgraph:hasGeneticBasis ?gene .
        ?gene rdfs:label ?symbol }""", syndrome=f"netgraph:{syndrome}")
    return {str(r["symbol"]).removesuffix(" gene") for r in rows
            if association_type is None or str(r["type"]) == association_type}


CAUSING = "Disease-causing germline mutation(s) in"


def test_which_genes_cause_men1_men2_men4_and_vhl(kg):
    """Which genes cause MEN1, MEN2, MEN4, VHL?"""
    assert genes_of(kg, "MultipleEndocrineNeoplasiaType1", CAUSING) == {"MEN1"}
    assert genes_of(kg, "MultipleEndocrineNeoplasiaType2A", CAUSING) == {"RET"}
    assert genes_of(kg, "MultipleEndocrineNeoplasiaType2B", CAUSING) == {"RET"}
    assert genes_of(kg, "MultipleEndocrineNeoplasiaType4") == {"CDKN1B"}
    assert genes_of(kg, "VonHippelLindauDisease", CAUSING) == {"VHL"}


def test_what_does_pdq_say_causes_men2(kg):
    """Which gene does the PDQ genetics summary name as the cause of MEN2?"""
    rows = kg.sparql("""SELECT ?gene ?quote WHERE { ?a netgraph:subject netgraph:MultipleEndocrineNeoplasiaType2 ;
        netgraph:object ?gene ; netgraph:hasSource ngsrc:pdq-genetics-nen-2024 ; netgraph:quote ?quote }""")
    assert [(str(r["gene"]), str(r["quote"])) for r in rows] == [
        ("netgraph:RETGene", "MEN2 is caused by germline pathogenic variants in the RET gene.")]


def test_what_is_the_hgnc_id_of_the_men4_gene(kg):
    """What is the HGNC identifier of the gene that causes MEN4?"""
    r = netgraph.resolve("HGNC:1785")
    assert r.status == "resolved" and r.entity.id == "CDKN1BGene"
    # the crosswalk reads the topic files too (entities-genes.tsv): the gene is a known individual
    assert r.entity.kind == "individual" and r.entity.label == "CDKN1B gene"


def test_which_genes_modify_vhl_and_tuberous_sclerosis(kg):
    """Which genes does Orphanet list as modifiers (not causes) of VHL and of tuberous sclerosis?"""
    assert genes_of(kg, "VonHippelLindauDisease", "Modifying germline mutation in") == {"CCND1"}
    assert genes_of(kg, "TuberousSclerosis", "Modifying germline mutation in") == {"IFNG"}
    assert genes_of(kg, "TuberousSclerosis", CAUSING) == {"TSC1", "TSC2"}


def test_which_genes_cause_familial_paraganglioma(kg):
    """Which genes cause hereditary pheochromocytoma-paraganglioma (familial paraganglioma)?"""
    genes = genes_of(kg, "HereditaryPheochromocytomaParaganglioma")
    assert {"SDHA", "SDHB", "SDHC", "SDHD", "SDHAF2", "MAX", "VHL", "NF1", "FH"} <= genes
    assert len(genes) == 13


def test_how_often_does_men1_give_duodenopancreatic_nets(kg):
    """How often do people with MEN1 develop duodenopancreatic NETs, and pituitary tumours?"""
    rows = kg.sparql("""SELECT ?tumour ?text WHERE { ?a a netgraph:PredispositionAssociation ;
        netgraph:subject netgraph:MultipleEndocrineNeoplasiaType1 ; netgraph:object ?tumour ;
        netgraph:hasSource ngsrc:pdq-genetics-nen-2024 ; netgraph:frequencyText ?text }""")
    got = {str(r["tumour"]): str(r["text"]) for r in rows}
    assert got["netgraph:GastroenteropancreaticNeuroendocrineTumour"] == "30% to 80% of patients by age 40 years"
    assert got["netgraph:PituitaryNeuroendocrineNeoplasm"] == "Approximately 15% to 50% of MEN1 patients"


def test_how_often_do_men2a_and_men2b_give_mtc_and_pheochromocytoma(kg):
    """What share of MEN2A patients have MTC, and of MEN2B patients a pheochromocytoma?"""
    rows = kg.sparql("""SELECT ?s ?o ?value WHERE { ?a a netgraph:PredispositionAssociation ; netgraph:subject ?s ;
        netgraph:object ?o ; netgraph:value ?value ; netgraph:hasSource ngsrc:pdq-men2-2025 }""")
    got = {(str(r["s"]), str(r["o"])): str(r["value"]) for r in rows}
    assert got == {("netgraph:MultipleEndocrineNeoplasiaType2A", "netgraph:MedullaryThyroidCarcinoma"): "95",
                   ("netgraph:MultipleEndocrineNeoplasiaType2B", "netgraph:Pheochromocytoma"): "50"}


def test_what_tumours_does_vhl_predispose_to_per_the_pdq_vhl_summary(kg):
    """Which NENs does the PDQ VHL summary say VHL predisposes to, and how often?"""
    rows = kg.sparql("""SELECT ?o ?freq ?text WHERE { ?a a netgraph:PredispositionAssociation ;
        netgraph:subject netgraph:VonHippelLindauDisease ; netgraph:object ?o ; netgraph:hasFrequency ?freq ;
        netgraph:frequencyText ?text ; netgraph:hasSource ngsrc:pdq-vhl-2024 }""")
    got = {str(r["o"]): (str(r["freq"]), str(r["text"])) for r in rows}
    assert got == {"netgraph:Pheochromocytoma": ("netgraph:Proportion", "25% to 30%"),
                   "netgraph:PancreaticNeuroendocrineTumour": ("netgraph:Possible", "may develop")}


def test_which_syndromes_involve_the_vhl_gene(kg):
    """Which syndromes does Orphanet link to the VHL gene?"""
    rows = kg.sparql("""SELECT DISTINCT ?s WHERE { ?s netgraph:hasGeneticBasis netgraph:VHLGene }""")
    assert {str(r["s"]) for r in rows} == {"netgraph:VonHippelLindauDisease",
                                          "netgraph:HereditaryPheochromocytomaParaganglioma"}


def test_every_gene_is_mapped_to_hgnc(kg):
    """Is every gene in the graph mapped to its HGNC identifier?"""
    rows = kg.sparql("""SELECT ?gene (COUNT(?hgnc) AS ?n) WHERE { ?gene a netgraph:Gene .
        OPTIONAL { ?gene skos:exactMatch ?hgnc FILTER(STRSTARTS(STR(?hgnc), "http://identifiers.org/hgnc/")) } }
        GROUP BY ?gene""")
    assert len(rows) == 20 and all(str(r["n"]) == "1" for r in rows)
