"""Curated ICD-10-CM and ICD-O-3 mappings of the classification (codes only).

Each entry is ``(code, target, predicate, note)``. ``target`` is a netgraph id,
or a MONDO id that the generator turns into the netgraph class mapped exactly to
it (so no new id is retyped here). The predicate reads from netgraph to the
code, as every row of the SSSOM file does: ``narrowMatch`` = the code is
narrower (every record coded with it belongs to the netgraph class),
``broadMatch`` = the code is broader, ``relatedMatch`` = related, not the same
disease (a secondary-site code).

The ICD-10-CM codes must be rows of ``icd10cm_2026_nen_codes.tsv`` selected by
``code_prefix`` (never a keyword false positive such as C16 "Malignant neoplasm
of stomach"); the ICD-O-3 codes must be rows of ``icdo3_morphology_nen_ohdsi.tsv``.
ICD-O-3 rows carry no object label: the WHO terms are not openly licensed, so
the notes below use netgraph's own wording.

Left out on purpose: ICD-10-CM C74.1x / D35.0x / D44.x (adrenal gland and
paraganglia by behaviour: they also hold non-neuroendocrine tumours such as
adrenocortical ones and neuroblastoma), E16.1 (hyperinsulinism of any cause) and
the ``keyword_in_text`` rows; ICD-O-3 8150/3 (its mapping is under review in the
corrections branch) and 8246/3 on pancreatic NEC (idem).
"""

from __future__ import annotations

__all__ = ["ICD10CM_MAPPINGS", "ICD10CM_PREFIX_MAPPINGS", "ICDO_MAPPINGS"]

N, B, C, E, R = "skos:narrowMatch", "skos:broadMatch", "skos:closeMatch", "skos:exactMatch", "skos:relatedMatch"

_SITES = {
    # ICD-10-CM carcinoid site suffix -> netgraph target (well-differentiated NET of that site)
    "00": ("CarcinoidTumour", "carcinoid tumour of unspecified site"),
    "01": ("SmallIntestinalNeuroendocrineTumour", "carcinoid tumours of the small intestine"),
    "010": ("DuodenalNeuroendocrineTumour", "carcinoid tumour of the duodenum"),
    "011": ("MONDO:0015064", "carcinoid tumour of the jejunum"),
    "012": ("MONDO:0015065", "carcinoid tumour of the ileum"),
    "019": ("SmallIntestinalNeuroendocrineTumour", "carcinoid tumour of the small intestine, part unspecified"),
    "02": ("MONDO:0002883", "carcinoid tumours of the appendix, large intestine and rectum"),
    "020": ("AppendicealNeuroendocrineTumour", "carcinoid tumour of the appendix"),
    "021": ("ColonNeuroendocrineTumour", "carcinoid tumour of the caecum (part of the colon, as in MONDO)"),
    "022": ("ColonNeuroendocrineTumour", "carcinoid tumour of the ascending colon"),
    "023": ("ColonNeuroendocrineTumour", "carcinoid tumour of the transverse colon"),
    "024": ("ColonNeuroendocrineTumour", "carcinoid tumour of the descending colon"),
    "025": ("ColonNeuroendocrineTumour", "carcinoid tumour of the sigmoid colon"),
    "026": ("RectalNeuroendocrineTumour", "carcinoid tumour of the rectum"),
    "029": ("MONDO:0002883", "carcinoid tumour of the large intestine, part unspecified"),
    "09": ("CarcinoidTumour", "carcinoid tumours of other sites"),
    "090": ("LungCarcinoidTumour", "carcinoid tumour of the bronchus and lung"),
    "091": ("ThymicNeuroendocrineNeoplasm", "carcinoid tumour of the thymus"),
    "092": ("GastricNeuroendocrineTumour", "carcinoid tumour of the stomach"),
    "093": ("KidneyNeuroendocrineNeoplasm", "carcinoid tumour of the kidney"),
    "094": ("CarcinoidTumour", "carcinoid tumour of the foregut, unspecified (netgraph has no foregut class)"),
    "095": ("CarcinoidTumour", "carcinoid tumour of the midgut, unspecified (netgraph has no midgut class)"),
    "096": ("CarcinoidTumour", "carcinoid tumour of the hindgut, unspecified (netgraph has no hindgut class)"),
    "098": ("CarcinoidTumour", "carcinoid tumours of other sites"),
}


def _carcinoid_sites(chapter: str, behaviour: str) -> list[tuple[str, str, str, str]]:
    return [(f"{chapter}.{suffix}", target, N, f"{behaviour} {words}: the code is narrower than the netgraph class")
            for suffix, (target, words) in _SITES.items()]


