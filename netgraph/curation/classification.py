"""Generate the whole NEN classification: classes, their hierarchy and their codes.

Run ``python -m netgraph.curation.classification`` (``--check`` only compares).
It reads the shared reference extracts (MONDO's neuroendocrine neoplasm subtree
in ``diseases.tsv`` with ``disease_xrefs.tsv``, Orphanet's NEN entities and
classification paths, ICD-10-CM, ICD-O-3 codes) and the repository's own tables
and SSSOM file, and writes

- ``data/tables/classes-classification.tsv``: one class for every live MONDO
  class of the subtree (and every MONDO class an NEN ORPHAcode needs) that no
  netgraph class maps exactly yet, with MONDO's label, exact synonyms,
  definition and parents (MONDO's ``parent_mondo_ids`` mapped to netgraph ids),
  plus a class for each NEN-related ORPHAcode without a live MONDO class,
  from Orphanet's label and definition;
- one block of rows near the end of ``data/mappings/netgraph.sssom.tsv`` (placed by
  :mod:`netgraph.curation.sssom_blocks`, before the phenotype block): each new
  class's MONDO exactMatch and the xrefs MONDO marks exact (chained), ORPHA
  codes, OMIM codes with Orphanet's qualifier, ICD-10-CM and ICD-O-3 codes.
  Generated rows start their comment with :data:`TAG`; a re-run replaces
  exactly those rows and leaves every other row where it is.

Nothing here is typed from memory: every identifier comes from the reference
files or from the repository's tables. Orphanet's own hierarchy is recorded as
it is (in the class's curation note and the ORPHA mapping's comment) and is
not forced onto netgraph's where the two disagree.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_all_atomic
from ..errors import CurationError, NetgraphError, SharedFolderError
from ..hierarchy import closure
from ..paths import Root, project_paths
from ..prefixes import identifier_prefixes
from ..tables import read_table, table_files
from .codes import ICD10CM_MAPPINGS, ICD10CM_PREFIX_MAPPINGS, ICDO_MAPPINGS
from .decisions import (DROP_MONDO_PARENTS, EXTRA_MONDO, EXTRA_PARENTS, OMIM_QUALIFIER_PREDICATES, ORPHA_CLASSES,
                        ORPHA_MAPS, OUT_OF_SCOPE, PINNED)
from .reference import References, parse_orphanet_mappings
from .repository import OUTPUT_TABLE, TAG, Repository
from .sssom_blocks import replace_block

__all__ = ["TAG", "OUTPUT_TABLE", "CLASS_HEADER", "OUT_OF_SCOPE", "PINNED", "Generated", "generate", "write",
           "generated_lines", "is_current", "main"]

CLASS_HEADER = ("id", "parents", "label_en", "synonyms_en", "narrow_synonyms_en", "broad_synonyms_en", "definition",
                "definition_source", "comment")
_NEN_WORDING = re.compile(r"(^|[^A-Za-z])NEN([^A-Za-z]|$)|neuroendocrine neoplasm")

MONDO_SOURCE = "mondo-2026-05-05"
ORPHANET_SOURCE = "orphanet-2025-12-entities"
MAPPING_DATE = "2026-12-02"
MONDO_CONTENT_VERSION = "mondo/releases/2026-05-05"
MONDO_MAPPING_VERSION = "mondo/releases/2026-08-04"
ORPHANET_VERSION = "ORPHApackets 2025-12-09 (Orphanet data 4.1.8)"
ICD10CM_VERSION = "ICD-10-CM FY2026 (2026-04-01)"
ICDO_VERSION = "ICD-O-3 codes, OHDSI vocabulary source file 2020-03-12"
ICD10CM_SOURCE_URL = "https://www.cdc.gov/nchs/icd/icd-10-cm/"

_BRITISH = ((re.compile(r"^Tumor"), "Tumour"), (re.compile(r"^Esophag"), "Oesophag"))


@dataclass
class Generated:
    """What the generator produces: the class table text and the SSSOM file text."""

    classes_text: str
    sssom_text: str
    classes: list[dict[str, str]] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- small helpers ---------------------------------------------------------------------------

def camel_id(label: str) -> str:
    """A readable CamelCase id from an English label, in British spelling (``tumor`` -> ``Tumour``)."""
    text = re.sub(r"(\d)/(\d)", r"\1Or\2", label)
    out = []
    for word in re.split(r"[^A-Za-z0-9]+", text):
        if not word:
            continue
        word = word[0].upper() + word[1:]
        for pattern, repl in _BRITISH:
            word = pattern.sub(repl, word)
        out.append(word)
    ident = "".join(out)
    return ident if ident[:1].isalpha() else "Class" + ident


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


# -- the generator -----------------------------------------------------------------------------

class _Generator:
    def __init__(self, project: Repository, ref: References):
        self.p = project
        self.ref = ref
        self.new: dict[str, dict[str, Any]] = {}          # netgraph id -> class row (cells; _notes, _parents: lists)
        self.mondo_new: dict[str, str] = {}               # MONDO id -> new netgraph id
        self.rows: list[dict[str, str]] = []
        self.notes: list[str] = []
        self.prefixes = {p.prefix for p in identifier_prefixes()}
        self.obsolete = self._obsolete_codes()
        self.labels = set(project.labels)

    def _obsolete_codes(self) -> set[str]:
        return {r["code"] for r in read_table(self.p.paths.obsolete_codes, ("code",), None)}

    # ---- which MONDO classes to mint

    def netgraph_of(self, mondo: str) -> str | None:
        pinned = PINNED.get(mondo, ("",))[0]
        return self.p.exact_mondo.get(mondo) or pinned or self.mondo_new.get(mondo)

    def represented(self, mondo: str) -> bool:
        """True when an existing netgraph class stands for the MONDO class (exact mapping or pinned)."""
        return mondo in self.p.exact_mondo or mondo in PINNED

    def in_scope_orpha(self) -> list[str]:
        return sorted((c for c in self.ref.orphanet_entities if c not in OUT_OF_SCOPE), key=_orpha_key)

    def orpha_to_mondo(self) -> dict[str, str]:
        out = {}
        for x in self.ref.disease_xrefs:
            if x["prefix"] == "ORPHA" and x["skos_predicate"] == "skos:exactMatch" and self.ref.live(x["mondo_id"]):
                out[x["xref"]] = x["mondo_id"]
        return out

    def mint_set(self) -> list[str]:
        d = self.ref.diseases
        wanted = [m for m, r in d.items() if r["in_neuroendocrine_neoplasm_subtree"] == "yes" and r["obsolete"] == "false"]
        o2m = self.orpha_to_mondo()
        wanted += [o2m[o] for o in self.in_scope_orpha() if o in o2m and o not in self.p.objects and o not in ORPHA_MAPS]
        wanted += list(EXTRA_MONDO)
        todo = sorted({m for m in wanted if not self.represented(m)})
        seen = set(todo)
        while todo:
            m = todo.pop()
            for parent in d[m]["parent_mondo_ids"].split("|"):
                if parent and self.ref.live(parent) and not self.represented(parent) and parent not in seen:
                    if (m, parent) in DROP_MONDO_PARENTS:
                        continue
                    seen.add(parent)
                    todo.append(parent)
        return sorted(seen)

    def _unique_id(self, ident: str, key: str) -> tuple[str, str]:
        if ident not in self.p.ids and ident not in self.new:
            return ident, ""
        alt = ident + key.replace(":", "").title()
        return alt, f"id {ident} was taken, so the id carries the code"

    def _unique_label(self, label: str, key: str) -> tuple[str, str]:
        if label.casefold() not in self.labels:
            self.labels.add(label.casefold())
            return label, ""
        alt = f"{label} ({key})"
        self.labels.add(alt.casefold())
        return alt, f"label disambiguated with the code: '{label}' is already the label of another class"

    # ---- classes

    def mint(self) -> None:
        d = self.ref.diseases
        for m in self.mint_set():
            r = d[m]
            ident, id_note = self._unique_id(camel_id(r["label"]), m)
            self.mondo_new[m] = ident
            self.new[ident] = {"id": ident, "_mondo": m, "_notes": [n for n in (id_note,) if n]}
        for m, ident in sorted(self.mondo_new.items()):
            r = d[m]
            row = self.new[ident]
            label, lab_note = self._unique_label(r["label"], m)
            if lab_note:
                row["_notes"].append(lab_note)
            synonyms = [s for s in r["synonyms"].split("|") if s and s.casefold() != r["label"].casefold()]
            definition, source = _clean(r["definition"]), MONDO_SOURCE
            if not definition:
                definition, source = self._orphanet_definition(m, row)
            row.update(label_en=label, synonyms_en="|".join(dict.fromkeys(synonyms)),
                       definition=definition or (f"A class of MONDO ({m}, '{r['label']}'); MONDO 2026-05-05 gives "
                                                  "it no textual definition."),
                       definition_source=source if definition else "")
            row["_parents"] = self._mondo_parents(m, row)
        for orpha, parent in sorted(ORPHA_CLASSES.items(), key=lambda kv: _orpha_key(kv[0])):
            e = self.ref.orphanet_entities[orpha]
            ident, id_note = self._unique_id(camel_id(e["label"]), orpha)
            label, lab_note = self._unique_label(e["label"], orpha)
            self.new[ident] = {
                "id": ident, "_orpha": orpha, "_notes": [n for n in (id_note, lab_note) if n],
                "label_en": label, "synonyms_en": "|".join(s.strip() for s in e["synonyms"].split(";") if s.strip()),
                "definition": _clean(e["definition"]), "definition_source": ORPHANET_SOURCE,
                "_parents": [parent],
            }
            self.new[ident]["_notes"].append(f"class from Orphanet's record {orpha} (no live MONDO class in the extract)")
        self._resolve_conflicts()

    def _orphanet_definition(self, m: str, row: dict) -> tuple[str, str]:
        """Orphanet's definition of the ORPHAcode MONDO marks exact for ``m``, when MONDO gives none."""
        for x in self.ref.disease_xrefs:
            if x["mondo_id"] == m and x["prefix"] == "ORPHA" and x["skos_predicate"] == "skos:exactMatch":
                e = self.ref.orphanet_entities.get(x["xref"])
                if e and e["definition"].strip():
                    row["_notes"].append(f"definition from Orphanet's record {x['xref']} (MONDO gives none)")
                    return _clean(e["definition"]), ORPHANET_SOURCE
        return "", ""

    def _mondo_parents(self, m: str, row: dict) -> list[str]:
        parents: list[str] = []
        for parent in self.ref.diseases[m]["parent_mondo_ids"].split("|"):
            if not parent:
                continue
            if (m, parent) in DROP_MONDO_PARENTS:
                row["_notes"].append(f"MONDO parent {parent} not taken: {DROP_MONDO_PARENTS[(m, parent)]}")
                continue
            target = self.netgraph_of(parent)
            if target:
                parents.append(target)
            else:
                row["_notes"].append(f"MONDO parent {parent} is outside the extract and netgraph")
        for r in self.p.hand:  # an existing class mapped broader than this MONDO class is its parent too
            if r["predicate_id"] == "skos:narrowMatch" and r["object_id"] == m:
                parents.append(r["subject_id"].split(":", 1)[1])
                row["_notes"].append(f"parent {parents[-1]}: that class is mapped skos:narrowMatch to {m}")
        if m in EXTRA_PARENTS:
            extra, why = EXTRA_PARENTS[m]
            parents.extend(extra)
            row["_notes"].append(f"parent(s) {', '.join(extra)}: {why}")
        if not parents:
            raise CurationError(Path("../shared/reference/diseases.tsv"), None,
                                f"{m} has no parent inside netgraph", "add it to EXTRA_PARENTS with a reason")
        return list(dict.fromkeys(parents))

    def _parent_map(self) -> dict[str, list[str]]:
        out = dict(self.p.parents)
        out.update({i: r["_parents"] for i, r in self.new.items()})
        return out

    @staticmethod
    def _ancestors(cid: str, pm: dict[str, list[str]]) -> frozenset[str]:
        return closure(cid, lambda c: pm.get(c, ()))

    def _resolve_conflicts(self) -> None:
        """NET and NEC are disjoint in netgraph: a class under both keeps the side its own label names."""
        for ident in sorted(self.new, key=lambda i: (len(self._ancestors(i, self._parent_map())), i)):
            row = self.new[ident]
            pm = self._parent_map()
            anc = set().union(*(self._ancestors(p, pm) for p in row["_parents"]))
            if "FunctionalNeuroendocrineNeoplasm" in anc and "NonFunctionalNeuroendocrineNeoplasm" in anc:
                raise CurationError(Path(OUTPUT_TABLE), None, f"{ident} would be functional and non-functional",
                                    "drop one of its MONDO parents in DROP_MONDO_PARENTS")
            if not ("NeuroendocrineTumour" in anc and "NeuroendocrineCarcinoma" in anc):
                continue
            drop = "NeuroendocrineTumour" if "carcinoma" in row["label_en"].lower() else "NeuroendocrineCarcinoma"
            kept: list[str] = []
            for p in row["_parents"]:
                kept.extend(self._lift(p, drop, pm) if drop in self._ancestors(p, pm) else [p])
            replaced = [p for p in row["_parents"] if p not in kept]
            row["_parents"] = list(dict.fromkeys(kept))
            row["_notes"].append(f"MONDO parent(s) {', '.join(replaced)} are under {drop}; netgraph keeps NET and NEC "
                                 f"disjoint, so this class is attached to their nearest ancestors outside {drop} instead")
        pm = self._parent_map()
        for row in self.new.values():  # transitive reduction of the parents column
            ps = row["_parents"]
            row["_parents"] = [p for p in ps if not any(p != q and p in self._ancestors(q, pm) for q in ps)]

    def _lift(self, cid: str, drop: str, pm: dict[str, list[str]]) -> list[str]:
        out: list[str] = []
        for p in pm.get(cid, []):
            if p == drop:
                continue
            out.extend(self._lift(p, drop, pm) if drop in self._ancestors(p, pm) else [p])
        return out or ["NeuroendocrineNeoplasm"]

    # ---- mappings

    def add(self, subject: str, subject_label: str, predicate: str, obj: str, obj_label: str, justification: str,
            source: str, version: str, comment: str, qualifier: str = "") -> None:
        self.rows.append({
            "subject_id": f"netgraph:{subject}", "subject_label": subject_label, "predicate_id": predicate,
            "object_id": obj, "object_label": obj_label, "mapping_justification": justification,
            "object_source": source, "object_source_version": version, "mapping_date": MAPPING_DATE,
            "orphanet_qualifier": qualifier, "comment": f"{TAG}: {comment}" if comment else TAG,
        })

    def subject_label(self, ident: str) -> str:
        if ident in self.new:
            return self.new[ident]["label_en"]
        return self._existing_labels().get(ident, "")

    def _existing_labels(self) -> dict[str, str]:
        if not hasattr(self, "_labels_cache"):
            out: dict[str, str] = {}
            for r in self.p.hand:
                out.setdefault(r["subject_id"].split(":", 1)[1], r["subject_label"])
            for path in table_files(self.p.paths.tables_dir, "classes"):
                if path.name != OUTPUT_TABLE:
                    for t in read_table(path, ("id",), None):
                        out[t["id"]] = t["label_en"]
            self._labels_cache = out
        return self._labels_cache

    def has_pair(self, subject: str, obj: str) -> bool:
        return (subject, obj) in self.p.pairs or any(
            r["subject_id"] == f"netgraph:{subject}" and r["object_id"] == obj for r in self.rows)

    def mapped_objects(self) -> set[str]:
        return self.p.objects | {r["object_id"] for r in self.rows}

    def mondo_rows(self) -> None:
        xrefs = defaultdict(list)
        for x in self.ref.disease_xrefs:
            xrefs[x["mondo_id"]].append(x)
        exact_taken = {r["object_id"] for r in self.p.hand if r["predicate_id"] == "skos:exactMatch"}
        for m, ident in sorted(self.mondo_new.items()):
            label = self.new[ident]["label_en"]
            self.add(ident, label, "skos:exactMatch", m, self.ref.diseases[m]["label"], "semapv:ManualMappingCuration",
                     self.p.sources["MONDO"], MONDO_CONTENT_VERSION, "class minted from this MONDO class")
            for x in sorted(xrefs[m], key=lambda x: x["xref"]):
                prefix, obj = x["prefix"], x["xref"]
                if prefix not in self.prefixes or prefix not in self.p.sources or obj in self.obsolete:
                    continue
                pred = x["skos_predicate"]
                if pred == "skos:exactMatch":
                    if obj in exact_taken:
                        self.notes.append(f"{obj}: already exact to another class; not chained to {ident}")
                        continue
                    exact_taken.add(obj)
                    comment = f"via {m} exactMatch ({x['mondo_source_inferred']})"
                elif pred == "none" and prefix in ("GARD", "ICDO"):
                    pred = "skos:closeMatch"
                    comment = (f"via {m} exactMatch; MONDO hasDbXref only: MONDO exports no equivalence for the "
                               f"{prefix} prefix, so the xref may be narrower or broader")
                elif pred in ("skos:closeMatch", "skos:relatedMatch"):
                    comment = f"via {m} exactMatch; MONDO itself gives {pred} for this xref"
                else:
                    continue
                if prefix == "ORPHA":
                    comment += self._orphanet_classification(obj)
                self.add(ident, label, pred, obj, "" if prefix == "ICDO" else x["xref_label"],
                         "semapv:MappingChaining", self.p.sources[prefix], MONDO_MAPPING_VERSION, comment)

    def _orphanet_classification(self, orpha: str) -> str:
        parents = self.ref.orphanet_parents(orpha)
        if not parents:
            return ""
        listed = "; ".join(f"{c} ({n})" for c, n in parents)
        return f". Orphanet classification (orphanet-2025-07-classification) places {orpha} under {listed}"

    def orphanet_rows(self) -> None:
        o2m = self.orpha_to_mondo()
        for orpha in self.in_scope_orpha():
            e = self.ref.orphanet_entities[orpha]
            if orpha in self.mapped_objects():
                continue
            if orpha in ORPHA_MAPS:
                for ident, pred, why in ORPHA_MAPS[orpha]:
                    self.add(ident, self.subject_label(ident), pred, orpha, e["label"], "semapv:ManualMappingCuration",
                             self.p.sources["ORPHA"], ORPHANET_VERSION, why + self._orphanet_classification(orpha))
                continue
            cls = next((i for i, r in self.new.items() if r.get("_orpha") == orpha), None)
            if cls:
                self.add(cls, self.new[cls]["label_en"], "skos:exactMatch", orpha, e["label"],
                         "semapv:ManualMappingCuration", self.p.sources["ORPHA"], ORPHANET_VERSION,
                         "class minted from this Orphanet record" + self._orphanet_classification(orpha))
                mondo = self.ref.orphanet_all.get(orpha)
                if mondo and mondo["skos_predicate"] == "skos:exactMatch" and mondo["mondo_obsolete"] == "false":
                    self.add(cls, self.new[cls]["label_en"], "skos:exactMatch", mondo["mondo_id"], mondo["mondo_label"],
                             "semapv:MappingChaining", self.p.sources["MONDO"], MONDO_MAPPING_VERSION,
                             f"via {orpha} exactMatch ({mondo['mondo_source_inferred']})")
                continue
            m = o2m.get(orpha)
            target = self.netgraph_of(m) if m else None
            if target:
                self.add(target, self.subject_label(target), "skos:exactMatch", orpha, e["label"],
                         "semapv:MappingChaining", self.p.sources["ORPHA"], MONDO_MAPPING_VERSION,
                         f"via {m} exactMatch (MONDO:equivalentTo)" + self._orphanet_classification(orpha))

    def omim_rows(self) -> None:
        exact: dict[str, str] = {}
        for r in self.p.hand + self.rows:
            if r["predicate_id"] == "skos:exactMatch" and r["object_id"].startswith("ORPHA:"):
                exact.setdefault(r["object_id"], r["subject_id"].split(":", 1)[1])
        for orpha in self.in_scope_orpha():
            e = self.ref.orphanet_entities[orpha]
            cell = e["external_references_with_DisorderMappingRelation"]
            if not cell:
                continue
            subject = exact.get(orpha)
            if subject is None:
                self.notes.append(f"{orpha}: no netgraph class is exact to it, so its OMIM mappings are not carried over")
                continue
            for om in parse_orphanet_mappings(cell):
                if not om.code.startswith("OMIM:"):
                    continue
                pred = OMIM_QUALIFIER_PREDICATES.get(om.qualifier)
                if pred is None:
                    self.notes.append(f"{orpha} -> {om.code}: qualifier {om.qualifier} has no SKOS predicate; left out")
                    continue
                if self.has_pair(subject, om.code):
                    self.notes.append(f"{orpha} -> {om.code} [{om.qualifier}]: {subject} already maps {om.code}; not repeated")
                    continue
                self.add(subject, self.subject_label(subject), pred, om.code, "", "semapv:MappingChaining",
                         self.p.sources["OMIM"], ORPHANET_VERSION,
                         f"via {orpha} exactMatch; Orphanet's mapping of {orpha} to {om.code}: {om.raw}",
                         qualifier=om.qualifier)

    def code_rows(self) -> None:
        icd = self.ref.icd10cm
        entries = list(ICD10CM_MAPPINGS)
        for prefix, target, pred, note in ICD10CM_PREFIX_MAPPINGS:
            entries += [(c, target, pred, note) for c, r in sorted(icd.items())
                        if c.startswith(prefix) and r["selected_because"] == "code_prefix"]
        for code, target, pred, note in entries:
            row = icd.get(code)
            if row is None or row["selected_because"] != "code_prefix":
                raise CurationError(Path("netgraph/curation/codes.py"), None,
                                    f"ICD-10-CM {code} is not a code_prefix row of icd10cm_2026_nen_codes.tsv",
                                    "map only codes the reference selected by their code, not by a keyword")
            self._code_row(target, pred, f"ICD10CM:{code}", row["description"], ICD10CM_SOURCE_URL, ICD10CM_VERSION, note)
        for code, target, pred, note in ICDO_MAPPINGS:
            if code not in self.ref.icdo3_codes:
                raise CurationError(Path("netgraph/curation/codes.py"), None,
                                    f"ICD-O-3 {code} is not in icdo3_morphology_nen_ohdsi.tsv", "use a code of the reference")
            self._code_row(target, pred, f"ICDO:{code}", "", self.p.sources["ICDO"], ICDO_VERSION, note)

    def _code_row(self, target: str, pred: str, obj: str, obj_label: str, source: str, version: str, note: str) -> None:
        ident = self.netgraph_of(target) if target.startswith("MONDO:") else target
        if not ident or (ident not in self.p.ids and ident not in self.new):
            raise CurationError(Path("netgraph/curation/codes.py"), None, f"target {target} of {obj} is not a netgraph class")
        if self.has_pair(ident, obj):
            self.notes.append(f"{obj}: {ident} already maps it; not repeated")
            return
        self.add(ident, self.subject_label(ident), pred, obj, obj_label, "semapv:ManualMappingCuration",
                 source, version, note)

    # ---- completeness

    def check_complete(self) -> None:
        objects = self.mapped_objects()
        d = self.ref.diseases
        missing = [m for m, r in d.items() if r["in_neuroendocrine_neoplasm_subtree"] == "yes"
                   and r["obsolete"] == "false" and m not in objects]
        missing += [o for o in self.in_scope_orpha() if o not in objects]
        if missing:
            raise CurationError(Path(OUTPUT_TABLE), None, f"not mapped: {', '.join(missing)}",
                                "give each a class, a mapping (ORPHA_MAPS) or an OUT_OF_SCOPE reason")

    # ---- output

    def class_table(self) -> str:
        out = ["# Generated by `python -m netgraph.curation.classification` from ../shared/reference "
               "(MONDO 2026-05-05 NEN subtree, Orphanet 2025 NEN entities). Do not edit: change the generator.",
               "\t".join(CLASS_HEADER)]
        children = self._existing_children()
        for ident in sorted(self.new):
            r = self.new[ident]
            notes = list(r["_notes"])
            key: str = r.get("_mondo") or r["_orpha"]  # every new class comes from one or the other
            if r.get("_mondo"):
                notes.insert(0, f"from {key}")
                for x in self.ref.diseases[key]["orphanet_ids"].split("|"):
                    if x in self.ref.orphanet_entities and self.ref.orphanet_parents(x):
                        notes.append(self._orphanet_classification(x).lstrip(". "))
            elif r.get("_orpha"):
                notes.append(self._orphanet_classification(key).lstrip(". "))
            if children.get(key):
                notes.append("MONDO places existing netgraph classes under it (their parents column is curated "
                             f"by hand and not changed here): {', '.join(sorted(children[key]))}")
            exact, narrow, broad = self._synonym_scopes(ident, r["synonyms_en"])
            cells = [ident, "|".join(r["_parents"]), r["label_en"], exact, narrow, broad, r["definition"],
                     r["definition_source"], "; ".join(n for n in notes if n)]
            out.append("\t".join(_clean(c) for c in cells))
        return "\n".join(out) + "\n"

    def _lineage(self, ident: str) -> frozenset[str]:
        from ..hierarchy import closure

        return closure(ident, lambda cur: self.new[cur]["_parents"] if cur in self.new else self.p.parents.get(cur, []))

    def _synonym_scopes(self, ident: str, synonyms: str) -> tuple[str, str, str]:
        """MONDO's exact synonyms, with the corrections' policy applied (issue 10): a "well differentiated"
        wording is narrow on a neoplasm-level class; a neoplasm-level (NEN) wording is broad on a NET class."""
        under_net = "NeuroendocrineTumour" in self._lineage(ident)
        exact, narrow, broad = [], [], []
        for syn in (x for x in synonyms.split("|") if x):
            if ident.endswith("Neoplasm") and "well differentiated" in syn.lower():
                narrow.append(syn)
            elif under_net and _NEN_WORDING.search(syn) and "well" not in syn.lower():
                broad.append(syn)
            else:
                exact.append(syn)
        return "|".join(exact), "|".join(narrow), "|".join(broad)

    def _existing_children(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for m, ident in self.p.exact_mondo.items():
            row = self.ref.diseases.get(m)
            for parent in (row["parent_mondo_ids"].split("|") if row else []):
                if parent in self.mondo_new:
                    out[parent].add(ident)
        for r in self.p.hand:
            if r["predicate_id"] == "skos:broadMatch" and r["object_id"] in self.mondo_new:
                out[r["object_id"]].add(r["subject_id"].split(":", 1)[1])
        return out

    def sssom_text(self) -> str:
        rows = sorted(self.rows, key=lambda r: (r["subject_id"], r["object_id"].split(":")[0], r["object_id"],
                                                r["predicate_id"]))
        block = ["\t".join(_clean(r.get(h, "")) for h in self.p.header) for r in rows]
        return replace_block(self.p.sssom_text, TAG, block)  # the blocks' places: netgraph.curation.sssom_blocks


def _orpha_key(code: str) -> int:
    return int(code.split(":", 1)[1])


def generate(root: Root = None, shared: Path | None = None) -> Generated:
    """Compute the class table and the SSSOM file (nothing is written)."""
    paths = project_paths(root)
    shared = shared or paths.shared_dir()
    if shared is None:
        raise SharedFolderError("the shared folder (../shared or NETGRAPH_SHARED) is needed to generate the classification")
    g = _Generator(Repository(paths), References(Path(shared)))
    g.mint()
    g.mondo_rows()
    g.orphanet_rows()
    g.omim_rows()
    g.code_rows()
    g.check_complete()
    classes_text = g.class_table()
    return Generated(classes_text, g.sssom_text(), [dict(r) for r in g.new.values()], list(g.rows), g.notes)


def write(root: Root = None, shared: Path | None = None) -> Generated:
    """Generate and write both files atomically (both or neither)."""
    paths = project_paths(root)
    result = generate(root, shared)
    write_all_atomic({paths.tables_dir / OUTPUT_TABLE: result.classes_text.encode("utf-8"),
                      paths.sssom: result.sssom_text.encode("utf-8")})
    return result


def generated_lines(text: str) -> list[str]:
    """The generated rows of an SSSOM text (comment starting with :data:`TAG`), in order."""
    return [line for line in text.splitlines() if f"\t{TAG}" in line]


def is_current(root: Root = None, result: Generated | None = None) -> list[Path]:
    """The files that differ from what the generator writes (empty: up to date).

    The SSSOM file is current when its generated rows are the generator's, in order, and its other lines are
    kept; where the block stands does not matter (rows appended after it by a merge are fine).
    """
    paths = project_paths(root)
    result = result or generate(root)
    stale = []
    table = paths.tables_dir / OUTPUT_TABLE
    if not table.is_file() or table.read_text(encoding="utf-8") != result.classes_text:
        stale.append(table)
    current = paths.sssom.read_text(encoding="utf-8")
    hand = [line for line in current.splitlines() if f"\t{TAG}" not in line]
    fresh = [line for line in result.sssom_text.splitlines() if f"\t{TAG}" not in line]
    if generated_lines(current) != generated_lines(result.sssom_text) or sorted(hand) != sorted(fresh):
        stale.append(paths.sssom)
    return stale


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    try:
        if check:
            result = generate()
            stale = is_current(result=result)
            if stale:
                print("classification: out of date: " + ", ".join(str(p) for p in stale)
                      + " (run python -m netgraph.curation.classification)", file=sys.stderr)
                return 1
        else:
            result = write()
    except NetgraphError as exc:
        print(f"classification: {exc}", file=sys.stderr)
        return 2
    print(f"classification: {len(result.classes)} classes, {len(result.rows)} mapping rows"
          + (" (up to date)" if check else ""))
    try:
        for note in result.notes:
            print(f"  note: {note}")
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
