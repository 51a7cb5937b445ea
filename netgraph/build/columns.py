"""The curated tables' columns and cell syntax: what `netgraph build` accepts, and nothing else.

No ontology and no graph building here: the validator reads ``sources.tsv`` with
the same columns (:mod:`netgraph.validation.qc`) without importing the build.
"""

from __future__ import annotations

import re

from ..crosswalk.mappingset import OPTIONAL_COLUMNS as MAPPING_OPTIONAL
from ..crosswalk.mappingset import REQUIRED_COLUMNS as MAPPING_COLUMNS
from ..indication import INDICATION_COLUMNS

__all__ = ["ID_RE", "SOURCE_ID_RE", "LANG_RE", "DATE_RE", "SHA256_RE", "DECIMAL_RE", "SOURCE_KINDS",
           "SOURCE_COLUMNS", "SOURCE_OPTIONAL", "CLASS_COLUMNS", "CLASS_OPTIONAL", "ENTITY_COLUMNS",
           "ENTITY_OPTIONAL", "ASSOCIATION_COLUMNS", "ASSOCIATION_OPTIONAL", "SSSOM_COLUMNS", "SSSOM_OPTIONAL"]

ID_RE = re.compile(r"^[A-Z][A-Za-z0-9]*\Z")
SOURCE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-]*\Z")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?\Z")
SHA256_RE = re.compile(r"^[0-9a-f]{64}\Z")
#: the ``value`` column: a plain decimal (stricter than xsd:decimal: no '+', no '.5'); emitted canonical
DECIMAL_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?\Z")
#: sources.tsv ``kind`` -> the netgraph class of the source individual
SOURCE_KINDS = {"patient-information": "PatientInformationText", "reference-release": "ReferenceRelease",
                "professional-summary": "ProfessionalSummary", "agency-page": "AgencyInformationPage"}

SOURCE_COLUMNS = ("source_id", "kind", "title", "publisher", "language", "date", "url", "shared_path", "sha256",
                  "license", "note")
#: ``repo_path``: where a public-domain source is vendored in this repository (whole and unchanged),
#: so that its quotes are checked in any clone; the shared copy stays the provenance.
SOURCE_OPTIONAL = ("repo_path",)
CLASS_COLUMNS = ("id", "parents", "label_en", "definition")
CLASS_OPTIONAL = ("label_nl", "synonyms_en", "synonyms_nl", "definition_source", "secretes", "primary_site",
                  "deprecated", "replaced_by", "comment", "hypersecretion_syndrome", "narrow_synonyms_en",
                  "broad_synonyms_en")
ENTITY_COLUMNS = ("id", "type", "label_en")
ENTITY_OPTIONAL = ("broader", "label_nl", "synonyms_en", "synonyms_nl", "definition", "definition_source", "comment")
ASSOCIATION_COLUMNS = ("kind", "subject", "object", "source", "quote")
#: indication and evidence columns: netgraph/indication.py
ASSOCIATION_OPTIONAL = ("frequency", "frequency_text", "condition", "purpose", "trigger", "value", "unit", "source_record", "association_type", "comment", *INDICATION_COLUMNS)
SSSOM_COLUMNS = MAPPING_COLUMNS
SSSOM_OPTIONAL = MAPPING_OPTIONAL