#: ICD-10-CM FY2026 (public domain).
ICD10CM_MAPPINGS: tuple[tuple[str, str, str, str], ...] = (
    ("C7A", "NeuroendocrineNeoplasm", N, "malignant neuroendocrine tumours of any site and grade"),
    ("C7A.0", "CarcinoidTumour", N, "malignant carcinoid tumours"),
    *_carcinoid_sites("C7A", "malignant"),
    ("C7A.1", "NeuroendocrineCarcinoma", N,
     "poorly differentiated (high-grade) neuroendocrine carcinoma of any site; site-specific NECs with codes of their "
     "own (Merkel cell carcinoma C4A, lung, thyroid) are coded elsewhere"),
    ("C7A.8", "NeuroendocrineNeoplasm", N, "other malignant neuroendocrine tumours"),
    ("C7B", "NeuroendocrineNeoplasm", R, "secondary (metastatic) neuroendocrine tumours: a code of the metastatic site, not of the tumour type"),
    ("C7B.0", "CarcinoidTumour", R, "secondary carcinoid tumours (metastatic site code)"),
    ("C7B.00", "CarcinoidTumour", R, "secondary carcinoid tumours, site unspecified (metastatic site code)"),
    ("C7B.01", "CarcinoidTumour", R, "secondary carcinoid tumours of distant lymph nodes (metastatic site code)"),
    ("C7B.02", "CarcinoidTumour", R, "secondary carcinoid tumours of the liver (metastatic site code)"),
    ("C7B.03", "CarcinoidTumour", R, "secondary carcinoid tumours of bone (metastatic site code)"),
    ("C7B.04", "CarcinoidTumour", R, "secondary carcinoid tumours of the peritoneum (metastatic site code)"),
    ("C7B.09", "CarcinoidTumour", R, "secondary carcinoid tumours of other sites (metastatic site code)"),
    ("C7B.1", "MerkelCellCarcinoma", R, "secondary Merkel cell carcinoma (nodal or visceral metastatic presentation)"),
    ("C7B.8", "NeuroendocrineNeoplasm", R, "other secondary neuroendocrine tumours (metastatic site code)"),
    ("D3A", "NeuroendocrineTumour", N, "benign neuroendocrine tumours"),
    ("D3A.0", "CarcinoidTumour", N, "benign carcinoid tumours"),
    *_carcinoid_sites("D3A", "benign"),
    ("D3A.8", "NeuroendocrineTumour", N, "other benign neuroendocrine tumours, including neuroendocrine tumour NOS"),
    ("C25.4", "PancreaticNeuroendocrineNeoplasm", N,
     "malignant neoplasm of the endocrine pancreas (islets of Langerhans) of any grade: narrower than pancreatic NEN, "
     "not the same as pancreatic NEC"),
    ("D13.7", "PancreaticNeuroendocrineTumour", N, "benign neoplasm of the endocrine pancreas (islet cell tumour)"),
    ("E34.00", "CarcinoidSyndrome", N, "carcinoid syndrome, unspecified"),
    ("E34.01", "CarcinoidHeartDisease", E, "carcinoid heart syndrome; its inclusion term is carcinoid heart disease"),
    ("E34.09", "CarcinoidSyndrome", N, "other carcinoid syndrome"),
    ("E31.20", "MultipleEndocrineNeoplasia", N, "MEN syndrome, type unspecified"),
    ("E31.22", "MultipleEndocrineNeoplasiaType2A", E, "MEN type 2A (inclusion term: Sipple's syndrome)"),
    ("E31.23", "MultipleEndocrineNeoplasiaType2B", E, "MEN type 2B"),
    ("E16.4", "ZollingerEllisonSyndrome", B,
     "increased secretion of gastrin: the code also includes hypergastrinaemia of other causes, so it is broader"),
    ("Q85.83", "VonHippelLindauDisease", E, "von Hippel-Lindau syndrome"),
)

#: Every code of the file under these prefixes (by ``code_prefix``), e.g. the Merkel cell carcinoma sites.
ICD10CM_PREFIX_MAPPINGS: tuple[tuple[str, str, str, str], ...] = (
    ("C4A.", "MerkelCellCarcinoma", N, "Merkel cell carcinoma of one skin site: narrower than Merkel cell carcinoma"),
)

#: ICD-O-3 morphology codes (codes only; the notes are netgraph's wording, never the WHO term).
ICDO_MAPPINGS: tuple[tuple[str, str, str, str], ...] = (
    ("8249/3", "MONDO:0006095", C, "the ICD-O-3 morphology code of atypical carcinoid"),
    ("8249/3", "AtypicalLungCarcinoidTumour", B, "the atypical carcinoid code is not limited to the lung"),
    ("8240/3", "TypicalLungCarcinoidTumour", B, "the carcinoid (NOS) code is not limited to typical lung carcinoids"),
    ("8041/3", "MONDO:0008433", B, "the small cell carcinoma (NOS) code is not limited to the lung"),
    ("8013/3", "MONDO:0003960", B, "the large cell neuroendocrine carcinoma code is not limited to the lung"),
    ("8150/0", "PancreaticNeuroendocrineTumour", N, "benign pancreatic endocrine tumour"),
    ("8151/3", "MONDO:0005048", N, "malignant insulin-producing pancreatic tumour"),
    ("8152/1", "Glucagonoma", C, "glucagonoma, behaviour unspecified"),
    ("8152/3", "Glucagonoma", N, "malignant glucagonoma"),
    ("8153/0", "Gastrinoma", N, "benign gastrinoma"),
    ("8153/3", "Gastrinoma", N, "malignant gastrinoma"),
    ("8154/3", "MONDO:0044727", C, "malignant mixed endocrine and exocrine tumour of the pancreas"),
    ("8155/3", "Vipoma", N, "malignant VIPoma"),
    ("8156/3", "Somatostatinoma", N, "malignant somatostatinoma"),
    ("8244/3", "MixedNeuroendocrineNonNeuroendocrineNeoplasm", N,
     "mixed adenoneuroendocrine carcinoma, one kind of mixed neuroendocrine-non-neuroendocrine neoplasm"),
    ("8345/3", "MedullaryThyroidCarcinoma", C, "the ICD-O-3 morphology code of medullary carcinoma with amyloid stroma"),
    ("8272/0", "PituitaryNeuroendocrineNeoplasm", N, "pituitary adenoma (netgraph's pituitary NEN is broader, as for MONDO:0006373)"),
    ("8272/3", "PituitaryNeuroendocrineNeoplasm", N, "pituitary carcinoma"),
)
