"""`netgraph build`: curated tables + core ontology -> Turtle, deterministically.

The build reads ``ontology/netgraph-edit.ttl`` (the core TBox), the tables under
``data/tables/`` and the SSSOM mapping file, checks every row, and emits three
files, one per named graph:

- ``ontology/netgraph.ttl``: the release ontology (core + disease classes +
  dated version IRI);
- ``data/netgraph-data.ttl``: the instance data (sources, named individuals,
  association individuals and their direct triples);
- ``data/netgraph-mappings.ttl``: SKOS mapping triples, ``oboInOwl:hasDbXref``
  strings and one SSSOM record per row from the SSSOM file, and the obsolete
  external codes of ``data/mappings/obsolete_codes.tsv`` (see
  :mod:`netgraph.crosswalk.emit`).

Nothing is written unless every table is valid; files are replaced atomically.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD, Namespace

from ._version import RELEASE_DATE, __version__
from .atomic import write_all_atomic
from .crosswalk.mappingset import OPTIONAL_COLUMNS as MAPPING_OPTIONAL
from .crosswalk.mappingset import REQUIRED_COLUMNS as MAPPING_COLUMNS
from .errors import BuildError, StaleFileError
from .grading.table import add_grading
from .indication import INDICATION_COLUMNS, add_indication, check_indication, indication_identity
from .model import ENTITY_ROOTS, NG, CoreModel
from .paths import ProjectPaths, project_paths
from .prefixes import GRAPH, SOURCE, STATEMENT, expand, prefix_map
from .literals import canonical_decimal
from .sourcetext import normalise_whitespace
from .tables import Row, read_table, read_tables, url_problem
from .turtle import to_turtle

__all__ = ["BuildResult", "compile_project", "build", "association_iri", "normalise_whitespace",
           "ONTOLOGY_IRI", "version_iri"]

ONTOLOGY_IRI = URIRef(expand("netgraph:ontology"))
OBOINOWL = Namespace(prefix_map()["oboInOwl"])
IAO_DEFINITION = URIRef(prefix_map()["IAO"] + "0000115")

ID_RE = re.compile(r"^[A-Z][A-Za-z0-9]*\Z")
SOURCE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-]*\Z")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?\Z")
SHA256_RE = re.compile(r"^[0-9a-f]{64}\Z")
DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?\Z")
SOURCE_KINDS = {"patient-information": "PatientInformationText", "reference-release": "ReferenceRelease",
                "professional-summary": "ProfessionalSummary", "agency-page": "AgencyInformationPage"}

SOURCE_COLUMNS = ("source_id", "kind", "title", "publisher", "language", "date", "url", "shared_path", "sha256", "license", "note")
#: ``repo_path``: where a public-domain source is vendored in this repository (whole and unchanged),
#: so that its quotes are checked in any clone; the shared copy stays the provenance.
SOURCE_OPTIONAL = ("repo_path",)
CLASS_COLUMNS = ("id", "parents", "label_en", "definition")
CLASS_OPTIONAL = ("label_nl", "synonyms_en", "synonyms_nl", "definition_source", "secretes", "primary_site",
                  "deprecated", "replaced_by", "comment", "hypersecretion_syndrome", "narrow_synonyms_en",
                  "broad_synonyms_en")
#: narrower and broader synonyms: kept for search, never labels (label lookup does not see them)
SYNONYM_SCOPES = (("narrow_synonyms_en", OBOINOWL.hasNarrowSynonym, "en"),
                  ("broad_synonyms_en", OBOINOWL.hasBroadSynonym, "en"))
ENTITY_COLUMNS = ("id", "type", "label_en")
ENTITY_OPTIONAL = ("broader", "label_nl", "synonyms_en", "synonyms_nl", "definition", "definition_source", "comment")
ASSOCIATION_COLUMNS = ("kind", "subject", "object", "source", "quote")
ASSOCIATION_OPTIONAL = ("frequency", "frequency_text", "condition", "purpose", "trigger", "value", "unit",
                        "source_record", "association_type", "comment") + INDICATION_COLUMNS  # indication and evidence: netgraph/indication.py
SSSOM_COLUMNS = MAPPING_COLUMNS
SSSOM_OPTIONAL = MAPPING_OPTIONAL


def version_iri(date: str = RELEASE_DATE) -> URIRef:
    """The dated version IRI of the release ontology."""
    return URIRef(f"{expand('netgraph:releases/')}{date}/netgraph.ttl")


def association_iri(kind: str, subject: str, obj: str, identity: tuple[str, ...]) -> URIRef:
    """A content-derived association IRI: readable prefix, hash of every identifying field."""
    digest = hashlib.sha256("\x1f".join((kind, subject, obj) + identity).encode("utf-8")).hexdigest()[:12]
    return URIRef(f"{STATEMENT}{kind}-{subject}-{obj}-{digest}")


@dataclass
class BuildResult:
    """What a build produced: file contents by path, and counts for the report."""

    files: dict[Path, bytes]
    counts: Counter = field(default_factory=Counter)
    written: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)


class _Compiler:
    def __init__(self, paths: ProjectPaths):
        self.paths = paths
        self.core = CoreModel.load(paths.ontology_edit)
        self.kinds = self.core.association_kinds
        self.counts: Counter = Counter()
        t = paths.tables_dir
        self.sources = read_table(t / "sources.tsv", SOURCE_COLUMNS, SOURCE_OPTIONAL)
        self.class_rows = read_tables(t, "classes", CLASS_COLUMNS, CLASS_OPTIONAL)
        self.entity_rows = read_tables(t, "entities", ENTITY_COLUMNS, ENTITY_OPTIONAL)
        self.association_rows = read_tables(t, "associations", ASSOCIATION_COLUMNS, ASSOCIATION_OPTIONAL)
        self.mapping_rows = read_table(paths.sssom, SSSOM_COLUMNS, SSSOM_OPTIONAL)

    # -- indexes -------------------------------------------------------------------------

    def index(self) -> None:
        self.source_ids: dict[str, Row] = {}
        for r in self.sources:
            sid = r["source_id"]
            if not SOURCE_ID_RE.match(sid):
                raise r.error(f"source_id {sid!r} is not lower-case letters, digits, '.' and '-'")
            if sid in self.source_ids:
                raise r.error(f"duplicate source_id {sid!r}", f"first defined on line {self.source_ids[sid].line}")
            if r["kind"] not in SOURCE_KINDS:
                raise r.error(f"kind {r['kind']!r} is not one of {', '.join(SOURCE_KINDS)}")
            for col in ("title", "publisher", "language", "shared_path", "sha256"):
                if not r[col]:
                    raise r.error(f"column {col!r} is empty", "every source needs a title, publisher, language, shared_path and sha256")
            if not LANG_RE.match(r["language"]):
                raise r.error(f"language {r['language']!r} is not a BCP 47 tag such as 'en' or 'nl'")
            if r["date"] and not DATE_RE.match(r["date"]):
                raise r.error(f"date {r['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            if r["url"] and url_problem(r["url"]):
                raise r.error(f"url {r['url']!r} {url_problem(r['url'])}", "give the full address as the browser shows it")
            if not SHA256_RE.match(r["sha256"]):
                raise r.error("sha256 is not 64 lower-case hex digits", "compute it with `sha256sum` on the shared file")
            if r["repo_path"]:
                vendored = self.paths.root / r["repo_path"]
                if not vendored.is_file():
                    raise r.error(f"repo_path {r['repo_path']!r} is not a file of this repository",
                                  "copy the source text there unchanged, or empty the column")
                if hashlib.sha256(vendored.read_bytes()).hexdigest() != r["sha256"]:
                    raise r.error(f"{r['repo_path']} does not match the recorded sha256",
                                  "a vendored source must be the shared file byte for byte")
            self.source_ids[sid] = r

        core_classes = self.core.classes
        self.class_parents: dict[str, list[str]] = {c: list(p) for c, p in core_classes.items()}
        self.class_table: dict[str, Row] = {}
        self.entity_table: dict[str, Row] = {}
        for r in self.class_rows:
            cid = r["id"]
            self._check_id(r, cid)
            if cid in core_classes:
                raise r.error(f"class {cid!r} is already defined in the core ontology", "attach to it as a parent instead")
            self.class_table[cid] = r
        for r in self.entity_rows:
            eid = r["id"]
            self._check_id(r, eid)
            if eid in self.class_table or eid in core_classes or eid in self.core.individuals:
                raise r.error(f"id {eid!r} is already used by a class or a core individual")
            self.entity_table[eid] = r
        for cid, r in self.class_table.items():
            parents = r.multi("parents")
            if not parents and r["deprecated"] != "true":
                raise r.error(f"class {cid!r} has no parent", "give at least one parent class (e.g. NeuroendocrineTumour)")
            for p in parents:
                if p not in self.class_parents and p not in self.class_table:
                    raise r.error(f"parent {p!r} of {cid!r} is not a known class", "define it in classes.tsv or use a core class")
            self.class_parents[cid] = parents
        for cid in self.class_table:
            self._ancestors(cid, self.class_table[cid])
        entity_types = {c for c in self.class_parents if any(self._is_subclass(c, root) for root in ENTITY_ROOTS)}
        for eid, r in self.entity_table.items():
            if r["type"] not in entity_types:
                raise r.error(f"type {r['type']!r} of {eid!r} is not an entity class",
                              f"use one of {', '.join(sorted(entity_types))}")
            for b in r.multi("broader"):
                if b not in self.entity_table:
                    raise r.error(f"broader {b!r} of {eid!r} is not an entity of entities.tsv")

    def _check_id(self, r: Row, ident: str) -> None:
        if not ID_RE.match(ident):
            raise r.error(f"id {ident!r} is not a CamelCase local name (letters and digits, starting upper-case)")
        if ident in self.class_table or ident in self.entity_table:
            raise r.error(f"duplicate id {ident!r}")

    def _ancestors(self, cid: str, row: Row | None = None) -> frozenset[str]:
        """``cid`` and every class above it; a subclass cycle is an error naming the row.

        Iterative and memoised: linear in the size of the hierarchy, whatever its depth.
        """
        memo = self.__dict__.setdefault("_ancestor_memo", {})
        if cid in memo:
            return memo[cid]
        path: list[str] = [cid]
        on_path = {cid: 0}
        stack = [iter(self.class_parents.get(cid, []))]
        while stack:
            for p in stack[-1]:
                if p in memo:
                    continue
                if p in on_path:
                    where = row or self.class_table.get(cid)
                    err = f"subclass cycle: {' -> '.join(path[on_path[p]:] + [p])}"
                    raise where.error(err) if where else BuildError(err)
                on_path[p] = len(path)
                path.append(p)
                stack.append(iter(self.class_parents.get(p, [])))
                break
            else:
                stack.pop()
                node = path.pop()
                del on_path[node]
                out = {node}
                for p in self.class_parents.get(node, []):
                    out |= memo[p]
                memo[node] = frozenset(out)
        return memo[cid]

    def _is_subclass(self, cid: str, ancestor: str) -> bool:
        return ancestor in self._ancestors(cid)

    def is_a(self, ident: str, constraint: str) -> bool:
        """True when ``ident`` is ``constraint``, a subclass of it, or an individual of it."""
        if ident in self.class_parents:
            return self._is_subclass(ident, constraint)
        if ident in self.entity_table:
            return self._is_subclass(self.entity_table[ident]["type"], constraint)
        return False

    def label_en(self, ident: str) -> str:
        if ident in self.class_table:
            return self.class_table[ident]["label_en"]
        if ident in self.entity_table:
            return self.entity_table[ident]["label_en"]
        return self.core.label(NG[ident]) or ident

    # -- graphs --------------------------------------------------------------------------

    axiom_individuals: frozenset[str] = frozenset()

    def ontology_graph(self) -> Graph:
        g = Graph()
        for t in self.core.graph:
            g.add(t)
        g.add((ONTOLOGY_IRI, OWL.versionIRI, version_iri()))
        g.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(__version__)))
        labels: dict[tuple[str, str], int] = {}
        for c in self.core.classes:
            for lang in ("en", "nl"):
                lab = self.core.label(NG[c], lang)
                if lab:
                    labels[(lang, lab.casefold())] = 0
        referenced: set[str] = set()
        for cid, r in self.class_table.items():
            node = NG[cid]
            g.add((node, RDF.type, OWL.Class))
            for p in r.multi("parents"):
                g.add((node, RDFS.subClassOf, NG[p]))
            self._labels(g, node, r, labels)
            if not r["definition"]:
                raise r.error(f"class {cid!r} has no definition", "every class needs a definition")
            g.add((node, IAO_DEFINITION, Literal(r["definition"], lang="en")))
            if r["definition_source"]:
                self._source_ref(r, r["definition_source"])
                g.add((node, NG.definitionSource, URIRef(SOURCE + r["definition_source"])))
            for col, prop, root in (("secretes", NG.secretes, "SecretedSubstance"), ("primary_site", NG.hasPrimarySite, "AnatomicalSite")):
                for value in r.multi(col):
                    if value not in self.entity_table or not self.is_a(value, root):
                        raise r.error(f"{col} value {value!r} is not a {root} entity of entities.tsv")
                    restriction = BNode()
                    g.add((node, RDFS.subClassOf, restriction))
                    g.add((restriction, RDF.type, OWL.Restriction))
                    g.add((restriction, OWL.onProperty, prop))
                    g.add((restriction, OWL.hasValue, NG[value]))
                    referenced.add(value)
                    self.counts["class axioms"] += 1
            for value in r.multi("hypersecretion_syndrome"):
                if value not in self.class_parents or not self._is_subclass(value, "HormoneHypersecretionSyndrome"):
                    raise r.error(f"hypersecretion_syndrome value {value!r} is not a class under HormoneHypersecretionSyndrome",
                                  "name HormoneHypersecretionSyndrome or a syndrome class whose parents lead to it")
                restriction = BNode()
                g.add((node, RDFS.subClassOf, restriction))
                g.add((restriction, RDF.type, OWL.Restriction))
                g.add((restriction, OWL.onProperty, NG.causesHypersecretionSyndrome))
                g.add((restriction, OWL.someValuesFrom, NG[value]))
                self.counts["class axioms"] += 1
            if r["deprecated"]:
                if r["deprecated"] != "true":
                    raise r.error("deprecated must be 'true' or empty")
                g.add((node, OWL.deprecated, Literal(True)))
                if r["replaced_by"]:
                    if r["replaced_by"] not in self.class_table:
                        raise r.error(f"replaced_by {r['replaced_by']!r} is not a class of classes.tsv")
                    g.add((node, DCTERMS.isReplacedBy, NG[r["replaced_by"]]))
            if r["comment"]:
                g.add((node, NG.curationNote, Literal(r["comment"], lang="en")))
            self.counts["classes"] += 1
        # Individuals used in class axioms are declared (typed) here, and only here, so the ontology
        # reasons on its own and no triple lives in two named graphs (data_graph skips these types).
        self.axiom_individuals = frozenset(referenced)
        for value in sorted(referenced):
            g.add((NG[value], RDF.type, OWL.NamedIndividual))
            g.add((NG[value], RDF.type, NG[self.entity_table[value]["type"]]))
        return g

    def _labels(self, g: Graph, node: URIRef, r: Row, seen: dict[tuple[str, str], int]) -> None:
        for lang in ("en", "nl"):
            lab = r[f"label_{lang}"]
            if lang == "en" and not lab:
                raise r.error(f"{r['id']!r} has no English label (label_en)")
            if lab:
                key = (lang, lab.casefold())
                if key in seen:
                    where = f"line {seen[key]}" if seen[key] else "the core ontology"
                    raise r.error(f"label {lab!r}@{lang} is already used ({where})", "labels must be unique within a language")
                seen[key] = r.line
                g.add((node, RDFS.label, Literal(lab, lang=lang)))
                self.counts[f"labels@{lang}"] += 1
            for syn in r.multi(f"synonyms_{lang}"):
                g.add((node, SKOS.altLabel, Literal(syn, lang=lang)))
                self.counts[f"synonyms@{lang}"] += 1
        exact = {s.casefold() for s in r.multi("synonyms_en")} | {r["label_en"].casefold()}
        for col, prop, lang in SYNONYM_SCOPES:
            for syn in r.multi(col):
                if syn.casefold() in exact:
                    raise r.error(f"{syn!r} is both an exact synonym (or the label) and in {col}",
                                  "a wording is exact, narrow or broad, not two of them: keep it in one column")
                g.add((node, prop, Literal(syn, lang=lang)))
                self.counts[f"{col.split('_')[0]} synonyms@{lang}"] += 1

    def _source_ref(self, r: Row, sid: str) -> URIRef:
        if sid not in self.source_ids:
            raise r.error(f"source {sid!r} is not in sources.tsv", f"known sources: {', '.join(sorted(self.source_ids))}")
        return URIRef(SOURCE + sid)

    def data_graph(self) -> Graph:
        g = Graph()
        for sid, r in sorted(self.source_ids.items()):
            node = URIRef(SOURCE + sid)
            g.add((node, RDF.type, OWL.NamedIndividual))
            g.add((node, RDF.type, NG[SOURCE_KINDS[r["kind"]]]))
            g.add((node, RDFS.label, Literal(f"{r['publisher']}: {r['title']}", lang=r["language"])))
            if r["language"] != "en":
                g.add((node, RDFS.label, Literal(f"{r['publisher']}: {r['title']} (source {sid})", lang="en")))
            g.add((node, DCTERMS.title, Literal(r["title"], lang=r["language"])))
            g.add((node, DCTERMS.publisher, Literal(r["publisher"])))
            g.add((node, DCTERMS.language, Literal(r["language"])))
            g.add((node, DCTERMS.identifier, Literal(sid)))
            if r["date"]:
                g.add((node, DCTERMS.date, Literal(r["date"])))
            if r["url"]:
                g.add((node, NG.url, Literal(r["url"], datatype=XSD.anyURI)))
            g.add((node, NG.sha256, Literal(r["sha256"])))
            if r["license"]:
                g.add((node, DCTERMS.license, Literal(r["license"])))
            if r["note"]:
                g.add((node, NG.curationNote, Literal(r["note"], lang="en")))
            self.counts["sources"] += 1
        labels: dict[tuple[str, str], int] = {}
        for eid, r in sorted(self.entity_table.items()):
            node = NG[eid]
            if eid not in self.axiom_individuals:  # those are typed in the ontology graph
                g.add((node, RDF.type, OWL.NamedIndividual))
                g.add((node, RDF.type, NG[r["type"]]))
            self._labels(g, node, r, labels)
            if r["definition"]:
                g.add((node, IAO_DEFINITION, Literal(r["definition"], lang="en")))
            if r["definition_source"]:
                g.add((node, NG.definitionSource, self._source_ref(r, r["definition_source"])))
            for b in r.multi("broader"):
                g.add((node, SKOS.broader, NG[b]))
            if r["comment"]:
                g.add((node, NG.curationNote, Literal(r["comment"], lang="en")))
            self.counts["individuals"] += 1
            self.counts[f"individuals:{r['type']}"] += 1
        frequencies = self.core.qualifier_values("FrequencyQualifier")
        purposes = self.core.qualifier_values("PurposeQualifier")
        seen: dict[URIRef, int] = {}
        for r in self.association_rows:
            kind = self.kinds.get(r["kind"])
            if kind is None:
                raise r.error(f"unknown association kind {r['kind']!r}", f"use one of {', '.join(sorted(self.kinds))}")
            subj, obj = r["subject"], r["object"]
            for role, ident, constraints in (("subject", subj, kind.subject_constraints), ("object", obj, kind.object_constraints)):
                if ident not in self.class_parents and ident not in self.entity_table:
                    raise r.error(f"{role} {ident!r} is not a class or entity id", "define it in classes.tsv or entities.tsv")
                if not any(self.is_a(ident, c) for c in constraints):
                    raise r.error(f"{role} {ident!r} does not fit kind {kind.code!r}",
                                  f"the {role} must be (a subclass or an instance of) {' or '.join(constraints)}")
            if not r["quote"].strip():
                raise r.error("quote is empty", "every association needs a verbatim quote from its source")
            source = self._source_ref(r, r["source"])
            if self.source_ids[r["source"]]["kind"] == "reference-release" and not r["source_record"]:
                raise r.error("a quote from a reference release needs source_record (e.g. MONDO:0005048)")
            freq = r["frequency"]
            if freq and freq not in frequencies:
                raise r.error(f"frequency {freq!r} is not a controlled value", f"use one of {', '.join(sorted(frequencies))}")
            for p in r.multi("purpose"):
                if p not in purposes:
                    raise r.error(f"purpose {p!r} is not a controlled value", f"use one of {', '.join(sorted(purposes))}")
            for t in r.multi("trigger"):
                if not self.is_a(t, "Trigger"):
                    raise r.error(f"trigger {t!r} is not a Trigger entity")
            if r["value"] and not DECIMAL_RE.match(r["value"]):
                raise r.error(f"value {r['value']!r} is not a decimal number")
            if r["unit"] and not r["value"]:
                raise r.error("unit given without a value")
            check_indication(r, kind.code, self.core, self.is_a)
            identity = (freq, normalise_whitespace(r["frequency_text"]), normalise_whitespace(r["condition"]), "|".join(sorted(r.multi("purpose"))),
                        "|".join(sorted(r.multi("trigger"))), r["value"], r["unit"], r["source"],
                        normalise_whitespace(r["quote"]), r["source_record"]) + self._association_type(r, kind.code) \
                + indication_identity(r)
            node = association_iri(kind.code, subj, obj, identity)
            if node in seen:
                raise r.error("duplicate association", f"the same statement is on line {seen[node]}")
            seen[node] = r.line
            g.add((node, RDF.type, OWL.NamedIndividual))
            g.add((node, RDF.type, kind.class_iri))
            g.add((node, RDFS.label, Literal(
                f"{self.label_en(subj)} {kind.direct_label} {self.label_en(obj)} ({r['source']})", lang="en")))
            g.add((node, NG.subject, NG[subj]))
            g.add((node, NG.object, NG[obj]))
            g.add((NG[subj], kind.direct_predicate, NG[obj]))
            g.add((node, NG.hasSource, source))
            g.add((node, NG.quote, Literal(normalise_whitespace(r["quote"]))))
            if r["source_record"]:
                g.add((node, NG.sourceRecord, Literal(r["source_record"])))
            if freq:
                g.add((node, NG.hasFrequency, NG[freq]))
            if r["frequency_text"]:
                g.add((node, NG.frequencyText, Literal(normalise_whitespace(r["frequency_text"]))))
            if r["condition"]:
                g.add((node, NG.condition, Literal(normalise_whitespace(r["condition"]))))
            for p in r.multi("purpose"):
                g.add((node, NG.hasPurpose, NG[p]))
            for t in r.multi("trigger"):
                g.add((node, NG.hasTrigger, NG[t]))
            if r["value"]:
                g.add((node, NG.value, Literal(canonical_decimal(r["value"]), datatype=XSD.decimal)))
            if r["unit"]:
                g.add((node, NG.unit, Literal(r["unit"])))
            if r["association_type"]:
                g.add((node, NG.geneAssociationType, Literal(r["association_type"])))
            add_indication(g, node, r)
            if r["comment"]:
                g.add((node, NG.curationNote, Literal(r["comment"], lang="en")))
            self.counts["associations"] += 1
            self.counts[f"associations:{kind.code}"] += 1
        from .records.ruletable import emit_rules

        self.counts["record rules"] = emit_rules(g, self.paths)
        return g

    @staticmethod
    def _association_type(r: Row, kind: str) -> tuple[str, ...]:
        """Orphanet's gene association type: required on, and only on, ``associated_gene`` rows."""
        if kind != "associated_gene":
            if r["association_type"]:
                raise r.error("association_type is only for associated_gene rows")
            return ()
        if not r["association_type"]:
            raise r.error("an associated_gene row needs association_type",
                          "copy the source's type, e.g. Orphanet's 'Disease-causing germline mutation(s) in'")
        return (r["association_type"],)

    def mappings_graph(self) -> Graph:
        """SKOS triples, xrefs and SSSOM records from the SSSOM file, and the obsolete codes.

        Row syntax is checked by :mod:`netgraph.crosswalk.mappingset` (shared with
        `netgraph resolve`); here, what needs the rest of the build: each subject is
        a netgraph class or entity with that label, and no live mapping targets an
        obsolete code.
        """
        from .crosswalk.emit import add_mappings, add_obsolete_codes
        from .crosswalk.mappingset import read_metadata, records_from_rows
        from .crosswalk.obsolete import final_replacement, read_obsolete_codes

        metadata = read_metadata(self.paths.sssom)
        records = records_from_rows(self.mapping_rows, metadata)
        obsolete = read_obsolete_codes(self.paths.obsolete_codes)
        for rec in records:
            sid = rec.subject_local
            if sid not in self.class_parents and sid not in self.entity_table:
                raise rec.error(f"subject_id {rec.subject_id!r} is not a class or entity of netgraph",
                                "define it in classes.tsv or entities.tsv, or correct the id")
            if rec.subject_label and rec.subject_label != self.label_en(sid):
                raise rec.error(f"subject_label {rec.subject_label!r} differs from the label {self.label_en(sid)!r} "
                                f"of {rec.subject_id}", "copy label_en, or leave subject_label empty")
            if rec.object_id in obsolete and not rec.negated:
                ob = obsolete[rec.object_id]
                use = final_replacement(rec.object_id, obsolete)
                raise rec.error(f"{rec.object_id} is obsolete ({ob.label}; {ob.path}:{ob.line})",
                                f"map {use} instead" if use else "remove the row: an obsolete code is never a live mapping")
        g = Graph()
        self.counts.update(add_mappings(g, records, metadata))
        self.counts.update(add_obsolete_codes(g, obsolete, {c: final_replacement(c, obsolete) for c in obsolete}))
        return g


