"""KGX that survives KGX (issue 13 item 4), and the Biolink mapping checked against the Biolink Model package.

- the ``biolink_curie`` column of netgraph/prefixes.tsv is what the ``biolink-model`` package's prefix maps give;
- every category and predicate of netgraph/stores/biolink.tsv is a class or slot of the Biolink Model;
- every edge has a unique id that is the same on every export;
- the real ``kgx`` tool validates the export and round-trips every node and edge with its quotes.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pytest
import yaml

from netgraph.prefixes import prefixes
from netgraph.stores import biolink
from netgraph.stores.kgx import edge_ids, kgx_curie
from netgraph.stores.pgraph import Edge

from netgraph.stores.export import export

csv.field_size_limit(sys.maxsize)


@pytest.fixture(scope="module")
def kgx_dir(tmp_path_factory, root, built) -> Path:
    out = tmp_path_factory.mktemp("kgx") / "kgx"
    export("kgx", out, root=root, built=built)
    return out


# -- the Biolink Model package ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def biolink_schema() -> dict:
    return yaml.safe_load(resources.files("biolink_model").joinpath("schema/biolink_model.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def biolink_prefix_map() -> dict[str, str]:
    """The package's JSON prefix map, with the schema's own ``prefixes`` for the keys the JSON map lacks."""
    text = resources.files("biolink_model").joinpath("prefixmaps/biolink-model-prefix-map.json").read_text(encoding="utf-8")
    out = dict(json.loads(text))
    for key, uri in biolink_schema()["prefixes"].items():
        out.setdefault(key, uri)
    return out


def _variants(namespace: str) -> set[str]:
    """The namespace with http and https, with and without ``www.``: the spellings registries use for one namespace."""
    _, _, rest = namespace.partition("://")
    rests = {rest, rest[4:] if rest.startswith("www.") else "www." + rest}
    return {f"{scheme}://{r}" for scheme in ("http", "https") for r in rests}


def derived_biolink_curie(p) -> str:
    """What KGX must write before a local id of row ``p``: Biolink's prefix whose namespace holds ours (longest
    first; what our namespace adds to Biolink's becomes part of the local id), else the Biolink prefix spelled
    like ours, else our own prefix."""
    bl = biolink_prefix_map()
    ours = {v for ns in (p.uri_prefix, *p.uri_prefix_synonyms) for v in _variants(ns)}
    hits = sorted(((len(uri), key, ns[len(uri):]) for key, uri in bl.items() if isinstance(uri, str) and uri
                   for ns in ours if ns.startswith(uri) and uri.endswith(("/", "#", "_"))),
                  key=lambda t: (-t[0], t[1], t[2]))
    if hits:
        return f"{hits[0][1]}:{hits[0][2]}"
    same = sorted(k for k in bl if k.casefold() == p.prefix.casefold())
    return f"{same[0]}:" if same else f"{p.prefix}:"


def test_biolink_curie_column_is_what_the_biolink_model_package_gives():
    """The spellings are read from the package, not typed: a changed Biolink release shows here."""
    wrong = {}
    for p in prefixes():
        expected = derived_biolink_curie(p)
        written = p.biolink_curie or f"{p.prefix}:"
        if written != expected:
            wrong[p.prefix] = (written, expected)
    assert wrong == {}, "set the biolink_curie column of netgraph/prefixes.tsv to (written, expected)[1]"


def test_the_spellings_the_issue_names_are_biolinks():
    """Issue 13: kgx validate rejected SCTID, UniProt, MEDGEN, OMIMPS and ORPHA as netgraph spells them."""
    got = {c: kgx_curie(c) for c in ("SCTID:1", "UniProt:P01308", "MEDGEN:C1", "OMIMPS:131100", "ORPHA:97253")}
    bl = biolink_prefix_map()
    for curie, written in got.items():
        prefix = written.split(":", 1)[0]
        assert prefix in bl, f"{curie} -> {written}: {prefix} is not a prefix of the Biolink Model"
        assert curie.split(":", 1)[0] != prefix
    assert got["OMIMPS:131100"].endswith(":PS131100")  # Biolink's namespace ends before the PS of the series id


def test_biolink_mapping_names_classes_and_predicates_of_the_model():
    schema = biolink_schema()
    classes = {re.sub(r"(?:^| )(\w)", lambda m: m.group(1).upper(), name) for name in schema["classes"]}
    slots = {name.replace(" ", "_") for name in schema["slots"]}
    bad = [c for c in (*biolink.CATEGORIES.values(), biolink.DEFAULT_CATEGORY) if c.split(":", 1)[1] not in classes]
    bad += [p for p in (*biolink.PREDICATES.values(), biolink.DEFAULT_PREDICATE) if p.split(":", 1)[1] not in slots]
    assert bad == []


# -- ids --------------------------------------------------------------------------------------------------


def test_icdo_codes_become_valid_curies_and_decode_back():
    from urllib.parse import unquote

    written = kgx_curie("ICDO:8240/3")
    local = written.split(":", 1)[1]
    assert "/" not in local and unquote(local) == "8240/3"
    assert kgx_curie("ICDO:8240%2F3") != written  # a literal % is encoded too: no two codes share a spelling


def test_edges_of_one_fact_from_two_sources_keep_distinct_ids():
    """The regression: two statements of one subject-predicate-object with different sources and quotes."""
    a = Edge("netgraph:A", "biolink:produces", "netgraph:B", "", (("publications", ("ngsrc:one",)),))
    b = Edge("netgraph:A", "biolink:produces", "netgraph:B", "", (("publications", ("ngsrc:two",)),))
    two_kinds = [Edge("netgraph:A", "biolink:causes", "netgraph:B", "ngstmt:X"),
                 Edge("netgraph:A", "biolink:has_phenotype", "netgraph:B", "ngstmt:X")]
    ids = edge_ids([a, b, *two_kinds, Edge("netgraph:C", "biolink:causes", "netgraph:D", "ngstmt:Y")])
    assert len(set(ids)) == 5 and ids[4] == "ngstmt:Y"
    assert ids == edge_ids([a, b, *two_kinds, Edge("netgraph:C", "biolink:causes", "netgraph:D", "ngstmt:Y")])


def _tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_exported_edge_has_a_unique_id(kgx_dir, tmp_path, root, built):
    edges = _tsv(kgx_dir / "edges.tsv")
    ids = [e["id"] for e in edges]
    assert all(ids) and len(set(ids)) == len(ids)
    export("kgx", tmp_path / "again", root=root, built=built)
    assert (tmp_path / "again" / "edges.tsv").read_bytes() == (kgx_dir / "edges.tsv").read_bytes()
    nodes = _tsv(kgx_dir / "nodes.tsv")
    assert not [n["id"] for n in nodes if "/" in n["id"].split(":", 1)[1]]


# -- the real kgx tool -----------------------------------------------------------------------------------------

KGX_RUNNER = Path(__file__).with_name("kgx_offline.py")


def kgx_context(tmp_path: Path) -> Path:
    """Biolink's prefix map, plus the prefixes that netgraph writes and Biolink has no entry for (told to KGX)."""
    context = dict(biolink_prefix_map())
    extra = {}
    for p in prefixes():
        spelled = (p.biolink_curie or f"{p.prefix}:").split(":", 1)[0]
        if spelled not in context:
            extra[spelled] = p.uri_prefix
    # the code systems Biolink has no prefix for; every other identifier system is written in Biolink's spelling
    assert sorted(k for k in extra if any(p.prefix == k and p.role == "identifier" for p in prefixes())) == \
        ["GARD", "ICD10CM", "ICD10WHO", "ICDO"]
    path = tmp_path / "biolink-and-netgraph.jsonld"
    path.write_text(json.dumps({"@context": {**context, **extra}}), encoding="utf-8")
    return path


