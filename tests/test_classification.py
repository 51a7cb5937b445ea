"""The NEN classification and its codes (issue 10, items 2 and 8).

The classes of ``data/tables/classes-classification.tsv`` and the generated
block of the SSSOM file come from ``python -m netgraph.curation.classification``;
these tests re-run it, check that every live MONDO NEN-subtree class and every
NEN ORPHAcode is a netgraph class or a mapping of one, the mapping predicates,
that ``netgraph resolve`` answers for the new codes, and that no ICD-O-3 WHO
term text entered the graph.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal

from netgraph.cli import main
from netgraph.crosswalk import load_index, normalise, resolve
from netgraph.curation import classification as gen
from netgraph.curation.reference import parse_orphanet_mappings
from netgraph.errors import CurationError

from crosswalk_project import make_project

ROOT = Path(__file__).resolve().parents[1]
SSSOM = ROOT / "data" / "mappings" / "netgraph.sssom.tsv"


def _reference(shared: Path, *parts: str) -> list[dict[str, str]]:
    lines = [ln for ln in (shared / "reference").joinpath(*parts).read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _sssom_rows() -> list[dict[str, str]]:
    lines = [ln for ln in SSSOM.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def rows():
    return _sssom_rows()


@pytest.fixture(scope="module")
def real_index():
    return load_index(ROOT)


# -- the generator -------------------------------------------------------------------------

def _copy_project(dest: Path) -> Path:
    for sub in ("ontology", "data/tables", "data/mappings"):
        shutil.copytree(ROOT / sub, dest / sub)
    return dest


def test_rerunning_the_generator_changes_nothing(tmp_path, shared_dir):
    project = _copy_project(tmp_path / "p")
    assert gen.is_current(ROOT) == [], "the committed classification is not what the generator writes"
    gen.write(project, shared_dir)
    rel = "data/tables/classes-classification.tsv"
    assert (project / rel).read_bytes() == (ROOT / rel).read_bytes(), f"{rel} is not what the generator writes"
    first = (project / "data/mappings/netgraph.sssom.tsv").read_bytes()
    gen.write(project, shared_dir)
    assert (project / "data/mappings/netgraph.sssom.tsv").read_bytes() == first


def test_the_generated_block_may_stand_anywhere_after_a_merge(tmp_path, shared_dir):
    """A merge may append other helpers' rows after the block: still up to date; a changed generated row is not."""
    project = _copy_project(tmp_path / "p")
    sssom = project / "data/mappings/netgraph.sssom.tsv"
    later = "\t".join(["netgraph:Insulinoma", "insulinoma", "skos:relatedMatch", "ICDO:8151/0", "",
                       "semapv:ManualMappingCuration", "x", "y", "2026-12-02", "", "a row appended by a merge"])
    sssom.write_text(sssom.read_text(encoding="utf-8") + later + "\n", encoding="utf-8")
    assert gen.is_current(project, gen.generate(project, shared_dir)) == []
    text = sssom.read_text(encoding="utf-8")
    first = gen.generated_lines(text)[0]
    sssom.write_text(text.replace(first, first + " (edited by hand)"), encoding="utf-8")
    assert gen.is_current(project, gen.generate(project, shared_dir)) == [sssom]


def test_a_broader_nec_mapping_does_not_mint_a_second_nec_class(tmp_path, shared_dir):
    """The corrections make netgraph's NEC broadMatch MONDO:0002120; the generator must still not mint MONDO's NEC."""
    project = _copy_project(tmp_path / "p")
    sssom = project / "data/mappings/netgraph.sssom.tsv"
    text = sssom.read_text(encoding="utf-8")
    exact = "netgraph:NeuroendocrineCarcinoma\tneuroendocrine carcinoma\tskos:exactMatch\tMONDO:0002120"
    broad = exact.replace("exactMatch", "broadMatch")
    sssom.write_text(text.replace(exact, broad), encoding="utf-8")  # the corrections may have made it broad already
    assert broad in sssom.read_text(encoding="utf-8")
    result = gen.generate(project, shared_dir)
    assert result.classes_text == (ROOT / "data/tables/classes-classification.tsv").read_text(encoding="utf-8")
    assert not any(c["label_en"].startswith("neuroendocrine carcinoma") for c in result.classes)