def _header(kind: str, sources: str) -> list[str]:
    return [
        f"netgraph {__version__} ({RELEASE_DATE}): {kind}",
        f"Generated by `netgraph build` from {sources}. Do not edit: edit the sources and rebuild.",
    ]


def compile_project(root=None) -> BuildResult:
    """Read and check every curated input; return the emitted files' bytes (writes nothing)."""
    paths = project_paths(root)
    c = _Compiler(paths)
    c.index()
    onto = c.ontology_graph()
    data = c.data_graph()
    add_grading(data, c, paths.tables_dir)  # grading schemes and rules (netgraph.grading)
    maps = c.mappings_graph()
    for name, g in (("instance data", data), ("mappings", maps)):
        for s, p, o in g:
            if isinstance(s, BNode) or isinstance(o, BNode):
                raise BuildError(f"internal error: a blank node in the {name}")
    files = {
        paths.ontology_release: to_turtle(onto, _header(f"release ontology (named graph {GRAPH}ontology)",
                                                        "ontology/netgraph-edit.ttl and data/tables/classes.tsv")),
        paths.instance_data: to_turtle(data, _header(f"instance data (named graph {GRAPH}data)",
                                                     "data/tables/{sources,entities,associations}.tsv")),
        paths.mappings_data: to_turtle(maps, _header(f"mappings (named graph {GRAPH}mappings)",
                                                     "data/mappings/{netgraph.sssom,obsolete_codes}.tsv")),
    }
    counts = c.counts
    counts["triples:ontology"] = len(onto)
    counts["triples:data"] = len(data)
    counts["triples:mappings"] = len(maps)
    return BuildResult(files=files, counts=counts)


def build(root=None, *, check: bool = False) -> BuildResult:
    """Build the emitted Turtle files; with ``check``, only compare them with the files on disk.

    Raises :class:`StaleFileError` in check mode when any emitted file differs.
    """
    result = compile_project(root)
    if check:
        result.stale = [p for p, data in result.files.items() if not p.is_file() or p.read_bytes() != data]
        if result.stale:
            raise StaleFileError([str(p) for p in result.stale])
        return result
    changed = {p: data for p, data in result.files.items() if not p.is_file() or p.read_bytes() != data}
    write_all_atomic(changed)
    result.written = sorted(changed)
    return result
