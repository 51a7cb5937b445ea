"""The mapping set in sssom-py, with its declared extension slots kept.

sssom-py (0.4.x) drops every column that is not an SSSOM slot when it parses a
file, declared extension slots included ("No attr for orphanet_qualifier";
upstream: mapping-commons/sssom-py#583). :func:`to_sssom_py` parses with
sssom-py and puts the columns declared in the file's ``extension_definitions``
back, matched by subject, predicate, object and justification, so
``sssom.writers.write_table`` writes them (and their declarations) again.
Needs the ``sssom`` package (in the ``test`` extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from .mappingset import read_metadata

if TYPE_CHECKING:
    from sssom.util import MappingSetDataFrame

__all__ = ["to_sssom_py", "KEY_COLUMNS"]

#: What identifies a mapping in the set (netgraph refuses two rows with the same key).
KEY_COLUMNS: tuple[str, ...] = ("subject_id", "predicate_id", "object_id", "mapping_justification")


def to_sssom_py(path: Path | str) -> MappingSetDataFrame:
    """A ``sssom.util.MappingSetDataFrame`` of the file, declared extension columns included."""
    try:
        import pandas as pd
        from sssom.parsers import parse_sssom_table
        from sssom.util import MappingSetDataFrame
    except ImportError as exc:  # pragma: no cover - the test extra has it
        raise InputError("to_sssom_py() needs sssom-py: pip install sssom") from exc

    path = Path(path)
    meta = read_metadata(path, check_version=False)
    slots = [str(e["slot_name"]) for e in meta.get("extension_definitions") or []]
    msdf = parse_sssom_table(str(path))
    raw = pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)
    slots = [s for s in slots if s in raw.columns and s not in msdf.df.columns]
    if not slots:
        return msdf
    extra = raw[list(KEY_COLUMNS) + slots]
    # sssom-py keeps CURIEs as written when the curie_map declares their prefixes, so the keys match
    df = msdf.df.merge(extra, on=list(KEY_COLUMNS), how="left", validate="one_to_one")
    df[slots] = df[slots].fillna("")
    return MappingSetDataFrame(df=df, converter=msdf.converter, metadata=msdf.metadata)
