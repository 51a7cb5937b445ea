"""One prefix map: every prefix used anywhere in the repository is in it (issue 2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netgraph.prefixes import compress, converter, expand, prefix_map, sparql_prolog
from netgraph.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
DECLARATION = re.compile(r"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
TEXT_SUFFIXES = {".ttl", ".rq", ".py", ".md", ".tsv", ".sparql", ".jsonld", ".json"}


def repo_text_files():
    skip = {".git", ".venv", "__pycache__", ".pytest_cache"}
    for p in sorted(ROOT.rglob("*")):
        if p.is_file() and p.suffix in TEXT_SUFFIXES and not (set(p.relative_to(ROOT).parts) & skip):
            yield p


def test_every_declared_prefix_is_in_the_map_with_the_same_namespace():
    pm = prefix_map()
    problems = []
    for path in repo_text_files():
        if path.name == "test_prefixes.py":
            continue
        for prefix, uri in DECLARATION.findall(path.read_text(encoding="utf-8", errors="replace")):
            if not prefix:
                continue
            if prefix not in pm:
                problems.append(f"{path.relative_to(ROOT)}: prefix {prefix!r} is not in netgraph/prefixes.tsv")
            elif pm[prefix] != uri:
                problems.append(f"{path.relative_to(ROOT)}: {prefix}: <{uri}> differs from the map's <{pm[prefix]}>")
    assert problems == []


def test_curies_in_curated_tables_use_known_prefixes():
    pm = prefix_map()
    problems = []
    sssom = ROOT / "data" / "mappings" / "netgraph.sssom.tsv"
    for row in read_table(sssom, ["subject_id", "predicate_id", "object_id", "mapping_justification"],
                          [c for c in _header(sssom) if c not in
                           ("subject_id", "predicate_id", "object_id", "mapping_justification")]):
        for col in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
            prefix = row[col].split(":", 1)[0]
            if prefix not in pm:
                problems.append(f"{sssom.name}:{row.line}: {col} prefix {prefix!r}")
    assoc = ROOT / "data" / "tables" / "associations.tsv"
    for row in read_table(assoc, ["kind"], _header(assoc)[1:]):
        if row["source_record"] and row["source_record"].split(":", 1)[0] not in pm:
            problems.append(f"{assoc.name}:{row.line}: source_record {row['source_record']!r}")
    assert problems == []


def test_sssom_curie_map_matches_the_prefix_map():
    import yaml

    text = (ROOT / "data" / "mappings" / "netgraph.sssom.tsv").read_text(encoding="utf-8")
    meta = yaml.safe_load("\n".join(line[1:] for line in text.splitlines() if line.startswith("#")))
    pm = prefix_map()
    assert {k: pm.get(k) for k in meta["curie_map"]} == meta["curie_map"]


def test_prefixed_names_in_queries_are_in_the_map():
    pm = prefix_map()
    name = re.compile(r"(?<![\w<\"'/#:?.-])([A-Za-z][\w-]*):(?=[A-Za-z0-9_])")
    problems = []
    for path in sorted((ROOT / "queries").rglob("*.rq")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            code = re.sub(r'"(?:[^"\\]|\\.)*"|<[^>\s]*>', "", line)
            for prefix in name.findall(code):
                if prefix not in pm:
                    problems.append(f"{path.relative_to(ROOT)}:{lineno}: {prefix}:")
    assert problems == []


def _header(path: Path) -> list[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            return line.split("\t")
    return []


@pytest.mark.parametrize(
    "curie, iri",
    [
        ("ORPHA:97253", "http://www.orpha.net/ORDO/Orphanet_97253"),
        ("MONDO:0019954", "http://purl.obolibrary.org/obo/MONDO_0019954"),
        ("HP:0001943", "http://purl.obolibrary.org/obo/HP_0001943"),
        ("UBERON:0001264", "http://purl.obolibrary.org/obo/UBERON_0001264"),
        ("CHEBI:145810", "http://purl.obolibrary.org/obo/CHEBI_145810"),
    ],
)
def test_orpha_and_obo_expansion(curie, iri):
    assert expand(curie) == iri
    assert compress(iri) == curie


def test_orphanet_synonyms_normalise_to_orpha():
    conv = converter()
    for spelling in ("Orphanet:97253", "ORPHANET:97253", "ORDO:97253"):
        assert conv.standardize_curie(spelling) == "ORPHA:97253"


def test_sparql_prolog_only_declares_used_prefixes():
    prolog = sparql_prolog("SELECT ?x WHERE { ?x rdfs:label ?l ; skos:exactMatch ORPHA:1 }")
    assert "PREFIX rdfs:" in prolog and "PREFIX skos:" in prolog and "PREFIX ORPHA:" in prolog
    assert "PREFIX MONDO:" not in prolog
