"""The prebuilt read-only query store (issue 11 item 9): keyed by content, never stale, never required."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netgraph import open_graph
from netgraph.graphs import part_files
from netgraph.storecache import CACHE_DIR_ENV, content_key, open_store, prebuild_store

ROOT = Path(__file__).resolve().parents[1]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _scratch(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("sources", "tables", "mappings"))
    return root


def _count(store) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)


def test_the_store_is_built_once_and_reopened_read_only(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    first = prebuild_store(ROOT)
    assert first.name == f"store-{content_key({p: f for p, f in part_files(ROOT).items() if f.is_file()})}"
    marker = first / "db"
    before = marker.stat().st_mtime_ns
    assert prebuild_store(ROOT) == first and marker.stat().st_mtime_ns == before  # reused, not rebuilt
    store = open_store(ROOT)
    with pytest.raises(RuntimeError, match="read-write"):  # a query path can never change the cached graph
        store.update("INSERT DATA { <urn:x> <urn:y> <urn:z> }")


def test_a_changed_file_gets_a_new_store_with_its_own_answers(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    root = _scratch(tmp_path)
    n = _count(open_store(root))
    data = root / "data" / "netgraph-data.ttl"
    data.write_text(data.read_text(encoding="utf-8") + "\n<urn:new> <urn:p> <urn:o> .\n", encoding="utf-8")
    assert _count(open_store(root)) == n + 1


def test_same_size_same_mtime_but_other_content_is_never_served_stale(tmp_path, monkeypatch):
    """The key is the content; the (size, mtime) shortcut only skips hashing when it still holds."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    root = _scratch(tmp_path)
    data = root / "data" / "netgraph-data.ttl"
    text = data.read_text(encoding="utf-8")
    assert "<urn:aaaa>" not in text
    data.write_text(text + "<urn:aaaa> <urn:p> <urn:o> .\n", encoding="utf-8")
    st = data.stat()
    assert _count(open_store(root)) > 0
    data.write_text(text + "<urn:bbbb> <urn:p> <urn:o> .\n", encoding="utf-8")
    os.utime(data, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # a different mtime: rehash
    store = open_store(root)
    assert bool(store.query("ASK { GRAPH ?g { <urn:bbbb> ?p ?o } }"))
    assert not bool(store.query("ASK { GRAPH ?g { <urn:aaaa> ?p ?o } }"))


def test_an_incomplete_store_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    final = prebuild_store(ROOT)
    (final / "netgraph-store-complete").unlink()
    rebuilt = prebuild_store(ROOT)
    assert rebuilt == final and (final / "netgraph-store-complete").is_file()
    assert _count(open_store(ROOT)) > 0


def test_an_unwritable_cache_falls_back_to_memory_with_the_same_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker / "cache"))
    kg = open_graph(root=ROOT)
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    cached = open_graph(root=ROOT)
    q = "tumours-secreting-hormone"
    assert kg.query(q, hormone="insulin").to_dicts() == cached.query(q, hormone="insulin").to_dicts()


def test_netgraph_build_prebuilds_the_store(tmp_path):
    env = dict(os.environ, **{CACHE_DIR_ENV: str(tmp_path / "cache")})
    out = subprocess.run([sys.executable, "-m", "netgraph", "build", "--root", str(ROOT)], env=env,
                         capture_output=True, text=True, check=True)
    assert "store: " in out.stdout
    assert any((tmp_path / "cache").glob("store-*/netgraph-store-complete"))


def test_the_label_index_escapes_and_finds_awkward_labels(tmp_path):
    """Tabs, newlines, backslashes and non-ASCII text in labels survive the index; the first and last keys are found."""
    import pyoxigraph as ox

    from netgraph.labelindex import LabelIndex, write_label_index
    from netgraph.prefixes import expand
    from netgraph.terms import IRI

    def expand_iri(curie: str) -> IRI:
        return IRI(expand(curie))

    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    alt = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
    store = ox.Store()
    texts = {"A": "Tab\there", "B": "new\nline", "C": "back\\slash", "D": "Ärger", "E": "zzz", "F": "aaa"}
    for local, text in texts.items():
        store.add(ox.Quad(ox.NamedNode(expand(f"netgraph:{local}")), label, ox.Literal(text, language="en")))
    store.add(ox.Quad(ox.NamedNode(expand("netgraph:A")), alt, ox.Literal("AAA")))
    store.add(ox.Quad(ox.NamedNode(expand("ngstmt:s1")), label, ox.Literal("aaa")))  # statements are never entities
    assert write_label_index(store, tmp_path / "labels.tsv") == 7
    index = LabelIndex(tmp_path / "labels.tsv")
    for local, text in texts.items():
        if local == "F":
            continue  # also A's synonym: below
        assert [(str(e), how, en) for e, how, en in index.lookup(text.upper())] == [(f"netgraph:{local}", "label", text)]
    assert index.lookup("aaa") == [(expand_iri("netgraph:A"), "synonym", "Tab\there"), (expand_iri("netgraph:F"), "label", "aaa")]
    assert index.lookup("Tab") == [] and index.lookup("") == [] and index.lookup("zzzz") == []
    (tmp_path / "empty.tsv").write_bytes(b"")
    assert LabelIndex(tmp_path / "empty.tsv").lookup("x") == []


def test_a_store_of_an_older_layout_is_not_reused(tmp_path, monkeypatch):
    """The layout version is part of the key: a store without a label index is rebuilt, not opened."""
    from netgraph import storecache

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    files = {p: f for p, f in part_files(ROOT).items() if f.is_file()}
    key = content_key(files)
    monkeypatch.setattr(storecache, "STORE_LAYOUT", storecache.STORE_LAYOUT + 1)
    assert content_key(files) != key