def run_kgx(context: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(KGX_RUNNER), str(context), *args], capture_output=True, text=True,
                          timeout=900)


def _kgx_errors(result: subprocess.CompletedProcess) -> dict:
    """The error report that ``kgx validate`` prints (a JSON object on stderr, among its log lines)."""
    text = result.stderr
    start = re.search(r"^\{$", text, re.MULTILINE)
    return json.loads(text[start.start():text.rindex("}") + 1]) if start else {}


@pytest.mark.slow
def test_kgx_validate_accepts_the_export(kgx_dir, tmp_path):
    result = run_kgx(kgx_context(tmp_path), "validate", "-i", "tsv", str(kgx_dir / "nodes.tsv"), str(kgx_dir / "edges.tsv"))
    assert result.returncode == 0, (_kgx_errors(result), result.stderr[-3000:])
    assert _kgx_errors(result) == {}


@pytest.mark.slow
def test_kgx_validate_rejects_netgraph_spellings_and_a_slash(tmp_path):
    """The check can fail: the spellings the issue found (SCTID, an ICD-O code with its slash) are errors for kgx."""
    (tmp_path / "nodes.tsv").write_text("id\tcategory\tname\nSCTID:447795000\tbiolink:Disease\ta\n"
                                        "ICDO:8240/3\tbiolink:Disease\tb\n", encoding="utf-8")
    (tmp_path / "edges.tsv").write_text("id\tsubject\tpredicate\tobject\tknowledge_level\tagent_type\n"
                                        "urn:uuid:1\tSCTID:447795000\tbiolink:related_to\tICDO:8240/3\t"
                                        "knowledge_assertion\tmanual_agent\n", encoding="utf-8")
    result = run_kgx(kgx_context(tmp_path), "validate", "-i", "tsv", str(tmp_path / "nodes.tsv"), str(tmp_path / "edges.tsv"))
    errors = json.dumps(_kgx_errors(result))
    assert result.returncode != 0
    assert "CURIE prefix 'SCTID'" in errors
    assert "'ICDO:8240/3' which is not a proper CURIE" in errors


@pytest.mark.slow
def test_kgx_transform_keeps_every_node_edge_and_quote(kgx_dir, tmp_path):
    """kgx transform (streaming, TSV in, JSON Lines out) reads every node and edge, each with its own quotes.

    JSON Lines, because KGX 2.6's streaming TSV writer writes only its default columns; and streaming,
    because its in-memory graph keys edges by subject, predicate and object whatever their ids.
    """
    out = tmp_path / "roundtrip"
    result = run_kgx(kgx_context(tmp_path), "transform", "--stream", "-i", "tsv", "-f", "jsonl", "-o", str(out),
                     str(kgx_dir / "nodes.tsv"), str(kgx_dir / "edges.tsv"))
    assert result.returncode == 0, result.stderr[-3000:]
    nodes, edges = _tsv(kgx_dir / "nodes.tsv"), _tsv(kgx_dir / "edges.tsv")
    back_nodes = [json.loads(line) for line in (tmp_path / "roundtrip_nodes.jsonl").read_text(encoding="utf-8").splitlines()]
    back_edges = [json.loads(line) for line in (tmp_path / "roundtrip_edges.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(n["id"] for n in back_nodes) == sorted(n["id"] for n in nodes)
    assert sorted(e["id"] for e in back_edges) == sorted(e["id"] for e in edges)
    quotes = {e["id"]: set(filter(None, e["supporting_text"].split("|"))) for e in edges}
    back = {e["id"]: set(e.get("supporting_text") or ()) for e in back_edges}
    assert back == quotes
    assert sum(1 for q in quotes.values() if q) > 100