def test_the_generator_keeps_hand_rows_and_replaces_only_its_own(tmp_path, shared_dir):
    project = _copy_project(tmp_path / "p")
    sssom = project / "data/mappings/netgraph.sssom.tsv"
    text = sssom.read_text(encoding="utf-8")
    generated = [ln for ln in text.splitlines() if f"\t{gen.TAG}" in ln]
    hand = [ln for ln in text.splitlines() if ln not in generated]
    # a stale generated row is dropped, a hand row after the block stays
    stale = generated[0].replace("skos:", "skos:", 1).split("\t")
    stale[3] = "ICDO:8000/3"
    extra_hand = "\t".join(["netgraph:Insulinoma", "insulinoma", "skos:relatedMatch", "ICDO:8151/0", "",
                            "semapv:ManualMappingCuration", "x", "y", "2026-12-02", "", "a later hand row"])
    sssom.write_text(text + "\t".join(stale) + "\n" + extra_hand + "\n", encoding="utf-8")
    gen.write(project, shared_dir)
    out = sssom.read_text(encoding="utf-8").splitlines()
    assert "ICDO:8000/3" not in "\n".join(out)
    assert extra_hand in out and out.index(extra_hand) < out.index(generated[0])
    assert [ln for ln in out if f"\t{gen.TAG}" in ln] == generated
    assert [ln for ln in out if f"\t{gen.TAG}" not in ln and ln != extra_hand] == hand


def test_the_generator_stops_on_an_icd10cm_keyword_false_positive(tmp_path, shared_dir, monkeypatch):
    project = _copy_project(tmp_path / "p")
    before = (project / "data/mappings/netgraph.sssom.tsv").read_bytes()
    monkeypatch.setattr(gen, "ICD10CM_MAPPINGS", gen.ICD10CM_MAPPINGS + (("C16", "GastricNeuroendocrineNeoplasm",
                                                                          "skos:narrowMatch", "keyword hit"),))
    with pytest.raises(CurationError, match="C16 is not a code_prefix row"):
        gen.write(project, shared_dir)
    assert (project / "data/mappings/netgraph.sssom.tsv").read_bytes() == before  # nothing half-written


def test_the_generator_cli_reports_up_to_date_and_exits_2_without_a_traceback(tmp_path, monkeypatch, capsys):
    assert gen.main(["--check"]) == 0
    monkeypatch.setenv("NETGRAPH_SHARED", str(tmp_path / "nowhere"))
    assert gen.main(["--check"]) == 2
    assert "shared folder" in capsys.readouterr().err


def test_camel_case_ids_are_british_and_readable():
    assert gen.camel_id("esophageal small cell neuroendocrine carcinoma") == "OesophagealSmallCellNeuroendocrineCarcinoma"
    assert gen.camel_id("gallbladder neuroendocrine tumor, grade 1/2") == "GallbladderNeuroendocrineTumourGrade1Or2"
    assert gen.camel_id("L-cell glucagon-like peptide-producing neuroendocrine tumor") == \
        "LCellGlucagonLikePeptideProducingNeuroendocrineTumour"


def test_orphanet_mapping_cells_are_read_with_their_qualifier():
    cell = ("OMIM:162300 [BTNT (ORPHAcode is broader than the targeted code used to represent it)] ; "
            "OMIM:171400 [E (Exact mapping: the two concepts are equivalent)]")
    got = parse_orphanet_mappings(cell)
    assert [(m.code, m.qualifier) for m in got] == [("OMIM:162300", "BTNT"), ("OMIM:171400", "E")]
    with pytest.raises(CurationError, match="cannot read the Orphanet mapping"):
        parse_orphanet_mappings("OMIM:162300 BTNT")


# -- completeness --------------------------------------------------------------------------

def test_every_live_mondo_nen_subtree_class_is_a_netgraph_class_or_a_mapping_of_one(shared_dir, rows, union_graph):
    from rdflib import OWL, RDF, URIRef

    subtree = {r["mondo_id"] for r in _reference(shared_dir, "diseases.tsv")
               if r["in_neuroendocrine_neoplasm_subtree"] == "yes" and r["obsolete"] == "false"}
    assert len(subtree) > 150
    mapped = {r["object_id"]: r for r in rows if r["object_id"] in subtree}
    assert sorted(subtree - set(mapped)) == []
    for r in mapped.values():
        iri = URIRef("https://w3id.org/netgraph/" + r["subject_id"].split(":", 1)[1])
        assert (iri, RDF.type, OWL.Class) in union_graph, r["subject_id"]


def test_no_mondo_class_is_mapped_exactly_by_two_netgraph_classes(rows):
    seen: dict[str, str] = {}
    for r in rows:
        if r["predicate_id"] == "skos:exactMatch" and r["object_id"].startswith("MONDO:"):
            assert seen.setdefault(r["object_id"], r["subject_id"]) == r["subject_id"], r["object_id"]


