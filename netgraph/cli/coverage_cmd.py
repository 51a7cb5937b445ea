"""`netgraph coverage`: each source beside the statements that cite it (a thin command over
the canned query ``statements-by-source``)."""

from __future__ import annotations

import shutil
import textwrap

import click

from ..errors import ParameterError
from ..results import QueryResult
from .options import to_stdout, write_text
from .query_options import default_format, emit, graph_options, open_from_options, output_options

__all__ = ["coverage_command", "COVERAGE_COLUMNS", "render_coverage"]

#: The columns of the flat (csv, tsv, json) output.
COVERAGE_COLUMNS = ("source", "subject", "subjectLabel", "kind", "object", "objectLabel", "frequency", "condition",
                    "quote", "sourceRecord", "statement")


@click.command("coverage")
@click.option("--source", default=None, metavar="ID",
              help="Only this source (id such as nhs-net, CURIE ngsrc:nhs-net, IRI or label); default: every source.")
@graph_options
@output_options
def coverage_command(source: str | None, endpoint: str | None, timeout: float, retries: int, root: str | None,
                     fmt: str | None, output: str | None, iris: bool) -> None:
    """List, per source, the statements that cite it: subject, kind, object and quote.

    On a terminal each source is a heading followed by its statements with
    their quotes, to read beside the source text; --format csv|tsv|json gives
    one row per statement. A source no statement cites is shown with none.
    """
    with open_from_options(endpoint, timeout, retries, root) as kg:
        result = kg.query("statements-by-source", source=source)
    if source is not None and not len(result):
        raise ParameterError(f"{source!r} is not a source; `netgraph query sources` lists them")
    if default_format(fmt, output) == "table":
        width = shutil.get_terminal_size((100, 24)).columns if to_stdout(output) else 100
        write_text(render_coverage(result, width, iris=iris), output)
    else:
        emit(result.select(*COVERAGE_COLUMNS), fmt, iris, output)


def render_coverage(result: QueryResult, width: int = 100, *, iris: bool = False) -> str:
    """Sources as headings, each statement as ``subject — kind — object`` with its quote wrapped below."""
    width = max(width, 40)
    out: list[str] = []
    current = None
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    for row in result:
        key = row["source"].iri if iris else str(row["source"])
        groups.setdefault(key, [])
        labels[key] = str(row.get("sourceLabel", ""))
        if row["statement"] is not None:
            groups[key].append(row)
    for key, rows in groups.items():
        if current is not None:
            out.append("")
        current = key
        n = len(rows)
        out.append(f"{key}  {labels[key]}  ({n} statement{'s' if n != 1 else ''})")
        out.append("=" * min(width, len(out[-1])))
        for row in rows:
            subject = row.get("subjectLabel") or row["subject"]
            obj = row.get("objectLabel") or row["object"]
            qualifiers = ", ".join(str(q) for q in (row.get("frequency"), row.get("condition")) if q)
            line = f"- {subject} — {row['kind']} — {obj}" + (f" [{qualifiers}]" if qualifiers else "")
            out.extend(textwrap.wrap(line, width, subsequent_indent="  "))
            out.extend(textwrap.wrap(f"\u201c{row['quote']}\u201d", width, initial_indent="    ",
                                     subsequent_indent="    "))
    return "\n".join(out) + "\n" if out else "(no sources)\n"
