"""The repository side of the classification generator: class ids, labels, parents, hand-curated mappings."""

from __future__ import annotations

from pathlib import Path

from ..errors import CurationError
from ..model import CoreModel
from ..paths import ProjectPaths
from ..prefixes import NETGRAPH
from ..tables import read_table, table_files
from .sssom_blocks import CLASSIFICATION_MARK

__all__ = ["TAG", "OUTPUT_TABLE", "Repository"]

#: Every generated SSSOM row's comment starts with this.
TAG = CLASSIFICATION_MARK
OUTPUT_TABLE = "classes-classification.tsv"

class Repository:
    """The repository side: class ids, labels, parents and the hand-curated SSSOM rows."""

    def __init__(self, paths: ProjectPaths):
        self.paths = paths
        core = CoreModel.load(paths.ontology_edit)
        self.parents: dict[str, list[str]] = {c: list(p) for c, p in core.classes.items()}
        self.ids: set[str] = set(core.classes) | set(core.individuals)
        self.labels: set[str] = set()
        for c in core.classes:
            lab = core.label(NETGRAPH + c)
            if lab:
                self.labels.add(lab.casefold())
        for path in table_files(paths.tables_dir, "classes"):
            if path.name == OUTPUT_TABLE:
                continue
            for r in read_table(path, ("id",), None):
                self.ids.add(r["id"])
                self.parents[r["id"]] = r.multi("parents")
                if r["label_en"]:
                    self.labels.add(r["label_en"].casefold())
        for path in table_files(paths.tables_dir, "entities"):
            for r in read_table(path, ("id",), None):
                self.ids.add(r["id"])
        self._read_sssom(paths.sssom)

    def _read_sssom(self, path: Path) -> None:
        self.sssom_text = path.read_text(encoding="utf-8")
        lines = self.sssom_text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        head = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
        self.header = lines[head].split("\t")
        if "comment" not in self.header:
            raise CurationError(path, head + 1, "the SSSOM header has no comment column", "restore the header")
        self.hand: list[dict[str, str]] = []  # every row but the previous run's (its block is rewritten whole)
        ci = self.header.index("comment")
        for line in lines[head + 1:]:
            cells = line.split("\t")
            if line.startswith("#") or not line.strip():
                continue
            if len(cells) > ci and cells[ci].startswith(TAG):
                continue  # a row of the previous run: regenerated below
            self.hand.append(dict(zip(self.header, cells + [""] * (len(self.header) - len(cells)), strict=False)))
        self.exact_mondo: dict[str, str] = {}
        self.pairs: set[tuple[str, str]] = set()
        self.objects: set[str] = set()
        self.sources: dict[str, str] = {}
        for r in self.hand:
            subject = r["subject_id"].split(":", 1)[1]
            self.pairs.add((subject, r["object_id"]))
            self.objects.add(r["object_id"])
            self.sources.setdefault(r["object_id"].split(":", 1)[0], r["object_source"])
            if r["predicate_id"] == "skos:exactMatch" and r["object_id"].startswith("MONDO:"):
                self.exact_mondo[r["object_id"]] = subject