def test_every_nen_orphacode_is_mapped_and_every_other_one_says_why_not(shared_dir, rows):
    entities = {"ORPHA:" + r["orphacode"] for r in _reference(shared_dir, "orphanet", "orphanet_nen_entities.tsv")}
    classified = {"ORPHA:" + r["orphacode"] for r in _reference(shared_dir, "orphanet", "orphanet_nen_classification_paths.tsv")}
    objects = {r["object_id"] for r in rows}
    assert classified <= entities
    assert set(gen.OUT_OF_SCOPE) <= entities
    assert sorted(entities - set(gen.OUT_OF_SCOPE) - objects) == []
    assert len(gen.OUT_OF_SCOPE) <= 12 and all(len(why) > 20 for why in gen.OUT_OF_SCOPE.values())


def test_orphanet_hierarchy_is_recorded_not_forced(rows, union_graph):
    """Orphanet files Somatostatinoma under duodenal and jejunal NET; MONDO (and netgraph) do not: recorded, not forced."""
    from rdflib import RDFS, URIRef

    ng = "https://w3id.org/netgraph/"
    jejunal = next(r for r in rows if r["object_id"] == "ORPHA:100077")
    assert jejunal["subject_id"] == "netgraph:JejunalNeuroendocrineTumourWellDifferentiatedLowOrIntermediateGrade"
    assert ("Orphanet classification (orphanet-2025-07-classification) places ORPHA:100077 under ORPHA:423975 "
            "(Neuroendocrine tumor of the small intestine)") in jejunal["comment"]
    liver = next(r for r in rows if r["object_id"] == "ORPHA:100085" and r["predicate_id"] == "skos:exactMatch")
    assert "places ORPHA:100085 under ORPHA:424933" in liver["comment"]
    parents = set(union_graph.objects(URIRef(ng + "Somatostatinoma"), RDFS.subClassOf))
    assert URIRef(ng + "DuodenalNeuroendocrineTumour") not in parents
    note = str(union_graph.value(URIRef(ng + "ThymicNeuroendocrineCarcinoma"), URIRef(ng + "curationNote")))
    assert "places ORPHA:99869 under ORPHA:3398 (Thymic epithelial neoplasm)" in note
    assert URIRef(ng + "NeuroendocrineCarcinoma") in set(union_graph.objects(URIRef(ng + "ThymicNeuroendocrineCarcinoma"),
                                                                            RDFS.subClassOf))


def test_no_class_is_both_a_net_and_a_nec(union_graph):
    rows = union_graph.query("""
        PREFIX netgraph: <https://w3id.org/netgraph/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?c WHERE { ?c rdfs:subClassOf* netgraph:NeuroendocrineTumour , netgraph:NeuroendocrineCarcinoma }""")
    assert list(rows) == []


# -- predicates ----------------------------------------------------------------------------

EXPECTED = {
    ("netgraph:DuodenalNeuroendocrineTumour", "ICD10CM:C7A.010"): "skos:narrowMatch",
    ("netgraph:DuodenalNeuroendocrineTumour", "ICD10CM:D3A.010"): "skos:narrowMatch",
    ("netgraph:SmallIntestinalNeuroendocrineTumour", "ICD10CM:C7A.019"): "skos:narrowMatch",
    ("netgraph:NeuroendocrineCarcinoma", "ICD10CM:C7A.1"): "skos:narrowMatch",
    ("netgraph:CarcinoidTumour", "ICD10CM:C7B.02"): "skos:relatedMatch",
    ("netgraph:MerkelCellCarcinoma", "ICD10CM:C4A.31"): "skos:narrowMatch",
    ("netgraph:CarcinoidHeartDisease", "ICD10CM:E34.01"): "skos:exactMatch",
    ("netgraph:CarcinoidSyndrome", "ICD10CM:E34.09"): "skos:narrowMatch",
    ("netgraph:MultipleEndocrineNeoplasiaType2A", "ICD10CM:E31.22"): "skos:exactMatch",
    ("netgraph:PancreaticNeuroendocrineNeoplasm", "ICD10CM:C25.4"): "skos:narrowMatch",
    ("netgraph:ZollingerEllisonSyndrome", "ICD10CM:E16.4"): "skos:broadMatch",
    ("netgraph:AtypicalCarcinoidTumour", "ICDO:8249/3"): "skos:closeMatch",
    ("netgraph:AtypicalLungCarcinoidTumour", "ICDO:8249/3"): "skos:broadMatch",
    ("netgraph:SmallCellCarcinoma", "ICDO:8041/3"): "skos:closeMatch",
    ("netgraph:LargeCellNeuroendocrineCarcinoma", "ICDO:8013/3"): "skos:closeMatch",
    ("netgraph:MixedNeuroendocrineNonNeuroendocrineNeoplasm", "ICDO:8244/3"): "skos:narrowMatch",
    ("netgraph:SmallCellLungCarcinoma", "ORPHA:70573"): "skos:exactMatch",
    ("netgraph:MultipleEndocrineNeoplasia", "ORPHA:100094"): "skos:broadMatch",
}


