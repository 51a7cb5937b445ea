"""Column maps: adapt another registry's header and value codes without editing its file.

A column map is a small YAML file::

    # my-registry.yaml
    columns:              # their header -> netgraph's field (see netgraph.records.fields)
      TUMOUR_ID: record_id
      MORPH: icdo3_morphology
      GRADE_WHO: grade
    values:               # per netgraph field: their code -> netgraph's value ("" = not given)
      grade: {"1": G1, "2": G2, "3": G3, "9": "", GX: ""}
      functional_status: {"0": non-functional, "1": functional}

Every key is checked: an unknown field, a column mapped twice or a value map
for an unmapped field is an error naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Mapping

from ..errors import InputError
from .fields import FIELD_BY_NAME

__all__ = ["ColumnMap", "load_column_map"]


@dataclass(frozen=True)
class ColumnMap:
    """Header renames and value recodings, applied before the values are read."""

    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def field_of(self, header: str) -> str:
        """The netgraph field a header cell names (itself when the map does not rename it)."""
        return self.columns.get(header, header)

    def recode(self, field_name: str, value: str) -> str:
        table = self.values.get(field_name)
        if table is None:
            return value
        return table.get(value, table.get(value.strip(), value))


def load_column_map(path: str | Path) -> ColumnMap:
    """Read and check a column map (YAML); :class:`InputError` naming the file and the key when it is wrong."""
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{p}: cannot read the column map: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: not a YAML column map: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict) or set(data) - {"columns", "values"}:
        raise InputError(f"{p}: a column map has only the keys 'columns' and 'values' "
                         f"(found {', '.join(map(str, data)) if isinstance(data, dict) else type(data).__name__})")
    columns = data.get("columns") or {}
    values = data.get("values") or {}
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise InputError(f"{p}: 'columns' and 'values' must be mappings")
    targets: dict[str, str] = {}
    for theirs, ours in columns.items():
        ours = str(ours)
        if ours not in FIELD_BY_NAME:
            raise InputError(f"{p}: columns: {theirs!r} maps to {ours!r}, which is not a record field "
                             f"(fields: {', '.join(FIELD_BY_NAME)})")
        if ours in targets:
            raise InputError(f"{p}: columns: both {targets[ours]!r} and {theirs!r} map to {ours!r}")
        targets[ours] = str(theirs)
    recodes: dict[str, dict[str, str]] = {}
    for name, table in values.items():
        if name not in FIELD_BY_NAME:
            raise InputError(f"{p}: values: {name!r} is not a record field")
        if not isinstance(table, dict):
            raise InputError(f"{p}: values: {name!r} must map codes to values")
        recodes[name] = {str(k): "" if v is None else str(v) for k, v in table.items()}
    return ColumnMap({str(k): str(v) for k, v in columns.items()}, recodes)
