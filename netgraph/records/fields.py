"""The fields of a tumour record: one table, read by the reader, the converter, the shapes and the docs.

A registry extract has one row per tumour. Its header names these columns (in
any order; extra columns are kept and passed through); only ``record_id`` and
one diagnosis column (``diagnosis``, ``orpha_code``, ``icd10_code``,
``icdo3_morphology``) are required. Multi-valued cells use ``|``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Field", "FIELDS", "FIELD_BY_NAME", "FIELD_BY_PROPERTY", "DIAGNOSIS_FIELDS", "RECORD_ID"]


@dataclass(frozen=True)
class Field:
    """One column of the record format and the record property that holds it."""

    name: str
    property: str  # local name under netgraph: the value as read (normalised); for entity fields, a value no entity was found for
    kind: str  # "id", "class", "code", "site", "entity", "decimal", "date", "choice", "text"
    description: str
    multi: bool = False
    resolved: str = ""  # for class/code/site/entity fields: the property holding the resolved netgraph entity


RECORD_ID = "record_id"

FIELDS: tuple[Field, ...] = (
    Field("record_id", "recordId", "id", "The registry's id of the tumour record (required; unique in the file)."),
    Field("diagnosis", "diagnosisUnrecognised", "class",
          "The diagnosis: a netgraph class, by any code or label that `netgraph resolve` accepts.",
          resolved="diagnosis"),
    Field("orpha_code", "orphaCode", "code", "Orphanet code (`ORPHA:97253` or `97253`).", resolved="orphaCodeEntity"),
    Field("icd10_code", "icd10Code", "code", "ICD-10-CM code (`C7A.010` or `C7A010`).", resolved="icd10CodeEntity"),
    Field("icdo3_morphology", "icdo3Morphology", "code", "ICD-O-3 morphology (`8240/3` or `M8240/3`).",
          resolved="morphologyEntity"),
    Field("icdo3_topography", "icdo3Topography", "topography", "ICD-O-3 topography (`C25.1` or `C251`)."),
    Field("primary_site", "primarySiteUnrecognised", "site", "The primary site: a netgraph anatomical site, by label or UBERON id.",
          resolved="primarySite"),
    Field("differentiation", "differentiation", "choice", "`well` or `poorly` (differentiated)."),
    Field("grade", "grade", "choice", "`G1`, `G2` or `G3` (also `1`, `grade 2`)."),
    Field("ki67_percent", "ki67Percent", "decimal", "Ki-67 proliferation index, per cent (0-100)."),
    Field("mitotic_count", "mitoticCount", "decimal", "Mitotic count per 2 mm² (10 high-power fields), ≥ 0."),
    Field("functional_status", "functionalStatus", "choice", "`functional` or `non-functional`."),
    Field("hormones", "hormoneUnrecognised", "entity", "Hormones the tumour secretes, `|`-separated.", multi=True,
          resolved="hormone"),
    Field("syndrome", "clinicalSyndromeUnrecognised", "class", "Clinical syndrome(s) (carcinoid syndrome, ZES, …).",
          multi=True, resolved="clinicalSyndrome"),
    Field("hereditary_syndrome", "hereditarySyndromeUnrecognised", "class", "Hereditary syndrome(s) (MEN1, VHL, …).",
          multi=True, resolved="hereditarySyndrome"),
    Field("diagnosis_date", "diagnosisDate", "date", "Date of diagnosis, ISO 8601 (`2024-03-05`)."),
    Field("grading_scheme", "gradingSchemeUnrecognised", "entity",
          "The grading scheme the grade was given in, by id or label (default: the graph's default scheme, the WHO "
          "grading of GEP NETs as SEER states it).", resolved="gradingScheme"),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
#: record property local name (as read or as resolved) -> field name, for naming the field of a finding
FIELD_BY_PROPERTY: dict[str, str] = {
    **{f.property: f.name for f in FIELDS}, **{f.resolved: f.name for f in FIELDS if f.resolved}}
DIAGNOSIS_FIELDS: tuple[str, ...] = ("diagnosis", "orpha_code", "icd10_code", "icdo3_morphology")