@pytest.mark.parametrize("pair", sorted(EXPECTED), ids=lambda p: f"{p[0].split(':')[1]}-{p[1]}")
def test_mapping_predicates(rows, pair):
    got = [r["predicate_id"] for r in rows if (r["subject_id"], r["object_id"]) == pair]
    assert got == [EXPECTED[pair]]


def test_c25_4_is_never_added_as_an_exact_match(rows):
    generated = [r for r in rows if r["object_id"] == "ICD10CM:C25.4" and r["comment"].startswith(gen.TAG)]
    assert [r["predicate_id"] for r in generated] == ["skos:narrowMatch"]


def test_icd10cm_mappings_use_only_codes_selected_by_their_code(shared_dir, rows):
    selected = {r["code"]: r["selected_because"] for r in _reference(shared_dir, "icd", "icd10cm_2026_nen_codes.tsv")}
    generated = [r["object_id"][8:] for r in rows if r["object_id"].startswith("ICD10CM:") and r["comment"].startswith(gen.TAG)]
    assert len(generated) > 100
    assert [c for c in generated if selected.get(c) != "code_prefix"] == []


def test_omim_rows_keep_orphanets_qualifier_and_read_it_as_mondo_does(shared_dir, rows):
    raw = {"ORPHA:" + r["orphacode"]: r["external_references_with_DisorderMappingRelation"]
           for r in _reference(shared_dir, "orphanet", "orphanet_nen_entities.tsv")}
    qualified = [r for r in rows if r["object_id"].startswith("OMIM:") and r["orphanet_qualifier"]]
    assert len(qualified) >= 10
    expected = {"E": "skos:exactMatch", "NTBT": "skos:broadMatch", "BTNT": "skos:narrowMatch"}
    for r in qualified:
        assert r["predicate_id"] == expected[r["orphanet_qualifier"]], r
        orpha = r["comment"].split("via ", 1)[1].split(" ", 1)[0]
        assert f"{r['object_id']} [{r['orphanet_qualifier']} (" in raw[orpha]
    men2 = {r["object_id"]: r["predicate_id"] for r in qualified if r["subject_id"] == "netgraph:MultipleEndocrineNeoplasiaType2"}
    assert men2.get("OMIM:171400") == "skos:narrowMatch"  # Orphanet: MEN2 is broader than OMIM 171400 (BTNT)


