"""`netgraph records to-rdf`: the records graph as N-Triples, streamed."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any
from collections.abc import Callable

from .columnmap import ColumnMap
from .convert import Converter
from .knowledge import load_knowledge
from .reader import InputProblem, read_records

__all__ = ["write_records_rdf"]


def write_records_rdf(source: str | Path, out: IO[str], *, columns: ColumnMap | None = None, root: Any = None,
                      delimiter: str | None = None, salt: str | None = None,
                      progress: Callable[[int], None] | None = None) -> tuple[int, list[InputProblem]]:
    """Write the records of ``source`` to ``out`` as N-Triples; returns (records written, rows skipped)."""
    from ..crosswalk.index import load_index
    from ..paths import project_paths

    paths = project_paths(root)
    converter = Converter(load_knowledge(paths.root), index=load_index(paths.root), salt=salt)
    problems: list[InputProblem] = []
    n = 0
    for row in read_records(source, columns=columns, delimiter=delimiter, problems=problems):
        out.write(converter.ntriples(row))
        n += 1
        if progress and n % 1000 == 0:
            progress(n)
    return n, problems
