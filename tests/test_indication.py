"""The indication and evidence qualifiers of treatment statements (issue 10, item 6): every check fires.

Each controlled column refuses a value that is not one of its qualifier class's
individuals, naming the file and line; entity columns refuse an id of the wrong
class; indication columns are refused on other kinds of statements. The SHACL
side of the same rules is in ``test_shapes.py`` (generated bad examples).
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from netgraph.build import build, compile_project
from netgraph.errors import CurationError
from netgraph.indication import QUALIFIER_COLUMNS, indication_identity
from rdflib import Namespace

from netgraph.model import CoreModel
from netgraph.prefixes import NETGRAPH

from netgraph.sourcetext import plain_text
from netgraph.tables import Row
from test_build import ROOT, _corrupt, _first_data_line, copy_inputs

NG = Namespace(NETGRAPH)  # the emitted files, read back by rdflib (an independent parser)

TREATMENTS = "associations-treatments.tsv"
SYNDROMES = "associations-syndromes-tests.tsv"
CONTROLLED = [q for q in QUALIFIER_COLUMNS if q.controlled]
ENTITY = [q for q in QUALIFIER_COLUMNS if q.entity_root]


@pytest.fixture()
def scratch(tmp_path):
    return copy_inputs(tmp_path / "project")


def _fails(scratch, table: str, column: str, value: str) -> CurationError:
    path = scratch / "data" / "tables" / table
    line = _first_data_line(path)
    _corrupt(path, line, column, value)
    with pytest.raises(CurationError) as info:
        build(scratch)
    assert info.value.path == str(path) and info.value.line == line
    assert f"{path}:{line}:" in str(info.value)
    return info.value


def test_every_controlled_column_has_values_in_the_core_ontology():
    core = CoreModel.load(ROOT / "ontology" / "netgraph-edit.ttl")
    for q in CONTROLLED:
        assert len(core.qualifier_values(q.controlled)) >= 2, q.controlled


@pytest.mark.parametrize("q", CONTROLLED, ids=lambda q: q.column)
def test_a_value_outside_the_controlled_set_is_refused(scratch, q):
    err = _fails(scratch, TREATMENTS, q.column, "Sometimes")  # a frequency value, not one of this column's
    assert f"{q.column} 'Sometimes' is not a controlled value" in str(err)
    assert q.controlled in str(err)  # the hint names where the values come from


@pytest.mark.parametrize("q", ENTITY, ids=lambda q: q.column)
def test_an_entity_of_the_wrong_class_is_refused(scratch, q):
    err = _fails(scratch, TREATMENTS, q.column, "Insulin")
    assert f"{q.column} 'Insulin' is not a {q.entity_root} entity" in str(err)


def test_an_indication_on_a_non_treatment_statement_is_refused(scratch):
    err = _fails(scratch, SYNDROMES, "indication_stage", "MetastaticDisease")
    assert "column 'indication_stage' is given on a 'presents_with' association" in str(err)


def test_evidence_columns_are_allowed_on_diagnostic_statements(scratch):
    path = scratch / "data" / "tables" / SYNDROMES
    text = path.read_text(encoding="utf-8").split("\n")
    header = text[0].split("\t")
    line = next(i for i, t in enumerate(text) if t.startswith("diagnosed_by\t"))
    cells = text[line].split("\t")
    cells[header.index("evidence_type")] = "RandomisedTrial"
    text[line] = "\t".join(cells)
    path.write_text("\n".join(text), encoding="utf-8")
    compile_project(scratch)


def test_a_single_valued_column_refuses_two_values(scratch):
    err = _fails(scratch, TREATMENTS, "evidence_type", "FdaApproval|RandomisedTrial")
    assert "evidence_type takes one value" in str(err)


def test_a_statement_without_qualifiers_keeps_its_iri():
    """Statements curated before these columns existed get the same IRI as before (nothing is appended)."""
    row = Row(ROOT / "x.tsv", 2, {"kind": "treated_by", "subject": "Insulinoma", "object": "Diazoxide"})
    assert indication_identity(row) == ()
    row = Row(ROOT / "x.tsv", 2, {"indication_stage": "MetastaticDisease|AdvancedDisease", "trial": "Radiant3Trial"})
    assert indication_identity(row) == ("indication_stage=AdvancedDisease|MetastaticDisease", "trial=Radiant3Trial")


def test_qualifiers_are_emitted_as_properties_of_the_statement(paths):
    g = Graph().parse(paths.instance_data, format="turtle")
    radiant4 = set(g.subjects(NG.evidenceTrial, NG.Radiant4Trial))
    assert radiant4, "no statement names RADIANT-4"
    for st in radiant4:
        assert (st, NG.indicationFunctionalStatus, NG.NonFunctioningTumours) in g
        assert (st, NG.object, NG.Everolimus) in g
    assert {NG.MetastaticDisease, NG.UnresectableDisease} <= set(g.objects(None, NG.indicationStage))
    texts = {str(o) for o in g.objects(None, NG.indicationText)}
    assert "progressive; cannot be removed by surgery or have spread" in texts


def test_citation_ranges_are_not_part_of_a_quote():
    """Regression: the PDQ marker for a range of references ([15]-[17]) was left in the quotable text."""
    raw = "effects, but evidence is weak:[[15](#cit/section_4.15)-[17](#cit/section_4.17)] - Streptozocin."
    assert plain_text(raw) == "effects, but evidence is weak: - Streptozocin."


def test_the_measures_kind_refuses_a_subject_that_is_not_a_laboratory_test(scratch):
    path = scratch / "data" / "tables" / SYNDROMES
    text = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, t in enumerate(text) if t.startswith("measures\t"))
    cells = text[line].split("\t")
    cells[1] = "ComputedTomography"  # an imaging procedure measures no hormone
    text[line] = "\t".join(cells)
    path.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(CurationError, match=rf"{SYNDROMES}:{line + 1}: subject 'ComputedTomography' does not fit kind 'measures'"):
        compile_project(scratch)