def test_a_qualifier_contradicting_the_predicate_on_an_omim_row_stops_the_build(tmp_path):
    from netgraph.build import build

    project = make_project(tmp_path / "p", build=False)
    sssom = project / "data" / "mappings" / "netgraph.sssom.tsv"
    header = next(ln for ln in sssom.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")).split("\t")
    row = dict.fromkeys(header, "")
    row.update(subject_id="netgraph:Insulinoma", subject_label="insulinoma", predicate_id="skos:narrowMatch",
               object_id="OMIM:131100", mapping_justification="semapv:MappingChaining", object_source="https://omim.org/",
               object_source_version="x", mapping_date="2026-12-02", orphanet_qualifier="NTBT")
    with sssom.open("a", encoding="utf-8") as fh:
        fh.write("\t".join(row[h] for h in header) + "\n")
    with pytest.raises(CurationError, match=r"orphanet_qualifier NTBT .* contradicts skos:narrowMatch"):
        build(project)
    text = sssom.read_text(encoding="utf-8").replace("skos:narrowMatch\tOMIM:131100", "skos:broadMatch\tOMIM:131100")
    sssom.write_text(text, encoding="utf-8")
    build(project)  # NTBT read from the Orphanet disorder: the OMIM entry is broader


# -- resolve -------------------------------------------------------------------------------

@pytest.mark.parametrize("code, curie, entity, predicate", [
    ("C7A.010", "ICD10CM:C7A.010", "netgraph:DuodenalNeuroendocrineTumour", "skos:narrowMatch"),
    ("c7a010", "ICD10CM:C7A.010", "netgraph:DuodenalNeuroendocrineTumour", "skos:narrowMatch"),
    ("8249/3", "ICDO:8249/3", "netgraph:AtypicalCarcinoidTumour", "skos:closeMatch"),
    ("M8249/3", "ICDO:8249/3", "netgraph:AtypicalCarcinoidTumour", "skos:closeMatch"),
    ("82493", "ICDO:8249/3", "netgraph:AtypicalCarcinoidTumour", "skos:closeMatch"),
    ("E34.0", "ICD10CM:E34.0", "netgraph:CarcinoidSyndrome", "skos:exactMatch"),
    ("ICD-10-CM:E34.01", "ICD10CM:E34.01", "netgraph:CarcinoidHeartDisease", "skos:exactMatch"),
])
def test_the_new_codes_resolve(real_index, code, curie, entity, predicate):
    res = resolve(code, index=real_index)
    assert (res.status, res.code, res.entity.curie, res.predicate) == ("resolved", curie, entity, predicate)


def test_a_five_digit_icdo_code_is_read_as_morphology_and_behaviour():
    assert "ICDO:8249/3" in normalise("82493").candidates
    assert normalise("ICD-O-3:82493").candidates == ("ICDO:8249/3",)


def test_netgraph_resolve_answers_for_the_three_codes_of_the_issue():
    result = CliRunner().invoke(main, ["resolve", "C7A.010", "8249/3", "E34.0"])
    assert result.exit_code == 0, result.output
    for words in ("C7A.010: resolved", "8249/3: resolved", "E34.0: resolved",
                  "netgraph:DuodenalNeuroendocrineTumour", "netgraph:AtypicalCarcinoidTumour", "netgraph:CarcinoidSyndrome"):
        assert words in result.output


# -- licences: codes only for ICD-O-3 --------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def who_term_leaks(texts, shared: Path) -> list[str]:
    """The texts that equal a WHO term (``str`` column of the ICD-O-3 extract) no open reference also uses.

    A literal may coincide with a WHO term only when an openly licensed reference gives the same words for
    a disease (a MONDO label or synonym, an Orphanet label or synonym, an ICD-10-CM title or inclusion
    term): 'Merkel cell carcinoma' is MONDO's and Orphanet's wording too. Nothing else may match.
    """
    who = {_norm(r["str"]) for r in _reference(shared, "icd", "icdo3_morphology_nen_ohdsi.tsv") if r["str"].strip()}
    open_words: set[str] = set()
    for r in _reference(shared, "diseases.tsv"):
        open_words |= {_norm(r["label"])} | {_norm(s) for s in r["synonyms"].split("|")}
    for r in _reference(shared, "disease_xrefs.tsv"):
        if r["prefix"] != "ICDO":
            open_words.add(_norm(r["xref_label"]))
    for r in _reference(shared, "orphanet", "orphanet_nen_entities.tsv"):
        open_words |= {_norm(r["label"])} | {_norm(s) for s in r["synonyms"].split(";")}
    for r in _reference(shared, "icd", "icd10cm_2026_nen_codes.tsv"):
        open_words |= {_norm(r["description"])} | {_norm(s) for s in r["inclusionTerm"].split("|")}
    return sorted({_norm(t) for t in texts} & (who - open_words))


def test_no_icdo3_who_term_text_is_in_the_graph(shared_dir, union_graph, rows):
    """Every literal of the union_graph graph is compared with the WHO term column of the ICD-O-3 extract."""
    literals = [str(o) for o in union_graph.objects() if isinstance(o, Literal)]
    assert len(literals) > 1000
    assert who_term_leaks(literals, shared_dir) == []
    assert [r["object_id"] for r in rows if r["object_id"].startswith("ICDO:") and r["object_label"]] == []
    icdo = "http://purl.bioontology.org/ontology/ICDO/"
    assert [s for s, o in union_graph.subject_objects() if str(s).startswith(icdo) and isinstance(o, Literal)] == []


def test_the_who_term_check_fires_on_a_copied_term(shared_dir):
    """The comparison is not vacuous: a WHO term that no open reference uses is caught, in any case or spacing."""
    terms = [r["str"] for r in _reference(shared_dir, "icd", "icdo3_morphology_nen_ohdsi.tsv")]
    leaked = next(t for t in terms if who_term_leaks([t], shared_dir))
    assert who_term_leaks(["a label", "  " + leaked.upper() + " "], shared_dir) == [_norm(leaked)]
