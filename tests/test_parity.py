"""Parity: the whole canned-query catalogue gives the same rows, in the same order, on every store.

The reference is the embedded store (pyoxigraph). The other stores are real
servers that this module starts on 127.0.0.1 (once per session) and stops:
an Oxigraph server (``oxigraph serve``), Virtuoso 7 (Debian's
``virtuoso-opensource``, loaded with its bulk loader) and Apache Jena ARQ
(Debian's ``libapache-jena-java``, behind ``tests/jena/JenaEndpoint.java``).
Each is queried through ``netgraph``'s remote backend, so parameters are bound
exactly as ``netgraph query --endpoint`` binds them (``--show-query`` prints
that text). Each query runs with no parameter (its defaults), with the
parameters of its documented example, and with the widening switches.

Without a server here the tests skip with the reason; under ``CI=true`` a
server that cannot start is a failure.
"""

from __future__ import annotations

import os
import shlex
from concurrent.futures import ThreadPoolExecutor

import pytest

from netgraph.api import KnowledgeGraph, open_graph
from netgraph.catalogue import load_catalogue
from netgraph.graphs import GRAPH_IRIS, part_files
from servers import JenaServer, VirtuosoServer, missing

STORES = ("oxigraph", "virtuoso", "jena")
IN_CI = os.environ.get("CI") == "true"

def _example_params(example: str) -> dict[str, str]:
    words = shlex.split(example)
    out = {}
    for i, word in enumerate(words[:-1]):
        if word in ("--param", "-p"):
            key, _, value = words[i + 1].partition("=")
            out[key] = value
    return out


def _variants() -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = []
    for name, q in sorted(load_catalogue(None, qc=False).items()):
        out.append((name, {}))
        example = _example_params(q.example)
        if example:
            out.append((name, example))
        for p in q.params:  # every widening switch, turned on
            if p.type == "boolean" and p.default is False and (name, {**example, p.name: "true"}) not in out:
                out.append((name, {**example, p.name: "true"}))
    return out


VARIANTS = _variants()


def _ids(variant: tuple[str, dict[str, str]]) -> str:
    name, params = variant
    return name + "".join(f",{k}={v}" for k, v in sorted(params.items()))


@pytest.fixture(scope="session")
def parity_servers(tmp_path_factory, paths, oxigraph_server):
    """The Virtuoso and Jena servers, started in parallel once per session; a reason instead where one cannot run."""
    files = {GRAPH_IRIS[part]: f for part, f in part_files(paths.root).items() if f.is_file()}
    kinds = {"virtuoso": VirtuosoServer, "jena": JenaServer}
    started: dict[str, object] = {}
    reasons: dict[str, str] = {}

    def start(kind: str):
        return kinds[kind](tmp_path_factory.mktemp(kind)).start(files)

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {}
        for kind in kinds:
            reason = missing(kind)
            if reason:
                reasons[kind] = reason
            else:
                futures[kind] = pool.submit(start, kind)
        for kind, future in futures.items():
            try:
                started[kind] = future.result()
            except Exception as exc:  # a server that is installed but does not start: reported by each test
                reasons[kind] = f"{kind} did not start: {exc}"
    urls = {"oxigraph": oxigraph_server.query_url, **{k: s.query_url for k, s in started.items()}}
    yield urls, reasons
    for server in started.values():
        server.stop()


@pytest.fixture(scope="session")
def parity_graphs(parity_servers, paths, store) -> dict[str, KnowledgeGraph | str]:
    urls, reasons = parity_servers
    graphs: dict[str, KnowledgeGraph | str] = {"embedded": open_graph(store, root=paths.root)}
    for kind in STORES:
        graphs[kind] = open_graph(endpoint=urls[kind], root=paths.root, timeout=120) if kind in urls else reasons[kind]
    return graphs


@pytest.fixture(scope="session")
def reference(parity_graphs):
    cache: dict[str, object] = {}

    def get(variant):
        key = _ids(variant)
        if key not in cache:
            cache[key] = parity_graphs["embedded"].query(variant[0], variant[1])
        return cache[key]

    return get


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
@pytest.mark.parametrize("store_name", STORES)
def test_same_rows_in_the_same_order(parity_graphs, reference, store_name, variant):
    kg = parity_graphs[store_name]
    if isinstance(kg, str):
        if IN_CI:
            pytest.fail(f"CI must run the parity suite on {store_name}: {kg}")
        pytest.skip(kg)
    name, params = variant
    expected = reference(variant)
    got = kg.query(name, params)
    assert got.columns == expected.columns
    assert got.keys() == expected.keys(), (
        f"{name} {params}: {len(got)} rows on {store_name}, {len(expected)} embedded"
        + ("" if len(got) != len(expected) or set(got.keys()) != set(expected.keys()) else " (same rows, other order)"))


def test_the_catalogue_is_covered_with_answers(reference):
    """Every query runs in the suite, and the examples give rows (a parity of empty answers proves little)."""
    names = {name for name, _ in VARIANTS}
    catalogue = load_catalogue(None, qc=False)
    assert names == set(catalogue)
    for name in names:
        if "records" in catalogue[name].tags:
            continue  # answers need a records graph: tests/test_records.py checks them on one
        assert any(len(reference(v)) for v in VARIANTS if v[0] == name), f"{name}: no variant returns a row"
