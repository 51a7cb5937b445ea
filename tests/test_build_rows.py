"""The build's two stages (issue 11 item 3): every row check fires, all problems are reported at
once with their file and line, and emission from checked records does not depend on call order."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from netgraph.build.emit import data_graph, mappings_graph, ontology_graph
from netgraph.build.hierarchy import ClassHierarchy
from netgraph.build.rows import check_project
from netgraph.errors import CurationError, CurationErrors
from netgraph.paths import project_paths
from netgraph.tables import read_table
from netgraph.turtle import to_turtle
from test_build import copy_inputs

HEX = "0" * 64


def _header(path: Path) -> list[str]:
    return next(line for line in path.read_text(encoding="utf-8").split("\n")
                if line and not line.startswith("#")).split("\t")


def _append(path: Path, cells: dict[str, str]) -> int:
    """Append a row (cells by column name; unknown columns are an error of the test); returns its line."""
    header = _header(path)
    assert set(cells) <= set(header), set(cells) - set(header)
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines.append("\t".join(cells.get(h, "") for h in header))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _first(path: Path) -> dict[str, str]:
    return dict(read_table(path, _header(path), None)[0].values)


def _bad_rows(root: Path) -> dict[tuple[str, int], str]:
    """Append one bad row per check to the tables of ``root``; ``{(file, line): expected words}``."""
    t = root / "data" / "tables"
    vendored = next(r for r in read_table(t / "sources.tsv", _header(t / "sources.tsv"), None) if r["repo_path"])
    src = {"kind": "patient-information", "title": "t", "publisher": "p", "language": "en",
           "shared_path": "sources/x.txt", "sha256": HEX}
    cls = {"parents": "NeuroendocrineTumour", "definition": "d"}
    ent = {"type": "AnatomicalSite"}
    assoc = _first(t / "associations.tsv")
    gene = _first(t / "associations-genes.tsv")
    existing_class = _first(t / "classes.tsv")
    existing_entity = _first(t / "entities.tsv")
    sssom = root / "data" / "mappings" / "netgraph.sssom.tsv"
    orpha = next(r.values for r in read_table(sssom, _header(sssom), None) if r["object_id"].startswith("ORPHA:"))
    cases: list[tuple[Path, dict[str, str], str]] = [
        (t / "sources.tsv", {**src, "source_id": "Bad_Id"}, "is not lower-case letters"),
        (t / "sources.tsv", {**src, "source_id": "nhs-net"}, "duplicate source_id 'nhs-net'"),
        (t / "sources.tsv", {**src, "source_id": "t-kind", "kind": "blog"}, "kind 'blog' is not one of"),
        (t / "sources.tsv", {**src, "source_id": "t-title", "title": ""}, "column 'title' is empty"),
        (t / "sources.tsv", {**src, "source_id": "t-lang", "language": "english"}, "is not a BCP 47 tag"),
        (t / "sources.tsv", {**src, "source_id": "t-date", "date": "2020/01"}, "is not YYYY"),
        (t / "sources.tsv", {**src, "source_id": "t-url", "url": "www.example.org"}, "url 'www.example.org'"),
        (t / "sources.tsv", {**src, "source_id": "t-sha", "sha256": "abc"}, "sha256 is not 64"),
        (t / "sources.tsv", {**src, "source_id": "t-repo", "repo_path": "data/nope.txt"}, "is not a file of this"),
        (t / "sources.tsv", {**src, "source_id": "t-vend", "repo_path": vendored["repo_path"]},
         "does not match the recorded sha256"),
        (t / "classes.tsv", {**cls, "id": "badClass", "label_en": "t1"}, "is not a CamelCase local name"),
        (t / "classes.tsv", {**cls, "id": existing_class["id"], "label_en": "t2"}, "duplicate id"),
        (t / "classes.tsv", {**cls, "id": "NeuroendocrineTumour", "label_en": "t3"}, "already defined in the core"),
        (t / "classes.tsv", {**cls, "id": "TNoParent", "parents": "", "label_en": "t4"}, "has no parent"),
        (t / "classes.tsv", {**cls, "id": "TUnknownParent", "parents": "NoSuchClass", "label_en": "t5"},
         "parent 'NoSuchClass'"),
        (t / "classes.tsv", {**cls, "id": "TNoLabel"}, "has no English label"),
        (t / "classes.tsv", {**cls, "id": "TLabelTaken", "label_en": existing_class["label_en"]}, "is already used (line"),
        (t / "classes.tsv", {**cls, "id": "TCoreLabel", "label_en": "neuroendocrine tumour (well differentiated)"},
         "is already used (the core ontology)"),
        (t / "classes.tsv", {**cls, "id": "TNarrow", "label_en": "t6", "narrow_synonyms_en": "t6"},
         "is both an exact synonym"),
        (t / "classes.tsv", {**cls, "id": "TNoDefinition", "label_en": "t7", "definition": ""}, "has no definition"),
        (t / "classes.tsv", {**cls, "id": "TDefSource", "label_en": "t8", "definition_source": "no-such"},
         "source 'no-such' is not in sources.tsv"),
        (t / "classes.tsv", {**cls, "id": "TSecretes", "label_en": "t9", "secretes": "AdrenalGland"},
         "secretes value 'AdrenalGland' is not a SecretedSubstance"),
        (t / "classes.tsv", {**cls, "id": "TSite", "label_en": "t10", "primary_site": "NoSuchSite"},
         "primary_site value 'NoSuchSite'"),
        (t / "classes.tsv", {**cls, "id": "TSyndrome", "label_en": "t11", "hypersecretion_syndrome": "NeuroendocrineTumour"},
         "is not a class under HormoneHypersecretionSyndrome"),
        (t / "classes.tsv", {**cls, "id": "TDeprecated", "label_en": "t12", "deprecated": "yes"},
         "deprecated must be 'true' or empty"),
        (t / "classes.tsv", {**cls, "id": "TReplaced", "label_en": "t13", "deprecated": "true", "replaced_by": "NoSuch"},
         "replaced_by 'NoSuch'"),
        (t / "classes.tsv", {**cls, "id": "TCycleA", "parents": "TCycleB", "label_en": "t14"},
         "subclass cycle: TCycleA -> TCycleB -> TCycleA"),
        (t / "entities.tsv", {**ent, "id": "lowerCase", "label_en": "e1"}, "is not a CamelCase local name"),
        (t / "entities.tsv", {**ent, "id": existing_class["id"], "label_en": "e2"}, "duplicate id"),
        (t / "entities.tsv", {**ent, "id": existing_entity["id"], "label_en": "e2b"}, "duplicate id"),
        (t / "entities.tsv", {**ent, "id": "MostCommon", "label_en": "e3"}, "already used by a class or a core individual"),
        (t / "entities.tsv", {**ent, "id": "TBanana", "type": "Banana", "label_en": "e4"}, "type 'Banana'"),
        (t / "entities.tsv", {**ent, "id": "TBroader", "broader": "NoSuch", "label_en": "e5"}, "broader 'NoSuch'"),
        (t / "entities.tsv", {**ent, "id": "TEntityLabel", "label_en": existing_entity["label_en"]}, "is already used (line"),
        (t / "entities.tsv", {**ent, "id": "TEntitySource", "label_en": "e6", "definition_source": "no-such"},
         "not in sources.tsv"),
        (t / "associations.tsv", {**assoc, "kind": "cures"}, "unknown association kind"),
        (t / "associations.tsv", {**assoc, "subject": "NoSuch"}, "subject 'NoSuch' is not a class or entity id"),
        (t / "associations.tsv", {**assoc, "object": "CarcinoidTumour"}, "object 'CarcinoidTumour' does not fit kind"),
        (t / "associations.tsv", {**assoc, "quote": ""}, "quote is empty"),
        (t / "associations.tsv", {**assoc, "source": "no-such"}, "source 'no-such' is not in sources.tsv"),
        (t / "associations.tsv", {**assoc, "source": "mondo-2026-05-05", "source_record": ""}, "needs source_record"),
        (t / "associations.tsv", {**assoc, "frequency": "Always"}, "frequency 'Always' is not a controlled value"),
        (t / "associations.tsv", {**assoc, "purpose": "Fun"}, "purpose 'Fun' is not a controlled value"),
        (t / "associations.tsv", {**assoc, "trigger": "AdrenalGland"}, "trigger 'AdrenalGland' is not a Trigger"),
        (t / "associations.tsv", {**assoc, "value": "1e3"}, "value '1e3' is not a decimal number"),
        # regression: \d took Arabic-Indic digits, which the canonical form then refused with a traceback
        (t / "associations.tsv", {**assoc, "value": "\u0666\u0662"}, "is not a decimal number"),
        (t / "associations.tsv", {**assoc, "unit": "mg", "value": ""}, "unit given without a value"),
        (t / "associations.tsv", dict(assoc), "duplicate association"),
        (t / "associations-genes.tsv", {**gene, "association_type": ""}, "needs association_type"),
        (t / "associations-genes.tsv", {**assoc, "association_type": "x"}, "association_type is only for associated_gene"),
        (sssom, {**orpha, "subject_id": "netgraph:NoSuchThing", "subject_label": ""}, "is not a class or entity"),
        (sssom, {**orpha, "object_id": "ORPHA:1", "subject_label": "wrong"}, "differs from the label"),
        (sssom, {**orpha, "object_id": "ORPHA:101106"}, "ORPHA:101106 is obsolete"),
    ]
    expected: dict[tuple[str, int], str] = {}
    for path, cells, words in cases:
        expected[(str(path), _append(path, cells))] = words
    _append(t / "classes.tsv", {**cls, "id": "TCycleB", "parents": "TCycleA", "label_en": "t15"})
    return expected


def _each_bad_row_gives_its_error(expected: dict[tuple[str, int], str], raised: CurationErrors) -> dict:
    """Every planted row has its own problem with the expected words, and no other row has one."""
    found = {(e.path, e.line): str(e) for e in raised.errors}
    for where, words in expected.items():
        assert where in found, f"no problem reported at {where[0]}:{where[1]} (expected {words!r})"
        assert words in found[where], (where, found[where])
    assert set(found) == set(expected), "a bad row caused a problem on a row that is not bad"
    return found


def test_every_row_check_fires_and_all_problems_come_at_once(tmp_path):
    root = copy_inputs(tmp_path / "p")
    expected = _bad_rows(root)
    with pytest.raises(CurationErrors) as info:
        check_project(project_paths(root))
    found = _each_bad_row_gives_its_error(expected, info.value)
    message = str(info.value)
    assert message.startswith(f"{len(expected)} problems") and f"… and {len(expected) - 50} more" in message
    assert (info.value.path, info.value.line) == next(iter(found))  # the error's own fields are the first problem's


def test_the_cli_lists_every_problem_and_exits_2(tmp_path):
    from netgraph.cli import main

    root = copy_inputs(tmp_path / "p")
    t = root / "data" / "tables"
    a = _append(t / "classes.tsv", {"id": "badOne", "parents": "NeuroendocrineTumour", "label_en": "x", "definition": "d"})
    b = _append(t / "entities.tsv", {"id": "TBanana", "type": "Banana", "label_en": "y"})
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2, result.output
    assert f"classes.tsv:{a}:" in result.output and f"entities.tsv:{b}:" in result.output
    assert "Traceback" not in result.output
    assert not (root / "data" / "netgraph-data.ttl").exists()


def test_one_problem_is_raised_as_itself():
    err = CurationError("x.tsv", 3, "bad")
    with pytest.raises(CurationError) as info:
        from netgraph.build.rows import raise_all

        raise_all([err])
    assert info.value is err and not isinstance(info.value, CurationErrors)


def test_emission_does_not_depend_on_call_order(paths):
    """Stage 2 keeps no state: the graphs are the same whichever is emitted first (the old compiler's
    data graph read a set that only the ontology graph filled)."""
    checked = check_project(paths)
    data_first = to_turtle(data_graph(checked)[0])
    onto = to_turtle(ontology_graph(checked)[0])
    maps = to_turtle(mappings_graph(checked)[0])
    assert to_turtle(ontology_graph(checked)[0]) == onto
    assert to_turtle(data_graph(checked)[0]) == data_first
    assert to_turtle(mappings_graph(checked)[0]) == maps
    assert checked.axiom_individuals, "classes state what they secrete: their entities are typed in the ontology"
    for ident in checked.axiom_individuals:
        assert f"ng:{ident} a ".encode() not in data_first


def test_checked_records_are_immutable(paths):
    import dataclasses

    checked = check_project(paths)
    with pytest.raises(dataclasses.FrozenInstanceError):
        checked.associations[0].quote = "changed"  # type: ignore[misc]
    assert all(isinstance(a.purposes, tuple) for a in checked.associations)


def test_the_hierarchy_reports_each_cycle_once_and_stays_defined():
    h = ClassHierarchy.of({"A": ["B"], "B": ["C"], "C": ["A"], "D": ["A"], "Root": []}, ["D", "A"])
    assert [str(c) for c in h.cycles] == ["subclass cycle: A -> B -> C -> A"]
    assert h.cycles[0].start == "D"
    assert h.is_subclass("D", "C") and not h.is_subclass("Root", "A")


def test_the_validator_reads_the_source_columns_without_the_build():
    import subprocess
    import sys

    code = ("import sys, netgraph.validation.qc; "
            "print(sorted(m for m in sys.modules if m.startswith('netgraph.build')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['netgraph.build', 'netgraph.build.columns']"


def _rule_table_bad_rows(root: Path) -> dict[tuple[str, int], str]:
    """One bad row per check of the grading and record-rule tables; ``{(file, line): expected words}``."""
    t = root / "data" / "tables"
    schemes, rules, record_rules = t / "grading_schemes.tsv", t / "grading.tsv", t / "record-rules.tsv"
    scheme = {"label_en": "s", "definition": "d"}
    cite = {"source": "nhs-net", "quote": "q"}
    rule = {k: v for k, v in _first(rules).items() if k not in ("id", "comment")}
    rec = {"kind": "required-id", "severity": "Violation", "fields": "record_id", "message": "m", "basis": "b"}
    cases: list[tuple[Path, dict[str, str], str]] = [
        (schemes, {**scheme, "id": "badScheme"}, "scheme id 'badScheme' is not a CamelCase local name"),
        (schemes, {**scheme, "id": "SeerEodWhoGepNetGrading"}, "scheme id 'SeerEodWhoGepNetGrading' is already used"),
        (schemes, {**scheme, "id": "NeuroendocrineTumour"}, "scheme id 'NeuroendocrineTumour' is already used"),
        (schemes, {**scheme, **cite, "id": "TCoin", "conflict_resolution": "Coin"}, "is not a ConflictResolution value"),
        (schemes, {**scheme, "id": "TUncited", "conflict_resolution": "HighestGrade"},
         "a conflict_resolution needs the source and quote"),
        (schemes, {**scheme, "id": "TQuoteOnly", "quote": "q"}, "source '' is not in sources.tsv"),
        (schemes, {**scheme, "id": "TNoQuote", "source": "nhs-net"}, "quote is empty"),
        (schemes, {**scheme, "id": "TDefaultYes", "default": "yes"}, "default must be 'true' or empty"),
        (schemes, {**scheme, "id": "TSecondDefault", "default": "true"}, "more than one default grading scheme"),
        (rules, {**rule, "id": "badRule"}, "rule id 'badRule' is not a CamelCase local name"),
        (rules, {**rule, "id": "SeerEodWhoGepNetG1"}, "rule id 'SeerEodWhoGepNetG1' is already used"),
        (rules, {**rule, "id": "MondoNetGradeDefinitions"}, "is already used"),
        (rules, {**rule, "id": "TScheme", "scheme": "NoSuchScheme"}, "scheme 'NoSuchScheme' is not a scheme"),
        (rules, {**rule, "id": "TGrade", "grade": "GradeG9"}, "grade 'GradeG9' is not a HistologicalGrade value"),
        (rules, {**rule, "id": "TCombine", "combine": "Some"}, "combine 'Some' is not a CriteriaCombination value"),
        (rules, {**rule, "id": "TNoSites", "sites": ""}, "sites is empty"),
        (rules, {**rule, "id": "TSite", "sites": "Insulin"}, "site 'Insulin' is not an AnatomicalSite"),
        (rules, {**rule, "id": "TApplies", "applies_to": "Insulin"}, "applies_to 'Insulin' is not a NeuroendocrineNeoplasm"),
        (rules, {**rule, "id": "TSource", "source": "no-such"}, "source 'no-such' is not in sources.tsv"),
        (rules, {**rule, "id": "TQuote", "quote": " "}, "quote is empty"),
        (rules, {**rule, "id": "TRecord", "source_record": ""}, "needs source_record"),
        (rules, {**rule, "id": "TTextAlone", "ki67": ""}, "ki67_text given without a ki67 interval"),
        (rules, {**rule, "id": "TInterval", "ki67": "3-20"}, "column 'ki67': '3-20' is not an interval"),
        (rules, {**rule, "id": "TEmptyRange", "ki67": "[20,3]"}, "is empty (the lower bound"),
        (rules, {**rule, "id": "TNoText", "mitoses_text": ""}, "column mitoses_text is empty"),
        (rules, {**rule, "id": "TWording", "ki67_text": "between 3 and 20"}, "is not in the quote"),
        (rules, {**rule, "id": "TRange", "ki67": "[3,200]"}, "bound 200 is outside the range of Ki67Index"),
        (rules, {**rule, "id": "TNoCriterion", "ki67": "", "ki67_text": "", "mitoses": "", "mitoses_text": ""},
         "the rule has no criterion"),
        (record_rules, {**rec, "rule_id": "record-id-required"}, "duplicate rule_id 'record-id-required'"),
        (record_rules, {**rec, "rule_id": "t-severity", "severity": "Error"}, "severity 'Error' is not one of"),
        (record_rules, {**rec, "rule_id": "t-fields", "fields": "nope"}, "fields nope are not record fields"),
        (record_rules, {**rec, "rule_id": "t-no-fields", "fields": ""}, "fields (none) are not record fields"),
        (record_rules, {**rec, **cite, "rule_id": "t-source", "source": "no-such"}, "source 'no-such' is not in"),
        (record_rules, {**rec, "rule_id": "t-quote", "source": "nhs-net"}, "needs the quote it rests on"),
        (record_rules, {**rec, **cite, "rule_id": "t-release", "source": "mondo-2026-05-05"}, "needs source_record"),
        (record_rules, {**rec, "rule_id": "t-record", "source_record": "MONDO:1"}, "source_record without a source"),
        (record_rules, {**rec, "rule_id": "t-basis", "basis": ""}, "needs a source and quote, or a basis"),
        (record_rules, {**rec, "rule_id": "t-kind", "kind": "nope"}, "unknown rule kind 'nope'"),
    ]
    expected: dict[tuple[str, int], str] = {}
    for path, cells, words in cases:
        expected[(str(path), _append(path, cells))] = words
    # a good rule of a scheme whose row has another problem: no second error (the scheme's id is known)
    _append(rules, {**rule, "id": "TGoodRuleOfBadScheme", "scheme": "TCoin"})
    return expected


def test_every_rule_table_check_fires_and_all_problems_come_at_once(tmp_path):
    """The grading and record-rule tables are checked in stage 1 like the others: every bad row gives
    exactly its own error, all reported together with file and line."""
    root = copy_inputs(tmp_path / "p")
    expected = _rule_table_bad_rows(root)
    with pytest.raises(CurationErrors) as info:
        check_project(project_paths(root))
    _each_bad_row_gives_its_error(expected, info.value)
    assert len(info.value.errors) == len(expected)


def test_rule_tables_are_checked_records_and_emission_only_reads_them(paths):
    import dataclasses

    checked = check_project(paths)
    assert checked.grading_schemes and checked.grade_rules and checked.record_rules
    assert all(r.criteria for r in checked.grade_rules)
    with pytest.raises(dataclasses.FrozenInstanceError):
        checked.grade_rules[0].grade = "GradeG3"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        checked.record_rules[0].kind = "x"  # type: ignore[misc]
    data, counts = data_graph(checked)
    assert counts["grading schemes"] == len(checked.grading_schemes)
    assert counts["grade rules"] == len(checked.grade_rules)
    assert counts["record rules"] == len(checked.record_rules)
    assert to_turtle(data_graph(checked)[0]) == to_turtle(data)
