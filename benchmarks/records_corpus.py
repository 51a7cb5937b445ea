"""Synthetic registry records with a known, documented mix of errors (issue 14).

Used by the tests (every injected error must be found, and nothing else) and by
the benchmarks (1k to 1M records). Each record is built from one of a few
*coherent* templates, then, with probability ``error_rate``, exactly one error
of one rule is injected. The expected findings are returned (and written beside
the CSV with ``--expected``), so a check can be compared exactly.

Codes are taken from the graph's own mappings when the corpus is made, so the
corpus follows curation changes instead of hard-coding identifiers.

    python benchmarks/records_corpus.py 100000 -o /tmp/records.csv --expected /tmp/expected.tsv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterator

HEADER = ["record_id", "diagnosis", "orpha_code", "icd10_code", "icdo3_morphology", "icdo3_topography", "primary_site",
          "differentiation",
          "grade", "ki67_percent", "mitotic_count", "functional_status", "hormones", "syndrome", "diagnosis_date",
          "registry_note"]


@dataclass(frozen=True)
class Template:
    """A coherent record: every rule is satisfied."""

    name: str
    values: dict[str, str]


def _code(index, cls: str, system: str) -> str:
    """A code of ``system`` that netgraph maps to exactly ``cls`` (exact or close match), or ''."""
    for r in index.by_entity.get(cls, ()):
        if (r.object_id.startswith(system + ":") and r.predicate_id in ("skos:exactMatch", "skos:closeMatch")
                and all(o.subject_local == cls for o in index.by_code.get(r.object_id, ()))):
            return r.object_id
    return ""


def _morphology(index, cls: str) -> str:
    """The first ICD-O-3 morphology that netgraph resolves to exactly ``cls``, or ''."""
    from netgraph.crosswalk.resolve import resolve

    for code in sorted(c for c in index.known_codes if c.startswith("ICDO:")):
        res = resolve(code, prefix="ICDO", index=index)
        if res.status == "resolved" and res.entity is not None and res.entity.curie == f"netgraph:{cls}":
            return code
    return ""


def _topographies(morphology: str) -> tuple[str, str]:
    """(a topography SEER's site/histology list gives for ``morphology``, one it does not), from the vendored table."""
    from netgraph.records.seerlist import read_site_histology

    table = read_site_histology()
    if morphology not in table:
        return "", ""
    valid = table[morphology][0]
    every = sorted({t for sites, _ in table.values() for t in sites})
    return valid[0], next(t for t in every if t not in valid)


def templates(index) -> list[Template]:
    base = {"diagnosis_date": "2021-06-15", "registry_note": "synthetic"}
    pnet_morphology = _morphology(index, "NonFunctionalPancreaticNeuroendocrineTumour")
    t = [
        Template("insulinoma", {**base, "diagnosis": "netgraph:Insulinoma", "orpha_code": _code(index, "Insulinoma", "ORPHA"),
                                "primary_site": "pancreas", "differentiation": "well", "grade": "G1",
                                "ki67_percent": "1.5", "mitotic_count": "1", "functional_status": "functional",
                                "hormones": "insulin"}),
        Template("pnet", {**base, "diagnosis": "netgraph:PancreaticNeuroendocrineTumour",
                          "orpha_code": _code(index, "PancreaticNeuroendocrineTumour", "ORPHA"), "primary_site": "pancreas",
                          "icdo3_morphology": pnet_morphology, "icdo3_topography": _topographies(pnet_morphology)[0],
                          "differentiation": "well", "grade": "G2", "ki67_percent": "8", "mitotic_count": "3",
                          "functional_status": "non-functional"}),
        Template("nec", {**base, "diagnosis": "netgraph:NeuroendocrineCarcinoma", "differentiation": "poorly",
                         "grade": "G3", "ki67_percent": "65", "mitotic_count": "30"}),
        Template("si-nen", {**base, "diagnosis": "netgraph:SmallIntestinalNeuroendocrineNeoplasm",
                            "orpha_code": _code(index, "SmallIntestinalNeuroendocrineNeoplasm", "ORPHA"),
                            "primary_site": "ileum", "functional_status": "functional", "syndrome": "carcinoid syndrome",
                            "hormones": "serotonin"}),
        Template("gastric", {**base, "diagnosis": "netgraph:GastricNeuroendocrineNeoplasm",
                             "orpha_code": _code(index, "GastricNeuroendocrineNeoplasm", "ORPHA"), "primary_site": "stomach"}),
    ]
    return t


@dataclass(frozen=True)
class Injection:
    """One kind of error: which templates it applies to, how it changes the record, the rule that must fire."""

    rule: str
    applies: tuple[str, ...]
    change: Callable[[dict[str, str], object], None]


def _set(**kv: str) -> Callable[[dict[str, str], object], None]:
    def change(rec: dict[str, str], index: object) -> None:
        rec.update(kv)
    return change


def _obsolete_for(cls: str) -> Callable[[dict[str, str], object], None]:
    def change(rec: dict[str, str], index) -> None:
        from netgraph.crosswalk.obsolete import final_replacement

        for code in sorted(index.obsolete):
            if code.startswith("ORPHA:"):
                repl = final_replacement(code, dict(index.obsolete))
                if any(r.subject_local == cls for r in index.by_code.get(repl, ())):
                    rec["orpha_code"] = code
                    return
        raise LookupError(f"no obsolete ORPHA code replaced by a code of {cls}")
    return change


def _other_class_code(rec: dict[str, str], index) -> None:
    rec["orpha_code"] = _code(index, "Pheochromocytoma", "ORPHA") or _code(index, "GastricNeuroendocrineNeoplasm", "ORPHA")


def _unknown_orpha(rec: dict[str, str], index) -> None:
    n = 999999
    while index.knows(f"ORPHA:{n}"):
        n -= 1
    rec["orpha_code"] = f"ORPHA:{n}"


def _topography_off_the_seer_list(rec: dict[str, str], index) -> None:
    rec["icdo3_topography"] = _topographies(rec["icdo3_morphology"])[1]


INJECTIONS: tuple[Injection, ...] = (
    Injection("ki67-range", ("insulinoma", "pnet", "nec"), _set(ki67_percent="150")),
    Injection("mitoses-range", ("insulinoma", "pnet", "nec"), _set(mitotic_count="-2")),
    Injection("grade-value", ("insulinoma", "pnet", "nec"), _set(grade="G5")),
    Injection("differentiation-value", ("insulinoma", "pnet"), _set(differentiation="moderate")),
    Injection("functional-status-value", ("pnet", "si-nen"), _set(functional_status="maybe")),
    Injection("date-valid", ("insulinoma", "pnet", "nec", "si-nen", "gastric"), _set(diagnosis_date="2023-02-30")),
    Injection("date-not-future", ("insulinoma", "pnet", "nec", "si-nen", "gastric"), _set(diagnosis_date="2999-01-01")),
    Injection("code-well-formed", ("pnet", "si-nen"), _set(orpha_code="ORPHA:12x")),
    Injection("code-known", ("pnet", "si-nen"), _unknown_orpha),
    Injection("code-obsolete", ("gastric",), _obsolete_for("GastricNeuroendocrineNeoplasm")),
    Injection("code-agrees-with-diagnosis", ("insulinoma",), _other_class_code),
    Injection("site-agrees-with-diagnosis", ("insulinoma", "pnet"), _set(primary_site="ileum")),
    Injection("site-histology-seer", ("pnet",), _topography_off_the_seer_list),
    Injection("hormone-of-diagnosis", ("insulinoma",), _set(hormones="glucagon")),
    Injection("nec-poorly-differentiated", ("nec",), _set(differentiation="well")),
    Injection("nec-high-grade", ("nec",), _set(grade="G2", ki67_percent="12", mitotic_count="5")),
    Injection("net-well-differentiated", ("insulinoma", "pnet"), _set(differentiation="poorly")),
    Injection("nonfunctional-without-syndrome", ("si-nen",), _set(functional_status="non-functional")),
    Injection("functional-class-not-nonfunctional", ("insulinoma",), _set(functional_status="non-functional")),
    Injection("value-not-recognised", ("pnet", "nec"), _set(diagnosis="bananoma")),
    Injection("diagnosis-required", ("nec",), _set(diagnosis="")),
    Injection("grade-agrees-with-indices", ("insulinoma", "pnet"), _set(grade="G3")),
)


def generate(n: int, *, error_rate: float = 0.3, seed: int = 20261202, index=None) -> Iterator[tuple[dict[str, str], str]]:
    """Yield (record, expected rule or '') pairs; deterministic for a seed."""
    if index is None:
        from netgraph.crosswalk.index import load_index

        index = load_index()
    rng = random.Random(seed)
    temps = templates(index)
    for i in range(1, n + 1):
        t = rng.choice(temps)
        rec = {h: "" for h in HEADER}
        rec.update(t.values)
        rec["record_id"] = f"R{i:07d}"
        rule = ""
        if rng.random() < error_rate:
            choices = [inj for inj in INJECTIONS if t.name in inj.applies]
            inj = rng.choice(choices)
            inj.change(rec, index)
            rule = inj.rule
        yield rec, rule


def write_corpus(path: Path, n: int, *, error_rate: float = 0.3, seed: int = 20261202,
                 expected: Path | None = None) -> dict[str, str]:
    """Write ``n`` records to ``path`` (CSV); returns record id -> expected rule ('' for a clean record)."""
    out: dict[str, str] = {}
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        for rec, rule in generate(n, error_rate=error_rate, seed=seed):
            w.writerow(rec)
            out[rec["record_id"]] = rule
    if expected is not None:
        expected.write_text("record_id\trule\n" + "".join(f"{k}\t{v}\n" for k, v in out.items() if v), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--expected", type=Path, default=None)
    ap.add_argument("--error-rate", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=20261202)
    args = ap.parse_args(argv)
    exp = write_corpus(args.output, args.n, error_rate=args.error_rate, seed=args.seed, expected=args.expected)
    print(f"{args.n:,} records, {sum(1 for v in exp.values() if v):,} with one injected error", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
