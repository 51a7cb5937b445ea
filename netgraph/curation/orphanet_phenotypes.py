"""Orphanet's HPO annotations as cited presents-with statements (issue 10, item 7).

Reads ``reference/orphanet/orphanet_nen_hpo_phenotypes.tsv`` of the shared folder
(ORPHAcode, label, HPO id, HPO term, Orphanet frequency class) and the project's
own tables, and writes three things, deterministically (rerun it after a merge
that adds classes or ORPHA mappings; the output only depends on its inputs):

- ``data/tables/associations-orphanet-phenotypes.tsv``: one ``presents_with`` row
  per annotation of an ORPHAcode that a netgraph class maps to with
  ``skos:exactMatch`` (a broader, narrower or close Orphanet disorder is another
  population, so its frequencies do not carry over). Source
  ``orphanet-2025-12-phenotypes``, record the ORPHAcode, quote the row's cells
  (label, HPO id, HPO term, frequency class) as the file has them, frequency the
  controlled value of Orphanet's class. "Excluded (0%)" annotations are left out:
  an excluded phenotype is not a presentation, and the graph has no negative
  statements;
- ``data/tables/entities-phenotypes.tsv``: a ``SymptomOrSign`` individual for each
  HPO term that no entity is already mapped to by ``skos:exactMatch`` (those are
  reused), labelled with the HPO label (``reference/phenotypes.tsv``, else
  Orphanet's spelling of it);
- the generated block at the end of ``data/mappings/netgraph.sssom.tsv`` (placed by
  :mod:`netgraph.curation.sssom_blocks`, whatever order the generators ran in): the
  ``skos:exactMatch`` of each minted individual to its HPO id (rows whose comment
  starts with :data:`GENERATED_MARK`; the block is replaced on every run).

Run ``python -m netgraph.curation.orphanet_phenotypes`` (``--check`` exits 1 when
the committed files differ from a fresh run).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click
import pyoxigraph as ox

from ..atomic import write_all_atomic
from ..crosswalk.mappingset import REQUIRED_COLUMNS as SSSOM_REQUIRED
from ..errors import InputError, NetgraphError, StaleFileError
from ..model import CoreModel
from ..paths import ProjectPaths, project_paths
from ..sourcetext import normalise_whitespace
from ..tables import read_table, table_files
from ..vocab import RDFS, SKOS
from .sssom_blocks import PHENOTYPES_MARK, replace_block, split_sssom

__all__ = ["FREQUENCY_CLASSES", "EXCLUDED", "SOURCE_ID", "GENERATED_MARK", "PhenotypeTables", "generate",
           "write_phenotype_tables", "main"]

SOURCE_ID = "orphanet-2025-12-phenotypes"
REFERENCE = Path("reference") / "orphanet" / "orphanet_nen_hpo_phenotypes.tsv"
HPO_REFERENCE = Path("reference") / "phenotypes.tsv"
HPO_SOURCE_ID = "hpo-2025-01-16"
ASSOCIATIONS = "associations-orphanet-phenotypes.tsv"
ENTITIES = "entities-phenotypes.tsv"
GENERATED_MARK = PHENOTYPES_MARK

#: Orphanet's frequency classes -> the controlled FrequencyQualifier values of the core ontology
FREQUENCY_CLASSES: dict[str, str] = {
    "Obligate (100%)": "OrphanetObligate",
    "Very frequent (99-80%)": "OrphanetVeryFrequent",
    "Frequent (79-30%)": "OrphanetFrequent",
    "Occasional (29-5%)": "OrphanetOccasional",
    "Very rare (<4-1%)": "OrphanetVeryRare",
}
#: the class that is never a presents-with statement
EXCLUDED = "Excluded (0%)"

_COLUMNS = ("orphacode", "label", "hpo_id", "hpo_term", "hpo_frequency")
_HP_RE = re.compile(r"^HP:\d{7}$")
_CODE_RE = re.compile(r"^\d+$")
ASSOCIATION_HEADER = ("kind", "subject", "object", "frequency", "frequency_text", "source", "quote", "source_record",
                      "comment")
ENTITY_HEADER = ("id", "type", "label_en", "definition", "definition_source", "comment")


@dataclass
class PhenotypeTables:
    """The generated files (path -> bytes) and what the run counted."""

    files: dict[Path, bytes]
    counts: Counter = field(default_factory=Counter)
    unmapped_codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Annotation:
    line: int
    code: str
    label: str
    hp: str
    term: str
    frequency: str

    @property
    def quote(self) -> str:
        return normalise_whitespace(" ".join((self.label, self.hp, self.term, self.frequency)))


def _read_annotations(path: Path) -> list[_Annotation]:
    if not path.is_file():
        raise InputError(f"{path}: Orphanet's phenotype annotations not found; set NETGRAPH_SHARED to the shared "
                         "curation folder (it holds reference/orphanet/)")
    rows = read_table(path, _COLUMNS, ())
    out = []
    for r in rows:
        if not _CODE_RE.match(r["orphacode"]):
            raise r.error(f"orphacode {r['orphacode']!r} is not a number")
        if not _HP_RE.match(r["hpo_id"]):
            raise r.error(f"hpo_id {r['hpo_id']!r} is not an HP:NNNNNNN identifier")
        if r["hpo_frequency"] not in FREQUENCY_CLASSES and r["hpo_frequency"] != EXCLUDED:
            raise r.error(f"unknown Orphanet frequency class {r['hpo_frequency']!r}",
                          f"known: {', '.join(list(FREQUENCY_CLASSES) + [EXCLUDED])}; map a new class in FREQUENCY_CLASSES")
        if not r["hpo_term"] or not r["label"]:
            raise r.error("empty label or hpo_term")
        out.append(_Annotation(r.line, r["orphacode"], r["label"], r["hpo_id"], r["hpo_term"], r["hpo_frequency"]))
    return out


def _read_hpo(path: Path) -> dict[str, tuple[str, str]]:
    """HP id -> (label, definition) from the HPO extract (empty when the file is absent)."""
    if not path.is_file():
        return {}
    return {r["hp_id"]: (r["label"], r["definition"]) for r in read_table(path, ("hp_id", "label"), None)}


def _camel(label: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", label)
    ident = "".join(w[:1].upper() + w[1:] for w in words)
    return ident if ident[:1].isalpha() else "Hp" + ident


def _under(cid: str, ancestor: str, parents: dict[str, set[str]]) -> bool:
    seen, todo = set(), [cid]
    while todo:
        c = todo.pop()
        if c == ancestor:
            return True
        if c not in seen:
            seen.add(c)
            todo.extend(parents.get(c, ()))
    return False


def _table_rows(paths: ProjectPaths, stem: str, required: tuple[str, ...], skip: str) -> list:
    rows = []
    for path in table_files(paths.tables_dir, stem):
        if path.name != skip:
            rows.extend(read_table(path, required, None))
    return rows


def generate(root: Path | str | None = None, shared: Path | str | None = None) -> PhenotypeTables:
    """Compute the generated tables from the reference file and the project's tables (writes nothing)."""
    paths = project_paths(root)
    shared_dir = Path(shared) if shared is not None else paths.shared_dir()
    if shared_dir is None:
        raise InputError("the shared curation folder was not found; set NETGRAPH_SHARED to it")
    annotations = _read_annotations(shared_dir / REFERENCE)
    hpo = _read_hpo(shared_dir / HPO_REFERENCE)
    core = CoreModel.load(paths.ontology_edit)
    frequencies = core.qualifier_values("FrequencyQualifier")
    missing = sorted(set(FREQUENCY_CLASSES.values()) - frequencies)
    if missing:
        raise InputError(f"{paths.ontology_edit}: FrequencyQualifier value(s) {', '.join(missing)} are not declared; "
                         "declare them in the core ontology")

    classes = _table_rows(paths, "classes", ("id",), "")
    entities = _table_rows(paths, "entities", ("id",), ENTITIES)
    class_ids = {r["id"] for r in classes} | set(core.classes)
    taken_ids = class_ids | {r["id"] for r in entities} | set(core.individuals)
    # a minted label must not equal any English label or exact synonym, or label lookup would pick the wrong entity
    taken_labels = {r["label_en"].casefold() for r in classes + entities if r["label_en"]}
    taken_labels |= {syn.casefold() for r in classes + entities for syn in r.multi("synonyms_en")}
    taken_labels |= {o.value.casefold() for p in (RDFS.label, SKOS.altLabel) for o in core.graph.objects(None, p)
                     if isinstance(o, ox.Literal) and (o.language or "en").startswith("en")}

    sssom_path = paths.sssom
    sssom_text = sssom_path.read_text(encoding="utf-8")
    mappings = [r for r in read_table(sssom_path, SSSOM_REQUIRED, None) if not r["comment"].startswith(GENERATED_MARK)]
    exact_to_class: dict[str, list[str]] = {}
    exact_hp: dict[str, list[str]] = {}
    for r in mappings:
        if r["predicate_id"] != "skos:exactMatch" or not r["subject_id"].startswith("netgraph:"):
            continue
        subject = r["subject_id"].split(":", 1)[1]
        if r["object_id"].startswith("ORPHA:") and subject in class_ids:
            exact_to_class.setdefault(r["object_id"].split(":", 1)[1], []).append(subject)
        elif r["object_id"].startswith("HP:"):
            exact_hp.setdefault(r["object_id"], []).append(subject)
    # presents_with objects: entities, or clinical syndrome classes (a tumour class cannot be one)
    parents = {c: set(ps) for c, ps in core.classes.items()}
    parents.update({r["id"]: set(r.multi("parents")) for r in classes})
    reusable = {r["id"] for r in entities} | {c for c in parents if _under(c, "ClinicalSyndrome", parents)}

    counts: Counter = Counter()
    unmapped: set[str] = set()
    used: list[tuple[_Annotation, str]] = []
    for a in annotations:
        counts["annotations read"] += 1
        if a.frequency == EXCLUDED:
            counts["excluded (0%) left out"] += 1
            continue
        subjects = sorted(set(exact_to_class.get(a.code, [])))
        if not subjects:
            unmapped.add(a.code)
            counts["annotations of unmapped ORPHAcodes"] += 1
            continue
        for s in subjects:
            if exact_hp.get(a.hp) == [s]:  # the disorder annotated with its own name (ZES with HP 'Zollinger-Ellison syndrome')
                counts["self-annotations left out"] += 1
                continue
            used.append((a, s))

    # the object of each HPO id: an existing entity mapped exactly to it, else a minted individual
    objects: dict[str, str] = {}
    minted: list[tuple[str, str, str, str]] = []  # (id, hp, label, definition)
    for hp in sorted({a.hp for a, _ in used}):
        existing = sorted(e for e in exact_hp.get(hp, []) if e in reusable)
        if existing:
            objects[hp] = existing[0]
            counts["HPO terms reused"] += 1
            continue
        others = sorted(exact_hp.get(hp, []))
        if others:
            raise InputError(f"{sssom_path}: {hp} is the exact match of {', '.join(others)}, which is neither an entity "
                             "nor a clinical syndrome; a phenotype individual cannot also be its exact match "
                             "(map the class with another predicate)")
        term = next(a.term for a, _ in used if a.hp == hp)
        label, definition = hpo.get(hp, (term, ""))
        if label.casefold() in taken_labels:
            label = f"{label} (phenotype)"
            if label.casefold() in taken_labels:
                label = f"{label[:-len(' (phenotype)')]} ({hp})"
        ident = _camel(label)
        if ident in taken_ids:
            ident = f"{ident}Hp{hp.split(':')[1]}"
        taken_ids.add(ident)
        taken_labels.add(label.casefold())
        objects[hp] = ident
        minted.append((ident, hp, label, definition))
        counts["HPO terms minted"] += 1

    assoc_lines = ["\t".join(ASSOCIATION_HEADER)]
    rows = sorted(used, key=lambda t: (t[1], int(t[0].code), t[0].hp, t[0].line))
    for a, subject in rows:
        assoc_lines.append("\t".join((
            "presents_with", subject, objects[a.hp], FREQUENCY_CLASSES[a.frequency], a.frequency, SOURCE_ID, a.quote,
            f"ORPHA:{a.code}", f"Orphanet HPO annotation of ORPHA:{a.code} ({a.label}), mapped exactly to {subject}")))
        counts["presents_with statements"] += 1
    entity_lines = ["\t".join(ENTITY_HEADER)]
    for ident, hp, label, definition in sorted(minted):
        entity_lines.append("\t".join((ident, "SymptomOrSign", label, definition, HPO_SOURCE_ID if definition else "",
                                       f"HPO term {hp}, named in Orphanet's phenotype annotations")))

    files = {
        paths.tables_dir / ASSOCIATIONS: ("\n".join(assoc_lines) + "\n").encode("utf-8"),
        paths.tables_dir / ENTITIES: ("\n".join(entity_lines) + "\n").encode("utf-8"),
        sssom_path: _sssom_with_block(sssom_text, minted).encode("utf-8"),
    }
    return PhenotypeTables(files, counts, sorted(unmapped, key=int))


