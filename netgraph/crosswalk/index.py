"""The crosswalk index: every mapping, obsolete code and entity label, in memory.

Built from the curated sources (the SSSOM file, ``obsolete_codes.tsv``,
``classes.tsv``, ``entities.tsv`` and the core ontology), so it is never staler
than the files the build reads. It loads in milliseconds (no rdflib; the core
ontology is parsed with pyoxigraph) and is cached per project root until one of
those files changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from collections.abc import Iterable, Mapping

from ..errors import CurationError
from ..paths import ProjectPaths, Root, project_paths
from ..prefixes import NETGRAPH, expand
from ..tables import Row, read_table, table_files
from .mappingset import MappingRecord, MappingSetMetadata, read_mapping_set
from .normalise import ENTITY_PREFIX
from .obsolete import ObsoleteCode, read_obsolete_codes
from .predicates import PREDICATE_RANK

__all__ = ["Entity", "CrosswalkIndex", "load_index"]


@dataclass(frozen=True)
class Entity:
    """A netgraph class or named individual that mappings point from."""

    id: str
    label: str
    kind: str  # "class", "individual" or "unknown" (named in the SSSOM file only)
    parents: tuple[str, ...] = ()
    deprecated: bool = False
    replaced_by: str = ""

    @property
    def curie(self) -> str:
        return f"{ENTITY_PREFIX}:{self.id}"

    @property
    def iri(self) -> str:
        return NETGRAPH + self.id


@dataclass
class CrosswalkIndex:
    """Lookups from an external code to its mappings, and from an entity to its codes."""

    metadata: MappingSetMetadata | None
    entities: Mapping[str, Entity]
    by_code: Mapping[str, tuple[MappingRecord, ...]]
    by_entity: Mapping[str, tuple[MappingRecord, ...]]
    negated: Mapping[str, tuple[MappingRecord, ...]]
    obsolete: Mapping[str, ObsoleteCode]
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_parts(cls, records: Iterable[MappingRecord], obsolete: Mapping[str, ObsoleteCode],
                   entities: Mapping[str, Entity], metadata: MappingSetMetadata | None = None) -> CrosswalkIndex:
        by_code: dict[str, list[MappingRecord]] = {}
        by_entity: dict[str, list[MappingRecord]] = {}
        negated: dict[str, list[MappingRecord]] = {}
        ents = dict(entities)
        for rec in records:
            if rec.negated:
                negated.setdefault(rec.object_id, []).append(rec)
                continue
            by_code.setdefault(rec.object_id, []).append(rec)
            by_entity.setdefault(rec.subject_local, []).append(rec)
            if rec.subject_local not in ents:
                ents[rec.subject_local] = Entity(rec.subject_local, rec.subject_label or rec.subject_local, "unknown")

        def order(recs: list[MappingRecord]) -> tuple[MappingRecord, ...]:
            return tuple(sorted(recs, key=lambda r: (PREDICATE_RANK[r.predicate_id], r.subject_id, r.object_id)))

        return cls(
            metadata=metadata,
            entities=ents,
            by_code={k: order(v) for k, v in by_code.items()},
            by_entity={k: order(v) for k, v in by_entity.items()},
            negated={k: order(v) for k, v in negated.items()},
            obsolete=dict(obsolete),
        )

    @cached_property
    def known_codes(self) -> frozenset[str]:
        """Every code the index can say something about (mapped or obsolete)."""
        return frozenset(self.by_code) | frozenset(self.obsolete)

    def knows(self, code: str) -> bool:
        if code.startswith(ENTITY_PREFIX + ":"):
            return code.split(":", 1)[1] in self.entities
        return code in self.known_codes

    def entity(self, local: str) -> Entity | None:
        return self.entities.get(local)

    def ancestors(self, local: str) -> frozenset[str]:
        """The entity and all its named ancestors (classes: parents; individuals: broader)."""
        cached = self._ancestors.get(local)
        if cached is not None:
            return cached
        from ..hierarchy import closure

        result = closure(local, lambda cur: ent.parents if (ent := self.entities.get(cur)) is not None else ())
        self._ancestors[local] = result
        return result

    def subsumes(self, general: str, specific: str) -> bool:
        return general in self.ancestors(specific)

    @property
    def counts(self) -> dict[str, int]:
        """Mapping counts by predicate and by target prefix (for reports)."""
        out: dict[str, int] = {"mappings": 0, "codes": len(self.by_code), "obsolete codes": len(self.obsolete)}
        for recs in self.by_code.values():
            for r in recs:
                out["mappings"] += 1
                out[r.predicate_id] = out.get(r.predicate_id, 0) + 1
                out[r.object_prefix] = out.get(r.object_prefix, 0) + 1
        return out


# -- loading ----------------------------------------------------------------------------


def _read_rows(path: Path, needed: tuple[str, ...]) -> list[Row]:
    """The rows of an entity table, reading only what the index needs (the build checks the rest)."""
    return read_table(path, needed, None) if path.is_file() else []


def _core_entities(path: Path) -> dict[str, Entity]:
    """Classes and named individuals of the core ontology, with English labels and parents."""
    if not path.is_file():
        return {}
    import pyoxigraph as ox

    rdf, label, sub = expand("rdf:type"), expand("rdfs:label"), expand("rdfs:subClassOf")
    owl_class, owl_individual = expand("owl:Class"), expand("owl:NamedIndividual")
    labels: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError, OSError) as exc:
        raise CurationError(path, None, f"cannot parse the core ontology: {exc}") from exc
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(NETGRAPH):
            continue
        local = s.value[len(NETGRAPH):]
        if p == label and isinstance(o, ox.Literal) and o.language == "en":
            labels[local] = o.value
        elif p == sub and isinstance(o, ox.NamedNode) and o.value.startswith(NETGRAPH):
            parents.setdefault(local, []).append(o.value[len(NETGRAPH):])
        elif p == rdf and isinstance(o, ox.NamedNode) and o.value in (owl_class, owl_individual):
            kinds[local] = "class" if o.value == owl_class else "individual"
    return {k: Entity(k, labels.get(k, k), kind, tuple(sorted(parents.get(k, ()))))
            for k, kind in kinds.items()}


def read_entities(paths: ProjectPaths) -> dict[str, Entity]:
    """Every netgraph entity mappings may point from: core ontology, classes.tsv, entities.tsv."""
    out = _core_entities(paths.ontology_edit)
    for path in table_files(paths.tables_dir, "classes"):  # classes.tsv and its topic files (classes-*.tsv)
        for row in _read_rows(path, ("id", "label_en")):
            out[row["id"]] = Entity(row["id"], row["label_en"], "class", tuple(row.multi("parents")),
                                    row["deprecated"] == "true", row["replaced_by"])
    for path in table_files(paths.tables_dir, "entities"):
        for row in _read_rows(path, ("id", "label_en")):
            out[row["id"]] = Entity(row["id"], row["label_en"], "individual", tuple(row.multi("broader")))
    return out


def build_index(paths: ProjectPaths) -> CrosswalkIndex:
    """Read the sources of one project tree into an index (no caching)."""
    mapping_set = read_mapping_set(paths.sssom, check_version=False)
    obsolete = read_obsolete_codes(paths.obsolete_codes)
    return CrosswalkIndex.from_parts(mapping_set.records, obsolete, read_entities(paths), mapping_set.metadata)


_CACHE: dict[str, tuple[tuple, CrosswalkIndex]] = {}
_LOCK = threading.Lock()


def _stamp(paths: ProjectPaths) -> tuple:
    out: list[tuple[str, int | None, int | None]] = []
    for p in (paths.sssom, paths.obsolete_codes, paths.ontology_edit,
              *table_files(paths.tables_dir, "classes"), *table_files(paths.tables_dir, "entities")):
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return tuple(out)


def load_index(root: Root = None) -> CrosswalkIndex:
    """The index of the project at ``root`` (default: this checkout), rebuilt when a source changes."""
    paths = project_paths(root)
    stamp = _stamp(paths)
    key = str(paths.root)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    index = build_index(paths)
    with _LOCK:
        _CACHE[key] = (stamp, index)
    return index
