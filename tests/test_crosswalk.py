"""`netgraph resolve` and the crosswalk library: spellings, directions, obsolete codes, one-to-many."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crosswalk_project import ROOT, make_project, replace_line
from netgraph.cli import main
from netgraph.crosswalk import load_index, normalise, resolve
from netgraph.crosswalk.predicates import relation
from netgraph.crosswalk.resolve import Match
from netgraph.errors import CurationError

PNET = "netgraph:PancreaticNeuroendocrineTumour"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("crosswalk"), build=False)


@pytest.fixture(scope="module")
def index(project):
    return load_index(project)


@pytest.fixture(scope="module")
def real_index():
    return load_index(ROOT)


# -- spellings ------------------------------------------------------------------------------

ORPHA_SPELLINGS = ["ORPHA:97253", "Orphanet:97253", "ORPHANET:97253", "Orphanet_97253",
                   "http://www.orpha.net/ORDO/Orphanet_97253", "https://www.orpha.net/ORDO/Orphanet_97253",
                   "orpha:97253", " ORPHA 97253 ", "ORPHA97253", "ORDO:97253", '"ORPHA:97253"']
MONDO_SPELLINGS = ["MONDO:0019954", "http://purl.obolibrary.org/obo/MONDO_0019954", "MONDO_0019954", "mondo:0019954"]
NCIT_SPELLINGS = ["NCIT:C27720", "ncit:c27720", "NCIt:C27720", "http://purl.obolibrary.org/obo/NCIT_C27720"]


@pytest.mark.parametrize("spelling", ORPHA_SPELLINGS + MONDO_SPELLINGS + NCIT_SPELLINGS)
def test_every_spelling_resolves_to_the_same_entity(index, spelling):
    res = resolve(spelling, index=index)
    assert res.status == "resolved", res.message
    assert res.entity.curie == PNET
    assert res.predicate == "skos:exactMatch"
    assert res.code in ("ORPHA:97253", "MONDO:0019954", "NCIT:C27720")
    assert res.iri == "https://w3id.org/netgraph/PancreaticNeuroendocrineTumour"
    assert res.label == "pancreatic neuroendocrine tumour (well differentiated)"
    assert {m.code for m in res.entity_codes} >= {"ORPHA:97253", "MONDO:0019954", "NCIT:C27720", "ICDO:8150/1"}


@pytest.mark.parametrize("spelling", ORPHA_SPELLINGS[:5] + MONDO_SPELLINGS[:2] + ["NCIT:C27720"])
def test_every_spelling_resolves_in_the_real_mappings(real_index, spelling):
    assert resolve(spelling, index=real_index).entity.curie == PNET


@pytest.mark.parametrize("spelling, code, entity", [
    ("8240/3", "ICDO:8240/3", "netgraph:CarcinoidTumour"),
    ("M8240/3", "ICDO:8240/3", "netgraph:CarcinoidTumour"),
    ("ICD-O-3:8240/3", "ICDO:8240/3", "netgraph:CarcinoidTumour"),
    ("C25.4", "ICD10CM:C25.4", "netgraph:PancreaticNeuroendocrineCarcinoma"),
    ("c25.4", "ICD10CM:C25.4", "netgraph:PancreaticNeuroendocrineCarcinoma"),
    ("C254", "ICD10CM:C25.4", "netgraph:PancreaticNeuroendocrineCarcinoma"),
    ("ICD10:C25.4", "ICD10CM:C25.4", "netgraph:PancreaticNeuroendocrineCarcinoma"),
    ("E34.0", "ICD10CM:E34.0", "netgraph:CarcinoidSyndrome"),
    ("171300", "OMIM:171300", "netgraph:Pheochromocytoma"),
    ("MIM:171300", "OMIM:171300", "netgraph:Pheochromocytoma"),
    ("OMIM:171300", "OMIM:171300", "netgraph:Pheochromocytoma"),
])
def test_icd_icdo_and_omim_codes_resolve(index, spelling, code, entity):
    res = resolve(spelling, index=index)
    assert (res.status, res.code, res.entity.curie) == ("resolved", code, entity), res.message
    if ":" not in spelling:
        assert code in res.read_as  # a bare code says how it was read


def test_a_bare_code_known_in_two_systems_is_ambiguous_not_guessed(index):
    res = resolve("131100", index=index)  # OMIM entry (MEN1) and OMIM phenotypic series (MEN)
    assert res.status == "ambiguous"
    assert res.entity is None
    assert set(res.candidates) == {"OMIM:131100", "OMIMPS:131100"}
    assert "--prefix" in res.message
    named = resolve("131100", prefix="MIM", index=index)
    assert named.entity.curie == "netgraph:MultipleEndocrineNeoplasiaType1"


def test_normalise_reports_every_system_a_bare_code_fits():
    assert normalise("C25.4").candidates == ("ICD10CM:C25.4", "ICD10WHO:C25.4")
    assert normalise("8240/3").candidates == ("ICDO:8240/3",)
    assert normalise("Orphanet_97253").candidates == ("ORPHA:97253",)
    assert not normalise("ORPHA:97253").bare and normalise("97253").bare


# -- direction ------------------------------------------------------------------------------

def test_narrow_match_says_netgraph_is_broader(index):
    res = resolve("ORPHA:100085", index=index)  # netgraph:HepaticNeuroendocrineNeoplasm skos:narrowMatch ORPHA:100085
    assert res.status == "resolved"
    assert res.entity.curie == "netgraph:HepaticNeuroendocrineNeoplasm"
    assert res.predicate == "skos:narrowMatch"
    assert "HepaticNeuroendocrineNeoplasm (primary hepatic neuroendocrine neoplasm) is broader than ORPHA:100085" in res.relation


def test_broad_match_says_netgraph_is_narrower(index):
    res = resolve("Orphanet_573163", index=index)  # netgraph:Pheochromocytoma skos:broadMatch ORPHA:573163
    assert res.status == "resolved"
    assert res.entity.curie == "netgraph:Pheochromocytoma"
    assert res.predicate == "skos:broadMatch"
    assert "Pheochromocytoma (pheochromocytoma) is narrower than ORPHA:573163" in res.relation


def test_direction_words_on_every_real_broad_and_narrow_row(real_index):
    seen = {"skos:broadMatch": 0, "skos:narrowMatch": 0}
    for code, records in real_index.by_code.items():
        for rec in records:
            if rec.predicate_id not in seen:
                continue
            seen[rec.predicate_id] += 1
            words = "is narrower than" if rec.predicate_id == "skos:broadMatch" else "is broader than"
            assert f" {words} {code}" in Match(real_index.entities[rec.subject_local], rec).relation
        if len(records) == 1 and records[0].predicate_id in seen:  # the code's only mapping: resolve says it
            res = resolve(code, index=real_index)
            assert res.status == "resolved" and res.predicate == records[0].predicate_id
            assert res.entity.curie == records[0].subject_id
    assert seen["skos:broadMatch"] and seen["skos:narrowMatch"], "the real mappings have broad and narrow rows"


def test_relation_sentence():
    assert relation("skos:broadMatch", "netgraph:X", "ORPHA:1") == "netgraph:X is narrower than ORPHA:1"
    assert relation("skos:narrowMatch", "netgraph:X", "ORPHA:1") == "netgraph:X is broader than ORPHA:1"


# -- one code, several entities ----------------------------------------------------------------

def test_exact_beats_broader_and_narrower_mappings(index):
    res = resolve("ORPHA:100092", index=index)
    assert res.entity.curie == "netgraph:GastroenteropancreaticNeuroendocrineNeoplasm"
    assert res.predicate == "skos:exactMatch"
    assert len({m.entity.id for m in res.matches}) == 3
    assert "2 other netgraph entities also map" in res.message


def test_close_matches_in_one_hierarchy_link_to_the_entity_containing_the_others(index):
    res = resolve("8150/1", index=index)  # close to pancreatic NEN and to pancreatic NET (a subclass)
    assert res.status == "resolved"
    assert res.entity.curie == "netgraph:PancreaticNeuroendocrineNeoplasm"


def test_close_matches_to_unrelated_entities_are_ambiguous(index):
    res = resolve("ICDO:8150/3", index=index)
    assert res.status == "ambiguous"
    assert res.entity is None
    assert set(res.candidates) == {"netgraph:NonFunctionalPancreaticNeuroendocrineTumour",
                                   "netgraph:PancreaticNeuroendocrineCarcinoma"}


def test_a_negated_mapping_is_never_the_link(index):
    res = resolve("ORPHA:97279", index=index)  # close match; the exact match is recorded as NOT (ORDO W)
    assert res.entity.curie == "netgraph:Insulinoma"
    assert res.predicate == "skos:closeMatch"
    assert all(m.predicate != "skos:exactMatch" for m in res.matches)


# -- obsolete codes ---------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["ORPHA:481469", "Orphanet_481469", "http://www.orpha.net/ORDO/Orphanet_481469"])
def test_an_obsolete_code_answers_with_its_replacement(index, spelling):
    res = resolve(spelling, index=index)
    assert res.status == "obsolete"
    assert res.code == "ORPHA:481469"
    assert res.code_label == "OBSOLETE: Gastric neuroendocrine tumor type 1"
    assert res.replaced_by == "ORPHA:100075"
    assert res.entity.curie == "netgraph:GastricNeuroendocrineNeoplasm"
    assert "is obsolete" in res.message and "use ORPHA:100075" in res.message


def test_obsolete_codes_in_the_real_mappings(real_index):
    res = resolve("ORPHA:481469", index=real_index)
    assert (res.status, res.replaced_by) == ("obsolete", "ORPHA:100075")
    assert res.entity is not None
    mondo = resolve("MONDO:0006048", index=real_index)  # obsolete pancreatic neuroendocrine tumor
    assert (mondo.status, mondo.replaced_by, mondo.entity.curie) == ("obsolete", "MONDO:0019954", PNET)


def test_an_obsolete_code_without_replacement_says_so(index):
    res = resolve("ORPHA:101106", index=index)
    assert (res.status, res.entity, res.replaced_by) == ("obsolete", None, "")
    assert "names no replacement" in res.message
    consider = resolve("MONDO:0015081", index=index)
    assert "consider MONDO:0019496" in consider.message


# -- unknown and malformed --------------------------------------------------------------------

@pytest.mark.parametrize("text, status, words", [
    ("ORPHA:5", "unknown", "no mapping"),
    ("97253000", "unknown", "write it with its prefix"),
    ("FOO:1", "invalid", "unknown prefix 'FOO'"),
    ("ORPHA:12ab", "invalid", "not a valid ORPHA code"),
    ("", "invalid", "empty"),
    ("pancreatic tumour", "invalid", "spaces"),
    ("rdfs:label", "invalid", "not an identifier system"),
    ("https://example.org/x", "invalid", "outside every namespace"),
])
def test_unknown_or_malformed_input_gets_a_clear_message(index, text, status, words):
    res = resolve(text, index=index)
    assert res.status == status
    assert words in res.message
    assert res.entity is None


def test_a_netgraph_id_resolves_to_itself_with_its_codes(index):
    for spelling in (PNET, "https://w3id.org/netgraph/PancreaticNeuroendocrineTumour"):
        res = resolve(spelling, index=index)
        assert res.status == "resolved" and res.entity.curie == PNET
        assert "ORPHA:97253" in {m.code for m in res.entity_codes}
    assert resolve("netgraph:NoSuchThing", index=index).status == "unknown"


def test_the_index_follows_edits_of_the_mapping_file(tmp_path):
    root = make_project(tmp_path, build=False)
    assert resolve("ORPHA:97253", root=root).predicate == "skos:exactMatch"
    sssom = root / "data" / "mappings" / "netgraph.sssom.tsv"
    text = sssom.read_text(encoding="utf-8")
    sssom.write_text(text.replace("skos:exactMatch\tORPHA:97253", "skos:closeMatch\tORPHA:97253").replace("\tE\t", "\t\t"),
                     encoding="utf-8")
    assert resolve("ORPHA:97253", root=root).predicate == "skos:closeMatch"


def test_a_malformed_mapping_file_is_reported_with_file_and_line(tmp_path):
    root = make_project(tmp_path, build=False)
    sssom = root / "data" / "mappings" / "netgraph.sssom.tsv"
    line = replace_line(sssom, "\tNCIT:C27720\t", PNET + "\t\tskos:sameAs\tNCIT:C27720\t\tsemapv:MappingChaining\t"
                        "http://purl.obolibrary.org/obo/ncit.owl\tmondo/releases/2026-08-04\t2026-11-22\t\t\t")
    with pytest.raises(CurationError) as err:
        load_index(root)
    assert f"netgraph.sssom.tsv:{line}:" in str(err.value) and "skos:sameAs" in str(err.value)
    result = CliRunner().invoke(main, ["resolve", "ORPHA:97253", "--root", str(root)])
    assert result.exit_code == 2
    assert f"netgraph.sssom.tsv:{line}" in result.output and "Traceback" not in result.output


# -- the command ------------------------------------------------------------------------------

def test_resolve_command_text(project):
    result = CliRunner().invoke(main, ["resolve", "Orphanet_97253", "ORPHA:100085", "ORPHA:481469", "--root", str(project)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "netgraph:PancreaticNeuroendocrineTumour" in out and "skos:exactMatch" in out
    assert "is broader than ORPHA:100085" in out
    assert "obsolete" in out and "replaced by ORPHA:100075" in out
    assert "codes of netgraph:PancreaticNeuroendocrineTumour" in out and "MONDO:0019954" in out


def test_resolve_command_exit_codes_and_formats(project):
    runner = CliRunner()
    unknown = runner.invoke(main, ["resolve", "ORPHA:5", "--root", str(project)])
    assert unknown.exit_code == 1 and "no mapping" in unknown.output
    bad = runner.invoke(main, ["resolve", "ORPHA:97253", "FOO:bar", "--root", str(project)])
    assert bad.exit_code == 2 and "unknown prefix 'FOO'" in bad.output and "Traceback" not in bad.output
    js = runner.invoke(main, ["resolve", "ORPHANET:97253", "-f", "json", "--root", str(project)])
    data = json.loads(js.output)
    assert data[0]["entity"] == PNET and data[0]["predicate"] == "skos:exactMatch"
    tsv = runner.invoke(main, ["resolve", "131100", "-f", "tsv", "--root", str(project)])
    header, row = tsv.output.strip().split("\n")
    assert header.split("\t")[:2] == ["query", "netgraph_status"] and row.split("\t")[1] == "ambiguous"
    assert tsv.exit_code == 1
