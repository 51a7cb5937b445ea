"""`netgraph grade`: the grade of a tumour from its Ki-67 index and mitotic count (thin layer over netgraph.grade)."""

from __future__ import annotations

import json

import click

from .options import common_options, format_option, output_option, write_text

__all__ = ["grade_command"]


@click.command("grade")
@click.option("--ki67", "ki67", metavar="PCT", help="Ki-67 index in percent (0-100).")
@click.option("--mitoses", metavar="N", help="Mitotic count per 10 HPF or 2 mm2 (not negative).")
@click.option("--site", metavar="SITE", help="Anatomical site or tumour class (id, label or CURIE), e.g. pancreas.")
@click.option("--scheme", metavar="ID", help="Grading scheme id or label (default: the graph's default scheme).")
@format_option(["text", "json"], default="text", help="text for people; json for programs.")
@output_option()
@common_options
def grade_command(ki67: str | None, mitoses: str | None, site: str | None, scheme: str | None, fmt: str,
                  output: str | None, root: str | None) -> int:
    """Grade a tumour by the grading rules in the graph, with the rule applied and its citation.

    \b
    Exit status: 0 a grade was found; 1 no grade: the values fit no rule, a rule
    cannot be decided without the missing index (insufficient), rules of several
    grades fit and the scheme states no tie rule (ambiguous), or the scheme has no
    rule for the site (no_scheme); 2 bad input (not a number, Ki-67 outside 0-100,
    a negative mitotic count, an unknown site or scheme).

    \b
    Example: netgraph grade --ki67 12 --site "pancreatic neuroendocrine tumour"
    """
    from ..api import open_graph
    from ..grading import grade

    with open_graph(root=root) as kg:
        answer = grade(ki67=ki67, mitoses=mitoses, site=site, scheme=scheme, graph=kg)
    text = json.dumps(answer.to_dict(), indent=2, ensure_ascii=False) if fmt == "json" else answer.to_text()
    write_text(text + "\n", output)
    exit_code: int = answer.exit_code
    return exit_code