def _sssom_with_block(text: str, minted: list[tuple[str, str, str, str]]) -> str:
    """The SSSOM text with this generator's block replaced (placed by :mod:`netgraph.curation.sssom_blocks`)."""
    header = split_sssom(text).header
    rows = []
    for ident, hp, label, _ in sorted(minted, key=lambda m: m[0]):
        cells = {"subject_id": f"netgraph:{ident}", "subject_label": label, "predicate_id": "skos:exactMatch",
                 "object_id": hp, "object_label": label.removesuffix(" (phenotype)").removesuffix(f" ({hp})"),
                 "mapping_justification": "semapv:LexicalMatching",
                 "object_source": "https://github.com/Orphanet/orphapacket", "object_source_version": "2025-12-09",
                 "comment": f"{GENERATED_MARK} individual minted for the HPO term of Orphanet's annotations"}
        rows.append("\t".join(cells.get(col, "") for col in header))
    return replace_block(text, GENERATED_MARK, rows)


def write_phenotype_tables(root: Path | str | None = None, shared: Path | str | None = None, *,
                           check: bool = False) -> PhenotypeTables:
    """Generate and write the tables (all or nothing); with ``check``, raise :class:`StaleFileError` instead."""
    result = generate(root, shared)
    changed = {p: data for p, data in result.files.items() if not p.is_file() or p.read_bytes() != data}
    if check:
        if changed:
            raise StaleFileError(sorted(str(p) for p in changed))
        return result
    write_all_atomic(changed)
    return result


@click.command("orphanet-phenotypes")
@click.option("--root", type=click.Path(file_okay=False), default=None, help="Project root (default: this checkout).")
@click.option("--shared", type=click.Path(file_okay=False), default=None,
              help="The shared curation folder (default: NETGRAPH_SHARED or ../shared).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the committed files differ from a fresh run.")
def main(root: str | None, shared: str | None, check: bool) -> None:
    """Write Orphanet's HPO annotations as presents-with statements (see the module docstring)."""
    try:
        result = write_phenotype_tables(root, shared, check=check)
    except NetgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for key in sorted(result.counts):
        click.echo(f"{key}: {result.counts[key]}")
    click.echo(f"ORPHAcodes without an exact netgraph class: {len(result.unmapped_codes)}")
    click.echo("fresh" if check else "written: " + ", ".join(sorted(p.name for p in result.files)))


if __name__ == "__main__":  # pragma: no cover
    main()
