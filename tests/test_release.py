"""`netgraph release`: every format, a VoID/DCAT manifest whose counts the files confirm, checksums."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from netgraph._version import RELEASE_DATE, __version__
from netgraph.cli import main
from netgraph.errors import InputError
from netgraph.graphs import GRAPH_IRIS, part_files
from netgraph.prefixes import expand
from netgraph.stores.release import CHECKSUMS, DATASET_IRI, MANIFEST, RELEASE_FILES, release

VOID = rdflib.Namespace(expand("void:"))
DCAT = rdflib.Namespace(expand("dcat:"))
DCTERMS = rdflib.Namespace(expand("dcterms:"))


@pytest.fixture(scope="module")
def released(release_dir):
    return release_dir  # one release per session (conftest.py), shared with test_owl_tools.py


@pytest.fixture(scope="module")
def manifest(released):
    out, _ = released
    return rdflib.Graph().parse(out / MANIFEST, format="turtle")


def _recount(triples):
    """The VoID figures, recomputed independently of netgraph.stores (pyoxigraph terms)."""
    triples = list(triples)
    rdf_type = ox.NamedNode(expand("rdf:type"))
    return {
        VOID.triples: len(triples),
        VOID.distinctSubjects: len({t.subject for t in triples}),
        VOID.distinctObjects: len({t.object for t in triples}),
        VOID.properties: len({t.predicate for t in triples}),
        VOID.classes: len({t.object for t in triples if t.predicate == rdf_type}),
    }


def _declared(manifest, node):
    return {p: int(manifest.value(node, p)) for p in
            (VOID.triples, VOID.distinctSubjects, VOID.distinctObjects, VOID.properties, VOID.classes)}


def test_release_writes_every_format(released):
    out, result = released
    names = {p.relative_to(out).as_posix() for p in result.files}
    expected = {MANIFEST, CHECKSUMS, "kgx/nodes.tsv", "kgx/edges.tsv", "neo4j/nodes.csv", "neo4j/relationships.csv"}
    expected |= {name for name, (fmt, _) in RELEASE_FILES.items() if fmt not in ("kgx", "neo4j")}
    assert names == expected


def test_checksums_match_every_file(released):
    out, _ = released
    lines = (out / CHECKSUMS).read_text(encoding="ascii").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert list(listed) == sorted(listed)
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {CHECKSUMS}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name


def test_manifest_counts_match_the_files(released, manifest):
    out, _ = released
    dataset = rdflib.URIRef(DATASET_IRI)
    # the whole graph: what netgraph.nt holds
    union = list(ox.parse(path=str(out / "netgraph.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert _declared(manifest, dataset) == _recount(union)
    # each named graph: what netgraph.nq holds in that graph
    quads = list(ox.parse(path=str(out / "netgraph.nq"), format=ox.RdfFormat.N_QUADS))
    subsets = set(manifest.objects(dataset, VOID.subset))
    assert {str(s) for s in subsets} == {q.graph_name.value for q in quads}
    for subset in subsets:
        in_graph = [q.triple for q in quads if q.graph_name.value == str(subset)]
        assert _declared(manifest, subset) == _recount(in_graph), subset


def test_manifest_counts_match_the_emitted_turtle(root, manifest):
    for part, path in part_files(root).items():
        if path.is_file():
            g = rdflib.Graph().parse(path, format="turtle")
            assert int(manifest.value(rdflib.URIRef(GRAPH_IRIS[part]), VOID.triples)) == len(g), part


def test_manifest_describes_the_dataset(released, manifest):
    out, _ = released
    dataset = rdflib.URIRef(DATASET_IRI)
    assert (dataset, rdflib.RDF.type, VOID.Dataset) in manifest
    assert (dataset, rdflib.RDF.type, DCAT.Dataset) in manifest
    assert manifest.value(dataset, DCTERMS.title) is not None
    assert manifest.value(dataset, DCTERMS.license) is not None
    assert str(manifest.value(dataset, DCAT.version)) == __version__
    assert str(manifest.value(dataset, DCTERMS.issued)) == RELEASE_DATE
    sizes = {}
    for dist in manifest.objects(dataset, DCAT.distribution):
        sizes[str(manifest.value(dist, DCTERMS.title))] = int(manifest.value(dist, DCAT.byteSize))
        assert manifest.value(dist, DCTERMS["format"]) is not None
    files = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*") if p.is_file()}
    assert sizes == {k: v for k, v in files.items() if k not in (MANIFEST, CHECKSUMS)}


def test_release_is_byte_identical_across_processes(tmp_path, root, released):
    """Another process, with another hash seed (so other set orders), writes the same bytes."""
    plain, _ = released
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "netgraph", "release", str(out), "--root", str(root), "-q"],
                   check=True, env=env, timeout=120)
    assert (out / CHECKSUMS).read_bytes() == (plain / CHECKSUMS).read_bytes()


def test_gzip_release(tmp_path, root, released):
    plain, _ = released
    result = CliRunner().invoke(main, ["release", str(tmp_path / "gz"), "--gzip", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "triples" in result.output
    gz = tmp_path / "gz"
    assert gzip.decompress((gz / "netgraph.nq.gz").read_bytes()) == (plain / "netgraph.nq").read_bytes()
    assert gzip.decompress((gz / "kgx" / "edges.tsv.gz").read_bytes()) == (plain / "kgx" / "edges.tsv").read_bytes()
    assert (gz / MANIFEST).is_file() and (gz / CHECKSUMS).is_file()


def test_release_into_a_file_is_a_clear_error(tmp_path, root):
    target = tmp_path / "file"
    target.write_text("x")
    result = CliRunner().invoke(main, ["release", str(target), "--root", str(root)])
    assert result.exit_code == 2
    assert "is a file" in result.output
    with pytest.raises(InputError, match="not a directory"):
        release(target, root=root)
