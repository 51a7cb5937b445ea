"""The canned-query catalogue: `.rq` files with grlc-style headers.

Each query under ``queries/`` is one file whose leading ``#+`` comment lines
form a YAML header::

    #+ summary: Tumours that may secrete a given hormone
    #+ description: >
    #+   Lists tumour classes (subtypes included) with a cited association ...
    #+ params:
    #+   hormone:
    #+     type: entity
    #+     description: the hormone, as an IRI, a CURIE or a label
    #+     default: netgraph:Serotonin
    #+ example: netgraph query tumours-secreting-hormone --param hormone=serotonin

A parameter is marked in the query text as the variable ``?_name`` and is bound
by the backend (never pasted into the text). QC queries live in ``queries/qc/``,
return ``?entity ?property ?value`` and carry ``severity`` (error, warning, info).
A parameter without ``default`` is required. Types: ``entity`` (a netgraph
entity given as IRI, CURIE or unambiguous label), ``iri``, ``string``,
``language``, ``integer``, ``boolean``. An ``entity`` parameter may name the
class(es) its value must belong to (``class: netgraph:SecretedSubstance``, or a
list): the value must be that class, a subclass of it, or an instance of one;
otherwise the query is not run and the error says what the entity is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import QueryError
from .paths import Root, project_paths

__all__ = ["Param", "CannedQuery", "parse_query_file", "parse_query_text", "load_catalogue", "load_query", "PARAM_TYPES", "SEVERITIES"]

PARAM_TYPES = ("entity", "iri", "string", "language", "integer", "boolean")
SEVERITIES = ("error", "warning", "info")
_PARAM_VAR = re.compile(r"\?_([A-Za-z][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Param:
    """One declared query parameter."""

    name: str
    type: str
    description: str
    default: Any = None
    required: bool = True
    classes: tuple[str, ...] = ()  # entity parameters: CURIEs of the class(es) the value must belong to


@dataclass(frozen=True)
class CannedQuery:
    """One canned query: its header metadata and its SPARQL text."""

    name: str
    path: Path
    summary: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    example: str = ""
    severity: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_qc(self) -> bool:
        return self.severity is not None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(f"query {self.name!r} has no parameter {name!r}; parameters: "
                         + (", ".join(p.name for p in self.params) or "none"))


def parse_query_file(path: Path, name: str | None = None) -> CannedQuery:
    """Parse one ``.rq`` file; a :class:`QueryError` names the file and what is wrong."""
    path = Path(path)
    return parse_query_text(path.read_text(encoding="utf-8"), name or path.stem, path)


#: bump when what a cached header holds changes (it is part of the cache key)
_HEADER_CACHE_VERSION = "1"


def _header_cache_file(header: str) -> Path:
    import hashlib

    from .storecache import cache_dir

    key = hashlib.sha256(f"{_HEADER_CACHE_VERSION}\n{header}".encode()).hexdigest()
    return cache_dir() / "query-headers" / f"{key}.json"


def _header_meta(header: str, path: Path) -> Any:
    """A query's ``#+`` header parsed as YAML, or as the JSON of an earlier parse of the same text.

    Importing and running a YAML parser is about 15 ms of a cold ``netgraph query``
    (of a 200 ms budget), so each header, once parsed, is kept in the cache folder
    (beside the prebuilt stores) under the hash of its text: an edited header is a
    new key. A header whose value JSON would change (a YAML date, a non-string key)
    is not cached; a cache that cannot be read or written is ignored.
    """
    import json

    cached = _header_cache_file(header)
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 15x faster
        meta = yaml.load(header, Loader=loader) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: header is not valid YAML: {exc}") from exc
    try:
        data = json.dumps(meta, ensure_ascii=False)
        if json.loads(data) == meta:
            from .atomic import write_atomic

            write_atomic(cached, data.encode("utf-8"))
    except (TypeError, ValueError, OSError):  # not JSON-shaped, or no writable cache: parse it again next time
        pass
    return meta


def parse_query_text(text: str, name: str, path: Path | str = "<query>") -> CannedQuery:
    """Parse query text with a ``#+`` header (as :func:`parse_query_file` does for a file)."""
    path = Path(path)
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() == "" or line.startswith("#"):
            if header_lines:
                break
        else:
            break
    if not header_lines:
        raise QueryError(f"{path}: no '#+' header (summary, description, params)")
    meta = _header_meta("\n".join(header_lines), path)
    if not isinstance(meta, dict):
        raise QueryError(f"{path}: header must be a mapping of keys (summary, description, params …)")
    for key in ("summary", "description"):
        if not str(meta.get(key) or "").strip():
            raise QueryError(f"{path}: header lacks {key!r}")
    params = []
    declared = meta.get("params") or {}
    if not isinstance(declared, dict):
        raise QueryError(f"{path}: 'params' must map parameter names to their type, description and default")
    for pname, spec in declared.items():
        spec = spec or {}
        ptype = spec.get("type", "string")
        if ptype not in PARAM_TYPES:
            raise QueryError(f"{path}: parameter {pname!r} has type {ptype!r}; use one of {', '.join(PARAM_TYPES)}")
        if not spec.get("description"):
            raise QueryError(f"{path}: parameter {pname!r} lacks a description")
        classes = spec.get("class") or ()
        classes = (classes,) if isinstance(classes, str) else tuple(classes)
        if classes and ptype != "entity":
            raise QueryError(f"{path}: parameter {pname!r}: 'class' applies only to type entity")
        if not all(isinstance(c, str) and ":" in c for c in classes):
            raise QueryError(f"{path}: parameter {pname!r}: 'class' must be a CURIE or a list of CURIEs")
        params.append(Param(name=str(pname), type=ptype, description=str(spec["description"]).strip(),
                            default=spec.get("default"), required="default" not in spec, classes=classes))
    used = set(_PARAM_VAR.findall(_strip_comments(text)))
    names = {p.name for p in params}
    if used - names:
        raise QueryError(f"{path}: variable(s) {', '.join('?_' + u for u in sorted(used - names))} look like parameters but are not declared in 'params'")
    if names - used:
        raise QueryError(f"{path}: parameter(s) {', '.join(sorted(names - used))} are declared but the query never uses ?_name")
    severity = meta.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise QueryError(f"{path}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    tags = meta.get("tags") or ()
    return CannedQuery(
        name=name,
        path=path,
        summary=str(meta["summary"]).strip(),
        description=str(meta["description"]).strip(),
        text=text,
        params=tuple(params),
        example=str(meta.get("example") or "").strip(),
        severity=severity,
        tags=tuple(tags) if isinstance(tags, (list, tuple)) else (str(tags),),
    )


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


@lru_cache(maxsize=8)
def _load(directory: str) -> dict[str, CannedQuery]:
    base = Path(directory)
    out: dict[str, CannedQuery] = {}
    for path in sorted(base.rglob("*.rq")):
        name = path.relative_to(base).with_suffix("").as_posix()
        out[name] = parse_query_file(path, name)
    return out


_QUERY_NAME = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")


@lru_cache(maxsize=64)
def _load_one(directory: str, name: str) -> CannedQuery | None:
    path = Path(directory, *name.split("/")).with_suffix(".rq")
    return parse_query_file(path, name) if path.is_file() else None


def load_query(root: Root = None, name: str = "") -> CannedQuery | None:
    """One canned query (or ``qc/…`` check) by name, parsing only its file; ``None`` when there is none.

    What :func:`load_catalogue` would give for that name, without reading the
    whole catalogue: running one query need not parse every header.
    """
    if not _QUERY_NAME.fullmatch(name):
        return None
    return _load_one(str(project_paths(root).queries_dir), name)


def load_catalogue(root: Root = None, *, qc: bool | None = False) -> dict[str, CannedQuery]:
    """The canned queries by name (``qc/…`` names for QC checks).

    ``qc=False`` (default) gives the user-facing catalogue, ``qc=True`` only the
    QC checks, ``qc=None`` both.
    """
    queries = _load(str(project_paths(root).queries_dir))
    return {n: q for n, q in queries.items() if qc is None or q.is_qc == qc}
