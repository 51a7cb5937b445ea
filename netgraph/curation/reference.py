"""Reading the shared reference extracts (TSV with a ``#`` source header)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import CurationError

__all__ = ["read_reference", "References", "OrphanetMapping", "parse_orphanet_mappings"]


def read_reference(path: Path) -> list[dict[str, str]]:
    """Rows of a reference TSV; ``#`` lines (the librarian's source header) are skipped."""
    if not path.is_file():
        raise CurationError(path, None, "reference file not found",
                            "the generator needs the shared folder (../shared or NETGRAPH_SHARED)")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass(frozen=True)
class OrphanetMapping:
    """One external reference of an ORPHApacket with Orphanet's mapping qualifier, as shipped."""

    code: str        # e.g. OMIM:171400
    qualifier: str   # E, NTBT, BTNT, ND
    raw: str         # the whole record as Orphanet writes it


def parse_orphanet_mappings(cell: str, where: str = "") -> list[OrphanetMapping]:
    """Split ``OMIM:171400 [E (Exact mapping: ...)] ; OMIM:... [BTNT (...)]``."""
    out = []
    for part in (p.strip() for p in cell.split(" ; ")):
        if not part:
            continue
        code, sep, rest = part.partition(" [")
        qualifier = rest.split(" ", 1)[0].rstrip("]") if sep else ""
        if not sep or not qualifier:
            raise CurationError(Path(where or "orphanet_nen_entities.tsv"), None,
                                f"cannot read the Orphanet mapping {part!r}", "expected 'CODE [QUALIFIER (words)]'")
        out.append(OrphanetMapping(code.strip(), qualifier, part))
    return out


class References:
    """The reference extracts the classification generator reads, under ``shared/reference``."""

    def __init__(self, shared: Path):
        self.dir = Path(shared) / "reference"

    @cached_property
    def diseases(self) -> dict[str, dict[str, str]]:
        return {r["mondo_id"]: r for r in read_reference(self.dir / "diseases.tsv")}

    @cached_property
    def disease_xrefs(self) -> list[dict[str, str]]:
        return read_reference(self.dir / "disease_xrefs.tsv")

    @cached_property
    def orphanet_entities(self) -> dict[str, dict[str, str]]:
        return {"ORPHA:" + r["orphacode"]: r for r in read_reference(self.dir / "orphanet" / "orphanet_nen_entities.tsv")}

    @cached_property
    def orphanet_paths(self) -> list[dict[str, str]]:
        return read_reference(self.dir / "orphanet" / "orphanet_nen_classification_paths.tsv")

    @cached_property
    def orphanet_all(self) -> dict[str, dict[str, str]]:
        return {r["orphanet_id"]: r for r in read_reference(self.dir / "full" / "orphanet_all.tsv")}

    @cached_property
    def icd10cm(self) -> dict[str, dict[str, str]]:
        return {r["code"]: r for r in read_reference(self.dir / "icd" / "icd10cm_2026_nen_codes.tsv")}

    @cached_property
    def icdo3_codes(self) -> frozenset[str]:
        """The ICD-O-3 morphology codes of the OHDSI extract (codes only: the WHO terms are never read out)."""
        return frozenset(r["code"] for r in read_reference(self.dir / "icd" / "icdo3_morphology_nen_ohdsi.tsv"))

    def live(self, mondo_id: str) -> bool:
        row = self.diseases.get(mondo_id)
        return row is not None and row["obsolete"] == "false"

    def orphanet_parents(self, orpha: str) -> list[tuple[str, str]]:
        """Orphanet's classification parents of a code, ``(ORPHA:n, name)``, in file order, once each."""
        code = orpha.split(":", 1)[1]
        seen: dict[str, str] = {}
        for r in self.orphanet_paths:
            if r["orphacode"] == code and r["parent_orphacode"]:
                seen.setdefault("ORPHA:" + r["parent_orphacode"], r["parent_name"])
        return list(seen.items())
