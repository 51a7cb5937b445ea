"""A prebuilt, read-only Oxigraph store of the built graph, so start-up does not grow with the graph.

Parsing the emitted Turtle costs time proportional to the graph (about 0.15 s at
14k triples, ten times that at ten times the size); opening an on-disk Oxigraph
store read-only costs about 20 ms whatever its size. :func:`open_store` therefore
keeps one on-disk store per *content* of the emitted files:

- the key is the SHA-256 of every part's bytes (and the pyoxigraph version), so
  a store can never answer for files other than the ones it was built from;
- hashing is skipped when the files' (path, size, mtime) fingerprint was seen
  before: a small ``fp-*`` file maps that fingerprint to its content key;
- a store is built in a temporary directory and renamed into place, so a
  concurrent or interrupted build never leaves a half-built store that is used;
- the cache lives in ``$NETGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/netgraph``,
  else ``~/.cache/netgraph``; the newest few stores are kept, older ones removed.

When the cache cannot be written (read-only home, no disk) the graph is loaded
in memory as before: slower, never wrong. ``netgraph build`` prebuilds the store.
The same folder holds ``query-headers/``: each canned query's ``#+`` header,
parsed once, as JSON named by the hash of its text (:mod:`netgraph.catalogue`),
so a cold query need not import a YAML parser; the files are a few hundred bytes each.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path
from typing import Any
from collections.abc import Mapping

from .graphs import GRAPH_IRIS, check_built, load_store, part_files
from .labelindex import LABEL_INDEX_FILE, LabelIndex, write_label_index

__all__ = ["CACHE_DIR_ENV", "cache_dir", "content_key", "open_store", "open_store_with_labels", "prebuild_store"]

CACHE_DIR_ENV = "NETGRAPH_CACHE_DIR"
KEEP_STORES = 3
#: bumped when a prebuilt store's layout changes (2: a label index beside the database), so older ones are rebuilt
STORE_LAYOUT = 2
_COMPLETE = "netgraph-store-complete"
log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Where prebuilt stores live (see the module docstring for the order of precedence)."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "netgraph"


def _files(root: Any) -> dict[str, Path]:
    files = part_files(root)
    check_built(files)
    return {part: path for part, path in files.items() if path.is_file()}


def _fingerprint(files: Mapping[str, Path]) -> str:
    import pyoxigraph as ox

    parts = [f"pyoxigraph {ox.__version__} layout {STORE_LAYOUT}"]
    for part, path in files.items():
        st = path.stat()
        parts.append(f"{part}\0{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def content_key(files: Mapping[str, Path]) -> str:
    """The SHA-256 of every part's name and bytes, and of the engine version that will hold them."""
    import pyoxigraph as ox

    digest = hashlib.sha256(f"pyoxigraph {ox.__version__} layout {STORE_LAYOUT}\n".encode())
    for part, path in files.items():
        digest.update(f"{part}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _key_for(files: Mapping[str, Path], cache: Path) -> str:
    fp_file = cache / f"fp-{_fingerprint(files)}"
    try:
        key = fp_file.read_text(encoding="ascii").strip()
        if len(key) == 64:
            return key
    except OSError:
        pass
    key = content_key(files)
    try:
        _write_small(fp_file, key)
    except OSError as exc:
        log.debug("cannot record the fingerprint in %s: %s", cache, exc)
    return key


def _write_small(path: Path, text: str) -> None:
    import tempfile  # here, not at the top: a query that opens the store never writes

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _build(files: Mapping[str, Path], cache: Path, key: str) -> Path:
    """Build the store for ``key`` in a temporary directory and rename it into place."""
    import pyoxigraph as ox

    final = cache / f"store-{key}"
    log.info("building the query store %s from %s", final, ", ".join(str(p) for p in files.values()))
    cache.mkdir(parents=True, exist_ok=True)
    import tempfile

    tmp = Path(tempfile.mkdtemp(dir=cache, prefix=".building-"))
    try:
        store = ox.Store(str(tmp / "db"))
        for part, path in files.items():
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH_IRIS[part]))
        store.optimize()
        store.flush()
        write_label_index(store, tmp / LABEL_INDEX_FILE)
        del store
        (tmp / _COMPLETE).write_text(key, encoding="ascii")
        try:
            os.rename(tmp, final)
        except OSError:
            if not (final / _COMPLETE).is_file():  # not a concurrent build that won the race
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _prune(cache, keep=final)
    return final


def _prune(cache: Path, keep: Path) -> None:
    stores = sorted((p for p in cache.glob("store-*") if p != keep), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in stores[KEEP_STORES - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def prebuild_store(root: Any = None) -> Path:
    """Build (or find) the prebuilt store of the project's emitted files; returns its directory."""
    files = _files(root)
    cache = cache_dir()
    key = _key_for(files, cache)
    final = cache / f"store-{key}"
    if (final / _COMPLETE).is_file():
        return final
    if final.exists():  # left incomplete by a crash: rebuild it
        shutil.rmtree(final, ignore_errors=True)
    return _build(files, cache, key)


def open_store(root: Any = None) -> Any:
    """A pyoxigraph Store of the built graph: the prebuilt one opened read-only, or one loaded in memory."""
    return open_store_with_labels(root)[0]


def open_store_with_labels(root: Any = None) -> tuple[Any, LabelIndex | None]:
    """:func:`open_store` and the prebuilt store's label index (``None`` when the graph is loaded in memory)."""
    import pyoxigraph as ox

    try:
        location = prebuild_store(root)
        log.info("opening the prebuilt query store %s", location)
        return ox.Store.read_only(str(location / "db")), LabelIndex(location / LABEL_INDEX_FILE)
    except OSError as exc:  # cache not writable, disk full, store unreadable: fall back, never fail
        log.info("prebuilt store unavailable (%s); loading the graph in memory", exc)
        return load_store(root), None
