"""The classification generator's curation decisions, each with its reason.

Everything the generator does not take from the reference files as it stands is
listed here: MONDO classes it adds or pins, MONDO parent links it does not take,
and what becomes of each ORPHAcode without a live MONDO class. Identifiers are
those of the reference files (``../shared/reference``) and of netgraph's tables.
"""

from __future__ import annotations

from ..crosswalk.predicates import XREF_QUALIFIER_PREDICATES

__all__ = ["EXTRA_MONDO", "PINNED", "EXTRA_PARENTS", "DROP_MONDO_PARENTS", "ORPHA_CLASSES", "ORPHA_MAPS",
           "OUT_OF_SCOPE", "OMIM_QUALIFIER_PREDICATES"]

#: MONDO classes outside the NEN subtree that the classification needs (MiNEN: digestive and pancreatic).
EXTRA_MONDO = ("MONDO:0006182", "MONDO:0044727")

#: MONDO classes that existing netgraph classes stand for, whatever the predicate of their hand-curated
#: mapping: they are never minted, and their MONDO subclasses attach to the netgraph class.
PINNED: dict[str, tuple[str, str]] = {
    "MONDO:0002120": ("NeuroendocrineCarcinoma",
                      "MONDO's neuroendocrine carcinoma is netgraph's NEC, or (MONDO's includes medullary thyroid "
                      "carcinoma and malignant pheochromocytoma) broader than it: no second NEC class is minted"),
}

#: Parents added to a minted class when MONDO's own parents lie outside netgraph.
EXTRA_PARENTS: dict[str, tuple[tuple[str, ...], str]] = {
    "MONDO:0006182": (("MixedNeuroendocrineNonNeuroendocrineNeoplasm", "GastroenteropancreaticNeuroendocrineNeoplasm"),
                      "MONDO's definition: a digestive-system carcinoma with a glandular and a neuroendocrine component"),
    "MONDO:0021659": (("MixedNeuroendocrineNonNeuroendocrineNeoplasm",),
                      "MONDO's definition: a mixture of neuroendocrine (carcinoid) and adenocarcinoma cells"),
    "MONDO:0016276": (("NeuroendocrineCarcinoma",), "its label and MONDO definition: a high-grade neuroendocrine carcinoma"),
    "MONDO:0022986": (("Condition",), "a hyperplasia of pulmonary neuroendocrine cells, not a neoplasm"),
}

#: MONDO parent links not taken, with the reason.
DROP_MONDO_PARENTS: dict[tuple[str, str], str] = {
    ("MONDO:0006288", "MONDO:0002120"):
        "MONDO's neuroendocrine carcinoma includes malignant pheochromocytoma; netgraph's NEC (a poorly "
        "differentiated neuroendocrine carcinoma) does not, so it stays under adrenal carcinoma and pheochromocytoma",
    ("MONDO:0006250", "MONDO:0006155"):
        "MONDO puts ileal NET G1 under colon NET G1; the ileum is not part of the colon (it stays under small "
        "intestinal NET G1)",
    ("MONDO:0006257", "MONDO:0006155"):
        "MONDO puts jejunal NET G1 under colon NET G1; the jejunum is not part of the colon (it stays under small "
        "intestinal NET G1)",
    ("MONDO:0003504", "MONDO:0002120"):
        "MONDO puts anal canal NEN under neuroendocrine carcinoma, but its own definition says it includes well "
        "differentiated neuroendocrine tumours, and netgraph keeps NET and NEC apart",
}

#: NEN-related ORPHAcodes without a live MONDO class in the extract: a class from Orphanet's record.
ORPHA_CLASSES: dict[str, str] = {
    "ORPHA:1359": "HereditarySyndrome",
    "ORPHA:97286": "HereditarySyndrome",
    "ORPHA:139411": "Condition",
    "ORPHA:99889": "ClinicalSyndrome",
}

#: ORPHAcodes mapped to the closest existing class: (netgraph id, predicate, why).
ORPHA_MAPS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "ORPHA:100091": (("Paraganglioma", "skos:broadMatch", "Orphanet group of adrenal and paraganglial tumours (it also holds adrenocortical tumours)"),
                     ("AdrenalGlandNeuroendocrineNeoplasm", "skos:broadMatch", "Orphanet group of adrenal and paraganglial tumours (it also holds adrenocortical tumours)")),
    "ORPHA:100094": (("MultipleEndocrineNeoplasia", "skos:broadMatch", "Orphanet group of multiple polyglandular tumours, broader than MEN"),),
    "ORPHA:100101": (("NeuroendocrineNeoplasm", "skos:closeMatch",
                      "Orphanet group of NETs at other locations (MONDO's class for it is obsolete); not narrowMatch: "
                      "Orphanet also files chordoma under it"),),
    "ORPHA:271847": (("NeuroendocrineNeoplasm", "skos:closeMatch",
                      "Orphanet group of genetic NETs (MONDO's class for it is obsolete); not narrowMatch: Orphanet also "
                      "files chordoma under it"),),
    "ORPHA:1501": (("AdrenalCarcinoma", "skos:narrowMatch", "adrenocortical carcinoma is one kind of adrenal carcinoma; not a neuroendocrine neoplasm"),),
}

#: ORPHAcodes of the Orphanet extract that are not neuroendocrine neoplasms or NEN syndromes, and why.
OUT_OF_SCOPE: dict[str, str] = {
    "ORPHA:178": "chordoma: not a neuroendocrine neoplasm (Orphanet files it under ORPHA:100101 and ORPHA:271847)",
    "ORPHA:404": "familial hyperaldosteronism type II: adrenocortical, in the extract as a member of ORPHA:100091",
    "ORPHA:91351": "pituitary dermoid and epidermoid cysts: not a neoplasm of neuroendocrine cells",
    "ORPHA:217560": "neuroendocrine cell hyperplasia of infancy: a childhood interstitial lung disease, not a neoplasm",
    "ORPHA:276608": "non-insulinoma pancreatogenous hypoglycaemia: a keyword match ('insulinoma'), not a tumour",
    "ORPHA:319487": "familial papillary or follicular thyroid carcinoma: a keyword match, not neuroendocrine",
    "ORPHA:319494": "familial nonmedullary thyroid carcinoma: a keyword match ('medullary'), not neuroendocrine",
    "ORPHA:647772": "isolated primary pigmented nodular adrenocortical disease: adrenocortical, not neuroendocrine",
    "ORPHA:647782": "isolated micronodular adrenocortical disease: adrenocortical, not neuroendocrine",
    "ORPHA:649017": "rare adrenocortical nodular disease: adrenocortical, not neuroendocrine",
}

#: Orphanet's qualifier on an external code, read from the Orphanet concept (the netgraph class it is exact to).
#: (the one reading of the qualifiers: netgraph.crosswalk.predicates.XREF_QUALIFIER_PREDICATES)
OMIM_QUALIFIER_PREDICATES = {q: XREF_QUALIFIER_PREDICATES[q][0] for q in ("E", "NTBT", "BTNT")}
