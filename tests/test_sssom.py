"""The SSSOM mapping set: valid SSSOM, complete metadata, and the source of every mapping in the graph."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from crosswalk_project import ROOT, FIXTURE, append_line, make_project, replace_line
from netgraph._version import __version__
from netgraph.build import compile_project
from netgraph.crosswalk.emit import ORPHANET_QUALIFIER_PROPERTY, mapping_record_iri
from netgraph.crosswalk.mappingset import read_mapping_set, read_metadata
from netgraph.crosswalk.obsolete import read_obsolete_codes
from netgraph.errors import CurationError
from netgraph.paths import project_paths
from netgraph.prefixes import expand, prefix_map

SKOS = "http://www.w3.org/2004/02/skos/core#"
HAS_DBXREF = URIRef(prefix_map()["oboInOwl"] + "hasDbXref")
REAL_SSSOM = project_paths(ROOT).sssom


def sssom_problems(path: Path, caplog) -> list[str]:
    """What the `sssom` package (sssom-py) finds wrong with an SSSOM/TSV file.

    sssom-py's parser drops a malformed row with only a log warning, so the rows
    it kept are counted against the rows in the file as well as running its
    validators (JSON schema, prefix map completeness, strict CURIEs).
    """
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    with caplog.at_level(logging.WARNING):
        msdf = parse_sssom_table(str(path))
        reports = validate(msdf, fail_on_error=False)
    problems = [f"{kind.name}: {r.message}" for kind, report in reports.items() for r in report.results]
    with open(path, encoding="utf-8") as fh:
        rows = sum(1 for line in fh if line.strip() and not line.startswith("#")) - 1
    if len(msdf.df) != rows:
        dropped = [r.getMessage() for r in caplog.records if "not well-formed" in r.getMessage()]
        problems.append(f"sssom-py kept {len(msdf.df)} of {rows} mappings: {dropped}")
    return problems


SSSOM_PY_WARNINGS = pytest.mark.filterwarnings("ignore::Warning:sssom.*")  # pandas deprecations inside sssom-py


@SSSOM_PY_WARNINGS
@pytest.mark.parametrize("path", [REAL_SSSOM, FIXTURE / "netgraph.sssom.tsv"], ids=["netgraph", "fixture"])
def test_the_mapping_file_is_valid_sssom(path, caplog):
    assert sssom_problems(path, caplog) == []


@SSSOM_PY_WARNINGS
def test_the_sssom_check_fires_on_a_bad_file(tmp_path, caplog):
    bad = tmp_path / "bad.sssom.tsv"
    text = (FIXTURE / "netgraph.sssom.tsv").read_text(encoding="utf-8")
    bad.write_text(text.replace("\tNot\n", "\tMaybe\n").replace("#  ORPHA: http://www.orpha.net/ORDO/Orphanet_\n", ""),
                   encoding="utf-8")
    problems = sssom_problems(bad, caplog)
    assert any("Missing prefix: ORPHA" in p for p in problems)
    assert any("kept 28 of 29" in p and "Maybe" in p for p in problems)


def test_the_metadata_block_is_complete():
    meta = read_metadata(REAL_SSSOM)
    for key in ("mapping_set_id", "license", "mapping_set_version", "mapping_set_title", "mapping_set_description",
                "curie_map", "mapping_date"):
        assert meta.get(key), key
    assert meta["mapping_set_version"] == __version__
    ext = {e["slot_name"]: e["property"] for e in meta.get("extension_definitions", [])}
    assert ext.get("orphanet_qualifier") == ORPHANET_QUALIFIER_PROPERTY.value
    used = {rec.object_prefix for rec in read_mapping_set(REAL_SSSOM).records} | {"netgraph", "skos", "semapv"}
    assert used <= set(meta.curie_map)
    assert all(prefix_map()[p] == uri for p, uri in meta.curie_map.items())  # the one prefix map, copied


def test_every_mapping_in_the_built_graph_comes_from_the_sssom_file():
    result = compile_project(ROOT)
    paths = project_paths(ROOT)
    graphs = {}
    for path in paths.emitted:
        g = Graph()
        g.parse(data=result.files[path].decode("utf-8"), format="turtle")
        graphs[path] = g
    records = read_mapping_set(REAL_SSSOM).records
    expected = {(URIRef(expand(r.subject_id)), URIRef(SKOS + r.predicate_id.split(":")[1]), URIRef(expand(r.object_id)))
                for r in records if not r.negated}
    maps = graphs[paths.mappings_data]
    found = {(s, p, o) for s, p, o in maps if str(p).startswith(SKOS) and str(p).endswith("Match")}
    assert found == expected
    assert {(s, o) for s, o in maps.subject_objects(HAS_DBXREF)} == \
           {(URIRef(expand(r.subject_id)), Literal(r.object_id)) for r in records if not r.negated}
    for path in (paths.ontology_release, paths.instance_data):  # mappings live in the mappings graph only
        leaked = [(s, p, o) for s, p, o in graphs[path]
                  if str(p).startswith(SKOS) and str(p).endswith("Match") and isinstance(o, URIRef)
                  and not str(s).startswith(str(SKOS))]
        assert leaked == [], f"mapping triples outside the mappings graph: {leaked[:3]}"
    for rec in records:  # and each carries its SSSOM record
        node = URIRef(mapping_record_iri(rec).value)
        assert (node, RDF.type, OWL.Axiom) in maps
        assert (node, OWL.annotatedTarget, URIRef(expand(rec.object_id))) in maps
        assert maps.value(node, URIRef(prefix_map()["sssom"] + "object_source_version")) == Literal(rec.object_source_version)


def test_no_live_mapping_uses_a_code_its_source_made_obsolete(shared_dir):
    ref = shared_dir / "reference"
    obsolete = set()
    with open(ref / "full" / "ordo_labels.tsv", encoding="utf-8") as fh:
        obsolete |= {r["orphanet_id"] for r in csv.DictReader(fh, delimiter="\t") if r["obsolete"] == "true"}
    with open(ref / "diseases.tsv", encoding="utf-8") as fh:
        obsolete |= {r["mondo_id"] for r in csv.DictReader(fh, delimiter="\t") if r["obsolete"] == "true"}
    live = [(r.line, r.object_id) for r in read_mapping_set(REAL_SSSOM).records if not r.negated]
    assert [x for x in live if x[1] in obsolete] == []


def test_the_obsolete_code_table_copies_the_reference(shared_dir):
    ours = read_obsolete_codes(project_paths(ROOT).obsolete_codes)
    ref = shared_dir / "reference"
    with open(ref / "orphanet_obsolete.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            assert ours[r["orphanet_id"]].replaced_by == r["replaced_by"], r["orphanet_id"]
            assert ours[r["orphanet_id"]].label == r["label"]
    with open(ref / "diseases.tsv", encoding="utf-8") as fh:
        mondo = {r["mondo_id"]: r for r in csv.DictReader(fh, delimiter="\t")}
    for code, rec in ours.items():
        if code.startswith("MONDO:"):
            assert mondo[code]["obsolete"] == "true", code
            given = mondo[code]["replaced_by"]
            assert (rec.replaced_by or f"consider {' '.join(rec.consider)}".strip()) == (given or "consider"), code


# -- the build: emission and checks (on the fixture project) -----------------------------------------

@pytest.fixture()
def project(tmp_path):
    return make_project(tmp_path, build=False)


def test_obsolete_codes_and_records_are_emitted_without_blank_nodes(project):
    result = compile_project(project)
    paths = project_paths(project)
    text = result.files[paths.mappings_data]
    g = Graph()
    g.parse(data=text.decode("utf-8"), format="turtle")
    old = URIRef(expand("ORPHA:481469"))
    assert (old, OWL.deprecated, Literal(True)) in g
    assert (old, DCTERMS.isReplacedBy, URIRef(expand("ORPHA:100075"))) in g
    assert (old, RDFS.label, Literal("OBSOLETE: Gastric neuroendocrine tumor type 1", lang="en")) in g
    assert (URIRef(expand("MONDO:0007262")), DCTERMS.isReplacedBy, URIRef(expand("MONDO:0100347"))) in g  # chain end
    qualified = [s for s, o in g.subject_objects(URIRef(ORPHANET_QUALIFIER_PROPERTY.value))]
    assert len(qualified) == 2  # E on ORPHA:97253, W on the negated row
    negated = [s for s in qualified if (s, URIRef(prefix_map()["sssom"] + "predicate_modifier"), Literal("Not")) in g]
    assert len(negated) == 1
    insulinoma = URIRef(expand("netgraph:Insulinoma"))
    assert (insulinoma, URIRef(SKOS + "exactMatch"), URIRef(expand("ORPHA:97279"))) not in g  # a NOT is not a link
    assert (insulinoma, URIRef(SKOS + "closeMatch"), URIRef(expand("ORPHA:97279"))) in g
    assert "_:" not in text.decode("utf-8") and "[" not in text.decode("utf-8")
    assert compile_project(project).files[paths.mappings_data] == text  # deterministic


ROW = ("netgraph:PancreaticNeuroendocrineTumour\tpancreatic neuroendocrine tumour (well differentiated)\t{pred}\t{obj}\t\t"
       "{just}\thttp://www.orpha.net/ontologies/ordo.owl\tmondo/releases/2026-08-04\t{date}\t{qual}\t\t{mod}")


@pytest.mark.parametrize("fields, words", [
    (dict(pred="skos:sameAs"), "not a SKOS mapping predicate"),
    (dict(obj="Orphanet:97253"), "write ORPHA:97253"),
    (dict(obj="ORPHA:97a"), "does not match the ORPHA syntax"),
    (dict(just="semapv:GutFeeling"), "not a SEMAPV justification"),
    (dict(date="22/11/2026"), "is not a date"),
    (dict(qual="NTBT"), "contradicts skos:exactMatch"),
    (dict(qual="W"), "needs predicate_modifier Not"),
    (dict(obj="MONDO:0019954", qual="E"), "applies to ORPHA codes and to Orphanet"),
    (dict(obj="ORPHA:481469"), "is obsolete"),
    (dict(obj="ORPHA:97253"), "duplicate mapping"),
    (dict(obj="ORPHA:506052", mod="Maybe"), "predicate_modifier 'Maybe'"),
])
def test_a_malformed_mapping_row_stops_the_build_with_file_and_line(project, fields, words):
    values = dict(pred="skos:exactMatch", obj="ORPHA:506060", just="semapv:ManualMappingCuration", date="2026-11-22",
                  qual="", mod="")
    values.update(fields)
    sssom = project_paths(project).sssom
    line = append_line(sssom, ROW.format(**values))
    with pytest.raises(CurationError) as err:
        compile_project(project)
    assert f"{sssom}:{line}:" in str(err.value)
    assert words in str(err.value)


def test_an_obsolete_object_is_refused_with_its_replacement(project):
    sssom = project_paths(project).sssom
    line = append_line(sssom, ROW.format(pred="skos:exactMatch", obj="ORPHA:481469", just="semapv:ManualMappingCuration",
                                         date="2026-11-22", qual="", mod=""))
    with pytest.raises(CurationError, match=rf":{line}: ORPHA:481469 is obsolete .* \(map ORPHA:100075 instead\)"):
        compile_project(project)


def test_subject_checks_need_the_rest_of_the_build(project):
    sssom = project_paths(project).sssom
    line = replace_line(sssom, "\tORPHA:652\t", "netgraph:MultipleEndocrineNeoplasiaTypeOne\tx\tskos:exactMatch\tORPHA:652"
                        "\t\tsemapv:MappingChaining\thttp://www.orpha.net/ontologies/ordo.owl\tmondo/releases/2026-08-04"
                        "\t2026-11-22\t\t\t")
    with pytest.raises(CurationError, match=rf":{line}: subject_id 'netgraph:MultipleEndocrineNeoplasiaTypeOne' is not"):
        compile_project(project)
    replace_line(sssom, "MultipleEndocrineNeoplasiaTypeOne", "netgraph:MultipleEndocrineNeoplasiaType1\tMEN 1"
                 "\tskos:exactMatch\tORPHA:652\t\tsemapv:MappingChaining\thttp://www.orpha.net/ontologies/ordo.owl"
                 "\tmondo/releases/2026-08-04\t2026-11-22\t\t\t")
    with pytest.raises(CurationError, match=rf":{line}: subject_label 'MEN 1' differs"):
        compile_project(project)


@pytest.mark.parametrize("old, new, words", [
    ("#mapping_set_description:", "#mapping_set_description: an unquoted value: with a colon", "not valid YAML"),
    ("#mapping_set_version:", "#mapping_set_version: 9.9.9", "differs from the netgraph version"),
    ("#license:", "#license: CC BY", "is not an http(s) IRI"),
    ("#  ORPHA:", "#  ORPHA: https://www.orpha.net/ORDO/Orphanet_", "netgraph/prefixes.tsv says"),
    ("#  OMIM:", "#  MIM: https://omim.org/entry/", "curie_map prefix 'MIM' is not in netgraph/prefixes.tsv"),
    ("#mapping_set_title:", "#", "lacks mapping_set_title"),
    ("#  - slot_name: orphanet_qualifier", "#  - slot_name: orphanet_qualifer",
     "orphanet_qualifier is an SSSOM extension slot but extension_definitions does not declare it"),
    ("#    type_hint: xsd:string", "#    type_hint: xsd:integer", "type_hint is 'xsd:integer', not 'xsd:string'"),
])
def test_an_incomplete_or_wrong_metadata_block_stops_the_build(project, old, new, words):
    sssom = project_paths(project).sssom
    replace_line(sssom, old, new)
    with pytest.raises(CurationError) as err:
        compile_project(project)
    assert str(sssom) in str(err.value) and words in str(err.value)


def test_a_malformed_obsolete_code_row_stops_the_build(project):
    table = project_paths(project).obsolete_codes
    line = replace_line(table, "ORPHA:481475", "ORPHA:481475\tOBSOLETE: x\tOrphanet:100075\t\t"
                        "http://www.orpha.net/ontologies/ordo.owl\tORDO snapshot 2026-03-04\t")
    with pytest.raises(CurationError, match=rf"obsolete_codes.tsv:{line}: replaced_by 'Orphanet:100075' .*write ORPHA:100075"):
        compile_project(project)


@SSSOM_PY_WARNINGS
@pytest.mark.parametrize("path", [REAL_SSSOM, FIXTURE / "netgraph.sssom.tsv"], ids=["netgraph", "fixture"])
def test_sssom_py_round_trip_keeps_the_declared_extension_slot(path, tmp_path, caplog):
    """Issue 13 item 5: parse with sssom-py, write with sssom-py, read back: orphanet_qualifier survives."""
    from sssom.writers import write_table

    from netgraph.crosswalk.sssompy import to_sssom_py

    msdf = to_sssom_py(path)
    assert "orphanet_qualifier" in msdf.df.columns
    out = tmp_path / "roundtrip.sssom.tsv"
    with open(out, "w", encoding="utf-8") as fh:
        write_table(msdf, fh)
    text = out.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if not line.startswith("#")).split("\t")
    assert "orphanet_qualifier" in header
    assert "slot_name: orphanet_qualifier" in text and ORPHANET_QUALIFIER_PROPERTY.value in text
    assert sssom_problems(out, caplog) == []  # sssom-py still judges the written file valid SSSOM
    before = {rec.key: rec.orphanet_qualifier for rec in read_mapping_set(path, check_version=False).records}
    after = {rec.key: rec.orphanet_qualifier for rec in read_mapping_set(out, check_version=False).records}
    assert after == before  # every mapping, with its qualifier (E and W in the fixture)
    assert to_sssom_py(out).df["orphanet_qualifier"].tolist().count("") == list(before.values()).count("")
    if path != REAL_SSSOM:
        assert sorted(q for q in before.values() if q) == ["E", "W"]
